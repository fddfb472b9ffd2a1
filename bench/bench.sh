#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/bench.sh -- `make bench`: the line-rate benchmark (issue 6).
#
# On the host: generates one camfence config per size and, from each, the
# equivalent nftables ruleset, iptables rules and pktgen parameters
# (bench/cfgen.py); boots the test guest once (tests/vm/vmrun) to run
# bench/guest.sh; parses its output (bench/report.py), prints the table and
# the summary line, and writes docs/performance.md (full runs only).
#
# Environment:
#   BENCH_QUICK=1     reduced run (< 5 min): sizes 10 and 10,000, 3 rounds
#   BENCH_ROUNDS=N    rounds (A B A B ...), default 5 (3 quick)
#   BENCH_SIZES="..." camfence/nft sizes, default "10 1000 10000 100000"
#   BENCH_ICOUNT=S    guest clock = 2^S ns per guest instruction (QEMU
#                     -icount shift=S, one vCPU), default 3; "off": wall clock,
#                     2 vCPUs (noisy on a shared host)
#   BENCH_RPS=1       with BENCH_ICOUNT=off: router on CPU 1 by RPS
#   BENCH_MEM=MB      guest memory, default 3072
#   BENCH_DOC=0|1     write docs/performance.md (default 1 for full runs)
#   BENCH_KERNEL=6.1|6.12  the guest kernel (make bench KERNEL=...): 6.1 is
#                     Debian 12's kernel matching the host's headers with
#                     ./camfence.ko; 6.12 is Debian 13's kernel with the
#                     camfence.ko built in the Debian 13 root, both prepared
#                     and cached by tests/vm/k612.sh as for make check
#                     KERNEL=6.12 (tests/run)
set -euo pipefail
CF_TOP=$(cd "$(dirname "$0")/.." && pwd)
B=$CF_TOP/bench/build
QUICK=${BENCH_QUICK:-0}
[ "$QUICK" = 1 ] || QUICK=0

if [ "$QUICK" = 1 ]; then
	SIZES=${BENCH_SIZES:-"10 10000"}
	ROUNDS=${BENCH_ROUNDS:-3}
	WIN=1; WARM=0.5; TCP_SEC=1
	# iptables is not in the summary line: the full run measures it
	IPT_SIZES=""
	COMMIT_REPS=1
	DOC=${BENCH_DOC:-0}
else
	SIZES=${BENCH_SIZES:-"10 1000 10000 100000"}
	ROUNDS=${BENCH_ROUNDS:-5}
	WIN=2; WARM=0.5; TCP_SEC=2
	# iptables is a linear rule list: 1,000 devices are ~4,000 rules, and
	# every packet walks half of them; larger sizes would take minutes to
	# measure a number that is known to be tiny.
	IPT_SIZES="10 1000"
	COMMIT_REPS=3
	DOC=${BENCH_DOC:-1}
fi
IPT_SIZES=$(for n in $IPT_SIZES; do case " $SIZES " in *" $n "*) echo "$n" ;; esac; done | xargs)
LARGEST=${SIZES##* }
# commit timing: every size >= 1000 (the issue's 1k/10k/100k)
COMMIT_SIZES=$(for n in $SIZES; do [ "$n" -ge 1000 ] && echo "$n"; done | xargs)
[ -n "$COMMIT_SIZES" ] || COMMIT_SIZES=$LARGEST
MEM_SIZE=${COMMIT_SIZES##* }
TEN_K=10000
case " $SIZES " in *" $TEN_K "*) ;; *) TEN_K=$LARGEST ;; esac

T_START=$(date +%s)
KERNEL=${BENCH_KERNEL:-6.1}
MODULE=$CF_TOP/camfence.ko
case "$KERNEL" in
6.1) ;;
6.12)
	mkdir -p "$B/k612"
	echo "bench: preparing Debian 13's kernel (tests/vm/k612.sh, cached in .cache/k612)" >&2
	env -u CF_KVER "$CF_TOP/tests/vm/k612.sh" --env > "$B/k612/env" ||
		{ echo "bench: tests/vm/k612.sh failed" >&2; exit 1; }
	CF_KVER=$(sed -n 's/^CF_KVER=//p' "$B/k612/env")
	export CF_KVER
	# this run's copy: another run may rebuild the cached one meanwhile
	cp "$(sed -n 's/^CF_K612_MODULE=//p' "$B/k612/env")" "$B/k612/camfence.ko"
	MODULE=$B/k612/camfence.ko
	# as tests/run does for 6.12 (QEMU's multi-threaded TCG and text_poke_bp,
	# docs/testing.md "Kernel matrix"); -icount runs one thread anyway
	export CF_VM_TCG_THREAD=${CF_VM_TCG_THREAD:-single}
	;;
