#!/bin/bash
# impact --fail-on weakened (issue 15): a blocker or major criterion removed,
# lowered in severity, relaxed for a submission or no longer applying to one
# fails the gate (exit 1, each named on standard error); wording changes, a
# stricter check and minor criteria do not.
SUITE=impact_weakened
. "$(dirname "$0")/lib.sh"
MINI=$ROOT/tests/data/mini
R=$TMP/crit
make_repo "$R" "$MINI/criteria"
git -C "$R" tag v1
SUBS=$TMP/subs
mkdir -p "$SUBS" && cp -R "$MINI/sub-ok" "$MINI/sub-bad" "$SUBS/"

# commit NAME: commits every change in the criteria repository and tags it NAME.
commit() { git -C "$R" add -A && git -C "$R" commit -qm "$1" && git -C "$R" tag "$1"; }
# weakened FROM TO: runs impact --fail-on weakened between two tags.
weakened() { run_emheval impact --criteria "$R" --from "$1" --to "$2" --fail-on weakened "$SUBS"; }
P=$R/criteria

# Wording only, and a stricter check: not weakened.
jq '.title = "Data are kept no longer than needed" | .check.le = 24' "$P/privacy/PRIV-1.json" >"$TMP/p" && cp "$TMP/p" "$P/privacy/PRIV-1.json"
commit stricter
weakened v1 stricter
expect_rc 0 "a wording change and a stricter check are not weakenings"
check "nothing named" sh -c "! grep -q 'weakened:' '$TMP/err'"

# A relaxed threshold: sub-bad's 48 months now pass PRIV-1 (major).
git -C "$R" checkout -q v1 -- criteria && jq '.check.le = 120' "$P/privacy/PRIV-1.json" >"$TMP/p" && cp "$TMP/p" "$P/privacy/PRIV-1.json"
commit relaxed
weakened v1 relaxed
expect_rc 1 "a relaxed major criterion fails the gate"
contains "$err" "emheval: weakened: PRIV-1 [major] in $SUBS/sub-bad: relaxed: fail -> pass" "the relaxation is named"
contains "$err" "1 weakening of blocker or major criteria" "and counted"
run_emheval impact --criteria "$R" --from v1 --to relaxed --fail-on newly-rejected "$SUBS"
expect_rc 0 "newly-rejected alone does not see it"

# A blocker removed: named once, at the criterion, not again for each submission it applied to.
git -C "$R" checkout -q v1 -- criteria && git -C "$R" rm -q criteria/privacy/PRIV-2.json
commit removed
weakened v1 removed
expect_rc 1 "a removed blocker fails the gate"
contains "$err" "emheval: weakened: PRIV-2 [blocker]: removed" "the removal is named"
check "the removal is named once" test "$(grep -c 'PRIV-2' "$TMP/err")" = 1

# Severity lowered: SAFE-1 blocker -> minor.
git -C "$R" checkout -q v1 -- criteria && jq '.severity = "minor"' "$P/safety/SAFE-1.json" >"$TMP/p" && cp "$TMP/p" "$P/safety/SAFE-1.json"
commit lowered
weakened v1 lowered
expect_rc 1 "a blocker lowered to minor fails the gate"
contains "$err" "emheval: weakened: SAFE-1 [blocker]: severity lowered to minor" "the lowering is named"

# Stops applying: PRIV-1 now applies to tier C only; both mini submissions are tier A.
git -C "$R" checkout -q v1 -- criteria && jq '.applies_when = {"path": "/risk_tier", "eq": "C"}' "$P/privacy/PRIV-1.json" >"$TMP/p" && cp "$TMP/p" "$P/privacy/PRIV-1.json"
commit narrowed
weakened v1 narrowed
expect_rc 1 "a major criterion that stops applying fails the gate"
contains "$err" "emheval: weakened: PRIV-1 [major] in $SUBS/sub-ok: no longer applies (was pass)" "named for sub-ok"
contains "$err" "emheval: weakened: PRIV-1 [major] in $SUBS/sub-bad: no longer applies (was fail)" "named for sub-bad"

# A minor criterion removed: not a weakening of the gate's concern.
git -C "$R" checkout -q v1 -- criteria && git -C "$R" rm -q criteria/safety/SAFE-2.json
commit minor-removed
weakened v1 minor-removed
expect_rc 0 "a minor criterion removed is not a weakening"
# The other way round (a criterion added back, made stricter): not weakened.
weakened removed v1
expect_rc 0 "adding a blocker back is not a weakening"

run_emheval impact --criteria "$R" --from v1 --to v1 --fail-on weaker "$SUBS"
expect_rc 2 "--fail-on with an unknown word"
contains "$err" "newly-rejected, any-change or weakened" "the words are named"
summary
