# SPDX-License-Identifier: GPL-2.0
# check-deploy guest helpers.  Results go to the second serial port (the host
# reads it as a file): "ok - DESC", "not ok - DESC # ...", "# text", and
# "CFTEST MARK NAME" lines that the host times and requires.
RESULTS=/dev/ttyS1
exec 3>>"$RESULTS"
SYS=/sys/kernel/camfence
STATE=/var/lib/cftest
mkdir -p "$STATE"
BOOT=$(cat "$STATE/boot" 2>/dev/null || echo 1)

out() { printf '%s\n' "$*" >&3; printf '%s\n' "$*"; }
info() { out "# [boot $BOOT] $*"; }
mark() { out "CFTEST MARK $1 uptime=$(cut -d' ' -f1 /proc/uptime)"; }
ok() { out "ok - [boot $BOOT] $1"; }
notok() { out "not ok - [boot $BOOT] $1${2:+ # $2}"; }
check_eq() { # DESC WANT GOT
	if [ "$2" = "$3" ]; then ok "$1 ($3)"; else notok "$1" "want '$2', got '$3'"; return 1; fi
}
check_rc() { # DESC WANT CMD...
	local d=$1 w=$2 rc=0
	shift 2
	"$@" >/tmp/cftest.out 2>&1 || rc=$?
	if [ "$rc" = "$w" ]; then ok "$d (exit $rc)"; else
		notok "$d" "want exit $w, got $rc: $(tr '\n' ' ' </tmp/cftest.out | cut -c1-300)"; fi
}
check_match() { # DESC ERE GOT
	if printf '%s' "$3" | grep -Eq -- "$2"; then ok "$1 ($3)"; else notok "$1" "want /$2/, got '$3'"; return 1; fi
}
check_ne() { # DESC NOT GOT
	if [ "$2" != "$3" ]; then ok "$1 ($3)"; else notok "$1" "got '$3'"; fi
}
sysv() { cat "$SYS/$1" 2>/dev/null || echo absent; }
dev() { cat "$SYS/devices/$1/$2" 2>/dev/null || echo 0; }
unit_state() { systemctl show -p ActiveState --value "$1"; }
# busywait MS CMD...: until CMD succeeds (checked every 100 ms)
busywait() {
	local end=$(( $(date +%s%3N) + $1 ))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s%3N)" -ge "$end" ] && return 1
		sleep 0.1
	done
}
# received NS ARGS...: run ping in NS, print the number of replies
received() {
	local ns=$1
	shift
	ip netns exec "$ns" ping -n -q "$@" 2>/dev/null | sed -n 's/.* \([0-9]*\) received.*/\1/p'
}
# netns_quiet NS: no IPv6 in NS (no DAD/MLD/RS noise in the exact counters)
netns_quiet() {
	ip netns add "$1"
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip -n "$1" link set lo up
}
