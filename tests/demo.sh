#!/bin/sh
# demo.sh - evaluates every example submission against HEAD's shipped
# criteria and prints each report; a one-line table at the end.
BIN=${1:-build/emheval}
status=0
table=""
for sub in submissions/*/; do
	[ -f "$sub/submission.json" ] || continue
	name=$(basename "$sub")
	echo "==================================================================="
	echo "  $name"
	echo "==================================================================="
	"$BIN" check "$sub"
	rc=$?
	[ "$rc" -gt 1 ] && status=1
	verdict=$("$BIN" check "$sub" --format json 2>/dev/null | sed -n 's/^  "verdict": "\(.*\)",\{0,1\}$/\1/p')
	scores=$("$BIN" check "$sub" --format text 2>/dev/null | sed -n 's/^  scores: //p')
	table="$table$(printf '%-28s %-12s %s' "$name" "$verdict" "$scores")
"
	echo
done
echo "Summary (criteria at HEAD: $(git rev-parse --short HEAD 2>/dev/null)):"
printf '%s' "$table"
exit $status
