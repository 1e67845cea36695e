#!/bin/sh
# Security: a store is private to its owner whatever the umask; CSV output
# does not hand formulas to a spreadsheet (unless --raw); messages show
# untrusted text escaped, so input cannot drive the terminal; and no
# input makes a command write anywhere but the store and the files named
# on its command line.
. "$(dirname "$0")/lib.sh"
plan 72
ESC=$(printf '\033')

# --- modes ---
for u in 022 077 000; do
	(umask $u && IMS_DB=$T/m$u ims-supplier -q <<-'X'
	id,name
	SUP-1,Acme
	X
	) && (umask $u && IMS_DB=$T/m$u ims-backup "$T/b$u")
	ok "umask $u: a store and its backup"
	is "$(stat -c %a "$T/m$u")" 700 \
		"umask $u: the store's directory is 0700"
	is "$(stat -c %a "$T/m$u/data.mdb") $(stat -c %a "$T/m$u/lock.mdb")" \
		"600 600" "umask $u: its files are 0600"
	is "$(stat -c %a "$T/b$u") $(stat -c %a "$T/b$u/data.mdb")" "700 600" \
		"umask $u: the backup too"
done

# --- CSV cells that a spreadsheet would run ---
setup_master
ims-item -q <<'X'
{"sku":"F-1","name":"=1+2","uom":"ea"}
{"sku":"F-2","name":"+1","uom":"ea"}
{"sku":"F-3","name":"-1","uom":"ea"}
{"sku":"F-4","name":"@SUM(A1)","uom":"ea"}
{"sku":"F-5","name":"\tx","uom":"ea"}
{"sku":"F-6","name":"\rx","uom":"ea"}
{"sku":"F-7","name":"a=b","uom":"ea"}
{"sku":"=HYPERLINK(\"http://x\")","name":"bad sku","uom":"ea"}
X
ok "items with formula-like text"
ims-item --list -o csv >items.csv
# cell SKU: the name cell of SKU's row, as printed
cell() {
	awk -v s="$1" 'index($0, s ",") == 1 {
		print substr($0, length(s) + 2) }' "$2" | cut -d, -f1 |
	    tr '\t\r' 'TR'
}
is "$(cell F-1 items.csv)" "'=1+2" "= gets a leading quote"
is "$(cell F-2 items.csv)" "'+1" "+ too"
is "$(cell F-3 items.csv)" "'-1" "- too"
is "$(cell F-4 items.csv)" "'@SUM(A1)" "@ too"
is "$(cell F-5 items.csv)" "'Tx" "a tab too"
is "$(cell F-6 items.csv)" "\"'Rx\"" "a carriage return too (in quotes)"
is "$(cell F-7 items.csv)" "a=b" "= inside a cell is left alone"
like "^\"'=HYPERLINK\(\"\"http://x\"\"\)\",bad sku," items.csv \
	"a key cell too"
ims-item --list -o csv --raw >raw.csv
is "$(cell F-1 raw.csv) $(cell F-4 raw.csv)" "=1+2 @SUM(A1)" \
	"--raw leaves them alone"
ims-receive -q <<'X'
{"sku":"A-100","qty":5,"location":"WH1/A/01","note":"=cmd|' /C calc'!A0","ref":"+ref"}
X
ims-report ledger -o csv >ledger.csv
like ",'\+ref," ledger.csv "the ledger's ref cell"
like ",'=cmd\|' /C calc'!A0" ledger.csv "and its note cell"
ims-report ledger -o csv --raw >ledger-raw.csv
like ",=cmd\|' /C calc'!A0" ledger-raw.csv "--raw: the note as it was"
ims-report onhand -o csv >onhand.csv
like '^A-100,WH1/A/01,,,,5,0,5.$' onhand.csv "numbers are numbers"

# --- untrusted text in messages ---
# no_esc DESC WANT CMD...: CMD exits WANT; its message says \x1b where the
# input had ESC, and standard error holds no raw ESC.  Three tests.
no_esc() {
	_d=$1
	shift
	check_rc "$@"
	is "$(grep -c "$ESC" "$T/err")" 0 "$_d: no raw ESC on stderr"
	like '\\x1b' "$T/err" "$_d: shown as \\x1b"
}
no_esc "an sku with ESC [31m, NDJSON" 1 "an sku with ESC" \
	ims-receive <<'X'
{"sku":"\u001b[31mA-100","qty":1,"location":"WH1/A/01"}
X
printf 'sku,qty,location\n%s[31mA-100,1,WH1/A/01\n' "$ESC" >esc.csv
no_esc "an sku with ESC [31m, CSV" 1 "an sku with ESC" ims-receive esc.csv
no_esc "a location with ESC" 1 "a location with ESC" ims-move <<'X'
{"sku":"A-100","qty":1,"from":"WH1/A/01","to":"WH\u001b[2J"}
X
no_esc "a field named twice" 1 "a field with ESC in its name, twice" \
	ims-receive <<'X'
{"sku":"A-100","qty":1,"location":"WH1/A/01","\u001b]0;x\u0007":1,"\u001b]0;x\u0007":2}
X
printf 'sku,%s[1m,%s[1m\nA-100,1,2\n' "$ESC" "$ESC" >hdr.csv
no_esc "a CSV header with ESC" 1 "a column with ESC, twice" \
	ims-receive hdr.csv
