#!/bin/bash
# The check command: criteria from git at a revision, verdicts and exit
# status, findings with positions, errors with file:line:col, determinism.
SUITE=cli
. "$(dirname "$0")/lib.sh"
MINI=$ROOT/tests/data/mini

run_emheval --help
expect_rc 0 "--help"
contains "$out" "Exit status" "--help documents exit status"
run_emheval --version
expect_rc 0 "--version"
run_emheval
expect_rc 2 "no command"
run_emheval frobnicate
expect_rc 2 "unknown command"
run_emheval check
expect_rc 2 "check without a submission"
run_emheval check "$MINI/sub-ok" --bogus
expect_rc 2 "unknown option"
contains "$err" "unknown option --bogus" "unknown option named"

# A criteria repository with history: v1 allows 36 months' retention, v2 allows 24.
REPO=$TMP/repo
make_repo "$REPO" "$MINI/criteria"
git -C "$REPO" tag v1
sed -i 's/"le": 36/"le": 24/; s/"version": 1/"version": 2/' "$REPO/criteria/privacy/PRIV-1.json"
git -C "$REPO" commit -qam "v2: retention at most 24 months"
git -C "$REPO" tag v2

# sub-ok passes every check; its major manual SAFE-3 has no review decision yet (docs/profiles.md).
run_emheval check "$MINI/sub-ok" --criteria "$REPO"
expect_rc 1 "clean example at HEAD awaits review: not approved"
contains "$out" "AWAITING_REVIEW" "text verdict first"
contains "$out" "awaiting review: SAFE-3" "the undecided manual criterion is listed"
run_emheval check "$MINI/sub-bad" --criteria "$REPO"
expect_rc 1 "rejected example"
contains "$out" "REJECTED" "rejected verdict"
contains "$out" "privacy.md:3:8" "text finding has file:line:col"
contains "$out" "submission.json:7:91 /crisis_support/helplines/1/number" "pointer into array: submission.json:line:col and the pointer"
contains "$out" "requires SAFE-1, which is fail" "dependent not evaluated with reason"

# --rev selects the version; an uncommitted edit in the work tree changes nothing.
edited_sub=$TMP/sub-30
cp -R "$MINI/sub-ok" "$edited_sub"
sed -i 's/"retention_months": 24/"retention_months": 30/' "$edited_sub/submission.json"
run_emheval check "$edited_sub" --criteria "$REPO" --rev v1
expect_rc 1 "30 months allowed at v1 (awaiting review)"
contains "$out" "AWAITING_REVIEW" "30 months allowed at v1: only the review is open"
run_emheval check "$edited_sub" --criteria "$REPO" --rev v2
expect_rc 1 "30 months refused at v2"
contains "$out" "REJECTED" "30 months refused at v2: rejected"
run_emheval check "$edited_sub" --criteria "$REPO" --rev "$(git -C "$REPO" rev-parse v1)" --format json
contains "$out" "\"commit\": \"$(git -C "$REPO" rev-parse v1)\"" "dossier records the commit of v1"
contains "$out" "\"tree\": \"$(git -C "$REPO" rev-parse v1:criteria)\"" "dossier records the criteria tree of v1"
sed -i 's/"le": 24/"le": 99/' "$REPO/criteria/privacy/PRIV-1.json"
run_emheval check "$edited_sub" --criteria "$REPO"
expect_rc 1 "uncommitted edit in the work tree is ignored"
contains "$out" "REJECTED" "uncommitted edit ignored: still rejected"
git -C "$REPO" checkout -q -- criteria

