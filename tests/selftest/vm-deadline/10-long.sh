#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 400
# Harness selftest input: runs longer than the run's deadline allows; the
# runner cuts its timeout to what is left (tests/selftest/30-vm-leftover.sh).
sleep 390
exit 0
