#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# camfencectl's command-line conventions (issue 14), exact output and exit
# status, no module needed: help CMD and CMD --help (exit 0, stdout),
# abbreviations like ip (sh = show; ambiguous: the candidates, exit 2),
# -n/--netns NETNS (a missing namespace: the error, exit 1; an existing
# one is entered), errors prefixed "camfencectl:", and the bash completion
# (commands, abbreviations, options, device names from `-j show`, -n passed
# on to it) with bash-completion's two helpers stubbed.

set -u
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh

CTL=$PWD/userspace-ctl/build/camfencectl
COMP=$PWD/userspace-ctl/completion/camfencectl
[ -x "$CTL" ] || { fail "$CTL not built (run make)"; test_done; }
T=$(mktemp -d /tmp/cf-cli.XXXXXX)
NS=cf-cli-$$
trap 'rc=$?; ip netns del "$NS" 2>/dev/null; rm -rf "$T"; (exit $rc); cf_cleanup' EXIT

run() {
	RC=0
	"$CTL" "$@" >"$T/out" 2>"$T/err" || RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}

# ---- help -------------------------------------------------------------------
want_check="Usage: camfencectl [-j] [-n NETNS] check [--strict] [--print] FILE

  validate a configuration without loading it (kernel limits, warnings)

  --strict                 warnings are errors
  --print                  print the policy the kernel would get (defines
                           expanded, combined profiles) instead of a summary

See camfencectl(8)."
run help check
check_eq "help check: exit 0, stdout, nothing on stderr" "0|$want_check|" "$RC|$OUT|$ERR"
run check --help
check_eq "check --help: the same" "0|$want_check|" "$RC|$OUT|$ERR"
run --help check
check_eq "--help check: the same" "0|$want_check|" "$RC|$OUT|$ERR"
run ch -h
check_eq "ch -h (abbreviated): the same" "0|$want_check|" "$RC|$OUT|$ERR"
run help confirm
check_eq "help of a command without options or arguments" "0|Usage: camfencectl [-j] [-n NETNS] confirm

  keep the policy of load --confirm (cancel its rollback)

See camfencectl(8).|" "$RC|$OUT|$ERR"
run help
check_eq "help alone: the general help on stdout, exit 0" "0|" "$RC|$ERR"
check_eq "help alone: the same as --help" "$("$CTL" --help)" "$OUT"
check_match "the general help names help, -n and abbreviations" \
	"help \\[COMMAND\\] \\| COMMAND --help.*abbreviation: sh = show.*-n, --netns NETNS" "$(tr '\n' ' ' <<<"$OUT")"
# every command has a help
n=0
for c in check load diff confirm show stats unknown monitor learn mode flush metrics vendor report mud profile help; do
	"$CTL" help "$c" 2>/dev/null | head -n 1 | grep -q "^Usage: camfencectl \[-j\] \[-n NETNS\] $c" && n=$((n + 1))
done
check_eq "every one of the 17 commands has its help" 17 "$n"
run help zz
check_eq "help of an unknown command" "2||camfencectl: unknown command 'zz' (try 'camfencectl help')" "$RC|$OUT|$ERR"
run help m
check_eq "help of an ambiguous abbreviation" "2||camfencectl: ambiguous command 'm': monitor, mode, metrics, mud" "$RC|$OUT|$ERR"

# ---- abbreviations ------------------------------------------------------------
printf 'profile p {\n}\n' > "$T/p.conf"
run ch "$T/p.conf"
check_eq "ch = check" "0|$T/p.conf: ok: 0 zones, 1 profiles, 0 devices|" "$RC|$OUT|$ERR"
run chec --strict "$T/p.conf"
check_eq "chec --strict: options go with the abbreviation" "0|$T/p.conf: ok: 0 zones, 1 profiles, 0 devices|" "$RC|$OUT|$ERR"
run s
check_eq "s: ambiguous" "2||camfencectl: ambiguous command 's': show, stats" "$RC|$OUT|$ERR"
run m x
check_eq "m: ambiguous" "2||camfencectl: ambiguous command 'm': monitor, mode, metrics, mud" "$RC|$OUT|$ERR"
run mo x
check_eq "mo: ambiguous between monitor and mode" "2||camfencectl: ambiguous command 'mo': monitor, mode" "$RC|$OUT|$ERR"
run mod bogus
check_eq "mod = mode: its own error and usage under the full name" "2||camfencectl: invalid mode 'bogus' (expected enforce or monitor)
Usage: camfencectl [-j] mode enforce|monitor" "$RC|$OUT|$ERR"
run sh a b c
check_eq "sh = show: usage under the full name" "2||Usage: camfencectl [-j] show [NAME|device NAME|policy]" "$RC|$OUT|$ERR"
run frobnicate
check_eq "unknown command: the error, then the usage on stderr" "2||camfencectl: unknown command 'frobnicate'
$("$CTL" --help)" "$RC|$OUT|$ERR"
run ve 44:19:b6:00:00:01 -j
check_eq "ve = vendor, own options kept" 0 "$RC"
check_match "ve = vendor: JSON output" '^\{"vendors":\[\{"mac":"44:19:b6:00:00:01"' "$OUT"
run un --csv --from /nonexistent
check_eq "un = unknown, own options kept: exit 1" 1 "$RC"
check_match "un = unknown: its error, prefixed" "^camfencectl: .*/nonexistent" "$ERR"

