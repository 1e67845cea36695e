#!/bin/sh
# Charts: --svg for the stock level (movements) and the ABC Pareto curve
# (abc), and the dashboard page.  Each file must be well-formed XML
# (xmllint) and hold the series worked out by hand below.  Now is Friday
# 2026-11-27 12:00 (IMS_NOW).
. "$(dirname "$0")/lib.sh"

ims-item -q <<'X'
sku,name,unit_cost,track,reorder_point,min,max
M,Milk 1L,0.8,lot,30,10,100
P,Paint,12.5,none,5,8,
R&D<1>,Prototype,1,none,,,
X
ims-loc -q <<'X'
code,name,type
WH1/A/01,bin,internal
WH1/B/01,bin,internal
X
ims-receive -q <<'X'
{"sku":"P","qty":8,"location":"WH1/A/01","ts":"2026-11-19T10:00:00Z"}
{"sku":"M","qty":5,"location":"WH1/A/01","lot":"L1","expiry":"2026-11-25","ts":"2026-11-20T09:00:00Z"}
{"sku":"M","qty":10,"location":"WH1/A/01","lot":"L3","expiry":"2027-03-01","ts":"2026-11-20T09:00:00Z"}
{"sku":"R&D<1>","qty":10,"location":"WH1/A/01","ts":"2026-11-21T00:00:00Z"}
{"sku":"M","qty":15,"location":"WH1/A/01","lot":"L2","expiry":"2026-12-10","ts":"2026-11-22T08:00:00Z"}
{"sku":"P","qty":4,"location":"WH1/A/01","ts":"2026-11-27T08:00:00Z"}
X
ims-move -q <<'X'
{"sku":"M","qty":3,"lot":"L2","from":"WH1/A/01","to":"WH1/B/01","ts":"2026-11-22T09:00:00Z"}
{"sku":"M","qty":2,"lot":"L2","from":"WH1/B/01","to":"@customer","ts":"2026-11-23T10:00:00Z"}
{"sku":"M","qty":1,"lot":"L1","from":"WH1/A/01","to":"@scrap","ts":"2026-11-23T11:00:00Z"}
{"sku":"R&D<1>","qty":5,"from":"WH1/A/01","to":"@customer","ts":"2026-11-24T00:00:00Z"}
{"sku":"P","qty":2,"from":"WH1/A/01","to":"@customer","ts":"2026-11-27T09:00:00Z"}
X
ok "the store"
# Internal stock by the end of each day: P's 8 before the 20th; 20th
# +15 = 23; 21st +10 = 33; 22nd +15 = 48 (the transfer stays inside);
# 23rd -2 -1 = 45; 24th -5 = 40; 25th, 26th 40; 27th +4 -2 = 42.

# xp FILE XPATH: the text xmllint finds there, a line each
xp() { xmllint --xpath "$2" "$1" 2>/dev/null; }
titles() { # the titles of the points of FILE's charts, ';'-joined
	xp "$1" '//*[local-name()="circle" or local-name()="rect"]/*[local-name()="title"]/text()' |
		tr '\n' ';'
}
svg_ns='http://www.w3.org/2000/svg'

# --- the stock level ---
check_rc 0 "movements --svg" ims-report movements --since 2026-11-20 \
	--until 2026-11-23 --svg level.svg
is "$(lines "$T/out")" 4 "the rows still go to standard output"
xmllint --noout level.svg
ok "level.svg is well-formed"
is "$(xp level.svg 'namespace-uri(/*)')" "$svg_ns" "an SVG document"
is "$(titles level.svg)" "2026-11-20: 23;2026-11-21: 33;2026-11-22: 48;2026-11-23: 45;" \
	"one point a day, at the level the day ends with"
is "$(xp level.svg 'count(//*[local-name()="polyline"])')" 1 "joined by one line"
check_rc 0 "a sku in a zone" ims-report movements --sku M --location WH1/B \
	--since 2026-11-22 --until 2026-11-24 --period day --svg mb.svg
xmllint --noout mb.svg
ok "mb.svg is well-formed"
is "$(xp mb.svg 'string((//*[local-name()="text"])[1])')" "Stock level of M in WH1/B" \
	"the title names the sku and the zone"
is "$(titles mb.svg)" "2026-11-22: 3;2026-11-23: 1;2026-11-24: 1;" \
	"3 moved in, 2 shipped"
check_rc 0 "by week" ims-report movements --period week --svg wk.svg
is "$(titles wk.svg)" "2026-11-16: 48;2026-11-23: 42;" "a point a week"

# --- the Pareto curve ---
# Consumption values: P 2 * 12.5 = 25, R&D<1> 5 * 1 = 5, M 2 * 0.8 = 1.6;
# total 31.6.  Cumulative shares: 25/31.6 = 79.11%, 30/31.6 = 94.94%,
# 100%.
check_rc 0 "abc --svg" ims-report abc --svg pareto.svg
xmllint --noout pareto.svg
ok "pareto.svg is well-formed"
is "$(titles pareto.svg)" "P: 79.11;R&amp;D&lt;1&gt;: 94.94;M: 100;" \
	"the cumulative share, sku by sku (xmllint prints text escaped)"
