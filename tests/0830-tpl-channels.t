#!/bin/sh
# Channels and clients in orders and reports: what each channel may sell,
# the shares never more than there is, the upload's columns; a client's
# stock never serving another's order; --client everywhere; --packs.
. "$(dirname "$0")/lib.sh"

ims-client -q <<'X'
{"id":"ACME","name":"Acme"}
{"id":"BETA","name":"Beta"}
X
ims-channel -q <<'X'
{"id":"AMZ","client":"ACME","share":60,"sku_column":"seller-sku","qty_column":"qty-available"}
{"id":"EBY","share":40,"cap":20}
{"id":"WEB","buffer":5}
X
ims-item -q <<'X'
{"sku":"A-1","uom":"ea","owner":"ACME","packs":{"case":12,"pallet":480}}
{"sku":"A-2","uom":"ea","owner":"ACME"}
{"sku":"B-1","uom":"ea","owner":"BETA"}
{"sku":"F-1","uom":"kg","owner":"ACME"}
{"sku":"KIT-A","owner":"ACME","components":"A-1:2,A-2:1"}
{"sku":"KIT-X","owner":"ACME","components":"A-1:1,B-1:1"}
X
ims-loc -q <<'X'
code,type
WH1/A/01,internal
WH1/A/02,internal
TRANSIT/1,transit
X
ims-receive -q <<'X'
{"sku":"A-1","qty":64,"location":"WH1/A/01"}
{"sku":"A-1","qty":7,"location":"TRANSIT/1"}
{"sku":"A-2","qty":3,"location":"WH1/A/02"}
{"sku":"B-1","qty":400,"location":"WH1/A/02"}
{"sku":"F-1","qty":10.5,"location":"WH1/A/02"}
X

# --- what each channel may sell ---
# A-1: 64 available (the 7 in transit are not for sale).  AMZ: 60% of 64
# = 38.4, down to 38; EBY: 40% = 25.6, 25, capped at 20; WEB: 64 - 5 = 59.
# AMZ and EBY together: 58 <= 64.  A-2: 3: AMZ 1.8 -> 1, EBY 1.2 -> 1, WEB
# 3 - 5 -> 0.  F-1 (kg, not whole): AMZ 6.3, EBY 4.2, WEB 5.5.  B-1 is
# BETA's: not AMZ's to sell; EBY 160 -> cap 20; WEB 395.  Kits hold no
# stock of their own and are not listed.
check_rc 0 "every channel" ims-report available -o csv
is "$(tr -d '\r' <"$T/out")" "channel,sku,quantity,available
AMZ,A-1,38,64
AMZ,A-2,1,3
AMZ,F-1,6.3,10.5
EBY,A-1,20,64
EBY,A-2,1,3
EBY,B-1,20,400
EBY,F-1,4.2,10.5
WEB,A-1,59,64
WEB,A-2,0,3
WEB,B-1,395,400
WEB,F-1,5.5,10.5" "by hand: shares rounded down, the buffer, the cap, never below zero"
ims-report available | awk '
	{ c = $0; sub(/.*"channel":"/, "", c); sub(/".*/, "", c)
	  s = $0; sub(/.*"sku":"/, "", s); sub(/".*/, "", s)
	  q = $0; sub(/.*"quantity":/, "", q); sub(/,.*/, "", q)
	  a = $0; sub(/.*"available":/, "", a); sub(/}.*/, "", a)
	  if (c == "AMZ" || c == "EBY") sum[s] += q; av[s] = a }
	END { for (s in sum) if (sum[s] > av[s] + 0) { print s; bad = 1 }
	      exit bad }'
ok "the shares of AMZ and EBY never add up to more than is available"

check_rc 0 "one channel's upload" ims-report available --channel AMZ -o csv
is "$(tr -d '\r' <"$T/out")" "seller-sku,qty-available
A-1,38
A-2,1
F-1,6.3" "the channel's column names, its client's skus only"
check_rc 0 "as NDJSON" ims-report available --channel AMZ --sku A-1
is "$(cat "$T/out")" '{"channel":"AMZ","seller-sku":"A-1","qty-available":38,"available":64}' \
	"the same names, with what is available"
check_rc 0 "--client" ims-report available --client BETA
is "$(jfield channel <"$T/out" | tr '\n' ' ')" "EBY WEB " "only BETA's sku, on the channels that may sell it"
rejects "an unknown channel" 'unknown channel "OTTO"' ims-report available --channel OTTO
rejects "an unknown client" 'unknown client "ZED"' ims-report available --client ZED
check_rc 2 "--channel does not apply to onhand" ims-report onhand --channel AMZ

