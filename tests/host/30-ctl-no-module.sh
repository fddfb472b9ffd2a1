#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# camfencectl where the camfence family is absent (the host kernel has no
# camfence module): every command but check and load prints "camfence is not
# loaded (modprobe camfence; dkms status)" and exits 1, metrics also prints
# camfence_up 0, and none of them may load the module. Resolving the family
# by name (CTRL_CMD_GETFAMILY with CTRL_ATTR_FAMILY_NAME "camfence") makes
# the kernel request_module() its alias: strace shows that only load sends
# such a request; the others dump the registered families. (The VM test
# 60-ctl-check asserts the same against a real, installed module.)

set -u
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh

CTL=userspace-ctl/build/camfencectl
[ -x "$CTL" ] || { fail "$CTL not built (run make)"; test_done; }
[ -d /sys/module/camfence ] && skip "the camfence module is loaded on this host"
T=$(mktemp -d /tmp/cf-nomod.XXXXXX)
trap 'rc=$?; rm -rf "$T"; (exit $rc); cf_cleanup' EXIT

NOTLOADED="camfencectl: camfence is not loaded (modprobe camfence; dkms status)"
DOWN="# HELP camfence_up 1 when the camfence module is loaded and answered, 0 when it is not loaded.
# TYPE camfence_up gauge
camfence_up 0
# HELP camfence_build_info Always 1; the version of the camfence tools that wrote these metrics.
# TYPE camfence_build_info gauge
camfence_build_info{version=\"$(cat VERSION)\"} 1"
# camfenced adds its own: the last reload (no commit without the module)
RELOAD="# HELP camfence_config_last_reload_success 1 when camfenced's last reload of its configuration was valid and committed, else 0.
# TYPE camfence_config_last_reload_success gauge
camfence_config_last_reload_success 0
# HELP camfence_config_last_reload_timestamp_seconds Time of camfenced's last reload attempt, seconds since the epoch (0 none).
# TYPE camfence_config_last_reload_timestamp_seconds gauge
camfence_config_last_reload_timestamp_seconds T"
cat > "$T/good.conf" <<'CONF'
zone cameras {
    vlan 20
}
profile p {
    allow to 10.20.0.1 udp 53
}
device cam {
    mac 44:19:b6:00:00:01
    profile p
}
CONF

# run ARGS...: camfencectl's exit status, stdout and stderr in RC, OUT, ERR
run() {
	RC=0
	"$CTL" "$@" >"$T/out" 2>"$T/err" || RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

for cmd in "show" "show cam" "-j show" "stats" "-j stats" "unknown" "monitor" \
	   "learn cam" "mode enforce" "flush" "flush --force"; do
	# shellcheck disable=SC2086
	run $cmd
	check_eq "$cmd: exit" 1 "$RC"
	check_eq "$cmd: message" "$NOTLOADED" "$ERR"
	check_eq "$cmd: nothing on stdout" "" "$OUT"
done
run metrics
check_eq "metrics: exit" 1 "$RC"
check_eq "metrics: camfence_up 0 on stdout" "$DOWN" "$OUT"
check_eq "metrics: message" "$NOTLOADED" "$ERR"
run load "$T/good.conf"
check_eq "load: exit" 1 "$RC"
check_eq "load: message" "$NOTLOADED" "$ERR"
run check "$T/good.conf"
check_eq "check needs no module: exit" 0 "$RC"

# camfenced without the module: its textfile says camfence_up 0
D=userspace-ctl/build/camfenced
"$D" -f -c "$T/good.conf" --textfile "$T/camfence.prom" --textfile-interval 1 2>"$T/daemon.log" &
dpid=$!
busywait 20000 test -s "$T/camfence.prom" || fail "camfenced wrote no textfile: $(cat "$T/daemon.log")"
check_eq "camfenced without the module: textfile" "$DOWN
$RELOAD" "$(sed 's/^\(camfence_config_last_reload_timestamp_seconds\) 1[0-9]\{9\}$/\1 T/' "$T/camfence.prom")"
check_match "camfenced without the module: log" "camfence module not loaded; the policy is applied when it is" \
	"$(cat "$T/daemon.log")"
kill -TERM "$dpid"
wait "$dpid"
check_eq "camfenced: SIGTERM exits 0" 0 "$?"

# Which netlink requests: "camfence" as bytes, as strace -xx prints them
NAME='\\x63\\x61\\x6d\\x66\\x65\\x6e\\x63\\x65'
# by_name ARGS...: how many controller requests name the family
by_name() {
	strace -f -xx -s 4096 -e trace=sendmsg,sendto -o "$T/trace" "$CTL" "$@" >/dev/null 2>&1
	grep 'nlmsg_type=nlctrl' "$T/trace" | grep -c "$NAME"
}
if ! strace -o /dev/null true 2>/dev/null; then
	echo "# strace cannot trace here (ptrace refused): request checks not run"
else
	for cmd in "show" "show cam" "stats" "unknown" "monitor" "metrics" \
		   "learn cam" "mode enforce" "flush" "flush -y"; do
		# shellcheck disable=SC2086
		check_eq "$cmd: no request for the family by name (no module load)" 0 "$(by_name $cmd)"
		check_eq "$cmd: one dump of the families" 1 \
			"$(grep 'nlmsg_type=nlctrl' "$T/trace" | grep -c 'NLM_F_DUMP\|0x300')"
	done
	check_eq "load: requests the family by name (the kernel may load the module)" 1 \
		"$(by_name load "$T/good.conf")"
fi
test_done
