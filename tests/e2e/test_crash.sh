#!/bin/bash
# Crash safety (docs/security.md): `emheval evaluate`, signing into a ledger,
# is killed with SIGKILL at 50 moments drawn from a fixed seed across a whole
# run. After every kill, each .json file in the output folder parses, each
# dossier's digest matches its content (checked independently with jq:
# canonical form = sorted keys, no whitespace, without "digest"), and the
# ledger verifies. Then one more run completes the batch: every submission is
# in index.json with a dossier that verifies, and the ledger holds them all.
SUITE=crash
. "$(dirname "$0")/lib.sh"
# 50 kills; 10 under a sanitizer build, where one run is several times slower.
case "$EMHEVAL" in */asan/*|*valgrind*) KILLS=${CRASH_KILLS:-10} ;; *) KILLS=${CRASH_KILLS:-50} ;; esac
RANDOM=42

if ! command -v jq >/dev/null 2>&1; then
	echo "crash: jq is missing (make deps installs it)" >&2
	fail "jq is needed to check digests independently"
	summary
	exit 1
fi

REPO=$TMP/repo
make_repo "$REPO" "$ROOT/criteria"
PORT=$TMP/portfolio
for copy in a b; do
	for s in "$ROOT"/submissions/*/; do
		name=$(basename "$s")
		cp -R "$s" "$PORT/$copy-$name" 2>/dev/null || { mkdir -p "$PORT"; cp -R "$s" "$PORT/$copy-$name"; }
	done
done
N=$(ls "$PORT" | wc -l)
"$EMHEVAL" keygen --out "$TMP/key" >/dev/null 2>&1
check "a signing key is made" test -f "$TMP/key.key"
OUT=$TMP/out
LEDGER=$TMP/ledger
evaluate() { # evaluate OUTDIR LEDGER: the batch under test
	"$EMHEVAL" evaluate --criteria "$REPO" --out "$1" -j 2 --format json,outcomes \
		--sign-key "$TMP/key.key" --ledger "$2" --quiet "$PORT"
}

# How long a whole run takes, to spread the kills over it (and a little past its end).
t0=$(date +%s%N)
evaluate "$TMP/full" "$TMP/full-ledger" >/dev/null 2>"$TMP/err"
rc=$?
t1=$(date +%s%N)
expect_rc 0 "an uninterrupted run"
span=$(( (t1 - t0) / 1000000 * 6 / 5 ))
[ "$span" -ge 20 ] || span=20
echo "crash: a whole run takes about $(( (t1 - t0) / 1000000 )) ms; killing within $span ms" >&2

# digest_ok FILE: the dossier's recorded digest is the SHA-256 of its canonical form without it.
digest_ok() {
	local want got
	want=$(jq -r '.digest // empty' "$1" 2>/dev/null) || return 1
	got=$(jq -cS 'del(.digest)' "$1" | tr -d '\n' | sha256sum | cut -d' ' -f1)
	[ "$want" = "sha256:$got" ]
}

