#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/fresh/run.sh [--rev REV] [--demo-only] [--keep]
#
# make check-fresh: the README's Quick start on a truly fresh Debian 12
# machine.  Builds a minimal Debian 12 root with mmdebstrap (bookworm, variant
# minbase: the Essential and Priority:required packages plus apt, the least any
# Debian 12 installation has), unpacks it into a scratch directory, copies a
# clean `git archive REV` of this tree to /root/camfence in it, and runs the
# command lines of the README's Quick start block (as written there, comments
# stripped) one by one in a chroot as root, from /root/camfence, with a login
# shell's environment.  Fails when one of them fails; prints the time of each
# phase.
#
#   --rev REV     the commit to test (default HEAD; uncommitted changes are
#                 never tested)
#   --demo-only   stop after the `make demo` line
#   --keep        keep the scratch root (mounts are still removed)
#
# The root tarball is cached in .cache/fresh/ under a name holding the day and
# a hash of its inputs (suite, variant, the apt sources and options, the
# mmdebstrap version, the recipe below): it is rebuilt once a day or when an
# input changes.  The Debian mirror is the machine's own (the bookworm entries
# of /etc/apt/sources.list*, or the file CF_FRESH_SOURCES), with its
# Acquire::Check-Valid-Until / Check-Date / proxy settings; the host's apt
# configuration is only read.  The .deb files the chroot downloaded are kept in
# .cache/fresh/debs/ and put back into the next root's apt cache (they only
# spare the download: apt checks each against the index, and every package is
# still installed from scratch); CF_FRESH_DEB_CACHE=0 downloads everything.
#
# Runs in a private mount namespace (unshare), so no mount ever reaches the
# host; the EXIT trap kills what still runs in the chroot, unmounts everything
# under the scratch root and deletes it.  The whole output also goes to
# .cache/fresh/logs/<time>.log; after a failure the guests' kernel logs are
# copied to .cache/fresh/logs/<time>-vmlogs/.  Needs root.

# shellcheck disable=SC2317  # functions called from the traps
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
SELF=$TOP/tests/fresh/run.sh
CACHE=${CF_FRESH_CACHE:-$TOP/.cache/fresh}
SUITE=bookworm
VARIANT=minbase
TREE=/root/camfence

die() { echo "fresh: error: $*" >&2; exit 1; }
log() { echo "fresh: $*"; }

ARGS=("$@")	# for the re-exec below (the loop shifts them away)
REV=HEAD
DEMO_ONLY=0
KEEP=0
while [ $# -gt 0 ]; do
	case "$1" in
	--rev) [ $# -ge 2 ] || die "--rev needs a commit"; REV=$2; shift 2 ;;
	--demo-only) DEMO_ONLY=1; shift ;;
	--keep) KEEP=1; shift ;;
	-h|--help) sed -n '4,/^$/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1' (see $0 --help)" ;;
	esac
done

[ "$(id -u)" -eq 0 ] || die "needs root (mmdebstrap --mode=root, chroot, mounts)"

# Everything below runs in a private mount namespace: the chroot's mounts
# (and those its tests make, e.g. ip netns) vanish with it, whatever happens.
if [ -z "${CF_FRESH_IN_NS:-}" ]; then
	command -v unshare >/dev/null || die "unshare not found (util-linux)"
	CF_FRESH_IN_NS=1 exec unshare --mount --propagation private -- "$SELF" "${ARGS[@]}"
fi

COMMIT=$(git -C "$TOP" rev-parse --verify -q "$REV^{commit}") || die "'$REV' is not a commit of $TOP"
mkdir -p "$CACHE/logs"
STAMP=$(date -u +%Y%m%d-%H%M%S)-$$
LOG=$CACHE/logs/$STAMP.log
exec > >(tee -a "$LOG") 2>&1
log "testing commit $(git -C "$TOP" log -1 --format='%h %s' "$COMMIT")"
log "log: $LOG"

