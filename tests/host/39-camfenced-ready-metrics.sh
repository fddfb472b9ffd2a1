#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# camfenced on the host (no camfence module): sd_notify READY=1 only after
# a first successful commit, so without the module and with a broken file it
# never says READY and STATUS= says why (exact text); the textfile it
# writes meanwhile (camfence_up 0, camfence_build_info, the reload metrics,
# no camfence_config_policy_matches: nothing to compare) passes `promtool
# check metrics`, as does camfencectl metrics; --textfile into a directory
# that does not exist is refused at start with a clear message; the
# options --enforce-config and --no-device-metrics are accepted.
# (The kernel side, a commit by someone else logged and re-applied with
# --enforce-config, is tests/ctl/63-camfenced.)

set -u
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh

D=$PWD/userspace-ctl/build/camfenced
CTL=$PWD/userspace-ctl/build/camfencectl
if [ ! -x "$D" ] || [ ! -x "$CTL" ]; then fail "camfenced/camfencectl not built (run make)"; test_done; fi
[ -e /sys/module/camfence ] && skip "the camfence module is loaded on this host"
T=$(mktemp -d /tmp/cf-daemon.XXXXXX)
PIDS=()
# shellcheck disable=SC2317  # the EXIT trap
cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap 'rc=$?; cleanup; (exit $rc); cf_cleanup' EXIT

# a $NOTIFY_SOCKET that writes each datagram on its own line(s), then "--"
cat > "$T/recv.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as f:
    while True:
        f.write(s.recv(4096).decode() + "\n--\n")
        f.flush()
PY

# start NAME ARGS...: camfenced -f ARGS with its own notify socket;
# its log in $T/NAME.log, the datagrams in $T/NAME.notify
start() {
	local name=$1
	shift
	python3 "$T/recv.py" "$T/$name.sock" "$T/$name.notify" &
	PIDS+=($!)
	busywait 30000 test -S "$T/$name.sock" || fail "$name: notify socket"
	NOTIFY_SOCKET=$T/$name.sock "$D" -f "$@" 2>"$T/$name.log" &
	PIDS+=($!)
}
# shellcheck disable=SC2317  # called through busywait
has() { grep -Fq -- "$2" "$T/$1"; }

cat > "$T/good.conf" <<'CONF'
mode enforce
zone cams {
    vlan 20
}
profile cam {
    allow to 10.20.0.1 udp 53,123
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    profile cam
}
CONF
printf 'profile cam {\n    allow to 10.20.0.1 udp 53,123\n}\ndevice lobby-1 {\n    mac 44:19:b6:00:00:01\n    profile nope\n}\n' > "$T/bad.conf"

# ---- the module is absent: no READY, the reason in STATUS= ----
start absent -c "$T/good.conf" --enforce-config --textfile "$T/m/camfence.prom" \
	--textfile-interval 1 --no-device-metrics
sleep 0.2
# the directory does not exist: refused at start
busywait 5000 has absent.log "does not exist" || true
check_eq "--textfile in a missing directory: the message" \
	"camfenced: --textfile $T/m/camfence.prom: the directory $T/m does not exist; it is node_exporter's textfile directory (--collector.textfile.directory, Debian: /var/lib/prometheus/node-exporter from prometheus-node-exporter)" \
	"$(cat "$T/absent.log")"
rc=0
wait "${PIDS[-1]}" || rc=$?
check_eq "--textfile in a missing directory: exit status" 1 "$rc"
unset 'PIDS[-1]'

mkdir "$T/m"
start absent2 -c "$T/good.conf" --enforce-config --textfile "$T/m/camfence.prom" \
	--textfile-interval 1 --no-device-metrics
busywait 10000 has absent2.log "camfence module not loaded; the policy is applied when it is" ||
	fail "no 'module not loaded' in the log: $(cat "$T/absent2.log")"
busywait 10000 test -s "$T/m/camfence.prom" || fail "no textfile written"
sleep 1.5	# a poll of the module, a textfile rewrite
check_eq "module absent: what camfenced told systemd (no READY=1)" \
"STATUS=not ready: camfence module not loaded (modprobe camfence; dkms status camfence)
--
STATUS=not ready: camfence module not loaded (modprobe camfence; dkms status camfence); the policy is applied when it is
--" "$(cat "$T/absent2.notify")"
prom=$(cat "$T/m/camfence.prom")
check_match "textfile without the module: camfence_up 0" $'\ncamfence_up 0\n' "$prom"
check_match "textfile: camfence_build_info" "camfence_build_info\{version=\"$(cat VERSION)\"\} 1" "$prom"
check_match "textfile: the reload did not commit" $'\ncamfence_config_last_reload_success 0\n' "$prom"
check_match "textfile: the time of the reload" $'\ncamfence_config_last_reload_timestamp_seconds 1[0-9]{9}$' "$prom"
check_eq "textfile: nothing to compare, no camfence_config_policy_matches" 0 "$(grep -c policy_matches <<< "$prom")"
if command -v promtool > /dev/null; then
	out=$(promtool check metrics < "$T/m/camfence.prom" 2>&1); rc=$?
	check_eq "promtool check metrics: the textfile" "0 ''" "$rc '$out'"
	out=$("$CTL" metrics 2>/dev/null | promtool check metrics 2>&1); rc=$?
	check_eq "promtool check metrics: camfencectl metrics (module absent)" "0 ''" "$rc '$out'"
	# the check can fail: a counter without _total
	out=$(printf '# HELP camfence_x X.\n# TYPE camfence_x counter\ncamfence_x 1\n' | promtool check metrics 2>&1); rc=$?
	check_eq "promtool check metrics catches a bad name (lint: exit 3)" "3" "$rc"
else
	fail "promtool missing (apt-get install prometheus, or tests/vm/deps.sh)"
fi

# ---- a broken file: not ready, STATUS= names the file and the count ----
start broken -c "$T/bad.conf"
busywait 10000 has broken.notify "STATUS=not ready: $T/bad.conf" ||
	fail "broken: no STATUS: $(cat "$T/broken.notify" 2>/dev/null)"
sleep 1.2
check_eq "broken file: what camfenced told systemd (no READY=1)" \
"STATUS=not ready: camfence module not loaded (modprobe camfence; dkms status camfence)
--
STATUS=not ready: $T/bad.conf: 1 error, active policy unchanged (camfencectl check $T/bad.conf)
--" "$(cat "$T/broken.notify")"
check_match "broken file: the error logged" "<3>$T/bad.conf:4:1: device lobby-1 uses unknown profile nope" "$(cat "$T/broken.log")"

# a SIGHUP reload of the broken file: still no READY, no RELOADING
kill -HUP "${PIDS[-1]}"
busywait 10000 has broken.log "SIGHUP: reloading" || fail "no SIGHUP reload"
sleep 0.5
check_eq "SIGHUP while not ready: no READY=1, no RELOADING=1" 0 \
	"$(grep -c -e READY=1 -e RELOADING=1 "$T/broken.notify")"
test_done
