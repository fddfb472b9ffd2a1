# SPDX-License-Identifier: GPL-2.0
# tests/tools/build/nltest: raw generic netlink client for the kmod tests
# (transactions, malformed messages, dumps, events). Needs libnl-genl-3.
NLTEST_CFLAGS := $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null || echo -I/usr/include/libnl3) -Wno-unused-parameter
NLTEST_LIBS := $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null || echo -lnl-genl-3 -lnl-3)

tools: tests/tools/build/nltest

tests/tools/build/nltest: tests/tools/nltest.c kmod/camfence_uapi.h
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) $(NLTEST_CFLAGS) -Ikmod -o $@ $< $(NLTEST_LIBS)