# ---- timings -------------------------------------------------------------------
PHASES=()
T_ALL=$(date +%s)
fmt_secs() { printf '%d s (%d.%d min)' "$1" $(($1 / 60)) $(($1 % 60 * 10 / 60)); }
phase_done() { PHASES+=("$(printf '%-58s %s' "$1" "$(fmt_secs "$2")")"); }
summary() {
	local p
	log "phase times:"
	for p in "${PHASES[@]}"; do
		log "  $p"
	done
	log "  $(printf '%-58s %s' total "$(fmt_secs $(($(date +%s) - T_ALL)))")"
}

# ---- the machine's Debian mirror -----------------------------------------------
# debian_sources: the host's bookworm entries of the Debian archive as
# one-line sources.list entries (deb822 stanzas converted).  Only entries whose
# key the fresh root has (no Signed-By, or Debian's archive keyring).
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

# apt_options: the host's settings the chroot's apt needs to reach that mirror.
apt_options() {
	local k v
	for k in Acquire::Check-Valid-Until Acquire::Check-Date Acquire::http::Proxy Acquire::https::Proxy; do
		v=$(apt-config dump "$k" 2>/dev/null | sed -n "s|^$k \"\(.*\)\";\$|\1|p" | head -n 1)
		[ -n "$v" ] && printf '%s "%s";\n' "$k" "$v"
	done
	return 0
}

if [ -n "${CF_FRESH_SOURCES:-}" ]; then
	[ -f "$CF_FRESH_SOURCES" ] || die "CF_FRESH_SOURCES=$CF_FRESH_SOURCES: no such file"
	SOURCES=$(cat "$CF_FRESH_SOURCES")
else
	SOURCES=$(debian_sources)
fi
[ -n "$SOURCES" ] || die "no Debian $SUITE entry with main in /etc/apt/sources.list* (set CF_FRESH_SOURCES to a sources.list file)"
APTOPTS=$(apt_options)

# ---- 1. the root tarball ---------------------------------------------------------
if ! command -v mmdebstrap >/dev/null; then
	log "installing mmdebstrap on the host"
	apt-get install -y -qq mmdebstrap >/dev/null 2>&1 ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap; } ||
		die "apt-get install mmdebstrap failed"
fi

# The recipe: the mmdebstrap call.  Editing it changes the key.
build_root() { # OUT SOURCES_FILE APTOPTS_FILE
	mmdebstrap --mode=root --variant="$VARIANT" --format=tar \
		--aptopt="$3" "$SUITE" "$1" "$2"
}
KEY=$( {
	echo "$SUITE $VARIANT"
	echo "$SOURCES"
	echo "$APTOPTS"
	mmdebstrap --version
	declare -f build_root
} | sha256sum | cut -c1-12)
ROOT_TAR=$CACHE/root-$SUITE-$VARIANT-$(date -u +%Y%m%d)-$KEY.tar

t0=$(date +%s)
exec 9>"$CACHE/.lock"
flock 9
if [ -f "$ROOT_TAR" ]; then
	log "root: reusing $ROOT_TAR"
	how="cached"
else
	rm -rf "$CACHE"/root.tmp.*	# an interrupted build's (the lock is ours)
	log "root: mmdebstrap --variant=$VARIANT $SUITE, sources:"
	printf '%s\n' "$SOURCES" | sed 's/^/fresh:   /'
	[ -n "$APTOPTS" ] && printf '%s\n' "$APTOPTS" | sed 's/Proxy ".*"/Proxy "(set)"/; s/^/fresh:   apt: /'
	tmpd=$(mktemp -d "$CACHE/root.tmp.XXXXXX")
	printf '%s\n' "$SOURCES" > "$tmpd/sources.list"
	printf '%s\n' "$APTOPTS" > "$tmpd/apt.conf"
	build_root "$tmpd/root.tar" "$tmpd/sources.list" "$tmpd/apt.conf" ||
		{ rm -rf "$tmpd"; die "mmdebstrap failed"; }
	mv "$tmpd/root.tar" "$ROOT_TAR"
	rm -rf "$tmpd"
	find "$CACHE" -maxdepth 1 -name 'root-*.tar' ! -path "$ROOT_TAR" -delete
	log "root: $ROOT_TAR ($(du -h "$ROOT_TAR" | cut -f1))"
	how="built"
fi
flock -u 9
phase_done "root ($how: mmdebstrap --variant=$VARIANT $SUITE)" $(($(date +%s) - t0))

