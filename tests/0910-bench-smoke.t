#!/bin/sh
# The benchmark harness at a tiny scale (300 receipts, one round), with
# no timing target: every row must have a time above zero for ims and
# for its baseline and come out unfailed, and a broken baseline, or a
# timer that says nothing, must fail its rows and the run.  A harness
# that measures nothing and reports every target met (issue 16) cannot
# land again.
. "$(dirname "$0")/lib.sh"
: "${IMS_BENCH_BIN:?run the tests through make check}"
plan 31

# bench NAME [VAR=VALUE...]: run the harness; NAME.out holds the table,
# NAME.err its messages, NAME.ndjson its results
bench() {
	_b=$1
	shift
	env BENCH_SCALE=0.0003 BENCH_ROUNDS=1 BENCH_BIN="$IMS_BENCH_BIN" \
	    BENCH_CACHE="$T/cache" BENCH_RESULTS="$T/$_b.ndjson" "$@" \
	    sh "$IMS_TOP/bench/run.sh" >"$T/$_b.out" 2>"$T/$_b.err"
}

# timed FILE: the results with a time above zero on both sides and no
# reason, one a line: "benchmark / baseline"
timed() {
	awk '{
		a = b = ""
		if (match($0, /"ims_s":[0-9.]+/))
			a = substr($0, RSTART + 8, RLENGTH - 8)
		if (match($0, /"baseline_s":[0-9.]+/))
			b = substr($0, RSTART + 13, RLENGTH - 13)
		if (a + 0 > 0 && b + 0 > 0 && $0 !~ /"reason"/)
			print
	}' "$1" | jfield benchmark
}

# 20 rows: ingest 4, one 1, onhand 2, ledger 3 (the CSV one too), count 1,
# move 1, classes 1, pick 2 (allocating and confirming), valuation 5
# (ims-checkpoint, valuation, aging, --as-of, a sku backdated); and the
# nightly job's, which has no baseline at this scale (R's is not run)
bench all
is "$?" 0 "the whole harness runs at a tiny scale (exit 0)"
is "$(lines "$T/all.ndjson")" 21 "a result for each of the 21 rows"
is "$(timed "$T/all.ndjson" | wc -l | tr -d ' ')" 20 \
    "every row has a time above zero for ims and its baseline"
is "$(grep -c '"reason"' "$T/all.ndjson")" 0 \
    "no row failed (a missed target is no failure, and none is set here)"
is "$(grep -c FAIL "$T/all.out")" 0 "no FAIL in the table"
is "$(grep -Ec ' [0-9]+\.[0-9]{3}s +[0-9]+\.[0-9]{3}s ' "$T/all.out")" 20 \
    "the table has two times on each of its 20 rows"
like '^report ledger 1\.5k csv .* ndjson ' "$T/all.out" \
    "the CSV ledger is measured against the NDJSON one"
like '^pick 30 lines .* pickfloor ' "$T/all.out" \
    "allocating order lines is measured against the pick floor"
like '^pick confirm 30 lines .* pickfloor ' "$T/all.out" \
    "and so is confirming them"
is "$(grep -c 'error' "$T/all.err")" 0 "no errors on standard error"

# the nightly job: at least 1,000 skus, timed, checked, R not run
grep '"benchmark":"nightly 1k skus"' "$T/all.ndjson" >"$T/nightly.ndjson"
like '"ims_s":0\.[0-9]*[1-9].*"met":true' "$T/nightly.ndjson" \
    "the nightly job is timed and under its target"
like '"steps":\{"forecast_s":[0-9.]*,.*"reorder_s":[0-9.]*,.*"list_s"' \
    "$T/nightly.ndjson" "each of its steps is timed"
# its check: as many POs as suppliers with suggestions (1,000 items have
# 4 suppliers, gen --items 1000)
like '"pos":4,' "$T/nightly.ndjson" "one PO drafted for each of the 4 suppliers"
like '^nightly 1k skus +[0-9]+\.[0-9]{3}s +- R-ets .* 60s yes' "$T/all.out" \
    "its row of the table"
like 'R ets\(\): not run at this scale' "$T/all.out" "R is not needed here"
like 'round 1: [1-9][0-9]* skus to order from 4 suppliers; the job drafted 4 POs' \
    "$T/all.err" "the job drafts as many POs as suppliers with suggestions"
like 'the same ref again 0 \(listed 4\)' \
    "$T/all.err" "a second run with the same ref drafts nothing"

# a nightly job that does nothing drafts no PO: its check fails the row
bench nonightly BENCH_ONLY=nightly BENCH_BREAK=ims
is "$?" 1 "a nightly job doing nothing fails the run (exit 1)"
like '"met":false,"reason":"0 POs drafted \(0 listed\) for 4 suppliers' \
    "$T/nonightly.ndjson" "its result says why"

# a baseline that does nothing
bench broken BENCH_ONLY=ingest BENCH_BREAK=sqlite3
is "$?" 1 "a broken baseline fails the run (exit 1)"
is "$(grep -c '^ingest 300 [a-z]* *- *- sqlite3 .* FAIL ' "$T/broken.out")" \
    2 "both of its rows say FAIL"
like '^ingest 300 ndjson .*s floor ' "$T/broken.out" \
    "the rows of the other baseline are still measured"
is "$(grep -c '"baseline":"sqlite3".*"met":false,"reason":"sqlite3: work not done' \
    "$T/broken.ndjson")" 2 "its results say met false and why"
is "$(timed "$T/broken.ndjson" | wc -l | tr -d ' ')" 2 \
    "the two floor rows are timed"
like 'benchmarks failed' "$T/broken.err" "the run says it failed"

# ims that posts nothing is not ims beating its baseline
bench noims BENCH_ONLY=move BENCH_BREAK=ims
is "$?" 1 "ims doing nothing fails the run (exit 1)"
like '"reason":"ims: work not done: expected 300 new entries in journal, found 0"' \
    "$T/noims.ndjson" "the journal is counted"

# a timer that prints no time: the rows fail, they do not pass with 0
mkdir "$T/notime"
for t in gen floor oneput scan; do
	ln -s "$IMS_BENCH_BIN/$t" "$T/notime/$t"
done
printf '#!/bin/sh\n"$@"\n' >"$T/notime/timeit"
chmod +x "$T/notime/timeit"
bench notime BENCH_ONLY=report BENCH_BIN="$T/notime"
is "$?" 1 "no time fails the run (exit 1)"
is "$(grep -c '"met":false,"reason":"[a-z_]*: no time from timeit"' \
    "$T/notime.ndjson")" 5 "every report row says it has no time"
is "$(grep -c '"met":true' "$T/notime.ndjson")" 0 "and none is met"
is "$(grep -c FAIL "$T/notime.out")" 5 "the table says FAIL five times"

done_testing
