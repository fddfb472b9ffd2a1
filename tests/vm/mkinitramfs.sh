#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds .cache/vm/$KVER/initrd.gz: busybox-static, the virtio/9p modules of
# the guest kernel (none when they are built in) with their load order in
# mod/order, and tests/vm/init.  Rebuilt
# only when an input changed.
set -euo pipefail
# shellcheck source=tests/vm/common.sh
source "$(dirname "$0")/common.sh"
cf_vm_paths

# What the guest needs to mount the host root: the virtio PCI transport and 9p
# over virtio.  Which of them are modules, and their dependencies, differ per
# kernel (6.1: everything a module, fscache separate; Debian 13's 6.12: virtio
# built in, fscache merged into netfs; the debug kernel: all built in), so the
# load order comes from the kernel's own modules.dep: modprobe --show-depends
# lists each module after its dependencies ("builtin X" for built-in ones).
WANT="virtio_pci 9pnet_virtio 9p"
init=$CF_TOP/tests/vm/init
if [ -f "$CF_INITRD" ] && [ "$CF_INITRD" -nt "$init" ] && [ "$CF_INITRD" -nt "$0" ] &&
   [ "$CF_INITRD" -nt /bin/busybox ]; then
	exit 0
fi
[ -d "$CF_KROOT/lib/modules/$CF_KVER" ] || { echo "mkinitramfs: run tests/vm/deps.sh first" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{bin,mod,proc,sys,dev,newroot}
cp /bin/busybox "$tmp/bin/busybox"
cp "$init" "$tmp/init"
chmod 755 "$tmp/init"
: > "$tmp/mod/order"
# shellcheck disable=SC2086
deps=$(modprobe -d "$CF_KROOT" -S "$CF_KVER" --show-depends -a $WANT) ||
	{ echo "mkinitramfs: modprobe --show-depends -a $WANT failed for $CF_KVER" >&2; exit 1; }
for f in $(printf '%s\n' "$deps" | awk '$1 == "insmod" && !seen[$2]++ { print $2 }'); do
	case "$f" in
	*.ko) ;;
	*) echo "mkinitramfs: $f: busybox insmod needs uncompressed modules" >&2; exit 1 ;;
	esac
	cp "$f" "$tmp/mod/"
	basename "$f" >> "$tmp/mod/order"
done
# a unique temporary name: several runs may rebuild at the same time
out=$(mktemp "$CF_INITRD.XXXXXX")
(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) > "$out"
chmod 644 "$out"
mv "$out" "$CF_INITRD"
