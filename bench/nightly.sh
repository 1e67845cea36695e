#!/bin/sh
# bench/nightly.sh: the nightly job (share/nightly.sh) timed on a store
# of many skus, step by step too, beside R's ets() on the same series.
# Run by bench/run.sh (BENCH_ONLY=nightly), which builds and caches the
# store; prints a line of its table and the figures behind it, and
# appends its result to $RESULTS.
#
# usage: sh nightly.sh STORE DATA SKUS
#   STORE  the store (copied for each run, never written)
#   DATA   gen's data set it was made from (moves.ndjson: the shipments
#          R's series are made of)
#   SKUS   the items in it (for the name of the row)
#
# Each round, on a fresh copy of STORE: the job's steps one by one, each
# timed (forecast, expire, reorder, list), and between expire and reorder,
# untimed, ims-reorder without --create-po says how many suppliers have
# suggestions; then, on another fresh copy, the whole job, timed (wall
# and CPU), and checked: ims-check finds 0 differences, the job drafted
# one PO per supplier with suggestions, and a second run under the same
# IMS_NIGHTLY_REF drafts none.  Medians over the rounds count.  Target:
# the whole job in under 60 s.  BENCH_BREAK=ims: the job does nothing
# (its check must fail the row).
#
# R: forecast(ets()) on BENCH_NIGHTLY_R (2,500) of the series ims-forecast
# forecasts (weekly shipments, frequency 52), timed, and scaled to all of
# them: an estimate, and the output says so.  Not at a tiny scale (under
# 0.01), where R is not needed.
set -eu
: "${IMS_BIN:?run through bench/run.sh}"
[ $# -eq 3 ] || { echo "usage: nightly.sh STORE DATA SKUS" >&2; exit 2; }
STORE=$1 DATA=$2 SKUS=$3
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BENCH_BIN:-$TOP/bench/out}
SCALE=${BENCH_SCALE:-1}
ROUNDS=${BENCH_ROUNDS:-3}
RESULTS=${RESULTS:-$TOP/bench/out/results.ndjson}
RN=${BENCH_NIGHTLY_R:-2500}
PATH=$IMS_BIN:$BIN:$PATH
export PATH
unset IMS_DB IMS_NIGHTLY_DEMAND IMS_NIGHTLY_ARGS IMS_NIGHTLY_OUTPUT
# the data end on 2026-01-01: the job runs that morning
IMS_NOW=2026-01-01T06:00:00Z
IMS_NIGHTLY_REF=nightly-bench
IMS_ACTOR=bench
export IMS_NOW IMS_NIGHTLY_REF IMS_ACTOR
W=$(mktemp -d "${TMPDIR:-/tmp}/ims-nightly.XXXXXX")
trap 'rm -rf "$W"' EXIT
NAME="nightly $(awk -v n="$SKUS" 'BEGIN {
	if (n >= 1000 && n % 100 == 0) print n / 1000 "k"; else print n }') skus"

say() { printf 'bench: %s\n' "$*" >&2; }

# fail WHY: the row fails; its line of the table and its result say why
fail() {
	why=$(printf '%s' "$*" | tr -d '"\\' | tr '\t\r\n' '   ' | cut -c1-200)
	say "nightly failed: $why"
	printf '%-30s %10s %10s %-8s %6s %6s %-4s  %s\n' "$NAME" - - R-ets - \
	    60s FAIL "$why"
	printf '{"benchmark":"%s","baseline":"R ets() estimate",' "$NAME" \
	    >>"$RESULTS"
	printf '"target_s":60,"met":false,"reason":"%s","rounds":%d,' \
	    "$why" "$ROUNDS" >>"$RESULTS"
	printf '"scale":%s,"date":"%s"}\n' "$SCALE" \
	    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$RESULTS"
	exit 1
}

# timed FILE CMD...: run CMD under timeit (its output to $W/out), add
# "wall kib cpu" to FILE; false when CMD fails or gives no time
timed() {
	_f=$1
	shift
	timeit "$@" >"$W/out" 2>"$W/log" || return 1
	tail -n 1 "$W/log" | awk '$1 == "timeit" && NF == 4 && $2 > 0 {
		print $2, $3, $4; ok = 1 } END { exit !ok }' >>"$_f"
}

last() { grep -v '^timeit ' "$W/log" | tail -n 3 | tr '\n' ' '; }

fresh() { rm -rf "$W/s"; cp -R "$STORE" "$W/s"; IMS_DB=$W/s; export IMS_DB; }

# pos: the POs in the store (all of them)
pos() { ims-po --list -o csv | awk 'END { print NR - 1 }'; }

# step NAME: the step's command, as share/nightly.sh runs it
step() {
	case $1 in
	forecast) echo ims-forecast --save --summary -o csv ;;
	expire) echo ims-pick --expire -q ;;
	reorder) echo ims-reorder --create-po --ref "$IMS_NIGHTLY_REF" -q ;;
	list) echo ims-po --list --ref "$IMS_NIGHTLY_REF" -o ndjson ;;
	esac
}

