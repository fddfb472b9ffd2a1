#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 400
#
# make deb: dpkg-buildpackage -us -uc -b on a copy of the tree, into a scratch
# dir; asserts the packages built, their key files, the DKMS registration
# (literal version in the packaged dkms.conf, dh_dkms maintainer scripts),
# the conffile, and that lintian reports no error (E:).

set -u
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh
unset MAKEFLAGS MFLAGS MAKELEVEL

for c in dpkg-buildpackage dh dh_dkms lintian; do
	command -v "$c" >/dev/null || { fail "$c is not installed (tests/vm/deps.sh: debhelper dh-dkms lintian)"; test_done; }
done

VER=$(cat VERSION)
ARCH=$(dpkg --print-architecture)
T=$(mktemp -d /tmp/cf-deb.XXXXXX)
trap 'rc=$?; rm -rf "$T"; (exit $rc); cf_cleanup' EXIT
B=$T/deb

# One version everywhere: debian/changelog follows VERSION, and make deb
# refuses to build packages whose version disagrees with it.
check_eq "debian/changelog version equals VERSION" "$VER" "$(dpkg-parsechangelog -S Version)"
rc=0
make -s -f mk/install.mk deb CF_VERSION=9.9.9 CF_DEB_DIR="$T/mismatch" >"$T/mismatch.log" 2>&1 || rc=$?
check_eq "make deb with a VERSION the changelog lacks: exit code" 2 "$rc"
check_match "make deb says why" "debian/changelog is at $VER but VERSION is 9\.9\.9" "$(cat "$T/mismatch.log")"

rc=0
make -f mk/install.mk deb CF_DEB_DIR="$B" >"$T/build.log" 2>&1 || rc=$?
check_eq "make deb exit code" 0 "$rc" || { tail -n 60 "$T/build.log" | sed 's/^/#   /'; test_done; }
check_eq "nothing written next to the repository" "" \
	"$(ls ../camfence*_"$VER"_* ../camfence_"$VER"_* 2>/dev/null)"

DKMS_DEB=$B/camfence-dkms_${VER}_all.deb
TOOLS_DEB=$B/camfence-tools_${VER}_${ARCH}.deb
check_eq "packages built" \
	"$(printf '%s\n' "camfence-dkms_${VER}_all.deb" "camfence-tools-dbgsym_${VER}_${ARCH}.deb" "camfence-tools_${VER}_${ARCH}.deb")" \
	"$(cd "$B" && ls -1 ./*.deb | sed 's|^\./||' | LC_ALL=C sort)"

# contents PKG: the file list without directories, as ./path
contents() { dpkg-deb -c "$1" | awk '$1 !~ /^d/ {print $6}' | LC_ALL=C sort; }

# camfence-dkms: exactly the DKMS source tree, the modules-load.d entry, docs.
want="./usr/lib/modules-load.d/camfence.conf
$( (printf '%s\n' Kbuild Makefile VERSION dkms.conf; find kmod -maxdepth 1 -name '*.[ch]') |
	LC_ALL=C sort | sed "s|^|./usr/src/camfence-$VER/|")"
check_eq "camfence-dkms: files (without /usr/share/doc)" "$want" \
	"$(contents "$DKMS_DEB" | grep -v '^\./usr/share/doc/')"
check_match "camfence-dkms: copyright" "\./usr/share/doc/camfence-dkms/copyright" "$(contents "$DKMS_DEB")"

mkdir -p "$T/x-dkms" "$T/x-tools"
dpkg-deb -x "$DKMS_DEB" "$T/x-dkms"
dpkg-deb -x "$TOOLS_DEB" "$T/x-tools"
conf=$T/x-dkms/usr/src/camfence-$VER/dkms.conf
check_eq "packaged dkms.conf has the literal version" "PACKAGE_VERSION=\"$VER\"" "$(grep '^PACKAGE_VERSION=' "$conf")"
check_eq "packaged dkms.conf otherwise equals dkms.conf" "" \
	"$(diff <(grep -v '^PACKAGE_VERSION=' dkms.conf) <(grep -v '^PACKAGE_VERSION=' "$conf"))"
