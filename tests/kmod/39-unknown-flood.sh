#!/bin/bash
# cf-timeout: 900
# SPDX-License-Identifier: GPL-2.0
# A random-MAC flood on a camera VLAN (issue 16): minimum-size frames from
# 5,000 distinct source MACs out of one camera port while a listed camera
# streams to its NVR. The unknown table is bounded (unknown_table_size) and
# so is the rate of its new entries, per CPU (unknown_new_rate and
# unknown_new_burst): above it a frame is counted (unknown_packets,
# unknown_not_recorded) and gets the zone's unknown action, but is not
# recorded. The flood is sent from one CPU (taskset -c 0): a veth delivers a
# frame on the CPU that sent it, so one CPU's bucket is what it meets and,
# with unknown_new_rate=0, exactly unknown_new_burst MACs are recorded.
source "$CF_TOP/tests/lib.sh"
source "$CF_TOP/tests/kmod/10-dataplane.lib"

FLOOD="/usr/bin/python3 $CF_TOP/tests/tools/cfflood.py"
N=5000
STREAM=200

cf_routed_topology || fail "topology"
# The unknown camera's namespace sends nothing of its own (no IPv6 router
# solicitations or MLD reports): every unknown frame is the flood's.
ip netns exec cam2 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	net.ipv6.conf.default.disable_ipv6=1 || fail "cam2: disable IPv6"
RMAC=$(cat /sys/class/net/rcam2/address)

cat > cf.conf <<'CONF'
zone cameras {
    vlan 20
    unknown drop
}
profile cam {
    allow to 10.99.0.5 udp 5000
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    ip 10.20.0.11
    profile cam
}
CONF

# rows: the flood's rows of the unknown table (source MACs 06:...).
rows() {
	camfencectl unknown | awk '$1 ~ /^06:/ { print $1 }' | sort
}

# flood SEED [key=value]: N frames, distinct random source MACs, from cam2's
# port on CPU 0, towards the NVR (UDP 5000, which lobby-1 may send to);
# the MACs in flood.macs.
flood() {
	local seed=$1
	shift
	ip netns exec cam2 taskset -c 0 $FLOOD eth0 "$RMAC" $N vlan=20 \
		src=10.21.0.12 dst=10.99.0.5 dport=5000 seed="$seed" \
		out=flood.macs "$@"
}

# setup MODPARAMS...: fresh module (empty table, zero counters), policy.
setup() {
	cf_reload "$@" || fail "cf_reload $*"
	camfencectl load cf.conf > /dev/null || fail "load"
}

# ---- 1. rate 0, burst 100, table 256: exactly the first 100 MACs --------
setup unknown_table_size=256 unknown_new_rate=0 unknown_new_burst=100
flood 1 &
fpid=$!
# the listed camera streams while the flood runs
check_eq "lobby-1 -> NVR during the flood: every datagram" $STREAM \
	"$(udp_count nvr 10.99.0.5 5000 cam1 $STREAM -i 5000)"
wait $fpid
check_eq "flood sent" 0 $?
check_eq "unknown_packets = frames sent" $N "$(gstat unknown_packets)"
check_eq "dropped_packets (unknown drop)" $N "$(gstat dropped_packets)"
check_eq "unknown_not_recorded = frames above the burst" $((N - 100)) \
	"$(gstat unknown_not_recorded)"
check_eq "allowed_packets (the stream)" $STREAM "$(gstat allowed_packets)"
check_eq "table: 100 entries" 100 "$(rows | wc -l)"
check_eq "table: the first 100 MACs sent" "$(head -n 100 flood.macs | sort)" "$(rows)"
check_eq "lobby-1 not in the table" "" "$(unknown_row "$CAM1_MAC")"

# A recorded MAC is updated above the rate; a new one is counted only.
head -n 1 flood.macs > one.mac
first=$(cat one.mac)
ip netns exec cam2 taskset -c 0 $FLOOD eth0 "$RMAC" 3 vlan=20 \
	src=10.21.0.12 dst=10.99.0.5 dport=5000 macs=one.mac
check_eq "recorded MAC: 4 packets" "cameras 20 rcam2.20 10.21.0.12 4" "$(unknown_row "$first")"
check_eq "recorded MAC: not counted as not recorded" $((N - 100)) \
	"$(gstat unknown_not_recorded)"
echo 06:ff:ff:ff:ff:01 > new.mac
ip netns exec cam2 taskset -c 0 $FLOOD eth0 "$RMAC" 2 vlan=20 \
	src=10.21.0.12 dst=10.99.0.5 dport=5000 macs=new.mac
check_eq "new MAC above the rate: not recorded" "" "$(unknown_row 06:ff:ff:ff:ff:01)"
check_eq "new MAC above the rate: counted" $((N - 100 + 2)) \
	"$(gstat unknown_not_recorded)"
check_eq "unknown_packets" $((N + 5)) "$(gstat unknown_packets)"
check_eq "dropped_packets" $((N + 5)) "$(gstat dropped_packets)"

# ---- 2. table 64 < 100 recorded: replacement keeps it at 64 -------------
setup unknown_table_size=64 unknown_new_rate=0 unknown_new_burst=100
flood 2
check_eq "unknown_packets = frames sent" $N "$(gstat unknown_packets)"
check_eq "unknown_not_recorded" $((N - 100)) "$(gstat unknown_not_recorded)"
check_eq "table: min(size 64, recorded 100) entries" 64 "$(rows | wc -l)"
rows > rows.txt
head -n 100 flood.macs | sort > first100.txt
check_eq "table: only MACs of the first 100" "" \
	"$(comm -23 rows.txt first100.txt)"
check_eq "table: each entry 1 packet" "1" \
	"$(camfencectl unknown | awk '$1 ~ /^06:/ { print $8 }' | sort -u)"

# ---- 3. default rate (100/s per CPU, burst 200), table 256 --------------
# Recorded: the burst plus what the rate gave during the flood, at most
# 100 per started second on CPU 0 (T: the flood's length, rounded up, plus
# one for the jiffy at each end).
setup unknown_table_size=256
t0=$(date +%s%N)
flood 3
t1=$(date +%s%N)
secs=$(((t1 - t0 + 999999999) / 1000000000 + 1))
nr=$(gstat unknown_not_recorded)
rec=$((N - nr))
echo "# flood: ${secs}s (rounded up, +1), recorded $rec"
check_eq "unknown_packets = frames sent" $N "$(gstat unknown_packets)"
check_eq "recorded >= the burst" 1 $((rec >= 200))
check_eq "recorded <= burst + rate * time" 1 $((rec <= 200 + 100 * secs))
exp=$((rec < 256 ? rec : 256))
check_eq "table: min(size, recorded) entries" $exp "$(rows | wc -l)"

test_done
