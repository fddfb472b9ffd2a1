#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the guest (via tests/vm/vmrun): the VM test runner.
#   guest-tests.sh [--start N] [--no-module] [--end S] TEST...
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
# Nothing here waits without a bound: "modprobe -r" gets CF_UNLOAD_TIMEOUT
# (default 120 s) and when it does not return the module is stuck: its stack
# and the blocked tasks (sysrq w) go to the kernel log, this test fails
# ("camfence stuck") and every test after it as not run. After each test every
# process it left behind is killed, also one that left its process group
# (setsid, a daemon). A test that leaves a task SIGKILL cannot end (D state:
# a kernel deadlock) fails, the task's stack and the blocked tasks (sysrq w)
# go to the kernel log, and every later test fails as not run.
# --end S: the guest must have ended S seconds after it booted (tests/run
# passes the guest's own timeout, cut by CF_DEADLINE/CF_DEADLINE_AT, less a
# margin). The runner keeps a reserve for what follows the last test (the
# module's unload and the kmemleak scan) and does not let a test eat it: a
# test's timeout is cut to what is left before the reserve (when it expires:
# "not ok N name # cut after Ts by the run's deadline (its timeout: Us)"), and
# a test that would start with less than 10 s x scale left is not started
# ("not ok N name # not run: the run's deadline"), nor any after it. So a run
# stopped by its deadline still reports the kmemleak scan, instead of the
# host killing the guest.
# Exit status: 0 when every test passed or skipped, 1 otherwise.
N=1
MODULE=1
END=
while [ $# -gt 0 ]; do
	case "$1" in
	--start) N=$2; shift 2 ;;
	--no-module) MODULE=0; shift ;;
	--end) END=$2; shift 2 ;;
	*) break ;;
	esac
done

failed=0
SCALE=${CF_TEST_TIMEOUT_SCALE:-1}
UNLOAD_TO=$((${CF_UNLOAD_TIMEOUT:-120} * SCALE))

# user_pids: the processes with a command line (not kernel threads), sorted.
user_pids() {
	local d x
	# (a kernel thread's cmdline is empty; /proc files have size 0)
	for d in /proc/[0-9]*; do
		IFS= read -r -d '' x < "$d/cmdline" && echo "${d#/proc/}"
	done 2>/dev/null | sort
}

# new_pids BEFORE EXCEPT...: the user processes not in the list BEFORE (one
# pid per line) and not one of EXCEPT, one per line.
new_pids() {
	local before=$1 p
	shift
	# (files, not <(...): the guest has no /dev/fd)
	printf '%s\n' "$before" > /tmp/.cf-pids-before
	user_pids > /tmp/.cf-pids-after
	for p in $(comm -13 /tmp/.cf-pids-before /tmp/.cf-pids-after); do
		case " $* " in
		*" $p "*) ;;
		*) echo "$p" ;;
		esac
	done
}

# kill_leftovers BEFORE EXCEPT...: SIGKILL to each of new_pids.
kill_leftovers() {
	local p
	for p in $(new_pids "$@"); do
		kill -KILL "$p" 2>/dev/null
	done
}

# survivors BEFORE EXCEPT...: those of new_pids still there (not zombies)
# after 5 s, space separated.
survivors() {
	local p end alive st
	end=$(($(date +%s) + 5))
	while :; do
		alive=
		for p in $(new_pids "$@"); do
			st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$p/status" 2>/dev/null)
			[ -n "$st" ] && [ "$st" != Z ] && alive="$alive $p"
		done
		[ -z "$alive" ] && return 0
		[ "$(date +%s)" -ge "$end" ] && break
		sleep 0.5
	done
	echo $alive
}

