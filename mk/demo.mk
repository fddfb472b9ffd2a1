# SPDX-License-Identifier: GPL-2.0
# make demo: a camera site in a box (issue 8, examples/demo/README.md).
#
# Installs the dependencies (tests/vm/deps.sh, like make check), builds
# everything (the top-level Makefile has "demo: all"), boots the test VM and
# runs examples/demo/run.sh in it; exits with the demo's status (0 = PASS).
#   make demo DEMO_DURATION=20     let the site run longer (seconds)

DEMO_DURATION ?= 12
DEMO_TIMEOUT ?= 600

# On a fresh machine the build needs the headers and libnl: install them first.
ifneq ($(filter demo,$(MAKECMDGOALS)),)
module userspace tools: | deps
endif

# The site report: run.sh prints its data (camfencectl -j report, base64)
# on the console; it is rendered here as .cache/demo/report.html.
DEMO_OUT := $(TOP)/.cache/demo

demo:
	@mkdir -p $(DEMO_OUT)
	@bash -c 'set -o pipefail; tests/vm/vmrun --timeout $(DEMO_TIMEOUT) -- \
		env CF_DEMO_DURATION=$(DEMO_DURATION) $(TOP)/examples/demo/run.sh | tee $(DEMO_OUT)/console.log'; \
	rc=$$?; \
	tr -d '\r' < $(DEMO_OUT)/console.log | \
	  sed -n '/^--- BEGIN camfence-report-json/,/^--- END camfence-report-json/{/^---/d;p}' | \
	  base64 -d > $(DEMO_OUT)/report.json 2>/dev/null && \
	  userspace-ctl/build/camfencectl report --from $(DEMO_OUT)/report.json \
	    --title "camfence demo site" -o $(DEMO_OUT)/report.html || \
	  echo "demo: no site report in the console output" >&2; \
	exit $$rc
