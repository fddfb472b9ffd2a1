#!/bin/bash
# cf-timeout: 600
# SPDX-License-Identifier: GPL-2.0
# camfencectl load --confirm SECONDS FILE / camfencectl confirm:
# - unconfirmed, the previous policy comes back at the deadline, also after
#   the session that ran the load is gone (SIGHUP to its process group):
#   policy read back equal, generation +1, a camera's traffic judged by the
#   old rules again, per-device counters kept across both commits;
# - confirmed in time, the new policy stays and the rollback process exits;
# - SIGTERM to the rollback process rolls back at once;
# - another commit while waiting ends the wait without a rollback;
# - refusals: at generation 0, a second --confirm while one waits, a bad
#   SECONDS, confirm with nothing pending.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

RUN=/run/camfence
rm -rf "$RUN"

# agent_pid: the pid of the waiting rollback process ("" if none)
agent_pid() { sed -n 's/^pid //p' "$RUN/confirm-pending" 2>/dev/null; }
# shellcheck disable=SC2317  # called through busywait
gen_is() { [ "$(cat $SYS/generation 2>/dev/null)" = "$1" ]; }
# shellcheck disable=SC2317
gone() { ! kill -0 "$1" 2>/dev/null; }
# no rollback process may outlive the test (it would commit in the next one)
kill_agent() {
	local p
	p=$(agent_pid)
	[ -n "$p" ] && kill -KILL "$p" 2>/dev/null
	rm -rf "$RUN"
}
trap 'rc=$?; kill_agent; (exit $rc); cf_cleanup' EXIT

cf_routed_topology || fail "topology"

conf() {	# NAME FILE PORT [EXTRA DEVICE MAC]
	{
		printf 'mode enforce\nzone cameras {\n    vlan 20\n}\n'
		printf 'profile cam {\n    allow to 10.99.0.5 udp %s\n}\n' "$3"
		printf 'device lobby-1 {\n    mac %s\n    ip 10.20.0.11\n    profile cam\n}\n' "$CAM1_MAC"
		[ -n "$4" ] && printf 'device %s {\n    mac %s\n    profile cam\n}\n' "$4" "$5"
	} > "$2"
}
conf A A.conf 5000
conf B B.conf 5001 gate-9 44:19:b6:00:00:09

# refused at generation 0: nothing to roll back to
out=$(camfencectl load --confirm 30 A.conf 2>&1); rc=$?
check_eq "--confirm at generation 0: exit" 1 "$rc"
check_eq "--confirm at generation 0: message" \
	"camfencectl: --confirm: no policy was committed yet, so there is none to roll back to; load without --confirm" "$out"
check_eq "--confirm at generation 0: nothing committed" 0 "$(sys_read $SYS/generation)"
out=$(camfencectl load --confirm 0 A.conf 2>&1); rc=$?
check_eq "--confirm 0: exit" 2 "$rc"
check_eq "--confirm 0: message" "camfencectl: --confirm needs a number of seconds from 1 to 86400, not '0'" "$out"
out=$(camfencectl confirm 2>&1); rc=$?
check_eq "confirm with nothing pending: exit" 1 "$rc"
check_eq "confirm with nothing pending: message" "camfencectl: no commit is waiting for confirmation" "$out"

# policy A: udp 5000 allowed, 5001 dropped
check_rc "load A" 0 camfencectl load A.conf
check_eq "A: 5000 allowed" 3 "$(udp_count nvr 10.99.0.5 5000 cam1 3)"
check_eq "A: 5001 dropped" 0 "$(udp_count nvr 10.99.0.5 5001 cam1 2)"
check_eq "A: counters" "3 2" "$(dstat lobby-1 allowed_packets) $(dstat lobby-1 dropped_packets)"
camfencectl show policy | tail -n +2 > A.policy

# 1. not confirmed: the session that ran the load is gone, the rollback
#    process is not
# (the window: 40 s x CF_SCALE; the checks before the hangup must fit in it,
# and on the debug kernel they took more than 40 s)
W=$((40 * CF_SCALE))
setsid bash -c "echo \$\$ > sess.pid; camfencectl load --confirm $W B.conf > load.out 2>&1; echo \$? > load.rc; sleep 300" &
busywait "$(cf_ms 20000)" test -s load.rc || fail "load --confirm did not finish: $(cat load.out)"
check_eq "load --confirm: exit" 0 "$(cat load.rc)"
check_match "load --confirm: output" "^added: gate-9
changed: 1 device\(s\) whose profile rules changed
generation 2: 1 added, 0 removed, 1 changed, 0 unchanged
waiting for confirmation: run 'camfencectl confirm' within $W s, or the policy of generation 1 is restored at [0-9T:-]+Z \(rollback process [0-9]+\)$" "$(cat load.out)"
check_eq "B committed" 2 "$(sys_read $SYS/generation)"
apid=$(agent_pid)
check_match "pending: the rollback process" "^[0-9]+$" "$apid"
check_eq "pending: state" "generation 2
previous 1
file B.conf" "$(grep -v '^pid\|^deadline' $RUN/confirm-pending)"
check_eq "rollback.conf holds policy A" "$(cat A.policy)" "$(tail -n +3 $RUN/rollback.conf)"
check_eq "rollback.conf: mode 0600" 600 "$(stat -c %a $RUN/rollback.conf)"
asid=$(ps -o sid= -p "$apid" | tr -d ' ')
check_rc "the rollback process is in a session of its own" 0 \
	test -n "$asid" -a "$asid" != "$(cat sess.pid)" -a "$asid" != "$(ps -o sid= -p $$ | tr -d ' ')"
