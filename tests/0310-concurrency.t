#!/bin/sh
# Concurrency: several processes post at once for a few seconds (receipts
# into two locations, transfers both ways between them on the same skus,
# shipments out of both, changes to an item's master data), each in small
# batches, a shortage now and then; a reader checks the store all the
# while.  Then the store is
# consistent, every balance is the sum of the journal, nothing is
# negative, and every batch that said it posted is there exactly once.
#
# TORTURE_SECONDS sets how long the writers run (make torture: 60).
. "$(dirname "$0")/lib.sh"
plan 14
LC_ALL=C
export LC_ALL

SECONDS_=${TORTURE_SECONDS:-4}
[ -n "${IMS_VALGRIND:-}" ] && SECONDS_=${TORTURE_SECONDS:-12}
A=WH1/A/01
B=WH1/B/01

setup_master
ims-receive -q <<X
{"sku":"A-100","qty":40,"location":"$A","ref":"init-1"}
{"sku":"K-1","qty":40,"location":"$A","ref":"init-2"}
{"sku":"A-100","qty":40,"location":"$B","ref":"init-3"}
{"sku":"K-1","qty":40,"location":"$B","ref":"init-4"}
X
ok "opening stock"

# batch W I: the batch of writer W in its round I (three records, each
# with a ref of its own), on stdout
batch() {
	w=$1 i=$2
	for j in 1 2 3; do
		if [ $((j % 2)) -eq 1 ]; then s=A-100; else s=K-1; fi
		q=$(((i + j) % 5 + 1))
		case $w in
		rcvA) rec $s $((q * 2)) "\"location\":\"$A\"" ;;
		rcvB) rec $s $((q * 2)) "\"location\":\"$B\"" ;;
		AtoB) rec $s $q "$(from_to $A $B)" ;;
		BtoA) rec $s $q "$(from_to $B $A)" ;;
		both)	# A to B and back in one batch, on the same sku
			if [ "$j" -eq 2 ]; then
				rec A-100 $q "$(from_to $B $A)"
			else
				rec A-100 $q "$(from_to $A $B)"
			fi ;;
		ship)
			if [ $((i % 2)) -eq 0 ]; then l=$A; else l=$B; fi
			rec $s $(((q + 1) * 4)) "$(from_to $l @customer)" ;;
		item)	# master data: a change of name, an entry each
			printf '{"sku":"%s","name":"renamed %d-%d"}\n' $s "$i" \
			    "$j" ;;
		esac
	done
}
# rec SKU QTY WHERE: one record of batch
rec() {
	printf '{"sku":"%s","qty":%d,%s,"ref":"%s-%d-%d"}\n' "$1" "$2" "$3" \
	    "$w" "$i" "$j"
}
from_to() {
	printf '"from":"%s","to":"%s"' "$1" "$2"
}

# writer W CMD: post W's batches until the time is up; count them in
# W.res: batches posted, batches short of stock, movements, failures
writer() {
	w=$1 cmd=$2
	i=0 posted=0 short=0 moves=0 bad=0
	while [ "$(date +%s)" -lt "$end" ]; do
		i=$((i + 1))
		batch "$w" "$i" >"$w.in"
		"$cmd" -q "$w.in" 2>"$w.err"
		rc=$?
		if [ "$rc" -eq 0 ]; then
			posted=$((posted + 1))
			[ "$w" = item ] || moves=$((moves + 3))
		elif [ "$rc" -eq 1 ] &&
		    grep -q 'not enough stock' "$w.err"; then
			short=$((short + 1))
		else
			bad=$((bad + 1))
			{ echo "exit $rc:"; cat "$w.err"; } >>"$w.bad"
		fi
	done
	echo "$posted $short $moves $bad" >"$w.res"
}

# reader: check the store and look for a negative balance, over and over
reader() {
	runs=0 fails=0 neg=0
	while [ "$(date +%s)" -lt "$end" ]; do
		runs=$((runs + 1))
		ims-check -q >reader.out 2>&1 ||
			{ fails=$((fails + 1)); cat reader.out >>reader.bad; }
		ims-report onhand | jfield on_hand | grep -q '^-' &&
			neg=$((neg + 1))
	done
	echo "$runs $fails $neg" >reader.res
}

WRITERS="rcvA:ims-receive rcvB:ims-receive AtoB:ims-move BtoA:ims-move
both:ims-move ship:ims-move item:ims-item"
end=$(($(date +%s) + SECONDS_))
pids=
for wc in $WRITERS; do
	writer "${wc%%:*}" "${wc#*:}" &
	pids="$pids $!"
done
reader &
pids="$pids $!"
for p in $pids; do
	wait "$p"
done

nproc=0 posted=0 short=0 moves=4 bad=0 idle=
for wc in $WRITERS; do
	w=${wc%%:*}
	p=0 s=0 m=0 b=1
	[ -f "$w.res" ] && read -r p s m b <"$w.res"
	nproc=$((nproc + 1))
	posted=$((posted + p)) short=$((short + s))
	moves=$((moves + m)) bad=$((bad + b))
	[ "$p" -gt 0 ] || idle="$idle $w"
	[ "$w" = item ] && items=$p
	echo "# $w: $p batches posted, $s short of stock"
done
runs=0 fails=1 neg=0
[ -f reader.res ] && read -r runs fails neg <reader.res
echo "# $nproc writers and a reader for $SECONDS_ s: $posted batches" \
	"posted, $short short of stock, $moves movements in the journal," \
	"$runs checks while they ran"

is "$bad" 0 "no writer failed but for shortages"
for f in ./*.bad; do
	[ -f "$f" ] && head -5 "$f" | sed "s|^|# $f: |"
done
is "$idle" "" "every writer got batches in"
is "$fails" 0 "ims-check passed every time while they ran"
is "$neg" 0 "no negative balance seen while they ran"

check_rc 0 "ims-check after them" ims-check
like "^ims-check: [0-9]+ entries \($moves movements\), 0 differences" "$T/err" \
	"the journal holds every movement posted, and only those"
ims-report ledger >ledger.out
is "$(lines ledger.out)" "$moves" "the ledger lists them"
ims-report ledger | ledger_balances >from-ledger
ims-report onhand | onhand_balances | awk '$4 != "0.000"' >from-onhand
is "$(cat from-onhand)" "$(cat from-ledger)" \
	"every balance is the sum of the journal"
is "$(awk '$4 < 0' from-onhand | wc -l | tr -d ' ')" 0 "nothing negative"
is "$(jfield ref <ledger.out | sort | uniq -d | wc -l | tr -d ' ')" 0 \
	"no ref posted twice"
is "$(jfield ref <ledger.out | sort -u | wc -l | tr -d ' ')" "$moves" \
	"every movement's ref is in"
# what went out to customers is what came in less what is left
is "$(jfield qty <ledger.out | paste -d' ' - ledger.out |
	awk '/"type":"receive"/ { r += $1 } /"type":"ship"/ { s += $1 }
	END { printf "%.3f", r - s }')" \
	"$(awk '{ t += $4 } END { printf "%.3f", t }' from-onhand)" \
	"received less shipped is what is on hand"
is "$(ims-log | grep -c '"kind":"item","actor":"tester","item":{"sku":"[AK]-[01]*","name":"renamed ')" \
	"$((3 * items))" "every change of master data made while they ran is an entry"
done_testing
