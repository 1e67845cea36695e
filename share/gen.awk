# gen.awk -- deterministic generator of the ims sample data set.
#
# Run from the top of the repository (POSIX awk; tested with mawk and gawk):
#
#     awk -v out=share -f share/gen.awk
#
# It (over)writes, in the directory given by `out` (default: share):
#
#     suppliers.csv  items.csv  locations.csv  receipts.ndjson  moves.ndjson
#
# and prints a short summary on standard error.  The output depends only on
# the seed (default 20260501, override with -v seed=N): the script has its
# own random generator (Park-Miller, multiplier 48271) and never uses awk's
# rand(), never iterates over arrays with `for (k in a)`, and never prints a
# binary floating point number (quantities are kept in integer thousandths,
# money in integer ten-thousandths), so every awk gives the same bytes.
# -v debug=1 also lists every item's demand rank, rate and lost order
# lines on standard error.
#
# How the data is made: a day-by-day simulation from 2025-11-26 to
# 2026-11-25 (a year) over all events in time order.  Each working day has jobs at
# given times: supplier deliveries (receipts of purchase orders placed
# lead-time days earlier), put-away replenishment from reserve bins to pick
# bins, transfers WH1 -> TRANSIT/WH1-WH2 -> WH2, customer orders (Zipf-like
# popularity, weekday pattern, summer and winter seasonal items, holiday
# dips at Christmas and in August), the odd damaged item and expired lots to @scrap, and a
# reorder run after work that places (s,S) purchase orders with the
# reorder_point/max/moq/order_multiple that items.csv publishes.  A move or
# shipment only takes what is on hand at that (sku, location, lot/serial) at
# that moment; lot items ship FEFO and serial items FIFO, one line per unit.
# Timestamps strictly increase over both files taken together, so the data
# is consistent both in time order and when receipts.ndjson is loaded first
# and moves.ndjson after it.  Check it with:
#
#     awk -v dir=share -f share/check.awk

# ---------------------------------------------------------------- random

function rnd() {
    SEED = (SEED * 48271) % 2147483647
    return SEED / 2147483647
}
function ri(a, b) { return a + int(rnd() * (b - a + 1)) }
function chance(p) { return rnd() < p }
function pickl(list,   a, n) { n = split(list, a, ";"); return a[ri(1, n)] }
function geom(m,   k, p) {                 # 0,1,2,... with mean m
    k = 0
    if (m <= 0) return 0
    p = m / (1 + m)
    while (rnd() < p) k++
    return k
}
function poisson(l,   L, k, p) {
    if (l <= 0) return 0
    L = exp(-l); k = 0; p = rnd()
    while (p > L) { k++; p *= rnd() }
    return k
}
function gauss() { return (rnd() + rnd() + rnd() + rnd() - 2) * 1.7320508 }

# ---------------------------------------------------------------- dates

