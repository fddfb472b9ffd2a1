#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness selftest input: a VM test that skips (exit 4).
source "$CF_TOP/tests/lib.sh"
skip "deliberate skip"
