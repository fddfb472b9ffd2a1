#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/sysboot/run.sh [--rebuild] [--keep] [--timeout S]
#
# make check-deploy: camfence on a real Debian 12 router that boots with
# systemd (not the test harness's busybox init).
#
#   1. base root (cached): mmdebstrap --variant=minbase bookworm with systemd,
#      the Debian kernel and its headers, dkms, iproute2, nftables, ping and
#      ansible-core, from the machine's Debian mirror (as tests/fresh/run.sh).
#   2. the router image (cached per input hash): the base root unpacked, the
#      project's camfence-dkms and camfence-tools packages (make deb) installed
#      with `apt-get install ./*.deb` in a chroot, so DKMS builds the module
#      for the image's kernel as on a router; the router's own configuration
#      (systemd-networkd: bridge br0 with VLAN 20 for the cameras, an uplink;
#      /etc/modprobe.d/camfence.conf sealing VLAN 20; the site policy) and the
#      test units of tests/sysboot/guest/; then an ext4 disk image made with
#      `mke2fs -d` (no loop mount), and the kernel and initramfs taken from the
#      root.
#   3. boot: QEMU (TCG) on a throw-away qcow2 overlay, the image's own kernel
#      and initramfs, no NIC (cameras, NVR and "internet" are network
#      namespaces in the guest).  The guest's test units run the checks,
#      reboot once, run the second half (the reboot, package upgrade and downgrade, the Ansible role, package
#      removal and purge) and power off.  They write TAP lines to the second
#      serial port; this script prints them, times the phases, and fails
#      unless every phase reported and no check failed.
#
#   --rebuild     rebuild the base root and the image
#   --keep        keep the overlay and the logs of this run in .cache/deploy/run/
#   --timeout S   stop the guest after S seconds (default 7200: the guest took 3,123 s at host load 5-11
#                 and 5,143 s at load 6-7 beside the debug lane)
#
# Needs root (mmdebstrap --mode=root, chroot for apt-get/dkms; the boot itself
# does not).  Cache: .cache/deploy/ (CF_DEPLOY_CACHE).
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
SELF=$TOP/tests/sysboot/run.sh
GUEST=$TOP/tests/sysboot/guest
CACHE=${CF_DEPLOY_CACHE:-$TOP/.cache/deploy}
SUITE=bookworm
IMG_SIZE=${CF_DEPLOY_IMG_SIZE:-4G}
MEM=${CF_DEPLOY_MEM:-1536}

die() { echo "deploy: error: $*" >&2; exit 1; }
log() { echo "deploy: $*"; }

ARGS=("$@")
REBUILD=0 KEEP=0 TIMEOUT=7200
while [ $# -gt 0 ]; do
	case "$1" in
	--rebuild) REBUILD=1; shift ;;
	--keep) KEEP=1; shift ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	-h|--help) sed -n '4,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1'" ;;
	esac
done
[ "$(id -u)" -eq 0 ] || die "needs root (mmdebstrap --mode=root, chroot)"

# The image build mounts proc/sys/dev in the chroot: do it in a private mount
# namespace so that nothing can be left mounted on the host.
if [ -z "${CF_DEPLOY_IN_NS:-}" ]; then
	CF_DEPLOY_IN_NS=1 exec unshare --mount --propagation private -- "$SELF" "${ARGS[@]}"
fi

mkdir -p "$CACHE/logs"
STAMP=$(date -u +%Y%m%d-%H%M%S)-$$
LOG=$CACHE/logs/$STAMP.log
exec > >(tee -a "$LOG") 2>&1
log "log: $LOG"

PHASES=()
T_ALL=$(date +%s)
phase_done() { PHASES+=("$(printf '%-52s %5d s' "$1" "$2")"); }
summary() {
	local p
	log "phase times:"
	for p in "${PHASES[@]}"; do log "  $p"; done
	log "  $(printf '%-52s %5d s' total $(($(date +%s) - T_ALL)))"
}

