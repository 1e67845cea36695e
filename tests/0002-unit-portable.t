#!/bin/sh
# the unit tests again with the portable SHA-256, where the processor
# would otherwise use its SHA extensions
IMS_NO_SHA_NI=1 exec ${IMS_VALGRIND_CMD:-} "${IMS_UNIT:?run the tests through make check}"
