# bench/forecast_time.R: how long R's ets() takes over every series of a
# sku,period,qty file (the first N skus), for bench/forecast.sh.
# usage: Rscript forecast_time.R FILE FREQ N   -> "seconds series"
suppressMessages(library(forecast))
a <- commandArgs(trailingOnly = TRUE)
d <- read.csv(a[1], colClasses = c("character", "character", "numeric"))
d <- d[order(d$sku, d$period), ]
ys <- split(d$qty, d$sku)
ys <- ys[seq_len(min(length(ys), as.integer(a[3])))]
freq <- as.integer(a[2])
t0 <- proc.time()[["elapsed"]]
for (y in ys) f <- forecast(ets(ts(y, frequency = freq)), h = 6)
cat(sprintf("%.3f %d\n", proc.time()[["elapsed"]] - t0, length(ys)))
