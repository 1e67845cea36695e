#!/bin/sh
# bench/deps.sh: the tools the benchmarks run beside ims.  Says what to
# install, and stops, when one is missing; installs nothing itself but
# R's forecast package (r-cran-forecast), as root.
# usage: sh bench/deps.sh [profile]   (profile: valgrind too)
pkgs=
need() { # need PACKAGE COMMAND
	command -v "$2" >/dev/null 2>&1 || pkgs="$pkgs $1"
}
need sqlite3 sqlite3
need lmdb-utils mdb_dump
[ "${1:-}" = profile ] && need valgrind valgrind
# R's forecast package, for bench/forecast.sh: installed here when root
if ! Rscript -e 'suppressMessages(library(forecast))' >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		apt-get install -y r-cran-forecast >&2 || pkgs="$pkgs r-cran-forecast"
	else
		pkgs="$pkgs r-cran-forecast"
	fi
fi
[ -z "$pkgs" ] && exit 0
echo "bench: missing tools; install them with:" >&2
echo "  apt-get install -y$pkgs" >&2
exit 1
