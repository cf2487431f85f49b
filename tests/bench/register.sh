#!/usr/bin/env bash
# tests/bench/register.sh - the register's benchmark (issue 16 item 4), run by run.sh (`make bench`).
#
# Makes a ledger of LEDGER_N dossiers (default 10000) with the real CLI: gen_ledger.py copies the example
# submissions under unique app ids, `emheval evaluate --ledger` evaluates and files them (as of 2026-11-01,
# criteria of this checkout in a temporary repository), and with STORE=1 every second one is filed again with
# its submission (`ledger add --submission`). Then it times, each once: `ledger verify`, `register` into a
# fresh folder, `register` again over it, and `due`. Prints a table (wall seconds, max RSS).
#
# Environment: EMHEVAL (default build/emheval), LEDGER_N=10000, STORE=0, JOBS=2, KEEP=1 keeps the folder.
# Exit status: 0 measured; 1 a command failed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
EMHEVAL="${EMHEVAL:-$root/build/emheval}"
LEDGER_N="${LEDGER_N:-10000}"
STORE="${STORE:-0}"
JOBS="${JOBS:-2}"
KEEP="${KEEP:-0}"
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.org \
       GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.org SOURCE_DATE_EPOCH=1790000000
work=$(mktemp -d "${TMPDIR:-/tmp}/emheval-register-bench.XXXXXX")
[ "$KEEP" = 1 ] && echo "register bench: keeping $work" || trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q crit && cp -R "$root/criteria" crit/criteria && git -C crit add -A && git -C crit commit -qm criteria

# timed NAME EXPECTED_RCS COMMAND...: one run under /usr/bin/time; a table row.
rows=()
failed=0
timed() {
	local name=$1 ok=$2 rc=0
	shift 2
	/usr/bin/time -f '%e %M' -o time.txt "$@" >out.txt 2>err.txt || rc=$?
	case " $ok " in *" $rc "*) ;; *) echo "register bench: $name exited $rc" >&2; head -5 err.txt >&2; failed=1 ;; esac
	read -r wall rss <time.txt
	rows+=("| $name | $wall | $((rss / 1024)) |")
}

python3 "$here/gen_ledger.py" . "$LEDGER_N"
timed "evaluate --ledger ($LEDGER_N submissions)" "0 1" \
	"$EMHEVAL" evaluate -q -j "$JOBS" --out dossiers --as-of 2026-11-01 --criteria crit --ledger ledger subs
if [ "$STORE" = 1 ]; then
	t0=$(date +%s.%N)
	for ((i = 0; i < LEDGER_N; i += 2)); do
		n=$(printf '%05d' "$i")
		"$EMHEVAL" ledger add ledger "dossiers/$n.json" --submission "subs/$n" >/dev/null || failed=1
	done
	rows+=("| ledger add --submission (every second) | $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}') | |")
fi
timed "ledger verify" "0" "$EMHEVAL" ledger verify ledger
timed "register (fresh folder)" "0" "$EMHEVAL" register ledger --out site --criteria crit --as-of 2027-11-01
timed "register (again, same folder)" "0" "$EMHEVAL" register ledger --out site --criteria crit --as-of 2027-11-01
timed "due" "0 1" "$EMHEVAL" due ledger --criteria crit --as-of 2027-11-01 --within 90

echo ""
echo "== register: a ledger of $(git --git-dir=ledger rev-list --count HEAD) commits ($LEDGER_N dossiers)"
echo ""
echo "| command | wall s | max RSS MiB |"
echo "|---|---:|---:|"
printf '%s\n' "${rows[@]}"
exit "$failed"
