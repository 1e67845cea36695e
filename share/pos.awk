# share/pos.awk: the purchase orders behind the sample receipts.
#   awk -f share/pos.awk share/items.csv share/receipts.ndjson > share/pos.ndjson
# Every receipt names its PO; a PO's lines are its skus with the quantity
# received of each (so each PO is received in full), its supplier is its
# items', and it was drafted and approved its first item's lead time
# before its first receipt (so that measured lead times are the promised
# ones).  Each PO's ref is sample/ and its id, so that loading the file
# again skips every PO.  POSIX awk; static regular expressions, as
# gen.awk.
# a CSV line into F[1..n], quoted fields (names with commas) kept whole
function csv(line,   n, c, q, f, i) {
	n = 1; f = ""; q = 0
	for (i = 1; i <= length(line); i++) {
		c = substr(line, i, 1)
		if (c == "\"")
			q = !q
		else if (c == "," && !q) {
			F[n++] = f; f = ""
		} else
			f = f c
	}
	F[n] = f
	return n
}
NR == FNR && FNR == 1 {
	csv($0)
	for (i in F)
		COL[F[i]] = i
	next
}
NR == FNR {
	csv($0)
	SUP[F[1]] = F[COL["supplier"]]; LT[F[1]] = F[COL["lead_time_days"]] + 0
	next
}
function field(name,   v) {
	if (!match($0, "\"" name "\":\"[^\"]*\""))
		return ""
	v = substr($0, RSTART + length(name) + 4)
	return substr(v, 1, index(v, "\"") - 1)
}
function num(name,   v) {
	if (!match($0, "\"" name "\":[-0-9.]*"))
		return ""
	return substr($0, RSTART + length(name) + 3, RLENGTH - length(name) - 3)
}
# days since the epoch of a YYYY-MM-DD date (civil from days, inverted)
function days(y, m, d,   era, yoe, doy, doe) {
	y -= m <= 2
	era = int((y >= 0 ? y : y - 399) / 400)
	yoe = y - era * 400
	doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
	doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
	return era * 146097 + doe - 719468
}
function date(n,   z, era, doe, yoe, y, doy, mp, d, m) {
	z = n + 719468
	era = int((z >= 0 ? z : z - 146096) / 146097)
	doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	y = yoe + era * 400
	doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153)
	d = doy - int((153 * mp + 2) / 5) + 1
	m = mp + (mp < 10 ? 3 : -9)
	return sprintf("%04d-%02d-%02d", y + (m <= 2), m, d)
}
{
	po = field("po"); sku = field("sku"); ts = field("ts")
	if (po == "")
		next
	if (!(po in FIRST)) {
		FIRST[po] = ts; NPO++; ORDER[NPO] = po
		D = days(substr(ts, 1, 4) + 0, substr(ts, 6, 2) + 0,
		    substr(ts, 9, 2) + 0)
		MADE[po] = date(D - LT[sku]) "T08:00:00Z"
		POSUP[po] = SUP[sku]
	}
	k = po SUBSEP sku
	if (!(k in QTY)) {
		NL[po]++; LSKU[po, NL[po]] = sku; COST[k] = num("unit_cost")
	}
	QTY[k] += num("qty") * 1000
}
END {
	for (i = 1; i <= NPO; i++) {
		po = ORDER[i]
		for (l = 1; l <= NL[po]; l++) {
			sku = LSKU[po, l]; k = po SUBSEP sku
			printf "{\"po\":\"%s\",\"supplier\":\"%s\",\"line\":\"%d\"," \
			    "\"sku\":\"%s\",\"qty\":%s,\"unit_cost\":%s," \
			    "\"ts\":\"%s\",\"approved\":\"%s\"," \
			    "\"ref\":\"sample/%s\"}\n", po, POSUP[po], l, sku,
			    qtext(QTY[k]), COST[k], MADE[po], MADE[po], po
		}
	}
}
function qtext(t,   s) {
	s = sprintf("%d.%03d", int(t / 1000), t % 1000)
	sub(/\.?0+$/, "", s)
	return s
}
