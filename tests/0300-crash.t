#!/bin/sh
# Crash safety: ims-receive and ims-move are killed with SIGKILL at random
# moments during a large batch, round after round.  After each kill the
# store holds the whole batch or none of it, ims-check passes, and running
# the same input again completes it exactly once (refs make it safe).
#
# TORTURE_ROUNDS=N sets the receive rounds (make torture: 500); CRASH_BATCH
# the records a batch; IMS_SEED the seed of the kill delays.
. "$(dirname "$0")/lib.sh"
plan 14
LC_ALL=C	# the awk and sort below are much quicker without UTF-8
export LC_ALL

ROUNDS=${TORTURE_ROUNDS:-50}
N=${CRASH_BATCH:-20000}
if [ -n "${IMS_VALGRIND:-}" ]; then	# valgrind: smaller, but still run
	ROUNDS=${TORTURE_ROUNDS:-6}
	N=${CRASH_BATCH:-1000}
fi
MROUNDS=$((ROUNDS / 10))
[ "$MROUNDS" -lt 3 ] && MROUNDS=3
SEED=${IMS_SEED:-300}
echo "# $ROUNDS receive rounds and $MROUNDS move rounds of $N records," \
	"seed $SEED"

# Every round starts from a copy of one store: the shared master data and
# 1000 receipts, stock enough for the moves.  (A store that grew round
# after round would make each ims-check slower than the last.)
BASE=1000
IMS_DB=$T/base setup_master
awk -v n=$BASE 'BEGIN {
	split("A-100 K-1", sku, " ")
	split("WH1/A/01 WH1/A/02 WH1/B/01 WH2/A/01", loc, " ")
	for (i = 1; i <= n; i++)
		printf "{\"sku\":\"%s\",\"qty\":%d,\"location\":\"%s\"," \
		    "\"ref\":\"base/%d\"}\n", sku[int(i / 4) % 2 + 1],
		    (i % 7 + 1) * 10, loc[i % 4 + 1], i
}' | IMS_DB=$T/base ims-receive -q
IMS_DB=$T/base ims-report onhand | onhand_balances >base.bal
# the last seq of the base store: its master data are entries too
BASE_SEQ=$(IMS_DB=$T/base ims-log | wc -l | tr -d ' ')
fresh_store() {
	rm -rf "$IMS_DB"
	cp -Rp "$T/base" "$IMS_DB"
	seq=$BASE_SEQ
}

# receipts R: N receipts with refs of round R into batch.ndjson, their
# refs into batch.refs, and what they add to each balance into deltas
receipts() {
	awk -v n="$N" -v r="$1" 'BEGIN {
		split("A-100 K-1", sku, " ")
		split("WH1/A/01 WH1/A/02 WH1/B/01 WH2/A/01", loc, " ")
		for (i = 1; i <= n; i++) {
			s = sku[int(i / 4) % 2 + 1]
			l = loc[i % 4 + 1]
			q = i % 7 + 1
			printf "{\"sku\":\"%s\",\"qty\":%d," \
			    "\"location\":\"%s\",\"ref\":\"rcv-%d/%d\"," \
			    "\"note\":\"crash round %d\"}\n",
			    s, q, l, r, i, r >"batch.ndjson"
			printf "rcv-%d/%d\n", r, i >"batch.refs"
			d[s " " l " -"] += q
		}
		for (k in d)
			print k, d[k] >"deltas"
	}'
}

# moves R: N transfers of one unit around the four locations, both ways,
# and every tenth one out to @customer; deltas as for receipts
moves() {
	awk -v n="$N" -v r="$1" 'BEGIN {
		split("A-100 K-1", sku, " ")
		split("WH1/A/01 WH1/A/02 WH1/B/01 WH2/A/01", loc, " ")
		for (i = 1; i <= n; i++) {
			s = sku[int(i / 4) % 2 + 1]
			from = loc[i % 4 + 1]
			to = i % 10 == 0 ? "@customer" : \
			    loc[(i + (i % 3 == 0 ? 2 : 1)) % 4 + 1]
			printf "{\"sku\":\"%s\",\"qty\":1,\"from\":\"%s\"," \
			    "\"to\":\"%s\",\"ref\":\"mv-%d/%d\"}\n",
			    s, from, to, r, i >"batch.ndjson"
			printf "mv-%d/%d\n", r, i >"batch.refs"
			d[s " " from " -"] -= 1
			if (to !~ /^@/)
				d[s " " to " -"] += 1
		}
		for (k in d)
			print k, d[k] >"deltas"
	}'
}

