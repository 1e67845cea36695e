#!/bin/sh
# bench/expect.sh: was the work of a benchmark done?  bench/run.sh runs a
# check like these after each round, untimed; one that fails makes the
# round, and every row of its side, failed.  Says what it found on
# standard error and exits 1 when it is not what was expected.
#
# usage: sh expect.sh count DIR TABLE       the entries of a store's table
#        sh expect.sh grew DIR TABLE FROM N  TABLE of DIR holds FROM + N
#        sh expect.sh rows DB TABLE N        an SQLite table holds N rows
#        sh expect.sh lines N [least]        stdin holds N lines (or more)
#        sh expect.sh dump N                 stdin, `mdb_dump -p`, holds
#                                            N entries
set -eu

die() {
	printf '%s\n' "$*" >&2
	exit 1
}

# count DIR TABLE: the entries of TABLE (0 when the store has none)
count() {
	[ -f "$1/data.mdb" ] || { echo 0; return; }
	mdb_stat -s "$2" "$1" 2>/dev/null |
	    awk '$1 == "Entries:" { n = $2 } END { print n + 0 }'
}

# got WHAT N M: N was wanted, M found
got() {
	[ "$2" = "$3" ] || die "expected $2 $1, found $3"
}

case ${1:-} in
count)
	[ $# -eq 3 ] || die "usage: expect.sh count DIR TABLE"
	count "$2" "$3"
	;;
grew)
	[ $# -eq 5 ] || die "usage: expect.sh grew DIR TABLE FROM N"
	got "new entries in $3" "$5" $(($(count "$2" "$3") - $4))
	;;
rows)
	[ $# -eq 4 ] || die "usage: expect.sh rows DB TABLE N"
	[ -f "$2" ] || die "no database $2"
	got "rows in $3" "$4" "$(sqlite3 "$2" "SELECT count(*) FROM $3" ||
	    echo none)"
	;;
lines)
	[ $# -ge 2 ] || die "usage: expect.sh lines N [least]"
	n=$(wc -l | tr -d ' ')
	if [ "${3:-}" = least ]; then
		[ "$n" -ge "$2" ] || die "expected at least $2 lines, found $n"
	else
		got lines "$2" "$n"
	fi
	;;
dump)
	[ $# -eq 2 ] || die "usage: expect.sh dump N"
	# after HEADER=END, a key line and a value line per entry, each
	# starting with a space, until DATA=END
	got entries "$2" "$(awk '/^HEADER=END$/ { on = 1; next }
		/^DATA=END$/ { on = 0 }
		on && /^ / { n++ }
		END { print int(n / 2) }')"
	;;
*)
	die "usage: expect.sh count|grew|rows|lines|dump ..."
	;;
esac
