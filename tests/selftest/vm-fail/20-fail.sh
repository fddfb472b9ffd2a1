#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness selftest input: a VM test that must fail (1 + 1 is not 3).
source "$CF_TOP/tests/lib.sh"
check_eq "deliberate failure" 3 "$((1 + 1))"
test_done
