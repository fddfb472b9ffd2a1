# SPDX-License-Identifier: GPL-2.0
# tests/tools/build/nlfuzz: netlink fuzzer of the camfence family for the
# VM test tests/kmod/71-nl-fuzz.sh (issue 7). Needs libnl-genl-3.
NLFUZZ_CFLAGS := $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null || echo -I/usr/include/libnl3) -Wno-unused-parameter
NLFUZZ_LIBS := $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null || echo -lnl-genl-3 -lnl-3)

tools: tests/tools/build/nlfuzz

tests/tools/build/nlfuzz: tests/tools/nlfuzz.c kmod/camfence_uapi.h
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) $(NLFUZZ_CFLAGS) -Ikmod -o $@ $< $(NLFUZZ_LIBS)
