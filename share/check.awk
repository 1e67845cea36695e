# check.awk -- independent consistency check of the ims sample data set.
#
# Run from the top of the repository (POSIX awk; tested with mawk):
#
#     awk -v dir=share -f share/check.awk
#
# Reads dir/suppliers.csv, items.csv, locations.csv, receipts.ndjson and
# moves.ndjson and checks that
#   - the CSV files are RFC 4180 with the expected headers, every item is
#     well formed (EAN-13 check digit, price > unit_cost, min <= reorder
#     point < max, shelf life only for lot items, known supplier, ...), and
#     no location is a prefix (zone) of another;
#   - every NDJSON line has the expected keys in the expected order, lot /
#     serial / expiry exactly as the item's tracking requires, serial lines
#     have qty 1, quantities have at most 3 and costs at most 4 decimals,
#     expiry = receipt date + shelf_life_days, and every ts is a working
#     hour (07:00-18:00 UTC) between 2025-11-26 and 2026-11-25, in order
#     within each file;
#   - every sku and location used is declared, and every ref is unique over
#     both files;
#   - loading receipts.ndjson entirely and then moves.ndjson in file order
#     never takes more than is on hand at (sku, location, lot or serial),
#     and no serial is received twice or is in stock in two places;
#   - the same holds in time order (receipts and moves merged by ts, a
#     receipt first on a tie), and lot items ship first-expiry-first-out.
# Prints one summary line on standard output; problems go to standard error
# and make the exit status 1.

function err(msg) {
    NERR++
    if (NERR <= 30) printf "check.awk: %s\n", msg > "/dev/stderr"
}

# ---------------------------------------------------------------- parsing

function csvsplit(line, f,   n, i, c, fld, inq) {
    n = 0; fld = ""; inq = 0; CSVBAD = 0
    for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (inq) {
            if (c == "\"") {
                if (substr(line, i + 1, 1) == "\"") { fld = fld "\""; i++ }
                else inq = 0
            } else fld = fld c
        } else if (c == ",") { f[++n] = fld; fld = "" }
        else if (c == "\"") {
            if (fld != "") CSVBAD = 1
            inq = 1
        } else {
            if (i > 1 && substr(line, i - 1, 1) == "\"" && fld != "") CSVBAD = 1
            fld = fld c
        }
    }
    if (inq) CSVBAD = 1
    f[++n] = fld
    return n
}
# the value of key in a JSON line as we write them (flat object, string
# values without escapes, numbers); sets JHAS
function jget(line, key,   p, rest) {
    JHAS = 0
    p = index(line, "\"" key "\":")
    if (!p) return ""
    JHAS = 1
    rest = substr(line, p + length(key) + 3)
    if (substr(rest, 1, 1) == "\"") {
        rest = substr(rest, 2)
        return substr(rest, 1, index(rest, "\"") - 1)
    }
    match(rest, /^[^,}]*/)
    return substr(rest, 1, RLENGTH)
}
function jkeys(line,   s, out) {
    out = ""
    s = line
    while (match(s, /"[a-z_]+":/)) {
        out = out (out == "" ? "" : ",") substr(s, RSTART + 1, RLENGTH - 3)
        s = substr(s, RSTART + RLENGTH)
    }
    return out
}
# a non-negative decimal string -> integer in units of 10^-places, or -1
function dec(s, places,   ip, fp, p) {
    if (s !~ /^[0-9]+(\.[0-9]+)?$/) return -1
    p = index(s, ".")
    if (p) { ip = substr(s, 1, p - 1); fp = substr(s, p + 1) } else { ip = s; fp = "" }
    if (length(fp) > places) return -1
    while (length(fp) < places) fp = fp "0"
    return ip * (10 ^ places) + fp
}
function fq(n,   f, s) {
    s = n < 0 ? "-" : ""; if (n < 0) n = -n
    f = n % 1000
    if (f == 0) return s sprintf("%d", int(n / 1000))
    f = sprintf("%03d", f); sub(/0+$/, "", f)
    return s sprintf("%d", int(n / 1000)) "." f
}

# ---------------------------------------------------------------- dates