# balances: on-hand by sku, location and lot, zeros left out, sorted
balances() {
	ims-report onhand | onhand_balances | awk '$4 != "0.000"'
}

# apply BEFORE DELTAS: the balances BEFORE become once the batch is posted
apply() {
	awk '{ bal[$1 " " $2 " " $3] += $4 }
	END {
		for (b in bal)
			if (bal[b] > 0.0005 || bal[b] < -0.0005)
				printf "%s %.3f\n", b, bal[b]
	}' "$1" "$2" | LC_ALL=C sort
}

# refs_once SINCE: do the journal's entries after SINCE carry exactly the
# batch's refs, each once?
refs_once() {
	sort batch.refs >refs.want
	ims-log --after="$1" | grep -o '"ref":"[^"]*' | cut -c8- | sort |
	    cmp -s - refs.want
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

size_of() {
	stat -c %s "$IMS_DB/data.mdb"
}

# Counters, per command: rounds, and where the kill landed.
for c in receive move; do
	eval "${c}_rounds=0 ${c}_completed=0 ${c}_before=0 ${c}_during=0" \
	    "${c}_after=0 ${c}_bad_state=0 ${c}_bad_check=0 ${c}_bad_rerun=0" \
	    "${c}_bad_total=0 ${c}_bad_status=0"
done
bump() { eval "$1=\$((\$$1 + 1))"; }
# say KIND ROUND TEXT: a diagnostic, the first few of each kind only
said=0
say() {
	said=$((said + 1))
	_k=$1 _r=$2
	shift 2
	[ "$said" -le 10 ] && echo "# round $_r ($_k): $*"
	return 0
}

# round CMD R SECONDS: post batch R with ims-CMD on a fresh copy of the
# store, kill it after SECONDS, check what is left, then rerun the batch
# to completion.  Where the kill landed goes into $landed: before the
# commit, during it (pages written past the end of data.mdb, but not the
# meta page that makes them count), after it, or the batch was done.
round() {
	cmd=$1 r=$2 after_s=$3
	bump "${cmd}_rounds"
	if [ "$cmd" = receive ]; then receipts "$r"; else moves "$r"; fi
	fresh_store
	cp base.bal before
	apply before deltas >after
	size0=$(size_of)

	"ims-$cmd" batch.ndjson >/dev/null 2>kill.err &
	pid=$!
	sleep "$after_s"
	kill -9 "$pid" 2>/dev/null
	{ wait "$pid"; } 2>/dev/null	# no "Killed" from the shell
	st=$?

	new=$(ims-log --after="$seq" | wc -l | tr -d ' ')
	balances >got
	landed=
	if [ "$st" -eq 0 ]; then
		landed=completed
		bump "${cmd}_completed"
	elif [ "$st" -ne 137 ]; then
		bump "${cmd}_bad_status"
		say "$cmd" "$r" "exit $st: $(head -c 300 kill.err)"
	fi
	if [ "$new" -eq 0 ] && cmp -s got before; then
		if [ "$st" -eq 137 ] && [ "$(size_of)" -gt "$size0" ]; then
			landed=during
			bump "${cmd}_during"
		elif [ "$st" -eq 137 ]; then
			landed=before
			bump "${cmd}_before"
		fi
		[ "$st" -eq 0 ] && { bump "${cmd}_bad_state";
			say "$cmd" "$r" "exit 0 but nothing stored"; }
	elif [ "$new" -eq "$N" ] && cmp -s got after; then
		[ "$st" -eq 137 ] && { landed=after; bump "${cmd}_after"; }
	else
		bump "${cmd}_bad_state"
		say "$cmd" "$r" "exit $st, $new of $N entries stored," \
		    "balances $(diff before got | wc -l) lines off"
	fi
	if ! ims-check -q >check.out 2>&1; then
		bump "${cmd}_bad_check"
		say "$cmd" "$r" "ims-check: $(head -c 300 check.out)"
	fi

	"ims-$cmd" -q batch.ndjson 2>rerun.err
	st=$?
	if [ "$st" -ne 0 ] || ! refs_once "$seq"; then
		bump "${cmd}_bad_rerun"
		say "$cmd" "$r" "rerun exit $st: $(head -c 300 rerun.err)"
	fi
	balances >got
	if ! cmp -s got after; then
		bump "${cmd}_bad_total"
		say "$cmd" "$r" "balances after the rerun differ"
	fi
}

# verdict CMD: the TAP lines of one command's rounds
verdict() {
	c=$1
	eval "rounds=\$${c}_rounds completed=\$${c}_completed" \
	    "before=\$${c}_before during=\$${c}_during after=\$${c}_after"
	echo "# ims-$c: $rounds rounds: killed before the commit $before," \
	    "during the commit $during, after it $after;" \
	    "finished before the kill $completed"
	eval "is \$${c}_bad_status 0 'ims-$c: killed (or done), nothing else'"
	eval "is \$${c}_bad_state 0 'ims-$c: whole batch or none after a kill'"
	eval "is \$${c}_bad_check 0 'ims-$c: ims-check passes after each kill'"
	eval "is \$${c}_bad_rerun 0 'ims-$c: a rerun posts each ref once'"
	eval "is \$${c}_bad_total 0 'ims-$c: balances exact after the rerun'"
}

# Calibrate: how long one whole batch takes here (with the sanitizers or
# valgrind it is longer), and how long without its commit (--dry-run).
# Odd rounds kill anywhere from the start to 1.3 times the whole batch;
# even rounds aim at the commit: they start at the dry run's time and
# move later after a kill that came too early, earlier after one that
# came too late.  The jitter comes from the seed, one number a round.
fresh_store
receipts 0
t0=$(now_ms)
ims-receive -q batch.ndjson
is "$?" 0 "a batch of $N receipts, uninterrupted"
ms=$(($(now_ms) - t0))
fresh_store
t0=$(now_ms)
ims-receive -n -q batch.ndjson
dry=$(($(now_ms) - t0))
[ "$dry" -gt "$ms" ] && dry=$ms
echo "# a batch takes ${ms} ms, ${dry} ms of it before the commit"
awk -v s="$SEED" -v n=$((ROUNDS + MROUNDS)) 'BEGIN {
	srand(s)
	for (i = 1; i <= n; i++)
		print int(rand() * 1000)
}' >jitter
target=$dry
step=$((ms / 20 + 1))

