#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 240
# camfenced: initial load, reload on file change (in place and editor-style
# rename), a bad config logged with its errors while the old policy stays,
# SIGHUP, re-apply after the module is unloaded and loaded again, the
# Prometheus textfile, sd_notify READY=1, SIGTERM leaving the policy.
source "$CF_TOP/tests/lib.sh"

SYS=/sys/kernel/camfence

write_conf() {	# write_conf FILE DEVICE... (atomically, like an editor)
	local f=$1 d i=1
	shift
	{
		echo "mode enforce"
		echo "profile cam {"
		echo "    allow to 10.20.0.1 udp 53,123"
		echo "}"
		for d in "$@"; do
			printf 'device %s {\n    mac 44:19:b6:00:00:%02x\n    profile cam\n}\n' "$d" $i
			i=$((i + 1))
		done
	} > "$f.new" && mv "$f.new" "$f"
}
devices() { camfencectl show -j | python3 -c 'import json,sys; print(" ".join(d["name"] for d in json.load(sys.stdin)["devices"]))'; }
# shellcheck disable=SC2317  # called through busywait
has_devices() { [ "$(devices 2>/dev/null)" == "$1" ]; }
# shellcheck disable=SC2317
gen_is() { [ "$(cat "$SYS/generation" 2>/dev/null)" = "$1" ]; }
# shellcheck disable=SC2317
log_has() { grep -Eq "$1" daemon.log; }
# shellcheck disable=SC2317
log_count() { [ "$(grep -Fc "$1" daemon.log)" = "$2" ]; }

mkdir -p etc
write_conf etc/camfence.conf lobby-1
echo 'name,mac,ips,profile,mode' > etc/devices.csv

# sd_notify: a datagram socket that records what the daemon sends
socat -u UNIX-RECV:"$PWD/notify.sock" OPEN:notify.txt,creat,append &
busywait "$(cf_ms 10000)" test -S notify.sock || fail "notify socket"
NOTIFY_SOCKET=$PWD/notify.sock camfenced -f -c "$PWD/etc/camfence.conf" \
	--textfile "$PWD/metrics.prom" --textfile-interval 1 2> daemon.log &
pid=$!

busywait "$(cf_ms 20000)" has_devices "lobby-1" || fail "initial load: devices '$(devices)'"
check_eq "initial load: generation" 1 "$(sys_read $SYS/generation)"
busywait "$(cf_ms 10000)" grep -q READY=1 notify.txt || fail "no READY=1 on \$NOTIFY_SOCKET"
check_match "log: the commit" "policy loaded: generation 1: 1 added, 0 removed, 0 changed, 0 unchanged" "$(cat daemon.log)"

# editor-style replace (rename over the file)
write_conf etc/camfence.conf lobby-1 gate-2
busywait "$(cf_ms 20000)" has_devices "gate-2 lobby-1" || fail "reload after rename: devices '$(devices)'"
check_eq "reload after rename: generation" 2 "$(sys_read $SYS/generation)"
check_match "log: added" "added: gate-2" "$(cat daemon.log)"
busywait "$(cf_ms 10000)" grep -q RELOADING=1 notify.txt || fail "no RELOADING=1"

# an included file changed in place (an empty CSV first: no change, no
# commit)
sed -i 's/^mode enforce$/mode enforce\ninclude "devices.csv"/' etc/camfence.conf
busywait "$(cf_ms 20000)" log_has "policy unchanged: generation 2 \(2 devices\)" || fail "reload after adding the include"
check_eq "include of an empty CSV: generation unchanged" 2 "$(sys_read $SYS/generation)"
echo 'yard-3,44:19:b6:00:00:33,10.20.0.33,cam,' >> etc/devices.csv
busywait "$(cf_ms 20000)" has_devices "gate-2 lobby-1 yard-3" || fail "reload after the CSV changed: devices '$(devices)'"
check_eq "reload after the CSV changed: generation" 3 "$(sys_read $SYS/generation)"

# a bad config: every error logged, the active policy stays
cp etc/camfence.conf good.conf
printf 'device broken {\n    mac 44:19:b6:00:00:01\n    profile nope\n}\nfrobnicate\n' >> etc/camfence.conf
busywait "$(cf_ms 20000)" log_has "active policy unchanged" || fail "bad config not reported"
check_match "log: the unknown profile error" "camfence\.conf:[0-9]+:[0-9]+: .*nope" "$(cat daemon.log)"
check_match "log: the unknown statement error" "camfence\.conf:[0-9]+:[0-9]+: .*frobnicate" "$(cat daemon.log)"
check_match "log: the error count" "camfence\.conf: [0-9]+ errors, active policy unchanged" "$(cat daemon.log)"
check_eq "bad config: policy unchanged" "gate-2 lobby-1 yard-3" "$(devices)"
check_eq "bad config: generation unchanged" 3 "$(sys_read $SYS/generation)"
check_rc "daemon still running" 0 kill -0 $pid

