# SPDX-License-Identifier: GPL-2.0
# Deployment targets, included by the top-level Makefile (-include mk/*.mk).
# Also usable alone: make -f mk/install.mk install DESTDIR=/tmp/root
#
#   make install      tools, man pages, bash completion, systemd unit, /etc/camfence/camfence.conf
#                     (kept if it exists), modules-load.d entry, docs and examples.
#                     Installs what `make` built; it never builds (so it works
#                     from a read-only tree), and says so when a file is missing.
#   make uninstall    removes exactly those files (the config only if unchanged).
#   make dkms-src     the DKMS source tree in build/dkms/camfence-$(VERSION)/
#   make dkms-install copies that tree to /usr/src/camfence-$(VERSION), registers
#                     it with dkms and installs the module for KVER (default
#                     the running kernel); make dkms-uninstall removes it.
#   make deb          camfence-dkms and camfence-tools .deb files in build/deb/
#
# DESTDIR and PREFIX (default /usr) as usual.  The unit goes to /lib/systemd/system
# (Debian 12), the config to /etc; override with UNITDIR / SYSCONFDIR.

CF_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
CF_VERSION := $(shell cat $(CF_TOP)/VERSION)

PREFIX     ?= /usr
DESTDIR    ?=
SBINDIR    ?= $(PREFIX)/sbin
MANDIR     ?= $(PREFIX)/share/man
DOCDIR     ?= $(PREFIX)/share/doc/camfence
MODLOADDIR ?= $(PREFIX)/lib/modules-load.d
UNITDIR    ?= /lib/systemd/system
SYSCONFDIR ?= /etc
# Vendor profiles and camera-vendors.list (camfencectl profile, vendor,
# unknown --csv); camfencectl is built with DATADIR=/usr/share/camfence.
PROFILEDIR ?= $(PREFIX)/share/camfence/profiles
# bash completion (bash-completion loads it on demand)
COMPDIR    ?= $(PREFIX)/share/bash-completion/completions

CF_BUILD   := $(CF_TOP)/userspace-ctl/build
CF_MAN     := $(CF_TOP)/userspace-ctl/man
CF_UNIT    := $(CF_TOP)/userspace-ctl/camfenced.service
CF_COMPLETION := $(CF_TOP)/userspace-ctl/completion/camfencectl
CF_EXAMPLES := $(sort $(wildcard $(CF_TOP)/examples/hikvision*.* \
		$(CF_TOP)/examples/dahua*.* $(CF_TOP)/examples/mixed-onvif*.*))
