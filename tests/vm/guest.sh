#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the guest (chrooted into the host root shared over 9p), started
# by tests/vm/init.  $1 is the run directory written by tests/vm/vmrun:
#   $1/top  the repo root      $1/env  CF_KVER=..., CF_CMD=(...) (printf %q)
# Sets up the environment of the contract and runs CF_CMD as root; exits with
# its status.
JOB=$1
CF_TOP=$(cat "$JOB/top")
# shellcheck disable=SC1091
source "$JOB/env"
export CF_TOP CF_KVER CF_IN_VM=1
export PATH="$CF_TOP/userspace-ctl/build:$CF_TOP/tests/tools/build:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
export HOME=/root TERM=dumb LANG=C.UTF-8 TMPDIR=/tmp
hostname camfence-vm 2>/dev/null
ip link set lo up
# Journald does not run: let the kernel log user space writes to /dev/kmsg.
echo on > /proc/sys/kernel/printk_devkmsg 2>/dev/null
echo "camfence-vm: running: ${CF_CMD[*]}" > /dev/kmsg
cd /tmp || exit 120
"${CF_CMD[@]}"
rc=$?
echo "camfence-vm: command exited with status $rc" > /dev/kmsg
exit $rc
