#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cf-timeout: 300
#
# DKMS round trip with the real dkms tool, in scratch trees only:
#   make dkms-src -> dkms add -> build -k KVER -> install -k KVER -> modinfo
#   -> dkms remove.
# The system's /usr/src, /var/lib/dkms, /lib/modules and MOK key are not
# touched: --sourcetree/--dkmstree/--installtree point into a temp dir,
# install runs with --no-depmod, and the signing key is a scratch one.
# Needs root (dkms refuses otherwise) and kernel headers (tests/vm/deps.sh).

set -u
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh
unset MAKEFLAGS MFLAGS MAKELEVEL

[ "$(id -u)" -eq 0 ] || skip "dkms needs root"
command -v dkms >/dev/null || { fail "dkms is not installed (tests/vm/deps.sh installs it)"; test_done; }

VER=$(cat VERSION)
if [ -z "${KVER:-}" ]; then
	KVER=$(ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1 | cut -d/ -f4)
fi
[ -n "$KVER" ] && [ -d "/lib/modules/$KVER/build" ] || {
	fail "no kernel headers under /lib/modules/*/build (apt-get install linux-headers-amd64)"
	test_done
}
ARCH=$(uname -m)
echo "# camfence $VER, kernel $KVER ($ARCH), $(dkms --version)"

T=$(mktemp -d /tmp/cf-dkms.XXXXXX)
trap 'rc=$?; rm -rf "$T"; (exit $rc); cf_cleanup' EXIT
S=$T/src D=$T/dkms I=$T/modules
mkdir -p "$S" "$D" "$I/$KVER"
log=$T/cmd.log

