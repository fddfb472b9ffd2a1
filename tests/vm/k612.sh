#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/k612.sh [--env | --root | --print-key]
#
# The second kernel of the test matrix (make check KERNEL=6.12): Debian 13's
# stock kernel.  Its headers need gcc 14, which Debian 12 does not have, so
# camfence.ko is built in a cached Debian 13 root (mmdebstrap trixie) from a
# copy of this tree, never on the host.  Prepares, each step cached:
#
#   .cache/k612/root-trixie-<key>/   mmdebstrap --variant=minbase trixie with
#                                    make, gcc (14), libc6-dev, kmod and
#                                    linux-headers-amd64; the customize hook
#                                    also downloads the matching
#                                    linux-image-<kver>-unsigned into /root
#   .cache/k612/camfence/            Kbuild, VERSION, kmod/*.[ch] copied (cp -p)
#                                    and built in the root (chroot, private
#                                    mount namespace); camfence.ko
#   .cache/vm/<kver>/root/           the guest kernel as tests/vm/deps.sh makes
#                                    it for 6.1: boot/vmlinuz-<kver> and
#                                    lib/modules/<kver>.  What differs from 6.1
#                                    is handled here: the package is merged-/usr
#                                    (usr/lib/modules moved to lib/modules), its
#                                    modules are xz-compressed (decompressed:
#                                    busybox insmod in the initramfs cannot
#                                    read .ko.xz), then depmod.  (Built-in
#                                    virtio and fscache merged into netfs are
#                                    handled by tests/vm/mkinitramfs.sh.)
#
# <key> hashes the suite, the apt sources and options, the mmdebstrap version,
# the recipe (build_root below) and the ISO week: the root, and with it the
# kernel (Debian 13 point and security releases move its ABI), is refreshed
# weekly; older roots are deleted.  The sources: the machine's Debian mirror
# (the URIs of its bookworm, bookworm-updates and bookworm-security entries,
# for trixie, trixie-updates and trixie-security; or the sources.list file
# $CF_K612_SOURCES), given to mmdebstrap only: the machine's own apt
# configuration is only read, never changed.  Needs root.
#
#   (no option)  prepare everything, print the kernel release
#   --env        prepare everything, print CF_KVER=... and CF_K612_MODULE=...
#                (shell assignments for eval, used by tests/run)
#   --root       prepare the root only, print its directory
#   --print-key  print the root's cache name, prepare nothing
set -euo pipefail
# shellcheck source=tests/vm/common.sh
source "$(dirname "$0")/common.sh"

SUITE=trixie
BASE=${CF_K612_CACHE:-$CF_TOP/.cache/k612}
VMCACHE=${CF_CACHE:-$CF_TOP/.cache/vm}

log() { echo "k612: $*" >&2; }
die() { echo "k612: error: $*" >&2; exit 1; }

MODE=${1:-}
case "$MODE" in
"" | --env | --root | --print-key) ;;
*) die "unknown option '$MODE' (see the top of $0)" ;;
esac

# trixie_sources: the machine's bookworm repositories, for trixie.
trixie_sources() {
	# shellcheck disable=SC2016 # apt's $(...) fields, not the shell's
	apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' \
		'Identifier: Packages' 2>/dev/null |
		awk -v s="$SUITE" '$3 == "main" && $2 ~ /^bookworm(-updates|-security)?$/ {
			sub(/^bookworm/, s, $2); print "deb " $1 " " $2 " main" }' | sort -u
}

# apt_options: the host's settings the root's apt needs to reach that mirror.
apt_options() {
	local k v
	for k in Acquire::Check-Valid-Until Acquire::Check-Date Acquire::http::Proxy Acquire::https::Proxy; do
		v=$(apt-config dump "$k" 2>/dev/null | sed -n "s|^$k \"\(.*\)\";\$|\1|p" | head -n 1)
		[ -n "$v" ] && printf '%s "%s";\n' "$k" "$v"
	done
	return 0
}

if [ -n "${CF_K612_SOURCES:-}" ]; then
	[ -f "$CF_K612_SOURCES" ] || die "CF_K612_SOURCES=$CF_K612_SOURCES: no such file"
	SOURCES=$(cat "$CF_K612_SOURCES")
else
	SOURCES=$(trixie_sources)
fi
[ -n "$SOURCES" ] || die "no Debian bookworm main entry in the apt sources to derive trixie's from (set CF_K612_SOURCES to a sources.list file)"
APTOPTS=$(apt_options)

# The recipe: the mmdebstrap call.  Editing it changes the key.  The
# customize hook runs in the finished root (network still set up) and
# fetches the kernel image matching the headers it installed.
# shellcheck disable=SC2016 # the hook's $1 and $(...) are expanded by mmdebstrap's shell
build_root() { # OUT SOURCES_FILE APTOPTS_FILE
	mmdebstrap --mode=root --variant=minbase --format=directory \
		--include=make,gcc,libc6-dev,kmod,perl,linux-headers-amd64 \
		--aptopt="$3" \
		--customize-hook='kver=$(ls "$1/usr/src" | sed -n "s/^linux-headers-\(.*-amd64\)$/\1/p" | sort -V | tail -n 1) &&
			echo "$kver" > "$1/root/kver" &&
			chroot "$1" sh -c "cd /root && apt-get download -q linux-image-$kver-unsigned"' \
		"$SUITE" "$1" "$2"
}
KEY=$( {
	echo "$SUITE"
	echo "$SOURCES"
	echo "$APTOPTS"
	mmdebstrap --version 2>/dev/null || echo "no mmdebstrap"
	declare -f build_root
	date -u +%G-W%V
} | sha256sum | cut -c1-12)
ROOT=$BASE/root-$SUITE-$KEY
if [ "$MODE" = --print-key ]; then
	echo "root-$SUITE-$KEY"
	exit 0
