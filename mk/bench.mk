# SPDX-License-Identifier: GPL-2.0
# `make bench`: the line-rate benchmark of camfence against nftables and
# iptables inside the test VM (issue 6; bench/bench.sh, docs/performance.md).
# Not part of `make check`.  BENCH_QUICK=1 runs the reduced version (< 5 min).
#
#   make bench                  full run; rewrites docs/performance.md
#   make bench BENCH_QUICK=1    sizes 10 and 10,000, 3 rounds, no doc update
#   make bench KERNEL=6.12      on Debian 13's kernel (tests/vm/k612.sh, as
#                               make check KERNEL=6.12); KERNEL="6.1 6.12"
#                               runs one benchmark per kernel, in order
#
# Other knobs (environment or make variables): BENCH_ROUNDS, BENCH_SIZES,
# BENCH_RPS, BENCH_MEM, BENCH_DOC (see bench/bench.sh).

BENCH_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
BENCH_VARS := BENCH_QUICK BENCH_ROUNDS BENCH_SIZES BENCH_RPS BENCH_MEM BENCH_DOC BENCH_TIMEOUT
export $(foreach v,$(BENCH_VARS),$(if $($(v)),$(v)))

# the flood lane's camera stream (a paced UDP sender; bench/guest.sh)
BENCH_TOOLS := $(BENCH_TOP)/tests/tools/build/cfstream
$(BENCH_TOP)/tests/tools/build/cfstream: $(BENCH_TOP)/tests/tools/cfstream.c
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -o $@ $<

.PHONY: bench
bench: $(BENCH_TOOLS)
	$(MAKE) -C $(BENCH_TOP) all
	$(BENCH_TOP)/tests/vm/deps.sh
	set -e; for k in $(or $(KERNEL),6.1); do \
		BENCH_KERNEL=$$k $(BENCH_TOP)/bench/bench.sh; \
	done
