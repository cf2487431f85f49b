#!/bin/bash
# Untrusted submissions: every JSONTestSuite parsing case as submission.json,
# evidence paths that try to leave the folder, and malformed fields.
SUITE=input
. "$(dirname "$0")/lib.sh"
MINI=$ROOT/tests/data/mini
REPO=$TMP/repo
make_repo "$REPO" "$MINI/criteria"

# JSONTestSuite: n_ rejected with file:line:col, nothing crashes (exit > 2 means a signal or abort).
crashed=0 accepted_n=0 unlocated=0
for f in "$ROOT"/tests/data/JSONTestSuite/test_parsing/*.json; do
	name=$(basename "$f")
	d=$TMP/jts/$name
	mkdir -p "$d"
	cp "$f" "$d/submission.json"
	"$EMHEVAL" check "$d" --criteria "$REPO" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -gt 2 ]; then
		crashed=$((crashed + 1))
		echo "crash ($rc) on $name" >&2
	fi
	case "$name" in
	n_*)
		if [ "$rc" != 2 ]; then
			accepted_n=$((accepted_n + 1))
			echo "accepted $name (exit $rc)" >&2
		elif ! grep -qE "submission\.json:[0-9]+:[0-9]+: " "$TMP/err"; then
			unlocated=$((unlocated + 1))
			echo "no line:col for $name: $(cat "$TMP/err")" >&2
		fi ;;
	y_*)
		# Valid JSON: refused only as not a submission (issue 11: no "schema" member) or not an object.
		# Duplicate keys are valid JSON that emheval refuses (docs/security.md).
		if [ "$rc" = 2 ] && ! grep -qE "must be a JSON object|not a submission|u0000 in a string|duplicate key" "$TMP/err"; then
			accepted_n=$((accepted_n + 1))
			echo "rejected valid $name: $(cat "$TMP/err")" >&2
		fi ;;
	esac
	rm -rf "$d"
done
check "no JSONTestSuite file crashes emheval" test "$crashed" = 0
check "every n_ file is rejected and every y_ object accepted" test "$accepted_n" = 0
check "every rejection names submission.json:line:col" test "$unlocated" = 0

# A malformed submission: the error points at the line and column.
mkdir -p "$TMP/broken"
printf '{\n  "app": {"id": "x",\n          "name": tru}\n}\n' >"$TMP/broken/submission.json"
run_emheval check "$TMP/broken" --criteria "$REPO"
expect_rc 2 "malformed submission"
contains "$err" "broken/submission.json:3:22:" "malformed submission located"

# Evidence that tries to leave the submission folder is refused with exit 2.
mk_sub() { # mk_sub DIR PATH
	mkdir -p "$1"
	cp "$MINI/sub-ok/privacy.md" "$1/privacy.md" 2>/dev/null
	printf '{"schema": "emheval/submission/1", "submission_date": "2026-10-01", "risk_tier": "A", "app": {"id": "t", "name": "T", "version": "1"},\n "evidence": [{"kind": "privacy_policy", "path": "%s", "sha256": "%s"}]}\n' "$2" "$(printf '0%.0s' $(seq 64))" >"$1/submission.json"
}
mk_sub "$TMP/trav" "../../etc/passwd"
run_emheval check "$TMP/trav" --criteria "$REPO"
expect_rc 2 "path traversal refused"
contains "$err" "refused" "traversal error says refused"
contains "$err" "submission.json:2:" "traversal error located"
mk_sub "$TMP/abs" "/etc/passwd"
run_emheval check "$TMP/abs" --criteria "$REPO"
expect_rc 2 "absolute path refused"
mk_sub "$TMP/link" "policy.md"
ln -s /etc/passwd "$TMP/link/policy.md"
run_emheval check "$TMP/link" --criteria "$REPO"
expect_rc 2 "symlink escaping the folder refused"
contains "$err" "symlink" "symlink named in the error"
mk_sub "$TMP/dirlink" "docs/privacy.md"
ln -s "$MINI/sub-ok" "$TMP/dirlink/docs"
run_emheval check "$TMP/dirlink" --criteria "$REPO"
expect_rc 2 "symlinked folder refused"
mk_sub "$TMP/fifo" "pipe.md"
mkfifo "$TMP/fifo/pipe.md"
timeout 10 "$EMHEVAL" check "$TMP/fifo" --criteria "$REPO" >/dev/null 2>"$TMP/err"
rc=$?
expect_rc 2 "a FIFO as evidence is refused without hanging"
mk_sub "$TMP/missing" "nothere.md"
run_emheval check "$TMP/missing" --criteria "$REPO"
expect_rc 1 "a missing evidence file is a failed check, not an input error"

# A declared hash that does not match is an integrity failure.
mkdir -p "$TMP/mismatch"
cp "$MINI/sub-ok/"* "$TMP/mismatch/"
echo "tampered" >>"$TMP/mismatch/privacy.md"
run_emheval check "$TMP/mismatch" --criteria "$REPO"
expect_rc 1 "hash mismatch rejected"
contains "$out" "PRIV-2" "integrity criterion fails"
contains "$out" "declared" "finding shows declared and actual hashes"

# Wrong types: an error outcome, never a pass.
mkdir -p "$TMP/types"
cp "$MINI/sub-ok/"* "$TMP/types/"
sed -i 's/"retention_months": 24/"retention_months": "24"/' "$TMP/types/submission.json"
run_emheval check "$TMP/types" --criteria "$REPO"
expect_rc 1 "a string where an integer is expected is not approved"

# FOLDER/submission.json named directly is that folder's submission (its evidence resolves beside it);
# a bare x.json may list no evidence (test_hardening.sh).
run_emheval check "$MINI/sub-ok/submission.json" --criteria "$REPO"
expect_rc 1 "bare submission.json file (evaluated: awaiting review of SAFE-3)"
contains "$out" "AWAITING_REVIEW" "bare submission.json file: evaluated"

summary