# median FIELD FILE: of a column of times
median() {
	awk -v f="$1" '{ print $f }' "$2" | sort -n |
	    awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

STEPS="forecast expire reorder list"
JOB="sh $TOP/share/nightly.sh"
if [ "${BENCH_BREAK:-}" = ims ]; then
	say "BENCH_BREAK: the nightly job does nothing"
	JOB=true
fi
: >"$W/job"
for s in $STEPS; do : >"$W/$s"; done
r=0
while [ "$r" -lt "$ROUNDS" ]; do
	r=$((r + 1))
	fresh
	for s in $STEPS; do
		if [ "$s" = reorder ]; then
			ims-reorder -o csv >"$W/suggest" 2>"$W/log" ||
			    fail "ims-reorder (no --create-po) failed: $(last)"
			sup=$(awk -F, 'NR > 1 && $4 == "true" { s[$2] = 1 }
			    END { for (k in s) n++; print n + 0 }' "$W/suggest")
			sku=$(awk -F, 'NR > 1 && $4 == "true" { n++ }
			    END { print n + 0 }' "$W/suggest")
		fi
		# shellcheck disable=SC2046
		timed "$W/$s" $(step "$s") || fail "step $s failed: $(last)"
		if [ "$s" = forecast ]; then
			cp "$W/out" "$W/forecast.csv"
		fi
	done
	fresh
	before=$(pos)
	# shellcheck disable=SC2086
	timed "$W/job" $JOB ||
	    fail "share/nightly.sh failed: $(last)"
	listed=$(wc -l <"$W/out" | tr -d ' ')
	ims-check -q >"$W/log" 2>&1 || fail "ims-check: $(last)"
	got=$(($(pos) - before))
	sh "$TOP/share/nightly.sh" >"$W/out" 2>"$W/log" ||
	    fail "the second run failed: $(last)"
	again=$(($(pos) - before - got))
	relisted=$(wc -l <"$W/out" | tr -d ' ')
	say "round $r: $sku skus to order from $sup suppliers; the job" \
	    "drafted $got POs (listed $listed), the same ref again $again" \
	    "(listed $relisted)"
	[ "$sup" -gt 0 ] || fail "no sku to order: nothing measured"
	if [ "$got" -ne "$sup" ] || [ "$listed" -ne "$sup" ]; then
		fail "$got POs drafted ($listed listed) for $sup suppliers" \
		    "with suggestions"
	fi
	if [ "$again" -ne 0 ] || [ "$relisted" -ne "$sup" ]; then
		fail "a second run with the same ref drafted $again POs" \
		    "(listed $relisted)"
	fi
	ims-check -q >"$W/log" 2>&1 || fail "ims-check after the second run: $(last)"
done
NF=$(awk 'END { print NR - 1 }' "$W/forecast.csv")

# --- R's ets() on a sample of the same series -----------------------------
# each sku's weekly shipments (weeks from Monday 1970-01-05, as ims counts
# them) from its first week with a shipment to the last week of the data
RT='' RGOT=0
if awk -v s="$SCALE" 'BEGIN { exit !(s + 0 >= 0.01) }'; then
	if ! Rscript -e 'suppressMessages(library(forecast))' >/dev/null 2>&1
	then
		fail "R's forecast package is missing: sh bench/deps.sh forecast"
	fi
	awk -F, -v n="$RN" 'NR > 1 && NR <= n + 1 { print $1 }' \
	    "$W/forecast.csv" >"$W/rskus"
	awk -v out="$W/series.csv" '
	function days(y, m, d) {	# days since 1970-01-01
		if (m <= 2) { y--; m += 12 }
		return 365 * y + int(y / 4) - int(y / 100) + int(y / 400) + \
		    int((153 * (m - 3) + 2) / 5) + d - 719469
	}
	FILENAME == ARGV[1] { want[$1] = 1; next }
	/"to":"@customer"/ {
		match($0, /"sku":"[^"]*"/)
		k = substr($0, RSTART + 7, RLENGTH - 8)
		if (!(k in want))
			next
		match($0, /"qty":[0-9.]*/)
		q = substr($0, RSTART + 6, RLENGTH - 6) + 0
		match($0, /"ts":"[0-9-]*/)
		t = substr($0, RSTART + 6, 10)
		w = int((days(substr(t, 1, 4) + 0, substr(t, 6, 2) + 0,
		    substr(t, 9, 2) + 0) - 4) / 7)
		y[k, w] += q
		if (!(k in first) || w < first[k]) first[k] = w
		if (w > lastw) lastw = w
	}
	END {
		print "sku,period,qty" >out
		for (k in first)
			for (w = first[k]; w <= lastw; w++)
				printf "%s,%06d,%s\n", k, w, (k, w) in y ? y[k, w] : 0 >out
	}' "$W/rskus" "$DATA/moves.ndjson"
	say "R's ets() on $(wc -l <"$W/rskus" | tr -d ' ') of the $NF series"
	# ets() warns on many of these short, sparse series: kept apart
	# shellcheck disable=SC2046
	set -- $(Rscript "$TOP/bench/forecast_time.R" "$W/series.csv" 52 \
	    "$RN" 2>"$W/log")
	RT=${1:-} RGOT=${2:-0}
	[ "$RGOT" -gt 0 ] || fail "R timed no series: $(last)"
	say "R: $(grep -c . "$W/log" || :) lines of warnings," \
	    "$(awk -F, 'NR > 1 { n++ } END { print n / '"$RGOT"' }' \
	    "$W/series.csv") weeks a series on average"
fi

# --- the row ------------------------------------------------------------
set --
for s in $STEPS; do
	set -- "$@" "$(median 1 "$W/$s")" "$(median 3 "$W/$s")"
done
awk -v name="$NAME" -v wall="$(median 1 "$W/job")" \
    -v cpu="$(median 3 "$W/job")" -v rss="$(awk '$2 > m { m = $2 }
	END { print m + 0 }' "$W/job")" -v all="$(awk '{ printf "%s%s",
	(NR > 1 ? "," : ""), $1 }' "$W/job")" \
    -v fw="$1" -v fc="$2" -v ew="$3" -v ec="$4" -v rw="$5" -v rc="$6" \
    -v lw="$7" -v lc="$8" -v skus="$SKUS" -v nf="$NF" -v sup="$sup" \
    -v sku="$sku" -v rt="$RT" -v rn="$RGOT" -v rounds="$ROUNDS" \
    -v scale="$SCALE" -v date="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    -v lavg="$(cut -d' ' -f1 /proc/loadavg)" -v out="$RESULTS" 'BEGIN {
	met = wall < 60 ? "yes" : "no"
	if (rn > 0) {
		rest = rt / rn * nf
		printf "%-30s %9.3fs %9.3fs %-8s %6.3f %6s %-4s %6s %7.0fM\n",
		    name, wall, rest, "R-ets", wall / rest, "60s", met, "-",
		    rss / 1024
	} else
		printf "%-30s %9.3fs %10s %-8s %6s %6s %-4s %6s %7.0fM\n",
		    name, wall, "-", "R-ets", "-", "60s", met, "-", rss / 1024
	printf "  the job: %.3f s wall, %.3f s cpu; %.0f skus a second\n",
	    wall, cpu, skus / wall
	printf "  steps:   forecast %.3f s (cpu %.3f), expire %.3f (%.3f), " \
	    "reorder %.3f (%.3f), list %.3f (%.3f)\n", fw, fc, ew, ec, rw,
	    rc, lw, lc
	printf "  %d skus, %d forecast (those with shipments), %d to " \
	    "order, %d POs (one per supplier with suggestions)\n", skus,
	    nf, sku, sup
	if (rn > 0)
		printf "  R ets(): %d series in %.1f s, %.2f a second; " \
		    "estimated for the %d series: %.0f s (scaled, not run); " \
		    "ims forecast step %.1fx faster, the whole job %.1fx\n",
		    rn, rt, rn / rt, nf, rest, rest / fw, rest / wall
	else
		print "  R ets(): not run at this scale"
	printf "{\"benchmark\":\"%s\",\"baseline\":\"R ets() estimate\"," \
	    "\"ims_s\":%.4f,\"ims_cpu_s\":%.4f,\"ims_peak_rss_kib\":%d," \
	    "\"ims_s_all\":[%s],\"target_s\":60,\"met\":%s,", name, wall, cpu,
	    rss, all, met == "yes" ? "true" : "false" >>out
	printf "\"steps\":{\"forecast_s\":%.4f,\"forecast_cpu_s\":%.4f," \
	    "\"expire_s\":%.4f,\"expire_cpu_s\":%.4f,\"reorder_s\":%.4f," \
	    "\"reorder_cpu_s\":%.4f,\"list_s\":%.4f,\"list_cpu_s\":%.4f},",
	    fw, fc, ew, ec, rw, rc, lw, lc >>out
	printf "\"skus\":%d,\"skus_per_s\":%.0f,\"forecast_skus\":%d," \
	    "\"skus_to_order\":%d,\"pos\":%d,", skus, skus / wall, nf, sku,
	    sup >>out
	if (rn > 0)
		printf "\"r_ets_s\":%.3f,\"r_series\":%d," \
		    "\"r_estimate_s\":%.1f,\"ratio\":%.4f,", rt, rn, rest,
		    wall / rest >>out
	printf "\"rounds\":%d,\"scale\":%s,\"date\":\"%s\",\"loadavg\":%s}\n",
	    rounds, scale, date, lavg >>out
}'
