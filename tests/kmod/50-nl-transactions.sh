#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Transaction rules of the camfence genl family: COMMIT/ABORT/ADD without
# BEGIN, a second socket gets EBUSY, the owner's exit frees the transaction,
# BEGIN again from the owner starts afresh, and a failed ADD discards it.
source "$CF_TOP/tests/lib.sh"

P='profile p,rule=to/10.0.0.1/-/17/53'

out=$(nltest commit)
check_eq "COMMIT without BEGIN" \
	"commit: error -2 (No such file or directory): no transaction is open (send BEGIN first)" "$out"
out=$(nltest abort)
check_eq "ABORT without BEGIN" \
	"abort: error -2 (No such file or directory): no transaction is open (send BEGIN first)" "$out"
out=$(nltest $P)
check_eq "ADD without BEGIN" \
	"profile: error -2 (No such file or directory): no transaction is open (send BEGIN first)" "$out"
check_eq "nothing committed" 0 "$(sys_read /sys/kernel/camfence/generation)"

# One socket: begin, add, abort, commit -> nothing to commit.
out=$(nltest begin $P abort commit)
check_eq "ABORT discards" "begin: ok
profile: ok
abort: ok
commit: error -2 (No such file or directory): no transaction is open (send BEGIN first)" "$out"

# BEGIN twice from the owner starts afresh: the first profile is gone, so a
# device naming it fails at commit time... but a second BEGIN must be ok.
out=$(nltest begin begin commit)
check_eq "BEGIN twice then COMMIT" "begin: ok
begin: ok
commit: generation=1 added=0 removed=0 changed=0 unchanged=0 ok" "$out"
check_eq "generation after one commit" 1 "$(sys_read /sys/kernel/camfence/generation)"

# Two sockets: the owner keeps its transaction open until told to go.
rm -f began go
nltest begin $P touch began wait go 10000 commit > owner.out &
owner=$!
busywait "$(cf_ms 5000)" test -e began || fail "owner did not begin"
out=$(nltest begin)
check_match "second BEGIN is refused" \
	'^begin: error -16 \(Device or resource busy\): another transaction is open \(owned by port [0-9]+\)$' "$out"
out=$(nltest $P)
check_match "ADD from another socket" \
	'^profile: error -16 \(Device or resource busy\): the open transaction belongs to another socket \(port [0-9]+\)$' "$out"
out=$(nltest commit)
check_match "COMMIT from another socket" '^commit: error -16 .*belongs to another socket' "$out"
out=$(nltest abort)
check_match "ABORT from another socket" '^abort: error -16 .*belongs to another socket' "$out"
touch go
wait $owner
check_eq "owner's exit status" 0 $?
check_eq "owner commits its own transaction" "begin: ok
profile: ok
touch: ok
wait: ok
commit: generation=2 added=0 removed=0 changed=0 unchanged=0 ok" "$(cat owner.out)"

# The owner exits without COMMIT: its transaction is freed, BEGIN works.
rm -f began go
nltest begin $P touch began wait go 30000 > owner.out &
owner=$!
busywait "$(cf_ms 5000)" test -e began || fail "owner did not begin"
check_match "busy while the owner lives" '^begin: error -16 ' "$(nltest begin)"
touch go
wait $owner
out=$(nltest begin commit)
check_eq "BEGIN after the owner exited" "begin: ok
commit: generation=3 added=0 removed=0 changed=0 unchanged=0 ok" "$out"
# Its transaction was not committed by anyone.
check_eq "generation" 3 "$(sys_read /sys/kernel/camfence/generation)"

# A killed owner (SIGKILL) too.
rm -f began
nltest begin touch began sleep 30000 > /dev/null &
owner=$!
busywait "$(cf_ms 5000)" test -e began || fail "owner did not begin"
kill -9 $owner
wait $owner 2>/dev/null
check_eq "BEGIN after the owner was killed" "begin: ok
abort: ok" "$(nltest begin abort)"

# A failed ADD discards the whole transaction.
out=$(nltest begin $P bad addrlen5 commit)
check_eq "failed ADD discards the transaction" "begin: ok
profile: ok
bad: error -22 (Invalid argument): address must be 4 (IPv4) or 16 (IPv6) bytes (transaction discarded)
commit: error -2 (No such file or directory): no transaction is open (send BEGIN first)" "$out"
check_eq "generation unchanged" 3 "$(sys_read /sys/kernel/camfence/generation)"

# Transaction identity: BEGIN replies with CAMFENCE_A_TXN_ID. ADD, COMMIT
# and ABORT carrying the id of a transaction that is not the open one (here
# the one the second BEGIN replaced) are refused with ESTALE and change
# nothing; with the open one's id they go on.
out=$(nltest begin begin txnid prev $P commit abort txnid on $P commit)
echo "$out" | sed 's/^/# /'
re='^profile: error -116 \(Stale file handle\): transaction ([0-9]+) is not the open one \(([0-9]+)\)$'
line=$(echo "$out" | sed -n 4p)
check_match "ADD with the replaced transaction's id" "$re" "$line"
[[ $line =~ $re ]] && check_eq "the open transaction is the next id" \
	$((BASH_REMATCH[1] + 1)) "${BASH_REMATCH[2]}"
check_match "COMMIT with the replaced transaction's id" \
	'^commit: error -116 \(Stale file handle\): transaction [0-9]+ is not the open one' "$(echo "$out" | sed -n 5p)"
check_match "ABORT with the replaced transaction's id" \
	'^abort: error -116 \(Stale file handle\): transaction [0-9]+ is not the open one' "$(echo "$out" | sed -n 6p)"
check_eq "the open transaction goes on with its own id" "txnid: ok
profile: ok
commit: generation=4 added=0 removed=0 changed=0 unchanged=0 ok" "$(echo "$out" | sed -n 7,9p)"
check_eq "generation after the commit with the id" 4 "$(sys_read /sys/kernel/camfence/generation)"

# camfencectl carries the id (userspace-ctl/lib/nl.c): a load commits.
cat > tx.conf <<'CONF'
zone cameras {
    vlan 20
}
profile cam {
    allow to 10.0.0.1 udp 53
}
device lobby-1 {
    mac 44:19:b6:00:00:01
    profile cam
}
CONF
check_rc "camfencectl load" 0 camfencectl load tx.conf
check_eq "generation after camfencectl load" 5 "$(sys_read /sys/kernel/camfence/generation)"

test_done
