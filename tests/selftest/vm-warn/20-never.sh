#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness selftest input: never runs (the guest died in 10-warn); must be
# reported as not run.
source "$CF_TOP/tests/lib.sh"
check_eq "never reached" 1 1
test_done
