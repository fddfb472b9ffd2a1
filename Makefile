# SPDX-License-Identifier: GPL-2.0
# camfence top-level build.
#
#   make                 camfence.ko + userspace tools + test tools
#   make module          camfence.ko only (kbuild, top-level Kbuild; W=1 / C=1 passed through)
#   make userspace       userspace-ctl/build/{camfencectl,camfenced}
#   make tools           tests/tools/build/cftraffic
#   make check [T=name]  deps -> build -> host tests -> VM tests (one TAP stream)
#   make check KERNEL=6.12      the VM tests on Debian 13's kernel instead of
#                        Debian 12's 6.1; KERNEL="6.1 6.12" runs them on both
#                        (tests/run CF_KERNELS, tests/vm/k612.sh, mk/k612.mk)
#   make lint            sparse (C=2) + checkpatch.pl --strict on kmod/*.[ch]
#   make clean
#
# KVER / KDIR select the kernel: default /lib/modules/$(uname -r)/build when it
# exists, else the newest /lib/modules/*/build.  Other engineers add targets in
# mk/<name>.mk (install, deb, demo, bench), included at the end.

TOP := $(CURDIR)

# The default kernel is detected when KVER/KDIR are first expanded (in a
# recipe), not when the Makefile is read: on a fresh machine the headers only
# exist once tests/vm/deps.sh ran, which make demo does as a prerequisite of
# the build.  $(eval) keeps the first result (one detection per make run).
ifeq ($(origin KDIR),undefined)
  ifeq ($(origin KVER),undefined)
    KVER = $(eval KVER := $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then uname -r; \
	else ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1 | cut -d/ -f4; fi))$(KVER)
  endif
  KDIR = /lib/modules/$(KVER)/build
else
  ifeq ($(origin KVER),undefined)
    KVER = $(eval KVER := $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null))$(KVER)
  endif
endif
# KVER/KDIR given by the user reach the scripts; otherwise they detect the
# kernel themselves (after tests/vm/deps.sh installed the headers).
KENV := $(foreach v,KVER KDIR,$(if $(filter command line environment,$(origin $(v))),$(v)=$($(v))))

# Kernel source tree for checkpatch.pl (Debian's linux-source-6.1).
LINUX_SRC ?= /usr/src/linux-source-6.1
CHECKPATCH := perl $(LINUX_SRC)/scripts/checkpatch.pl --no-tree --strict --terse -f

KBUILD_ARGS = -C $(KDIR) M=$(TOP) $(if $(W),W=$(W)) $(if $(C),C=$(C))

CC ?= cc
TOOLS_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Wshadow -Wformat=2
TOOLS := tests/tools/build/cftraffic

KMOD_SRC := $(wildcard kmod/*.c kmod/*.h)

.PHONY: all module userspace tools check lint demo clean deps FORCE

all: module userspace tools

module:
	@test -d "$(KDIR)" || { echo "error: KDIR=$(KDIR) not found (install linux-headers-amd64 or run tests/vm/deps.sh)" >&2; exit 1; }
	$(MAKE) $(KBUILD_ARGS) modules

userspace:
	$(MAKE) -C userspace-ctl

tools: $(TOOLS)

tests/tools/build/%: tests/tools/%.c
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -o $@ $<

deps:
	$(KENV) tests/vm/deps.sh

# The whole suite: dependencies, build, then tests/run (host tests, ASan unit
# tests, fuzzers, one VM boot for all VM tests, harness self-tests).
check:
	$(KENV) tests/vm/deps.sh
	$(MAKE) all
	$(KENV) $(if $(KERNEL),CF_KERNELS="$(KERNEL)") tests/run $(if $(T),-t $(T))

lint:
	@test -f $(LINUX_SRC)/scripts/checkpatch.pl || { \
	  test -f $(LINUX_SRC).tar.xz || { echo "error: $(LINUX_SRC) missing (apt-get install linux-source-6.1)" >&2; exit 1; }; \
	  echo "unpacking $(LINUX_SRC).tar.xz"; tar -C $(dir $(LINUX_SRC)) -xJf $(LINUX_SRC).tar.xz; }
	@rc=0; \
	echo "== sparse (C=2)"; \
	out=$$($(MAKE) -s -C $(KDIR) M=$(TOP) C=2 modules 2>&1) || rc=1; \
	f=$$(printf '%s\n' "$$out" | grep -E '(warning|error):' || true); \
	if [ -n "$$f" ]; then printf '%s\n' "$$f"; rc=1; fi; \
	if [ $$rc -ne 0 ] && [ -z "$$f" ]; then printf '%s\n' "$$out"; fi; \
	echo "== checkpatch --strict"; \
	$(CHECKPATCH) $(KMOD_SRC) || rc=1; \
	if [ $$rc -eq 0 ]; then echo "lint: clean"; else echo "lint: FAILED" >&2; fi; \
	exit $$rc

# The demo engineer adds the recipe in mk/demo.mk ("demo: ; recipe").
demo: all

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean
	$(MAKE) -C userspace-ctl clean
	rm -rf tests/tools/build

-include mk/*.mk
