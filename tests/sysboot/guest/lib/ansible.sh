#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Ansible role (deploy/ansible/roles/camfence) against this router,
# connection local: the first run fences the cameras as the inventory says
# (cam2 is not in it: unknown, dropped), a second run changes nothing, a
# changed device list is applied, a broken one is refused before anything is
# written.  Runs in boot 2 (main.sh), the topology of main.sh in place.
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
	ansible-playbook -i "$T/inventory.yml" "$T/play.yml" "$@" > "$STATE/ansible-$name.log" 2>&1 || RC=$?
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
command -v ansible-playbook >/dev/null || { notok "ansible-playbook installed"; exit 0; }

# 1. first run
g0=$(sysv generation)
play first
check_eq "ansible first run: exit" 0 "$RC"
# modprobe.d, the helper, the staging directory, the staged pair (one loop
# task), devices.csv, camfence.conf, the handler's reload; the packages
# (same version) and the running service are unchanged
check_eq "ansible first run: changed" 7 "$CHANGED"
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
check_eq "ansible second run: files unchanged" "$files" "$(sha /etc/camfence/camfence.conf /etc/camfence/devices.csv /etc/modprobe.d/camfence.conf)"
check_eq "ansible second run: no commit (generation)" "$g1" "$(settled_gen)"

# 3. a camera added to the inventory
play v2 -e @"$T/devices-v2.yml"
check_eq "ansible device added: exit" 0 "$RC"
check_eq "ansible device added: changed (staged and final devices.csv, reload)" 3 "$CHANGED"
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

# 5. the example inventory of docs/deploy.md: every router's files pass camfencectl check
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