# state_ok: every .json in $OUT parses, every dossier's digest holds, the ledger verifies.
# (jq runs once over all the files: forks are slow on a loaded CI machine.)
bad_json=0 bad_digest=0 bad_ledger=0 checked=0
state_ok() {
	local f all=() dossiers=() want got
	for f in "$OUT"/*.json; do
		[ -e "$f" ] || continue
		all+=("$f")
		case "$f" in */index.json|*.dsse.json) ;; *) dossiers+=("$f") ;; esac
	done
	checked=$((checked + ${#all[@]}))
	[ "${#all[@]}" = 0 ] && return
	if ! jq empty "${all[@]}" 2>/dev/null; then
		for f in "${all[@]}"; do
			jq empty "$f" 2>/dev/null && continue
			bad_json=$((bad_json + 1))
			echo "crash: kill $1: $f does not parse" >&2
		done
	elif [ "${#dossiers[@]}" -gt 0 ]; then
		want=$(jq -r '.digest // "none"' "${dossiers[@]}")
		got=$(jq -cS 'del(.digest)' "${dossiers[@]}" | while IFS= read -r line; do
			printf 'sha256:%s\n' "$(printf '%s' "$line" | sha256sum | cut -d' ' -f1)"; done)
		if [ "$want" != "$got" ]; then
			bad_digest=$((bad_digest + 1))
			echo "crash: kill $1: a dossier's digest does not match its content" >&2
		fi
	fi
	if [ -d "$LEDGER" ] && ! "$EMHEVAL" ledger verify "$LEDGER" --pubkey "$TMP/key.pub" >"$TMP/lv" 2>&1; then
		bad_ledger=$((bad_ledger + 1))
		echo "crash: kill $1: the ledger does not verify: $(tail -n 3 "$TMP/lv")" >&2
	fi
}

killed=0 finished=0
for i in $(seq "$KILLS"); do
	delay=$(( (RANDOM * 32768 + RANDOM) % span ))
	# exec: $! is then emheval itself, so the kill ends the run (killing a subshell
	# running the function left emheval running beside the next run).
	(exec "$EMHEVAL" evaluate --criteria "$REPO" --out "$OUT" -j 2 --format json,outcomes \
		--sign-key "$TMP/key.key" --ledger "$LEDGER" --quiet "$PORT") >/dev/null 2>&1 &
	pid=$!
	sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
	if kill -KILL "$pid" 2>/dev/null; then
		killed=$((killed + 1))
	else
		# The run ended before this delay: later runs (whose outputs and ledger are partly
		# there already) can be shorter than the first, so the kills keep within it.
		finished=$((finished + 1))
		[ "$delay" -lt 20 ] || span=$delay
	fi
	wait "$pid" 2>/dev/null
	state_ok "$i"
done
echo "crash: $killed runs killed, $finished finished first (killing within $span ms at the end); $checked files checked" >&2
check "some runs were killed mid-way" test "$killed" -gt $((KILLS / 2))
check "every .json left after a kill parses" test "$bad_json" = 0
check "every dossier left after a kill has a matching digest" test "$bad_digest" = 0
check "the ledger verifies after every kill" test "$bad_ledger" = 0

# A rerun completes the batch.
evaluate "$OUT" "$LEDGER" >/dev/null 2>"$TMP/err"
rc=$?
expect_rc 0 "the rerun after the kills"
listed=$(jq '[.. | objects | select(has("digest"))] | length' "$OUT/index.json" 2>/dev/null)
check "index.json lists every submission with its digest after the rerun" test "${listed:-0}" = "$N"
all_ok=1
for s in "$PORT"/*/; do
	f=$OUT/$(basename "$s").json
	if [ ! -f "$f" ] || ! digest_ok "$f"; then all_ok=0; echo "crash: missing or bad after the rerun: $f" >&2; fi
	if ! "$EMHEVAL" verify "$f" --pubkey "$TMP/key.pub" >/dev/null 2>&1; then all_ok=0; echo "crash: verify fails: $f" >&2; fi
done
check "every dossier is there and verifies (digest, signature, criteria) after the rerun" test "$all_ok" = 1
"$EMHEVAL" ledger verify "$LEDGER" --pubkey "$TMP/key.pub" >"$TMP/lv" 2>&1
rc=$?
expect_rc 0 "the ledger verifies after the rerun"
filed=$("$EMHEVAL" ledger log "$LEDGER" 2>/dev/null | grep -c '^[^ ]')  # a filing's first line
# The portfolio holds each example twice: the same app and version, filed once.
check "the ledger holds every app version's dossier" test "$filed" = $((N / 2))
cmp -s "$OUT/index.json" "$TMP/full/index.json"
check "the completed index is byte-identical to an uninterrupted run's" test $? = 0
leftover=$(find "$OUT" -name '*.tmp.*' | wc -l)
echo "crash: $leftover temporary files left by killed runs (never read as output)" >&2

# A writer killed while it held the ledger's branch lock leaves refs/heads/BRANCH.lock behind. Every later
# filing waited 30 s and failed ("remove a stale ... .lock"), so a rerun after such a kill could not complete
# (seen once in CI). The same lock file present for the whole wait is a dead writer's: it is removed and the
# filing goes on (evaluator/audit/ledger.c, stale_lock_break). This waits the real 30 s.
SL=$TMP/stale
mkdir -p "$SL/port"
cp -R "$ROOT/submissions/01-calm-breath" "$SL/port/"
"$EMHEVAL" evaluate --criteria "$REPO" --out "$SL/out1" --sign-key "$TMP/key.key" --ledger "$SL/ledger" --quiet "$SL/port" >/dev/null 2>&1
branch=$(git -C "$SL/ledger" symbolic-ref HEAD)
gitdir=$(git -C "$SL/ledger" rev-parse --absolute-git-dir)
: >"$gitdir/$branch.lock"
cp -R "$ROOT/submissions/02-mindstep-cbt" "$SL/port/"
"$EMHEVAL" evaluate --criteria "$REPO" --out "$SL/out2" --sign-key "$TMP/key.key" --ledger "$SL/ledger" --quiet "$SL/port" >"$SL/stdout" 2>&1
rc=$?
expect_rc 0 "a filing after a dead writer's branch lock completes"
check "the dead writer's lock is gone" test ! -e "$gitdir/$branch.lock"
check "both dossiers are filed" grep -q "^2 dossiers signed and filed in the ledger" "$SL/stdout"
"$EMHEVAL" ledger verify "$SL/ledger" --pubkey "$TMP/key.pub" >/dev/null 2>&1
rc=$?
expect_rc 0 "the ledger verifies after the lock was broken"

summary
