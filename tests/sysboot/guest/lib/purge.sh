#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Package removal and purge, as docs/deploy.md ("Removing camfence") says:
# remove takes the module out of every kernel's tree (dkms remove) and keeps
# /etc/camfence/camfence.conf; purge deletes the conffile; files the packages
# do not own (/etc/modprobe.d/camfence.conf, a device CSV) stay.  The loaded
# module and its policy stay until the module is unloaded or the next boot.
source /usr/local/lib/cftest/lib.sh
mark "purge"
export DEBIAN_FRONTEND=noninteractive
KV=$(uname -r)
exists() { [ -e "$1" ] && echo yes || echo no; }
g=$(sysv generation)
# the second kernel, installed after camfence-dkms (a kernel upgrade)
KV2=$(ls /lib/modules | grep -vx "$KV" | xargs)
check_eq "a second kernel is installed" 1 "$(echo "$KV2" | wc -w)"
check_eq "before removal: module in the DKMS tree of $KV" yes "$(exists /lib/modules/$KV/updates/dkms/camfence.ko)"
check_eq "kernel upgrade: DKMS built the module for $KV2" "$(cat /sys/module/camfence/version)" \
	"$(modinfo -k "$KV2" -F version camfence 2>/dev/null)"
check_eq "kernel upgrade: dkms status" "camfence/0.1.0, $KV, x86_64: installed|camfence/0.1.0, $KV2, x86_64: installed" \
	"$(dkms status camfence | sort | paste -sd'|')"
check_rc "apt-get remove camfence-dkms" 0 apt-get remove -y -q camfence-dkms
check_eq "removed: module file for $KV" no "$(exists /lib/modules/$KV/updates/dkms/camfence.ko)"
check_eq "removed: module file for $KV2" no "$(exists /lib/modules/$KV2/updates/dkms/camfence.ko)"
check_eq "removed: dkms status camfence" "" "$(dkms status camfence 2>/dev/null)"
check_eq "removed: modules-load.d entry" no "$(exists /usr/lib/modules-load.d/camfence.conf)"
check_eq "removed: modprobe camfence now fails (no module)" no "$(modprobe -n camfence 2>/dev/null && echo yes || echo no)"
check_eq "removed: the loaded module keeps its policy (generation)" "$g" "$(sysv generation)"
check_rc "apt-get remove camfence-tools" 0 apt-get remove -y -q camfence-tools
check_eq "removed: camfencectl" no "$(exists /usr/sbin/camfencectl)"
check_eq "removed: camfenced stopped by the package" inactive "$(unit_state camfenced)"
check_eq "removed: /etc/camfence/camfence.conf kept" yes "$(exists /etc/camfence/camfence.conf)"
check_eq "removed: camfence-tools in state rc (config files kept)" rc "$(dpkg-query -W -f='${db:Status-Abbrev}' camfence-tools | xargs)"
check_eq "removed: camfence-dkms (no conffiles) not installed" un "$(dpkg-query -W -f='${db:Status-Abbrev}' camfence-dkms | xargs)"
check_rc "apt-get purge camfence-tools camfence-dkms" 0 apt-get purge -y -q camfence-tools camfence-dkms
check_eq "purged: /etc/camfence/camfence.conf" no "$(exists /etc/camfence/camfence.conf)"
check_eq "purged: /etc/modprobe.d/camfence.conf (the operator's) kept" yes "$(exists /etc/modprobe.d/camfence.conf)"
check_eq "purged: no camfence package known to dpkg" "" "$(dpkg-query -W -f='${Package}\n' 'camfence*' 2>/dev/null)"
check_eq "purged: the loaded module still enforces (generation)" "$g" "$(sysv generation)"
# modprobe -r no longer finds the module (its file is gone): rmmod
check_rc "modprobe -r camfence after purge fails (no module file)" 1 modprobe -r camfence
check_rc "rmmod camfence after purge" 0 rmmod camfence
check_eq "after rmmod: no camfence module" no "$(exists /sys/module/camfence)"
exit 0
