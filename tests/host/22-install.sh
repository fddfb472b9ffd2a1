#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install / make uninstall into scratch DESTDIRs: the exact file list,
# modes, contents, PREFIX handling in the unit, an existing config kept, and
# uninstall leaving the staging root as empty as it was.
# Needs the tools built (`make`, which `make check` runs first).

set -u
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh
unset MAKEFLAGS MFLAGS MAKELEVEL

VER=$(cat VERSION)
T=$(mktemp -d /tmp/cf-install.XXXXXX)
trap 'rc=$?; rm -rf "$T"; (exit $rc); cf_cleanup' EXIT
log=$T/make.log

# mk MAKEARGS...: make -f mk/install.mk, output shown only on failure.
mk() {
	local rc=0
	make -f mk/install.mk "$@" >"$log" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || sed 's/^/#   /' "$log"
	return "$rc"
}

# silent CMD...: run CMD without its output (the check prints the verdict).
silent() { "$@" >/dev/null 2>&1; }

for f in userspace-ctl/build/camfencectl userspace-ctl/build/camfenced; do
	[ -x "$f" ] || fail "$f not built (run make)"
done

# 1. Default PREFIX=/usr into an empty DESTDIR.
D=$T/root
mkdir "$D"
check_rc "make install DESTDIR=$D" 0 mk install DESTDIR="$D"
want="etc/camfence/camfence.conf
lib/systemd/system/camfenced.service
usr/lib/modules-load.d/camfence.conf
usr/sbin/camfencectl
usr/sbin/camfenced
usr/share/bash-completion/completions/camfencectl
usr/share/camfence/profiles/README.md
usr/share/camfence/profiles/axis.conf
usr/share/camfence/profiles/camera-vendors.list
usr/share/camfence/profiles/dahua.conf
usr/share/camfence/profiles/generic-onvif.conf
usr/share/camfence/profiles/hikvision.conf
usr/share/camfence/profiles/uniview.conf
usr/share/doc/camfence/deploy.md
usr/share/doc/camfence/examples/dahua-devices.csv
usr/share/doc/camfence/examples/dahua.conf
usr/share/doc/camfence/examples/hikvision-devices.csv
usr/share/doc/camfence/examples/hikvision.conf
usr/share/doc/camfence/examples/mixed-onvif-devices.csv
usr/share/doc/camfence/examples/mixed-onvif.conf
usr/share/doc/camfence/examples/modprobe.d-camfence.conf
usr/share/man/man5/camfence.conf.5
usr/share/man/man8/camfencectl.8
usr/share/man/man8/camfenced.8"
check_eq "installed file list" "$want" "$(cd "$D" && find . -type f -o -type l | sed 's|^\./||' | LC_ALL=C sort)"
check_eq "modes of the tools" "755 755" "$(stat -c %a "$D/usr/sbin/camfencectl" "$D/usr/sbin/camfenced" | xargs)"
check_eq "mode of the unit and config" "644 644" \
	"$(stat -c %a "$D/lib/systemd/system/camfenced.service" "$D/etc/camfence/camfence.conf" | xargs)"
check_rc "camfencectl installed byte for byte" 0 cmp userspace-ctl/build/camfencectl "$D/usr/sbin/camfencectl"
check_rc "unit unchanged with PREFIX=/usr" 0 cmp userspace-ctl/camfenced.service "$D/lib/systemd/system/camfenced.service"
check_rc "config is the shipped example" 0 cmp deploy/camfence.conf "$D/etc/camfence/camfence.conf"
check_eq "modules-load.d entry" "camfence" "$(grep -v '^#' "$D/usr/lib/modules-load.d/camfence.conf")"
check_eq "modprobe.d example seals the camera VLAN 20 (not the office VLAN 30)" "options camfence sealed_vlans=20" \
	"$(grep '^options' "$D/usr/share/doc/camfence/examples/modprobe.d-camfence.conf")"
check_match "installed camfencectl --version says $VER" "(^| )$VER\$" \
	"$("$D/usr/sbin/camfencectl" --version 2>&1 | head -n 1)"
