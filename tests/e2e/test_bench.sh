#!/bin/bash
# The benchmark's correctness half, in every test run: `make bench` times the
# engine on the peer benchmark's corpus, but a change that breaks the engine on
# that corpus (a document format other than emheval submissions, read by the
# set tests/bench/criteria, which says "submission_schema": "none") would only
# show there. Here tests/bench/run.sh runs with no timed corpora and no peers:
# it builds the generator, makes the 243-file agreement corpus and requires
# emheval's outcomes to equal tests/bench/expected/agree.jsonl byte for byte.
SUITE=bench
. "$(dirname "$0")/lib.sh"

SIZES=' ' LEDGER_N=0 OBSERVERS=0 NO_PEERS=1 PEERS="$TMP/no-peers" REPS=1 TMPDIR="$TMP" bash "$ROOT/tests/bench/run.sh" >"$TMP/out" 2>&1
rc=$?
check "the bench's agreement run exits 0 (exit $rc): $(grep -m1 -E 'FAILURE|refuses|error' "$TMP/out")" test "$rc" = 0
check "emheval's outcomes equal expected/agree.jsonl" grep -q 'outcomes: emheval == expected/agree.jsonl: identical (238 lines)' "$TMP/out"

# The register's benchmark (tests/bench/register.sh), on a small ledger: it builds one and times every step.
LEDGER_N=20 STORE=1 TMPDIR="$TMP" bash "$ROOT/tests/bench/register.sh" >"$TMP/out" 2>&1
rc=$?
check "the register benchmark runs (exit $rc): $(tail -3 "$TMP/out")" test "$rc" = 0
check "on a ledger of 20 dossiers and 10 stored submissions" grep -q 'a ledger of 30 commits (20 dossiers)' "$TMP/out"
for step in 'evaluate --ledger' 'ledger add --submission' 'ledger verify' 'register (fresh folder)' \
	'register (again, same folder)' '| due |'; do
	check "the table has $step" grep -qF "$step" "$TMP/out"
done

# The shipped set evaluates emheval submissions only: the same manifest is refused there.
REPO=$TMP/repo
make_repo "$REPO" "$ROOT/criteria"
printf '{"app": {"name": "x"}, "risk_tier": "B"}\n' >"$TMP/manifest.json"
"$EMHEVAL" check --criteria "$REPO" "$TMP/manifest.json" >/dev/null 2>"$TMP/err"
check "the shipped set refuses a manifest that is not a submission (exit $?)" grep -q 'not a submission' "$TMP/err"

# "submission_schema" takes the default's name or "none", nothing else, located.
B=$TMP/bench-repo
mkdir -p "$B" && cp -R "$ROOT/tests/bench/criteria" "$B/criteria"
sed -i 's|"submission_schema": "none"|"submission_schema": "emheval/submission/2"|' "$B/criteria/framework.json"
git -C "$B" init -q && git -C "$B" add -A && git -C "$B" -c user.name=t -c user.email=t@t commit -qm c
"$EMHEVAL" check --criteria "$B" "$TMP/manifest.json" >/dev/null 2>"$TMP/err"
check "an unknown submission_schema is refused (exit $?)" grep -q 'framework.json:5:[0-9]*: .*"submission_schema" must be' "$TMP/err"
summary
