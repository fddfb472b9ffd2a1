#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deploy/prometheus/camfence.rules.yml: promtool check rules, and the unit
# tests of camfence.rules.test.yml (promtool test rules) pass; a rule with a
# bug fails them (the tests can fail). That the rules only use metrics
# camfencectl writes is checked by the unit test test_metrics.

set -u
cd "$(dirname "$0")/../.." || exit 1
source tests/lib.sh

command -v promtool > /dev/null ||
	{ fail "promtool missing (apt-get install prometheus, or tests/vm/deps.sh)"; test_done; }
D=deploy/prometheus
T=$(mktemp -d /tmp/cf-promtool.XXXXXX)
trap 'rc=$?; rm -rf "$T"; (exit $rc); cf_cleanup' EXIT

out=$(promtool check rules "$D/camfence.rules.yml" 2>&1); rc=$?
check_eq "promtool check rules: exit" 0 "$rc" || echo "$out" | sed 's/^/#   /'
check_eq "promtool check rules: 9 rules" \
"Checking $D/camfence.rules.yml
  SUCCESS: 9 rules found" "$out"
check_eq "alert names" \
"CamfenceDown CamfenceMetricsStale CamfenceMetricsAbsent CamfencePolicyNotConfig CamfenceConfigReloadFailed CamfenceNoDevices CamfenceSpoofing CamfenceUnknownDevice CamfenceCameraDenied" \
	"$(sed -n 's/^ *- alert: //p' "$D/camfence.rules.yml" | tr '\n' ' ' | sed 's/ $//')"

out=$(cd "$D" && promtool test rules camfence.rules.test.yml 2>&1); rc=$?
check_eq "promtool test rules: exit" 0 "$rc" || echo "$out" | sed 's/^/#   /'
check_match "promtool test rules: SUCCESS" "SUCCESS" "$out"

# the Grafana dashboard: valid JSON, and every PromQL expression of its
# panels and annotations passes promtool (as recording rules, with the
# $instance variable replaced by a regex)
G=deploy/grafana/camfence.json
out=$(python3 - "$G" "$T/dash.rules.yml" <<'PY' 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
ex = [t["expr"] for p in d["panels"] for t in p["targets"]]
ex += [a["expr"] for a in d["annotations"]["list"]]
with open(sys.argv[2], "w") as f:
    f.write("groups:\n  - name: dashboard\n    rules:\n")
    for i, e in enumerate(ex):
        f.write("      - record: camfence_dashboard_%d\n        expr: %s\n" % (i, json.dumps(e.replace("$instance", ".*"))))
print(len(d["panels"]), len(ex))
PY
); rc=$?
check_eq "grafana dashboard: panels and expressions" "0 14 16" "$rc $out"
out=$(promtool check rules "$T/dash.rules.yml" 2>&1); rc=$?
check_eq "grafana dashboard: every expression is valid PromQL" "0" "$rc" || echo "$out" | sed 's/^/#   /'
check_match "grafana dashboard: 16 expressions checked" "SUCCESS: 16 rules found" "$out"
sed -i '0,/expr: "camfence_up/s//expr: "camfence_up{(/' "$T/dash.rules.yml"
out=$(promtool check rules "$T/dash.rules.yml" 2>&1); rc=$?
check_eq "a broken expression fails promtool" "1" "$rc"

# the tests catch a broken rule: spoofed drops counted as denied connections
cp "$D/camfence.rules.yml" "$D/camfence.rules.test.yml" "$T/"
sed -i 's/ - increase(camfence_device_spoofed_packets_total\[10m\])) > 0/) > 0/' "$T/camfence.rules.yml"
check_eq "the broken copy differs" 1 "$(diff "$D/camfence.rules.yml" "$T/camfence.rules.yml" | grep -c '^>')"
out=$(cd "$T" && promtool test rules camfence.rules.test.yml 2>&1); rc=$?
check_eq "a broken rule fails the unit tests: exit" 1 "$rc"
check_match "a broken rule fails the unit tests: lobby-1 reported as denied" \
	'alertname: CamfenceCameraDenied, time: 8m' "$out"
test_done
