#!/bin/sh
# The sample data set (whose last three item columns, owner, packs and
# order_pack, hold no comma) carries two clients, two channels, barcodes and
# packs; a client's storage over its history, summed another way by hand
# (awk over the ledger), is what ims-report billing says.
. "$(dirname "$0")/lib.sh"

load_sample
ok "the sample data set loads"
is "$(ims-client --list | jfield id | tr '\n' ' ')" "FRESH SAFE " "two clients"
is "$(ims-channel --list | jfield id | tr '\n' ' ')" "MKT WEB " "two channels"
is "$(ims-item --list | grep -c '"owner":"FRESH"')" \
	"$(awk -F, '$(NF - 2) == "FRESH"' "$IMS_TOP/share/items.csv" | wc -l | tr -d ' ')" \
	"FRESH owns what items.csv says"
is "$(ims-item --list | grep -c '"packs":{"case":')" \
	"$(grep -c ',case:[0-9]*,case$' "$IMS_TOP/share/items.csv")" "items in cases"
is "$(ims-item --list | grep -c '"barcode":"[0-9]\{13\}"')" 301 "every item has an EAN-13"
awk -v dir="$IMS_TOP/share" -f "$IMS_TOP/share/check.awk" >check.out 2>&1
ok "check.awk passes the sample"
like '^check.awk: 2 clients owning [0-9]+ items, 2 channels, [0-9]+ items with packs$' \
	check.out "and counts what it carries"

# A bar code scanned, in cases: A-1000 is 5711561010005, in cases of 50.
printf 'barcode,qty,uom,location\n5711561010005,2,case,WH1/A/01/1\n' |
	ims-receive --dry-run >scan.out
is "$(jfield sku <scan.out) $(jfield qty <scan.out)" "A-1000 100" \
	"2 cases of the scanned barcode are 100 A-1000"

# Storage by linearity: each movement's change of a client's internal
# stock, times the seconds from it (or from --since) to the end.
ims-report ledger >ledger.ndjson
for c in FRESH SAFE; do
	awk -F, -v c=$c 'NR > 1 && $(NF - 2) == c { print $1 }' \
	    "$IMS_TOP/share/items.csv" >owned.$c
	want=$(awk -v S=2026-11-01T00:00:00Z -v E=2026-11-16T00:00:00Z '
	function epoch(t,   y, m, d, a) {
		y = substr(t, 1, 4) + 0; m = substr(t, 6, 2) + 0
		d = substr(t, 9, 2) + 0
		a = m <= 2; y -= a; m += a ? 9 : -3
		return ((365 * y + int(y / 4) - int(y / 100) + int(y / 400) + \
		    int((153 * m + 2) / 5) + d) * 86400) + \
		    substr(t, 12, 2) * 3600 + substr(t, 15, 2) * 60 + \
		    substr(t, 18, 2)
	}
	FILENAME ~ /owned/ { own[$1] = 1; next }
	{
		match($0, /"sku":"[^"]*"/); sku = substr($0, RSTART + 7, RLENGTH - 8)
		if (!(sku in own)) next
		match($0, /"ts":"[^"]*"/); t = epoch(substr($0, RSTART + 6, 20))
		match($0, /"qty":[^,]*/); q = substr($0, RSTART + 6, RLENGTH - 6) * 1000
		match($0, /"from":"[^"]*"/); f = substr($0, RSTART + 8, RLENGTH - 9)
		match($0, /"to":"[^"]*"/); to = substr($0, RSTART + 6, RLENGTH - 7)
		d = (f !~ /^@/ ? -q : 0) + (to !~ /^@/ ? q : 0)
		if (t >= e) next
		sum += d * (e - (t > s ? t : s))
	}
	BEGIN { s = epoch(S); e = epoch(E) }
	END { printf "%.3f\n", sum / 86400 / 1000 }' owned.$c ledger.ndjson)
	got=$(ims-report billing --client $c --since 2026-11-01 \
	    --until 2026-11-15 | head -n 1 | jfield quantity)
	is "$(printf '%.3f' "$got")" "$want" "$c: unit-days of the first half of November, two ways"
done

echo "1..$_n"
done_testing
