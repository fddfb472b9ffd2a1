#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 10
# Harness selftest input: a test whose process blocks in D state
# (tests/selftest/dstate_mod/): neither its timeout nor SIGKILL ends it.
modprobe cf_selftest_dstate || exit 1
echo "# blocking"
echo x > /proc/cf_selftest_block
echo "# not reached"
exit 0
