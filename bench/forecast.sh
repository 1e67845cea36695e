#!/bin/sh
# bench/forecast.sh: ims-forecast against R's forecast package, on
# generated demand of known structure (bench/fcgen.c).  Run by bench/run.sh
# (BENCH_ONLY=forecast for this alone); prints its table and appends its
# results to $RESULTS.
#
#   croston      ims's Croston (alpha 0.1) against croston(): max |diff|,
#                target 1e-9
#   ses          ims's SES against ses(initial = "simple"): max |diff| of
#                the forecasts relative to the series' mean, target 1e-4
#   accuracy     mean RMSSE over 6 test months of 2,500 monthly series
#                (54 months to train on): ims auto beside R's ses() and
#                ets(), and by structure; met when auto's is below both
#   speed        ims-forecast --method=auto over 100,000 skus x 104 weeks;
#                skus per second beside R's ets() on 2,500 of the same
#                series; target: 100,000 skus in 30 s (3,333 a second)
#
# usage: IMS_BIN=build/bin sh bench/forecast.sh  (BENCH_SCALE scales the
# sku counts; BENCH_BIN is where fcgen is)
set -eu
: "${IMS_BIN:?run through make bench}"
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BENCH_BIN:-$TOP/bench/out}
SCALE=${BENCH_SCALE:-1}
RESULTS=${RESULTS:-$TOP/bench/out/results.ndjson}
PATH=$IMS_BIN:$BIN:$PATH
export PATH
unset IMS_NOW IMS_DB
W=$(mktemp -d "${TMPDIR:-/tmp}/ims-fc.XXXXXX")
trap 'rm -rf "$W"' EXIT
FAILED=0

n() {
	awk -v n="$1" -v s="$SCALE" 'BEGIN { v = int(n * s + 0.5)
		print (v < 10 ? 10 : v) }'
}
say() { printf 'bench: %s\n' "$*" >&2; }
now() { date +%s.%N; }
# result NAME FIELDS MET: a line of results
result() {
	printf '{"benchmark":"%s",%s,"met":%s,"scale":%s,"date":"%s"}\n' \
	    "$1" "$2" "$3" "$SCALE" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	    >>"$RESULTS"
	[ "$3" = true ] || FAILED=$((FAILED + 1))
}
if ! Rscript -e 'suppressMessages(library(forecast))' >/dev/null 2>&1; then
	say "R's forecast package is missing: sh bench/deps.sh forecast"
	exit 1
fi

# --- the accuracy set, and R on it ---------------------------------------
NA=$(n 2500)
fcgen "$NA" 60 6 month 7 "$W/tr.csv" "$W/te.csv"
say "R's forecast package on $NA monthly series (ets() takes a while)"
Rscript "$TOP/bench/forecast.R" "$W/tr.csv" "$W/te.csv" 12 "$W"

# ims's figures beside R's, by sku: FILE of "sku,forecast" from R, and
# ims-forecast's summaries; prints max |diff| and max |diff| / mean(y)
compare() {
	awk -F, 'FNR == 1 { next }
	FILENAME == ARGV[1] { r[$1] = $2; next }
	FILENAME == ARGV[2] { s[$1] += $3; c[$1]++; next }
	{
		match($0, /"sku":"[^"]*"/)
		k = substr($0, RSTART + 7, RLENGTH - 8)
		match($0, /"forecast":[^,}]*/)
		v = substr($0, RSTART + 11, RLENGTH - 11) + 0
		if (!(k in r) || r[k] == "NA")
			next
		d = v - r[k]
		d = d < 0 ? -d : d
		m = s[k] / c[k]
		rel = m > 0 ? d / m : d
		if (d > md) md = d
		if (rel > mr) mr = rel
		k2++
	}
	END { printf "%.3g %.3g %d\n", md, mr, k2 }' "$1" "$W/tr.csv" "$2"
}