fi

[ "$(id -u)" -eq 0 ] || die "needs root (mmdebstrap --mode=root, chroot)"
mkdir -p "$BASE"
exec 9> "$BASE/.lock"
if ! flock -n 9; then
	log "another run is preparing $BASE; waiting for it"
	flock 9
fi

# ---- 1. the Debian 13 root -------------------------------------------------
if [ ! -f "$ROOT/.done" ]; then
	if ! command -v mmdebstrap >/dev/null; then
		log "installing mmdebstrap on the host"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null 2>&1 ||
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap; } ||
			die "apt-get install mmdebstrap failed"
	fi
	rm -rf "$ROOT" "$BASE"/tmp.*
	tmpd=$(mktemp -d "$BASE/tmp.XXXXXX")
	printf '%s\n' "$SOURCES" > "$tmpd/sources.list"
	printf '%s\n' "$APTOPTS" > "$tmpd/apt.conf"
	log "building the Debian 13 root (mmdebstrap $SUITE, ~1-3 min) in $ROOT; sources:"
	sed 's/^/k612:   /' "$tmpd/sources.list" >&2
	t0=$(date +%s)
	if ! build_root "$tmpd/root" "$tmpd/sources.list" "$tmpd/apt.conf" > "$tmpd/build.log" 2>&1; then
		tail -n 30 "$tmpd/build.log" >&2
		die "mmdebstrap failed (log above)"
	fi
	[ -s "$tmpd/root/root/kver" ] || die "the root has no linux-headers-*-amd64"
	cp "$tmpd/build.log" "$tmpd/root/root/mmdebstrap.log"
	echo $(($(date +%s) - t0)) > "$tmpd/root/root/build-seconds"
	mv "$tmpd/root" "$ROOT"
	rm -rf "$tmpd"
	touch "$ROOT/.done"
	log "root ready in $(cat "$ROOT/root/build-seconds") s: kernel headers $(cat "$ROOT/root/kver")"
	# older roots (last week's, another recipe)
	for d in "$BASE"/root-*; do
		[ "$d" = "$ROOT" ] || rm -rf --one-file-system "$d"
	done
fi
KVER612=$(cat "$ROOT/root/kver")
if [ "$MODE" = --root ]; then
	echo "$ROOT"
	exit 0
fi

# ---- 2. the guest kernel -----------------------------------------------------
KC=$VMCACHE/$KVER612
if [ ! -f "$KC/.extracted" ] || [ ! -f "$KC/root/boot/vmlinuz-$KVER612" ]; then
	deb=$(find "$ROOT/root" -maxdepth 1 -name "linux-image-$KVER612-unsigned_*.deb" | head -n 1)
	[ -n "$deb" ] || die "linux-image-$KVER612-unsigned was not downloaded into $ROOT/root"
	log "extracting $(basename "$deb") into $KC/root"
	mkdir -p "$KC"
	tmp=$KC/root.tmp
	rm -rf "$tmp" "$KC/root"
	mkdir -p "$tmp"
	dpkg -x "$deb" "$tmp"
	# merged-/usr: the package ships usr/lib/modules; the harness (vmrun,
	# mkinitramfs, depmod -b) expects lib/modules
	if [ -d "$tmp/usr/lib/modules/$KVER612" ] && [ ! -d "$tmp/lib/modules/$KVER612" ]; then
		mkdir -p "$tmp/lib/modules"
		mv "$tmp/usr/lib/modules/$KVER612" "$tmp/lib/modules/"
	fi
	[ -d "$tmp/lib/modules/$KVER612/kernel" ] || die "no modules for $KVER612 in $deb"
	[ -f "$tmp/boot/vmlinuz-$KVER612" ] || die "no boot/vmlinuz-$KVER612 in $deb"
	n=$(find "$tmp/lib/modules/$KVER612" -name '*.ko.xz' | wc -l)
	find "$tmp/lib/modules/$KVER612" -name '*.ko.xz' -print0 | xargs -0 -r -n 64 -P 2 xz -d
	log "decompressed $n modules"
	depmod -b "$tmp" "$KVER612"
	mv "$tmp" "$KC/root"
	touch "$KC/.extracted"
fi

# ---- 3. camfence.ko for 6.12, built in the root ---------------------------------
M=$BASE/camfence
mkdir -p "$M/kmod"
rm -f "$M"/kmod/*.[ch]
cp -p "$CF_TOP/Kbuild" "$CF_TOP/VERSION" "$M/"
cp -p "$CF_TOP"/kmod/*.[ch] "$M/kmod/"
mkdir -p "$ROOT/build/camfence"
log "building camfence.ko for $KVER612 in the Debian 13 root"
# shellcheck disable=SC2016 # $1..$3 are the inner shell's arguments
if ! unshare --mount --propagation private -- sh -c '
	set -e
	mount --bind "$2" "$1/build/camfence"
	mount -t proc proc "$1/proc"
	exec chroot "$1" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
		make -s -C "/lib/modules/$3/build" M=/build/camfence -j2 modules
	' k612 "$ROOT" "$M" "$KVER612" > "$M/build.log" 2>&1; then
	cat "$M/build.log" >&2
	die "building camfence.ko for $KVER612 failed"
fi
if grep -E 'warning|error' "$M/build.log" >&2; then
	die "the 6.12 module build printed warnings (above): kernel code must build clean"
fi
[ -f "$M/camfence.ko" ] || die "no $M/camfence.ko after the build"

case "$MODE" in
--env)
	printf 'CF_KVER=%q\n' "$KVER612"
	printf 'CF_K612_MODULE=%q\n' "$M/camfence.ko"
	;;
*) echo "$KVER612" ;;
esac
