#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An extack message with details ("no device named X") belongs to the
# request that caused it, however many other requests fail at the same
# time. The module formats the message under its lock, but netlink_ack()
# copies it into the reply after the genetlink locks are dropped: the text
# must not live in memory that another request may reuse meanwhile (the
# reply would carry another request's text, or netlink_ack() would warn
# when the length changed between its strlen() and its copy).
source "$CF_TOP/tests/lib.sh"

# Four clients on the guest's two CPUs, names of different lengths.
names="a bbbbbbbbbbbbbbbb cccccccccccccccccccccccccccccccc dd"
for n in $names; do
	nltest errstorm "$n" "$(cf_ms 20000)" > "storm-$n.out" &
done
wait
for n in $names; do
	out=$(cat "storm-$n.out")
	echo "# ${out:0:300}"
	check_match "every reply to the client of '$n' carries its own message" \
		'^errstorm: sent=[1-9][0-9]* wrong=0 ok$' "$out"
done

test_done