ims-forecast --since 2022-01-01 --period month --method croston \
    --param alpha=0.1 --horizon 1 --summary --digits 15 "$W/tr.csv" \
    >"$W/ims-croston"
set -- $(compare "$W/croston.csv" "$W/ims-croston")
met=$(awk -v d="$1" 'BEGIN { print (d <= 1e-9 ? "true" : "false") }')
printf '%-30s max |diff| %s over %s series, target 1e-9: %s\n' \
    "croston vs croston()" "$1" "$3" "$met"
result "forecast croston vs R" "\"max_abs_diff\":$1,\"series\":$3,\"target\":1e-9" "$met"

# SES: the same forecast within 1e-4 of the series' mean, or else a
# lower sum of squares than R's (its L-BFGS-B stops short on some series)
ims-forecast --since 2022-01-01 --period month --method ses --horizon 1 \
    --summary --digits 15 "$W/tr.csv" >"$W/ims-ses"
set -- $(awk -F, '
	function sse(k, a,   l, t, s, e) {
		l = y[k, 1]
		for (t = 1; t <= n[k]; t++) {
			e = y[k, t] - l; s += e * e; l += a * e
		}
		return s
	}
	FNR == 1 && FILENAME != ARGV[3] { next }
	FILENAME == ARGV[1] { y[$1, ++n[$1]] = $3; m[$1] += $3; next }
	FILENAME == ARGV[2] { rf[$1] = $2; ra[$1] = $3; next }
	{
		match($0, /"sku":"[^"]*"/)
		k = substr($0, RSTART + 7, RLENGTH - 8)
		match($0, /alpha=[0-9.e-]*/)
		a = substr($0, RSTART + 6, RLENGTH - 6) + 0
		match($0, /"forecast":[^,]*/)
		f = substr($0, RSTART + 11, RLENGTH - 11) + 0
		if (ra[k] == "NA")
			next
		d = f - rf[k]; d = d < 0 ? -d : d
		mu = m[k] / n[k]; rel = mu > 0 ? d / mu : d
		tot++
		if (rel <= 1e-4) { same++; if (rel > mr) mr = rel }
		else if (sse(k, a) < sse(k, ra[k] + 0)) better++
		else worse++
	}
	END { printf "%d %d %d %d %.3g\n", tot, same, better, worse, mr }' \
    "$W/tr.csv" "$W/ses.csv" "$W/ims-ses")
met=$([ "$4" -eq 0 ] && echo true || echo false)
printf '%-30s %s series: %s the same (max relative diff %s), %s with a lower SSE than ses(), %s worse: %s\n' \
    "ses vs ses(simple)" "$1" "$2" "$5" "$3" "$4" "$met"
result "forecast ses vs R" "\"series\":$1,\"same\":$2,\"ims_lower_sse\":$3,\"ims_higher_sse\":$4,\"max_rel_diff\":$5,\"target\":1e-4" "$met"

# --- accuracy: RMSSE of ims auto, beside R's --------------------------------
t0=$(now)
ims-forecast --period month --horizon 6 --digits 9 "$W/tr.csv" >"$W/ims-fc"
t1=$(now)
awk -F, -v acc="$W/acc.csv" '
	FNR == 1 && FILENAME != ARGV[4] { next }
	FILENAME == ARGV[1] {		# the training series: RMSSE scale
		if ($1 == last) { d = $3 - prev; ss[$1] += d * d; ns[$1]++ }
		last = $1; prev = $3; next
	}
	FILENAME == ARGV[2] { act[$1, ++na[$1]] = $3; next }
	FILENAME == ARGV[3] { rs[$1] = $2; re[$1] = $3; next }
	{
		match($0, /"sku":"[^"]*"/)
		k = substr($0, RSTART + 7, RLENGTH - 8)
		match($0, /"forecast":[^,}]*/)
		f = substr($0, RSTART + 11, RLENGTH - 11) + 0
		j = ++nf[k]
		e = f - act[k, j]
		se[k] += e * e
	}
	END {
		split("smooth seasonal intermittent lumpy obsolescent", nm, " ")
		for (k in se) {
			if (!(ns[k] > 0) || ss[k] == 0 || rs[k] == "NA" ||
			    re[k] == "NA")
				continue
			s = ss[k] / ns[k]
			v = sqrt(se[k] / nf[k] / s)
			c = substr(k, 2) % 5 + 1
			ims += v; rses += rs[k]; rets += re[k]; n++
			ci[c] += v; cs[c] += rs[k]; ce[c] += re[k]; cn[c]++
		}
		printf "all %.4f %.4f %.4f %d\n", ims / n, rses / n, rets / n, n
		for (c = 1; c <= 5; c++)
			if (cn[c])
				printf "%s %.4f %.4f %.4f %d\n", nm[c],
				    ci[c] / cn[c], cs[c] / cn[c], ce[c] / cn[c],
				    cn[c]
	}' "$W/tr.csv" "$W/te.csv" "$W/acc.csv" "$W/ims-fc" >"$W/acc-out"
