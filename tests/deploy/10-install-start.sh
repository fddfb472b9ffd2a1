#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 240
#
# The installed tree runs as systemd would run it (issue 5, "Done when"):
#   make install DESTDIR=./root  (from the read-only repo: install never builds)
#   -> a site config (with a CSV include) in ./root/etc/camfence/
#   -> camfenced started from the installed unit's own ExecStart= line, the
#      paths moved under DESTDIR, with a NOTIFY_SOCKET like Type=notify gives it
#   -> READY=1 arrives only once the policy is committed: sysfs shows it
#   -> the unit's ExecReload= line reloads a changed config
#   -> SIGTERM (systemd's stop) exits 0 and leaves the policy in place.

source "$CF_TOP/tests/lib.sh"
set -u

D=$PWD/root
log=$PWD/make.log
rc=0
make -s -C "$CF_TOP" -f mk/install.mk install DESTDIR="$D" >"$log" 2>&1 || rc=$?
check_eq "make install DESTDIR=$D" 0 "$rc" || { sed 's/^/#   /' "$log"; test_done; }

UNIT=$D/lib/systemd/system/camfenced.service
[ -f "$UNIT" ] || { fail "no unit installed at $UNIT"; test_done; }
check_eq "unit Type" "notify" "$(sed -n 's/^Type=//p' "$UNIT")"

# Resolve a unit command line against DESTDIR: strip systemd's prefixes
# (-@:+!), move every absolute path that exists under DESTDIR there.
unit_cmd() { # KEY -> words in the array CMD
	local line w
	line=$(sed -n "s/^$1=//p" "$UNIT" | tail -n 1)
	line=${line#[-@:+!]}
	CMD=()
	for w in $line; do
		if [[ "$w" == /* ]] && [ -e "$D$w" ]; then
			w=$D$w
		fi
		CMD+=("$w")
	done
}
unit_cmd ExecStart
echo "# ExecStart resolved: ${CMD[*]}"
check_eq "ExecStart runs the installed camfenced" "$D/usr/sbin/camfenced" "${CMD[0]}"
check_match "ExecStart reads the installed config" " $D/etc/camfence/camfence.conf( |$)" "${CMD[*]}"

# The site: two cameras in the config, one (in monitor mode) from the CSV.
cat >"$D/etc/camfence/camfence.conf" <<'EOF'
mode enforce
zone cameras {
    vlan 20
    unknown drop
}
profile cam {
    allow from 10.20.0.5 tcp 554
    allow to 10.20.0.1 udp 123
}
profile nvr {
    allow to 10.20.0.0/24 tcp 554
}
device cam-a {
    mac 44:19:b6:00:00:0a
    ip 10.20.0.10
    profile cam
}
device cam-b {
    mac 44:19:b6:00:00:0b
    ip 10.20.0.11
    profile cam
}
include "devices.csv"
EOF
printf 'name,mac,ips,profile,mode\ncam-c,3c:ef:8c:00:00:0c,10.20.0.12,cam,monitor\n' \
	>"$D/etc/camfence/devices.csv"

check_eq "sysfs generation before the daemon" 0 "$(sys_read /sys/kernel/camfence/generation)"

# Type=notify: systemd passes NOTIFY_SOCKET and waits for READY=1.
SOCK=$PWD/notify.sock
socat -u UNIX-RECV:"$SOCK" - >"$PWD/notify.log" 2>/dev/null &
busywait 30000 test -S "$SOCK" || fail "notify socket not created by socat within 30 s"
NOTIFY_SOCKET=$SOCK "${CMD[@]}" >"$PWD/daemon.out" 2>&1 &
DPID=$!
if busywait 60000 grep -q "^READY=1" "$PWD/notify.log"; then
	echo "# ok: READY=1 received"
	# READY must mean "policy committed": read sysfs right away, no wait.
	check_eq "device_count when READY" 3 "$(sys_read /sys/kernel/camfence/device_count)"
	check_eq "generation when READY" 1 "$(sys_read /sys/kernel/camfence/generation)"
else
	fail "camfenced sent no READY=1 within 60 s"
	sed 's/^/#   daemon: /' "$PWD/daemon.out"
fi
check_eq "global mode" "enforce" "$(sys_read /sys/kernel/camfence/mode)"
check_eq "cam-a profile" "cam" "$(sys_read /sys/kernel/camfence/devices/cam-a/profile)"
check_eq "cam-a mac" "44:19:b6:00:00:0a" "$(sys_read /sys/kernel/camfence/devices/cam-a/mac)"
check_eq "cam-c (from the CSV include) mode" "monitor" "$(sys_read /sys/kernel/camfence/devices/cam-c/mode)"
check_eq "cam-b effective mode" "enforce" "$(sys_read /sys/kernel/camfence/devices/cam-b/mode)"

# ExecReload= (kill -HUP $MAINPID): add the NVR, reload through the unit's line.
cat >>"$D/etc/camfence/camfence.conf" <<'EOF'
device nvr-1 {
    mac 44:19:b6:00:00:05
    ip 10.20.0.5
    profile nvr
}
EOF
unit_cmd ExecReload
if [ "${#CMD[@]}" -gt 0 ]; then
	reload=("${CMD[@]//\$MAINPID/$DPID}")
	reload=("${reload[@]//\$\{MAINPID\}/$DPID}")
	echo "# ExecReload resolved: ${reload[*]}"
	check_rc "ExecReload" 0 "${reload[@]}"
else
	kill -HUP "$DPID"
fi
busywait 30000 grep -qx 4 /sys/kernel/camfence/device_count
check_eq "device_count after reload" 4 "$(sys_read /sys/kernel/camfence/device_count)"
check_eq "nvr-1 profile after reload" "nvr" "$(sys_read /sys/kernel/camfence/devices/nvr-1/profile)"
gen=$(sys_read /sys/kernel/camfence/generation)
check_match "generation moved on with the reload" "^[2-9][0-9]*$" "$gen"

# systemctl stop: SIGTERM, exit 0, the kernel policy stays.
kill -TERM "$DPID"
rc=0
wait "$DPID" || rc=$?
check_eq "camfenced exit code on SIGTERM" 0 "$rc" || sed 's/^/#   daemon: /' "$PWD/daemon.out"
check_eq "device_count after stop" 4 "$(sys_read /sys/kernel/camfence/device_count)"
check_eq "generation unchanged by stop" "$gen" "$(sys_read /sys/kernel/camfence/generation)"
check_eq "cam-a still there after stop" "cam" "$(sys_read /sys/kernel/camfence/devices/cam-a/profile)"

test_done
