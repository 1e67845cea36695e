#!/bin/sh
# CSV in and out: RFC 4180 quoting both ways, line numbers of records that
# span lines, bad CSV named by file:line, formula neutralisation on output.
. "$(dirname "$0")/lib.sh"
plan 117
setup_master

# --- CSV in ---
cat >r.csv <<'X'
sku,qty,location,lot,ts
A-100,10,WH1/A/01,,2026-11-01T08:00:00Z
L-200,12.5,WH1/A/02,L7,2026-11-01T08:00:00Z
X
check_rc 0 "a CSV receipt" ims-receive r.csv
is "$(jfield qty <"$T/out" | tr '\n' ' ')" "10 12.5 " "both lines posted"
like '"sku":"A-100","qty":10,"from":"@supplier","to":"WH1/A/01","unit_cost"' \
	"$T/out" "an empty cell is no field (no lot)"

printf 'sku,qty,location\n' >hdr.csv
before=$(snapshot)
check_rc 0 "a header and no records" ims-receive hdr.csv
is "$(snapshot)" "$before" "posts nothing"

cat >q.csv <<'X'
sku,qty,location,note
A-100,1,WH1/A/01,"comma, ""quote"" and
two more
lines"
A-100,2,WH1/A/01,plain
X
check_rc 0 "quoted fields with commas, quotes and newlines" \
	ims-receive -n q.csv
like '"qty":1,.*"note":"comma, \\"quote\\" and\\ntwo more\\nlines"[,}]' \
	"$T/out" "the note as it was meant"
like '"qty":2,.*"note":"plain"' "$T/out" "the next record is whole"
printf 'sku,qty,location,note\nA-100,1,WH1/A/01,"a\nb"\nA-100,2,WH1/A/01,x\nA-100,zz,WH1/A/01,x\n' \
	>q2.csv
rejects "a bad record after a multi-line one" \
	'^ims-receive: q2\.csv:5: qty "zz": not a number$' ims-receive q2.csv
printf 'sku,qty,location,note\r\nA-100,1,WH1/A/01,"a\r\nb\r\nc"\r\nA-100,-2,WH1/A/01,x\r\n' \
	>q3.csv
rejects "the same with CRLF" 'stdin:5: qty must be positive' \
	ims-receive <q3.csv
printf 'sku,qty,location,note\nA-100,1,WH1/A/01,"a\nb"\nNOPE,1,WH1/A/01,x\n' \
	>q4.csv
rejects "a record that starts on line 4" 'q4\.csv:4: unknown sku "NOPE"' \
	ims-receive q4.csv

# --- bad CSV ---
printf 'sku,qty,location\nA-100,1,WH1/A/01\nA-100,1\n' >bad.csv
rejects "too few columns" \
	'^ims-receive: bad\.csv:3: expected 3 fields as in the header, got 2$' \
	ims-receive bad.csv
printf 'sku,qty,location\nA-100,1,WH1/A/01,x\n' >bad.csv
rejects "too many columns" 'stdin:2: expected 3 fields as in the header, got 4' \
	ims-receive <bad.csv
printf 'sku,qty,location\nA-100,1,WH1/A/01\nA-100,1,"WH1/A/01\nA-100,1,WH1/A/01\n' \
	>bad.csv
rejects "an unterminated quote" \
	'^ims-receive: bad\.csv:3: malformed CSV: unterminated quoted field' \
	ims-receive bad.csv
printf 'sku,qty,location\nA-100,1,WH1/A/01"x"\nA-100,1,WH1/A/01\n' >bad.csv
rejects "a quote inside a bare field" 'bad\.csv:2: malformed CSV' \
	ims-receive bad.csv
printf 'sku,qty,location\nA-100,1,"WH1/A/01"x\nA-100,1,WH1/A/01\nA-100,q,WH1/A/01\n' \
	>bad.csv
rejects "text after a closing quote" 'bad\.csv:2: malformed CSV' \
	ims-receive bad.csv
like 'bad\.csv:4: qty "q"' "$T/err" "and the reader goes on to the next record"
printf 'sku,qty,qty,location\nA-100,1,2,WH1/A/01\n' >bad.csv
rejects "a column named twice" 'stdin:1: column "qty" named twice' \
	ims-receive <bad.csv
printf 'sku,,location\nA-100,1,WH1/A/01\n' >bad.csv
rejects "a column with no name" 'stdin:1: column 2 of the header has no name' \
	ims-receive <bad.csv
printf 'sku,location\nA-100,WH1/A/01\n' >bad.csv
rejects "no qty column" 'stdin:1: the header lacks the required column "qty"$' ims-receive <bad.csv
printf 'sku,qty,location,note\nA-100,1,WH1/A/01,caf\351\n' >bad.csv
rejects "invalid UTF-8" '^ims-receive: bad\.csv:2: not valid UTF-8' \
	ims-receive bad.csv
