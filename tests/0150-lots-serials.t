#!/bin/sh
# Lots and serials: what each kind of tracking requires, expiry kept per
# lot, a serial in stock in one place at most.
. "$(dirname "$0")/lib.sh"
plan 93
setup_master

# --- lots ---
cat >lots.ndjson <<'X'
{"sku":"L-200","qty":10,"location":"WH1/A/01","lot":"L1","ts":"2026-11-01T15:00:00Z"}
{"sku":"L-200","qty":5,"location":"WH1/A/02","lot":"L2","expiry":"2026-12-24"}
{"sku":"L-200","qty":4,"location":"WH1/B/01","lot":"L1"}
X
check_rc 0 "lot receipts" ims-receive lots.ndjson
is "$(jfield expiry <"$T/out" | tr '\n' ' ')" "2026-11-11 2026-12-24 2026-11-11 " \
	"expiry: the receipt's date plus the shelf life, or given; a lot keeps its first"
printf '{"sku":"L-200","qty":1,"location":"WH1/A/01","lot":"L1","expiry":"2026-11-11"}\n' \
	>same.ndjson
check_rc 0 "the lot's own expiry again" ims-receive -n same.ndjson
printf '{"sku":"L-200","qty":1,"location":"WH1/A/01","lot":"L1","expiry":"2027-01-01"}\n' \
	>bad.ndjson
rejects "another expiry for a known lot" \
	'^ims-receive: stdin:1: lot "L1" of "L-200" expires 2026-11-11, not 2027-01-01$' \
	ims-receive <bad.ndjson
printf '{"sku":"L-200","qty":1,"location":"WH1/A/01"}\n' >bad.ndjson
rejects "a lot item without lot" \
	'stdin:1: item "L-200" is lot-tracked: lot required' ims-receive <bad.ndjson
printf '{"sku":"L-200","qty":1,"location":"WH1/A/01","lot":""}\n' >bad.ndjson
rejects "a lot item with an empty lot" \
	'stdin:1: item "L-200" is lot-tracked: lot required' ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01","lot":"X1"}\n' >bad.ndjson
rejects "a non-lot item with a lot" \
	'stdin:1: item "A-100" is not lot-tracked: no lot expected' \
	ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01","expiry":"2027-01-01"}\n' \
	>bad.ndjson
rejects "expiry on a non-lot item" \
	'stdin:1: expiry is kept per lot, and item "A-100" is not lot-tracked' \
	ims-receive <bad.ndjson
printf '{"sku":"L-200","qty":1,"location":"WH1/A/01","lot":"L9","expiry":"soon"}\n' \
	>bad.ndjson
rejects "a malformed expiry" 'stdin:1: expiry "soon": not a date' \
	ims-receive <bad.ndjson
printf '{"sku":"L-200","qty":1,"location":"WH1/A/01","lot":"L\\u0001"}\n' \
	>bad.ndjson
rejects "a control character in a lot" 'stdin:1: lot "L\\x01" has a control character' \
	ims-receive <bad.ndjson
awk 'BEGIN { s = "L"; while (length(s) < 129) s = s "x";
	printf "{\"sku\":\"L-200\",\"qty\":1,\"location\":\"WH1/A/01\",\"lot\":\"%s\"}\n", s }' \
	>bad.ndjson
rejects "a lot of 129 bytes" 'stdin:1: lot is longer than 128 bytes' \
	ims-receive <bad.ndjson

printf '{"sku":"L-200","qty":3,"from":"WH1/A/01","to":"WH1/A/02","lot":"L1"}\n' \
	>mv.ndjson
check_rc 0 "a lot moves" ims-move mv.ndjson
printf '{"sku":"L-200","qty":3,"from":"WH1/A/01","to":"WH1/A/02"}\n' >bad.ndjson
rejects "a lot item moved without its lot" \
	'stdin:1: item "L-200" is lot-tracked: lot required' ims-move <bad.ndjson
printf '{"sku":"L-200","qty":6,"from":"WH1/A/02","to":"@customer","lot":"L1"}\n' \
	>bad.ndjson
rejects "more of a lot than the bin holds of it" \
	'stdin:1: not enough stock of "L-200" lot "L1" at "WH1/A/02": 6 wanted, 3 available' \
	ims-move <bad.ndjson
printf '{"sku":"L-200","qty":1,"from":"WH1/A/02","to":"@customer","lot":"L7"}\n' \
	>bad.ndjson
rejects "a lot that is not there" \
	'stdin:1: not enough stock of "L-200" lot "L7" at "WH1/A/02": 1 wanted, 0 available' \
	ims-move <bad.ndjson
