#!/bin/sh
# Install the Debian packages ims needs to build and test, when run as
# root; otherwise name the exact command and stop.
pkgs=
need() { # need PACKAGE TEST...
	p=$1; shift
	"$@" >/dev/null 2>&1 || pkgs="$pkgs $p"
}
need gcc command -v cc
need make command -v make
need pkg-config command -v pkg-config
need liblmdb-dev test -f /usr/include/lmdb.h
need libcjson-dev test -f /usr/include/cjson/cJSON.h
need libcsv-dev test -f /usr/include/csv.h
need nettle-dev test -f /usr/include/nettle/sha2.h
need perl command -v prove
need mandoc command -v mandoc
need lmdb-utils command -v mdb_stat
# the benchmark's smoke run (tests/0910-bench-smoke.t): its baselines
need sqlite3 command -v sqlite3
# the charts' test (tests/0760-charts.t): well-formed SVG and HTML
need libxml2-utils command -v xmllint
# tests/fuzz/: clang, and libFuzzer with the sanitizer runtimes, which
# clang only recommends
need clang command -v clang
need libclang-rt-14-dev sh -c \
    'ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a'
[ "${VALGRIND:-}" = 1 ] && need valgrind command -v valgrind
[ -z "$pkgs" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "ims: missing packages; run as root:" >&2
	echo "  apt-get install -y$pkgs" >&2
	exit 1
fi
echo "ims: installing$pkgs" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 &&
apt-get install -y -qq --no-install-recommends $pkgs >&2
