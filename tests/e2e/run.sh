#!/bin/bash
# run.sh - runs every end-to-end test file tests/e2e/test_*.sh against the
# real binary and prints one "N passed, N failed" line.
HERE=$(cd "$(dirname "$0")" && pwd)
total_p=0 total_f=0 status=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "$HERE"/test_*.sh; do
	bash "$t" >"$log"
	[ $? = 0 ] || status=1
	cat "$log"
	line=$(tail -n 1 "$log")
	p=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
	f=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
	if [ -z "$p" ]; then
		echo "e2e: $t printed no summary (crashed?)" >&2
		status=1
		continue
	fi
	total_p=$((total_p + p))
	total_f=$((total_f + f))
done
echo "e2e: $total_p passed, $total_f failed"
exit $status
