#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Harness selftest input: a VM test that passes (runs as root in the guest,
# in a fresh tmpfs cwd, with CF_TOP/CF_KVER/PATH set).
source "$CF_TOP/tests/lib.sh"
check_eq "running as root" 0 "$(id -u)"
check_eq "kernel release is CF_KVER" "$CF_KVER" "$(uname -r)"
check_eq "cwd is an empty tmpfs" "tmpfs" "$(stat -f -c %T .)"
check_eq "cftraffic found in PATH" "$CF_TOP/tests/tools/build/cftraffic" "$(command -v cftraffic)"
test_done