ims-report onhand --sku L-200 >oh.out
is "$(onhand_balances <oh.out | tr '\n' ';')" \
	"L-200 WH1/A/01 L1 7.000;L-200 WH1/A/02 L1 3.000;L-200 WH1/A/02 L2 5.000;L-200 WH1/B/01 L1 4.000;" \
	"a balance per sku, location and lot"
like '^\{"sku":"L-200","location":"WH1/A/02","lot":"L1","expiry":"2026-11-11","on_hand":3,"allocated":0,"available":3\}$' \
	oh.out "a lot row carries its expiry"

# --- serials ---
cat >sn.ndjson <<'X'
{"sku":"S-300","qty":1,"location":"WH1/A/01","serial":"SN-1"}
{"sku":"S-300","qty":1,"location":"WH1/A/01","serial":"SN-2"}
X
check_rc 0 "serial receipts" ims-receive sn.ndjson
printf '{"sku":"S-300","qty":1,"location":"WH1/A/02","serial":"SN-3"}\n{"sku":"S-300","qty":1,"location":"WH1/B/01","serial":"SN-3"}\n' \
	>bad.ndjson
rejects "a serial received twice in one batch" \
	'^ims-receive: stdin:2: serial "SN-3" of "S-300" is already in stock at "WH1/A/02"$' \
	ims-receive <bad.ndjson
printf '{"sku":"S-300","qty":1,"location":"WH1/B/01","serial":"SN-1"}\n' >bad.ndjson
rejects "a serial received again in another batch" \
	'stdin:1: serial "SN-1" of "S-300" is already in stock at "WH1/A/01"' \
	ims-receive <bad.ndjson
printf '{"sku":"S-300","qty":2,"location":"WH1/A/01","serial":"SN-4"}\n' >bad.ndjson
rejects "a serial item with qty 2" \
	'stdin:1: item "S-300" is serial-tracked: qty must be 1' ims-receive <bad.ndjson
printf '{"sku":"S-300","qty":0.5,"location":"WH1/A/01","serial":"SN-4"}\n' >bad.ndjson
rejects "a serial item with qty 0.5" \
	'stdin:1: item "S-300" is serial-tracked: qty must be 1' ims-receive <bad.ndjson
printf '{"sku":"S-300","qty":1,"location":"WH1/A/01"}\n' >bad.ndjson
rejects "a serial item without serial" \
	'stdin:1: item "S-300" is serial-tracked: serial required' ims-receive <bad.ndjson
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01","serial":"X"}\n' >bad.ndjson
rejects "a serial on an untracked item" \
	'stdin:1: item "A-100" is not serial-tracked: no serial expected' \
	ims-receive <bad.ndjson
printf '{"sku":"S-300","qty":1,"location":"WH1/A/01","serial":"SN-5","lot":"L1"}\n' \
	>bad.ndjson
rejects "a lot on a serial item" 'stdin:1: item "S-300" is not lot-tracked' \
	ims-receive <bad.ndjson

printf '{"sku":"S-300","qty":1,"from":"WH1/A/01","to":"WH1/B/01","serial":"SN-1"}\n' \
	>mv.ndjson
check_rc 0 "a serial moves" ims-move mv.ndjson
printf '{"sku":"S-300","qty":1,"from":"WH1/A/01","to":"@customer","serial":"SN-1"}\n' \
	>bad.ndjson
rejects "from where it no longer is" \
	'stdin:1: not enough stock of "S-300" serial "SN-1" at "WH1/A/01": 1 wanted, 0 available' \
	ims-move <bad.ndjson
printf '{"sku":"S-300","qty":1,"location":"WH1/A/02","serial":"SN-1"}\n' >bad.ndjson
rejects "received while in stock elsewhere" \
	'stdin:1: serial "SN-1" of "S-300" is already in stock at "WH1/B/01"' \
	ims-receive <bad.ndjson
printf '{"sku":"S-300","qty":1,"from":"WH1/B/01","to":"@customer","serial":"SN-1"}\n' \
	>ship.ndjson
check_rc 0 "shipped" ims-move ship.ndjson
printf '{"sku":"S-300","qty":1,"location":"WH1/A/02","serial":"SN-1"}\n' >ret.ndjson
check_rc 0 "and received again (a return)" ims-receive ret.ndjson
ims-report onhand --sku S-300 >oh.out
is "$(onhand_balances <oh.out | tr '\n' ';')" \
	"S-300 WH1/A/01 SN-2 1.000;S-300 WH1/A/02 SN-1 1.000;" \
	"one row per serial"
like '^\{"sku":"S-300","location":"WH1/A/02","serial":"SN-1","on_hand":1,' oh.out \
	"a serial row names the serial"
is "$(ims-report onhand --group-by sku --sku S-300 | jfield on_hand)" 2 \
	"two scanners in all"
done_testing
