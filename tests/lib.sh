# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# camfence test library.  Usage, in a test (bash):
#
#   #!/bin/bash
#   source "$CF_TOP/tests/lib.sh"
#   check_eq "datagrams delivered" 10 "$(ip netns exec h2 cftraffic udp-sink ...)"
#   test_done
#
# Exit codes: 0 pass, $ksft_skip (4) skip, anything else fail.
# On exit the library deletes every network namespace the test created and
# kills the test's background jobs.

ksft_skip=4

: "${CF_TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
export CF_TOP
case ":$PATH:" in
*":$CF_TOP/tests/tools/build:"*) ;;
*) PATH="$CF_TOP/userspace-ctl/build:$CF_TOP/tests/tools/build:$PATH" ;;
esac
export PATH

CF_FAILS=0
CF_CHECKS=0

# CF_SCALE: CF_TEST_TIMEOUT_SCALE (the debug kernel's lane sets 4; 1
# otherwise). Tests multiply their own waits and tools' time limits by it
# (cf_ms), as the harness does with the test's cf-timeout.
CF_SCALE=${CF_TEST_TIMEOUT_SCALE:-1}

# cf_ms MS: MS milliseconds, scaled by CF_SCALE.
cf_ms() {
	echo $(($1 * CF_SCALE))
}

# ---- checks ----------------------------------------------------------------

# check_eq WHAT EXPECTED ACTUAL
check_eq() {
	CF_CHECKS=$((CF_CHECKS + 1))
	if [ "$2" == "$3" ]; then
		echo "# ok: $1"
		return 0
	fi
	echo "# FAIL: $1: expected '$2', got '$3'"
	CF_FAILS=$((CF_FAILS + 1))
	return 1
}

# check_rc WHAT EXPECTED_RC CMD [ARGS...]  (CMD's output goes to the test's output)
check_rc() {
	local what=$1 want=$2 rc=0
	shift 2
	"$@" || rc=$?
	CF_CHECKS=$((CF_CHECKS + 1))
	if [ "$rc" -eq "$want" ]; then
		echo "# ok: $what"
		return 0
	fi
	echo "# FAIL: $what: expected exit $want, got $rc (command: $*)"
	CF_FAILS=$((CF_FAILS + 1))
	return 1
}

# check_match WHAT REGEX TEXT  (bash extended regex, =~)
check_match() {
	CF_CHECKS=$((CF_CHECKS + 1))
	if [[ "$3" =~ $2 ]]; then
		echo "# ok: $1"
		return 0
	fi
	echo "# FAIL: $1: '$3' does not match /$2/"
	CF_FAILS=$((CF_FAILS + 1))
	return 1
}

# fail WHAT: record a failure without a comparison.
fail() {
	CF_CHECKS=$((CF_CHECKS + 1))
	echo "# FAIL: $*"
	CF_FAILS=$((CF_FAILS + 1))
	return 1
}

# skip REASON: end the test as skipped.
skip() {
	echo "# SKIP: $*"
	exit "$ksft_skip"
}

# test_done: exit 1 if any check failed, else 0.  A test that made no check
# at all is a defect: it fails too.
test_done() {
	if [ "$CF_FAILS" -ne 0 ]; then
		echo "# $CF_FAILS of $CF_CHECKS checks failed"
		exit 1
	fi
	if [ "$CF_CHECKS" -eq 0 ]; then
		echo "# FAIL: the test made no check"
		exit 1
	fi
	echo "# all $CF_CHECKS checks passed"
	exit 0
}

# ---- helpers ---------------------------------------------------------------

# busywait TIMEOUT_MS CMD [ARGS...]: retry CMD until it succeeds or TIMEOUT_MS
# elapse; returns CMD's last exit status.
busywait() {
	local timeout_ms=$1 start now rc
	shift
	start=$(date +%s%3N)
	while true; do
		rc=0
		"$@" || rc=$?
		[ "$rc" -eq 0 ] && return 0
		now=$(date +%s%3N)
		[ $((now - start)) -ge "$timeout_ms" ] && return "$rc"
		sleep 0.05
	done
}

# sys_read PATH: cat PATH, or print a clear message (stderr) and return 1.
sys_read() {
	if [ ! -e "$1" ]; then
		echo "# sys_read: $1: no such file" >&2
		return 1
	fi
	cat "$1"
}

# cf_reload [MODPARAMS...]: unload and load camfence (empty policy, init_net).
cf_reload() {
	if [ -d /sys/module/camfence ]; then
		modprobe -r camfence 2>/dev/null || rmmod camfence || {
			echo "# cf_reload: cannot unload camfence" >&2
			return 1
		}
	fi
	modprobe camfence "$@" || {
		echo "# cf_reload: modprobe camfence $* failed" >&2
		return 1
	}
}

