#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness selftest input: loads a module whose init does WARN_ON(1).  With
# panic_on_warn=1 the guest dies here; the harness must fail the run.
source "$CF_TOP/tests/lib.sh"
check_rc "load cf_selftest_warn" 0 modprobe cf_selftest_warn
test_done
