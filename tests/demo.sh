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
	json=$("$BIN" check "$sub" --format json 2>/dev/null)
	verdict=$(printf '%s\n' "$json" | sed -n 's/^  "verdict": "\(.*\)",\{0,1\}$/\1/p')
	# Category scores: "category" and "score" members of the scores array, in order.
	scores=$(printf '%s\n' "$json" | awk '/^  "scores": \[/ { on = 1; next } on && /^  \]/ { on = 0 }
		on && /"category":/ { gsub(/[",]/, "", $2); c = $2 }
		on && /"score":/ { gsub(/,/, "", $2); printf "%s %s  ", c, $2 }')
	table="$table$(printf '%-28s %-15s %s' "$name" "$verdict" "$scores")
"
	echo
done
echo "Summary (criteria at HEAD: $(git rev-parse --short HEAD 2>/dev/null)):"
printf '%s' "$table"
exit $status