check_rc "installed camfencectl check /etc/camfence/camfence.conf" 0 \
	silent "$D/usr/sbin/camfencectl" check "$D/etc/camfence/camfence.conf"
check_rc "installed hikvision example checks (include next to it)" 0 \
	silent "$D/usr/sbin/camfencectl" check "$D/usr/share/doc/camfence/examples/hikvision.conf"

# The unit's boot ordering (issue 5): after the module is loaded, before the
# network is configured, Type=notify so "started" means "policy committed".
U=$D/lib/systemd/system/camfenced.service
unit_has() { # KEY WORD: WORD is one of the space-separated values of KEY=
	sed -n "s/^$1=//p" "$U" | tr ' ' '\n' | grep -Fqx -- "$2"
}
check_rc "unit: After=systemd-modules-load.service" 0 unit_has After systemd-modules-load.service
check_rc "unit: Before=network-pre.target" 0 unit_has Before network-pre.target
check_rc "unit: Wants=network-pre.target" 0 unit_has Wants network-pre.target
check_eq "unit: Type" "notify" "$(sed -n 's/^Type=//p' "$U")"
check_match "unit: ExecStart runs camfenced in the foreground with the installed config" \
	"^/usr/sbin/camfenced( .*)? -f( .*)? -c /etc/camfence/camfence.conf( |$)|^/usr/sbin/camfenced( .*)? -c /etc/camfence/camfence.conf( .*)? -f( |$)" \
	"$(sed -n 's/^ExecStart=//p' "$U")"

# 2. uninstall removes everything, directories included.
check_rc "make uninstall DESTDIR=$D" 0 mk uninstall DESTDIR="$D"
check_eq "DESTDIR empty after uninstall" "" "$(cd "$D" && find . -mindepth 1)"

# 3. An existing (site) config is never overwritten, nor removed by uninstall;
#    directories that were there before stay.
mkdir -p "$D/etc/camfence" "$D/usr/share/man/man1"
printf 'mode enforce\n# site config\n' >"$D/etc/camfence/camfence.conf"
check_rc "make install over an existing config" 0 mk install DESTDIR="$D"
check_match "install says it keeps the config" "keeping existing .*/etc/camfence/camfence.conf" "$(cat "$log")"
check_eq "site config untouched by install" "$(printf 'mode enforce\n# site config')" "$(cat "$D/etc/camfence/camfence.conf")"
check_rc "make uninstall" 0 mk uninstall DESTDIR="$D"
check_eq "only the site config (and the pre-existing dir) left" \
	"$(printf '%s\n' ./etc ./etc/camfence ./etc/camfence/camfence.conf ./usr ./usr/share ./usr/share/man ./usr/share/man/man1)" \
	"$(cd "$D" && find . -mindepth 1 | LC_ALL=C sort)"

# 4. PREFIX=/opt/camfence: the unit's ExecStart follows the tools.
P=$T/prefix
mkdir "$P"
check_rc "make install PREFIX=/opt/camfence" 0 mk install DESTDIR="$P" PREFIX=/opt/camfence
check_eq "tools under PREFIX" "camfencectl camfenced" "$(cd "$P/opt/camfence/sbin" && echo *)"
check_eq "man page under PREFIX" "camfence.conf.5" "$(ls "$P/opt/camfence/share/man/man5")"
exec_start=$(sed -n 's/^ExecStart=//p' "$P/lib/systemd/system/camfenced.service")
check_match "unit ExecStart uses PREFIX" "^/opt/camfence/sbin/camfenced( |$)" "$exec_start"
check_rc "make uninstall PREFIX=/opt/camfence" 0 mk uninstall DESTDIR="$P" PREFIX=/opt/camfence
check_eq "DESTDIR empty after uninstall (PREFIX)" "" "$(cd "$P" && find . -mindepth 1)"

# 5. install refuses to run on an unbuilt tree rather than installing half.
check_rc "install fails when a tool is missing" 2 \
	silent make -s -f mk/install.mk install DESTDIR="$T/none" CF_BUILD="$T/nowhere"
check_eq "nothing installed when a tool is missing" "" "$(ls -A "$T/none" 2>/dev/null)"

test_done
