#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds .cache/vm/$KVER/initrd.gz: busybox-static, the virtio/9p modules of
# the guest kernel (none when 9p is built in) and tests/vm/init.  Rebuilt
# only when an input changed.
set -euo pipefail
# shellcheck source=tests/vm/common.sh
source "$(dirname "$0")/common.sh"
cf_vm_paths

MODS="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p"
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
for m in $MODS; do
	f=$(find "$CF_KROOT/lib/modules/$CF_KVER/kernel" -name "$m.ko" 2>/dev/null | head -n 1)
	if [ -z "$f" ]; then
		# a kernel with 9p built in (the debug lane) needs none of them
		grep -q '/9p\.ko$' "$CF_KROOT/lib/modules/$CF_KVER/modules.builtin" 2>/dev/null && continue
		echo "mkinitramfs: module $m not found" >&2
		exit 1
	fi
	cp "$f" "$tmp/mod/"
done
# a unique temporary name: several runs may rebuild at the same time
out=$(mktemp "$CF_INITRD.XXXXXX")
(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) > "$out"
chmod 644 "$out"
mv "$out" "$CF_INITRD"
