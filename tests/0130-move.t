#!/bin/sh
# ims-move: transfers, transit, shipments and scrap; what a transfer may
# not do; stock never negative; one batch, one transaction.
. "$(dirname "$0")/lib.sh"
plan 98
setup_master
ims-receive -q <<'X'
{"sku":"A-100","qty":100,"location":"WH1/A/01","ts":"2026-11-01T08:00:00Z"}
{"sku":"K-1","qty":20.5,"location":"WH1/B/01","ts":"2026-11-01T08:00:00Z"}
X
ok "stock to move"

cat >m.ndjson <<'X'
{"sku":"A-100","qty":30,"from":"WH1/A/01","to":"WH1/A/02","ref":"m-1"}
{"sku":"A-100","qty":20,"from":"WH1/A/01","to":"TRANSIT/WH1-WH2","ref":"m-2"}
{"sku":"A-100","qty":20,"from":"TRANSIT/WH1-WH2","to":"WH2/A/01","ref":"m-3"}
{"sku":"A-100","qty":5,"from":"WH1/A/02","to":"@customer","ref":"m-4"}
{"sku":"A-100","qty":1,"from":"WH1/A/02","to":"@scrap","ref":"m-5"}
{"sku":"K-1","qty":0.25,"from":"WH1/B/01","to":"@customer","ts":"2026-11-02T09:30:00Z"}
X
check_rc 0 "transfers, transit, a shipment and scrap" ims-move m.ndjson
is "$(lines "$T/out")" 6 "six movements echoed"
is "$(jfield type <"$T/out" | tr '\n' ' ')" "move move move ship scrap ship " \
	"their types"
# seq goes on after the master data's entries and the two receipts
is "$(jfield seq <"$T/out" | tr '\n' ' ')" "13 14 15 16 17 18 " "seq goes on"
like '^\{"seq":13,"ts":"2026-11-27T12:00:00Z","type":"move","sku":"A-100","qty":30,"from":"WH1/A/01","to":"WH1/A/02","ref":"m-1","ref_fp":"[0-9a-f]{32}","actor":"tester"[,}]' \
	"$T/out" "a movement as the journal prints it"
like '"seq":18,"ts":"2026-11-02T09:30:00Z","type":"ship","sku":"K-1","qty":0\.25,' \
	"$T/out" "a decimal qty, an explicit ts"
is "$(ims-report onhand | onhand_balances | tr '\n' ';')" \
	"A-100 WH1/A/01 - 50.000;A-100 WH1/A/02 - 24.000;A-100 WH2/A/01 - 20.000;K-1 WH1/B/01 - 20.250;" \
	"balances after the moves (transit emptied, not listed)"
ims-report onhand --location TRANSIT >tr.out
is "$(lines tr.out)" 0 "nothing left in transit"

# --- what a transfer may not do ---
mv1() { printf '{"sku":"A-100","qty":1,%s}\n' "$1" >bad.ndjson; }
mv1 '"from":"WH1/A/01","to":"@supplier"'
rejects "back to @supplier" \
	'^ims-move: stdin:1: to "@supplier": a transfer goes to a location, @customer or @scrap$' \
	ims-move <bad.ndjson
mv1 '"from":"@supplier","to":"WH1/A/01"'
rejects "from @supplier" 'stdin:1: from "@supplier": a transfer leaves an internal location' \
	ims-move <bad.ndjson
mv1 '"from":"@adjust","to":"WH1/A/01"'
rejects "from @adjust" 'stdin:1: from "@adjust"' ims-move <bad.ndjson
mv1 '"from":"WH1/A/01","to":"@nowhere"'
rejects "to an unknown virtual location" 'stdin:1: to "@nowhere"' \
	ims-move <bad.ndjson
mv1 '"from":"WH1/A/01","to":"WH1/A/01"'
rejects "from and to the same" 'stdin:1: from and to are the same location "WH1/A/01"' \
	ims-move <bad.ndjson
mv1 '"from":"WH1/A/01","to":"WH9/Z"'
rejects "to an unknown location" 'stdin:1: unknown location "WH9/Z"' \
	ims-move <bad.ndjson
mv1 '"from":"WH9/Z","to":"WH1/A/01"'
rejects "from an unknown location" 'stdin:1: unknown location "WH9/Z"' \
	ims-move <bad.ndjson