check_eq "packaged VERSION" "$VER" "$(cat "$T/x-dkms/usr/src/camfence-$VER/VERSION")"
for f in kmod/*.[ch]; do
	cmp -s "$f" "$T/x-dkms/usr/src/camfence-$VER/$f" || fail "packaged $f differs from the tree's"
done
check_match "camfence-dkms depends on dkms" "(^|, )dkms( |,|$)" "$(dpkg-deb -f "$DKMS_DEB" Depends)"
check_match "camfence-dkms postinst registers camfence $VER with dkms" \
	"DKMS_NAME=camfence.*DKMS_VERSION=$VER.*common.postinst" \
	"$(dpkg-deb -I "$DKMS_DEB" postinst | tr '\n' ' ')"
check_match "camfence-dkms prerm removes it from dkms" \
	"DKMS_NAME=camfence DKMS_VERSION=$VER .*dkms remove -m \\\$DKMS_NAME -v \\\$DKMS_VERSION --all" \
	"$(dpkg-deb -I "$DKMS_DEB" prerm | tr '\n' ' ')"
check_eq "camfence-dkms: Architecture" "all" "$(dpkg-deb -f "$DKMS_DEB" Architecture)"

# The packaged DKMS tree builds with the real dkms (scratch trees, as in
# 20-dkms.sh): what the postinst will do on a router.
if [ "$(id -u)" -eq 0 ] && command -v dkms >/dev/null; then
	KVER=${KVER:-$(ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1 | cut -d/ -f4)}
	export mok_signing_key=$T/mok.key mok_certificate=$T/mok.pub
	TREE=(--sourcetree "$T/x-dkms/usr/src" --dkmstree "$T/dkms" --installtree "$T/modules")
	mkdir -p "$T/dkms" "$T/modules/$KVER"
	rc=0
	{ dkms add -m camfence -v "$VER" "${TREE[@]}" &&
	  dkms build -m camfence -v "$VER" -k "$KVER" -j 2 "${TREE[@]}"; } >"$T/dkms.log" 2>&1 || rc=$?
	check_eq "packaged DKMS tree: dkms add + build -k $KVER" 0 "$rc" || sed 's/^/#   /' "$T/dkms.log"
	check_eq "packaged DKMS tree: status" "camfence/$VER, $KVER, $(uname -m): built" \
		"$(dkms status -m camfence "${TREE[@]}")"
	check_eq "packaged DKMS tree: module version" "$VER" \
		"$(modinfo -F version "$T/dkms/camfence/$VER/$KVER/$(uname -m)/module/camfence.ko" 2>&1)"
fi

# camfence-tools: the key files.
tc=$(contents "$TOOLS_DEB")
for f in ./usr/sbin/camfencectl ./usr/sbin/camfenced \
	./usr/share/man/man8/camfencectl.8.gz ./usr/share/man/man8/camfenced.8.gz \
	./usr/share/man/man5/camfence.conf.5.gz ./lib/systemd/system/camfenced.service \
	./usr/share/bash-completion/completions/camfencectl \
	./etc/camfence/camfence.conf ./usr/share/doc/camfence-tools/copyright \
	./usr/share/doc/camfence-tools/deploy.md.gz \
	./usr/share/doc/camfence-tools/examples/modprobe.d-camfence.conf \
	./usr/share/doc/camfence-tools/examples/hikvision.conf \
	./usr/share/doc/camfence-tools/examples/hikvision-devices.csv \
	./usr/share/doc/camfence-tools/examples/dahua.conf \
	./usr/share/doc/camfence-tools/examples/mixed-onvif.conf \
	./usr/share/camfence/profiles/hikvision.conf \
	./usr/share/camfence/profiles/camera-vendors.list; do
	check_eq "camfence-tools contains $f" "$f" "$(grep -Fx -- "$f" <<<"$tc")"
done
check_eq "camfence-tools: no module source, no modules-load.d" "" \
	"$(grep -E '^\./usr/(src|lib/modules-load\.d)/' <<<"$tc")"
check_eq "camfence-tools: conffiles" "/etc/camfence/camfence.conf" \
	"$(dpkg-deb -I "$TOOLS_DEB" conffiles 2>/dev/null)"
# Maintainer scripts (docs/deploy.md "Upgrading"): an upgrade or downgrade
# never stops camfenced beforehand, and restarts a running one once the new
# files are in place (the new binary; the kernel policy is untouched); a first
# install starts nothing; a removal stops it.  A bare --no-start made
# debhelper stop it in the preinst on upgrade and start nothing.
script() { dpkg-deb -I "$TOOLS_DEB" "$1" 2>/dev/null | tr -s ' \t\n' ' '; }
check_eq "camfence-tools preinst: no stop before an upgrade" 0 \
	"$(script preinst | grep -c 'deb-systemd-invoke stop')"
check_match "camfence-tools postinst: daemon-reload, try-restart camfenced on upgrade only" \
	"systemctl --system daemon-reload >/dev/null \|\| true if \[ -n \"\\\$2\" \]; then deb-systemd-invoke try-restart 'camfenced.service'" \
	"$(script postinst)"
check_eq "camfence-tools postinst: no start (first install)" 0 \
	"$(script postinst | grep -Ec 'deb-systemd-invoke (start|restart) ')"
check_match "camfence-tools prerm: stop on remove only" \
	'\[ "\$1" = remove \] && \[ -d /run/systemd/system \]; then deb-systemd-invoke stop camfenced.service' \
	"$(script prerm)"
check_match "camfence-tools depends on libnl-genl-3" "libnl-genl-3-200" "$(dpkg-deb -f "$TOOLS_DEB" Depends)"
check_match "camfence-tools depends on json-c" "libjson-c5" "$(dpkg-deb -f "$TOOLS_DEB" Depends)"
check_match "camfence-tools recommends ieee-data" "(^|, )ieee-data(,|\$)" "$(dpkg-deb -f "$TOOLS_DEB" Recommends)"
check_rc "packaged config is the shipped example" 0 cmp deploy/camfence.conf "$T/x-tools/etc/camfence/camfence.conf"
check_match "packaged camfencectl --version says $VER" "(^| )$VER\$" \
	"$("$T/x-tools/usr/sbin/camfencectl" --version 2>&1 | head -n 1)"
# Built with Debian's hardening flags (hardening=+all): a router daemon.
for b in camfencectl camfenced; do
	bin=$T/x-tools/usr/sbin/$b
	check_match "$b: PIE, BIND_NOW" "Flags: NOW PIE" "$(readelf -dW "$bin")"
	check_eq "$b: RELRO segment" 1 "$(readelf -lW "$bin" | grep -c GNU_RELRO)"
	check_match "$b: stack protector / fortified calls" "__stack_chk_fail|__[a-z_]+_chk@" "$(readelf -sW "$bin")"
done
check_eq "packaged unit starts /usr/sbin/camfenced" "/usr/sbin/camfenced" \
	"$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$T/x-tools/lib/systemd/system/camfenced.service")"

# lintian: no errors.  Warnings are shown, not fatal.
lintian --tag-display-limit 0 "$DKMS_DEB" "$TOOLS_DEB" >"$T/lintian.log" 2>&1
grep -v "running with root privileges" "$T/lintian.log" | sed 's/^/#   lintian: /'
check_eq "lintian errors (E:)" "" "$(grep '^E: ' "$T/lintian.log")"

test_done
