#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The times of "unknown -j" (and "show -j", the same writer, whose module
# side tests/ctl/61-ctl-load checks): each integer key keeps its name and
# value and gets a sibling KEY_time in RFC 3339, UTC, as monitor -j pairs
# "timestamp" and "time". A saved "unknown -j" (with the siblings) reads
# back with --from. (The writer's edge cases: the unit test test_json.)

set -u
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh

CTL=userspace-ctl/build/camfencectl
[ -x "$CTL" ] || { fail "$CTL not built (run make)"; test_done; }
T=$(mktemp -d /tmp/cf-jsontime.XXXXXX)
trap 'rc=$?; rm -rf "$T"; (exit $rc); cf_cleanup' EXIT

cat > "$T/u.json" <<'JSON'
{"unknown":[{"mac":"44:19:b6:12:34:56","zone":"cameras","vlan":20,"ifname":"br0","address":"10.20.0.21","first_seen":1764806400,"last_seen":1764810000,"packets":311}]}
JSON
times() {
	python3 -c '
import json, sys
u = json.load(sys.stdin)["unknown"][0]
print(u["first_seen"], u["first_seen_time"], u["last_seen"], u["last_seen_time"])'
}
out=$("$CTL" -j unknown --from "$T/u.json"); rc=$?
check_eq "unknown -j --from: exit" 0 "$rc"
check_eq "unknown -j: integer seconds and RFC 3339 UTC" \
	"1764806400 2025-12-04T00:00:00Z 1764810000 2025-12-04T01:00:00Z" "$(times <<< "$out")"
check_eq "unknown -j: the sibling follows its key" \
	'"first_seen":1764806400,"first_seen_time":"2025-12-04T00:00:00Z","last_seen":1764810000,"last_seen_time":"2025-12-04T01:00:00Z"' \
	"$(grep -o '"first_seen":.*Z"' <<< "$out")"
printf '%s\n' "$out" > "$T/saved.json"
out2=$("$CTL" -j unknown --from "$T/saved.json"); rc=$?
check_eq "a saved unknown -j reads back: exit" 0 "$rc"
check_eq "a saved unknown -j reads back: the same" "$out" "$out2"

test_done