mv1 '"from":"WH1","to":"WH1/A/02"'
rejects "from a zone" 'stdin:1: unknown location "WH1"' ims-move <bad.ndjson
mv1 '"to":"WH1/A/02"'
rejects "no from" 'stdin:1: missing field from' ims-move <bad.ndjson
mv1 '"from":"WH1/A/01"'
rejects "no to" 'stdin:1: missing field to' ims-move <bad.ndjson
mv1 '"location":"WH1/A/01"'
rejects "a receipt's location is not enough" 'stdin:1: missing field from' \
	ims-move <bad.ndjson
printf '{"qty":1,"from":"WH1/A/01","to":"WH1/A/02"}\n' >bad.ndjson
rejects "no sku" 'stdin:1: missing field sku' ims-move <bad.ndjson
printf '{"sku":"A-100","from":"WH1/A/01","to":"WH1/A/02"}\n' >bad.ndjson
rejects "no qty" 'stdin:1: missing field qty' ims-move <bad.ndjson
printf '{"sku":"A-100","qty":-1,"from":"WH1/A/01","to":"WH1/A/02"}\n' >bad.ndjson
rejects "negative qty" 'stdin:1: qty must be positive, not -1' \
	ims-move <bad.ndjson
printf '{"sku":"A-100","qty":0.0005,"from":"WH1/A/01","to":"WH1/A/02"}\n' \
	>bad.ndjson
rejects "qty finer than the store" 'stdin:1: qty "0\.0005": more than 3 decimals' \
	ims-move <bad.ndjson
printf '{"sku":"Z-9","qty":1,"from":"WH1/A/01","to":"WH1/A/02"}\n' >bad.ndjson
rejects "unknown sku" 'stdin:1: unknown sku "Z-9"' ims-move <bad.ndjson

# --- never negative, all or nothing ---
printf '{"sku":"A-100","qty":50.001,"from":"WH1/A/01","to":"WH1/A/02"}\n' \
	>bad.ndjson
rejects "more than is there now" \
	'^ims-move: stdin:1: not enough stock of "A-100" at "WH1/A/01": 50\.001 wanted, 50 available$' \
	ims-move <bad.ndjson
printf '{"sku":"K-1","qty":1,"from":"WH2/A/01","to":"@customer"}\n' >bad.ndjson
rejects "from where there is none" \
	'stdin:1: not enough stock of "K-1" at "WH2/A/01": 1 wanted, 0 available' \
	ims-move <bad.ndjson
cat >chain.ndjson <<'X'
{"sku":"A-100","qty":50,"from":"WH1/A/01","to":"WH1/B/01"}
{"sku":"A-100","qty":50,"from":"WH1/B/01","to":"WH2/A/01"}
{"sku":"A-100","qty":1,"from":"WH1/A/01","to":"@customer"}
X
rejects "a batch that empties a bin, then takes one more" \
	'^ims-move: chain\.ndjson:3: not enough stock of "A-100" at "WH1/A/01": 1 wanted, 0 available$' \
	ims-move chain.ndjson
like '1 of 3 records rejected; nothing stored' "$T/err" \
	"the good moves before it are not stored either"
head -2 chain.ndjson >chain2.ndjson
check_rc 0 "a move may use stock moved in earlier in the same batch" \
	ims-move chain2.ndjson
is "$(ims-report onhand --sku A-100 | onhand_balances | tr '\n' ';')" \
	"A-100 WH1/A/02 - 24.000;A-100 WH2/A/01 - 70.000;" \
	"balances after the chain"
printf '{"sku":"A-100","qty":24,"from":"WH1/A/02","to":"@customer"}\n{"sku":"A-100","qty":24,"from":"WH1/A/02","to":"@customer"}\n' \
	>twice.ndjson
rejects "the same stock shipped twice in one batch" \
	'stdin:2: not enough stock of "A-100" at "WH1/A/02": 24 wanted, 0 available' \
	ims-move <twice.ndjson

# --- -q, and the echo under -o ---
printf '{"sku":"K-1","qty":0.25,"from":"WH1/B/01","to":"WH1/A/01","note":"q"}\n' \
	>q.ndjson
check_rc 0 "-q" ims-move -q q.ndjson
is "$(cat "$T/out" "$T/err")" "" "says nothing"
is "$(ims-report ledger --sku K-1 | tail -1 | jfield note)" q "but posts"
printf '{"sku":"K-1","qty":0.25,"from":"WH1/A/01","to":"WH1/B/01"}\n' >t.ndjson
check_rc 0 "-o table" ims-move -o table t.ndjson
like '^seq +ts +type +sku +qty +from +to +actor$' "$T/out" \
	"a header of the columns any row fills"
like '^ *[0-9]+  2026-11-27T12:00:00Z  move  K-1  0\.25  WH1/A/01  WH1/B/01  tester$' \
	"$T/out" "aligned"
done_testing
