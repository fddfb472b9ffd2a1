#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the guest (via tests/vm/vmrun): the VM test runner.
#   guest-tests.sh [--start N] [--no-module] TEST...
# For each TEST (an executable, kselftest style), in the order given:
#   modprobe -r camfence; modprobe camfence   (unless --no-module)
#   run it as root in a fresh tmpfs cwd, with a timeout (default
#   $CF_TEST_TIMEOUT or 120 s; a line "# cf-timeout: S" in the test's first
#   20 lines overrides it), its output prefixed with "# "
#   print "ok N name", "ok N name # SKIP" (exit 4) or "not ok N name # ..."
# Before each test it prints "# cf-test-start: name" (used by the host to name
# the test that was running when the guest died).
# CF_TEST_TIMEOUT_SCALE (default 1) multiplies every timeout (debug kernel).
# When the kernel has kmemleak (the debug lane), two scans run after the last
# test (the second after a pause: objects younger than 5 s are never
# reported); a suspect (the kernel logs "kmemleak: N new suspected memory
# leaks", which fails the run in tests/vm/vmrun) is printed, copied to the
# kernel log and reported as "not ok N kmemleak", else "ok N kmemleak".
# Exit status: 0 when every test passed or skipped, 1 otherwise.
N=1
MODULE=1
while [ $# -gt 0 ]; do
	case "$1" in
	--start) N=$2; shift 2 ;;
	--no-module) MODULE=0; shift ;;
	*) break ;;
	esac
done

failed=0
SCALE=${CF_TEST_TIMEOUT_SCALE:-1}
KMEMLEAK=/sys/kernel/debug/kmemleak
[ -w "$KMEMLEAK" ] || KMEMLEAK=
for t in "$@"; do
	name=$(basename "$t")
	name=${name%.*}
	echo "# cf-test-start: $name"
	echo "camfence-test: start $name" > /dev/kmsg
	to=${CF_TEST_TIMEOUT:-120}
	o=$(head -n 20 "$t" | sed -n 's/^# cf-timeout: *\([0-9][0-9]*\).*/\1/p' | head -n 1)
	[ -n "$o" ] && to=$o
	to=$((to * SCALE))

	if [ "$MODULE" = 1 ]; then
		err=
		if [ -d /sys/module/camfence ] && ! modprobe -r camfence 2>/tmp/.cf-modprobe; then
			err="camfence could not be unloaded after the previous test: $(tr '\n' ' ' < /tmp/.cf-modprobe)"
		elif ! modprobe camfence 2>/tmp/.cf-modprobe; then
			err="modprobe camfence failed: $(tr '\n' ' ' < /tmp/.cf-modprobe)"
		fi
		if [ -n "$err" ]; then
			echo "not ok $N $name # $err"
			failed=1
			N=$((N + 1))
			continue
		fi
	fi

	wd=$(mktemp -d /tmp/cf-test.XXXXXX)
	mount -t tmpfs -o mode=0755 tmpfs "$wd"
	start=$(date +%s)
	{
		(cd "$wd" && exec timeout -k 5 "$to" "$t" </dev/null 2>&1) &
		p=$!
		wait $p
		echo $? > /tmp/.cf-rc
		# leftovers of the test (its process group, made by timeout)
		kill -KILL -- -$p 2>/dev/null
	} | sed -u '/^#/!s/^/# /'
	rc=$(cat /tmp/.cf-rc)
	secs=$(($(date +%s) - start))
	cd / && umount -l "$wd" 2>/dev/null
	rmdir "$wd" 2>/dev/null
	ip -all netns delete 2>/dev/null

	echo "# cf-test-time: $name ${secs}s"
	case "$rc" in
	0) echo "ok $N $name" ;;
	4) echo "ok $N $name # SKIP" ;;
	124|137) echo "not ok $N $name # timed out after ${to}s"; failed=1 ;;
	*) echo "not ok $N $name # exit status $rc (${secs}s)"; failed=1 ;;
	esac
	echo "camfence-test: end $name status $rc" > /dev/kmsg
	N=$((N + 1))
done

echo "# cf-test-start: (after the last test)"
if [ "$MODULE" = 1 ] && [ -d /sys/module/camfence ] && ! modprobe -r camfence 2>/tmp/.cf-modprobe; then
	echo "not ok $N module-unload # camfence could not be unloaded: $(tr '\n' ' ' < /tmp/.cf-modprobe)"
	failed=1
	N=$((N + 1))
fi
if [ -n "$KMEMLEAK" ]; then
	echo "# cf-test-start: kmemleak"
	start=$(date +%s)
	echo scan > "$KMEMLEAK"
	sleep 6
	echo scan > "$KMEMLEAK"
	leaks=$(cat "$KMEMLEAK")
	echo "# cf-test-time: kmemleak $(($(date +%s) - start))s"
	if [ -n "$leaks" ]; then
		printf '%s\n' "$leaks" | sed 's/^/# /'
		printf '%s\n' "$leaks" | while IFS= read -r l; do
			echo "kmemleak-report: $l" > /dev/kmsg
		done
		echo "not ok $N kmemleak # $(grep -c 'unreferenced object' <<<"$leaks") unreferenced object(s)"
		failed=1
	else
		echo "ok $N kmemleak"
	fi
fi
exit $failed
