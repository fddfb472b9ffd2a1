# SPDX-License-Identifier: GPL-2.0
# Sourced by main.sh in boot 2 (it uses enforced, modprobe_cycle and gen from
# there): a package upgrade to the second version that run.sh built from the
# same tree ($V2, the current VERSION with "+test1"), then a downgrade back to
# the first ($V1), each as docs/deploy.md ("Upgrading", "Rolling back") says:
# apt-get install the .debs (DKMS builds the module of the new version for
# every kernel and removes the old one; the running module stays the old one;
# the conffile is kept; camfenced keeps running and enforcing), then, behind
# the nftables backstop, modprobe -r camfence && modprobe camfence and
# systemctl restart camfenced: the new module runs, camfenced re-applied the
# policy and a camera's probe is dropped and counted.
upgrade_checks() {
	local V1 V2 KV KV2 conf
	# shellcheck disable=SC1091
	. /usr/local/share/cftest/versions
	KV=$(uname -r)
	KV2=$(ls /lib/modules | grep -vx "$KV" | xargs)
	mark "upgrade"
	export DEBIAN_FRONTEND=noninteractive
	check_eq "before the upgrade: installed versions" "camfence-dkms $V1|camfence-tools $V1" "$(pkg_versions)"
	check_eq "before the upgrade: running module version" "$V1" "$(cat /sys/module/camfence/version)"
	conf=$(sha256sum /etc/camfence/camfence.conf)

	version_step "upgrade to $V2" "$V2" "$V1" apt-get install -y -q \
		"/usr/local/share/cftest/v2/camfence-dkms_${V2}_all.deb" \
		"/usr/local/share/cftest/v2/camfence-tools_${V2}_amd64.deb"
	check_eq "upgrade: /etc/camfence/camfence.conf kept" "$conf" "$(sha256sum /etc/camfence/camfence.conf)"

	version_step "downgrade to $V1" "$V1" "$V2" apt-get install -y -q --allow-downgrades \
		"/usr/local/share/cftest/camfence-dkms_${V1}_all.deb" \
		"/usr/local/share/cftest/camfence-tools_${V1}_amd64.deb"
	check_eq "downgrade: /etc/camfence/camfence.conf kept" "$conf" "$(sha256sum /etc/camfence/camfence.conf)"
}

pkg_versions() {
	dpkg-query -W camfence-dkms camfence-tools 2>&1 | tr '\t' ' ' | paste -sd'|'
}

# version_step LABEL NEW OLD CMD...: install (CMD), then module reload and
# camfenced restart, asserting versions, generation and enforcement after each
version_step() {
	local l=$1 new=$2 old=$3 g d
	shift 3
	g=$(gen)
	check_rc "$l: apt-get install" 0 "$@"
	check_eq "$l: dpkg-query -W" "camfence-dkms $new|camfence-tools $new" "$(pkg_versions)"
	check_eq "$l: dkms status (the old version removed, the new one built for both kernels)" \
		"camfence/$new, $KV, x86_64: installed|camfence/$new, $KV2, x86_64: installed" \
		"$(dkms status camfence | sort | paste -sd'|')"
	check_eq "$l: modinfo -F version camfence ($KV)" "$new" "$(modinfo -F version camfence 2>&1)"
	check_eq "$l: modinfo -F version camfence ($KV2)" "$new" "$(modinfo -k "$KV2" -F version camfence 2>&1)"
	check_eq "$l: camfencectl --version" "camfencectl $new" "$(camfencectl --version 2>&1)"
	check_eq "$l: the running module is still the old one" "$old" "$(cat /sys/module/camfence/version)"
	check_eq "$l: camfenced still active (the package restarts nothing)" active "$(unit_state camfenced)"
	check_eq "$l: generation unchanged" "$g" "$(gen)"
	enforced "$l, old module"

	# the new module: unload and load behind the backstop (docs/deploy.md)
	nft -f /usr/local/lib/cftest/backstop.nft
	modprobe_cycle "$l: module reload + nft backstop"
	nft delete table inet cf_backstop
	check_eq "$l: module reload + nft backstop: camera packets that reached the internet" 0 "$LEAK"
	check_eq "$l: /sys/module/camfence/version after the module reload" "$new" "$(cat /sys/module/camfence/version)"
	# the new daemon: a restart loads the same file, nothing to commit
	check_rc "$l: systemctl restart camfenced" 0 systemctl restart camfenced
	check_eq "$l: camfenced active after restart" active "$(unit_state camfenced)"
	check_eq "$l: generation after the restart (the new module's first commit, kept)" 1 "$(gen)"
	check_eq "$l: devices" 3 "$(sysv device_count)"
	d=$(dev cam1 dropped_packets)
	enforced "$l, new module"
	check_eq "$l: cam1 dropped_packets counted by the new module (3 + 3)" $((d + 6)) "$(dev cam1 dropped_packets)"
}
