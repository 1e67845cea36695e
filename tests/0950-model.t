#!/bin/sh
# The whole toolkit against the reference model (tests/model/model.c): a
# random sequence of receipts, moves, allocations (partial, all or
# nothing, by strategy and priority, kits), retries, confirms (short
# picks released), cancels, holds, counts, item and location changes,
# replayed refs, cost checkpoints written, bad records and faults (a
# batch killed, an export restored into a fresh store, two allocations
# at once), run through the real commands and compared with the model
# after every step, what each command echoed included (and the valuation
# from the checkpoints with the full replay's); then every kept case
# under tests/model/cases/ replayed.
#
# MODEL_OPS and MODEL_SEED choose the run (make torture: a long one),
# MODEL_JOBS how many workers share it.  A failure is shrunk and kept as
# tests/model/cases/seed-SEED.case.  The stores go in memory where there
# is a /dev/shm: a run commits thousands of times.
. "$(dirname "$0")/lib.sh"
: "${IMS_MODEL:?run the tests through make check}"
SEED=${MODEL_SEED:-952}
OPS=${MODEL_OPS:-1000}
[ -n "${IMS_VALGRIND:-}" ] && [ "$IMS_VALGRIND" = 1 ] && OPS=${MODEL_OPS:-20}
CASES=$IMS_TOP/tests/model/cases
[ -d /dev/shm ] && [ -w /dev/shm ] && TMPDIR=/dev/shm && export TMPDIR
# the full disk is tests/enospc.c preloaded: under the sanitizers, before
# their runtime
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
export ASAN_OPTIONS

"$IMS_MODEL" run "$SEED" "$OPS" "$CASES/seed-$SEED.case" >out 2>err
ok "seed $SEED: $OPS operations, ims and the model agree"
sed 's/^/# /' out err

for c in "$CASES"/*.case; do
	[ -f "$c" ] || continue
	"$IMS_MODEL" replay "$c" >out 2>err
	ok "case $(basename "$c") replays"
	grep -v agree err | sed 's/^/# /'
done

echo "1..$_n"
[ "$_fail" -eq 0 ]
