#!/bin/sh
# tests/fuzz/run.sh: run the libFuzzer harnesses that make fuzz-build
# made in build-fuzz/.
#
#   run.sh [-t SECONDS | -r RUNS] [-w WORKDIR] HARNESS...
#
# Each harness first replays every input kept in tests/fuzz/regress/
# HARNESS/, then fuzzes for SECONDS (default 60), or for RUNS inputs with
# a fixed seed (the same inputs on every machine: what make check does, so
# that CI never fails on a chance find), from tests/fuzz/corpus/
# HARNESS/, adding what it finds there (git keeps only the seed-* files)
# and putting crashing inputs in build-fuzz/crash/HARNESS/.  With -w,
# as make check does, it starts from the seeds alone, in WORKDIR/corpus/
# HARNESS, with crashes in WORKDIR/crash/HARNESS.  Keep a crashing
# input, once its bug is fixed, as tests/fuzz/regress/HARNESS/NAME.
# Exits 1 when any harness failed.
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=60
runs=
work=
while getopts t:r:w: o; do
	case $o in
	t) secs=$OPTARG ;;
	r) runs=$OPTARG ;;
	w) work=$OPTARG ;;
	*) echo "usage: run.sh [-t SECONDS | -r RUNS] [-w WORKDIR]" \
	       "HARNESS..." >&2
	   exit 2 ;;
	esac
done
shift $((OPTIND - 1))

# replay HARNESS: run every kept crashing input once
replay() {
	set --  "$top/tests/fuzz/regress/$1"/*
	[ -e "$1" ] || return 0
	"$bin" "$@"
}

# fuzz HARNESS: fuzz for $secs seconds
fuzz() {
	corpus=$top/tests/fuzz/corpus/$1 crash=$top/build-fuzz/crash/$1
	if [ -n "$work" ]; then
		crash=$work/crash/$1
		mkdir -p "$work/corpus/$1" || return 1
		cp "$corpus"/seed-* "$work/corpus/$1" || return 1
		corpus=$work/corpus/$1
	fi
	mkdir -p "$corpus" "$crash" || return 1
	dict=$top/tests/fuzz/$1.dict
	[ -f "$dict" ] && set -- "-dict=$dict" || set --
	if [ -n "$runs" ]; then
		set -- "$@" -runs="$runs" -seed=1
	else
		set -- "$@" -max_total_time="$secs"
	fi
	"$bin" "$@" -timeout=20 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$crash/" "$corpus"
}

status=0
for h; do
	bin=$top/build-fuzz/fuzz-$h
	if [ ! -x "$bin" ]; then
		echo "run.sh: $bin: not built (make fuzz-build)" >&2
		status=1
		continue
	fi
	echo "== $h: replaying tests/fuzz/regress/$h" >&2
	if ! replay "$h"; then
		echo "run.sh: $h: a kept input fails again" >&2
		status=1
		continue
	fi
	echo "== $h: fuzzing for $secs seconds" >&2
	if ! fuzz "$h"; then
		echo "run.sh: $h: failed; the input is in $crash/" >&2
		status=1
	fi
done
exit $status
