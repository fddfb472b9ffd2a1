#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Ansible role (deploy/ansible/roles/camfence) against this router,
# connection local: the first run fences the cameras as the inventory says
# (cam2 is not in it: unknown, dropped), a second run changes nothing, a
# changed device list is applied (each load commit-confirmed: load --confirm,
# the checks, confirm), a broken one is refused before anything is written, a
# failed check after the load leaves it unconfirmed and it is rolled back.  Runs in boot 2 (main.sh), the topology of main.sh in place.
source /usr/local/lib/cftest/lib.sh
mark "ansible"
export HOME=/root ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_RETRY_FILES_ENABLED=0 \
	ANSIBLE_ROLES_PATH=/usr/local/share/cftest/ansible/roles ANSIBLE_LOCAL_TEMP=/tmp/ansible-local \
	ANSIBLE_REMOTE_TEMP=/tmp/ansible-remote ANSIBLE_PIPELINING=1
T=/usr/local/share/cftest/ansible-test
play() { # NAME ARGS...: run the playbook, set RC and CHANGED
	local name=$1 t0
	shift
	t0=$(date +%s)
	RC=0
	ansible-playbook -v -i "$T/inventory.yml" "$T/play.yml" "$@" > "$STATE/ansible-$name.log" 2>&1 || RC=$?
	CHANGED=$(sed -n 's/^cfrouter .*changed=\([0-9]*\).*/\1/p' "$STATE/ansible-$name.log")
	info "ansible $name: exit $RC, changed=$CHANGED, $(( $(date +%s) - t0 )) s"
	if [ "$RC" != "${WANT_RC:-0}" ]; then
		grep -v '^$' "$STATE/ansible-$name.log" | tail -n 25 | cut -c1-400 | sed 's/^/#   /' >&3
	fi
}
sha() { sha256sum "$@" | cut -c1-16 | tr '\n' ' '; }
settled_gen() { # wait until camfenced's reloads are over: generation stable for 3 s
	local g n=0
	g=$(sysv generation)
	while [ $n -lt 30 ]; do
		sleep 0.5
		if [ "$(sysv generation)" = "$g" ]; then n=$((n + 5)); else g=$(sysv generation); n=0; fi
	done
	echo "$g"
}
devices() { ls /sys/kernel/camfence/devices | xargs; }
# confirmed LABEL NAME: the play loaded with --confirm and confirmed it
confirmed() {
	check_eq "$1: load --confirm, then camfencectl confirm (-v output)" "1 1" \
		"$(grep -c 'waiting for confirmation: run .camfencectl confirm. within 120 s' "$STATE/ansible-$2.log") $(grep -c '"stdout": "confirmed: generation [0-9]* stays' "$STATE/ansible-$2.log")"
	check_eq "$1: no rollback pending" no "$([ -e /run/camfence/confirm-pending ] && echo yes || echo no)"
}
command -v ansible-playbook >/dev/null || { notok "ansible-playbook installed"; exit 0; }

# 1. first run
g0=$(sysv generation)
play first
check_eq "ansible first run: exit" 0 "$RC"
# modprobe.d, the helper, the staging directory, the staged pair (one loop
# task), the load --confirm, devices.csv, camfence.conf, the handler's
# reload; the packages (same version), the checks, the confirmation and the
# running service are unchanged
check_eq "ansible first run: changed" 8 "$CHANGED"
confirmed "ansible first run" first
g1=$(settled_gen)
check_ne "ansible first run: policy committed (generation moved from $g0)" "$g0" "$g1"
check_eq "ansible first run: devices from the inventory (cam2 not listed)" "cam1 nvr" "$(devices)"
check_eq "ansible first run: camfencectl check of the written files" 0 \
	"$(camfencectl check /etc/camfence/camfence.conf >/dev/null 2>&1; echo $?)"
check_eq "ansible first run: module options" "options camfence sealed_vlans=20" \
	"$(grep '^options' /etc/modprobe.d/camfence.conf)"
d=$(dev cam1 dropped_packets)
check_eq "ansible first run: cam1 pings the internet, replies" 0 "$(received cam1 -c 3 -i 0.3 -W 2 192.0.2.2)"
check_eq "ansible first run: cam1 dropped_packets +3" 3 $(( $(dev cam1 dropped_packets) - d ))
check_eq "ansible first run: cam1 pings its NVR, replies" 3 "$(received cam1 -c 3 -i 0.3 -W 2 10.20.0.5)"
# a static neighbour entry: no ARP (which unknown_packets would count too, a
# timing-dependent number of times)
ip -n cam2 neigh replace 10.20.0.5 lladdr 02:cf:00:00:00:05 dev cam2p nud permanent
u=$(sysv stats/unknown_packets)
check_eq "ansible first run: cam2 (unknown now) pings the NVR, replies" 0 "$(received cam2 -c 3 -i 0.3 -W 2 10.20.0.5)"
check_eq "ansible first run: cam2's echo requests counted unknown" 3 $(( $(sysv stats/unknown_packets) - u ))

# 2. second run: nothing to change
files=$(sha /etc/camfence/camfence.conf /etc/camfence/devices.csv /etc/modprobe.d/camfence.conf)
play second
check_eq "ansible second run: exit" 0 "$RC"
check_eq "ansible second run: changed" 0 "$CHANGED"
check_eq "ansible second run: no load (camfencectl diff found no change)" 0 \
	"$(grep -c 'waiting for confirmation' "$STATE/ansible-second.log")"