# ---- the machine's Debian mirror (the same rules as tests/fresh/run.sh) ----------
debian_sources() {
	local f
	{
		for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
			[ -f "$f" ] && sed -n 's/^[[:space:]]*\(deb[[:space:]].*\)$/\1/p' "$f"
		done
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -f "$f" ] || continue
			awk -v RS= '
			{
				types = uris = suites = comps = sb = ""; enabled = "yes"
				n = split($0, l, "\n")
				for (i = 1; i <= n; i++) {
					if (l[i] ~ /^#/) continue
					k = tolower(l[i]); sub(/:.*/, "", k)
					v = l[i]; sub(/^[^:]*:[[:space:]]*/, "", v)
					if (k == "types") types = v
					else if (k == "uris") uris = v
					else if (k == "suites") suites = v
					else if (k == "components") comps = v
					else if (k == "signed-by") sb = v
					else if (k == "enabled") enabled = tolower(v)
				}
				if (enabled == "no") next
				nt = split(types, T, /[[:space:]]+/)
				nu = split(uris, U, /[[:space:]]+/)
				ns = split(suites, S, /[[:space:]]+/)
				for (a = 1; a <= nt; a++) for (b = 1; b <= nu; b++) for (c = 1; c <= ns; c++)
					printf "%s %s%s %s %s\n", T[a], (sb == "" ? "" : "[signed-by=" sb "] "), U[b], S[c], comps
			}' "$f"
		done
	} | awk -v suite="$SUITE" '
		$1 != "deb" { next }
		{
			opts = ""; i = 2
			if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) { opts = opts $i " "; i++ }; opts = opts $i " "; i++ }
			uri = $i; s = $(i + 1); main = 0
			for (j = i + 2; j <= NF; j++) if ($j == "main") main = 1
			if (s !~ "^" suite "(-updates|-security|-backports)?$" || !main) next
			if (opts ~ /signed-by=/ && opts !~ /signed-by=\/usr\/share\/keyrings\/debian-archive-keyring\.gpg/) next
			print
		}' | awk '!seen[$0]++'
}
apt_options() {
	local k v
	for k in Acquire::Check-Valid-Until Acquire::Check-Date Acquire::http::Proxy Acquire::https::Proxy; do
		v=$(apt-config dump "$k" 2>/dev/null | sed -n "s|^$k \"\(.*\)\";\$|\1|p" | head -n 1)
		[ -n "$v" ] && printf '%s "%s";\n' "$k" "$v"
	done
	return 0
}
if [ -n "${CF_FRESH_SOURCES:-}" ]; then
	SOURCES=$(cat "$CF_FRESH_SOURCES")
else
	SOURCES=$(debian_sources)
fi
[ -n "$SOURCES" ] || die "no Debian $SUITE entry with main in /etc/apt/sources.list* (set CF_FRESH_SOURCES)"
APTOPTS=$(apt_options)

for t in mmdebstrap mke2fs qemu-system-x86_64 qemu-img dpkg-buildpackage; do
	command -v "$t" >/dev/null || die "$t not found (tests/vm/deps.sh installs it)"
done

exec 9>"$CACHE/.lock"
flock 9

# ---- 1. the base root ----------------------------------------------------------------
# A router's packages; no camfence yet.  ansible-core and python3-apt (its apt
# module) for the role's test.
BASE_PKGS="systemd-sysv udev dbus kmod linux-image-amd64 linux-headers-amd64 dkms gcc make
	iproute2 nftables iputils-ping procps ansible-core python3 python3-apt e2fsprogs"
build_base() { # OUT SOURCES_FILE APTOPTS_FILE DEBCACHE
	mmdebstrap --mode=root --variant=minbase --format=tar --aptopt="$3" \
		--include="$(echo $BASE_PKGS | tr ' ' ,)" \
		--skip=download/empty \
		--setup-hook="mkdir -p \"\$1/var/cache/apt/archives\"; cp -l $4/*.deb \"\$1/var/cache/apt/archives/\" 2>/dev/null || true" \
		--customize-hook="rm -rf $4.new; mkdir -p $4.new; cp -l \"\$1\"/var/cache/apt/archives/*.deb $4.new/ 2>/dev/null || true" \
		"$SUITE" "$1" "$2"
}
BASE_KEY=$( { echo "$SUITE $BASE_PKGS"; echo "$SOURCES"; echo "$APTOPTS"; mmdebstrap --version
	declare -f build_base; } | sha256sum | cut -c1-12)
