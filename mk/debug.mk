# SPDX-License-Identifier: GPL-2.0
# The sanitizer-kernel lane (issue 7), included by the top-level Makefile.
#
#   make check-debug [T=name]   builds (once, cached in .cache/debug-kernel/)
#                               a 6.1 kernel with KASAN, UBSAN, lockdep,
#                               PROVE_RCU, DEBUG_ATOMIC_SLEEP and kmemleak from
#                               Debian's linux-source-6.1, camfence.ko against
#                               it, and runs the VM suite on it; kmemleak is
#                               scanned after the last test
#   make check-debug-selftest   proves the lane fails on a deliberate leak,
#                               use-after-free, out-of-bounds index, sleep in
#                               atomic context and ABBA locking
#   make debug-kernel           only the kernel (prints its cache directory)
#
# See docs/testing.md, "Debug lane", and tests/vm/debug-kernel.sh.

.PHONY: check-debug check-debug-selftest debug-kernel

debug-kernel:
	tests/vm/deps.sh --debug
	tests/vm/debug-kernel.sh

check-debug:
	tests/vm/deps.sh --debug
	$(MAKE) userspace tools
	tests/vm/debug-kernel.sh --run $(if $(T),-t $(T))

check-debug-selftest:
	tests/vm/deps.sh --debug
	$(MAKE) userspace tools
	tests/vm/debug-selftest/run.sh