# Bare clone, criteria in another folder, and discovery from the current directory.
git clone -q --bare "$REPO" "$TMP/bare.git"
run_emheval check "$MINI/sub-ok" --criteria "$TMP/bare.git" --rev v1
expect_rc 1 "bare repository (evaluated: awaiting review)"
mkdir -p "$TMP/other"
git init -q "$TMP/other"
mkdir -p "$TMP/other/policy"
cp -R "$MINI/criteria" "$TMP/other/policy/set"
git -C "$TMP/other" add -A && git -C "$TMP/other" commit -qm c
run_emheval check "$MINI/sub-ok" --criteria "$TMP/other" --criteria-path policy/set
expect_rc 1 "--criteria-path (evaluated: awaiting review)"
mkdir -p "$TMP/other/policy/deeper"
(cd "$TMP/other/policy/deeper" && "$EMHEVAL" check "$MINI/sub-ok" --criteria-path policy/set >/dev/null 2>&1)
rc=$?
expect_rc 1 "repository discovered from the current directory (evaluated: awaiting review)"

# Errors name what is wrong and exit 2.
run_emheval check "$MINI/sub-ok" --criteria "$TMP/nowhere"
expect_rc 2 "missing repository"
contains "$err" "not a git repository" "not a repository message"
run_emheval check "$MINI/sub-ok" --criteria "$REPO" --rev no-such-tag
expect_rc 2 "unknown revision"
contains "$err" "no-such-tag" "revision named in the error"
run_emheval check "$MINI/sub-ok" --criteria "$REPO" --criteria-path nope
expect_rc 2 "missing criteria folder"
contains "$err" "nope" "folder named in the error"
printf '{\n  "id": "PRIV-3",\n  "version": 1,\n  "title": "x" "domain": "privacy"\n}\n' >"$REPO/criteria/privacy/PRIV-3.json"
git -C "$REPO" add -A && git -C "$REPO" commit -qm "broken criterion"
run_emheval check "$MINI/sub-ok" --criteria "$REPO"
expect_rc 2 "invalid criterion JSON"
contains "$err" "criteria/privacy/PRIV-3.json:4:" "invalid criterion JSON has file:line:col"
cat >"$REPO/criteria/privacy/PRIV-3.json" <<'JSON'
{
  "id": "PRIV-3", "version": 1, "title": "x", "domain": "privacy", "severity": "minor",
  "references": ["X"], "fail_message": "f", "remediation": "r",
  "check": {"and": [{"path": "/a", "exists": true}, {"path": "/b", "ge": "ten"}, {"path": "/c", "frobs": 1}]}
}
JSON
git -C "$REPO" add -A && git -C "$REPO" commit -qm "bad operand"
run_emheval check "$MINI/sub-ok" --criteria "$REPO"
expect_rc 2 "bad operand and unknown operator"
contains "$err" "PRIV-3.json:4:" "operand error located"
contains "$err" "(at /check/and/1/ge)" "wrong operand type names its JSON pointer"
contains "$err" "unknown operator \"frobs\"" "unknown operator named"
contains "$err" "(at /check/and/2/frobs)" "unknown operator names its JSON pointer"
git -C "$REPO" reset -q --hard v2

# Output: -o writes atomically, json twice is byte-identical.
run_emheval check "$MINI/sub-bad" --criteria "$REPO" --format json -o "$TMP/a.json"
expect_rc 1 "-o still gives the verdict's exit status"
run_emheval check "$MINI/sub-bad" --criteria "$REPO" --format json -o "$TMP/b.json"
check "same inputs give byte-identical dossiers" cmp -s "$TMP/a.json" "$TMP/b.json"
check "no temporary files left beside the output" test -z "$(ls "$TMP" | grep '\.tmp\.')"
contains "$(cat "$TMP/a.json")" '"digest": "sha256:' "dossier carries its digest"
ln -s "$TMP/victim" "$TMP/link.json"
run_emheval check "$MINI/sub-ok" --criteria "$REPO" -o "$TMP/link.json"
check "a symlink at the output path is replaced, not followed" test ! -e "$TMP/victim"
run_emheval check "$MINI/sub-ok" --criteria "$REPO" --as-of 2027-01-01
expect_rc 1 "--as-of moves the date window (pen test now too old)"
run_emheval check "$MINI/sub-ok" --criteria "$REPO" --as-of 2027-13-01
expect_rc 2 "malformed --as-of"

summary