BASE_TAR=$CACHE/base-$SUITE-$BASE_KEY.tar
t0=$(date +%s)
if [ -f "$BASE_TAR" ] && [ "$REBUILD" = 0 ]; then
	log "base root: reusing $BASE_TAR"; how=cached
else
	log "base root: mmdebstrap --variant=minbase $SUITE + $(echo $BASE_PKGS)"
	rm -rf "$CACHE"/base.tmp.*
	tmpd=$(mktemp -d "$CACHE/base.tmp.XXXXXX")
	printf '%s\n' "$SOURCES" > "$tmpd/sources.list"
	printf '%s\n' "$APTOPTS" > "$tmpd/apt.conf"
	mkdir -p "$CACHE/debs"
	build_base "$tmpd/base.tar" "$tmpd/sources.list" "$tmpd/apt.conf" "$CACHE/debs" ||
		{ rm -rf "$tmpd"; die "mmdebstrap failed"; }
	if compgen -G "$CACHE/debs.new/*.deb" >/dev/null; then
		rm -rf "$CACHE/debs"; mv "$CACHE/debs.new" "$CACHE/debs"
	fi
	mv "$tmpd/base.tar" "$BASE_TAR"
	rm -rf "$tmpd"
	find "$CACHE" -maxdepth 1 -name 'base-*.tar' ! -path "$BASE_TAR" -delete
	log "base root: $BASE_TAR ($(du -h "$BASE_TAR" | cut -f1))"; how=built
fi
phase_done "base root ($how)" $(($(date +%s) - t0))
[ "${CF_DEPLOY_BASE_ONLY:-0}" = 1 ] && { summary; exit 0; }