# ---- errors prefixed ------------------------------------------------------------
run load /nonexistent
check_eq "load of a missing file: prefixed" "1||camfencectl: cannot read '/nonexistent': No such file or directory" "$RC|$OUT|$ERR"
run check /nonexistent
check_eq "check of a missing file: prefixed" "1||camfencectl: cannot read '/nonexistent': No such file or directory" "$RC|$OUT|$ERR"
run --print sh
check_eq "an option of another command: prefixed, then the usage" "2||camfencectl: option --print is only for check
Usage: camfencectl [-j] show [NAME|device NAME|policy]" "$RC|$OUT|$ERR"

# ---- -n NETNS -------------------------------------------------------------------
run -n cf-no-such-netns stats
check_eq "-n a missing namespace: exit 1, the error" "1||camfencectl: cannot open network namespace 'cf-no-such-netns': No such file or directory (ip netns list shows the names)" "$RC|$OUT|$ERR"
run --netns=cf-no-such-netns ch "$T/p.conf"
check_eq "--netns=: the same, before the command runs" "1||camfencectl: cannot open network namespace 'cf-no-such-netns': No such file or directory (ip netns list shows the names)" "$RC|$OUT|$ERR"
run --netns ../x stats
check_eq "-n with a path: refused" "2||camfencectl: invalid network namespace name '../x'" "$RC|$OUT|$ERR"
run -n "" stats
check_eq "-n with an empty name: refused" "2||camfencectl: invalid network namespace name ''" "$RC|$OUT|$ERR"
if [ "$(id -u)" = 0 ] && ip netns add "$NS" 2>/dev/null; then
	run -n "$NS" check "$T/p.conf"
	check_eq "-n an existing namespace: entered, the command runs" "0|$T/p.conf: ok: 0 zones, 1 profiles, 0 devices|" "$RC|$OUT|$ERR"
	# the namespace is really entered: camfencectl blocks opening a FIFO
	# (check reads it), meanwhile its /proc/PID/ns/net is NETNS's
	mkfifo "$T/fifo"
	"$CTL" -n "$NS" check "$T/fifo" >/dev/null 2>&1 &
	pid=$!
	want=$(stat -L -c %i "/run/netns/$NS")
	rc=0
	busywait 5000 sh -c "[ \"\$(stat -L -c %i /proc/$pid/ns/net)\" = $want ]" || rc=$?
	ino_ctl=$(stat -L -c %i "/proc/$pid/ns/net")
	: > "$T/fifo"	# unblock it
	wait "$pid"
	check_eq "-n NETNS: camfencectl runs in that namespace (ns inode)" "0 $want" "$rc $ino_ctl"
	check_rc "... and not in ours" 1 test "$ino_ctl" = "$(stat -L -c %i /proc/self/ns/net)"
	run -n "$NS" stats
	check_match "-n NETNS stats: netlink in that namespace (module absent or loaded: no setns error)" \
		"^(camfencectl: camfence is not loaded|generation)" "$OUT$ERR"
else
	echo "# not root or no ip netns: entering an existing namespace not tried"
fi

# ---- bash completion ------------------------------------------------------------
# A fake camfencectl for the device names; it logs its arguments.
cat > "$T/fakectl" <<FAKE
#!/bin/sh
echo "\$*" >> "$T/fake.log"
echo '{"generation":3,"devices":[{"name":"lobby-1","mac":"44:19:b6:00:00:01","addresses":["10.20.0.11"],"profile":"cam"},{"name":"cam-2","mac":"44:19:b6:00:00:02"}]}'
FAKE
chmod +x "$T/fakectl"
# comp LINE: the completions of LINE (cursor at its end; a trailing space
# starts a new word), sorted, on one line
comp() {
	bash -c '
		_init_completion() {
			cur=${COMP_WORDS[COMP_CWORD]}
			prev=${COMP_WORDS[COMP_CWORD - 1]}
			words=("${COMP_WORDS[@]}")
			cword=$COMP_CWORD
		}
		_filedir() { COMPREPLY=(FILES); }
		source "$1"
		read -r -a COMP_WORDS <<< "$2"
		[[ $2 == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_camfencectl
		printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort | xargs
	' comp "$COMP" "$T/fakectl ${1#camfencectl }"
}
check_rc "the completion file is valid bash" 0 bash -n "$COMP"
check_eq "complete: the commands" "check confirm diff flush help learn load metrics mode monitor mud profile report show stats unknown vendor" "$(comp "camfencectl ")"
check_eq "complete: s" "show stats" "$(comp "camfencectl s")"
check_eq "complete: global options" "--help --json --netns --version" "$(comp "camfencectl --")"
check_eq "complete: check options" "--help --print --strict" "$(comp "camfencectl check --")"
check_eq "complete: check FILE" "FILES" "$(comp "camfencectl check ")"
check_eq "complete: mode" "enforce monitor" "$(comp "camfencectl mode ")"
check_eq "complete: help CMD" "learn load" "$(comp "camfencectl help l")"
: > "$T/fake.log"
check_eq "complete: show, device names from -j show" "cam-2 device lobby-1 policy" "$(comp "camfencectl show ")"
check_eq "complete: -j show was asked" "-j show" "$(cat "$T/fake.log")"
check_eq "complete: sh (abbreviated) device l" "lobby-1" "$(comp "camfencectl sh device l")"
check_eq "complete: show NAME, nothing after" "" "$(comp "camfencectl show lobby-1 ")"
: > "$T/fake.log"
check_eq "complete: learn with -n NETNS" "cam-2 lobby-1" "$(comp "camfencectl -n site2 learn ")"
check_eq "complete: -n NETNS is passed to -j show" "-n site2 -j show" "$(cat "$T/fake.log")"
check_eq "complete: mud" "export import" "$(comp "camfencectl mud ")"
check_eq "complete: learn options" "--help --profile" "$(comp "camfencectl learn lobby-1 --")"

test_done
