# SPDX-License-Identifier: GPL-2.0
# Sourced by main.sh in boot 2 (it uses enforced, modprobe_cycle and gen from
# there): a package upgrade to the second version that run.sh built from the
# same tree ($V2, the current VERSION with "+test1"), then a downgrade back to
# the first ($V1), each as docs/deploy.md ("Upgrading", "Rolling back") says:
# apt-get install the .debs (DKMS builds the module of the new version for
# every kernel and removes the old one; the running module stays the old one;
# the conffile is kept; camfence-tools' postinst restarts the running
# camfenced, so the new daemon runs, finds the kernel policy equal to the
# file and commits nothing), then, behind the nftables backstop,
# modprobe -r camfence && modprobe camfence: the new module runs, the new
# camfenced (not restarted again) re-applied the policy and a camera's probe
# is dropped and counted.
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

# version_step LABEL NEW OLD CMD...: install (CMD), then module reload,
# asserting versions, the daemon, generation and enforcement after each
version_step() {
	local l=$1 new=$2 old=$3 g d pid0 pid1 nstart nsame
	shift 3
	g=$(gen)
	pid0=$(main_pid)
	nstart=$(jcount "camfenced $new starting")
	nsame=$(jcount "policy unchanged: generation $g ")
	check_rc "$l: apt-get install" 0 "$@"
	check_eq "$l: dpkg-query -W" "camfence-dkms $new|camfence-tools $new" "$(pkg_versions)"
	check_eq "$l: dkms status (the old version removed, the new one built for both kernels)" \
		"camfence/$new, $KV, x86_64: installed|camfence/$new, $KV2, x86_64: installed" \
		"$(dkms status camfence | sort | paste -sd'|')"
	check_eq "$l: modinfo -F version camfence ($KV)" "$new" "$(modinfo -F version camfence 2>&1)"
	check_eq "$l: modinfo -F version camfence ($KV2)" "$new" "$(modinfo -k "$KV2" -F version camfence 2>&1)"
	check_eq "$l: camfencectl --version" "camfencectl $new" "$(camfencectl --version 2>&1)"
	check_eq "$l: camfenced --version (the installed file)" "camfenced $new" "$(camfenced --version 2>&1)"
	check_eq "$l: the running module is still the old one" "$old" "$(cat /sys/module/camfence/version)"
	# the package restarted camfenced (postinst try-restart): a new
	# process, running the new binary, that found nothing to commit
	check_eq "$l: camfenced active after the install" active "$(unit_state camfenced)"
	pid1=$(main_pid)
	check_ne "$l: camfenced restarted by the package (MainPID before: $pid0)" "$pid0" "$pid1"
	check_eq "$l: the running camfenced is the installed file (/proc/PID/exe)" /usr/sbin/camfenced \
		"$(readlink "/proc/$pid1/exe" 2>&1)"
	check_eq "$l: the running camfenced is the new version (/proc/PID/exe --version)" "camfenced $new" \
		"$("/proc/$pid1/exe" --version 2>&1)"
	jwait $((nsame + 1)) "policy unchanged: generation $g "	# (the journal may lag)
	check_eq "$l: journal: camfenced $new started once" $((nstart + 1)) "$(jcount "camfenced $new starting")"
	check_eq "$l: journal: the new camfenced found the policy unchanged (nothing committed)" $((nsame + 1)) \
		"$(jcount "policy unchanged: generation $g ")"
	check_eq "$l: generation unchanged" "$g" "$(gen)"
	check_eq "$l: devices" 3 "$(sysv device_count)"
	enforced "$l, old module, new camfenced"

	# the new module: unload and load behind the backstop (docs/deploy.md);
	# the running camfenced re-applies the policy by itself
	nft -f /usr/local/lib/cftest/backstop.nft
	modprobe_cycle "$l: module reload + nft backstop"
	nft delete table inet cf_backstop
	check_eq "$l: module reload + nft backstop: camera packets that reached the internet" 0 "$LEAK"
	check_eq "$l: /sys/module/camfence/version after the module reload" "$new" "$(cat /sys/module/camfence/version)"
	check_eq "$l: the same camfenced re-applied the policy (MainPID)" "$pid1" "$(main_pid)"
	check_eq "$l: devices" 3 "$(sysv device_count)"
	d=$(dev cam1 dropped_packets)
	enforced "$l, new module"
	check_eq "$l: cam1 dropped_packets counted by the new module (3 + 3)" $((d + 6)) "$(dev cam1 dropped_packets)"
	# a restart by hand changes nothing either
	check_rc "$l: systemctl restart camfenced" 0 systemctl restart camfenced
	check_eq "$l: camfenced active after restart" active "$(unit_state camfenced)"
	check_eq "$l: generation after the restart (the new module's first commit, kept)" 1 "$(gen)"
}

main_pid() { systemctl show -p MainPID --value camfenced; }
# jwait N TEXT: until jcount TEXT >= N (10 s at most)
jwait() {
	local i
	for i in $(seq 100); do
		[ "$(jcount "$2")" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
# jcount TEXT: lines of this boot's camfenced journal containing TEXT
jcount() { journalctl -b -u camfenced -o cat --no-pager | grep -cF -- "$1" || true; }
