#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 240
# camfenced notices a kernel policy that is not its configuration's (a
# commit by someone else: camfencectl flush -y, load of another file):
# - without --enforce-config: logged at LOG_CRIT with the difference,
#   STATUS= says so, camfence_config_policy_matches 0, the policy stays;
#   a load of the file itself makes it match again (1);
# - with --enforce-config: logged, then the file's policy is committed
#   again (devices back, matches 1); not while a "camfencectl load
#   --confirm" waits for its confirmation, nor once it is confirmed (until
#   the next reload, which applies the file again).
source "$CF_TOP/tests/lib.sh"

SYS=/sys/kernel/camfence
export CAMFENCE_RUN_DIR=$PWD/run
mkdir -p run

cat > site.conf <<'CONF'
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
device gate-2 {
    mac 44:19:b6:00:00:02
    profile cam
}
CONF
sed '/^device gate-2/,$d' site.conf > other.conf

devices() { camfencectl show -j | python3 -c 'import json,sys; print(" ".join(d["name"] for d in json.load(sys.stdin)["devices"]))'; }
# shellcheck disable=SC2317  # called through busywait
has_devices() { [ "$(devices 2>/dev/null)" == "$1" ]; }
# shellcheck disable=SC2317
log_has() { grep -Fq -- "$2" "$1"; }
# shellcheck disable=SC2317
metric_is() { grep -qx "camfence_config_policy_matches $2" "$1"; }

# a notify socket whose datagrams each end with a newline
cat > recv.py <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as f:
    while True:
        f.write(s.recv(4096).decode() + "\n")
        f.flush()
PY
python3 recv.py "$PWD/notify.sock" notify.txt &
rpid=$!
busywait "$(cf_ms 60000)" test -S notify.sock || fail "notify socket"

# ---- without --enforce-config ----
NOTIFY_SOCKET=$PWD/notify.sock camfenced -f -c "$PWD/site.conf" \
	--textfile "$PWD/a.prom" --textfile-interval 1 2> a.log &
pid=$!
busywait "$(cf_ms 20000)" has_devices "gate-2 lobby-1" || fail "initial load: '$(devices)'"
busywait "$(cf_ms 10000)" grep -q '^READY=1' notify.txt || fail "no READY=1 after the first commit"
check_eq "READY=1 once the policy is committed: generation" 1 "$(sys_read $SYS/generation)"
busywait "$(cf_ms 10000)" metric_is a.prom 1 || fail "matches 1: $(grep policy_matches a.prom)"

camfencectl load other.conf > /dev/null || fail "load other.conf"
busywait "$(cf_ms 10000)" log_has a.log "is not the one of $PWD/site.conf" || fail "the other commit was not noticed: $(cat a.log)"
check_match "log: LOG_CRIT, the generation, the difference" \
	"<2>the kernel policy \(generation 2\) is not the one of $PWD/site.conf: another commit changed it \(devices: 1 added, 0 removed, 0 changed, 1 unchanged; profiles: 0 added, 0 removed, 0 changed; zones: 0 added, 0 removed, 0 changed; mode unchanged\); 'camfencectl diff $PWD/site.conf' shows how" \
	"$(cat a.log)"
check_match "log: not re-applied" "not re-applied: camfenced runs without --enforce-config" "$(cat a.log)"
busywait "$(cf_ms 10000)" metric_is a.prom 0 || fail "matches 0: $(grep policy_matches a.prom)"
check_eq "without --enforce-config: the other policy stays" "lobby-1" "$(devices)"
check_eq "without --enforce-config: generation" 2 "$(sys_read $SYS/generation)"
check_match "STATUS= says so" "STATUS=running: generation 2; the kernel policy differs from the configuration" "$(cat notify.txt)"
# the file itself again: matches
camfencectl load site.conf > /dev/null || fail "load site.conf"
busywait "$(cf_ms 10000)" log_has a.log "is the one of $PWD/site.conf again" || fail "match again not logged"
busywait "$(cf_ms 10000)" metric_is a.prom 1 || fail "matches 1 again: $(grep policy_matches a.prom)"
kill -TERM $pid; wait $pid

# ---- with --enforce-config ----
camfenced -f -c "$PWD/site.conf" --enforce-config --textfile "$PWD/b.prom" \
	--textfile-interval 1 2> b.log &
pid=$!
busywait "$(cf_ms 10000)" log_has b.log "policy unchanged: generation 3" || fail "start: $(cat b.log)"
camfencectl flush -y > /dev/null || fail "flush -y"
busywait "$(cf_ms 10000)" log_has b.log "re-applying $PWD/site.conf (--enforce-config)" || fail "flush not undone: $(cat b.log)"
busywait "$(cf_ms 10000)" has_devices "gate-2 lobby-1" || fail "after the flush: '$(devices)'"
check_match "log: the flush seen" "<2>the kernel policy \(generation 4\) is not the one of $PWD/site.conf: another commit changed it \(devices: 2 added, 0 removed" "$(cat b.log)"
check_match "log: re-applied as generation 5" "policy loaded: generation 5: 2 added, 0 removed, 0 changed, 0 unchanged" "$(cat b.log)"
busywait "$(cf_ms 10000)" metric_is b.prom 1 || fail "matches 1 after re-applying: $(grep policy_matches b.prom)"

# load --confirm: left alone while it waits; confirmed, undone
out=$(camfencectl load --confirm 120 other.conf 2>&1) || fail "load --confirm: $out"
busywait "$(cf_ms 10000)" log_has b.log "not re-applied yet: a 'camfencectl load --confirm' waits for its confirmation" ||
	fail "pending confirmation not seen: $(cat b.log)"
sleep 2
check_eq "while the confirmation waits: the new policy stays" "lobby-1" "$(devices)"
check_eq "while the confirmation waits: generation" 6 "$(sys_read $SYS/generation)"
camfencectl confirm > /dev/null || fail "confirm"
busywait "$(cf_ms 10000)" log_has b.log "not re-applied: generation 6 was kept by 'camfencectl confirm'" ||
	fail "the confirmation not seen: $(cat b.log)"
sleep 2
check_eq "confirmed: the new policy stays until the next reload" "lobby-1" "$(devices)"
check_eq "confirmed: generation" 6 "$(sys_read $SYS/generation)"
# the next reload applies the file on disk again (here: it was not replaced)
kill -HUP $pid
busywait "$(cf_ms 10000)" has_devices "gate-2 lobby-1" || fail "reload after the confirmation: '$(devices)'"
check_eq "reload after the confirmation: generation" 7 "$(sys_read $SYS/generation)"
camfencectl flush -y > /dev/null || fail "second flush -y"
busywait "$(cf_ms 10000)" has_devices "gate-2 lobby-1" || fail "the confirmation's respite ended with the reload: '$(devices)'"
check_eq "a flush after that reload is undone: generation" 9 "$(sys_read $SYS/generation)"
kill -TERM $pid; wait $pid
kill $rpid; wait $rpid 2>/dev/null
echo "# logs:"; sed 's/^/#   /' a.log b.log
test_done
