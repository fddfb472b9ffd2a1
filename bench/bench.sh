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
set -euo pipefail
CF_TOP=$(cd "$(dirname "$0")/.." && pwd)
B=$CF_TOP/bench/build
QUICK=${BENCH_QUICK:-0}
[ "$QUICK" = 1 ] || QUICK=0

if [ "$QUICK" = 1 ]; then
	SIZES=${BENCH_SIZES:-"10 10000"}
	ROUNDS=${BENCH_ROUNDS:-3}
	WIN=1; WARM=0.5; TCP_SEC=1
	IPT_SIZES="10"
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
		PATH=$CF_TOP/userspace-ctl/build:$PATH camfencectl check "$d/camfence.conf" > /dev/null ||
			{ echo "bench: camfencectl check $d/camfence.conf failed" >&2; exit 1; }
	fi
done
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
TCP_LANES_A="base nft-$TEN_K"
TCP_LANES_B="base cf-$TEN_K"
NFT_B_SIZES="$TEN_K"
EOF

MOD=()
[ -f "$CF_TOP/camfence.ko" ] || MOD=(--no-module)
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
RAW=$B/raw-$(date -u +%Y%m%d-%H%M%S).txt
CMD="BENCH_QUICK=$QUICK make bench"
[ "$QUICK" = 1 ] || CMD="make bench"
echo "bench: booting the guest (${BENCH_MEM:-3072} MB); raw output in $RAW" >&2
set +e
"$CF_TOP/tests/vm/vmrun" --mem "${BENCH_MEM:-3072}" --smp "$SMP" \
	--timeout "${BENCH_TIMEOUT:-5400}" "${MOD[@]}" -- \
	env BENCH_RPS="$RPS" BENCH_ICOUNT="$ICOUNT" bash "$CF_TOP/bench/guest.sh" "$B" 2>&1 | tee "$RAW"
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || echo "bench: the guest run failed (status $rc); reporting what was measured" >&2
args=(--raw "$RAW" --cmd "$CMD" --ten-k "$TEN_K")
[ "$DOC" = 1 ] && args+=(--doc "$CF_TOP/docs/performance.md")
/usr/bin/python3 "$CF_TOP/bench/report.py" "${args[@]}"
exit "$rc"
