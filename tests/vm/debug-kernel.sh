#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/debug-kernel.sh [--print-key | --module | --run [TESTS/RUN ARGS]]
#
# The debug lane (make check-debug).  Without an option: builds the sanitizer
# kernel once and prints its cache directory:
#
#   .cache/debug-kernel/<kernelversion>-<key>/
#     build/      the O= tree (.config, vmlinux, Module.symvers): KDIR for
#                 camfence.ko and the selftest modules
#     root/       modules_install output: root/lib/modules/<KVER>/
#     bzImage     the kernel qemu boots
#     kver        the kernel release (e.g. 6.1.192-cfdebug)
#     build.log   the whole build output
#     .done       written last; a directory without it is rebuilt
#
# <key> is a hash of tests/vm/debug.config, of the build recipe below
# (build_kernel and verify_config as bash prints them) and of the Debian
# package version of the sources, so editing the fragment or the recipe gives
# a fresh build and anything else reuses the cached one.
#
# Source: $LINUX_SRC (default /usr/src/linux-source-6.1, unpacked from the
# .tar.xz of the linux-source-6.1 package when needed).  Config:
# x86_64_defconfig + kvm_guest.config + tests/vm/debug.config
# (scripts/kconfig/merge_config.sh), then olddefconfig; every option of the
# fragment is verified and the build fails loudly when one did not stick.
# Builds with "nice -n 19 make -j$CF_DEBUG_JOBS" (default 2).
#
# --print-key  prints <kernelversion>-<key> and exits (no build)
# --module     also builds camfence.ko against that kernel in
#              <cache dir>/camfence/ (a copy of Kbuild, VERSION, kmod/*.[ch]:
#              the stock ./camfence.ko is left alone) and prints its path
# --run ARGS   kernel + module, then "tests/run --vm-only ARGS" on the debug
#              kernel: more guest memory ($CF_VM_MEM, default 4096 MB),
#              timeouts x $CF_TEST_TIMEOUT_SCALE (default 4), longer RCU stall
#              timeout, kmemleak scanned after the last test (guest-tests.sh),
#              the large-policy tests (64-ctl-large, 74-mem-limits) at
#              $CF_BIG_DEVICES devices (default 20000 here, 100000 in the
#              stock lane: the same code paths in a fifth of the time).
#              CF_VM_TEST_DIRS / CF_VM_KO / CF_VM_NO_MODULE work as for
#              tests/run (tests/vm/debug-selftest uses them).
set -euo pipefail
# shellcheck source=tests/vm/common.sh
source "$(dirname "$0")/common.sh"

LINUX_SRC=${LINUX_SRC:-/usr/src/linux-source-6.1}
FRAGMENT=$CF_TOP/tests/vm/debug.config
JOBS=${CF_DEBUG_JOBS:-2}
BASE=${CF_DEBUG_CACHE:-$CF_TOP/.cache/debug-kernel}

log() { echo "debug-kernel: $*" >&2; }
die() { echo "debug-kernel: error: $*" >&2; exit 1; }

# verify_config CONFIG FRAGMENT: every "CONFIG_X=V" of FRAGMENT is in CONFIG
# as is, every "# CONFIG_X is not set" is unset in CONFIG.
verify_config() {
	local cfg=$1 frag=$2 bad=0 line sym
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			if ! grep -qxF -- "$line" "$cfg"; then
				sym=${line%%=*}
				# shellcheck disable=SC1087 # "$sym[= ]" is a regex
				echo "debug-kernel: wanted $line, got: $(grep -E "^(# )?$sym[= ]" "$cfg" || echo "(absent: dependencies not met)")" >&2
				bad=1
			fi
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			if grep -qE "^$sym=" "$cfg"; then
				echo "debug-kernel: wanted $sym unset, got: $(grep -E "^$sym=" "$cfg")" >&2
				bad=1
			fi
			;;
		esac
	done < "$frag"
	return $bad
}

# build_kernel SRC OUT FRAGMENT DEST JOBS
build_kernel() {
	local src=$1 out=$2 frag=$3 dest=$4 jobs=$5
	mkdir -p "$out"
	make -s -C "$src" O="$out" x86_64_defconfig kvm_guest.config
	(cd "$out" && "$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$frag")
	make -s -C "$src" O="$out" olddefconfig
	verify_config "$out/.config" "$frag" ||
		{ echo "debug-kernel: the config does not have what $frag wants (see above)" >&2; return 1; }
	nice -n 19 make -C "$src" O="$out" -j"$jobs" bzImage modules
	rm -rf "$dest/root"
	nice -n 19 make -s -C "$src" O="$out" INSTALL_MOD_PATH="$dest/root" INSTALL_MOD_STRIP=1 \
		modules_install
	cp "$out/arch/x86/boot/bzImage" "$dest/bzImage"
	cat "$out/include/config/kernel.release" > "$dest/kver"
}

if [ ! -f "$LINUX_SRC/Makefile" ]; then
	[ -f "$LINUX_SRC.tar.xz" ] ||
		die "$LINUX_SRC missing: apt-get install linux-source-6.1 (tests/vm/deps.sh --debug)"
	log "unpacking $LINUX_SRC.tar.xz"
	tar -C "$(dirname "$LINUX_SRC")" -xJf "$LINUX_SRC.tar.xz"
fi
[ ! -f "$LINUX_SRC/.config" ] || die "$LINUX_SRC has a .config: O= builds need a clean tree (make -C $LINUX_SRC mrproper)"

version=$(make -s -C "$LINUX_SRC" kernelversion)
pkgver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo unknown)
key=$({ cat "$FRAGMENT"; declare -f build_kernel verify_config; echo "$pkgver"; } |
	sha256sum | cut -c1-12)
