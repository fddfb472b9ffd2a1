#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 30
# Harness selftest input: runs after 10-escape; nothing it left is alive.
source "$CF_TOP/tests/lib.sh"
check_eq "processes left by the previous test" "" "$(pgrep -a -f 'sleep 10000[12]|cf-leftover')"
test_done