# ---- 2. the scratch root ------------------------------------------------------------
# Scratch roots of runs that died without their EXIT trap (SIGKILL): their
# mounts died with their namespace, only the files are left.
for d in "$CACHE"/run.*; do
	[ -d "$d" ] || continue
	p=$(cat "$d/pid" 2>/dev/null || echo 0)
	if [ "$p" -gt 0 ] && ! kill -0 "$p" 2>/dev/null; then
		log "removing the scratch root of a dead run: $d"
		rm -rf --one-file-system "$d"
	fi
done

RUN=
R=
CHILD=
CUR=		# the Quick start line running, and since when
CUR_T0=
# chroot_pids: every process whose root is the scratch root (the commands run
# there, their guests).
chroot_pids() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$R" ] && echo "${p#/proc/}"
	done
	return 0
}
# mounts_under: mount points at or below the scratch root, deepest first.
mounts_under() {
	awk -v r="$R" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}
cleanup() {
	local rc=$? pids m left t0
	set +e
	trap - EXIT INT TERM
	[ -n "$CUR" ] && phase_done "$CUR (unfinished)" $(($(date +%s) - CUR_T0))
	if [ -n "$R" ]; then
		t0=$(date +%s)
		pids=$(chroot_pids)
		if [ -n "$pids" ]; then
			log "stopping what still runs in the chroot: ${pids//$'\n'/ }"
			# shellcheck disable=SC2086
			kill $pids 2>/dev/null
			for _ in $(seq 20); do
				[ -z "$(chroot_pids)" ] && break
				sleep 0.5
			done
			pids=$(chroot_pids)
			# shellcheck disable=SC2086
			[ -n "$pids" ] && kill -9 $pids 2>/dev/null && sleep 1
		fi
		[ -n "$CHILD" ] && wait "$CHILD" 2>/dev/null
		for _ in 1 2 3; do
			for m in $(mounts_under); do
				umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
			done
			[ -z "$(mounts_under)" ] && break
		done
		left=$(mounts_under)
		# On failure keep the guests' kernel logs (vmrun names them by their
		# path in the chroot).
		if [ "$rc" -ne 0 ] && compgen -G "$R$TREE/.cache/vm/logs/*" >/dev/null; then
			mkdir -p "$CACHE/logs/$STAMP-vmlogs"
			cp -a "$R$TREE"/.cache/vm/logs/. "$CACHE/logs/$STAMP-vmlogs/"
			log "guest kernel logs ($TREE/.cache/vm/logs in the chroot): $CACHE/logs/$STAMP-vmlogs/"
		fi
		# Keep the downloaded packages for the next run (the set this run used).
		if [ "${CF_FRESH_DEB_CACHE:-1}" != 0 ] && [ -z "$left" ] &&
		   compgen -G "$R/var/cache/apt/archives/*.deb" >/dev/null; then
			flock 9
			rm -rf "$CACHE/debs.new"
			mkdir -p "$CACHE/debs.new"
			cp -l "$R"/var/cache/apt/archives/*.deb "$CACHE/debs.new/" 2>/dev/null ||
				cp "$R"/var/cache/apt/archives/*.deb "$CACHE/debs.new/"
			rm -rf "$CACHE/debs"
			mv "$CACHE/debs.new" "$CACHE/debs"
			flock -u 9
		fi
		if [ -n "$left" ]; then
			log "error: still mounted, $R is kept: ${left//$'\n'/ }"
			rc=1
		elif [ "$KEEP" = 1 ]; then
			log "scratch root kept: $R"
		else
			rm -rf --one-file-system "$RUN"
		fi
		phase_done "cleanup (stop, unmount, keep the .debs, delete the root)" $(($(date +%s) - t0))
	fi
	summary
	if [ "$rc" -eq 0 ] && [ "$DEMO_ONLY" = 1 ]; then
		log "PASS (--demo-only: make check not run)"
	elif [ "$rc" -eq 0 ]; then
		log "PASS"
	else
		log "FAIL"
	fi
	# keep the 20 newest logs
	# shellcheck disable=SC2012
	ls -1t "$CACHE"/logs/*.log 2>/dev/null | tail -n +21 | xargs -r rm -f
	for m in "$CACHE"/logs/*-vmlogs; do
		[ -d "$m" ] && [ ! -f "${m%-vmlogs}.log" ] && rm -rf "$m"
	done
	exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

t0=$(date +%s)
RUN=$(mktemp -d "$CACHE/run.XXXXXX")
case "$RUN" in *[[:space:]]*) die "scratch path with white space: $RUN" ;; esac
echo $$ > "$RUN/pid"
R=$RUN/root
mkdir -m 755 "$R"
tar -C "$R" --numeric-owner -xpf "$ROOT_TAR"
cp -L /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null || log "warning: no /etc/resolv.conf to copy"
# No service may start inside the chroot (a package's postinst would leave a
# daemon behind): the usual policy-rc.d of chroots.
printf '#!/bin/sh\nexit 101\n' > "$R/usr/sbin/policy-rc.d"
chmod 755 "$R/usr/sbin/policy-rc.d"
if [ "${CF_FRESH_DEB_CACHE:-1}" != 0 ] && compgen -G "$CACHE/debs/*.deb" >/dev/null; then
	cp -l "$CACHE"/debs/*.deb "$R/var/cache/apt/archives/" 2>/dev/null ||
		cp "$CACHE"/debs/*.deb "$R/var/cache/apt/archives/"
	log "apt cache: $(find "$CACHE/debs" -name '*.deb' | wc -l) .deb files from earlier runs"
fi
mkdir -p "$R$TREE"
git -C "$TOP" archive --format=tar "$COMMIT" | tar -C "$R$TREE" -xf -
# The root must be a mount point, as / is on a real machine: `ip netns exec`
# (the host tests 00-lib and 01-cftraffic) runs `mount --make-rslave /`, which
# fails with EINVAL in a chroot whose / is a plain directory (seen 2026-12-06
# on 14df676: the lane's only two failures).  First, so the mounts below land
# on the bind, not under it.
mount --bind "$R" "$R"
mount -t proc proc "$R/proc"
mount -t sysfs sysfs "$R/sys"
mount --bind /dev "$R/dev"
mount --bind /dev/pts "$R/dev/pts"
mount -t tmpfs -o mode=1777 tmpfs "$R/dev/shm"
phase_done "setup (unpack the root, git archive $(git -C "$TOP" rev-parse --short "$COMMIT"), mounts)" $(($(date +%s) - t0))

# ---- 3. the README's Quick start -------------------------------------------------------
# The command lines of the first code block after "## Quick start" in the
# tested commit's README, comments stripped.
mapfile -t CMDS < <(awk '/^## Quick start/ { q = 1; next }
	q && /^```/ { if (b) exit; b = 1; next }
	b' "$R$TREE/README.md" | sed -E 's/[[:space:]]+#.*$//; s/^[[:space:]]+//; s/[[:space:]]+$//' | grep -v '^$' || true)
[ ${#CMDS[@]} -gt 0 ] || die "no code block under '## Quick start' in README.md"
printf '%s\n' "${CMDS[@]}" | grep -qx 'make demo' || die "README's Quick start has no 'make demo' line"
printf '%s\n' "${CMDS[@]}" | grep -qx 'make check' || die "README's Quick start has no 'make check' line"
log "the Quick start, run in the chroot from $TREE:"
printf 'fresh:   %s\n' "${CMDS[@]}"

for cmd in "${CMDS[@]}"; do
	log "---- $cmd"
	t0=$(date +%s)
	CUR=$cmd CUR_T0=$t0
	rc=0
	# A root login shell's environment, nothing from this one; in the
	# background so that a signal reaches the trap at once.
	chroot "$R" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash \
		TERM="${TERM:-dumb}" /bin/bash -lc "cd $TREE && $cmd" </dev/null &
	CHILD=$!
	wait "$CHILD" || rc=$?
	CHILD=
	CUR=
	phase_done "$cmd" $(($(date +%s) - t0))
	if [ "$rc" -ne 0 ]; then
		log "'$cmd' failed (exit status $rc) after $(fmt_secs $(($(date +%s) - t0)))"
		exit 1
	fi
	if [ "$DEMO_ONLY" = 1 ] && [ "$cmd" = "make demo" ]; then
		log "--demo-only: stopping after make demo"
		break
	fi
done
exit 0
