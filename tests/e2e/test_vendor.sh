#!/bin/bash
# A vendor's first hour (issue 15): `emheval init` starts a submission that
# check reads (placeholders named at their lines, not approved), `emheval
# hash` records the SHA-256 of edited documents in submission.json keeping
# its layout, and a hash mismatch points at the "sha256" line.
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

# --- hash ---------------------------------------------------------------------------------------------------
printf '# Privacy policy\n\nWe never sell your data.\n' >"$SUB/evidence/privacy-policy.md"
printf 'Help text\n' >"$SUB/evidence/app-text.md"
# A second document listed the compact way, with no sha256 yet: hash adds one after "path".
jq '.evidence += [{"kind": "app_text", "path": "evidence/app-text.md"}]' "$SUB/submission.json" >"$TMP/s.json"
cp "$TMP/s.json" "$SUB/submission.json"
run_emheval check "$SUB" --criteria "$TMP/crit"
expect_rc 2 "a supplied document without sha256 breaks the schema"
cp "$SUB/submission.json" "$TMP/before.json"
run_emheval hash --check "$SUB"
expect_rc 1 "hash --check: out of date"
contains "$out" "2 hashes out of date" "hash --check counts"
check "hash --check writes nothing" cmp -s "$SUB/submission.json" "$TMP/before.json"
run_emheval hash "$SUB"
expect_rc 0 "hash DIR"
contains "$out" "$SUB/submission.json:18:17: evidence/privacy-policy.md: " "hash names the sha256 it rewrote at its line"
contains "$out" "2 hashes updated" "hash counts what it changed"
check "hash: the privacy policy's SHA-256 is its file's" \
	test "$(jq -r '.evidence[0].sha256' "$SUB/submission.json")" = "$(sha256sum "$SUB/evidence/privacy-policy.md" | cut -c1-64)"
check "hash: the added sha256 is the app text's" \
	test "$(jq -r '.evidence[1].sha256' "$SUB/submission.json")" = "$(sha256sum "$SUB/evidence/app-text.md" | cut -c1-64)"
# Only the sha256 values changed (and the comma the added one needs after "path"): the layout is kept.
diff "$TMP/before.json" "$SUB/submission.json" >"$TMP/hash.diff"
check "hash keeps every other line" test "$(grep -c '^[<>]' "$TMP/hash.diff")" = 5
check "hash adds sha256 on its own line after path, indented alike" \
	grep -qE '^      "path": "evidence/app-text.md",$' "$SUB/submission.json"
run_emheval hash --check "$SUB"
expect_rc 0 "hash --check: up to date after hash"
run_emheval hash "$SUB"
contains "$out" "0 hashes updated" "a second hash changes nothing"
run_emheval check "$SUB" --criteria "$TMP/crit"
expect_rc 1 "check after hash: evaluated"
check "no INT-HASH-01 failure after hash" sh -c "! grep -q 'INT-HASH-01' '$TMP/out'"
# A one-line manifest keeps its one line.
mkdir "$TMP/flat" && echo text >"$TMP/flat/p.md"
jq -c '.evidence = [{"kind": "privacy_policy", "path": "p.md", "sha256": "'"$(printf '0%.0s' $(seq 64))"'"}]' \
	"$TMP/scaffold.json" >"$TMP/flat/submission.json"
run_emheval hash "$TMP/flat"
expect_rc 0 "hash on a one-line manifest"
check "one line stays one line" test "$(wc -l <"$TMP/flat/submission.json")" = 1
check "its sha256 is right" test "$(jq -r '.evidence[0].sha256' "$TMP/flat/submission.json")" = "$(sha256sum "$TMP/flat/p.md" | cut -c1-64)"
# A missing document: an error at its "path", nothing written.
rm "$SUB/evidence/app-text.md"
cp "$SUB/submission.json" "$TMP/before.json"
run_emheval hash "$SUB"
expect_rc 2 "hash with a listed file missing"
contains "$err" "submission.json:25:15: error: evidence/app-text.md cannot be hashed" "the missing file at its path line"
check "nothing written when a file is missing" cmp -s "$SUB/submission.json" "$TMP/before.json"
run_emheval hash
expect_rc 2 "hash needs DIR"
run_emheval hash "$TMP/nowhere"
expect_rc 2 "hash on a missing folder"
printf '{"schema": ' >"$TMP/flat/submission.json"
run_emheval hash "$TMP/flat"
expect_rc 2 "hash on malformed JSON"
contains "$err" "submission.json:1:" "malformed JSON at its place"

# --- a mismatch points at the sha256 line ---------------------------------------------------------------------
echo "edited after hashing" >>"$SUB/evidence/privacy-policy.md"
printf 'Help text\n' >"$SUB/evidence/app-text.md"
run_emheval check "$SUB" --criteria "$TMP/crit" --format json -o "$TMP/d.json"
expect_rc 1 "check with a mismatch"
check "INT-HASH-01 finding in submission.json at the sha256 line" \
	jqt '[.results[] | select(.id == "INT-HASH-01") | .findings[]] | length == 1 and .[0].file == null
	       and .[0].pointer == "/evidence/0/sha256" and .[0].line == 18 and .[0].column == 17
	       and (.[0].found | startswith("evidence/privacy-policy.md: declared "))' "$TMP/d.json"
run_emheval check "$SUB" --criteria "$TMP/crit"
contains "$out" "submission.json:18:17 /evidence/0/sha256" "the text report names the sha256 line"
# --- the verdict line says when reviews are still open --------------------------------------------------------
MINI=$ROOT/tests/data/mini
make_repo "$TMP/mini" "$MINI/criteria"
run_emheval check "$MINI/sub-ok" --criteria "$TMP/mini"
expect_rc 1 "mini: awaiting review"
check "text: the verdict line counts the open reviews and names them" \
	test "$(head -n 1 "$TMP/out")" = " AWAITING_REVIEW   Calm 1.0.0 (tier A); 1 review open: SAFE-3"
run_emheval check "$MINI/sub-ok" --criteria "$TMP/mini" --format markdown
check "markdown: the verdict heading counts the open reviews and names them" \
	test "$(head -n 1 "$TMP/out")" = "## ⏸️ Awaiting review: Calm 1.0.0 · 1 review open: SAFE-3"
# A minor manual criterion does not hold the verdict (the policy reviews blocker and major): approved, but the
# line still says a review is open, so it does not read as final.
make_repo "$TMP/mini-minor" "$MINI/criteria"
sed -i 's/"severity": "major"/"severity": "minor"/' "$TMP/mini-minor/criteria/safety/SAFE-3.json"
git -C "$TMP/mini-minor" commit -qam "SAFE-3 minor"
run_emheval check "$MINI/sub-ok" --criteria "$TMP/mini-minor"
expect_rc 0 "mini, SAFE-3 minor: approved"
check "approved with a review open: the verdict line says so" \
	test "$(head -n 1 "$TMP/out")" = " APPROVED   Calm 1.0.0 (tier A); 1 review open: SAFE-3"
# No review open: the line is the verdict alone.
git -C "$TMP/mini-minor" rm -q criteria/safety/SAFE-3.json && git -C "$TMP/mini-minor" commit -qm "no SAFE-3"
run_emheval check "$MINI/sub-ok" --criteria "$TMP/mini-minor"
check "no review open: nothing after the app" test "$(head -n 1 "$TMP/out")" = " APPROVED   Calm 1.0.0 (tier A)"

summary