CF_PROFILES := $(sort $(wildcard $(CF_TOP)/profiles/*.conf)) \
	$(CF_TOP)/profiles/camera-vendors.list $(CF_TOP)/profiles/README.md

# Every installed file (relative to DESTDIR), for install and uninstall.
CF_FILES := $(SBINDIR)/camfencectl $(SBINDIR)/camfenced \
	$(MANDIR)/man8/camfencectl.8 $(MANDIR)/man8/camfenced.8 \
	$(MANDIR)/man5/camfence.conf.5 \
	$(COMPDIR)/camfencectl \
	$(UNITDIR)/camfenced.service \
	$(MODLOADDIR)/camfence.conf \
	$(DOCDIR)/deploy.md \
	$(DOCDIR)/examples/modprobe.d-camfence.conf \
	$(addprefix $(DOCDIR)/examples/,$(notdir $(CF_EXAMPLES))) \
	$(addprefix $(PROFILEDIR)/,$(notdir $(CF_PROFILES)))
CF_CONF := $(SYSCONFDIR)/camfence/camfence.conf

.PHONY: install uninstall dkms-src dkms-install dkms-uninstall deb

install:
	@for f in $(CF_BUILD)/camfencectl $(CF_BUILD)/camfenced $(CF_UNIT) \
		  $(CF_MAN)/camfencectl.8 $(CF_MAN)/camfenced.8 $(CF_MAN)/camfence.conf.5; do \
	  test -f "$$f" || { echo "install: $$f is missing (run make first)" >&2; exit 1; }; done
	install -d -m 755 $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(MODLOADDIR) $(DESTDIR)$(DOCDIR)/examples \
		$(DESTDIR)$(SYSCONFDIR)/camfence $(DESTDIR)$(PROFILEDIR) \
		$(DESTDIR)$(COMPDIR)
	install -m 644 $(CF_COMPLETION) $(DESTDIR)$(COMPDIR)/camfencectl
	install -m 644 $(CF_PROFILES) $(DESTDIR)$(PROFILEDIR)/
	install -m 755 $(CF_BUILD)/camfencectl $(CF_BUILD)/camfenced $(DESTDIR)$(SBINDIR)/
	install -m 644 $(CF_MAN)/camfencectl.8 $(CF_MAN)/camfenced.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 644 $(CF_MAN)/camfence.conf.5 $(DESTDIR)$(MANDIR)/man5/
	sed -e 's|/usr/sbin/|$(SBINDIR)/|g' -e 's|/etc/camfence/|$(SYSCONFDIR)/camfence/|g' \
		$(CF_UNIT) > $(DESTDIR)$(UNITDIR)/camfenced.service
	chmod 644 $(DESTDIR)$(UNITDIR)/camfenced.service
	install -m 644 $(CF_TOP)/deploy/modules-load.d/camfence.conf $(DESTDIR)$(MODLOADDIR)/camfence.conf
	install -m 644 $(CF_TOP)/docs/deploy.md $(DESTDIR)$(DOCDIR)/deploy.md
	install -m 644 $(CF_TOP)/deploy/modprobe.d/camfence.conf \
		$(DESTDIR)$(DOCDIR)/examples/modprobe.d-camfence.conf
	$(if $(CF_EXAMPLES),install -m 644 $(CF_EXAMPLES) $(DESTDIR)$(DOCDIR)/examples/)
	@if [ -e $(DESTDIR)$(CF_CONF) ]; then \
	  echo "keeping existing $(DESTDIR)$(CF_CONF)"; \
	else \
	  echo "install -m 644 $(CF_TOP)/deploy/camfence.conf $(DESTDIR)$(CF_CONF)"; \
	  install -m 644 $(CF_TOP)/deploy/camfence.conf $(DESTDIR)$(CF_CONF); \
	fi

# Removes what install put there.  The config is removed only if it is still
# the shipped example (like a dpkg conffile).  Directories are removed when
# empty: camfence's own always; with a DESTDIR, also the empty parents up to
# DESTDIR, so a staging root is left as it was found.
uninstall:
	rm -f $(addprefix $(DESTDIR),$(CF_FILES))
	@if [ -f $(DESTDIR)$(CF_CONF) ] && cmp -s $(DESTDIR)$(CF_CONF) $(CF_TOP)/deploy/camfence.conf; then \
	  echo "rm -f $(DESTDIR)$(CF_CONF)"; rm -f $(DESTDIR)$(CF_CONF); \
	elif [ -e $(DESTDIR)$(CF_CONF) ]; then \
	  echo "keeping modified $(DESTDIR)$(CF_CONF)"; fi
	-@rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) $(DESTDIR)$(SYSCONFDIR)/camfence \
		$(DESTDIR)$(PROFILEDIR) $(DESTDIR)$(dir $(PROFILEDIR)) 2>/dev/null
	@if [ -n "$(DESTDIR)" ]; then \
	  root=$$(cd "$(DESTDIR)" && pwd); \
	  for f in $(CF_FILES) $(CF_CONF); do \
	    d=$$(dirname "$$root$$f"); \
	    while [ "$$d" != "$$root" ] && [ "$${d#$$root/}" != "$$d" ]; do \
	      if [ -d "$$d" ]; then rmdir "$$d" 2>/dev/null || break; fi; \
	      d=$$(dirname "$$d"); done; \
	  done; \
	fi

# The DKMS source tree: only what the module build needs.
CF_DKMS_SRC := $(CF_TOP)/build/dkms/camfence-$(CF_VERSION)
CF_KMOD_FILES = $(sort $(wildcard $(CF_TOP)/kmod/*.c $(CF_TOP)/kmod/*.h))

# DKMS_SRC_DIR: where to put the tree (default build/dkms/camfence-VERSION).
# DKMS_CONF=no leaves dkms.conf out (the Debian build installs its own copy).
dkms-src:
	@test -n "$(CF_VERSION)" || { echo "dkms-src: VERSION is empty" >&2; exit 1; }
	rm -rf $(or $(DKMS_SRC_DIR),$(CF_DKMS_SRC))
	install -d -m 755 $(or $(DKMS_SRC_DIR),$(CF_DKMS_SRC))/kmod
	install -m 644 $(CF_TOP)/Kbuild $(CF_TOP)/VERSION $(or $(DKMS_SRC_DIR),$(CF_DKMS_SRC))/
	$(if $(filter no,$(DKMS_CONF)),,install -m 644 $(CF_TOP)/dkms.conf $(or $(DKMS_SRC_DIR),$(CF_DKMS_SRC))/)
	install -m 644 $(CF_TOP)/deploy/dkms/Makefile $(or $(DKMS_SRC_DIR),$(CF_DKMS_SRC))/Makefile
	install -m 644 $(CF_KMOD_FILES) $(or $(DKMS_SRC_DIR),$(CF_DKMS_SRC))/kmod/

CF_KVER = $(or $(KVER),$(shell uname -r))

# DKMS_SOURCE_TREE (default /usr/src) and DKMS_FLAGS (e.g. --dkmstree DIR
# --installtree DIR --no-depmod) let tests/host/20-dkms.sh run these targets
# against scratch trees.
DKMS_SOURCE_TREE ?= /usr/src
DKMS_FLAGS ?=

dkms-install: DKMS_SRC_DIR = $(DKMS_SOURCE_TREE)/camfence-$(CF_VERSION)
dkms-install: dkms-src
	dkms add $(DKMS_SOURCE_TREE)/camfence-$(CF_VERSION) $(DKMS_FLAGS)
	dkms build -m camfence -v $(CF_VERSION) -k $(CF_KVER) -j 2 $(DKMS_FLAGS)
	dkms install -m camfence -v $(CF_VERSION) -k $(CF_KVER) $(DKMS_FLAGS)

dkms-uninstall:
	dkms remove -m camfence -v $(CF_VERSION) --all $(DKMS_FLAGS)
	rm -rf $(DKMS_SOURCE_TREE)/camfence-$(CF_VERSION)

# The Debian packages, built from a copy of the tree (tracked files and new
# files not ignored by git; without git, the tree minus build outputs) so that
# nothing lands in the repository or in ../.
CF_DEB_DIR := $(CF_TOP)/build/deb

deb:
	@cl=$$(dpkg-parsechangelog -l $(CF_TOP)/debian/changelog -S Version); \
	if [ "$$cl" != "$(CF_VERSION)" ]; then \
	  echo "deb: debian/changelog is at $$cl but VERSION is $(CF_VERSION): add a changelog entry (dch -v $(CF_VERSION))" >&2; \
	  exit 1; fi
	rm -rf $(CF_DEB_DIR)
	mkdir -p $(CF_DEB_DIR)/camfence-$(CF_VERSION)
	cd $(CF_TOP) && if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git ls-files -z --cached --others --exclude-standard | \
	    tar --null -T - --ignore-failed-read -cf - ; \
	else \
	  tar --exclude-vcs --exclude=./.cache --exclude=./build --exclude='*.o' \
	    --exclude='*.ko' --exclude=./userspace-ctl/build --exclude=./tests/tools/build -cf - . ; \
	fi | tar -C $(CF_DEB_DIR)/camfence-$(CF_VERSION) -xf -
	test -f $(CF_DEB_DIR)/camfence-$(CF_VERSION)/debian/rules
	cd $(CF_DEB_DIR)/camfence-$(CF_VERSION) && dpkg-buildpackage -us -uc -b
	@ls -1 $(CF_DEB_DIR)/*.deb
