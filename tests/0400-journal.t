#!/bin/sh
# One journal of events: master data are entries with their actor and
# time, every table is a projection that ims-check rebuilds, an export
# restores whole, refs carry fingerprints, the store has a format.
. "$(dirname "$0")/lib.sh"

# --- master data are journal entries ---
setup_master
ims-log >log.out
is "$(grep -c '"kind":"item"' log.out)" 4 "an entry for each item"
is "$(grep -c '"kind":"location"' log.out)" 5 "an entry for each location"
is "$(grep -c '"kind":"supplier"' log.out)" 1 "an entry for the supplier"
like '^\{"seq":2,"ts":"2026-11-27T12:00:00Z","kind":"item","actor":"tester","item":\{"sku":"A-100","name":"Hex bolt M8",' \
	log.out "an item entry: seq, ts, kind, actor, the record as merged"
IMS_ACTOR=planner IMS_NOW=2026-11-28T08:00:00Z \
	ims-item -q <<'X'
{"sku":"A-100","unit_cost":0.30}
X
ims-log --after 10 >change.out
is "$(lines change.out)" 1 "a change is one entry"
like '"ts":"2026-11-28T08:00:00Z","kind":"item","actor":"planner","item":\{"sku":"A-100",.*"unit_cost":0.3,' \
	change.out "who changed the cost, and when, with the record as merged"
ims-item -q <<'X'
{"sku":"A-100","unit_cost":"0.3000"}
X
is "$(ims-log --after 11 | wc -l | tr -d ' ')" 0 \
	"a record that changes nothing posts no entry"
check_rc 0 "ims-check" ims-check
like '^ims-check: 11 entries \(0 movements\), 0 differences$' "$T/err" \
	"master entries are checked"

# master entries take effect when posted: a movement of last month,
# loaded after today's master data, is not backdated
printf '{"sku":"K-1","qty":1,"location":"WH1/B/01","ts":"2026-10-01T00:00:00Z"}\n' |
	ims-receive -q
is "$(mdb_stat -s late "$IMS_DB" | awk '/Entries:/ { print $2 }')" 0 \
	"no movement indexed as backdated"
check_rc 0 "ims-check agrees" ims-check -q

# and the ledger keeps time order with a master entry between movements
printf '{"sku":"K-1","qty":1,"location":"WH1/B/01","ts":"2026-10-03T00:00:00Z","ref":"o/3"}\n' |
	ims-receive -q
printf '{"sku":"K-1","name":"Flour, fine"}\n' | ims-item -q
printf '{"sku":"K-1","qty":1,"location":"WH1/B/01","ts":"2026-10-02T00:00:00Z","ref":"o/2"}\n' |
	ims-receive -q
is "$(ims-report ledger --sku K-1 | jfield ts | tr '\n' ' ')" \
	"2026-10-01T00:00:00Z 2026-10-02T00:00:00Z 2026-10-03T00:00:00Z " \
	"ims-report ledger: movements in ts order, master entries not among them"
check_rc 2 "ims-log --upgrade takes no --dry-run" ims-log --upgrade -n
like 'does not apply' "$T/err" "says so"

# --- changes the history contradicts ---
printf '{"sku":"L-200","qty":5,"location":"WH1/A/01","lot":"L1"}\n' |
	ims-receive -q
printf '{"sku":"L-200","track":"none"}\n' >bad.ndjson
rejects "track changed under lot-tracked history" \
	'^ims-item: bad\.ndjson:1: item "L-200" has movements: its track cannot change from lot to none$' \
	ims-item bad.ndjson
printf '{"code":"WH1/A/01","type":"transit"}\n' >bad.ndjson
rejects "a location holding stock made transit" \
	'^ims-loc: bad\.ndjson:1: location "WH1/A/01" holds stock: its type cannot change from internal to transit$' \
	ims-loc bad.ndjson
printf '{"code":"WH1/A/02","type":"transit"}\n' >ok.ndjson
check_rc 0 "an empty location may change type" ims-loc -q ok.ndjson
printf '{"code":"WH1/A/02","type":"internal"}\n' >ok.ndjson
check_rc 0 "and back" ims-loc -q ok.ndjson
printf '{"sku":"L-200","qty":5,"from":"WH1/A/01","to":"@customer","lot":"L1"}\n' |
	ims-move -q
printf '{"sku":"L-200","track":"none"}\n' >bad.ndjson
rejects "no stock left, but history: track still fixed" \
	'item "L-200" has movements' ims-item bad.ndjson

# --- refs: fingerprints of what they posted ---
cat >r1.ndjson <<'X'
{"sku":"A-100","qty":10,"location":"WH1/A/01","unit_cost":2.50,"ref":"asn-7/1"}
X
check_rc 0 "a receipt with a ref" ims-receive r1.ndjson
seq1=$(jfield seq <"$T/out")
like '"ref":"asn-7/1","ref_fp":"[0-9a-f]{32}"' "$T/out" \
	"the entry keeps the ref's fingerprint"