printf 'sku,qty,location\nA-100,1.0001,WH1/A/01\n' >bad.csv
rejects "qty with 4 decimals" 'stdin:2: qty "1\.0001": more than 3 decimals' \
	ims-receive <bad.csv
printf 'sku,qty,location,unit_cost\nA-100,1,WH1/A/01,0.00001\n' >bad.csv
rejects "unit_cost with 5 decimals" 'stdin:2: unit_cost "0\.00001": more than 4' \
	ims-receive <bad.csv
printf 'sku,qty,location\nA-100,1,WH1/A/01\n' >ok.csv
printf '{"sku":"A-100","qty":1,"location":"WH1/A/01"}\n' >ok.ndjson
printf 'sku,qty,location\nA-100,x,WH1/A/01\n' >bad.csv
rejects "CSV and NDJSON files in one batch" '^ims-receive: bad\.csv:2: qty "x"' \
	ims-receive ok.csv ok.ndjson bad.csv

# --- quirks ---
printf 'sku,qty,location\r\nA-100,1,WH1/A/01\r\nK-1,2,WH1/B/01\r\n' >crlf.csv
check_rc 0 "CRLF line ends" ims-receive crlf.csv
is "$(jfield to <"$T/out" | tr '\n' ' ')" "WH1/A/01 WH1/B/01 " \
	"the last column has no carriage return"
printf '\357\273\277sku,qty,location\nK-1,1,WH1/B/01\n' >bom.csv
check_rc 0 "a UTF-8 byte-order mark" ims-receive bom.csv
like '"sku":"K-1","qty":1,' "$T/out" "the first column is sku"
printf 'sku,qty,location\nK-1,1,WH1/B/01\nK-1,2,WH1/B/01' >nonl.csv
check_rc 0 "no newline at the end" ims-receive nonl.csv
is "$(lines "$T/out")" 2 "the last record is posted too"
printf 'sku,qty,location,note\nK-1,1,WH1/B/01,"ends in a quote"' >nonlq.csv
check_rc 0 "no newline after a closing quote" ims-receive nonlq.csv
like '"note":"ends in a quote"' "$T/out" "posted"
printf 'sku,qty,location\n\nK-1,1,WH1/B/01\n\n' >blank.csv
check_rc 0 "blank lines" ims-receive blank.csv
is "$(lines "$T/out")" 1 "are skipped"
printf '{"sku":"K-1","qty":1,"location":"WH1/B/01"}\n' >looks.json
check_rc 1 "--input-format csv reads even a { as CSV" \
	ims-receive --input-format csv -n looks.json
printf 'sku,qty,location\nK-1,1,WH1/B/01\n' >c.txt
check_rc 0 "--input-format csv on CSV" ims-receive --input-format csv -n c.txt
awk 'BEGIN { s = "abcdefghij"; while (length(s) < 1000000) s = s s;
	printf "sku,qty,location,note\nK-1,1,WH1/B/01,\"%s\"\n",
	    substr(s, 1, 1000000) }' >big.csv
check_rc 0 "a 1 MB cell" ims-receive -n big.csv
is "$(jfield note <"$T/out" | awk '{ print length($0) }')" 1000000 \
	"comes back whole"

# --- CSV out: RFC 4180, and a round trip through ims-move's echo ---
cat >m.ndjson <<'X'
{"sku":"A-100","qty":1,"from":"WH1/A/01","to":"WH1/A/02","note":"a, \"b\"\nc"}
X
check_rc 0 "a move echoed as CSV" ims-move -o csv m.ndjson
head -1 "$T/out" >hdr
is "$(cat hdr)" "$(printf 'seq,ts,type,sku,qty,from,to,lot,serial,expiry,unit_cost,ref,po,actor,note\r')" \
	"the header, CRLF-terminated"
is "$(tail -c 15 "$T/out" | od -An -c)" \
	"$(printf ',"a, ""b""\nc"\r\n' | od -An -c)" \
	"the note quoted, quotes doubled, the newline inside"
cp "$T/out" echo.csv
check_rc 0 "the CSV read back" ims-move -n echo.csv
like '"note":"a, \\"b\\"\\nc"[,}]' "$T/out" "gives the same note"
like '"sku":"A-100","qty":1,"from":"WH1/A/01","to":"WH1/A/02"' "$T/out" \
	"and the same movement"
is "$(ims-report ledger -o csv --sku A-100 --location WH1/A/02 | tail -c 15 | od -An -c)" \
	"$(printf ',"a, ""b""\nc"\r\n' | od -An -c)" \
	"ims-report ledger -o csv quotes it the same"

cat >f.ndjson <<'X'
{"sku":"A-100","qty":1,"from":"WH1/A/01","to":"WH1/A/02","note":"=HYPERLINK(\"http://x\")"}
{"sku":"A-100","qty":1,"from":"WH1/A/01","to":"WH1/A/02","note":"+1"}
{"sku":"A-100","qty":1,"from":"WH1/A/01","to":"WH1/A/02","note":"-2"}
{"sku":"A-100","qty":1,"from":"WH1/A/01","to":"WH1/A/02","note":"@SUM(A1)"}
{"sku":"A-100","qty":1,"from":"WH1/A/01","to":"WH1/A/02","note":"1=1"}
X
check_rc 0 "notes that look like formulas" ims-move -n -o csv f.ndjson
like ",tester,\"'=HYPERLINK\(\"\"http://x\"\"\)\"" "$T/out" \
	"= gets a leading quote (inside the RFC 4180 quotes)"
