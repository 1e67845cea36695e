#!/bin/sh
# nightly.sh: the nightly job for one store (IMS_DB, or --db DIR given
# first): forecasts saved, lapsed holds released, the reorder run with
# purchase orders drafted under the day's ref, the cost checkpoints
# written afresh for the day's reports, and the POs it drafted printed: a table on a terminal, NDJSON otherwise.  A step that fails
# stops the job with its name and a non-zero exit, so that cron mails it.
#
#   15 2 * * *  IMS_DB=/srv/ims/db /usr/local/share/ims/nightly.sh
#
# IMS_NIGHTLY_REF names the run (default nightly-YYYY-MM-DD): run again
# the same day, it drafts nothing twice.  IMS_NIGHTLY_DEMAND, when set, is
# ims-forecast's --demand (orders or shipments).  IMS_NIGHTLY_ARGS are
# more options for ims-reorder (--service-level 0.98, --review-period 7).
# IMS_NIGHTLY_OUTPUT (table, csv or ndjson) says how to print the POs.
set -u
case ${1:-} in
--db) IMS_DB=$2; export IMS_DB; shift 2 ;;
--db=*) IMS_DB=${1#--db=}; export IMS_DB; shift ;;
esac
if [ $# -gt 0 ]; then
	echo "usage: nightly.sh [--db DIR]" >&2
	exit 2
fi
prog=nightly.sh
ref=${IMS_NIGHTLY_REF:-nightly-$(date -u +%Y-%m-%d)}

step() { # step NAME CMD...: run CMD, or stop the job saying which step
	name=$1
	shift
	"$@" || {
		rc=$?
		echo "$prog: $name failed (exit $rc)" >&2
		exit "$rc"
	}
}

step forecast ims-forecast --save --summary \
    ${IMS_NIGHTLY_DEMAND:+--demand="$IMS_NIGHTLY_DEMAND"} -o csv >/dev/null
step expire ims-pick --expire -q
# shellcheck disable=SC2086
step reorder ims-reorder --create-po --ref "$ref" -q ${IMS_NIGHTLY_ARGS:-}
step checkpoint ims-checkpoint -q >/dev/null
out=${IMS_NIGHTLY_OUTPUT:-}
if [ -z "$out" ] && [ -t 1 ]; then
	out=table
fi
step list ims-po --list --ref "$ref" -o "${out:-ndjson}"