# unload: modprobe -r camfence, bounded; 0 done, 1 refused (message in
# /tmp/.cf-modprobe), 2 stuck (diagnostics in the kernel log).
unload() {
	local p end
	[ -d /sys/module/camfence ] || return 0
	modprobe -r camfence 2>/tmp/.cf-modprobe &
	p=$!
	end=$(($(date +%s) + UNLOAD_TO))
	while kill -0 "$p" 2>/dev/null && [ "$(date +%s)" -lt "$end" ]; do
		sleep 0.1
	done
	if kill -0 "$p" 2>/dev/null; then
		{
			echo "camfence-test: modprobe -r camfence stuck for ${UNLOAD_TO}s, its stack:"
			cat "/proc/$p/task/"*/stack 2>/dev/null
			pgrep -P "$p" | while read -r c; do cat "/proc/$c/stack" 2>/dev/null; done
		} > /dev/kmsg 2>/dev/null
		echo w > /proc/sysrq-trigger 2>/dev/null
		return 2
	fi
	wait "$p"
}

# stuck N WHY NAME...: the guest cannot go on (the module cannot be
# unloaded, a test's task cannot be killed): NAME fails with WHY, every test
# after it as not run.
stuck() {
	local n=$1 why=$2 first t
	shift 2
	first=$(basename "$1")
	first=${first%.*}
	for t in "$@"; do
		t=$(basename "$t")
		if [ "${t%.*}" = "$first" ]; then
			echo "not ok $n ${t%.*} # $why"
		else
			echo "not ok $n ${t%.*} # not run: the guest cannot go on after $first"
		fi
		n=$((n + 1))
	done
	exit 1
}
STUCK_UNLOAD="camfence stuck: modprobe -r did not return in ${UNLOAD_TO}s (stacks in the kernel log)"

KMEMLEAK=/sys/kernel/debug/kmemleak
[ -w "$KMEMLEAK" ] || KMEMLEAK=

# After the last test: the unload (fast unless stuck) and, with kmemleak,
# two scans (1-3 minutes on the debug kernel under TCG).
RESERVE=$((20 * SCALE))
[ -n "$KMEMLEAK" ] && RESERVE=$((RESERVE + 300))

# left_s: seconds left before the reserve (empty without --end); kept in
# tleft ("left" below is the test's surviving tasks).
left_s() {
	local up
	[ -n "$END" ] || return 0
	read -r up _ < /proc/uptime
	echo $((END - RESERVE - ${up%.*}))
}

# deadline_stop N TEST...: the deadline is too near to start TEST: it and
# every test after it are not run.
deadline_stop() {
	local n=$1 t
	shift
	for t in "$@"; do
		t=$(basename "$t")
		echo "not ok $n ${t%.*} # not run: the run's deadline"
		n=$((n + 1))
	done
	failed=1
}

