#!/bin/sh
# The forecasting methods against values worked out by hand: a C program
# of lib/forecast*.c that prints its own TAP.
: "${IMS_BIN:?run the tests through make check}"
exec "${IMS_FCUNIT:-$(dirname "$IMS_BIN")/tests/forecast-unit}"
