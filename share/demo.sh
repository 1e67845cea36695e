#!/bin/sh
# share/demo.sh: the main job on the sample data.  Loads the master data,
# the purchase orders and a year of receipts and moves into a
# fresh store, allocates today's open orders, prints stock, and runs the
# nightly job (share/nightly.sh): forecasts, the reorder run's
# suggestions, and the purchase orders it drafts.  The clock is the
# morning after the sample's last day, so that the run is the same
# whenever it is made.
set -eu
: "${IMS_BIN:?run through make demo}"
PATH=$IMS_BIN:$PATH
SHARE=$(cd "$(dirname "$0")" && pwd)
IMS_DB=${DEMO_DB:-$(mktemp -d "${TMPDIR:-/tmp}/ims-demo.XXXXXX")/db}
IMS_NOW=${IMS_NOW:-2026-11-26T06:00:00Z}
export PATH IMS_DB IMS_NOW
echo "demo store: $IMS_DB" >&2

ims-supplier -q "$SHARE/suppliers.csv"
ims-client -q "$SHARE/clients.csv"
ims-channel -q "$SHARE/channels.csv"
ims-item -q "$SHARE/items.csv"
ims-loc -q "$SHARE/locations.csv"
ims-po -q "$SHARE/pos.ndjson"
ims-receive -q "$SHARE/receipts.ndjson"
ims-move -q "$SHARE/moves.ndjson"
echo "== today's open orders allocated (a short line is a backorder)"
ims-pick -o table "$SHARE/orders.csv" || [ $? -eq 1 ]

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
echo "== what to reorder, and why (first 15 rows)"
# the sample's demand history is its shipments: its orders are today's
IMS_NIGHTLY_DEMAND=shipments
export IMS_NIGHTLY_DEMAND
ims-forecast --save --summary --demand=shipments -o csv >/dev/null
ims-reorder -o csv | awk -F, '{ printf "%-8s %-8s %10s %10s %8s %-20s %10s %10s %8s\n",
	$1, $2, $10, $11, $14, $17, $18, $19, $22 }' | head -n 16
echo "== the nightly job: the purchase orders it drafted"
IMS_NIGHTLY_REF=nightly-demo IMS_NIGHTLY_OUTPUT=table sh "$SHARE/nightly.sh"
echo "== the store checked against its journal"
ims-check
