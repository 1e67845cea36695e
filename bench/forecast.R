# bench/forecast.R: R's forecast package on the series ims-forecast sees,
# for bench/forecast.sh.  Reads sku,period,qty (every period) and writes
#   OUT/croston.csv  sku,forecast   croston(y, h = 1, alpha = 0.1)
#   OUT/ses.csv      sku,forecast,alpha   ses(y, initial = "simple")
#   OUT/acc.csv      sku,ses,ets    RMSSE over the test periods
#   OUT/time.txt     seconds ets() took, series it fitted
# usage: Rscript forecast.R TRAIN TEST FREQ OUT
suppressMessages(library(forecast))
a <- commandArgs(trailingOnly = TRUE)
train <- read.csv(a[1], colClasses = c("character", "character", "numeric"))
test <- read.csv(a[2], colClasses = c("character", "character", "numeric"))
freq <- as.integer(a[3])
out <- a[4]
train <- train[order(train$sku, train$period), ]
test <- test[order(test$sku, test$period), ]
ys <- split(train$qty, train$sku)
as <- split(test$qty, test$sku)
skus <- names(ys)
h <- length(as[[1]])

cr <- vapply(ys, function(y) croston(y, h = 1, alpha = 0.1)$mean[1], 0)
write.csv(data.frame(sku = skus, forecast = sprintf("%.15g", cr)),
    file.path(out, "croston.csv"), row.names = FALSE, quote = FALSE)

ss <- lapply(ys, function(y) {
	if (length(unique(y)) < 2) return(c(y[1], NA))
	f <- ses(y, initial = "simple", h = 1)
	c(f$mean[1], f$model$par["alpha"])
})
write.csv(data.frame(sku = skus,
    forecast = sprintf("%.15g", vapply(ss, `[`, 0, 1)),
    alpha = sprintf("%.15g", vapply(ss, `[`, 0, 2))),
    file.path(out, "ses.csv"), row.names = FALSE, quote = FALSE)

rmsse <- function(y, f, act) {
	s <- mean(diff(y)^2)
	if (!is.finite(s) || s == 0) return(NA)
	sqrt(mean((act - f)^2) / s)
}
acc_ses <- mapply(function(y, act) {
	rmsse(y, ses(ts(y, frequency = freq), h = h)$mean, act)
}, ys, as[skus])
t0 <- proc.time()[["elapsed"]]
acc_ets <- mapply(function(y, act) {
	rmsse(y, forecast(ets(ts(y, frequency = freq)), h = h)$mean, act)
}, ys, as[skus])
t1 <- proc.time()[["elapsed"]]
write.csv(data.frame(sku = skus, ses = sprintf("%.9g", acc_ses),
    ets = sprintf("%.9g", acc_ets)), file.path(out, "acc.csv"),
    row.names = FALSE, quote = FALSE)
writeLines(sprintf("%.3f %d", t1 - t0, length(ys)),
    file.path(out, "time.txt"))