function dfc(y, m, d,   era, yoe, doy, doe) {   # days since 1970-01-01
    if (m <= 2) y--
    era = int(y / 400)
    yoe = y - era * 400
    doy = int((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
    doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
    return era * 146097 + doe - 719468
}
function civ(z,   era, doe, yoe, y, doy, mp, d, m) {
    z += 719468
    era = int(z / 146097)
    doe = z - era * 146097
    yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
    y = yoe + era * 400
    doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
    mp = int((5 * doy + 2) / 153)
    d = doy - int((153 * mp + 2) / 5) + 1
    m = mp < 10 ? mp + 3 : mp - 9
    if (m <= 2) y++
    CY = y; CM = m; CD = d
    return sprintf("%04d-%02d-%02d", y, m, d)
}
function wday(z) { return (z + 4) % 7 }          # 0 = Sunday
function workday(z) {                            # same day, or next Monday
    while (wday(z) == 0 || wday(z) == 6) z++
    return z
}
function hms(s) { return sprintf("%02d:%02d:%02d", int(s / 3600), int(s / 60) % 60, s % 60) }

# ---------------------------------------------------------------- formatting

function fq(n,   f) {                   # thousandths -> JSON number
    n = int(n + 0.5)
    f = n % 1000
    if (f == 0) return sprintf("%d", int(n / 1000))
    f = sprintf("%03d", f); sub(/0+$/, "", f)
    return sprintf("%d", int(n / 1000)) "." f
}
function fm(n,   f) {                   # ten-thousandths -> JSON number
    n = int(n + 0.5)
    f = n % 10000
    if (f == 0) return sprintf("%d", int(n / 10000))
    f = sprintf("%04d", f); sub(/0+$/, "", f)
    return sprintf("%d", int(n / 10000)) "." f
}
function fm2(n,   f) {                  # ten-thousandths, 2 to 4 decimals
    n = int(n + 0.5)
    f = sprintf("%04d", n % 10000); sub(/0+$/, "", f)
    while (length(f) < 2) f = f "0"
    return sprintf("%d", int(n / 10000)) "." f
}
function fc(c) { c = int(c + 0.5); return sprintf("%d.%02d", int(c / 100), c % 100) }
function csvq(s) {
    if (s ~ /[",\r\n]/) { gsub(/"/, "\"\"", s); return "\"" s "\"" }
    return s
}
function ean13(d12,   i, s) {
    s = 0
    for (i = 1; i <= 12; i++) s += substr(d12, i, 1) * (i % 2 ? 1 : 3)
    return d12 ((10 - s % 10) % 10)
}

# ---------------------------------------------------------------- catalogue

# S(template, variants, uom, category, track, shelf life, cost of the first
#   and of the last variant, pack (demand granularity, in uom), mean packs per
#   order line (for kg and m: mean quantity), popularity weight, season)
function S(tmpl, vars, u, cat, trk, shelf, clo, chi, pk, mpk, popw, seas,   n, v, j, p, nm, c) {
    if (vars == "") { n = 1; v[1] = "" } else n = split(vars, v, ";")
    for (j = 1; j <= n; j++) {
        p = index(tmpl, "%s")
        nm = p ? substr(tmpl, 1, p - 1) v[j] (p + 2 <= length(tmpl) ? substr(tmpl, p + 2) : "") : tmpl
        N++
        NAME[N] = nm; UOM[N] = u; CAT[N] = cat; TRK[N] = trk; SL[N] = shelf
        c = n > 1 ? clo + (chi - clo) * (j - 1) / (n - 1) : clo
        COSTF[N] = c * (0.95 + 0.1 * rnd())
        PKM[N] = int(pk * 1000 + 0.5); MPK[N] = mpk; POPW[N] = popw; SEAS[N] = seas
    }
}

function catalogue() {
    # fasteners
    S("Hex bolt M%s", "6x20;6x30;8x30;8x40;8x50;10x40;10x60;12x80", "ea", "fast", "none", 0, 0.035, 0.42, 50, 2, 3, "")
    S("Hex nut M%s", "6;8;10;12;16", "ea", "fast", "none", 0, 0.012, 0.09, 100, 1.5, 3, "")
    S("Flat washer M%s", "6;8;10;12", "ea", "fast", "none", 0, 0.004, 0.03, 100, 1.5, 2.5, "")
    S("Wood screw %s", "3.5x30;4x40;4x50;5x60;5x80", "ea", "fast", "none", 0, 0.018, 0.075, 100, 1.5, 2.5, "")
    S("Self-tapping screw %s", "3.5x13;4.2x19;4.8x25", "ea", "fast", "none", 0, 0.02, 0.05, 100, 1, 1.5, "")
    S("Anchor bolt M%s", "8x75;10x100;12x120", "ea", "fast", "none", 0, 0.45, 1.6, 10, 1.5, 1.5, "")
    S("Threaded rod M%s 1m", "8;10;12", "ea", "fast", "none", 0, 1.2, 3.4, 1, 4, 1, "")
    S("Wall plug %s", "6mm;8mm;10mm", "ea", "fast", "none", 0, 0.01, 0.03, 100, 1.5, 2, "")
    # electrical
    S("Cable tie, %s", "100mm;200mm;300mm black;450mm UV-resistant", "ea", "elec", "none", 0, 0.008, 0.06, 100, 2, 3, "")
    S("Copper wire H07V-K %s", "1.5mm2 red;1.5mm2 blue;2.5mm2 brown;2.5mm2 green-yellow", "m", "elec", "none", 0, 0.28, 0.45, 0.5, 25, 1.5, "")
    S("Installation cable NYM-J %s", "3x1.5;3x2.5;5x2.5", "m", "elec", "none", 0, 0.65, 1.9, 1, 30, 1.5, "")
    S("Fuse %sA", "6;10;16", "ea", "elec", "none", 0, 0.18, 0.25, 10, 1, 1, "")
    S("Circuit breaker B%s", "10;16;20;32", "ea", "elec", "none", 0, 3.2, 4.8, 1, 2, 1.2, "")
    S("LED bulb E27 %sW", "6;9;12", "ea", "elec", "none", 0, 1.4, 2.6, 1, 4, 2, "")
    S("LED tube T8 %s", "60cm;120cm;150cm", "ea", "elec", "none", 0, 3.5, 6.5, 1, 4, 1, "")
    S("Extension cord %s", "3m;5m;10m", "ea", "elec", "none", 0, 6.5, 14, 1, 1.5, 1, "")
    S("Wago connector %s-pole", "2;3;5", "ea", "elec", "none", 0, 0.18, 0.32, 50, 1, 1.5, "")
    S("Battery %s", "AA, 4-pack;AAA, 4-pack;9V", "ea", "elec", "none", 0, 2.1, 3.2, 1, 5, 2, "")
    S("Heat shrink tube %s", "3mm;6mm", "m", "elec", "none", 0, 0.12, 0.3, 1, 5, 0.8, "")
    S("LED work light %sW", "20;50", "ea", "elec", "none", 0, 18, 32, 1, 1, 0.7, "winter")
    S("Space heater 2kW", "", "ea", "elec", "none", 0, 24, 24, 1, 1, 0.6, "winter")
    S("Desk fan 40cm", "", "ea", "elec", "none", 0, 16, 16, 1, 1, 1.5, "summer")
    # personal protective equipment
    S("Nitrile gloves %s", "S;M;L;XL", "ea", "ppe", "lot", 720, 5.2, 5.6, 1, 4, 3, "")
    S("Gloves, cut resistant %s", "M;L;XL", "ea", "ppe", "none", 0, 3.8, 4.2, 1, 5, 1.5, "")
    S("Safety glasses %s", "clear;tinted", "ea", "ppe", "none", 0, 2.4, 2.9, 1, 4, 1.5, "")
    S("Hi-vis vest %s", "M;L;XL;XXL", "ea", "ppe", "none", 0, 2.1, 2.4, 1, 5, 1.2, "")
    S("Hard hat %s", "white;yellow;blue", "ea", "ppe", "none", 0, 6.5, 6.5, 1, 2, 0.8, "")
    S("Ear plugs, box of 200", "", "ea", "ppe", "none", 0, 18, 18, 1, 1, 1, "")
    S("Dust mask FFP%s", "2;3", "ea", "ppe", "lot", 720, 0.55, 0.95, 20, 2, 2, "")
    S("Safety boots S3 size %s", "42;43;44", "ea", "ppe", "none", 0, 38, 42, 1, 1, 0.5, "")
    S("Winter work gloves %s", "M;L;XL", "ea", "ppe", "none", 0, 3.5, 3.9, 1, 5, 2.5, "winter")
    S("Rain jacket %s", "L;XL", "ea", "ppe", "none", 0, 14, 16, 1, 1, 0.6, "winter")
    S("First aid kit DIN 13157", "", "ea", "ppe", "lot", 720, 24, 24, 1, 1, 0.5, "")
    S("Eye wash bottle 500ml", "", "ea", "ppe", "lot", 540, 7.5, 7.5, 1, 2, 0.4, "")
    # food
    S("Olive oil %s", "1L;5L", "ea", "food", "lot", 540, 5.8, 26, 1, 6, 2.5, "")
    S("Sunflower oil %s", "1L;5L", "ea", "food", "lot", 360, 1.9, 8.5, 1, 6, 2, "")
    S("Rice %s", "basmati;jasmine;arborio", "kg", "food", "lot", 540, 1.9, 2.8, 0.005, 12, 2, "")
    S("Flour %s", "type 405;type 550;wholemeal", "kg", "food", "lot", 270, 0.55, 0.8, 0.005, 15, 2, "")
    S("Sugar %s", "white;cane", "kg", "food", "lot", 720, 0.9, 1.6, 0.005, 10, 1.5, "")
    S("Coffee beans %s", "espresso;crema;decaf", "kg", "food", "lot", 360, 14, 19, 0.005, 4, 2, "")
    S("Pasta %s 500g", "penne;spaghetti;fusilli;farfalle", "ea", "food", "lot", 540, 0.85, 0.95, 1, 12, 2.5, "")
    S("Canned tomatoes 400g", "", "ea", "food", "lot", 720, 0.7, 0.7, 1, 12, 2, "")
    S("Chickpeas 400g can", "", "ea", "food", "lot", 720, 0.8, 0.8, 1, 8, 1, "")
    S("Tuna in olive oil 160g", "", "ea", "food", "lot", 720, 2.1, 2.1, 1, 10, 1.5, "")
    S("Sea salt %s", "fine;coarse", "kg", "food", "lot", 720, 0.6, 0.7, 0.005, 5, 1, "")
    S("Black pepper ground 500g", "", "ea", "food", "lot", 540, 6.9, 6.9, 1, 2, 0.8, "")
    S("Oat flakes", "", "kg", "food", "lot", 270, 1.2, 1.2, 0.005, 8, 1, "")
    S("Honey 500g", "", "ea", "food", "lot", 720, 4.6, 4.6, 1, 4, 0.8, "")
    S("Tea %s, 100 bags", "black;green", "ea", "food", "lot", 540, 3.2, 4.1, 1, 3, 1, "")
    S("Balsamic vinegar 500ml", "", "ea", "food", "lot", 720, 3.4, 3.4, 1, 3, 0.6, "")
    S("UHT milk 1L", "", "ea", "food", "lot", 180, 0.78, 0.78, 1, 24, 3, "")
    S("Parmesan cheese", "", "kg", "food", "lot", 180, 16.5, 16.5, 0.005, 2, 0.8, "")
    S("%s", "Dried apricots;Almonds;Walnuts", "kg", "food", "lot", 270, 7.5, 14, 0.005, 3, 0.7, "")
    S("Iced tea 1.5L", "", "ea", "food", "lot", 270, 0.95, 0.95, 1, 12, 2.5, "summer")
    S("Mineral water 1.5L, 6-pack", "", "ea", "food", "lot", 360, 1.9, 1.9, 1, 10, 8, "summer")
    S("Hot chocolate powder 1kg", "", "ea", "food", "lot", 360, 6.2, 6.2, 1, 3, 0.7, "winter")
    S("Gingerbread 500g", "", "ea", "food", "lot", 180, 2.8, 2.8, 1, 6, 0.8, "winter")
    S("Chocolate bar 100g %s", "dark;milk;hazelnut", "ea", "food", "lot", 360, 0.95, 1.1, 1, 12, 1.2, "")
    # chemicals
    S("Silicone sealant %s 310ml", "clear;white;grey", "ea", "chem", "lot", 360, 4.2, 4.6, 1, 3, 1.5, "")
    S("Epoxy adhesive %s", "25ml;50ml", "ea", "chem", "lot", 540, 5.5, 8.9, 1, 2, 0.8, "")
    S("Penetrating oil 400ml", "", "ea", "chem", "lot", 720, 4.9, 4.9, 1, 3, 1.5, "")
    S("Isopropyl alcohol %s", "1L;5L", "ea", "chem", "lot", 720, 4.5, 17, 1, 2, 1, "")
    S("Hand sanitizer %s", "500ml;5L", "ea", "chem", "lot", 540, 3.1, 19.5, 1, 4, 1.5, "")
    S("%s", "Cleaning detergent 5L;Degreaser 1L;Floor cleaner 10L", "ea", "chem", "lot", 540, 9.5, 14, 1, 3, 1.2, "")
    S("Wall paint white %s", "2.5L;10L", "ea", "chem", "lot", 540, 11, 34, 1, 2, 1, "summer")
    S("Primer grey 2.5L", "", "ea", "chem", "lot", 540, 16.5, 16.5, 1, 1, 0.5, "")
    S("Spray paint %s 400ml", "black;white;RAL 7035", "ea", "chem", "lot", 720, 4.1, 4.8, 1, 4, 1, "")
    S("Lubricating grease 400g", "", "ea", "chem", "lot", 720, 3.9, 3.9, 1, 3, 0.8, "")
    S("Hydraulic oil HLP46 20L", "", "ea", "chem", "lot", 720, 58, 58, 1, 1, 0.4, "")
    S("De-icing salt", "", "kg", "chem", "none", 0, 0.18, 0.18, 5, 75, 8, "winter")
    S("Antifreeze concentrate 5L", "", "ea", "chem", "lot", 720, 12.5, 12.5, 1, 4, 2, "winter")
    S("Screen wash summer 5L", "", "ea", "chem", "lot", 720, 3.2, 3.2, 1, 6, 0.8, "summer")
    S("Thread locker medium 50ml", "", "ea", "chem", "lot", 540, 9.4, 9.4, 1, 2, 0.6, "")
    # hand tools and abrasives
    S("Screwdriver set 6pc", "", "ea", "tool", "none", 0, 12.5, 12.5, 1, 1, 0.8, "")
    S("Claw hammer 500g", "", "ea", "tool", "none", 0, 9.9, 9.9, 1, 1, 0.7, "")
    S("Tape measure %s", "3m;5m;8m", "ea", "tool", "none", 0, 2.9, 6.5, 1, 2, 1.2, "")
    S("Utility knife", "", "ea", "tool", "none", 0, 3.4, 3.4, 1, 2, 1, "")
    S("Utility blades, 10-pack", "", "ea", "tool", "none", 0, 1.6, 1.6, 1, 4, 1.5, "")
    S("Spirit level %s", "60cm;120cm", "ea", "tool", "none", 0, 11, 19, 1, 1, 0.5, "")
    S("%s", "Combination pliers 180mm;Side cutter 160mm;Adjustable wrench 250mm;Hex key set 9pc", "ea", "tool", "none", 0, 6.5, 12, 1, 1, 0.7, "")
    S("Socket set 1/2in 24pc", "", "ea", "tool", "none", 0, 39, 39, 1, 1, 0.4, "")
    S("HSS drill bit %smm", "4;5;6;8", "ea", "tool", "none", 0, 0.6, 2.9, 1, 5, 1.5, "")
    S("Masonry drill bit %smm", "6;8;10", "ea", "tool", "none", 0, 1.2, 2.1, 1, 4, 1.2, "")
    S("Cutting disc 125mm", "", "ea", "tool", "none", 0, 0.85, 0.85, 10, 2, 2.5, "")
    S("Flap disc 125mm K%s", "60", "ea", "tool", "none", 0, 1.9, 2.0, 10, 1, 1, "")
    S("Sanding sheet P%s", "80;120", "ea", "tool", "none", 0, 0.35, 0.38, 10, 3, 1.2, "")
    S("Paint brush %smm", "25;50;75", "ea", "tool", "none", 0, 1.4, 3.2, 1, 4, 1, "summer")
    S("Paint roller 250mm", "", "ea", "tool", "none", 0, 4.2, 4.2, 1, 2, 0.8, "summer")
    S("Caulking gun", "", "ea", "tool", "none", 0, 5.6, 5.6, 1, 1, 0.5, "")
    S("Wheelbarrow 100L", "", "ea", "tool", "none", 0, 49, 49, 1, 1, 0.3, "summer")
    S("Step ladder 3-step", "", "ea", "tool", "none", 0, 36, 36, 1, 1, 0.3, "")
    S("Circular saw blade 190mm", "", "ea", "tool", "none", 0, 14, 14, 1, 1, 0.5, "")
    # serial-numbered equipment
    S("Barcode scanner %s", "handheld;cordless;presentation", "ea", "scan", "serial", 0, 95, 240, 1, 1, 0.6, "")
    S("Handheld terminal %s", "Android 5in;Android 6in", "ea", "scan", "serial", 0, 620, 780, 1, 1, 0.4, "")
    S("Label printer %s", "desktop;industrial", "ea", "scan", "serial", 0, 310, 1150, 1, 1, 0.4, "")
    S("Receipt printer 80mm", "", "ea", "scan", "serial", 0, 180, 180, 1, 1, 0.3, "")
    S("Rugged tablet 10in", "", "ea", "scan", "serial", 0, 890, 890, 1, 1, 0.3, "")
    S("Network switch 24-port", "", "ea", "scan", "serial", 0, 240, 240, 1, 1, 0.3, "")
    S("UPS 1500VA", "", "ea", "scan", "serial", 0, 380, 380, 1, 1, 0.3, "")
    S("%s", "Cordless drill 18V;Impact driver 18V;Hammer drill SDS-plus;Angle grinder 125mm;Circular saw 190mm;Jigsaw 650W", "ea", "power", "serial", 0, 89, 149, 1, 1, 0.6, "")
    S("%s", "Laser distance meter 50m;Cross line laser;Digital multimeter;Clamp meter 600A;Thermal camera", "ea", "power", "serial", 0, 45, 420, 1, 1, 0.4, "")
    S("%s", "Pressure washer 150bar;Cordless vacuum 18V;Generator 3kW;Welding inverter 200A;Air compressor 50L", "ea", "power", "serial", 0, 139, 560, 1, 1, 0.3, "")
    S("%s", "Pallet jack 2.5t;Platform scale 300kg;Dehumidifier 20L", "ea", "power", "serial", 0, 189, 320, 1, 1, 0.3, "")
    # packaging
    S("Carton box %s", "300x200x150;400x300x200;600x400x400;800x600x400", "ea", "pack", "none", 0, 0.45, 2.1, 25, 2, 3, "")
    S("Stretch film 500mm %s", "17my;23my", "ea", "pack", "none", 0, 6.8, 8.9, 1, 6, 2, "")
    S("Packing tape 50mm %s", "brown;clear;fragile print", "ea", "pack", "none", 0, 1.1, 1.6, 6, 2, 2.5, "")
    S("Bubble wrap %s", "50cm;100cm", "m", "pack", "none", 0, 0.25, 0.48, 5, 25, 1.5, "")
    S("EUR pallet 1200x800", "", "ea", "pack", "none", 0, 14.5, 14.5, 1, 5, 1.5, "")
    S("Shipping label 100x150, roll of 500", "", "ea", "pack", "none", 0, 6.9, 6.9, 1, 2, 1.5, "")
    S("Kraft paper 75cm", "", "m", "pack", "none", 0, 0.09, 0.09, 1, 50, 1, "")
    S("Polypropylene rope %smm", "6;10", "m", "pack", "none", 0, 0.12, 0.28, 0.5, 20, 0.8, "")
    S("Strapping seals 13mm, box of 1000", "", "ea", "pack", "none", 0, 19, 19, 1, 1, 0.5, "")
    S("Zip bag %s, 100-pack", "100x150;200x300", "ea", "pack", "none", 0, 1.9, 3.6, 1, 3, 1, "")
    S("Corner protector 50mm", "", "ea", "pack", "none", 0, 0.08, 0.08, 50, 2, 0.8, "")
    S("Desiccant bag 10g", "", "ea", "pack", "lot", 720, 0.06, 0.06, 100, 1, 0.8, "")
    # office
    S("Copy paper A4 80g, 500 sheets", "", "ea", "office", "none", 0, 3.9, 3.9, 5, 2, 2.5, "")
    S("Copy paper A3 80g, 500 sheets", "", "ea", "office", "none", 0, 8.2, 8.2, 1, 2, 0.6, "")
    S("Ballpoint pen %s", "blue;black", "ea", "office", "none", 0, 0.22, 0.22, 10, 1, 1.2, "")
    S("Permanent marker %s", "black", "ea", "office", "none", 0, 0.9, 0.9, 1, 4, 1.2, "")
    S("Whiteboard marker set, 4 colours", "", "ea", "office", "none", 0, 4.2, 4.2, 1, 1, 0.6, "")
    S("Stapler", "", "ea", "office", "none", 0, 7.5, 7.5, 1, 1, 0.4, "")
    S("Staples 24/6, box of 1000", "", "ea", "office", "none", 0, 0.65, 0.65, 1, 3, 0.8, "")
    S("Sticky notes 76x76mm", "", "ea", "office", "none", 0, 0.55, 0.55, 12, 1, 1, "")
    S("Ring binder A4 %smm", "80", "ea", "office", "none", 0, 1.7, 1.9, 1, 6, 0.8, "")
    S("Toner cartridge %s", "black;cyan;magenta;yellow", "ea", "office", "none", 0, 62, 84, 1, 1, 0.6, "")
    S("Label tape 12mm", "", "ea", "office", "none", 0, 11.5, 11.5, 1, 2, 0.6, "")
    S("Envelope C4, 50-pack", "", "ea", "office", "none", 0, 4.4, 4.4, 1, 2, 0.5, "")
    S("Desktop calculator", "", "ea", "office", "none", 0, 9.5, 9.5, 1, 1, 0.3, "")
    # plumbing
    S("PVC pipe %smm", "32;40;50;110", "m", "plumb", "none", 0, 1.1, 4.8, 1, 8, 1, "")
    S("Garden hose 1/2in", "", "m", "plumb", "none", 0, 0.75, 0.75, 1, 15, 2, "summer")
    S("Ball valve %s", "1/2in;3/4in;1in", "ea", "plumb", "none", 0, 6.5, 13.9, 1, 2, 0.8, "")
    S("PVC elbow 90deg %smm", "32;50", "ea", "plumb", "none", 0, 0.6, 1.1, 5, 2, 0.8, "")
    S("PTFE tape 12mm", "", "ea", "plumb", "none", 0, 0.35, 0.35, 10, 1, 1, "")
    S("Pipe clamp %smm", "15;22", "ea", "plumb", "none", 0, 0.3, 0.45, 10, 2, 0.8, "")
    S("Copper pipe %smm", "15;22", "m", "plumb", "none", 0, 6.5, 10.5, 1, 6, 0.6, "")
    S("Compression fitting %smm", "15", "ea", "plumb", "none", 0, 2.1, 3.4, 1, 4, 0.6, "")
    S("Siphon 40mm", "", "ea", "plumb", "none", 0, 6.9, 6.9, 1, 1, 0.3, "")
    S("Submersible pump 400W", "", "ea", "plumb", "none", 0, 79, 79, 1, 1, 0.2, "summer")
    # racks and IT accessories
    S("19\" rack shelf %s", "1U;2U", "ea", "it", "none", 0, 24, 36, 1, 1, 0.5, "")
    S("19\" blanking panel 1U", "", "ea", "it", "none", 0, 4.5, 4.5, 1, 4, 0.5, "")
    S("19\" cage nuts M6, 50-pack", "", "ea", "it", "none", 0, 9.9, 9.9, 1, 2, 0.6, "")
    S("Patch cable Cat6 %s", "0.5m;1m;2m;5m", "ea", "it", "none", 0, 1.1, 3.4, 1, 6, 1.5, "")
    S("Network cable Cat6 solid", "", "m", "it", "none", 0, 0.32, 0.32, 1, 40, 0.8, "")
    S("USB-C charger 65W", "", "ea", "it", "none", 0, 18.5, 18.5, 1, 1, 0.7, "")
    S("%s", "USB keyboard;Optical mouse;HDMI cable 2m", "ea", "it", "none", 0, 4.5, 12, 1, 2, 0.8, "")
}

function suppliers(   s) {
    s = "Nordbolt Fasteners GmbH|7|orders@nordbolt.example.com;" \
        "Hansen Industrial Supply A/S|10|salg@hansen-industrial.example.org;" \
        "SafeHands PPE Ltd|5|sales@safehands.example.com;" \
        "Voltline Electrical|6|orders@voltline.example.com;" \
        "Mediterranea Foods S.p.A.|14|export@mediterranea.example.org;" \
        "Alpine Pantry GmbH|9|bestellung@alpinepantry.example.com;" \
        "ChemClean Solutions|8|orders@chemclean.example.org;" \
        "ToolPro Distribution|12|purchasing@toolpro.example.com;" \
        "ScanTech Devices, Inc.|21|channel@scantech.example.com;" \
        "Baltic Packaging Ltd|4|orders@balticpack.example.org;" \
        "OfficeMate Supplies|3|service@officemate.example.com;" \
        "AquaFlow Plumbing|11|trade@aquaflow.example.org"
    NS = split(s, SUPREC, ";")
}

# ---------------------------------------------------------------- demand model

# doy counts days from 2026-01-01 (day 1), before it too: yday() is the
# day of its year (2025 and 2026 have 365 days each).
function yday(doy) { return (doy - 1 + 3650) % 365 + 1 }
function seasf(tag, doy,   w) {
    doy = yday(doy)
    if (tag == "summer") return 0.35 + 1.3 * exp(-((doy - 200) / 45) ^ 2)
    if (tag == "winter") {                    # November to March, top in January
        w = doy - 15; if (w < 0) w = -w; if (w > 182) w = 365 - w
        return 0.3 + 2.2 / (1 + exp((w - 75) / 12))
    }
    return 1
}
function dayf(doy,   f) {                     # trend and holidays
    f = 1 + 0.12 * (doy - (D0 - JAN1 + 1)) / (D1 - D0)
    doy = yday(doy)
    if (doy >= 222 && doy <= 235) f *= 0.7
    if (doy >= 358 || doy <= 2) f *= 0.5
    return f
}

# ---------------------------------------------------------------- stock

function addq(i, l, lot, ex, ord, q,   key, k) {
    key = i SUBSEP l SUBSEP lot
    if (key in EIDX) k = EIDX[key]
    else {
        k = ++EN[i]; EIDX[key] = k
        ELOC[i, k] = l; ELOT[i, k] = lot; EEXP[i, k] = ex; EORD[i, k] = ord; EQ[i, k] = 0
    }
    EQ[i, k] += q
    return k
}
function usable(i, k) { return EQ[i, k] > 0 && !(TRK[i] == "lot" && EEXP[i, k] <= TODAY) }
function locq(i, l,   k, s) {
    s = 0
    for (k = 1; k <= EN[i]; k++) if (ELOC[i, k] == l && usable(i, k)) s += EQ[i, k]
    return s
}
function whq(i, w,   k, s) {
    s = 0
    for (k = 1; k <= EN[i]; k++) if (LWH[ELOC[i, k]] == w && usable(i, k)) s += EQ[i, k]
    return s
}
# Candidate entries of item i at location sel (> 0) or in warehouse -sel,
# into CK[1..n] in the order they should be taken: lots by expiry (FEFO),
# serials by receipt (FIFO), then by preferred location (pref "ship": the
# pick bin; "bulk": the reserve bin).
function cands(i, sel, pref,   k, n, l, key, j, m, t, tk) {
    n = 0
    for (k = 1; k <= EN[i]; k++) {
        if (!usable(i, k)) continue
        l = ELOC[i, k]
        if (sel > 0 ? l != sel : LWH[l] != -sel) continue
        if (TRK[i] == "lot") key = EEXP[i, k] * 100000 + EORD[i, k]
        else if (TRK[i] == "serial") key = EORD[i, k]
        else key = 0
        if (pref == "ship") key = key * 4 + ((l == PRIM[i] || l == W2[i]) ? 0 : 1)
        else key = key * 4 + (l == RESV[i] ? 0 : 1)
        n++; CK[n] = k; CKEY[n] = key
    }
    for (j = 2; j <= n; j++) {
        t = CK[j]; tk = CKEY[j]
        for (m = j - 1; m >= 1 && CKEY[m] > tk; m--) { CK[m + 1] = CK[m]; CKEY[m + 1] = CKEY[m] }
        CK[m + 1] = t; CKEY[m + 1] = tk
    }
    return n
}
# Take up to want (thousandths) of item i from the candidates CK[1..n] to
# dest (a location index or "@customer"/"@scrap"); returns what was taken.
function takeout(i, n, want, dest,   j, k, q, got) {
    got = 0
    for (j = 1; j <= n && want - got > 0; j++) {
        k = CK[j]
        q = EQ[i, k]
        if (TRK[i] == "serial") q = 1000
        else if (q > want - got) q = want - got
        if (q <= 0) continue
        emitmove(i, k, q, dest)
        got += q
    }
    return got
}

function nextref() {
    if (REFMODE == "so") return "so-" SON "/" (++SOLN)
    if (REFMODE == "scr") return sprintf("scr-%04d", ++SCRN)
    return sprintf("mv-%06d", ++MVN)
}
function nextts(   s) {
    if (JCUR <= LASTSEC) JCUR = LASTSEC + 1
    s = JCUR; LASTSEC = s
    JCUR += ri(STEPLO, STEPHI)
    return DATESTR "T" hms(s) "Z"
}
function emitmove(i, k, q, dest,   l, to, line, b) {
    l = ELOC[i, k]
    EQ[i, k] -= q
    if (dest ~ /^@/) {
        to = dest; TOT[i] -= q
        if (dest == "@customer") { NSHIP++; SHIPQ[i] += q } else NSCRAP++
    } else {
        to = LCODE[dest]
        addq(i, dest, ELOT[i, k], EEXP[i, k], EORD[i, k], q)
        if (dest == TLOC) {
            b = CURB; TBN[b]++
            TBI[b, TBN[b]] = i; TBLOT[b, TBN[b]] = ELOT[i, k]; TBQ[b, TBN[b]] = q
            INTR[i] += q; NTRANSIT++
        } else if (l == TLOC) { INTR[i] -= q; NARRIVE++ }
        else NINTERNAL++
    }
    line = "{\"sku\":\"" SKU[i] "\",\"qty\":" fq(q) ",\"from\":\"" LCODE[l] "\",\"to\":\"" to "\""
    if (TRK[i] == "lot") line = line ",\"lot\":\"" ELOT[i, k] "\""
    if (TRK[i] == "serial") line = line ",\"serial\":\"" ELOT[i, k] "\""
    print line ",\"ref\":\"" nextref() "\",\"ts\":\"" nextts() "\"}" > MOVF
    NMOV++
}
function emitrcpt(i, q, l, lot, expd, cost, po, ref,   line) {
    line = "{\"sku\":\"" SKU[i] "\",\"qty\":" fq(q) ",\"location\":\"" LCODE[l] "\""
    if (TRK[i] == "lot") line = line ",\"lot\":\"" lot "\""
    if (TRK[i] == "serial") line = line ",\"serial\":\"" lot "\""
    if (TRK[i] == "lot") line = line ",\"expiry\":\"" expd "\""
    line = line ",\"unit_cost\":" fm(cost) ",\"po\":\"" po "\",\"ref\":\"" ref "\",\"ts\":\"" nextts() "\"}"
    print line > RCPF
    NRCP++
}

# ---------------------------------------------------------------- purchasing

function adddeliv(po, due, i, units, cost, w2,   key, d, j) {
    key = po SUBSEP due
    if (key in DKEY) d = DKEY[key]
    else {
        d = ++ND; DKEY[key] = d; DPO[d] = po; DN[d] = 0; DW2[d] = w2
        DDN[due]++; DD[due, DDN[due]] = d
    }
    j = ++DN[d]; DI[d, j] = i; DQ[d, j] = units; DC[d, j] = cost
}
function pocost(i, s,   c, r) {
    c = COST[i] * (1 + INFL[s] * (TODAY - D0) / (D1 - D0)) * (1 + 0.03 * (rnd() - 0.5))
    r = 10 ^ (4 - DEC[i])
    c = int(c / r + 0.5) * r
    return c < 1 ? 1 : c
}
function poname() {                          # PO-YEAR-NNNN, numbered by year
    PON++
    if (substr(DATESTR, 1, 4) != POY) { POY = substr(DATESTR, 1, 4); POYN = 0 }
    return sprintf("PO-%s-%04d", POY, ++POYN)
}
function reorder(   s, i, po, jit, pos, f, ropt, maxt, units, u1, due, w2, c) {
    for (s = 1; s <= NS; s++) {
        po = ""
        for (i = 1; i <= N; i++) {
            if (SUP[i] != s) continue
            f = seasf(SEAS[i], DOY + LT[i]) / SAVG[i]
            if (f < 1) f = 1
            if (f > 3) f = 3
            ropt = ROP[i] * 1000 * f; maxt = MAX[i] * 1000 * f
            pos = TOT[i] + ONORD[i]
            if (pos > ropt) continue
            units = int((maxt - pos) / 1000 / OM[i] + 0.999) * OM[i]
            if (units < MOQ[i]) units = MOQ[i]
            if (po == "") { po = poname(); jit = ri(-1, 2); w2 = chance(0.12) }
            ONORD[i] += units * 1000
            due = workday(TODAY + LT[i] + jit)
            c = pocost(i, s)
            if (units >= 2 && chance(0.12)) {
                u1 = int(units * (0.5 + 0.3 * rnd()))
                if (u1 < 1) u1 = 1
                adddeliv(po, due, i, u1, c, w2)
                adddeliv(po, workday(due + ri(3, 8)), i, units - u1, c, w2)
            } else adddeliv(po, due, i, units, c, w2)
        }
    }
}
# Put away q (thousandths) of item i at location l: one receipt line, or
# for serial items one line per unit, each with a new serial number.
function putaway(i, l, q, lot, expd, cost, po,   u, sn) {
    if (q <= 0) return
    if (TRK[i] != "serial") {
        addq(i, l, lot, EXPD, ORDN, q)
        emitrcpt(i, q, l, lot, expd, cost, po, "asn-" ASNN "/" (++ASNL))
        return
    }
    for (u = 1; u <= q / 1000; u++) {
        sn = sprintf("SN-A%s-%06d", substr(SKU[i], 3), ++SERN[i])
        addq(i, l, sn, 0, ++ORDN, 1000)
        emitrcpt(i, 1000, l, sn, "", cost, po, "asn-" ASNN "/" (++ASNL))
    }
}
# A delivery: each line is received into the WH2 bin (only when the
# delivery is marked for WH2, and only what WH2 needs), then the WH1 pick
# bin up to its capacity, the rest into the reserve bin.  A lot item's line
# may come as two or three lots.
function receive(d,   j, i, q, act, nl, p, part, unit) {
    ++ASNN; ASNL = 0
    for (j = 1; j <= DN[d]; j++) {
        i = DI[d, j]; q = DQ[d, j] * 1000
        act = q
        if (UOM[i] == "kg") act = int(q * (0.985 + 0.03 * rnd()) / 5 + 0.5) * 5
        ONORD[i] -= q; TOT[i] += act
        nl = 1
        unit = UOM[i] == "kg" ? 5 : 1000
        if (TRK[i] == "lot" && act >= 4 * unit && chance(0.45)) nl = chance(0.25) ? 3 : 2
        for (p = nl; p >= 1; p--) {
            part = p == 1 ? act : int(act * (0.3 + 0.3 * rnd()) / unit) * unit
            if (part < unit) part = unit
            putaway3(i, part, DW2[d], DC[d, j], DPO[d])
            act -= part
        }
    }
}
function putaway3(i, act, w2, cost, po,   lot, expd, ym, q2, space, pq) {
    lot = ""; expd = ""; EXPD = 0
    if (TRK[i] == "lot") {
        ym = substr(DATESTR, 3, 2) substr(DATESTR, 6, 2)
        lot = sprintf("L%s-%03d", ym, ++LOTN[ym])
        EXPD = TODAY + SL[i]; expd = civ(EXPD)
    }
    ORDN++
    q2 = 0
    if (w2 && W2[i]) {
        q2 = int((2 * T2[i] * 1000 - whq(i, 2) - INTR[i]) / 1000) * 1000
        if (q2 < 0) q2 = 0
        if (q2 > act) q2 = act
    }
    act -= q2
    space = PCAP[i] - locq(i, PRIM[i])
    if (RESV[i] == 0 || space >= act) pq = act
    else if (space < 1000) pq = 0
    else pq = int(space / 1000) * 1000
    putaway(i, W2[i], q2, lot, expd, cost, po)
    putaway(i, PRIM[i], pq, lot, expd, cost, po)
    putaway(i, RESV[i], act - pq, lot, expd, cost, po)
}

# ---------------------------------------------------------------- jobs

function addjob(t, type, arg, arg2) {
    NJ++; JT[NJ] = t; JTYPE[NJ] = type; JARG[NJ] = arg; JARG2[NJ] = arg2
}

function job_expire(   i, k) {
    REFMODE = "scr"
    for (i = 1; i <= N; i++) {
        if (TRK[i] != "lot") continue
        for (k = 1; k <= EN[i]; k++)
            if (EQ[i, k] > 0 && EEXP[i, k] <= TODAY && ELOC[i, k] != TLOC) {
                emitmove(i, k, EQ[i, k], "@scrap"); NEXPIRED++
            }
    }
}
function job_replenish(   i, p, n, want) {
    REFMODE = "mv"
    for (i = 1; i <= N; i++) {
        if (!RESV[i]) continue
        p = locq(i, PRIM[i])
        if (p >= 0.3 * MAX[i] * 1000) continue
        n = cands(i, RESV[i], "bulk")
        if (!n) continue
        want = int((PCAP[i] - p) / 1000) * 1000
        if (want < 1000) continue
        takeout(i, n, want, PRIM[i])
    }
}
function job_dispatch(   i, have, want, avail, n, d) {
    REFMODE = "mv"; CURB = ++NB; TBN[CURB] = 0
    for (i = 1; i <= N; i++) {
        if (!W2[i]) continue
        have = whq(i, 2) + INTR[i]
        if (have > R2[i] * 1000) continue
        want = T2[i] * 1000 - have
        avail = whq(i, 1) - 0.5 * ROP[i] * 1000
        if (want > avail) want = avail
        want = int(want / 1000) * 1000
        if (want < 1000) continue
        n = cands(i, -1, "bulk")
        takeout(i, n, want, TLOC)
    }
    if (TBN[CURB]) { d = TODAY + ri(1, 2); d = workday(d); BAN[d]++; BA[d, BAN[d]] = CURB }
}
function job_arrive(b,   j, i, k) {
    REFMODE = "mv"
    for (j = 1; j <= TBN[b]; j++) {
        i = TBI[b, j]
        k = EIDX[i SUBSEP TLOC SUBSEP TBLOT[b, j]]
        emitmove(i, k, TBQ[b, j], W2[i])
    }
}
function job_order(start, cnt,   j, x, i, n) {
    REFMODE = "so"; ++SON; SOLN = 0
    for (j = start; j < start + cnt; j++) {
        x = OL[j]; i = DLI[x]
        n = cands(i, -DLW[x], "ship")
        if (n) takeout(i, n, DLQ[x], "@customer")
        else { NLOST++; LOST[i]++ }
    }
}
function job_damage(   t, i, n, k, q) {
    REFMODE = "scr"
    for (t = 0; t < 20; t++) {
        i = ri(1, N)
        n = cands(i, -1, "ship")
        if (!n) continue
        k = CK[ri(1, n)]
        if (TRK[i] == "serial") q = 1000
        else if (UOM[i] == "ea") q = 1000 * ri(1, 3)
        else q = int(ri(200, 2000) / 5) * 5
        if (q > EQ[i, k]) q = EQ[i, k]
        emitmove(i, k, q, "@scrap")
        return
    }
}
function job_reslot(   t, i, l, n, z, j) {
    REFMODE = "mv"
    for (t = 0; t < 20; t++) {
        i = ri(1, N)
        if (!locq(i, PRIM[i])) continue
        z = LZONE[PRIM[i]]
        l = BIN[1, z, ri(1, 4), ri(1, 2)]
        if (l == PRIM[i] || l == RESV[i]) continue
        n = cands(i, PRIM[i], "ship")
        for (j = 1; j <= n; j++) emitmove(i, CK[j], EQ[i, CK[j]], l)
        PRIM[i] = l; NRESLOT++
        return
    }
}

# Customer demand of the day, cut into orders, one job per order.
function demand(wd,   i, l, n, j, q, w, x, k, m, t, lo, hi, c, tmp) {
    NDL = 0
    for (i = 1; i <= N; i++) {
        l = LAM[i] * WK[wd] * seasf(SEAS[i], DOY) * dayf(DOY)
        n = poisson(l)
        for (j = 1; j <= n; j++) {
            if (TRK[i] == "serial") q = 1000 * (1 + (chance(0.15) ? 1 : 0))
            else if (UOM[i] == "ea") q = PKM[i] * (1 + geom(MPK[i] - 1))
            else {
                q = int(MPK[i] * 1000 * (0.25 + 1.5 * rnd()) / PKM[i] + 0.5) * PKM[i]
                if (q < PKM[i]) q = PKM[i]
            }
            w = (W2[i] && wd != 6 && chance(0.3)) ? 2 : 1
            NDL++; DLI[NDL] = i; DLQ[NDL] = q; DLW[NDL] = w
        }
    }
    # per warehouse: shuffle the lines and cut them into orders
    NOL = 0
    for (w = 1; w <= 2; w++) {
        m = 0
        for (x = 1; x <= NDL; x++) if (DLW[x] == w) OL[NOL + (++m)] = x
        for (k = m; k > 1; k--) {
            j = ri(1, k); tmp = OL[NOL + k]; OL[NOL + k] = OL[NOL + j]; OL[NOL + j] = tmp
        }
        lo = 8 * 3600; hi = (wd == 6 ? 12 : 17) * 3600 + (wd == 6 ? 0 : 1200)
        if (TODAY == D0) lo = 9 * 3600
        k = 1
        while (k <= m) {
            c = 1 + geom(1.3)
            if (k + c - 1 > m) c = m - k + 1
            t = lo + int(rnd() * (hi - lo))
            addjob(t, "SO", NOL + k, c)
            k += c
        }
        NOL += m
    }
}

# ---------------------------------------------------------------- main

BEGIN {
    if (out == "") out = "share"
    # demand: order lines per day of the item ranked r = KLAM / r^ZEXP;
    # order cycle between EOQLO and EOQHI days of demand; pick bin holds
    # PCAPF of max, the rest goes to the reserve bin
    KLAM = 2.9; ZEXP = 0.75; EOQLO = 3; EOQHI = 10; PCAPF = 0.45
    SEED = (seed == "" ? 20260501 : seed) % 2147483646 + 1
    SUPF = out "/suppliers.csv"; ITF = out "/items.csv"; LOCF = out "/locations.csv"
    RCPF = out "/receipts.ndjson"; MOVF = out "/moves.ndjson"
    CLIF = out "/clients.csv"; CHF = out "/channels.csv"
    D0 = dfc(2025, 11, 26); D1 = dfc(2026, 11, 25); JAN1 = dfc(2026, 1, 1)
    split("1.25 1.1 1.0 1.0 0.85 0.2", WK, " ")      # Mon..Sat

    # suppliers
    suppliers()
    print "id,name,lead_time_days,contact" > SUPF
    for (s = 1; s <= NS; s++) {
        split(SUPREC[s], a, "|")
        SUPID[s] = sprintf("SUP-%02d", s); SUPLT[s] = a[2] + 0
        INFL[s] = ri(0, 40) / 1000
        SUPOC[s] = pickl("2500;3500;4000;5000")
        GS1[s] = pickl("400;401;405;409;426;500;540;571;590;800;871") sprintf("%04d", ri(1000, 9999))
        print SUPID[s] "," csvq(a[1]) "," SUPLT[s] "," a[3] > SUPF
    }
    # the 3PL side: two clients own the food and the PPE, the rest is the
    # house's own; two sales channels (no random numbers drawn here, so
    # that the history is the same as without them)
    print "id,name,contact,rate_unit_day,rate_m3_day,rate_pallet_day,rate_receipt_unit,rate_order,rate_line,rate_ship_unit" > CLIF
    print "FRESH,FreshCo Foods,ops@freshco.example.com,0.004,,,0.02,1.20,0.25,0.03" > CLIF
    print "SAFE,SafeWork PPE,logistics@safework.example.org,0.006,,,0.03,1.50,0.30,0.05" > CLIF
    OWN["food"] = "FRESH"; OWN["ppe"] = "SAFE"
    print "id,name,buffer,share,cap,sku_column,qty_column" > CHF
    print "WEB,Web shop,2,,,," > CHF
    print "MKT,Marketplace,,50,500,seller_sku,quantity" > CHF
    CATSUP["fast"] = "1;1;1;2"; CATSUP["elec"] = "4"; CATSUP["ppe"] = "3"
    CATSUP["food"] = "5;6"; CATSUP["chem"] = "7"; CATSUP["tool"] = "8;8;2"
    CATSUP["scan"] = "9"; CATSUP["power"] = "8"; CATSUP["pack"] = "10"
    CATSUP["office"] = "11"; CATSUP["plumb"] = "12"; CATSUP["it"] = "4;9"

    # locations: WH1 3 zones x 4 bays x 3 levels, WH2 3 x 4 x 2, transit
    print "code,name,type" > LOCF
    NL = 0
    for (w = 1; w <= 2; w++)
        for (z = 1; z <= 3; z++)
            for (b = 1; b <= 4; b++)
                for (v = 1; v <= (w == 1 ? 3 : 2); v++) {
                    NL++; zc = substr("ABC", z, 1)
                    LCODE[NL] = sprintf("WH%d/%s/%02d/%d", w, zc, b, v)
                    LWH[NL] = w; LZONE[NL] = z; BIN[w, z, b, v] = NL
                    print LCODE[NL] "," sprintf("Warehouse %d zone %s bay %02d level %d", w, zc, b, v) ",internal" > LOCF
                }
    NL++; TLOC = NL; LCODE[NL] = "TRANSIT/WH1-WH2"; LWH[NL] = 3
    print LCODE[NL] ",In transit from WH1 to WH2,transit" > LOCF

    # items
    catalogue()
    wkavg = (WK[1] + WK[2] + WK[3] + WK[4] + WK[5] + WK[6]) / 7
    split("none summer winter", tags, " ")
    for (t = 1; t <= 3; t++) {
        x = 0
        for (z = D0; z <= D1; z++) x += seasf(tags[t] == "none" ? "" : tags[t], z - JAN1 + 1) * dayf(z - JAN1 + 1)
        SAVGT[tags[t] == "none" ? "" : tags[t]] = x / (D1 - D0 + 1)
    }
    for (i = 1; i <= N; i++) {
        SCORE[i] = POPW[i] * exp(0.8 * gauss()); RK[i] = i
    }
    for (j = 2; j <= N; j++) {                 # rank by score, descending
        t = RK[j]
        for (m = j - 1; m >= 1 && SCORE[RK[m]] < SCORE[t]; m--) RK[m + 1] = RK[m]
        RK[m + 1] = t
    }
    for (r = 1; r <= N; r++) RANK[RK[r]] = r
    print "sku,name,uom,barcode,unit_cost,price,supplier,lead_time_days,min,max,reorder_point,safety_stock,moq,order_multiple,order_cost,holding_rate,track,shelf_life_days,criticality,owner,packs,order_pack" > ITF
    PACKN["ea"] = "case"; PACKN["kg"] = "sack"; PACKN["m"] = "roll"
    for (i = 1; i <= N; i++) {
        SKU[i] = "A-" (999 + i)
        s = pickl(CATSUP[CAT[i]]) + 0; SUP[i] = s
        LT[i] = chance(0.7) ? SUPLT[s] : SUPLT[s] + ri(-2, 4)
        if (LT[i] < 2) LT[i] = 2
        if (LT[i] > 30) LT[i] = 30
        DEC[i] = COSTF[i] < 1 ? 4 : (COSTF[i] < 10 ? 3 : 2)
        rr = 10 ^ (4 - DEC[i])
        COST[i] = int(COSTF[i] * 10000 / rr + 0.5) * rr
        PRICE[i] = int(COST[i] / 100 * (1.3 + 0.8 * rnd())) + 1
        if (TRK[i] == "serial") { PKM[i] = 1000; MPK[i] = 1 }
        HR[i] = CAT[i] == "food" ? pickl("0.28;0.30;0.32") : pickl("0.18;0.20;0.22;0.25")
        LAM[i] = KLAM / RANK[i] ^ ZEXP
        SAVG[i] = SAVGT[SEAS[i]]
        ms = UOM[i] == "ea" ? PKM[i] / 1000 * MPK[i] : MPK[i]
        dm = LAM[i] * wkavg * SAVG[i] * ms                      # per calendar day
        sig = sqrt(LAM[i] * wkavg) * ms * 1.3
        ssf = 1.65 * sig * sqrt(LT[i])
        SS[i] = int(ssf + 0.999)
        ROP[i] = int(dm * LT[i] + ssf + 0.999)
        if (ROP[i] < 1) ROP[i] = 1
        if (SS[i] > ROP[i]) SS[i] = ROP[i]
        MIN[i] = SS[i] + int((ROP[i] - SS[i]) * 0.5 * rnd())
        if (TRK[i] == "serial") OM[i] = 1
        else if (UOM[i] == "ea") OM[i] = PKM[i] > 1000 ? PKM[i] / 1000 : ((CAT[i] == "food" || CAT[i] == "chem") ? pickl("6;12") + 0 : 1)
        else if (UOM[i] == "kg") OM[i] = CAT[i] == "food" ? (MPK[i] >= 8 ? 25 : 5) : 25
        else OM[i] = CAT[i] == "plumb" ? 10 : pickl("50;100") + 0
        MOQ[i] = OM[i] * (COST[i] / 10000 * OM[i] > 150 ? 1 : pickl("1;1;2;4"))
        eoq = sqrt(2 * dm * 365 * SUPOC[s] / 100 / (HR[i] * COST[i] / 10000))
        if (eoq > dm * EOQHI) eoq = dm * EOQHI
        if (eoq < dm * EOQLO) eoq = dm * EOQLO
        q = int(eoq / OM[i] + 0.999) * OM[i]
        if (q < MOQ[i]) q = MOQ[i]
        MAX[i] = ROP[i] + q
        crit = CAT[i] ~ /^(ppe|scan|power)$/ ? "V;V;E;E;E;D" : (CAT[i] ~ /^(food|office|pack)$/ ? "V;E;E;D;D;D;D" : "V;E;E;E;D;D")
        CRIT[i] = pickl(crit)
        BC[i] = ean13(GS1[s] sprintf("%05d", 999 + i))
        # slotting: zone by popularity; some items get a reserve bin on the
        # top level; popular items more often also stocked in WH2
        z = RANK[i] <= N / 3 ? 1 : (RANK[i] <= 2 * N / 3 ? 2 : 3)
        PRIM[i] = BIN[1, z, ri(1, 4), ri(1, 2)]
        RESV[i] = chance(RANK[i] <= 100 ? 0.6 : 0.3) ? BIN[1, ri(1, 3), ri(1, 4), 3] : 0
        W2[i] = chance(RANK[i] <= 100 ? 0.6 : (RANK[i] <= 200 ? 0.35 : 0.15)) ? BIN[2, z, ri(1, 4), ri(1, 2)] : 0
        PCAP[i] = int(PCAPF * MAX[i] + 0.5) * 1000
        if (PCAP[i] < 1000) PCAP[i] = 1000
        R2[i] = int(0.3 * dm * 4 + 0.5); T2[i] = int(0.3 * dm * 15 + 0.999)
        if (T2[i] < 1) T2[i] = 1
        print SKU[i] "," csvq(NAME[i]) "," UOM[i] "," BC[i] "," fm2(COST[i]) "," fc(PRICE[i]) "," \
            SUPID[s] "," LT[i] "," MIN[i] "," MAX[i] "," ROP[i] "," SS[i] "," MOQ[i] "," OM[i] "," \
            fc(SUPOC[s]) "," HR[i] "," TRK[i] "," (TRK[i] == "lot" ? SL[i] : "") "," CRIT[i] "," \
            OWN[CAT[i]] "," (OM[i] > 1 ? PACKN[UOM[i]] ":" OM[i] : "") "," (OM[i] > 1 ? PACKN[UOM[i]] : "") > ITF
    }

    # opening stock, delivered on the first morning
    TODAY = D0; DATESTR = civ(TODAY)
    for (s = 1; s <= NS; s++) {
        po = poname()
        for (i = 1; i <= N; i++) {
            if (SUP[i] != s) continue
            u = ROP[i] + int((MAX[i] - ROP[i]) * (0.3 + 0.6 * rnd()))
            ONORD[i] += u * 1000
            adddeliv(po, D0, i, u, pocost(i, s), 0)
        }
    }

    # the simulation
    ASNN = 1000; SON = 1000; LASTDAY = 0
    for (TODAY = D0; TODAY <= D1; TODAY++) {
        wd = wday(TODAY)
        if (wd == 0) continue
        DATESTR = civ(TODAY); DOY = TODAY - JAN1 + 1
        NJ = 0; LASTSEC = -1
        addjob(7 * 3600 + ri(0, 300), "EXP")
        if (wd <= 5) {
            for (j = 1; j <= DDN[TODAY]; j++)
                addjob(TODAY == D0 ? 7 * 3600 + ri(300, 5400) : 7 * 3600 + ri(300, 7 * 3600), "ASN", DD[TODAY, j])
            addjob(7 * 3600 + 1800 + ri(0, 600), "RPL")
            addjob(12 * 3600 + ri(0, 1200), "RPL")
            addjob(15 * 3600 + 1800 + ri(0, 900), "RPL")
            addjob(10 * 3600 + ri(0, 1800), "TRD")
            for (j = 1; j <= BAN[TODAY]; j++) addjob(8 * 3600 + ri(0, 7 * 3600), "TRA", BA[TODAY, j])
            if (chance(0.15)) addjob(ri(8 * 3600, 16 * 3600), "SCR")
            if (chance(0.08)) addjob(ri(13 * 3600, 16 * 3600), "SLOT")
            addjob(17 * 3600 + 2400, "PO")
        }
        demand(wd)
        for (j = 1; j <= NJ; j++) JO[j] = j        # stable sort by time
        for (j = 2; j <= NJ; j++) {
            t = JO[j]
            for (m = j - 1; m >= 1 && JT[JO[m]] > JT[t]; m--) JO[m + 1] = JO[m]
            JO[m + 1] = t
        }
        for (j = 1; j <= NJ; j++) {
            x = JO[j]; JCUR = JT[x]; type = JTYPE[x]
            STEPLO = 6; STEPHI = 45
            if (type == "ASN") { STEPLO = TODAY == D0 ? 2 : 4; STEPHI = TODAY == D0 ? 6 : 20 }
            if (type == "EXP") job_expire()
            else if (type == "ASN") receive(JARG[x])
            else if (type == "RPL") job_replenish()
            else if (type == "TRD") job_dispatch()
            else if (type == "TRA") job_arrive(JARG[x])
            else if (type == "SO") job_order(JARG[x], JARG2[x])
            else if (type == "SCR") job_damage()
            else if (type == "SLOT") job_reslot()
            else if (type == "PO") reorder()
        }
    }
    if (debug) for (r = 1; r <= N; r++) { i = RK[r]
        printf "%4d %s %-40s %-6s %-4s lam=%.3f lt=%d rop=%d max=%d lost=%d shipped=%s\n", r, SKU[i], NAME[i], TRK[i], SEAS[i], LAM[i], LT[i], ROP[i], MAX[i], LOST[i], fq(SHIPQ[i]) > "/dev/stderr" }
    close(SUPF); close(ITF); close(LOCF); close(RCPF); close(MOVF)
    close(CLIF); close(CHF)

    nl = 0; ns = 0; for (i = 1; i <= N; i++) { if (TRK[i] == "lot") nl++; if (TRK[i] == "serial") ns++ }
    printf "gen.awk: %d suppliers, %d items (%d lot, %d serial), %d locations, %d POs\n", NS, N, nl, ns, NL, PON > "/dev/stderr"
    printf "gen.awk: %d receipt lines, %d move lines: %d shipped, %d internal, %d to transit, %d from transit, %d scrapped (%d expired); %d order lines without stock, %d reslots\n", \
        NRCP, NMOV, NSHIP, NINTERNAL, NTRANSIT, NARRIVE, NSCRAP, NEXPIRED, NLOST, NRESLOT > "/dev/stderr"
}