function dfc(y, m, d,   era, yoe, doy, doe) {
    if (m <= 2) y--
    era = int(y / 400)
    yoe = y - era * 400
    doy = int((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
    doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
    return era * 146097 + doe - 719468
}
function dnum(s) {                    # YYYY-MM-DD -> days, or -1
    if (s !~ /^[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]$/) return -1
    return dfc(substr(s, 1, 4) + 0, substr(s, 6, 2) + 0, substr(s, 9, 2) + 0)
}
function okts(ts, where,   d, h) {
    if (ts !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-5][0-9]:[0-5][0-9]Z$/) {
        err(where ": bad ts \"" ts "\""); return 0
    }
    d = substr(ts, 1, 10); h = substr(ts, 12, 8)
    if (d < "2025-11-26" || d > "2026-11-25") err(where ": ts " ts " outside 2025-11-26..2026-11-25")
    if (h < "07:00:00" || h >= "18:00:00") err(where ": ts " ts " outside working hours")
    return 1
}
function wh(loc) { return substr(loc, 1, index(loc "/", "/") - 1) }

# ---------------------------------------------------------------- stock

function put(tag, sku, loc, id, q,   key) {
    key = tag SUBSEP sku SUBSEP loc SUBSEP id
    if (!(key in BAL)) {
        BAL[key] = 0
        if (tag == "T") { SK[sku] = SK[sku] + 1; SKL[sku, SK[sku]] = loc; SKI[sku, SK[sku]] = id }
    }
    BAL[key] += q
}
function bal(tag, sku, loc, id) { return BAL[tag SUBSEP sku SUBSEP loc SUBSEP id] + 0 }
# post one move line x in pass tag ("L" load order, "T" time order)
function post(tag, x,   sku, id, q, from, to, w, k, e, d) {
    sku = MSKU[x]; id = MID[x]; q = MQ[x]; from = MFROM[x]; to = MTO[x]
    if (from !~ /^@/) {
        if (bal(tag, sku, from, id) < q)
            err((tag == "L" ? "load order" : "time order") ": moves.ndjson:" x ": " sku " " fq(q) " from " from \
                (id == "" ? "" : " " id) " but only " fq(bal(tag, sku, from, id)) " on hand")
        put(tag, sku, from, id, -q)
    }
    if (to !~ /^@/) put(tag, sku, to, id, q)
    if (tag == "T" && TRK[sku] == "lot" && to == "@customer") {
        d = dnum(substr(MTS[x], 1, 10)); w = wh(from)
        if (EXP[sku, id] <= d) err("moves.ndjson:" x ": ships expired lot " id " of " sku)
        for (k = 1; k <= SK[sku]; k++) {
            e = EXP[sku, SKI[sku, k]]
            if (wh(SKL[sku, k]) == w && SKL[sku, k] != "TRANSIT/WH1-WH2" && bal(tag, sku, SKL[sku, k], SKI[sku, k]) > 0 \
                && e > d && e < EXP[sku, id]) {
                err("moves.ndjson:" x ": not FEFO: ships lot " id " of " sku " while lot " SKI[sku, k] " expires earlier")
                break
            }
        }
    }
}
function rcpt(tag, r) { put(tag, RSKU[r], RLOC[r], RID[r], RQ[r]) }

# ---------------------------------------------------------------- main

BEGIN {
    if (dir == "") dir = "share"
    SUPF = dir "/suppliers.csv"; ITF = dir "/items.csv"; LOCF = dir "/locations.csv"
    RCPF = dir "/receipts.ndjson"; MOVF = dir "/moves.ndjson"

    # suppliers
    n = 0
    while ((getline line < SUPF) > 0) {
        n++
        if (n == 1) { if (line != "id,name,lead_time_days,contact") err(SUPF ": bad header"); continue }
        nf = csvsplit(line, f)
        if (nf != 4 || CSVBAD) { err(SUPF ":" n ": bad CSV"); continue }
        if (f[1] in SUP) err(SUPF ":" n ": duplicate id " f[1])
        SUP[f[1]] = 1; NSUP++
        if (f[3] !~ /^[0-9]+$/) err(SUPF ":" n ": bad lead_time_days")
        if (f[4] !~ /^[a-z0-9._-]+@[a-z0-9.-]+\.example\.(com|org)$/) err(SUPF ":" n ": bad contact " f[4])
    }
    close(SUPF)

    # items
    # clients and channels
    CLIF = dir "/clients.csv"; CHF = dir "/channels.csv"
    n = 0
    while ((getline line < CLIF) > 0) {
        n++
        if (n == 1) { if (line != "id,name,contact,rate_unit_day,rate_m3_day,rate_pallet_day,rate_receipt_unit,rate_order,rate_line,rate_ship_unit") err(CLIF ": bad header"); continue }
        nf = csvsplit(line, f)
        if (nf != 10 || CSVBAD) { err(CLIF ":" n ": bad CSV"); continue }
        if (f[1] in CLI) err(CLIF ":" n ": duplicate id " f[1])
        CLI[f[1]] = 1; NCLI++
        for (i = 4; i <= 10; i++) if (f[i] != "" && f[i] !~ /^[0-9]+(\.[0-9]+)?$/) err(CLIF ":" n ": bad rate " f[i])
    }
    close(CLIF)
    n = 0
    while ((getline line < CHF) > 0) {
        n++
        if (n == 1) { if (line != "id,name,buffer,share,cap,sku_column,qty_column") err(CHF ": bad header"); continue }
        nf = csvsplit(line, f)
        if (nf != 7 || CSVBAD) { err(CHF ":" n ": bad CSV"); continue }
        if (f[1] in CHAN) err(CHF ":" n ": duplicate id " f[1])
        CHAN[f[1]] = 1; NCHAN++; SHARES += f[4]
    }
    close(CHF)
    if (SHARES > 100) err(CHF ": shares over 100%")

    H = "sku,name,uom,barcode,unit_cost,price,supplier,lead_time_days,min,max,reorder_point,safety_stock,moq,order_multiple,order_cost,holding_rate,track,shelf_life_days,criticality,owner,packs,order_pack"
    n = 0
    while ((getline line < ITF) > 0) {
        n++; w = ITF ":" n
        if (n == 1) { if (line != H) err(ITF ": bad header"); continue }
        nf = csvsplit(line, f)
        if (nf != 22 || CSVBAD) { err(w ": bad CSV (" nf " fields)"); continue }
        if (f[20] != "" && !(f[20] in CLI)) err(w ": unknown owner " f[20])
        if (f[20] != "") NOWNED++
        if (f[21] != "" && (f[21] != f[22] ":" f[14] || f[21] !~ /^(case|sack|roll):[0-9]+$/)) err(w ": packs " f[21] " are not order_pack:order_multiple")
        if (f[21] != "") NPACKS++
        if (f[2] ~ /[",]/ && substr(line, index(line, ",") + 1, 1) != "\"") err(w ": name not quoted")
        if (f[2] ~ /,/) NCOMMA++
        if (f[2] ~ /"/) NQUOTE++
        sku = f[1]
        if (sku !~ /^A-[0-9]+$/) err(w ": bad sku " sku)
        if (sku in TRK) err(w ": duplicate sku " sku)
        TRK[sku] = f[17]; UOM[sku] = f[3]; SL[sku] = f[18]; NITEMS++
        if (f[3] !~ /^(ea|kg|m)$/) err(w ": bad uom " f[3])
        if (f[4] !~ /^[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]$/) err(w ": bad barcode")
        s = 0; for (i = 1; i <= 12; i++) s += substr(f[4], i, 1) * (i % 2 ? 1 : 3)
        if ((10 - s % 10) % 10 != substr(f[4], 13, 1) + 0) err(w ": bad EAN-13 check digit " f[4])
        if (f[4] in EAN) err(w ": duplicate barcode"); EAN[f[4]] = 1
        c = dec(f[5], 4); p = dec(f[6], 4)
        if (c <= 0) err(w ": bad unit_cost " f[5])
        if (f[6] !~ /^[0-9]+\.[0-9][0-9]$/ || p <= c) err(w ": bad price " f[6])
        if (!(f[7] in SUP)) err(w ": unknown supplier " f[7])
        if (f[8] !~ /^[0-9]+$/ || f[8] + 0 < 2 || f[8] + 0 > 30) err(w ": bad lead_time_days " f[8])
        for (i = 9; i <= 14; i++) if (f[i] !~ /^[0-9]+$/) err(w ": field " i " not an integer: " f[i])
        if (!(f[9] + 0 <= f[11] + 0 && f[11] + 0 < f[10] + 0)) err(w ": not min <= reorder_point < max")
        if (f[13] + 0 < 1 || f[14] + 0 < 1 || f[13] % f[14]) err(w ": bad moq/order_multiple")
        if (f[15] !~ /^[0-9]+\.[0-9][0-9]$/) err(w ": bad order_cost")
        if (f[16] !~ /^0\.[0-9]+$/) err(w ": bad holding_rate")
        if (f[17] !~ /^(none|lot|serial)$/) err(w ": bad track")
        if (f[17] == "lot" ? f[18] !~ /^[0-9]+$/ : f[18] != "") err(w ": shelf_life_days and track disagree")
        if (f[17] == "serial" && f[3] != "ea") err(w ": serial item not in ea")
        if (f[19] !~ /^[VED]$/) err(w ": bad criticality")
        NTRK[f[17]]++
    }
    close(ITF)
    if (NCOMMA < 2 || NQUOTE < 1) err(ITF ": wants names with a comma and with a quote")

    # locations
    n = 0
    while ((getline line < LOCF) > 0) {
        n++
        if (n == 1) { if (line != "code,name,type") err(LOCF ": bad header"); continue }
        nf = csvsplit(line, f)
        if (nf != 3 || CSVBAD) { err(LOCF ":" n ": bad CSV"); continue }
        if (f[1] in LTYPE) err(LOCF ":" n ": duplicate " f[1])
        if (f[3] !~ /^(internal|transit)$/) err(LOCF ":" n ": bad type")
        LTYPE[f[1]] = f[3]; NLOC++; LC[NLOC] = f[1]
    }
    close(LOCF)
    for (i = 1; i <= NLOC; i++) for (j = 1; j <= NLOC; j++)
        if (i != j && index(LC[j], LC[i] "/") == 1) err(LOCF ": " LC[i] " is a zone of " LC[j])

    # receipts
    n = 0; last = ""
    while ((getline line < RCPF) > 0) {
        n++; w = "receipts.ndjson:" n
        sku = jget(line, "sku"); t = TRK[sku]
        if (!(sku in TRK)) { err(w ": unknown sku " sku); continue }
        want = "sku,qty,location" (t == "lot" ? ",lot" : "") (t == "serial" ? ",serial" : "") (t == "lot" ? ",expiry" : "") ",unit_cost,po,ref,ts"
        if (jkeys(line) != want) err(w ": keys " jkeys(line) ", want " want)
        q = dec(jget(line, "qty"), 3)
        if (q <= 0) err(w ": bad qty")
        if (UOM[sku] == "ea" && q % 1000) err(w ": fractional qty of an ea item")
        loc = jget(line, "location")
        if (LTYPE[loc] != "internal") err(w ": location " loc " is not a declared internal location")
        if (dec(jget(line, "unit_cost"), 4) <= 0) err(w ": bad unit_cost")
        if (jget(line, "po") !~ /^PO-20[0-9][0-9]-[0-9][0-9][0-9][0-9]$/) err(w ": bad po")
        ref = jget(line, "ref"); ts = jget(line, "ts")
        if (ref in REF) err(w ": duplicate ref " ref " (first " REF[ref] ")"); REF[ref] = w
        okts(ts, w)
        if (ts < last) err(w ": ts goes back")
        last = ts
        id = ""
        if (t == "lot") {
            id = jget(line, "lot")
            if (id !~ /^L[0-9][0-9][0-9][0-9]-[0-9]+$/) err(w ": bad lot " id)
            e = dnum(jget(line, "expiry"))
            if (e != dnum(substr(ts, 1, 10)) + SL[sku]) err(w ": expiry is not receipt date + shelf_life_days")
            if ((sku, id) in EXP && EXP[sku, id] != e) err(w ": lot " id " with two expiry dates")
            EXP[sku, id] = e
        }
        if (t == "serial") {
            id = jget(line, "serial")
            if (id !~ /^SN-A[0-9]+-[0-9]+$/) err(w ": bad serial " id)
            if (q != 1000) err(w ": serial line with qty " fq(q))
            if (id in SER) err(w ": serial " id " received twice")
            SER[id] = 1
        }
        NR_++; RSKU[NR_] = sku; RQ[NR_] = q; RLOC[NR_] = loc; RID[NR_] = id; RTS[NR_] = ts
    }
    close(RCPF)

    # moves
    n = 0; last = ""
    while ((getline line < MOVF) > 0) {
        n++; w = "moves.ndjson:" n
        sku = jget(line, "sku"); t = TRK[sku]
        if (!(sku in TRK)) { err(w ": unknown sku " sku); continue }
        want = "sku,qty,from,to" (t == "lot" ? ",lot" : "") (t == "serial" ? ",serial" : "") ",ref,ts"
        if (jkeys(line) != want) err(w ": keys " jkeys(line) ", want " want)
        q = dec(jget(line, "qty"), 3)
        if (q <= 0) err(w ": bad qty")
        if (UOM[sku] == "ea" && q % 1000) err(w ": fractional qty of an ea item")
        from = jget(line, "from"); to = jget(line, "to")
        if (!(from in LTYPE)) err(w ": from " from " is not a declared location")
        if (!(to in LTYPE) && to != "@customer" && to != "@scrap") err(w ": to " to " is not a declared location")
        if (from == to) err(w ": from = to")
        if (to == "TRANSIT/WH1-WH2" && wh(from) != "WH1") err(w ": into transit not from WH1")
        if (from == "TRANSIT/WH1-WH2" && wh(to) != "WH2") err(w ": out of transit not into WH2")
        if (from != "TRANSIT/WH1-WH2" && to != "TRANSIT/WH1-WH2" && to !~ /^@/ && wh(from) != wh(to)) err(w ": between warehouses without transit")
        ref = jget(line, "ref"); ts = jget(line, "ts")
        if (ref in REF) err(w ": duplicate ref " ref " (first " REF[ref] ")"); REF[ref] = w
        okts(ts, w)
        if (ts < last) err(w ": ts goes back")
        last = ts
        id = ""
        if (t == "lot") { id = jget(line, "lot"); if (!((sku, id) in EXP)) err(w ": lot " id " of " sku " never received") }
        if (t == "serial") {
            id = jget(line, "serial")
            if (!(id in SER)) err(w ": serial " id " never received")
            if (q != 1000) err(w ": serial line with qty " fq(q))
        }
        NM++; MSKU[NM] = sku; MQ[NM] = q; MFROM[NM] = from; MTO[NM] = to; MID[NM] = id; MTS[NM] = ts
        if (to == "@customer") NSHIP++
        else if (to == "@scrap") NSCRAP++
        else if (to == "TRANSIT/WH1-WH2" || from == "TRANSIT/WH1-WH2") NTRANSIT++
        else NINTERNAL++
    }
    close(MOVF)

    # pass 1: receipts.ndjson entirely, then moves.ndjson in file order
    for (r = 1; r <= NR_; r++) rcpt("L", r)
    for (x = 1; x <= NM; x++) post("L", x)
    # serials: never more than one on hand anywhere
    for (r = 1; r <= NR_; r++) if (RID[r] ~ /^SN-/) SERON[RID[r]] = 0
    for (key in BAL) {
        split(key, kk, SUBSEP)
        if (kk[1] == "L" && kk[4] ~ /^SN-/ && BAL[key] != 0) {
            SERON[kk[4]] += BAL[key]
            if (BAL[key] != 1000) err("serial " kk[4] " has balance " fq(BAL[key]) " at " kk[3])
        }
    }
    for (id in SERON) if (SERON[id] > 1000) err("serial " id " in stock " fq(SERON[id]) " times")

    # pass 2: in time order, receipts first on equal ts; FEFO
    r = 1
    for (x = 1; x <= NM; x++) {
        while (r <= NR_ && RTS[r] <= MTS[x]) rcpt("T", r++)
        post("T", x)
    }
    while (r <= NR_) rcpt("T", r++)

    # final on hand per warehouse (both passes end equal)
    for (key in BAL) {
        split(key, kk, SUBSEP)
        if (kk[1] != "L") continue
        if (BAL[key] != BAL["T" SUBSEP kk[2] SUBSEP kk[3] SUBSEP kk[4]]) err("passes disagree at " kk[2] " " kk[3])
        ON[wh(kk[3])] += BAL[key]
    }

    printf "check.awk: %s: %d items (%d none, %d lot, %d serial), %d suppliers, %d locations, %d receipts, %d moves (%d shipments, %d internal, %d transit, %d scrap); on hand WH1 %s, WH2 %s, TRANSIT %s\n", \
        NERR ? "FAILED with " NERR " problems" : "ok", NITEMS, NTRK["none"], NTRK["lot"], NTRK["serial"], NSUP, NLOC, \
        NR_, NM, NSHIP, NINTERNAL, NTRANSIT, NSCRAP, fq(ON["WH1"]), fq(ON["WH2"]), fq(ON["TRANSIT"])
    printf "check.awk: %d clients owning %d items, %d channels, %d items with packs\n", NCLI, NOWNED, NCHAN, NPACKS
    exit NERR ? 1 : 0
}
