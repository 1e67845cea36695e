#!/bin/sh
# bench/deps.sh: the tools the benchmarks run beside ims.  Says what to
# install, and stops, when one is missing; installs nothing itself.
# usage: sh bench/deps.sh [profile]   (profile: valgrind too)
pkgs=
need() { # need PACKAGE COMMAND
	command -v "$2" >/dev/null 2>&1 || pkgs="$pkgs $1"
}
need sqlite3 sqlite3
need lmdb-utils mdb_dump
[ "${1:-}" = profile ] && need valgrind valgrind
[ -z "$pkgs" ] && exit 0
echo "bench: missing tools; install them with:" >&2
echo "  apt-get install -y$pkgs" >&2
exit 1