no_esc "a file name with ESC" 3 "no such file, with ESC in its name" \
	ims-receive "no$ESC[31mfile"
mkdir -p "$T/st$ESC[31m/data.mdb"
no_esc "a store path with ESC" 3 "a store that cannot be opened" \
	ims-item --db "$T/st$ESC[31m" --list
no_esc "an output format with ESC" 2 "a bad option value" \
	ims-report onhand -o "$ESC[31m"
no_esc "a report name with ESC" 2 "an unknown report" ims-report "$ESC[31m"
no_esc "an item key with ESC" 1 "an item whose sku has ESC" ims-item <<'X'
{"sku":"\u001b[31mX","name":"x"}
X
# text stored from input comes out escaped too
ims-item -q <<'X'
{"sku":"E-1","name":"red \u001b[31m text","uom":"ea"}
X
ims-item --show E-1 >show.out
is "$(grep -c "$ESC" show.out)" 0 "NDJSON out: no raw ESC"
like 'red \\u001b\[31m text' show.out "but \\u001b"
ims-item --list -o table >table.out
is "$(grep -c "$ESC" table.out)" 0 "a table: no raw ESC"
like 'red \?\[31m text' table.out "but ?"

# --- nothing written outside the store ---
# Keys, refs, lots and notes that look like paths, from a directory deep
# enough that ../.. still lands in the scratch directory.
mkdir -p w/a/b
cd w/a/b || exit 1
IMS_DB=$T/w/a/b/db
setup_master
ABS=$T/abs-x	# location codes may not begin with /: LABS leads there
LABS=..$ABS
listing() {
	(cd "$T" && find . -name . -o -print | LC_ALL=C sort)
}
before=$(listing)
ims-supplier -q <<X
id,name
../../x,a
$ABS,b
X
ok "suppliers with path-like ids"
ims-item -q <<X
sku,name,uom,supplier,track
../../x,a,ea,../../x,lot
$ABS,b,ea,$ABS,none
..,c,ea,,none
./.,d,ea,,serial
X
ok "items with path-like skus"
ims-loc -q 2>/dev/null <<X
code,name,type
../../x,a,internal
$LABS,b,internal
X
is "$?" 1 "locations with path-like codes (.. segments) are refused"
LX=WH1/A/01 LY=WH1/A/02	# so receipts and moves use stored ones
ims-receive -q 2>/dev/null <<X
{"sku":"../../x","qty":3,"location":"$LX","lot":"../../../x","ref":"../../x/ref","note":"$ABS"}
{"sku":"$ABS","qty":3,"location":"$LY","ref":"$ABS","supplier_po":"../../po"}
{"sku":"./.","qty":1,"location":"$LY","serial":"../../../../x","ref":"/dev/null"}
{"sku":"..","qty":1,"location":"$LX","ref":"..","lot":"bad"}
X
is "$?" 1 "receipts with path-like values (one rejected)"
ims-receive -q --keep-going --rejects=rejects.out 2>/dev/null <<X
{"sku":"../../x","qty":3,"location":"$LX","lot":"../../../x","ref":"../../x/ref","note":"$ABS"}
{"sku":"$ABS","qty":3,"location":"$LY","ref":"$ABS","supplier_po":"../../po"}
{"sku":"./.","qty":1,"location":"$LY","serial":"../../../../x","ref":"/dev/null"}
{"sku":"..","qty":1,"location":"$LX","ref":"..","lot":"bad"}
X
is "$?" 1 "again, posting the good ones"
is "$(lines rejects.out)" 1 "the bad one in the file named for it"
ims-move -q <<X
{"sku":"../../x","qty":1,"from":"$LX","to":"$LY","lot":"../../../x","ref":"../../m"}
{"sku":"$ABS","qty":1,"from":"$LY","to":"@customer","ref":"$ABS/m"}
X
ok "moves with path-like values"
ims-report ledger --sku "../../x" >/dev/null &&
	ims-report onhand --location "$LABS" >/dev/null &&
	ims-report onhand --sku "$ABS" -o csv >/dev/null
ok "reports filtered by path-like values"
ims-log >log.out && ims-log --restore --db "$T/w/a/b/restored" <log.out
ok "the journal exported and restored"
ims-check -q
ok "ims-check"
rm -f rejects.out log.out
rm -rf "$T/w/a/b/restored"
is "$(listing)" "$before" "no file made outside the store"
[ ! -e "$ABS" ] && [ ! -e "$T/x" ] && [ ! -e "$T/w/x" ] && [ ! -e "$T/po" ]
ok "none of the paths in the input exists"
done_testing
