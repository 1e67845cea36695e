#!/bin/sh
# The libFuzzer harnesses of tests/fuzz/: build them (clang, apart in
# build-fuzz/), replay every crashing input kept in tests/fuzz/regress/,
# and fuzz each from its seeds for a fixed number of inputs with a fixed
# seed, so that the run is the same on every machine (make fuzz explores
# at random, for longer).  Without clang and libFuzzer this fails:
# mk/deps.sh installs both.  IMS_FUZZ=0 skips it; IMS_FUZZ_RUNS is the
# number of inputs per harness (default 3000).
. "$(dirname "$0")/lib.sh"
if [ "${IMS_FUZZ:-1}" = 0 ]; then
	echo "1..0 # SKIP IMS_FUZZ=0"
	exit 0
fi
F=$IMS_TOP/tests/fuzz
H=$(cd "$F/corpus" && ls)
runs=${IMS_FUZZ_RUNS:-3000}
set -- $H
plan $((1 + 2 * $#))

# diag FILE: its lines that say what went wrong, as TAP comments
diag() {
	grep -E 'error|property broken|ERROR|SUMMARY|runtime error|run.sh:' \
	    "$1" | head -20 | sed 's/^/# /'
}

# replay HARNESS: every kept crashing input, once
replay() {
	set -- "$F/regress/$1"/*
	[ -f "$1" ] || return 0
	"$bin" "$@" >"$T/replay" 2>&1 || { diag "$T/replay"; return 1; }
}

# make's own variables are not for this make: a jobserver it cannot
# reach, or SAN=1, which the fuzz build does not use
env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -C "$IMS_TOP" -j2 \
	--no-print-directory fuzz-build >"$T/build" 2>&1 ||
	{ diag "$T/build"; false; }
ok "harnesses build with clang and libFuzzer (mk/deps.sh installs them)"

for h in $H; do
	bin=$IMS_TOP/build-fuzz/fuzz-$h
	n=$(ls "$F/regress/$h" 2>/dev/null | wc -l | tr -d ' ')
	[ -x "$bin" ] && replay "$h"
	ok "$h: its $n kept crashing inputs pass"
	sh "$F/run.sh" -r "$runs" -w "$T/w" "$h" >"$T/fuzz" 2>&1 || {
		diag "$T/fuzz"
		for c in "$T/w/crash/$h"/*; do
			[ -f "$c" ] && echo "# $(basename "$c"), base64:" &&
			    base64 "$c" | head -20 | sed 's/^/#   /'
		done
		false
	}
	ok "$h: $runs fuzzed inputs (seed 1) without a failure"
done
done_testing
