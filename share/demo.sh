#!/bin/sh
# share/demo.sh: the main job on the sample data.  Loads the master data
# and several months of receipts and moves into a fresh store, then prints
# on-hand by warehouse.  (When ims-reorder lands, the nightly reorder run
# takes the place of the last step.)
set -eu
: "${IMS_BIN:?run through make demo}"
PATH=$IMS_BIN:$PATH
SHARE=$(cd "$(dirname "$0")" && pwd)
IMS_DB=${DEMO_DB:-$(mktemp -d "${TMPDIR:-/tmp}/ims-demo.XXXXXX")/db}
export PATH IMS_DB
echo "demo store: $IMS_DB" >&2

ims-supplier -q "$SHARE/suppliers.csv"
ims-client -q "$SHARE/clients.csv"
ims-channel -q "$SHARE/channels.csv"
ims-item -q "$SHARE/items.csv"
ims-loc -q "$SHARE/locations.csv"
ims-receive -q "$SHARE/receipts.ndjson"
ims-move -q "$SHARE/moves.ndjson"

echo "== movements by type"
ims-report ledger -o csv | awk -F, 'NR > 1 { n[$3]++ }
	END { for (t in n) printf "%-8s %6d\n", t, n[t] }' | sort
echo "== on hand by warehouse (first 20 rows)"
ims-report onhand --group-by location --depth 1 -o table | head -n 21
echo "== lot stock expiring before 2027-03-01"
ims-report onhand -o csv | awk -F, 'NR == 1 || ($5 != "" && $5 < "2027-03-01")' |
	head -n 11
echo "== what client FRESH owes for November up to the 25th"
ims-report billing --client FRESH --since 2026-11-01 --until 2026-11-25 \
	-o table
echo "== the marketplace's stock upload (first 5 rows)"
ims-report available --channel MKT -o csv | head -n 6
echo "== the store checked against its journal"
ims-check