check_eq "ansible second run: files unchanged" "$files" "$(sha /etc/camfence/camfence.conf /etc/camfence/devices.csv /etc/modprobe.d/camfence.conf)"
check_eq "ansible second run: no commit (generation)" "$g1" "$(settled_gen)"

# 3. a camera added to the inventory
play v2 -e @"$T/devices-v2.yml"
check_eq "ansible device added: exit" 0 "$RC"
check_eq "ansible device added: changed (staged and final devices.csv, load --confirm, reload)" 4 "$CHANGED"
confirmed "ansible device added" v2
g2=$(settled_gen)
check_ne "ansible device added: committed" "$g1" "$g2"
check_eq "ansible device added: devices" "cam1 cam2 nvr" "$(devices)"
check_eq "ansible device added: cam2's MAC" "02:cf:00:00:00:12" "$(dev cam2 mac)"
check_eq "ansible device added: cam2 pings the internet, replies" 0 "$(received cam2 -c 3 -i 0.3 -W 2 192.0.2.2)"
check_eq "ansible device added: cam2 dropped_packets" 3 "$(dev cam2 dropped_packets)"
check_eq "ansible device added: cam2 pings its NVR, replies" 3 "$(received cam2 -c 3 -i 0.3 -W 2 10.20.0.5)"

# 4. a broken inventory: refused before /etc/camfence is written
files=$(sha /etc/camfence/camfence.conf /etc/camfence/devices.csv)
WANT_RC=2 play broken -e @"$T/devices-broken.yml"
check_eq "ansible broken inventory: exit" 2 "$RC"
check_eq "ansible broken inventory: the check task failed with camfencectl's message" 1 \
	"$(grep -c "uses unknown profile camrea (did you mean camera?)" "$STATE/ansible-broken.log")"
check_eq "ansible broken inventory: /etc/camfence unchanged" "$files" "$(sha /etc/camfence/camfence.conf /etc/camfence/devices.csv)"
check_eq "ansible broken inventory: no commit (generation)" "$g2" "$(settled_gen)"
check_eq "ansible broken inventory: devices" "cam1 cam2 nvr" "$(devices)"

# 5. commit confirmed, not confirmed: the site's check fails after the load
# (the inventory without cam2 again); the play fails before the confirmation
# and before /etc/camfence is written; at the deadline (60 s) the previous
# policy returns
files=$(sha /etc/camfence/camfence.conf /etc/camfence/devices.csv)
WANT_RC=2 play unconfirmed -e @"$T/confirm-fails.yml"
g3=$(sysv generation)
check_eq "ansible check fails after the load: exit" 2 "$RC"
check_eq "ansible check fails after the load: loaded, waiting for confirmation" 1 \
	"$(grep -c 'waiting for confirmation: run .camfencectl confirm. within 60 s' "$STATE/ansible-unconfirmed.log")"
check_eq "ansible check fails after the load: the new policy is active meanwhile (devices)" "cam1 nvr" "$(devices)"
check_eq "ansible check fails after the load: a rollback is pending" yes \
	"$([ -e /run/camfence/confirm-pending ] && echo yes || echo no)"
check_eq "ansible check fails after the load: generation moved (the load)" $((g2 + 1)) "$g3"
check_eq "ansible check fails after the load: /etc/camfence unchanged" "$files" "$(sha /etc/camfence/camfence.conf /etc/camfence/devices.csv)"
busywait 90000 sh -c '[ ! -e /run/camfence/confirm-pending ]'
check_eq "not confirmed: rolled back at the deadline (generation +1)" $((g3 + 1)) "$(settled_gen)"
check_eq "not confirmed: the previous devices again" "cam1 cam2 nvr" "$(devices)"
check_eq "not confirmed: confirm.log says so" 1 \
	"$(grep -c "rollback: generation $g3 (load --confirm .*) was not confirmed in time; restored the policy of generation $g2" /run/camfence/confirm.log)"
check_eq "not confirmed: cam2 pings its NVR again, replies" 3 "$(received cam2 -c 3 -i 0.3 -W 2 10.20.0.5)"
d=$(dev cam2 dropped_packets)
check_eq "not confirmed: cam2 pings the internet, replies" 0 "$(received cam2 -c 3 -i 0.3 -W 2 192.0.2.2)"
check_eq "not confirmed: cam2 dropped_packets +3" 3 $(( $(dev cam2 dropped_packets) - d ))

# 6. the example inventory of docs/deploy.md: every router's files pass camfencectl check
RC=0
ansible-playbook -i /usr/local/share/cftest/ansible/inventory/hosts.yml "$T/render-example.yml" \
	-e 'camfence_check_dir=/tmp/example/{{ inventory_hostname }}' > "$STATE/ansible-example.log" 2>&1 || RC=$?
check_eq "example inventory: rendered and checked for 3 routers" "0 3" \
	"$RC $(grep -cE '^rtr-[a-z]+-[0-9] +: ok=[0-9]+ +changed=[0-9]+ +unreachable=0 +failed=0' "$STATE/ansible-example.log")"
[ "$RC" = 0 ] || tail -n 20 "$STATE/ansible-example.log" | sed 's/^/#   /' >&3
check_eq "example inventory: Den Haag seals VLANs 21 and 22" "options camfence sealed_vlans=21,22" \
	"$(grep '^options' /tmp/example/rtr-dh-2/modprobe-camfence.conf)"
check_eq "example inventory: Amsterdam's vendor profile names its NVR" "    allow from 10.20.0.5 tcp 554,80,443,8000" \
	"$(grep -A1 '^profile hikvision-camera' /tmp/example/rtr-ams-1/camfence.conf | tail -n 1)"
exit 0
