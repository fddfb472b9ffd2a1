# SPDX-License-Identifier: GPL-2.0
# make check-fresh (issue 15): the README's Quick start (make demo, then make
# check) as root in a chroot of a minimal Debian 12 built with mmdebstrap,
# on a clean `git archive HEAD` of the tree.  Fails if either command fails;
# prints the time of each phase.  See tests/fresh/run.sh and docs/testing.md.
#
#   make check-fresh                         the whole Quick start
#   make check-fresh FRESH_ARGS=--demo-only  stop after make demo
#   make check-fresh FRESH_ARGS="--rev COMMIT"  another commit

.PHONY: check-fresh
check-fresh:
	tests/fresh/run.sh $(FRESH_ARGS)