MODE=${1:-}
case "$MODE" in
--print-key) echo "$version-$key"; exit 0 ;;
--module | --run) shift ;;
"") ;;
*) die "unknown option '$MODE' (see the top of $0)" ;;
esac
DIR=$BASE/$version-$key

if [ ! -f "$DIR/.done" ]; then
	mkdir -p "$DIR"
	# one build at a time (another engineer may be running the lane)
	exec 9> "$DIR/.lock"
	if ! flock -n 9; then
		log "another build of $DIR is running; waiting for it"
		flock 9
	fi
fi
if [ ! -f "$DIR/.done" ]; then
	# A build of the same sources with another key (the fragment or the
	# recipe changed) seeds the tree: kbuild then recompiles only what the
	# changed options touch (its dependency files track every CONFIG_).
	if [ ! -d "$DIR/build" ]; then
		# shellcheck disable=SC2012
		prev=$(ls -1td "$BASE/$version"-*/.done 2>/dev/null | head -n 1 || true)
		if [ -n "$prev" ]; then
			log "seeding the build tree from $(dirname "$prev")/build"
			cp -a "$(dirname "$prev")/build" "$DIR/build"
		fi
	fi
	log "building the sanitizer kernel in $DIR (15-40 min on 2 idle cores; log: $DIR/build.log)"
	t0=$(date +%s)
	if ! build_kernel "$LINUX_SRC" "$DIR/build" "$FRAGMENT" "$DIR" "$JOBS" > "$DIR/build.log" 2>&1; then
		tail -n 30 "$DIR/build.log" >&2
		die "kernel build failed; whole log: $DIR/build.log"
	fi
	t1=$(date +%s)
	echo "$((t1 - t0))" > "$DIR/build-seconds"
	log "built $(cat "$DIR/kver") in $(((t1 - t0) / 60)) min $(((t1 - t0) % 60)) s"
	touch "$DIR/.done"
fi
exec 9>&-
if [ -z "$MODE" ]; then
	echo "$DIR"
	exit 0
fi

# camfence.ko against the debug kernel, in its own directory.  cp -p keeps
# the sources' times, so an unchanged module is not rebuilt.
KVER_DBG=$(cat "$DIR/kver")
# (not with CF_VM_NO_MODULE=1: the selftest boots without it)
if [ "$MODE" = --module ] || [ "${CF_VM_NO_MODULE:-0}" != 1 ]; then
	M=$DIR/camfence
	mkdir -p "$M/kmod"
	exec 8> "$DIR/camfence.lock"
	flock 8
	rm -f "$M"/kmod/*.[ch]
	cp -p "$CF_TOP/Kbuild" "$CF_TOP/VERSION" "$M/"
	cp -p "$CF_TOP"/kmod/*.[ch] "$M/kmod/"
	log "building camfence.ko for $KVER_DBG in $M"
	if ! nice -n 19 make -s -C "$DIR/build" M="$M" -j"$JOBS" modules > "$M/build.log" 2>&1; then
		cat "$M/build.log" >&2
		die "building camfence.ko against $DIR/build failed"
	fi
	if [ "$MODE" = --module ]; then
		echo "$M/camfence.ko"
		exit 0
	fi
	# this run's own copy: the lock only covers the build, and another run may
	# rebuild $M while this one's guest boots
	KOD=$(mktemp -d "$DIR/run.XXXXXX")
	trap 'rm -rf "$KOD"' EXIT
	cp "$M/camfence.ko" "$KOD/"
	exec 8>&-
fi

# --run: the whole VM suite (or what ARGS select) on the debug kernel.
export CF_KVER=$KVER_DBG
export CF_VMLINUZ=$DIR/bzImage
export CF_VM_KROOT=$DIR/root
export CF_VM_KCACHE=$DIR
[ -n "${KOD:-}" ] && export CF_MODULE=$KOD/camfence.ko
export CF_VM_MEM=${CF_VM_MEM:-4096}
export CF_TEST_TIMEOUT_SCALE=${CF_TEST_TIMEOUT_SCALE:-4}
export CF_BIG_DEVICES=${CF_BIG_DEVICES:-20000}
export CF_VM_APPEND="${CF_VM_APPEND:-} rcupdate.rcu_cpu_stall_timeout=300"
log "running the VM tests on $CF_KVER (memory ${CF_VM_MEM} MB, timeouts x$CF_TEST_TIMEOUT_SCALE, large policies $CF_BIG_DEVICES devices)"
"$CF_TOP/tests/run" --vm-only "$@"
