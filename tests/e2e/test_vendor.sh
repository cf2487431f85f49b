#!/bin/bash
# A vendor's first hour (issue 15): `emheval init` starts a submission that
# check reads (placeholders named at their lines, not approved).
SUITE=vendor
. "$(dirname "$0")/lib.sh"
make_repo "$TMP/crit" "$ROOT/criteria"
SUB=$TMP/app
jqt() { jq -e "$@" >/dev/null; } # jqt FILTER FILE: FILTER holds (true) for FILE

# --- init ---------------------------------------------------------------------------------------------------
run_emheval init --date 2026-11-02 "$SUB"
expect_rc 0 "init DIR"
contains "$out" "emheval hash $SUB" "init says what to run next"
check "init: submission.json and the evidence folder" test -f "$SUB/submission.json" -a -f "$SUB/evidence/privacy-policy.md"
check "init: valid JSON with every required field" \
	jqt '.schema == "emheval/submission/1" and .submission_date == "2026-11-02" and .app.id and .app.name
	       and .app.version and .risk_tier and (.evidence | length) == 1' "$SUB/submission.json"
check "init: the schema reference for editors" \
	jqt '."$schema" == "https://emheval.example/schemas/submission.schema.json"' "$SUB/submission.json"
check "init: the listed document's SHA-256 is its real one" \
	test "$(jq -r '.evidence[0].sha256' "$SUB/submission.json")" = "$(sha256sum "$SUB/evidence/privacy-policy.md" | cut -c1-64)"
cp "$SUB/submission.json" "$TMP/scaffold.json"
echo "edited by the vendor" >>"$SUB/submission.json"
run_emheval init "$SUB"
expect_rc 2 "init refuses a folder that holds a submission"
contains "$err" "already exists" "init names what it will not overwrite"
check "init overwrote nothing" grep -q "edited by the vendor" "$SUB/submission.json"
cp "$TMP/scaffold.json" "$SUB/submission.json"
mkdir -p "$TMP/policy-only/evidence" && echo mine >"$TMP/policy-only/evidence/privacy-policy.md"
run_emheval init "$TMP/policy-only"
expect_rc 2 "init refuses to overwrite an existing evidence/privacy-policy.md"
check "init wrote no submission.json beside it" test ! -e "$TMP/policy-only/submission.json"
run_emheval init --date 2026-02-30 "$TMP/bad-date"
expect_rc 2 "init --date takes a real date"
check "a refused init leaves no folder" test ! -e "$TMP/bad-date"
: >"$TMP/a-file"
run_emheval init "$TMP/a-file"
expect_rc 2 "init on a file is refused"
mkdir "$TMP/here" && (cd "$TMP/here" && "$EMHEVAL" init --date 2026-11-02 >/dev/null)
check "init without DIR starts the current folder" test -f "$TMP/here/submission.json"
run_emheval init a b
expect_rc 2 "init takes one DIR"
run_emheval init --help
contains "$out" "--date DATE" "init --help lists its option"

# check on the fresh scaffold: evaluated (no crash, no input error), not approved, placeholders named at their lines.
run_emheval check "$SUB" --criteria "$TMP/crit"
expect_rc 1 "check on the scaffold: evaluated and not approved"
contains "$err" "submission.json:6:11: warning: placeholder left from emheval init: TODO: a stable identifier" \
	"the placeholder is named at its line"
contains "$err" "(at /app/id)" "the placeholder's pointer"
check "every placeholder is warned about" test "$(grep -c 'placeholder left from emheval init' "$TMP/err")" = 5
contains "$out" "REJECTED" "the scaffold is rejected"
check "no unknown-member warning for \$schema" sh -c "! grep -q 'unknown member' '$TMP/err'"
check "no INT-HASH-01 failure: the scaffold's hash is right" sh -c "! grep -q 'INT-HASH-01' '$TMP/out'"

summary