# delay I: the kill delay of round I, in seconds
delay() {
	u=$(sed -n "${1}p" jitter)
	if [ $(($1 % 2)) -eq 1 ]; then
		d=$((u * ms * 13 / 10000))
	else
		d=$((target + (u - 500) * ms / 5000))
	fi
	[ "$d" -lt 0 ] && d=0
	printf '%d.%03d' $((d / 1000)) $((d % 1000))
}
# aim I: after an even round, move the aim toward the commit
aim() {
	[ $(($1 % 2)) -eq 0 ] || return 0
	case $landed in
	before) target=$((target + step)) ;;
	after | completed) target=$((target - step)) ;;
	esac
	[ "$target" -lt 0 ] && target=0
	return 0
}
started=$(now_ms)

r=1
while [ "$r" -le "$ROUNDS" ]; do
	round receive "$r" "$(delay "$r")"
	aim "$r"
	r=$((r + 1))
done
verdict receive
if [ "$ROUNDS" -ge 20 ]; then
	[ $((receive_before + receive_during)) -gt 0 ] &&
		[ $((receive_after + receive_completed)) -gt 0 ]
	ok "ims-receive: kills landed both before and after the commit"
else
	echo "ok $((_n += 1)) # skip too few rounds to ask where kills land"
fi

m=1
while [ "$m" -le "$MROUNDS" ]; do
	round move "$m" "$(delay $((ROUNDS + m)))"
	aim "$m"
	m=$((m + 1))
done
verdict move
check_rc 0 "ims-check of the last store" ims-check
like "^ims-check: [0-9]+ entries \($((BASE + N)) movements\), 0 differences" \
	"$T/err" "every movement accounted for"
echo "# rounds took $(($(now_ms) - started)) ms"
done_testing