*) echo "bench: unknown kernel '$KERNEL' (known: 6.1 6.12)" >&2; exit 1 ;;
esac

# TCP: the summary's ratios come from phase B (camfence, and the
# conntrack-only and nftables lanes with camfence.ko loaded but no camfence
# policy in their namespaces); the full run also measures the baseline and
# phase A
if [ "$QUICK" = 1 ]; then
	TCP_LANES_A=""
	TCP_LANES_B="ct cf-$TEN_K nft-$TEN_K"
else
	TCP_LANES_A="base ct nft-$TEN_K"
	TCP_LANES_B="base ct cf-$TEN_K nft-$TEN_K"
fi

mkdir -p "$B"
echo "bench: generating configs for sizes: $SIZES" >&2
for n in $SIZES; do
	d=$B/cf$n
	if [ ! -f "$d/.done" ] || [ "$CF_TOP/bench/cfgen.py" -nt "$d/.done" ]; then
		rm -rf "$d"
		"$CF_TOP/bench/cfgen.py" config --devices "$n" --out "$d"
		"$CF_TOP/bench/cfgen.py" nft "$d/camfence.conf" --zone-if cameras=r.20 > "$d/ruleset.nft"
		"$CF_TOP/bench/cfgen.py" iptables "$d/camfence.conf" --zone-if cameras=r.20 > "$d/rules.ipt"
		"$CF_TOP/bench/cfgen.py" pktgen "$d/camfence.conf" > "$d/pktgen.env"
		touch "$d/.done"
	fi
	if command -v camfencectl > /dev/null || [ -x "$CF_TOP/userspace-ctl/build/camfencectl" ]; then
		# the guest loads camfence with max_devices=131072 (bench/guest.sh):
		# check against that limit, not the default
		mkdir -p "$B/params"
		echo 131072 > "$B/params/max_devices"
		CAMFENCE_PARAMS_DIR=$B/params PATH=$CF_TOP/userspace-ctl/build:$PATH \
			camfencectl check "$d/camfence.conf" > /dev/null ||
			{ echo "bench: camfencectl check $d/camfence.conf failed" >&2; exit 1; }
	fi
done
# The floor lane's policy (bench/guest.sh, lane cffloor): the smallest size's
# policy with its zone moved to VLAN 4000, which no frame of the benchmark
# carries: camfence's hooks are registered and every packet is outside every
# zone, so the lane measures what camfence costs before it judges anything.
f=$B/cf${SIZES%% *}
sed 's/^\( *vlan \)[0-9][0-9]*$/\14000/' "$f/camfence.conf" > "$f/floor.conf"
grep -q '^ *vlan 4000$' "$f/floor.conf" || { echo "bench: $f/floor.conf: no zone moved" >&2; exit 1; }
cat > "$B/params.env" <<EOF
QUICK=$QUICK
SIZES="$SIZES"
CF_SIZES="$SIZES"
NFT_SIZES="$SIZES"
IPT_SIZES="$IPT_SIZES"
COMMIT_SIZES="$COMMIT_SIZES"
COMMIT_REPS=$COMMIT_REPS
MEM_SIZE=$MEM_SIZE
ROUNDS=$ROUNDS
WIN=$WIN
WARM=$WARM
TCP_SEC=$TCP_SEC
TCP_LANES_A="$TCP_LANES_A"
TCP_LANES_B="$TCP_LANES_B"
FLOOD_LANE="cf-${SIZES%% *}"
DNS_LANE="cf-${SIZES%% *}"
NFT_B_SIZES="$TEN_K"
EOF

MOD=(--module "$MODULE")
[ -f "$MODULE" ] || MOD=(--no-module)
# Instruction-counted guest clock: vmrun starts qemu-system-x86_64 from PATH;
# a wrapper in bench/build adds -icount (see docs/performance.md, "Clock").
ICOUNT=${BENCH_ICOUNT:-3}
SMP=2
RPS=${BENCH_RPS:-1}
if [ "$ICOUNT" != off ]; then
	QEMU=$(command -v qemu-system-x86_64) || { echo "bench: qemu-system-x86_64 missing" >&2; exit 1; }
	mkdir -p "$B/qemu"
	printf '#!/bin/sh\nexec %s "$@" -icount shift=%s,sleep=on\n' "$QEMU" "$ICOUNT" > "$B/qemu/qemu-system-x86_64"
	chmod +x "$B/qemu/qemu-system-x86_64"
	export PATH="$B/qemu:$PATH"
	SMP=1
	RPS=0
