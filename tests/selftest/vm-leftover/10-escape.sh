#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 30
# Harness selftest input: a test that leaves two processes behind which left
# its process group (setsid, as a daemon does) and still hold its output
# (the runner's pipe), as a daemon does. It passes; the runner must not
# wait for them.
source "$CF_TOP/tests/lib.sh"
# started from a subshell that exits: not jobs of this shell, which
# tests/lib.sh's cleanup would kill
( setsid sleep 100001 & )
( setsid bash -c 'exec -a cf-leftover sleep 100002' & )
sleep 0.5
check_eq "two escaped processes running" 2 "$(pgrep -c -f 'sleep 10000[12]|cf-leftover')"
test_done
