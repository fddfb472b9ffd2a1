#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/deps.sh: install what the build and the test suite need on Debian 12
# and fetch the guest kernel matching the installed headers into
# .cache/vm/$KVER/ (apt-get download, dpkg -x, depmod -b).
#
# As root: installs missing packages (one apt-get update, one apt-get install).
# As another user: prints the exact apt-get install line and exits 1.
# Idempotent and fast (< 1 s) when everything is in place.
#
# Other engineers: append the Debian packages you need to CF_DEPS below.
set -euo pipefail
# shellcheck source=tests/vm/common.sh
source "$(dirname "$0")/common.sh"

# build-essential: dpkg-buildpackage (make deb, tests/host/21-deb.sh) refuses to
# build without it (dpkg-checkbuilddeps: "Unmet build dependencies:
# build-essential:native").  make check-fresh checks this list on a minimal
# Debian 12.  mmdebstrap: the Debian 13 root that builds camfence.ko for the
# second kernel of the matrix (make check KERNEL=6.12, tests/vm/k612.sh), and
# make check-deploy's images; qemu-utils (qemu-img): make check-deploy
# (tests/sysboot/run.sh).
CF_DEPS="
	make gcc libc6-dev build-essential pkg-config bc flex bison libelf-dev libssl-dev xz-utils
	qemu-system-x86 busybox-static cpio kmod linux-headers-amd64 mmdebstrap
	libnl-genl-3-dev libnl-3-dev sparse linux-source-6.1
	iproute2 nftables iptables ethtool bridge-utils procps python3 coreutils util-linux
	clang libclang-rt-14-dev
	dkms dh-dkms openssl debhelper lintian fakeroot dpkg-dev
	socat iperf3 strace prometheus
	python3-scapy conntrack thc-ipv6 dsniff
	libjson-c-dev ieee-data chromium poppler-utils fonts-dejavu-core
	qemu-utils
"

# ieee-data, libjson-c-dev: vendor recognition, MUD and --from inputs of
# camfencectl; chromium, poppler-utils (pdftotext) and a font: the report test
# (tests/host/36-report.sh) renders the HTML page headless.
# make check-debug (tests/vm/deps.sh --debug) also builds a kernel from
# linux-source-6.1 (tests/vm/debug-kernel.sh); make check does not need these.
CF_DEBUG_DEPS="
	make gcc bc flex bison libelf-dev libssl-dev xz-utils linux-source-6.1 util-linux
"
[ "${1:-}" = --debug ] && CF_DEPS="$CF_DEPS $CF_DEBUG_DEPS"

log() { echo "deps: $*" >&2; }

missing=()
# shellcheck disable=SC2086
installed=" $(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $CF_DEPS 2>/dev/null |
	awk '$1 == "ii" { print $2 }' | tr '\n' ' ' || true) "
for p in $CF_DEPS; do
	case "$installed" in
	*" $p "*) ;;
	*) missing+=("$p") ;;
	esac
done

APT_UPDATED=0
apt_update() {
	[ "$APT_UPDATED" = 1 ] && return 0
	log "apt-get update"
	apt-get update -qq
	APT_UPDATED=1
}

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: missing packages; run as root:" >&2
		echo "apt-get update && apt-get install -y ${missing[*]}"
		exit 1
	fi
	apt_update
	log "installing: ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

cf_vm_paths
if [ -z "$CF_KVER" ] || [ ! -d "/lib/modules/$CF_KVER/build" ]; then
	log "no kernel headers found (KVER='$CF_KVER'); install linux-headers-amd64"
	exit 1
fi

# The guest kernel: linux-image-$KVER-unsigned, extracted into the cache.
stamp=$CF_KCACHE/.extracted
if [ ! -f "$stamp" ] || [ ! -f "$CF_KROOT/boot/vmlinuz-$CF_KVER" ]; then
	pkg=linux-image-$CF_KVER-unsigned
	mkdir -p "$CF_KCACHE/deb"
	rm -rf "$CF_KROOT" "$CF_KCACHE"/deb/*.deb
	log "fetching $pkg"
	if ! (cd "$CF_KCACHE/deb" && apt-get download -q "$pkg" >/dev/null 2>&1); then
		if [ "$(id -u)" -eq 0 ]; then
			apt_update
			(cd "$CF_KCACHE/deb" && apt-get download -q "$pkg" >/dev/null)
		else
			log "apt-get download $pkg failed (as root, 'apt-get update' may help)"
			exit 1
		fi
	fi
	tmp=$CF_KCACHE/root.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	dpkg -x "$CF_KCACHE"/deb/"$pkg"_*.deb "$tmp"
	depmod -b "$tmp" "$CF_KVER"
	mv "$tmp" "$CF_KROOT"
	rm -f "$CF_KCACHE"/deb/*.deb
	touch "$stamp"
	log "guest kernel $CF_KVER ready in $CF_KROOT"
fi
exit 0