fi
RAW=$B/raw-$KERNEL-$(date -u +%Y%m%d-%H%M%S).txt
CMD="make bench"
[ "$KERNEL" = 6.1 ] || CMD="$CMD KERNEL=$KERNEL"
[ "$QUICK" = 1 ] && CMD="BENCH_QUICK=1 $CMD"
# Host-side lookup microbenchmark (target 7): camfence's lookups compiled in
# userspace (bench/lookup), on this machine's CPU, before the guest boots.
LOOKUP_ROUNDS=${BENCH_LOOKUP_ROUNDS:-$([ "$QUICK" = 1 ] && echo 3 || echo 7)}
LOOKUP_OUT=$B/lookup.txt
echo "bench: lookup microbenchmark on the host (bench/lookup, $LOOKUP_ROUNDS rounds)" >&2
make -s -C "$CF_TOP/bench/lookup" >&2 || { echo "bench: building bench/lookup failed" >&2; exit 1; }
"$B/lookup/lookup-bench" -r "$LOOKUP_ROUNDS" 10 100000 > "$LOOKUP_OUT" ||
	{ echo "bench: bench/lookup failed" >&2; exit 1; }
echo "BENCH lookupinfo cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1 | tr ' ' '_') load=$(cut -d' ' -f1 /proc/loadavg)" >> "$LOOKUP_OUT"
echo "bench: booting the guest (${BENCH_MEM:-3072} MB); raw output in $RAW" >&2
# the host's load while the guest runs (other engineers' VMs share the CPUs)
( while :; do cut -d' ' -f1 /proc/loadavg; sleep 20; done ) > "$B/load.txt" 2>/dev/null &
LOADPID=$!
set +e
"$CF_TOP/tests/vm/vmrun" --mem "${BENCH_MEM:-3072}" --smp "$SMP" \
	--timeout "${BENCH_TIMEOUT:-5400}" "${MOD[@]}" -- \
	env BENCH_RPS="$RPS" BENCH_ICOUNT="$ICOUNT" bash "$CF_TOP/bench/guest.sh" "$B" 2>&1 | tee "$RAW"
rc=${PIPESTATUS[0]}
set -e
kill "$LOADPID" 2>/dev/null || :
wait "$LOADPID" 2>/dev/null || :
cat "$LOOKUP_OUT" >> "$RAW"
echo "BENCH hostinfo commit=$(git -C "$CF_TOP" describe --always --dirty 2>/dev/null || echo unknown) kmod=$(git -C "$CF_TOP" log -1 --format=%h -- kmod 2>/dev/null || echo unknown)" >> "$RAW"
echo "BENCH hostinfo kernel_arg=$KERNEL elapsed_sec=$(($(date +%s) - T_START)) load_samples=$(paste -sd, "$B/load.txt")" >> "$RAW"
[ "$rc" = 0 ] || echo "bench: the guest run failed (status $rc); reporting what was measured" >&2
# the newest run per kernel and mode (complete or not)
MODE=full
[ "$QUICK" = 1 ] && MODE=quick
echo "$RAW" > "$B/last-$KERNEL-$MODE.txt"
args=(--raw "$RAW" --cmd "$CMD" --ten-k "$TEN_K")
if [ "$DOC" = 1 ]; then
	# the doc's tables: the newest full run on 6.1 (else the newest quick
	# one); the kernel comparison: the newest 6.1 and 6.12 runs of one mode
	# (this run's mode first), so both are the same measurement
	args+=(--doc "$CF_TOP/docs/performance.md")
	for m in full quick; do
		[ -s "$B/last-6.1-$m.txt" ] && { args+=(--main "$(cat "$B/last-6.1-$m.txt")"); break; }
	done
	other=full
	[ "$MODE" = full ] && other=quick
	for m in "$MODE" "$other"; do
		if [ -s "$B/last-6.1-$m.txt" ] && [ -s "$B/last-6.12-$m.txt" ]; then
			args+=(--raw-61 "$(cat "$B/last-6.1-$m.txt")" --raw-612 "$(cat "$B/last-6.12-$m.txt")")
			break
		fi
	done
fi
/usr/bin/python3 "$CF_TOP/bench/report.py" "${args[@]}"
exit "$rc"
