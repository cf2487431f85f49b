#!/bin/bash
# The gate and uncommitted criteria (issue 15): lint and test read the committed text, so they warn, naming the
# files, when the criteria folder has uncommitted changes; --worktree lints and tests the files as on disk.
SUITE=worktree
. "$(dirname "$0")/lib.sh"

W=$TMP/crit
make_repo "$W" "$ROOT/tests/data/mini/criteria"
mkdir -p "$W/criteria/privacy/fixtures"
printf '{"description": "a year", "submission": {"data_protection": {"retention_months": 12}}}\n' \
	>"$W/criteria/privacy/fixtures/PRIV-1.pass.json"
printf '{"description": "five years", "submission": {"data_protection": {"retention_months": 60}}}\n' \
	>"$W/criteria/privacy/fixtures/PRIV-1.fail.json"
git -C "$W" add -A && git -C "$W" commit -qm fixtures
head_before=$(git -C "$W" rev-parse HEAD)
index_before=$(sha256sum <"$W/.git/index")

run_emheval lint --criteria "$W"
expect_rc 0 "lint: the committed mini set is clean"
case "$err" in *uncommitted*) fail "a clean work tree gives no warning: $err" ;; *) pass ;; esac
run_emheval test --criteria "$W"
fixtures_ok=$rc
contains "$out" "test: 2 fixtures, 2 as expected, 0 not" "test runs the committed fixtures"

# A maintainer relaxes a threshold, breaks a version and adds a file, committing nothing.
jq '.check.le = 72' "$W/criteria/privacy/PRIV-1.json" >"$W/p.tmp" && mv "$W/p.tmp" "$W/criteria/privacy/PRIV-1.json"
jq '.version = "x"' "$W/criteria/safety/SAFE-1.json" >"$W/s.tmp" && mv "$W/s.tmp" "$W/criteria/safety/SAFE-1.json"
printf 'notes\n' >"$W/criteria/NOTES.txt"

run_emheval lint --criteria "$W"
expect_rc 0 "lint without --worktree still reads the committed text"
contains "$err" "emheval: warning: criteria has 3 uncommitted changes that lint does not see" "lint warns"
contains "$err" "criteria/privacy/PRIV-1.json (modified)" "the edited criterion is named"
contains "$err" "criteria/safety/SAFE-1.json (modified)" "the other edited criterion is named"
contains "$err" "criteria/NOTES.txt (new)" "an untracked file is named"
contains "$err" "run lint --worktree" "the way out is named"

run_emheval lint --criteria "$W" --worktree
expect_rc 1 "lint --worktree sees the edit"
contains "$out" "criteria/safety/SAFE-1.json:3:" "the edited file's defect is located"
contains "$err" "lint reads criteria as it is on disk" "lint --worktree says what it read"
case "$err" in *warning*) fail "no warning with --worktree: $err" ;; *) pass ;; esac
check "HEAD did not move" test "$(git -C "$W" rev-parse HEAD)" = "$head_before"
check "the index file is untouched" test "$(sha256sum <"$W/.git/index")" = "$index_before"
check "nothing was staged" test -z "$(git -C "$W" diff --cached --name-only)"
check "the work tree keeps its edits" test "$(jq .check.le "$W/criteria/privacy/PRIV-1.json")" = 72

run_emheval lint --criteria "$W" --worktree --rev HEAD
expect_rc 2 "--worktree with --rev is a usage error"
run_emheval lint --criteria "$W" --rev HEAD~1
case "$err" in *uncommitted*) fail "no warning when a revision is named: $err" ;; *) pass ;; esac

# test: the relaxed threshold (72 months) makes the five-year fail fixture pass, seen only with --worktree.
git -C "$W" checkout -q -- criteria/safety/SAFE-1.json
run_emheval test --criteria "$W"
expect_rc "$fixtures_ok" "test without --worktree: the committed criteria"
contains "$err" "criteria has 2 uncommitted changes that test does not see" "test warns"
contains "$err" "criteria/privacy/PRIV-1.json (modified)" "test names the edited criterion"
run_emheval test --criteria "$W" --worktree
expect_rc 1 "test --worktree tests the edit"
contains "$out" "criteria/privacy/fixtures/PRIV-1.fail.json: FAIL: expected fail, got pass" "the fixture the edit broke"
# A deleted fixture is a change too, and --worktree no longer runs it.
rm "$W/criteria/privacy/fixtures/PRIV-1.fail.json"
run_emheval test --criteria "$W"
contains "$err" "criteria/privacy/fixtures/PRIV-1.fail.json (deleted)" "a deleted file is named"
run_emheval test --criteria "$W" --worktree
case "$out" in *PRIV-1.fail.json*) fail "--worktree still ran a deleted fixture" ;; *) pass ;; esac

# impact reads revisions too: comparing HEAD with HEAD warns of the edit it does not see; --worktree compares
# with the files on disk (in place of --to), so the relaxed threshold (72 months) flips sub-bad (48 months).
run_emheval impact --criteria "$W" --from HEAD --to HEAD "$ROOT/tests/data/mini/sub-bad"
expect_rc 0 "impact HEAD to HEAD"
contains "$err" "criteria has 3 uncommitted changes that impact does not see" "impact warns"
contains "$err" "criteria/privacy/PRIV-1.json (modified)" "impact names the edited criterion"
contains "$err" "run impact --worktree to compare with the files" "impact names the way out"
case "$out" in *PRIV-1*) fail "impact without --worktree saw the edit: $out" ;; *) pass ;; esac
run_emheval impact --criteria "$W" --from HEAD --worktree --fail-on weakened "$ROOT/tests/data/mini/sub-bad"
expect_rc 1 "impact --worktree: the relaxed criterion weakens"
contains "$out" "PRIV-1" "impact --worktree sees the edited criterion"
contains "$err" "impact reads criteria as it is on disk" "impact --worktree says what it read"
case "$err" in *warning*) fail "no warning with impact --worktree: $err" ;; *) pass ;; esac
run_emheval impact --criteria "$W" --from HEAD --to HEAD --worktree "$ROOT/tests/data/mini/sub-bad"
expect_rc 2 "impact --worktree with --to is a usage error"
run_emheval impact --criteria "$W" --from HEAD~1 --to HEAD~1 "$ROOT/tests/data/mini/sub-bad"
case "$err" in *uncommitted*) fail "impact: no warning when neither side is HEAD: $err" ;; *) pass ;; esac

# A bare repository has no work tree: no warning, and --worktree is refused.
git clone -q --bare "$W" "$TMP/bare.git"
run_emheval lint --criteria "$TMP/bare.git"
expect_rc 0 "lint of a bare repository"
case "$err" in *uncommitted*) fail "no warning for a bare repository" ;; *) pass ;; esac
run_emheval lint --criteria "$TMP/bare.git" --worktree
expect_rc 2 "--worktree on a bare repository"
contains "$err" "is a bare repository" "the reason is given"

summary