# quiet CMD...: run CMD with its output in $log, shown (as comments) only if it fails.
quiet() {
	local rc=0
	"$@" >"$log" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || sed 's/^/#   /' "$log"
	return "$rc"
}
# A scratch MOK key: dkms signs the module like on a Secure Boot router,
# without creating /var/lib/dkms/mok.key on this machine.
export mok_signing_key=$T/mok.key mok_certificate=$T/mok.pub
if grep -Eqs '^[[:space:]]*(mok_signing_key|mok_certificate)=' \
	/etc/dkms/framework.conf /etc/dkms/framework.conf.d/*.conf; then
	echo "# note: /etc/dkms/framework.conf sets its own signing key"
fi

sys_before=$(ls -d /var/lib/dkms/camfence /usr/src/camfence-* /var/lib/dkms/mok.key 2>/dev/null | sort)
TREE=(--sourcetree "$S" --dkmstree "$D" --installtree "$I")

# 1. The DKMS source tree holds exactly what the module build needs.
make -s -f mk/install.mk dkms-src DKMS_SRC_DIR="$S/camfence-$VER" || fail "make dkms-src"
want=$( (printf '%s\n' Kbuild Makefile VERSION dkms.conf; find kmod -maxdepth 1 -name '*.[ch]') | sort)
check_eq "DKMS source tree file list" "$want" "$(cd "$S/camfence-$VER" && find . -type f | sed 's|^\./||' | sort)"
for f in kmod/*.[ch]; do
	cmp -s "$f" "$S/camfence-$VER/$f" || fail "$f differs in the DKMS tree"
done

# 2. dkms.conf takes its version from the VERSION file next to it: a copy
#    with another VERSION is registered under that version.
cp -a "$S/camfence-$VER" "$S/camfence-9.8.7~test" &&
	echo "9.8.7~test" >"$S/camfence-9.8.7~test/VERSION"
check_rc "dkms add of a tree whose VERSION says 9.8.7~test" 0 \
	quiet dkms add "$S/camfence-9.8.7~test" "${TREE[@]}"
check_eq "dkms status shows the VERSION file's version" "camfence/9.8.7~test: added" \
	"$(dkms status -m camfence "${TREE[@]}")"
check_rc "dkms remove 9.8.7~test" 0 quiet dkms remove -m camfence -v "9.8.7~test" --all "${TREE[@]}"
rm -rf "$S/camfence-9.8.7~test"

# 3. add / build / install the real version.
check_rc "dkms add $S/camfence-$VER" 0 quiet dkms add "$S/camfence-$VER" "${TREE[@]}"
check_eq "status after add" "camfence/$VER: added" "$(dkms status -m camfence "${TREE[@]}")"

check_rc "dkms build -k $KVER" 0 quiet dkms build -m camfence -v "$VER" -k "$KVER" -j 2 "${TREE[@]}" ||
	{ [ -f "$D/camfence/$VER/build/make.log" ] && sed 's/^/#   make.log: /' "$D/camfence/$VER/build/make.log"; }
check_eq "status after build" "camfence/$VER, $KVER, $ARCH: built" "$(dkms status -m camfence "${TREE[@]}")"

check_rc "dkms install -k $KVER" 0 quiet dkms install -m camfence -v "$VER" -k "$KVER" --no-depmod "${TREE[@]}"
check_eq "status after install" "camfence/$VER, $KVER, $ARCH: installed" "$(dkms status -m camfence "${TREE[@]}")"

ko=$(find "$I/$KVER" -name 'camfence.ko*' 2>/dev/null)
check_eq "installed module path" "$I/$KVER/updates/dkms/camfence.ko" "$ko"
if [ -n "$ko" ]; then
	check_eq "modinfo -F version" "$VER" "$(modinfo -F version "$ko")"
	check_eq "modinfo -F name" "camfence" "$(modinfo -F name "$ko")"
	check_eq "modinfo -F vermagic (kernel)" "$KVER" "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)"
	check_eq "modinfo -F license" "GPL" "$(modinfo -F license "$ko")"
	if ! command -v openssl >/dev/null; then
		echo "# note: no openssl, dkms cannot create a MOK key: signature not checked (apt-get install openssl)"
	elif grep -q '^CONFIG_MODULE_SIG=y' "/lib/modules/$KVER/build/.config"; then
		check_eq "signed with the DKMS MOK key (scratch)" "DKMS module signing key" \
			"$(modinfo -F signer "$ko")"
	fi
fi

# 4. remove: nothing left in the scratch trees.
check_rc "dkms remove --all" 0 quiet dkms remove -m camfence -v "$VER" --all "${TREE[@]}"
check_eq "status after remove" "" "$(dkms status -m camfence "${TREE[@]}")"
check_eq "no module left in the install tree" "" "$(find "$I" -name 'camfence.ko*')"
check_eq "dkms tree empty" "" "$(ls -A "$D/camfence" 2>/dev/null)"

# 5. The same through the make targets an operator uses from a source tree.
FLAGS="--sourcetree $S --dkmstree $D --installtree $I --no-depmod"
check_rc "make dkms-install (scratch trees)" 0 quiet make -f mk/install.mk dkms-install \
	KVER="$KVER" DKMS_SOURCE_TREE="$S" DKMS_FLAGS="$FLAGS"
check_eq "status after make dkms-install" "camfence/$VER, $KVER, $ARCH: installed" \
	"$(dkms status -m camfence "${TREE[@]}")"
check_eq "make dkms-install: module version" "$VER" \
	"$(modinfo -F version "$I/$KVER/updates/dkms/camfence.ko" 2>&1)"
check_rc "make dkms-uninstall" 0 quiet make -f mk/install.mk dkms-uninstall \
	DKMS_SOURCE_TREE="$S" DKMS_FLAGS="$FLAGS"
check_eq "status after make dkms-uninstall" "" "$(dkms status -m camfence "${TREE[@]}")"
check_eq "source tree removed by make dkms-uninstall" "" "$(ls -A "$S")"

# 6. The real system was not touched.
sys_after=$(ls -d /var/lib/dkms/camfence /usr/src/camfence-* /var/lib/dkms/mok.key 2>/dev/null | sort)
check_eq "system dkms/src trees and MOK key unchanged" "$sys_before" "$sys_after"

test_done