# the fix restores what is loaded: reloaded, nothing to commit
cp good.conf etc/camfence.conf.tmp && mv etc/camfence.conf.tmp etc/camfence.conf
busywait "$(cf_ms 20000)" log_count "policy unchanged: generation 3 (3 devices)" 1 ||
	fail "reload after the fix"

# SIGHUP reloads even without a change (and commits nothing)
kill -HUP $pid
busywait "$(cf_ms 20000)" log_count "policy unchanged: generation 3 (3 devices)" 2 ||
	fail "SIGHUP did not reload"
check_eq "SIGHUP: generation unchanged" 3 "$(sys_read $SYS/generation)"
check_eq "SIGHUP: devices" "gate-2 lobby-1 yard-3" "$(devices)"

# the module goes away and comes back: the daemon re-applies the policy
modprobe -r camfence || fail "modprobe -r camfence"
sleep 2
check_rc "the daemon did not load the module itself" 1 test -d /sys/module/camfence
busywait "$(cf_ms 20000)" grep -qx 'camfence_up 0' metrics.prom || fail "textfile: no camfence_up 0 without the module: $(cat metrics.prom)"
check_eq "textfile without the module: camfence_up 0, build_info, the last reload; no other value" \
"# HELP camfence_up 1 when the camfence module is loaded and answered, 0 when it is not loaded.
# TYPE camfence_up gauge
camfence_up 0
# HELP camfence_build_info Always 1; the version of the camfence tools that wrote these metrics.
# TYPE camfence_build_info gauge
camfence_build_info{version=\"$(cat "$CF_TOP/VERSION")\"} 1
# HELP camfence_config_last_reload_success 1 when camfenced's last reload of its configuration was valid and committed, else 0.
# TYPE camfence_config_last_reload_success gauge
camfence_config_last_reload_success 1
# HELP camfence_config_last_reload_timestamp_seconds Time of camfenced's last reload attempt, seconds since the epoch (0 none).
# TYPE camfence_config_last_reload_timestamp_seconds gauge
camfence_config_last_reload_timestamp_seconds T" "$(sed 's/^\(camfence_config_last_reload_timestamp_seconds\) 1[0-9]\{9\}$/\1 T/' metrics.prom)"
modprobe camfence || fail "modprobe camfence"
busywait "$(cf_ms 20000)" has_devices "gate-2 lobby-1 yard-3" || fail "not re-applied after the module reload: '$(devices)'"
check_eq "re-applied: generation of the new module instance" 1 "$(sys_read $SYS/generation)"
check_match "log: module reload seen" "camfence module (gone|was reloaded)" "$(cat daemon.log)"

# textfile: written atomically, current
busywait "$(cf_ms 20000)" grep -q '^camfence_generation 1$' metrics.prom || fail "textfile not updated: $(grep generation metrics.prom)"
check_eq "textfile: up" "camfence_up 1" "$(grep '^camfence_up ' metrics.prom)"
check_eq "textfile: devices" "camfence_devices 3" "$(grep '^camfence_devices ' metrics.prom)"
check_eq "textfile: per-device sample" 'camfence_device_dropped_packets_total{device="yard-3",mac="44:19:b6:00:00:33"} 0' \
	"$(grep '^camfence_device_dropped_packets_total{device="yard-3"' metrics.prom)"
check_eq "textfile: the policy is the configuration's" "camfence_config_policy_matches 1" "$(grep '^camfence_config_policy_matches ' metrics.prom)"
check_eq "textfile: no temporary files left" "" "$(find . -maxdepth 1 -name 'metrics.prom.tmp*')"

# SIGTERM: exit 0, the policy stays
kill -TERM $pid
wait $pid; rc=$?
check_eq "SIGTERM: exit status" 0 "$rc"
check_eq "SIGTERM: policy still loaded" "gate-2 lobby-1 yard-3" "$(devices)"
check_eq "SIGTERM: device_count" 3 "$(sys_read $SYS/device_count)"
echo "# daemon log:"; sed 's/^/#   /' daemon.log
test_done
