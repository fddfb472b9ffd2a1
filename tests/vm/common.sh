# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared by tests/vm/* and tests/run: repo root, kernel version, cache paths.

CF_TOP=${CF_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

# cf_default_kver: $KVER if set, else the release of $KDIR, else
# /lib/modules/$(uname -r)/build when it exists, else the newest
# /lib/modules/*/build (same rule as the top-level Makefile).
cf_default_kver() {
	if [ -n "${KVER:-}" ]; then
		echo "$KVER"
	elif [ -n "${KDIR:-}" ] && [ -r "$KDIR/include/config/kernel.release" ]; then
		cat "$KDIR/include/config/kernel.release"
	elif [ -d "/lib/modules/$(uname -r)/build" ]; then
		uname -r
	else
		# shellcheck disable=SC2012
		ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1 | cut -d/ -f4
	fi
}

# cf_build_module SRCDIR DIR: builds the small out-of-tree module in SRCDIR
# (its *.c and Kbuild, copied to DIR) against the default kernel's headers
# (the harness selftests' modules); on failure prints the build log as TAP
# comments and returns 1.
cf_build_module() {
	cp "$1"/*.c "$1/Kbuild" "$2/" || return 1
	if ! make -s -C "/lib/modules/$(cf_default_kver)/build" M="$2" modules >"$2/build.log" 2>&1; then
		sed 's/^/# /' "$2/build.log"
		return 1
	fi
}

cf_vm_paths() {
	CF_KVER=${CF_KVER:-$(cf_default_kver)}
	CF_CACHE=${CF_CACHE:-$CF_TOP/.cache/vm}
	# The debug lane (make check-debug) points these at its own kernel:
	# CF_VM_KCACHE (initrd cache), CF_VM_KROOT (holds lib/modules/$CF_KVER),
	# CF_VMLINUZ (the kernel image).
	CF_KCACHE=${CF_VM_KCACHE:-$CF_CACHE/$CF_KVER}
	CF_KROOT=${CF_VM_KROOT:-$CF_KCACHE/root}
	CF_VMLINUZ=${CF_VMLINUZ:-$CF_KROOT/boot/vmlinuz-$CF_KVER}
	CF_INITRD=$CF_KCACHE/initrd.gz
	CF_LOGDIR=$CF_CACHE/logs
	export CF_TOP CF_KVER CF_CACHE
}