while read -r what ims rses rets cnt; do
	printf '%-30s ims auto %s  R ses() %s  R ets() %s  (%s series)\n' \
	    "RMSSE $what" "$ims" "$rses" "$rets" "$cnt"
done <"$W/acc-out"
set -- $(head -n 1 "$W/acc-out")
met=$(awk -v a="$2" -v b="$3" -v c="$4" 'BEGIN {
	print (a < b && a < c ? "true" : "false") }')
printf '%-30s ims / ses() %.3f, ims / ets() %.3f: %s\n' "RMSSE ratio" \
    "$(awk -v a="$2" -v b="$3" 'BEGIN { print a / b }')" \
    "$(awk -v a="$2" -v b="$4" 'BEGIN { print a / b }')" "$met"
result "forecast accuracy" "\"rmsse_ims\":$2,\"rmsse_ses\":$3,\"rmsse_ets\":$4,\"series\":$5" "$met"

# --- speed: 100,000 skus x 104 weeks ------------------------------------------
NS=$(n 100000)
NR=$(n 2500)
fcgen "$NS" 104 0 week 11 "$W/big.csv" "$W/none.csv"
head -n $((NR * 104 + 1)) "$W/big.csv" >"$W/small.csv"
t0=$(now)
ims-forecast --method=auto --jobs 2 "$W/big.csv" >"$W/big-fc"
t1=$(now)
got=$(wc -l <"$W/big-fc" | tr -d ' ')
[ "$got" -eq $((NS * 6)) ] || { say "ims-forecast printed $got lines"; exit 1; }
set -- $(Rscript "$TOP/bench/forecast_time.R" "$W/small.csv" 52 "$NR")
awk -v a="$t0" -v b="$t1" -v ns="$NS" -v rt="$1" -v rn="$2" \
    -v out="$RESULTS" -v sc="$SCALE" 'BEGIN {
	ims = ns / (b - a); r = rn / rt
	met = ims >= 100000 / 30 ? "true" : "false"
	printf "%-30s ims %d skus in %.2fs: %.0f skus/s; R ets() %d in %.1fs: %.1f skus/s; ratio %.0f: %s\n",
	    "speed auto 104 weeks", ns, b - a, ims, rn, rt, r, ims / r, met
	printf "{\"benchmark\":\"forecast speed\",\"ims_s\":%.3f,\"skus\":%d," \
	    "\"ims_skus_per_s\":%.0f,\"r_ets_s\":%.3f,\"r_series\":%d," \
	    "\"r_skus_per_s\":%.2f,\"ratio\":%.1f,\"target_skus_per_s\":3333," \
	    "\"met\":%s,\"scale\":%s}\n", b - a, ns, ims, rt, rn, r, ims / r,
	    met, sc >>out
	exit met == "true" ? 0 : 1 }' || FAILED=$((FAILED + 1))
[ "$FAILED" -eq 0 ]