# cf_port_listening NS udp|tcp PORT: true when a socket is bound (UDP) or
# listening (TCP) on PORT in NS ("" for NS = the current namespace).  Reads
# /proc/net/{udp,tcp}{,6}, so it needs neither ss nor the *_diag modules.
cf_port_listening() {
	local files hex
	hex=$(printf '%04X' "$3")
	if [ "$2" = udp ]; then files="/proc/net/udp /proc/net/udp6"; else files="/proc/net/tcp /proc/net/tcp6"; fi
	# shellcheck disable=SC2086
	${1:+ip netns exec "$1"} cat $files 2>/dev/null |
		awk -v p=":$hex" -v proto="$2" '
			NR > 0 && substr($2, length($2) - 4) == p && (proto == "udp" || $4 == "0A") { f = 1 }
			END { exit !f }'
}

# wait_listen NS udp|tcp PORT [TIMEOUT_MS]: wait until a server started in the
# background is bound (avoids racing the first datagram / SYN).
wait_listen() {
	busywait "${4:-60000}" cf_port_listening "$1" "$2" "$3" || {
		echo "# wait_listen: nothing listens on $2 port $3 in netns '${1:-current}'" >&2
		return 1
	}
}

# cf_netns NAME...: create network namespaces with lo up (deleted on exit).
cf_netns() {
	local ns
	for ns in "$@"; do
		ip netns add "$ns" || return 1
		ip -n "$ns" link set lo up || return 1
	done
}

# cf_veth NS1 IF1 NS2 IF2: veth pair between two namespaces ("" = current), up.
cf_veth() {
	local tmp1=cfv$$a$RANDOM tmp2=cfv$$b$RANDOM
	ip link add "$tmp1" type veth peer name "$tmp2" || return 1
	if [ -n "$1" ]; then ip link set "$tmp1" netns "$1" || return 1; fi
	if [ -n "$3" ]; then ip link set "$tmp2" netns "$3" || return 1; fi
	ip ${1:+-n "$1"} link set "$tmp1" name "$2" up || return 1
	ip ${3:+-n "$3"} link set "$tmp2" name "$4" up || return 1
}

# ---- cleanup ---------------------------------------------------------------

CF_NETNS_BEFORE=" $(ip netns list 2>/dev/null | awk '{print $1}' | tr '\n' ' ') "
# the veth links of this namespace, sorted, one line (cf_cleanup waits for
# those of the namespaces it deleted to go)
cf_links() {
	ip -o link show type veth 2>/dev/null | awk -F': ' '{sub(/@.*/, "", $2); print $2}' | sort | tr '\n' ' '
}
CF_LINKS_BEFORE=$(cf_links)

cf_cleanup() {
	local rc=$? ns pids
	trap - EXIT
	pids=$(jobs -p)
	if [ -n "$pids" ]; then
		# shellcheck disable=SC2086
		kill $pids 2>/dev/null
		# shellcheck disable=SC2086
		wait $pids 2>/dev/null
	fi
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
		case "$CF_NETNS_BEFORE" in
		*" $ns "*) ;;
		*)	# a process left in it (a sender started with ip netns
			# exec in a subshell) keeps the namespace, its veth ends
			# and their peers here alive into the next test
			ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
			ip netns delete "$ns" 2>/dev/null ;;
		esac
	done
	# a namespace is dismantled in the background (cleanup_net): wait (at
	# most 20 s) until the peers its veths had here are gone, so that the next test can
	# create the same names (6.12 under TCG: "File exists" for rcam1)
	local i
	for i in $(seq 1 100); do
		[ "$(cf_links)" = "$CF_LINKS_BEFORE" ] && break
		sleep 0.2
	done
	exit "$rc"
}
trap cf_cleanup EXIT

# cf_sysfs_synced: /sys/kernel/camfence shows the active policy (a commit
# of more than sysfs_sync_max devices creates or removes the rest of its
# directories in the background): sysfs_generation equals generation.
# Use with busywait.
cf_sysfs_synced() {
	local g sg
	read -r g < /sys/kernel/camfence/generation &&
		read -r sg < /sys/kernel/camfence/sysfs_generation && [ "$g" = "$sg" ]
}

# cf_big_policy N: writes big.conf (a VLAN 20 zone, profile "cam") and
# big.csv (N devices d000000.., each with its own MAC and IPv4 address) in
# the current directory, for the large-policy tests.
cf_big_policy() {
	cat > big.conf <<'CONF'
zone cameras {
    vlan 20
}
profile cam {
    allow to 10.0.0.1 udp 53,123
}
include "big.csv"
CONF
	awk -v n="$1" 'BEGIN {
		print "name,mac,ips,profile,mode"
		for (i = 0; i < n; i++)
			printf "d%06d,02:00:00:%02x:%02x:%02x,10.%d.%d.%d,cam,\n", i,
				int(i / 65536), int(i / 256) % 256, i % 256,
				64 + int(i / 65536), int(i / 256) % 256, i % 256
	}' > big.csv
}