cat >r2.csv <<'X'
sku,qty,location,unit_cost,ref
A-100,10.000,WH1/A/01,2.5,asn-7/1
X
before=$(snapshot)
check_rc 0 "the same content again, written otherwise" ims-receive r2.csv
like "^ims-receive: r2\\.csv:2: ref \"asn-7/1\" already posted as entry $seq1: skipped\$" \
	"$T/err" "skipped and noted"
is "$(snapshot)" "$before" "nothing posted"
cat >r3.ndjson <<'X'
{"sku":"A-100","qty":11,"location":"WH1/A/01","unit_cost":2.5,"ref":"asn-7/1"}
X
rejects "the same ref with another qty" \
	"^ims-receive: r3\\.ndjson:1: ref \"asn-7/1\" is held by entry $seq1, which posted other content\$" \
	ims-receive r3.ndjson
cat >r4.ndjson <<'X'
{"sku":"K-1","qty":1,"location":"WH1/B/01","ref":"b/1"}
{"sku":"K-1","qty":2,"location":"WH1/B/01","ref":"b/1"}
X
rejects "a ref reused within one batch" \
	'^ims-receive: r4\.ndjson:2: ref "b/1" is held by entry [0-9]+, which posted other content$' \
	ims-receive r4.ndjson
printf '{"sku":"A-100","qty":1,"from":"WH1/A/01","to":"WH1/B/01","ref":"asn-7/1"}\n' >m.ndjson
rejects "refs are one namespace across commands" \
	"ref \"asn-7/1\" is held by entry $seq1" ims-move m.ndjson
cat >r5.ndjson <<'X'
{"sku":"K-1","qty":1,"location":"WH1/B/01","ref":"b/2"}
{"sku":"K-1","qty":1,"location":"WH1/B/01","ref":"b/2"}
X
check_rc 0 "the same ref and content twice in one batch" ims-receive r5.ndjson
is "$(lines "$T/out")" 1 "posted once"
check_rc 0 "ims-check after the refs" ims-check -q

# --- export and restore are whole ---
load_sample
listings() {
	for c in item loc supplier; do ims-$c --list; done
	ims-report onhand
	ims-report ledger
	ims-check 2>&1
}
listings >orig.out
ims-log >export.ndjson
is "$(grep '"kind":"item"' export.ndjson | jfield sku | sort -u)" \
	"$(ims-item --list | jfield sku | sort)" "every item has its entries in the export"
check_rc 0 "restore into an empty store" \
	ims-log --restore --db "$T/copy" export.ndjson
IMS_DB=$T/copy listings >copy.out
is "$(cmp -s orig.out copy.out && echo same)" same \
	"listings, onhand, ledger and check are the same"
n=$(lines export.ndjson)
half=$((n / 2))
head -n "$half" export.ndjson >a.ndjson
ims-log --after "$half" >b.ndjson
check_rc 0 "increments: the first half" ims-log --restore --db "$T/inc" a.ndjson
check_rc 0 "then the rest, overlapping" \
	ims-log --restore --db "$T/inc" a.ndjson b.ndjson
IMS_DB=$T/inc listings >inc.out
is "$(cmp -s orig.out inc.out && echo same)" same "increments compose"

# --- a restore that cannot be ---
grep -v '"kind":"item"' export.ndjson >nomaster.ndjson
check_rc 1 "an export missing its master entries" \
	ims-log --restore --db "$T/nm" nomaster.ndjson
like 'entries are missing in between' "$T/err" "says entries are missing"
check_rc 0 "and stores nothing" ims-log --db "$T/nm"
is "$(cat "$T/out")" "" "not one entry"
sed '5s/"name":"[^"]*"/"name":"Forged"/' export.ndjson >forged.ndjson
check_rc 1 "an export with an altered master entry" \
	ims-log --restore --db "$T/fg" forged.ndjson
like 'entry 5: the hash does not match the entry: the export was altered' \
	"$T/err" "the chain catches it"
printf '{"seq":1,"ts":"2026-11-01T00:00:00Z","kind":"wish","actor":"x","hash":"%064d"}\n' 0 >po.ndjson
check_rc 1 "a kind this version does not know" \
	ims-log --restore --db "$T/po" po.ndjson
like 'unknown kind of entry "wish"' "$T/err" "says so"

# --- ims-check finds a projection changed behind its back ---
cp -Rp "$IMS_DB" "$T/pristine"
item=$(ims-item --show A-100 | sed 's/"Hex bolt M8"/"Hex bolt M9"/')
poke items "$(hex A-100)00" "$(hex "$item")"
check_rc 1 "an item edited in the store" ims-check
like '"check":"item","key":"A-100","stored":"differs"' "$T/out" "is named"
rm -rf "$IMS_DB"; cp -Rp "$T/pristine" "$IMS_DB"
poke balances "$(hex A-100)00$(hex WH1/A/01)0000" \
	"$(printf '%016x' 0)00000000000000000000000000000000"