# --- orders: channels and clients ---
rejects "an order of an unknown channel" 'stdin:1: unknown channel "OTTO"' \
	ims-pick <<'X'
{"order":"O-9","sku":"A-1","qty":1,"channel":"OTTO"}
X
rejects "an order of an unknown client" 'stdin:1: unknown client "ZED"' \
	ims-pick <<'X'
{"order":"O-9","sku":"A-1","qty":1,"client":"ZED"}
X
rejects "an order for one client's sku naming another" \
	'stdin:1: sku "B-1" is client "BETA", not client "ACME".s' ims-pick <<'X'
{"order":"O-9","sku":"B-1","qty":1,"client":"ACME"}
X
rejects "a channel selling another client's sku" \
	'stdin:1: sku "B-1" is another client.s, not of client "ACME" that channel "AMZ" sells for' \
	ims-pick <<'X'
{"order":"O-9","sku":"B-1","qty":1,"channel":"AMZ"}
X
rejects "a kit drawing on another client's stock" \
	'stdin:1: kit "KIT-X": component "B-1" belongs to another client' ims-pick <<'X'
{"order":"O-9","sku":"KIT-X","qty":1}
X
rejects "ims-pick --client: another client's order" \
	'stdin:1: sku "B-1" is not client "ACME".s' ims-pick --client ACME <<'X'
{"order":"O-9","sku":"B-1","qty":1}
X

check_rc 0 "orders of two clients, by channel" ims-pick --packs <<'X'
{"order":"O-1","sku":"A-1","qty":30,"channel":"AMZ","client":"ACME"}
{"order":"O-1","sku":"KIT-A","qty":1,"channel":"AMZ"}
{"order":"O-2","sku":"B-1","qty":25,"channel":"WEB","client":"BETA"}
X
is "$(jfield packs <"$T/out" | tr '\n' '|')" "2 case + 6 ea|2 ea|1 ea|25 ea|" \
	"--packs: 30 = 2 cases + 6; the kit's 2 A-1 and 1 A-2; 25 B-1 in base units (no packs)"
is "$(ims-report orders --channel AMZ | jfield order | tr '\n' ' ')" "O-1 O-1 " \
	"the orders report by channel"
is "$(ims-report orders --client BETA | jfield sku)" "B-1" "and by client"
ims-log | grep '"kind":"order"' | grep -c '"client":"ACME"' >"$T/n"
is "$(cat "$T/n")" 1 "the line naming its client keeps it in the journal"
check_rc 0 "--list --client ACME" ims-pick --list --client ACME -o csv
is "$(tr -d '\r' <"$T/out" | cut -d, -f1,3,7 | tr '\n' ' ')" \
	"order,sku,qty O-1,A-1,30 O-1,A-1,2 O-1,A-2,1 " "ACME's reservations only"
check_rc 0 "--list --packs --wave" ims-pick --list --packs --wave -o csv
like '^location,sku,lot,serial,qty,packs,pick_seq,orders' "$T/out" "a packs column"
like '^WH1/A/01,A-1,,,32,2 case \+ 8 ea,' "$T/out" "32 A-1 in the wave: 2 cases + 8"
check_rc 2 "--packs with --confirm" ims-pick --packs --confirm </dev/null
rejects "--confirm --client of another client's order" 'no order|is not client' \
	ims-pick --client ACME --confirm <<'X'
{"order":"O-2"}
X
check_rc 0 "--confirm --client of its own" ims-pick -q --client ACME --confirm <<'X'
{"order":"O-1"}
X
is "$(ims-report ledger | grep '"order":"O-1"' | jfield channel | tr '\n' ' ')" "AMZ AMZ AMZ " \
	"its shipments name the channel: sales split by channel"
rejects "--cancel --client of another client's order" 'is not client "ACME".s' \
	ims-pick --client ACME --cancel O-2

# --- --client in the reports ---
is "$(ims-report onhand --client BETA | jfield sku | sort -u)" "B-1" "onhand --client"
is "$(ims-report ledger --client ACME | jfield sku | sort -u | tr '\n' ' ')" "A-1 A-2 F-1 " \
	"ledger --client: ACME's movements only"
is "$(ims-report ledger --client ACME --since 2026-11-27 | jfield type | sort | uniq -c | tr -s ' ' | tr '\n' ' ')" \
	" 4 receive  3 ship " \
	"its receipts (A-1 twice, A-2, F-1) and shipments (30 + 2 A-1, 1 A-2)"

# --- order lines in packs ---
check_rc 0 "an order line in cases" ims-pick -q <<'X'
{"order":"O-5","sku":"A-1","qty":1,"uom":"case","client":"ACME"}
X
is "$(ims-report orders --client ACME | grep '"order":"O-5"' | jfield wanted)" 12 \
	"1 case wanted is 12 ea"
rejects "an order line in an unknown pack" 'stdin:1: unknown pack "crate" of sku "A-1"' \
	ims-pick <<'X'
{"order":"O-6","sku":"A-1","qty":1,"uom":"crate"}
X
check_rc 0 "ims-check" ims-check

echo "1..$_n"
done_testing
