#!/bin/sh
# unit tests of lib/: decimals, timestamps, UTF-8, CSV and JSON in and out
exec ${IMS_VALGRIND_CMD:-} "${IMS_UNIT:?run the tests through make check}"