check_rc 1 "a balance edited in the store" ims-check
like '"check":"balance","key":"A-100 WH1/A/01 "' "$T/out" "is named"
rm -rf "$IMS_DB"; cp -Rp "$T/pristine" "$IMS_DB"
poke refs "$(hex asn-7/1)00" \
	"$(printf '%016x' 1)$(hex 00000000000000000000000000000001)"
check_rc 1 "a ref edited in the store" ims-check
like '"check":"refs","key":"asn-7/1"' "$T/out" "is named"
rm -rf "$IMS_DB"; cp -Rp "$T/pristine" "$IMS_DB"
poke lots "$(hex L-200)00$(hex L1)00" "0000000000000000"
check_rc 1 "a lot's expiry edited in the store" ims-check
like '"check":"lots","key":"L-200 L1"' "$T/out" "is named"
rm -rf "$IMS_DB"; cp -Rp "$T/pristine" "$IMS_DB"

# --- a stored value of the wrong size is damage, never a zero ---
poke balances "$(hex A-100)00$(hex WH1/A/01)0000" "00"
check_rc 3 "a balance of one byte" ims-report onhand
like 'store damaged \(a balance of 1 bytes' "$T/err" "store damaged"
check_rc 3 "ims-check too" ims-check
rm -rf "$IMS_DB"; cp -Rp "$T/pristine" "$IMS_DB"

# --- wide sums: totals never wrap ---
cat >big.ndjson <<'X'
{"sku":"K-1","qty":5000000000000000,"location":"WH1/A/01"}
{"sku":"K-1","qty":5000000000000000,"location":"WH1/A/02"}
X
had=$(ims-report onhand --sku K-1 --group-by sku | jfield on_hand)
case $had in *.*|"") had=0 ;; esac
check_rc 0 "two balances of 5e15" ims-receive -q big.ndjson
check_rc 0 "summed by sku" ims-report onhand --sku K-1 --group-by sku
like '"on_hand":10000000000000[0-9]{3}(\.[0-9]+)?,' "$T/out" \
	"the total printed exactly, past 64 bits"
is "$(jfield on_hand <"$T/out")" "$((10000000000000000 + had))" \
	"the sum of the balances (had $had)"
rm -rf "$IMS_DB"; cp -Rp "$T/pristine" "$IMS_DB"

# --- the store's format ---
mkdir "$T/v1"
mdb_load -f "$IMS_TOP/tests/data/format1.dump" "$T/v1"
cp -Rp "$T/v1" "$T/v1b"
check_rc 3 "a format 1 store is never misread" ims-report onhand --db "$T/v1"
like '^ims-report: store format 1 is older than this ims \(format 2\): upgrade it with ims-log --upgrade$' \
	"$T/err" "and says how to upgrade it"
check_rc 0 "ims-log --upgrade" ims-log --upgrade --db "$T/v1"
like 'upgraded from format 1 to 2 \(5 entries, 7 master records\)' "$T/err" \
	"says what it did"
check_rc 0 "the upgraded store checks" ims-check --db "$T/v1"
like '12 entries \(5 movements\), 0 differences' "$T/err" \
	"its master data now in the journal"
is "$(ims-report onhand --db "$T/v1" | onhand_balances | tr '\n' ';')" \
	"A-100 WH1/A/01 - 18.000;A-100 WH1/A/02 - 2.000;L-200 WH1/A/02 L7 12.000;S-300 WH1/A/01 SN1 1.000;" \
	"its stock as before"
check_rc 0 "upgrading again" ims-log --upgrade --db "$T/v1"
like 'is format 2 already' "$T/err" "is nothing to do"
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01","ref":"asn-1/1"}\n' >v1.ndjson
check_rc 0 "a writer upgrades on first write" ims-receive --db "$T/v1b" v1.ndjson
like 'upgraded the store from format 1 to 2' "$T/err" "saying so"
like 'ref "asn-1/1" already posted as entry 1: skipped' "$T/err" \
	"a format 1 ref still skips a rerun"
check_rc 0 "and checks" ims-check --db "$T/v1b"
poke meta "$(hex format)00" "03000000"
check_rc 3 "a store of a newer format" ims-report onhand
like 'store format 3 is newer than this ims \(format 2\): use a newer ims' \
	"$T/err" "is refused"
check_rc 3 "by writers too" ims-item -q ok.ndjson
poke meta "$(hex format)00" "0200"
check_rc 3 "a format version of the wrong size" ims-report onhand
like 'store damaged \(its format version has 2 bytes' "$T/err" "is damage"

echo "1..$_n"
done_testing