is "$(xp pareto.svg 'string((//*[local-name()="circle"])[2])')" "R&D<1>: 94.94" \
	"the sku escaped in the file reads back as it is"
is "$(xp pareto.svg '//*[local-name()="line"][@class="mark"]/*[local-name()="title"]/text()' | tr '\n' ';')" \
	"cut-off: 80;cut-off: 95;" "lines at the cut-offs"
check_rc 0 "abc --svg --abc-cuts" ims-report abc --abc-cuts 70,90 --svg p2.svg
is "$(xp p2.svg '//*[local-name()="line"][@class="mark"]/*[local-name()="title"]/text()' | tr '\n' ';')" \
	"cut-off: 70;cut-off: 90;" "at the cut-offs asked"

# --- the dashboard ---
# Figures: 3 items; on hand 42 (M 27, P 10, R&D<1> 5); value at unit
# cost 27 * 0.8 + 10 * 12.5 + 5 * 1 = 21.6 + 125 + 5 = 151.6; received
# today 4, shipped today 2; low: M (27 <= 30) alone; expiring within 30
# days: L1 (WH1/A/01), L2 (WH1/A/01), L2 (WH1/B/01).
check_rc 0 "dashboard" ims-report dashboard --html dash.html
is "$(cat "$T/out")" '{"figure":"skus","value":3}
{"figure":"on_hand","value":42}
{"figure":"stock_value","value":151.6}
{"figure":"received_today","value":4}
{"figure":"shipped_today","value":2}
{"figure":"lowstock","value":1}
{"figure":"expiring","value":3}' "the day's figures"
xmllint --noout dash.html
ok "dash.html is well-formed"
is "$(xp dash.html 'namespace-uri(/*)')" "http://www.w3.org/1999/xhtml" "XHTML"
is "$(grep -Eci '<script|<link|<img|<iframe|href=|src=|url\(|@import|@font-face' dash.html)" 0 \
	"self-contained: no script, link, image, font or address"
is "$(xp dash.html 'count(//*[local-name()="svg"])')" 3 "three charts inline"
is "$(xp dash.html '//*[local-name()="table"][@id="figures"]//*[local-name()="td"]/text()' | tr '\n' ' ')" \
	"3 42 151.6 4 2 1 3 " "the figures in the page"
is "$(xp dash.html '//*[local-name()="table"][@id="lowstock"]/*[local-name()="tr"][2]/*[1]/text()')" \
	"M" "the low stock table"
is "$(xp dash.html 'count(//*[local-name()="table"][@id="expiring"]/*[local-name()="tr"])')" \
	4 "the expiring lots: a header and three rows"
is "$(xp dash.html '//*[local-name()="table"][@id="expiring"]/*[local-name()="tr"][2]/*[4]/text()')" \
	"2026-11-25" "soonest first"
# The level chart: the 30 days from 29 Oct to 27 Nov; 0 before the 19th.
lv='//*[local-name()="svg"][1]//*[local-name()="circle"]/*[local-name()="title"]/text()'
is "$(xp dash.html "$lv" | wc -l | tr -d ' ')" 30 "a level for each of 30 days"
is "$(xp dash.html "$lv" | sed -n '1p;21p;22p;30p' | tr '\n' ';')" \
	"2026-10-29: 0;2026-11-18: 0;2026-11-19: 8;2026-11-27: 42;" "from 0 to 42"
# What went out, as bars: 23rd 2 + 1, 24th 5, 27th 2.
out='//*[local-name()="svg"][2]//*[local-name()="rect"]/*[local-name()="title"]/text()'
is "$(xp dash.html "$out" | grep -v ': 0$' | tr '\n' ';')" \
	"2026-11-23: 3;2026-11-24: 5;2026-11-27: 2;" "bars of what went out"
is "$(xp dash.html "$out" | wc -l | tr -d ' ')" 30 "a bar a day"
is "$(xp dash.html '//*[local-name()="svg"][3]//*[local-name()="circle"]/*[local-name()="title"]/text()' | tr '\n' ';')" \
	"P: 79.11;R&amp;D&lt;1&gt;: 94.94;M: 100;" \
	"the Pareto curve of the last 365 days"
cp dash.html before.html
ims-report dashboard --html dash.html >/dev/null
cmp -s dash.html before.html
ok "the same store, the same page"
test ! -e dash.html.tmp
ok "no temporary file left"

# --- bad input ---
check_rc 3 "an SVG that cannot be written" ims-report abc --svg "$T/no/such/dir/p.svg"
like 'p.svg.tmp' "$T/err" "names the file"
check_rc 2 "dashboard without --html" ims-report dashboard
like 'html FILE' "$T/err" "says what it needs"
test ! -e "$T/dashboard"
ok "and writes nothing"
check_rc 2 "xyz takes no --svg" ims-report xyz --svg x.svg
test ! -e x.svg
ok "and draws nothing"
check_rc 2 "onhand takes no --html" ims-report onhand --html x.html
check_rc 2 "a chart of an unknown sku" ims-report movements --sku NOPE --svg x.svg
test ! -e x.svg
ok "draws nothing"

echo "1..$_n"
done_testing
