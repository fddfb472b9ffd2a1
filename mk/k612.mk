# SPDX-License-Identifier: GPL-2.0
# The second kernel of the test matrix (issue 18): Debian 13's 6.12.
#
#   make check KERNEL=6.12 [T=name]   host tests, then the VM tests on 6.12
#   make check KERNEL="6.1 6.12"      the VM tests on both kernels
#   make k612                         only prepare (and cache) the Debian 13
#                                     root, the guest kernel and camfence.ko
#                                     built for 6.12; prints the release
#
# See tests/vm/k612.sh and docs/testing.md, "Kernel matrix".

.PHONY: k612
k612:
	tests/vm/k612.sh