# ---- 2. the router image ---------------------------------------------------------------
# Inputs: the base root, the packaging inputs of make deb (the files it copies:
# tracked and new files of the tree), the guest files and the Ansible role.
deb_inputs() {
	(cd "$TOP" && git ls-files -z --cached --others --exclude-standard -- \
		kmod userspace-ctl debian mk/install.mk deploy dkms.conf Kbuild VERSION docs/deploy.md examples |
		sort -z | xargs -0 sha256sum 2>/dev/null)
}
guest_inputs() {
	(cd "$TOP" && find tests/sysboot/guest tests/sysboot/ansible deploy/ansible deploy/modprobe.d -type f 2>/dev/null |
		sort | xargs sha256sum)
}
# The second version for the upgrade and downgrade checks: the same tree
# built the way make deb builds it (the same files, dpkg-buildpackage -b) with
# VERSION and a changelog entry changed in the copy only.
V1=$(cat "$TOP/VERSION")
V2=$V1+test1
DEB2_DIR=$TOP/build/deb-v2
build_deb_v2() {
	local d=$DEB2_DIR/camfence-$V2
	rm -rf "$DEB2_DIR"
	mkdir -p "$d"
	(cd "$TOP" && git ls-files -z --cached --others --exclude-standard |
		tar --null -T - --ignore-failed-read -cf -) | tar -C "$d" -xf -
	echo "$V2" > "$d/VERSION"
	{
		printf 'camfence (%s) unstable; urgency=medium\n\n' "$V2"
		printf '  * check-deploy: the upgrade and downgrade test version.\n\n'
		printf ' -- camfence developers <camfence@example.org>  %s\n\n' "$(dpkg-parsechangelog -l "$TOP/debian/changelog" -S Date)"
		cat "$TOP/debian/changelog"
	} > "$d/debian/changelog"
	[ "$(cd "$d" && dpkg-parsechangelog -S Version)" = "$V2" ] || return 1
	(cd "$d" && dpkg-buildpackage -us -uc -b)
	ls "$DEB2_DIR/camfence-dkms_${V2}_all.deb" "$DEB2_DIR/camfence-tools_${V2}_amd64.deb"
}
# the recipes below (build_image) are part of the key too
build_image() { # ROOT_DIR
	local r=$1 kv
	tar -C "$r" --numeric-owner -xpf "$BASE_TAR"
	cp -L /etc/resolv.conf "$r/etc/resolv.conf" 2>/dev/null || true
	printf '#!/bin/sh\nexit 101\n' > "$r/usr/sbin/policy-rc.d"
	chmod 755 "$r/usr/sbin/policy-rc.d"
	mkdir -p "$r/tmp/debs"
	cp "$DEB_DIR"/camfence-dkms_*.deb "$DEB_DIR"/camfence-tools_*_amd64.deb "$r/tmp/debs/"
	mount -t proc proc "$r/proc"
	mount -t sysfs sysfs "$r/sys"
	mount --bind /dev "$r/dev"
	mount --bind /dev/pts "$r/dev/pts"
	# As on a router: apt-get install ./*.deb; DKMS builds the module for
	# the image's kernel (the newest in /lib/modules).
	# (mmdebstrap removed the package lists: the libraries camfence-tools
	# needs come from the mirror)
	chroot "$r" apt-get update -q
	chroot "$r" sh -c 'cd /tmp/debs && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ./*.deb'
	kv=$(ls "$r/lib/modules")	# the one kernel of the base: the one the image boots
	[ "$(echo "$kv" | wc -w)" = 1 ] || { echo "more than one kernel in the base: $kv" >&2; return 1; }
	[ -f "$r/lib/modules/$kv/updates/dkms/camfence.ko" ] ||
		{ echo "no camfence.ko for $kv in the image" >&2; return 1; }
	# A kernel installed after camfence (a kernel upgrade): the kernel's
	# postinst hook runs DKMS for it.  Debian's cloud flavour is a second
	# kernel release of the same ABI; the guest checks its module.
	chroot "$r" sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q linux-image-cloud-amd64 linux-headers-cloud-amd64'
	chroot "$r" dkms status camfence
	umount "$r/dev/pts" "$r/dev" "$r/sys" "$r/proc"
	# the router's configuration
	install -m 644 "$GUEST"/network/* "$r/etc/systemd/network/"
	install -m 644 "$TOP/deploy/modprobe.d/camfence.conf" "$r/etc/modprobe.d/camfence.conf"
	install -m 644 "$GUEST/camfence.conf" "$r/etc/camfence/camfence.conf"
	printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' > "$r/etc/fstab"
	echo cfrouter > "$r/etc/hostname"
	printf '127.0.0.1 localhost\n127.0.1.1 cfrouter\n' > "$r/etc/hosts"
	echo 5c6a1f3e0d2b4c7a9e8f1a2b3c4d5e6f > "$r/etc/machine-id"
	chroot "$r" passwd -dq root
	# the tests
	install -d "$r/usr/local/lib/cftest" "$r/usr/local/share/cftest"
	install -m 755 "$GUEST"/lib/* "$r/usr/local/lib/cftest/"
	install -m 644 "$GUEST/backstop.nft" "$r/usr/local/lib/cftest/"
	install -m 644 "$GUEST"/units/* "$r/etc/systemd/system/"
	if [ -d "$TOP/deploy/ansible" ]; then
		cp -a "$TOP/deploy/ansible" "$r/usr/local/share/cftest/ansible"
		cp -a "$TOP/tests/sysboot/ansible" "$r/usr/local/share/cftest/ansible-test"
	fi
	cp "$r"/tmp/debs/*.deb "$r/usr/local/share/cftest/"
	install -d "$r/usr/local/share/cftest/v2"
	cp "$DEB2_DIR/camfence-dkms_${V2}_all.deb" "$DEB2_DIR/camfence-tools_${V2}_amd64.deb" \
		"$r/usr/local/share/cftest/v2/"
	printf 'V1=%s\nV2=%s\n' "$V1" "$V2" > "$r/usr/local/share/cftest/versions"
	chroot "$r" systemctl enable -q camfenced systemd-networkd cftest-early cftest-ready cftest
	chroot "$r" systemctl mask -q systemd-networkd-wait-online.service
	# the package lists go again (as mmdebstrap left them): the router has no
	# mirror, and python3-apt (Ansible's apt module) reads them all on every
	# task, minutes under TCG
	rm -rf "$r/tmp/debs" "$r/usr/sbin/policy-rc.d" "$r"/var/cache/apt/archives/*.deb \
		"$r"/var/lib/apt/lists/*_Packages "$r"/var/lib/apt/lists/*_Release* "$r"/var/lib/apt/lists/*_InRelease \
		"$r"/var/cache/apt/*.bin
	echo "$kv" > "$r/../kver"
}
t0=$(date +%s)
DEB_DIR=$TOP/build/deb
IMG_KEY=$( { echo "$BASE_TAR"; deb_inputs; guest_inputs; declare -f build_deb_v2 build_image; echo "$IMG_SIZE $V2"; } |
	sha256sum | cut -c1-12)
IMG=$CACHE/router-$IMG_KEY
if [ -f "$IMG/.done" ] && [ "$REBUILD" = 0 ]; then
	log "image: reusing $IMG"; how=cached
else
	log "image: make deb, and the second version's packages ($V2, for the upgrade and downgrade)"
	# two independent builds in two directories: side by side
	build_deb_v2 >"$CACHE/logs/$STAMP-deb-v2.log" 2>&1 &
	pid_v2=$!
	make -C "$TOP" -s deb >"$CACHE/logs/$STAMP-deb.log" 2>&1 || { wait "$pid_v2"; die "make deb failed (see $CACHE/logs/$STAMP-deb.log)"; }
	wait "$pid_v2" || die "building the $V2 packages failed (see $CACHE/logs/$STAMP-deb-v2.log)"
	rm -rf "$CACHE"/router-*
	mkdir -p "$IMG/root"
	log "image: unpack the base root, apt-get install ./camfence-*.deb (DKMS), the router's configuration"
	# Not called from a condition, so that errexit applies inside: a failing
	# step ends the run (the mounts die with this mount namespace).
	log "image: build log $CACHE/logs/$STAMP-image.log"
	build_image "$IMG/root" > "$CACHE/logs/$STAMP-image.log" 2>&1
	kv=$(cat "$IMG/kver")
	cp "$IMG/root/boot/vmlinuz-$kv" "$IMG/vmlinuz"
	cp "$IMG/root/boot/initrd.img-$kv" "$IMG/initrd.img"
	log "image: mke2fs -t ext4 -d ($IMG_SIZE)"
	mke2fs -q -t ext4 -L cfroot -d "$IMG/root" "$IMG/disk.img" "$IMG_SIZE" || die "mke2fs failed"
	rm -rf "$IMG/root"
	touch "$IMG/.done"
	how=built
fi
KV=$(cat "$IMG/kver")
log "image: $IMG (kernel $KV, $(du -h "$IMG/disk.img" | cut -f1) used of $IMG_SIZE)"
phase_done "router image ($how: debs, DKMS, config, mke2fs -d)" $(($(date +%s) - t0))
flock -u 9

# ---- 3. boot ------------------------------------------------------------------------------
RUN=$CACHE/run
rm -rf "$RUN"
mkdir -p "$RUN"
qemu-img create -q -f qcow2 -F raw -b "$IMG/disk.img" "$RUN/overlay.qcow2"
: > "$RUN/results.log"
: > "$RUN/console.log"
QPID=
cleanup() {
	local rc=$?
	[ -n "$QPID" ] && kill "$QPID" 2>/dev/null
	if [ "$rc" -ne 0 ] || [ "$KEEP" = 1 ]; then
		mkdir -p "$CACHE/logs/$STAMP"
		cp "$RUN"/*.log "$CACHE/logs/$STAMP/" 2>/dev/null
		log "guest console and results: $CACHE/logs/$STAMP/"
	fi
	[ "$KEEP" = 1 ] || rm -f "$RUN/overlay.qcow2"
	summary
	if [ "$rc" -eq 0 ]; then log "PASS"; else log "FAIL"; fi
	ls -1dt "$CACHE"/logs/* 2>/dev/null | tail -n +31 | xargs -r rm -rf
	exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

log "boot: QEMU (TCG), kernel $KV, ${MEM} MB"
T_BOOT=$(date +%s)
qemu-system-x86_64 -machine q35 -m "$MEM" -smp 2 -display none -monitor none \
	-kernel "$IMG/vmlinuz" -initrd "$IMG/initrd.img" \
	-append "root=/dev/vda rw console=ttyS0 no_timer_check systemd.show_status=1 loglevel=5" \
	-drive file="$RUN/overlay.qcow2",if=virtio,format=qcow2,cache=unsafe \
	-serial file:"$RUN/console.log" -serial file:"$RUN/results.log" \
	-nic none &
QPID=$!

# Follow the results; time the phases by the guest's marks.
declare -A MARK_T=()
printed=0
while kill -0 "$QPID" 2>/dev/null; do
	if [ $(($(date +%s) - T_BOOT)) -ge "$TIMEOUT" ]; then
		log "timeout after $TIMEOUT s"
		kill "$QPID"
		break
	fi
	n=$(wc -l < "$RUN/results.log")
	if [ "$n" -gt "$printed" ]; then
		sed -n "$((printed + 1)),${n}p" "$RUN/results.log" | tr -d '\r' | while IFS= read -r l; do
			echo "  $l"
		done
		printed=$n
	fi
	sleep 1
done
wait "$QPID" 2>/dev/null || true
QPID=
tr -d '\r' < "$RUN/results.log" | sed -n "$((printed + 1)),\$p" | sed 's/^/  /'
T_END=$(date +%s)

# Phases from the marks (host receive times are approximated by the guest's
# uptime for each boot).
RES=$(tr -d '\r' < "$RUN/results.log")
mark_up() { printf '%s\n' "$RES" | sed -n "s/^CFTEST MARK $1 uptime=\([0-9.]*\).*/\1/p" | head -n 1 | cut -d. -f1; }
for m in early-boot1 main-boot1 reboot early-boot2 main-boot2 upgrade ansible purge end; do
	MARK_T[$m]=$(mark_up "$m")
done
[ -n "${MARK_T[early-boot1]}" ] && phase_done "boot 1: kernel to modules-load (guest uptime)" "${MARK_T[early-boot1]}"
[ -n "${MARK_T[main-boot1]}" ] && phase_done "boot 1: to the test unit (guest uptime)" "${MARK_T[main-boot1]}"
[ -n "${MARK_T[reboot]}" ] && phase_done "boot 1: tests" $((MARK_T[reboot] - MARK_T[main-boot1]))
[ -n "${MARK_T[main-boot2]}" ] && phase_done "boot 2: to the test unit (guest uptime)" "${MARK_T[main-boot2]}"
[ -n "${MARK_T[upgrade]}" ] && phase_done "boot 2: after-reboot checks" $((MARK_T[upgrade] - MARK_T[main-boot2]))
[ -n "${MARK_T[ansible]}" ] && [ -n "${MARK_T[upgrade]}" ] &&
	phase_done "boot 2: package upgrade and downgrade (DKMS x4)" $((MARK_T[ansible] - MARK_T[upgrade]))
[ -n "${MARK_T[purge]}" ] && [ -n "${MARK_T[ansible]}" ] && phase_done "boot 2: Ansible role (5 playbook runs)" $((MARK_T[purge] - MARK_T[ansible]))
[ -n "${MARK_T[end]}" ] && [ -n "${MARK_T[purge]}" ] && phase_done "boot 2: remove and purge" $((MARK_T[end] - MARK_T[purge]))
phase_done "QEMU, both boots, wall clock" $((T_END - T_BOOT))

# ---- verdict ---------------------------------------------------------------------------------
pass=$(printf '%s\n' "$RES" | grep -c '^ok - ' || true)
fail=$(printf '%s\n' "$RES" | grep -c '^not ok - ' || true)
missing=()
for m in early-boot1 ready-boot1 main-boot1 reboot early-boot2 ready-boot2 main-boot2 upgrade ansible purge end; do
	printf '%s\n' "$RES" | grep -q "^CFTEST MARK $m " || missing+=("$m")
done
log "checks: $pass passed, $fail failed"
[ ${#missing[@]} -eq 0 ] || log "phases that never reported: ${missing[*]}"
KPAT='Kernel panic|BUG: |Oops: |WARNING: CPU|Call Trace'
if grep -qE "$KPAT" "$RUN/console.log"; then
	log "the guest kernel reported a problem:"; grep -E "$KPAT" "$RUN/console.log" | head -5
	fail=$((fail + 1))
fi
[ "$fail" -eq 0 ] && [ ${#missing[@]} -eq 0 ] && [ "$pass" -gt 0 ]