like ",tester,'\+1" "$T/out" "+ too"
like ",tester,'-2" "$T/out" "- too"
like ",tester,'@SUM\(A1\)" "$T/out" "@ too"
like ",tester,1=1" "$T/out" "not an = inside"
like ',1,WH1/A/01,WH1/A/02,' "$T/out" "numbers are not touched"
check_rc 0 "the same with --raw" ims-move -n -o csv --raw f.ndjson
like ',tester,"=HYPERLINK\(""http://x""\)"' "$T/out" "= as it is"
is "$(grep -c "'" "$T/out")" 0 "no quote added anywhere"
check_rc 0 "NDJSON" ims-move -n f.ndjson
like '"note":"=HYPERLINK' "$T/out" "is never touched"
# --- ims's own CSV reads back: the formula guard comes off again ---
printf '{"sku":"A-100","qty":1,"from":"WH1/A/01","to":"@customer","note":"=1+1"}\n' \
	>g.ndjson
ims-move -n -o csv g.ndjson >g.csv
like ",'@customer,.*,'=1\+1" g.csv "guarded on the way out"
check_rc 0 "and read back" ims-move -n g.csv
like '"to":"@customer",.*"note":"=1\+1"' "$T/out" "as they were"
# a whole ledger exported as CSV loads into another store
(
	IMS_DB=$T/x.db
	setup_master
	ims-receive -q <<-'X'
	{"sku":"A-100","qty":10,"location":"WH1/A/01","ts":"2026-11-01T00:00:00Z","note":"+in"}
	{"sku":"L-200","qty":4,"location":"WH1/A/02","lot":"L1","ts":"2026-11-02T00:00:00Z"}
	X
	ims-move -q <<-'X'
	{"sku":"A-100","qty":4,"from":"WH1/A/01","to":"@customer","ts":"2026-11-03T00:00:00Z","note":"=1+1"}
	{"sku":"A-100","qty":1,"from":"WH1/A/01","to":"WH1/B/01","ts":"2026-11-04T00:00:00Z","note":"-x"}
	{"sku":"L-200","qty":1,"from":"WH1/A/02","to":"@scrap","lot":"L1","ts":"2026-11-05T00:00:00Z"}
	X
	ims-report ledger -o csv
) >x.csv
like "^11,2026-11-01T00:00:00Z,receive,A-100,10,'@supplier,WH1/A/01,.*,'\\+in" x.csv \
	"the export guards @supplier and +in"
awk -F, 'NR == 1 { sub(/,to,/, ",location,") } NR == 1 || $3 == "receive"' x.csv >xr.csv
awk -F, 'NR == 1 || $3 != "receive"' x.csv >xm.csv
(IMS_DB=$T/y.db; setup_master; ims-receive -q xr.csv && ims-move -q xm.csv)
ok "its receipts and moves post into a new store"
is "$(IMS_DB=$T/y.db ims-report ledger | sed 's/,"hash":"[0-9a-f]*"//')" \
	"$(IMS_DB=$T/x.db ims-report ledger | sed 's/,"hash":"[0-9a-f]*"//')" \
	"the same ledger, notes and virtual locations as they were"

# --- 1 MB of columns, and NUL ---
awk 'BEGIN { printf "sku,qty,location"
	for (i = 0; i < 80000; i++) printf ",f%d", i
	printf "\nA-100,1,WH1/A/01"
	for (i = 0; i < 80000; i++) printf ",%d", i
	print "" }' >wide.csv
check_rc 0 "80,000 columns (under 20 s)" timeout 20 ims-receive -n wide.csv
is "$(tr ',' '\n' <"$T/out" | grep -c '^"f[0-9]*":')" 80000 "every field kept"
printf 'sku,qty,location,note\nA-100,1,WH1/A/01,a\0b\n' >nul.csv
rejects "a NUL byte" '^ims-receive: nul\.csv:2: NUL character' ims-receive nul.csv
# --- spaces: kept in a quoted cell, quoted on output ---
printf '{"sku":"A-100","qty":1,"from":"WH1/A/01","to":"WH1/A/02","note":" padded\\t "}\n' \
	>sp.ndjson
ims-move -n -o csv sp.ndjson >sp.csv
is "$(tail -c 14 sp.csv | od -An -c)" "$(printf ',%s\r\n' '" padded	 "' | od -An -c)" \
	"a cell with a space at either end is quoted"
check_rc 0 "and read back" ims-move -n sp.csv
like '"note":" padded\\t "' "$T/out" "with its spaces"
done_testing
