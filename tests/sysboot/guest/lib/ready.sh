#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cftest-ready.service: started the moment systemd has camfenced's READY=1
# (After=camfenced.service, Type=notify), ordered before network-pre.target.
source /usr/local/lib/cftest/lib.sh
mark "ready-boot$BOOT"
check_eq "camfenced active" active "$(unit_state camfenced)"
check_eq "at READY=1: policy committed (generation)" 1 "$(sysv generation)"
check_eq "at READY=1: seal lifted" 0 "$(sysv sealed)"
check_eq "at READY=1: devices" 3 "$(sysv device_count)"
check_eq "at READY=1: mode" enforce "$(sysv mode)"
check_eq "at READY=1: systemd-networkd not started yet" inactive "$(unit_state systemd-networkd)"
check_eq "at READY=1: br0 does not exist yet" no "$(ip link show br0 >/dev/null 2>&1 && echo yes || echo no)"
exit 0
