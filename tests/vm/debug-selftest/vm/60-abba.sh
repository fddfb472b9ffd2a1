#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Debug lane selftest (tests/vm/debug-selftest/run.sh): load the bug module
# with bug=abba; the debug kernel must report it (bug=none: nothing to report).
modprobe cf_dbg_selftest bug=abba || exit 1
echo "# cf_dbg_selftest loaded with bug=abba"