i=0
for t in "$@"; do
	i=$((i + 1))
	name=$(basename "$t")
	name=${name%.*}
	tleft=$(left_s)
	if [ -n "$tleft" ] && [ "$tleft" -lt $((10 * SCALE)) ]; then
		echo "camfence-test: $name and later tests not run: ${tleft}s left before the deadline's reserve" > /dev/kmsg
		deadline_stop "$N" "${@:i}"
		N=$((N + $# - i + 1))
		break
	fi
	echo "# cf-test-start: $name"
	echo "camfence-test: start $name" > /dev/kmsg
	to=${CF_TEST_TIMEOUT:-120}
	o=$(head -n 20 "$t" | sed -n 's/^# cf-timeout: *\([0-9][0-9]*\).*/\1/p' | head -n 1)
	[ -n "$o" ] && to=$o
	to=$((to * SCALE))

	if [ "$MODULE" = 1 ]; then
		err=
		unload
		case $? in
		2) stuck "$N" "$STUCK_UNLOAD" "${@:i}" ;;
		1) err="camfence could not be unloaded after the previous test: $(tr '\n' ' ' < /tmp/.cf-modprobe)" ;;
		esac
		[ -z "$err" ] && ! timeout "$UNLOAD_TO" modprobe camfence 2>/tmp/.cf-modprobe &&
			err="modprobe camfence failed: $(tr '\n' ' ' < /tmp/.cf-modprobe)"
		if [ -n "$err" ]; then
			echo "not ok $N $name # $err"
			failed=1
			N=$((N + 1))
			continue
		fi
	fi

	own=$to cut=0
	tleft=$(left_s)
	if [ -n "$tleft" ] && [ "$tleft" -lt "$to" ]; then
		to=$((tleft > 1 ? tleft : 1))
		cut=1
	fi

	wd=$(mktemp -d /tmp/cf-test.XXXXXX)
	mount -t tmpfs -o mode=0755 tmpfs "$wd"
	start=$(date +%s)
	before=$(user_pids)
	# The test writes to a file, streamed by tail until the test's timeout
	# process ends: what the test leaves behind holds no pipe of ours.
	out=/tmp/.cf-out
	: > "$out"
	(cd "$wd" && exec timeout -k 5 "$to" "$t" </dev/null >"$out" 2>&1) &
	p=$!
	tail -n +1 -s 0.2 -f --pid="$p" "$out" 2>/dev/null | sed -u '/^#/!s/^/# /' &
	tl=$!
	# (timeout(1) ends by to + 5 s in any case: its SIGKILL goes to its
	# whole process group, itself included)
	wait $p
	rc=$?
	wait $tl
	# leftovers of the test: its process group (made by timeout), then
	# whatever escaped it (not the runner's own children)
	kill -KILL -- -$p 2>/dev/null
	kill_leftovers "$before" $(pgrep -P $$)
	left=$(survivors "$before" $(pgrep -P $$))
	secs=$(($(date +%s) - start))
	cd / && umount -l "$wd" 2>/dev/null
	rmdir "$wd" 2>/dev/null
	ip -all netns delete 2>/dev/null

	echo "# cf-test-time: $name ${secs}s"
	case "$rc" in
	0) res="ok $N $name" ;;
	4) res="ok $N $name # SKIP" ;;
	124|137)
		if [ "$cut" = 1 ]; then
			res="not ok $N $name # cut after ${to}s by the run's deadline (its timeout: ${own}s)"
		else
			res="not ok $N $name # timed out after ${to}s"
		fi ;;
	*) res="not ok $N $name # exit status $rc (${secs}s)" ;;
	esac
	if [ -n "$left" ]; then
		# a task SIGKILL cannot end (D state: a kernel deadlock, a
		# wait that never ends): its stack, then nothing more can run
		{
			echo "camfence-test: $name left tasks that SIGKILL cannot end:"
			for x in $left; do
				echo "pid $x ($(tr '\0' ' ' < "/proc/$x/cmdline" 2>/dev/null)) $(grep '^State:' "/proc/$x/status" 2>/dev/null):"
				cat "/proc/$x/stack" 2>/dev/null
			done
		} > /dev/kmsg 2>/dev/null
		echo w > /proc/sysrq-trigger 2>/dev/null
		why=passed
		[[ $res == *" # "* ]] && why=${res#* # }
		echo "camfence-test: end $name stuck" > /dev/kmsg
		stuck "$N" "$why, and left a task that SIGKILL cannot end (pid ${left// /,}; stacks in the kernel log)" "${@:i}"
	fi
	echo "$res"
	case "$res" in
	"not ok "*) failed=1 ;;
	esac
	echo "camfence-test: end $name status $rc" > /dev/kmsg
	N=$((N + 1))
done

echo "# cf-test-start: (after the last test)"
if [ "$MODULE" = 1 ]; then
	unload
	case $? in
	2) echo "not ok $N module-unload # $STUCK_UNLOAD"
	   exit 1 ;;
	1) echo "not ok $N module-unload # camfence could not be unloaded: $(tr '\n' ' ' < /tmp/.cf-modprobe)"
	   failed=1
	   N=$((N + 1)) ;;
	esac
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