check_eq "the rollback process has no terminal" "?" "$(ps -o tty= -p "$apid" | tr -d ' ')"
kill -HUP -- "-$(cat sess.pid)"
busywait "$(cf_ms 5000)" gone "$(cat sess.pid)" || fail "the session did not end"
check_rc "the rollback process survives the hangup" 0 kill -0 "$apid"
busywait $(((W + 80) * 1000)) gen_is 3 || fail "no rollback: generation $(cat $SYS/generation)"
check_eq "rolled back: generation" 3 "$(sys_read $SYS/generation)"
check_eq "rolled back: policy A read back" "$(cat A.policy)" "$(camfencectl show policy | tail -n +2)"
check_eq "rolled back: gate-9 gone" "lobby-1" "$(ls $SYS/devices | paste -sd ' ')"
check_match "rolled back: logged" "Z rollback: generation 2 \(load --confirm B.conf\) was not confirmed in time; restored the policy of generation 1: generation 3: 0 added, 1 removed, 1 changed, 0 unchanged$" \
	"$(cat $RUN/confirm.log)"
busywait "$(cf_ms 5000)" gone "$apid" || fail "the rollback process did not exit"
check_eq "rolled back: no state left but the log and camfenced's mark" "confirm.log rolled-back" "$(ls $RUN | paste -sd ' ')"
check_eq "rolled back: the mark names the rollback's generation" "generation 3" "$(cat $RUN/rolled-back)"
check_eq "rolled back: 5000 allowed again" 2 "$(udp_count nvr 10.99.0.5 5000 cam1 2)"
check_eq "rolled back: 5001 dropped again" 0 "$(udp_count nvr 10.99.0.5 5001 cam1 1)"
check_eq "counters survive load and rollback" "5 3" "$(dstat lobby-1 allowed_packets) $(dstat lobby-1 dropped_packets)"
out=$(camfencectl confirm 2>&1); rc=$?
check_eq "confirm after the rollback: exit" 1 "$rc"

# 2. confirmed in time: B stays
out=$(camfencectl load --confirm 300 B.conf 2>&1); rc=$?
check_eq "load --confirm 300: exit" 0 "$rc"
check_eq "B again: generation" 4 "$(sys_read $SYS/generation)"
apid=$(agent_pid)
out=$(camfencectl load --confirm 300 A.conf 2>&1); rc=$?
check_eq "a second --confirm while one waits: exit" 1 "$rc"
check_eq "a second --confirm while one waits: message" \
	"camfencectl: generation 4 is waiting for confirmation (rollback process $apid): run 'camfencectl confirm' first, or let it roll back" "$out"
check_eq "B: 5001 allowed" 2 "$(udp_count nvr 10.99.0.5 5001 cam1 2)"
check_eq "B: 5000 dropped" 0 "$(udp_count nvr 10.99.0.5 5000 cam1 1)"
out=$(camfencectl confirm 2>&1); rc=$?
check_eq "confirm: exit" 0 "$rc"
check_eq "confirm: message" "confirmed: generation 4 stays (rollback to the policy of generation 3 cancelled)" "$out"
busywait "$(cf_ms 10000)" gone "$apid" || fail "the rollback process did not exit after confirm"
check_eq "confirmed: no state left but the log and camfenced's marks" "confirm.log confirmed rolled-back" "$(ls $RUN | paste -sd ' ')"
check_eq "confirmed: the mark names the confirmed generation" "generation 4" "$(cat $RUN/confirmed)"
check_eq "confirmed: generation" 4 "$(sys_read $SYS/generation)"
check_eq "confirmed: devices" "gate-9 lobby-1" "$(ls $SYS/devices | paste -sd ' ')"
check_eq "confirmed: counters" "7 4" "$(dstat lobby-1 allowed_packets) $(dstat lobby-1 dropped_packets)"

# 3. SIGTERM to the rollback process: it rolls back at once
check_rc "load --confirm 300 A" 0 camfencectl load --confirm 300 A.conf
check_eq "A again: generation" 5 "$(sys_read $SYS/generation)"
apid=$(agent_pid)
kill -TERM "$apid"
busywait "$(cf_ms 30000)" gen_is 6 || fail "SIGTERM: no rollback"
check_eq "SIGTERM: B restored" "gate-9 lobby-1" "$(ls $SYS/devices | paste -sd ' ')"
check_match "SIGTERM: logged" "rollback: generation 5 \(load --confirm A.conf\) was ended by SIGTERM before a confirmation; restored the policy of generation 4: generation 6: 1 added, 0 removed, 1 changed, 0 unchanged$" \
	"$(tail -1 $RUN/confirm.log)"

# 4. another commit while one waits ends the wait, without a rollback
check_rc "load --confirm $((15 * CF_SCALE)) A" 0 camfencectl load --confirm $((15 * CF_SCALE)) A.conf
apid=$(agent_pid)
conf C C.conf 5002
out=$(camfencectl load C.conf 2>&1); rc=$?
check_eq "plain load while waiting: exit" 0 "$rc"
check_eq "plain load while waiting: output" "camfencectl: note: generation 7 was waiting for confirmation; a commit now ends the wait (no rollback will follow)
changed: 1 device(s) whose profile rules changed
generation 8: 0 added, 0 removed, 1 changed, 0 unchanged" "$out"
busywait "$(cf_ms 60000)" gone "$apid" || fail "the rollback process did not end"
check_eq "no rollback over a newer commit: generation" 8 "$(sys_read $SYS/generation)"
check_match "no rollback over a newer commit: logged" "no rollback: the policy is at generation 8, not 7 any more \(another commit came after load --confirm\)$" \
	"$(tail -1 $RUN/confirm.log)"
check_eq "no rollback over a newer commit: rule of C" "    allow to 10.99.0.5 udp 5002" \
	"$(camfencectl show policy | grep 'allow to')"

test_done
