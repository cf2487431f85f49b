#!/bin/bash
# The CI gate for criteria changes: lint (every seeded defect at file:line:col,
# a missed version bump, an unretired removal), test (the shipped fixtures with
# full coverage, a fixture that no longer fails), impact (a tightened threshold
# flips exactly the expected examples, a title change flips none, Markdown for
# a pull request), and the example CI configurations of docs/ci run locally.
SUITE=gate
. "$(dirname "$0")/lib.sh"
GATE=$ROOT/tests/data/gate
# Jenkins' JUnit schema (tests/data/junit/README.md): lint's and test's JUnit validate against it.
XSD=$ROOT/tests/data/junit/junit-10.xsd
junit_valid() { xmllint --noout --schema "$XSD" "$1" 2>"$TMP/xsd.err" || { cat "$TMP/xsd.err" >&2; return 1; }; }
BIN_DIR=$(dirname "$EMHEVAL")

# commit REPO MESSAGE: commits every change in REPO.
commit() { git -C "$1" add -A && git -C "$1" commit -qm "$2"; }

# set_json FILE JQ-FILTER: rewrites a JSON file in place.
set_json() { jq "$2" "$1" > "$1.tmp" && mv "$1.tmp" "$1"; }

# ---- usage ----------------------------------------------------------------
run_emheval lint --format pdf
expect_rc 2 "lint: unknown format"
run_emheval lint --bogus
expect_rc 2 "lint: unknown option"
run_emheval lint --criteria "$TMP/nowhere"
expect_rc 2 "lint: not a repository"
contains "$err" "not a git repository" "lint names the missing repository"
run_emheval test --format sarif
expect_rc 2 "test: SARIF is for lint"
run_emheval impact --to HEAD submissions
expect_rc 2 "impact without --from"
run_emheval impact --from HEAD --to HEAD
expect_rc 2 "impact without a PATH"
run_emheval impact --from HEAD --to HEAD --fail-on sometimes "$ROOT/submissions"
expect_rc 2 "impact: unknown --fail-on"
run_emheval impact --from HEAD --to HEAD --format sarif "$ROOT/submissions"
expect_rc 2 "impact: unknown format"
run_emheval --help
contains "$out" "emheval lint" "--help lists lint"
contains "$out" "emheval impact" "--help lists impact"

# ---- lint: the shipped set is clean; every seeded defect is located ---------
SHIP=$TMP/ship
make_repo "$SHIP" "$ROOT/criteria"
cp -R "$ROOT/submissions" "$SHIP/submissions"
commit "$SHIP" "examples"
git -C "$SHIP" branch -q -M main
run_emheval lint --criteria "$SHIP"
expect_rc 0 "lint: the shipped criteria are clean"
contains "$out" "lint: 0 findings in 203 files (201 criteria)" "lint counts the shipped files"

SEED=$TMP/seed
make_repo "$SEED" "$GATE/seeded/criteria"
run_emheval lint --criteria "$SEED"
expect_rc 1 "lint: seeded defects"
got=$(printf '%s\n' "$out" | grep ': error: ' | sed -E 's/^([^:]+:[0-9]+:[0-9]+): error: .* \[([a-z-]+)\]( \(at .*\))?$/\1 \2/')
want=$(grep -v '^#' "$GATE/seeded/expected.txt" | sed 's/ *#.*//; s/ *$//')
if [ "$got" = "$want" ]; then pass; else fail "lint: seeded defects differ:$(diff <(echo "$want") <(echo "$got"))"; fi
n_want=$(printf '%s\n' "$want" | wc -l)
contains "$out" "lint: $n_want findings" "lint counts the seeded findings"
contains "$out" "    \"version\": \"1.0\"," "text shows the source line"
contains "$out" 'missing closing parenthesis at offset 10' "PCRE2's message and offset"

run_emheval lint --criteria "$SEED" --format json
expect_rc 1 "lint --format json"
check "lint JSON parses, one finding per seeded defect" \
	test "$(printf '%s' "$out" | jq '.findings | length')" = "$n_want"
check "every JSON finding has a line and a column" \
	test "$(printf '%s' "$out" | jq '[.findings[] | select(.line < 1 or .column < 1)] | length')" = 0
check "lint JSON is the canonical form (a cJSON tree through the canonical printer: keys sorted)" \
	test "$(printf '%s' "$out" | jq -c .)" = "$(printf '%s' "$out" | jq -cS .)"
run_emheval lint --criteria "$SEED" --format sarif
expect_rc 1 "lint --format sarif"
check "SARIF 2.1.0 with one result per finding" \
	test "$(printf '%s' "$out" | jq -r '.version + " " + (.runs[0].results | length | tostring)')" = "2.1.0 $n_want"
check "SARIF results point at file, line and column" \
	test "$(printf '%s' "$out" | jq -r '.runs[0].results[0].locations[0].physicalLocation | .artifactLocation.uri + ":" + (.region.startLine | tostring) + ":" + (.region.startColumn | tostring)')" = "criteria/alpha/A-DEPS.json:8:24"
check "lint SARIF names where to learn about the tool" \
	test "$(printf '%s' "$out" | jq -r '.runs[0].tool.driver.informationUri')" = "https://emheval.example/"
check "lint SARIF is the canonical form, as the dossier's SARIF" \
	test "$(printf '%s' "$out" | jq -c .)" = "$(printf '%s' "$out" | jq -cS .)"
check "SARIF rule indexes name the rules" \
	test "$(printf '%s' "$out" | jq '[.runs[0] as $r | $r.results[] | select(.ruleId != $r.tool.driver.rules[.ruleIndex].id)] | length')" = 0
# Every rule docs/gate.md lists is in the SARIF rule table (a missing one got ruleIndex 0, "json").
doc_rules=$(sed -n 's/^| `\([a-z-]*\)` | .* | \(compiler\|lint\) |$/\1/p' "$ROOT/docs/gate.md" | sort)
check "SARIF's rule table lists every rule of docs/gate.md" \
	test "$(printf '%s' "$out" | jq -r '.runs[0].tool.driver.rules[].id' | sort)" = "$doc_rules"
check "docs/gate.md lists the rules (the table was read)" test "$(printf '%s\n' "$doc_rules" | wc -l)" -ge 18
run_emheval lint --criteria "$SEED" --format junit -o "$TMP/lint.xml"
expect_rc 1 "lint --format junit"
check "lint JUnit is well-formed XML" xmllint --noout "$TMP/lint.xml"
check "lint JUnit is valid against junit-10.xsd" junit_valid "$TMP/lint.xml"
# A criteria file name with a space: SARIF's uri is a URI reference, percent-encoded.
SPACED=$TMP/spaced
make_repo "$SPACED" "$GATE/seeded/criteria"
git -C "$SPACED" mv criteria/alpha/A-DEPS.json "criteria/alpha/A DEPS.json" && commit "$SPACED" "a space"
run_emheval lint --criteria "$SPACED" --format sarif
check "lint SARIF percent-encodes a file name" \
	test "$(printf '%s' "$out" | jq -r '[.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri | select(contains("DEPS"))] | unique | join(" ")')" = "criteria/alpha/A%20DEPS.json"
check "lint JUnit: the failure's text locates each finding" grep -q 'criteria/alpha/A-DEPS.json:8:24: criterion A-DEPS requires NOPE-1' "$TMP/lint.xml"

# ---- lint --against: versions and retirements ------------------------------
MINI=$TMP/mini
make_repo "$MINI" "$ROOT/tests/data/mini/criteria"
git -C "$MINI" tag v1
run_emheval lint --criteria "$MINI" --against v1
expect_rc 0 "lint --against an identical base"
set_json "$MINI/criteria/privacy/PRIV-1.json" '.check.le = 24'
set_json "$MINI/criteria/safety/SAFE-1.json" '.title = "Crisis signposting with a helpline"'
commit "$MINI" "tighter retention, forgot the bump"
run_emheval lint --criteria "$MINI" --against v1
expect_rc 1 "a missed version bump is caught"
contains "$out" "criteria/privacy/PRIV-1.json:3:14: error: PRIV-1 changed since v1 (check) but its version is still 1: bump it to 2 [version-bump]" "version-bump at /version"
contains "$out" "error: PRIV-1's fail_message states 36, which its check used at v1 but no longer does (the check's numbers now: 1, 24): state the new threshold [stale-number]" "stale-number: the message still says the old threshold"
contains "$out" "PRIV-1's title states 36" "stale-number: the title too"
contains "$out" "PRIV-1's remediation states 36" "stale-number: the remediation too"
sed -i 's/36/24/g' "$MINI/criteria/privacy/PRIV-1.json"
commit "$MINI" "wording follows the threshold"
contains "$out" "[framework-version]" "the framework version was not bumped either"
case "$out" in *SAFE-1*) fail "a title change needs no version bump" ;; *) pass ;; esac
set_json "$MINI/criteria/privacy/PRIV-1.json" '.version = 2'
set_json "$MINI/criteria/framework.json" '.version = "2.0.0"'
git -C "$MINI" rm -q criteria/safety/SAFE-3.json
commit "$MINI" "bumped; SAFE-3 removed"
run_emheval lint --criteria "$MINI" --against v1
expect_rc 1 "a removed criterion must be retired"
contains "$out" "criterion SAFE-3 (criteria/safety/SAFE-3.json at v1) was removed but is not listed in framework.json \"retired\"" "unretired removal named"
set_json "$MINI/criteria/framework.json" '.retired = [{"id": "SAFE-3", "reason": "folded into SAFE-1", "since": "2.0.0"}]'
commit "$MINI" "SAFE-3 retired"
run_emheval lint --criteria "$MINI" --against v1
expect_rc 0 "bumped and retired: clean"
run_emheval check "$ROOT/tests/data/mini/sub-ok" --criteria "$MINI"
expect_rc 0 "the evaluator accepts a retired list"
run_emheval lint --criteria "$MINI" --against no-such-rev
expect_rc 2 "an unknown base is an input error"
printf '{"id": "PRIV-2",\n' > "$MINI/criteria/privacy/PRIV-2.json"
commit "$MINI" "PRIV-2 broken"
run_emheval lint --criteria "$MINI" --against v1
expect_rc 1 "a broken file against a base"
contains "$out" "criteria/privacy/PRIV-2.json:2:1: error:" "the JSON error is located"
case "$out" in *"PRIV-2 ("*removed*) fail "a file that does not parse is not a removed criterion" ;; *) pass ;; esac
git -C "$MINI" reset -q --hard HEAD~1

# ---- test: the shipped fixtures -------------------------------------------
run_emheval test --criteria "$SHIP"
expect_rc 0 "emheval test passes on the shipped set"
nchecks=$(jq -s '[.[] | select(.manual != true)] | length' "$ROOT"/criteria/*/*.json)
contains "$out" "coverage: $nchecks of $nchecks checks have a pass fixture, $nchecks a fail fixture" "full coverage of the shipped checks"
contains "$out" ": ok" "test says ok"
run_emheval test --criteria "$SHIP" --format junit -o "$TMP/test.xml"
expect_rc 0 "test --format junit"
check "test JUnit is well-formed XML" xmllint --noout "$TMP/test.xml"
check "test JUnit is valid against junit-10.xsd" junit_valid "$TMP/test.xml"
run_emheval test --criteria "$SHIP" --format json
check "test JSON: every fixture ok" test "$(printf '%s' "$out" | jq '[.fixtures[] | select(.ok | not)] | length')" = 0

# A fixture that no longer fails is reported: relax the retention limit.
FX=$TMP/fx
git clone -q "$SHIP" "$FX"
set_json "$FX/criteria/data_protection/DP-RET-01.json" '.check.le = 400 | .version += 1'
commit "$FX" "retention up to 400 months"
run_emheval test --criteria "$FX"
expect_rc 1 "a relaxed criterion breaks its fail fixture"
contains "$out" "criteria/data_protection/fixtures/DP-RET-01.fail-too-long.json: FAIL: expected fail, got pass" "the fixture that no longer fails is named"
nfix=$(ls "$ROOT"/criteria/*/fixtures/*.json | wc -l)
contains "$out" "test: $nfix fixtures, $((nfix - 1)) as expected, 1 not" "only that fixture"
run_emheval test --criteria "$FX" --format junit -o "$TMP/test-fail.xml"
expect_rc 1 "test --format junit with a broken fixture"
check "a failing test's JUnit is valid against junit-10.xsd" junit_valid "$TMP/test-fail.xml"
check "and names the broken fixture in a failure" grep -q '<failure message="expected fail, got pass"' "$TMP/test-fail.xml"
# Coverage: a new check without fixtures.
jq '.id = "DP-RET-03" | .title = "Retention is reviewed"' "$FX/criteria/data_protection/DP-RET-01.json" > "$FX/criteria/data_protection/DP-RET-03.json"
commit "$FX" "a new check without fixtures"
run_emheval test --criteria "$FX"
expect_rc 1 "a check without fixtures"
contains "$out" "no pass fixture (1): DP-RET-03" "missing pass fixture named"
contains "$out" "no fail fixture (1): DP-RET-03" "missing fail fixture named"
# Fixtures are read from git at the revision, never from the work tree.
rm -rf "$FX/criteria/data_protection/fixtures"
run_emheval test --criteria "$FX" --rev HEAD~2
expect_rc 0 "test --rev reads the fixtures of that revision"
git -C "$FX" checkout -q -- criteria

# ---- impact ----------------------------------------------------------------
# A tightened threshold: retention at most 30 months newly rejects 02 (36), 10 (96) and 13 (96), and changes
# DP-RET-01 for 11 (36), 12 (72), 15 (36) and 16 (96), which were rejected already.
IMP=$TMP/imp
git clone -q "$SHIP" "$IMP"
git -C "$IMP" checkout -q -b tighten
set_json "$IMP/criteria/data_protection/DP-RET-01.json" '.check.le = 30 | .version += 1'
set_json "$IMP/criteria/framework.json" '.version = "4.0.0"'
commit "$IMP" "retention at most 30 months"
(cd "$IMP" && "$EMHEVAL" impact --from main --to tighten submissions >"$TMP/out" 2>"$TMP/err")
rc=$?; out=$(cat "$TMP/out")
expect_rc 0 "impact without --fail-on reports only"
contains "$out" "criteria: 1 changed (0 in wording only), 0 added, 0 removed" "impact counts the changed criteria"
contains "$out" "  changed  DP-RET-01 v2 -> v3 [major] (version, check)" "the changed criterion with its keys"
flipped=$(printf '%s\n' "$out" | grep -E '^  submissions/' | sed 's/:.*//' | tr -d ' ' | tr '\n' ' ')
want="submissions/02-mindstep-cbt submissions/10-therapy-online submissions/11-ankerzeit-diga submissions/12-solvara-fda "
want="${want}submissions/13-mooring-class1 submissions/15-petalnote-hidden-ads submissions/16-larchwood-therapy-workforce "
if [ "$flipped" = "$want" ]; then pass; else fail "exactly 02, 10 and 11 to 13, 15, 16 change, not: $flipped"; fi
contains "$out" "submissions/02-mindstep-cbt: awaiting_review -> rejected" "02 newly rejected"
contains "$out" "DP-RET-01 [major] pass -> fail" "the criterion responsible"
contains "$out" "found 96" "the value that fails"
run_emheval impact --criteria "$IMP" --from main --to tighten --fail-on newly-rejected "$ROOT/submissions"
expect_rc 1 "--fail-on newly-rejected"
run_emheval impact --criteria "$IMP" --from main --to tighten --format json "$ROOT/submissions"
check "impact JSON: five verdicts changed (11 and 12 too, awaiting review since 3.1.0), all newly rejected, seven submissions changed" \
	test "$(printf '%s' "$out" | jq -r '.summary | "\(.verdict_changed) \(.newly_rejected) \(.changed)"')" = "5 5 7"
# The Markdown a maintainer sees in the pull request, in one command.
run_emheval impact --criteria "$IMP" --from main --to tighten --format markdown "$ROOT/submissions"
expect_rc 0 "impact --format markdown"
contains "$out" "**7 of 19 submissions change: 5 verdicts, 5 newly rejected.**" "Markdown summary line"
contains "$out" "| \`DP-RET-01\` | changed | 2 → 3 | major | version, check |" "Markdown criteria table"
contains "$out" "awaiting_review → **rejected** | \`DP-RET-01\` pass → fail |" "Markdown row: verdict and criteria responsible"
# -j does not change the report.
run_emheval impact --criteria "$IMP" --from main --to tighten -j 1 --format json "$ROOT/submissions"
one=$out
run_emheval impact --criteria "$IMP" --from main --to tighten -j 7 --format json "$ROOT/submissions"
check "impact output does not depend on -j" test "$one" = "$out"

# A cosmetic change (a title) flips none.
git -C "$IMP" checkout -q -b cosmetic main
set_json "$IMP/criteria/security/DTAC-C3-PENTEST.json" '.title = "An external penetration test in the last 12 months"'
commit "$IMP" "clearer title"
run_emheval impact --criteria "$IMP" --from main --to cosmetic --fail-on any-change "$ROOT/submissions"
expect_rc 0 "a title change flips nothing (--fail-on any-change passes)"
contains "$out" "criteria: 1 changed (1 in wording only), 0 added, 0 removed" "the title change is wording only"
contains "$out" "submissions: 19 evaluated, 0 changed" "no submission changes"
run_emheval lint --criteria "$IMP" --rev cosmetic --against main
expect_rc 1 "...but the framework version still needs a patch bump"
contains "$out" "[framework-version]" "framework-version for a wording change"

# Added and removed criteria; an unreadable submission is an input error.
git -C "$IMP" checkout -q -b addrm main
git -C "$IMP" rm -q criteria/product_information/MIND-OFFLINE-01.json
jq '.id = "SEC-TLS-02" | .title = "TLS 1.3" | .check.in = ["1.3"]' "$IMP/criteria/security/SEC-TLS-01.json" > "$IMP/criteria/security/SEC-TLS-02.json"
commit "$IMP" "one in, one out"
mkdir -p "$TMP/bad"
printf '{"app": ' > "$TMP/bad/submission.json"
run_emheval impact --criteria "$IMP" --from main --to addrm "$ROOT/submissions" "$TMP/bad"
expect_rc 2 "an unreadable submission fails the gate"
contains "$out" "  added    SEC-TLS-02 v1 [blocker]" "added criterion"
contains "$out" "  removed  MIND-OFFLINE-01 v1" "removed criterion"
contains "$out" "SEC-TLS-02 [blocker] (none) -> fail" "a new criterion that fails is responsible"
contains "$out" "could not be read" "the unreadable submission is reported"
run_emheval impact --criteria "$IMP" --from main --to no-such-rev "$ROOT/submissions"
expect_rc 2 "impact: unknown revision"
run_emheval impact --criteria "$SEED" --from HEAD --to HEAD "$ROOT/submissions"
expect_rc 2 "impact: criteria that do not compile"
contains "$err" "HEAD:criteria/alpha/A-JSON.json:4:1:" "compile problems name the revision, git-style"

# Hostile text from a submission stays inert in the Markdown (a folder's submission.json, since a
# bare JSON file may list no evidence).
EVIL=$TMP/evil
mkdir -p "$EVIL/x|<img src=x onerror=alert(1)>"
jq '.app.name = "<script>alert(1)</script> | [click](https://evil.example) @team"' \
	"$ROOT/submissions/10-therapy-online/submission.json" > "$EVIL/x|<img src=x onerror=alert(1)>/submission.json"
run_emheval impact --criteria "$IMP" --from main --to tighten --format markdown "$EVIL"
expect_rc 0 "impact on a hostile submission"
case "$out" in *"<script>"*|*"<img"*|*"](https://"*|*" @team"*) fail "raw markup from a submission in the Markdown" ;; *) pass ;; esac
contains "$out" "&lt;script&gt;" "markup escaped"

# ---- the README's maintainer block, as written, in a fresh clone ------------
awk '/maintainer-gate:begin/ { on = 1 } /maintainer-gate:end/ { on = 0 }
     on && /^```sh$/ { inb = 1; next } on && inb && /^```$/ { inb = 0; next } inb' "$ROOT/README.md" \
	| sed "s|build/emheval|\"\$EMHEVAL\"|" > "$TMP/readme-gate.sh"
check "README has the maintainer block" test "$(wc -l < "$TMP/readme-gate.sh")" = 3
git clone -q "$ROOT" "$TMP/readme"
git -C "$TMP/readme" branch -q -f main HEAD 2>/dev/null || true
(cd "$TMP/readme" && bash -e "$TMP/readme-gate.sh" >"$TMP/out" 2>"$TMP/err")
rc=$?
expect_rc 0 "the README's maintainer commands run clean on the shipped set"
contains "$(cat "$TMP/out")" "No submission changes verdict or outcome" "README impact: nothing flips against itself"

# ---- docs/ci: the example configurations run locally -----------------------
# ci_steps FILE: prints each shell step of a GitHub Actions or GitLab CI file
# as one block ending in a NUL byte, skipping steps marked ci-only.
ci_steps() {
	awk '
	function flush() { if (cmd != "") printf "%s%c", cmd, 0; cmd = "" }
	/^[ ]*- name:/ { flush(); ci_only = ($0 ~ /\(ci-only\)/); inrun = 0; next }
	/^[ ]*run: \|/ { flush(); inrun = !ci_only; match($0, /^[ ]*/); ind = RLENGTH; next }
	/^[ ]*run: / { flush(); if (!ci_only) { sub(/^[ ]*run: /, ""); cmd = $0; flush() } next }
	inrun { match($0, /^[ ]*/); if (RLENGTH > ind && $0 !~ /^[ ]*$/) { sub(/^[ ]+/, ""); cmd = cmd $0 "\n"; next } flush(); inrun = 0 }
	/^[ ]*script:/ { inscript = 1; next }
	inscript && /^[ ]*- / { sub(/^[ ]*- /, ""); cmd = $0; flush(); next }
	inscript && /^[ ]*[a-z_]+:/ { inscript = 0 }
	END { flush() }' "$1"
}

# ci_env FILE: the job-level env (GitHub) or variables (GitLab) as shell assignments.
ci_env() {
	awk '
	/^    (env|variables):/ { inenv = 1; next }
	inenv && /^      [A-Z_]+: / { k = $1; sub(/:$/, "", k); v = $0; sub(/^ *[A-Z_]+: /, "", v); gsub(/"/, "", v);
	                             gsub(/\$\{\{ github.base_ref \}\}/, "main", v); print "export " k "=\"" v "\""; next }
	inenv && /^    [a-z_-]+:/ { inenv = 0 }' "$1"
	awk '
	/^  variables:/ { inv = 1; next }
	inv && /^    [A-Z_]+: / { k = $1; sub(/:$/, "", k); v = $0; sub(/^ *[A-Z_]+: /, "", v); gsub(/"/, "", v);
	                          print "export " k "=\"" v "\""; next }
	inv && /^  [a-z_-]+:/ { inv = 0 }' "$1"
}

# run_ci FILE BRANCH: runs FILE's steps in a fresh clone of the criteria
# repository with BRANCH checked out (the pull request); prints each step's
# exit status, and returns the first that failed.
run_ci() {
	local file=$1 branch=$2 dir status=0 n=0
	dir=$(mktemp -d "$TMP/ci.XXXXXX")
	git clone -q "$IMP" "$dir/repo" && git -C "$dir/repo" checkout -q "$branch" || return 99
	(
		cd "$dir/repo" || exit 99
		export PATH="$BIN_DIR:$PATH" CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main GITHUB_STEP_SUMMARY="$dir/summary.md"
		eval "$(ci_env "$file")"
		while IFS= read -r -d '' step; do
			n=$((n + 1))
			bash -e -o pipefail -c "$step" >"$dir/step$n.out" 2>&1
			s=$?
			echo "step $n: exit $s"
			[ "$status" = 0 ] && status=$s
		done < <(ci_steps "$file")
		exit "$status"
	)
}

for ci in github-actions gitlab-ci; do
	file=$ROOT/docs/ci/$ci.yml
	check "$ci: has shell steps to run" test "$(ci_steps "$file" | tr -cd '\0' | wc -c)" -ge 4
	# A well-versioned cosmetic change passes every step.
	git -C "$IMP" checkout -q -b "ok-$ci" main
	set_json "$IMP/criteria/security/DTAC-C3-PENTEST.json" '.title = "An external penetration test in the last year"'
	set_json "$IMP/criteria/framework.json" '.version = "3.2.1"'
	commit "$IMP" "wording, patch bump"
	steps=$(run_ci "$file" "ok-$ci")
	rc=$?
	expect_rc 0 "$ci: a clean change passes the gate ($(echo $steps))"
	# The tightened retention newly rejects five examples: the gate fails.
	steps=$(run_ci "$file" tighten)
	rc=$?
	expect_rc 1 "$ci: a change that newly rejects submissions fails the gate"
	contains "$steps" "exit 1" "$ci: one step fails"
	# A missed version bump fails at lint.
	git -C "$IMP" checkout -q -b "nobump-$ci" main
	set_json "$IMP/criteria/data_protection/DP-RET-01.json" '.severity = "blocker"'
	commit "$IMP" "severity up, no bump"
	steps=$(run_ci "$file" "nobump-$ci")
	rc=$?
	expect_rc 1 "$ci: a missed version bump fails the gate"
done
git -C "$IMP" checkout -q main

# The templates as shipped: inputs documented and required, emheval pinned, every check reported after
# an earlier failure, and no write token where a fork's code runs.
GH=$ROOT/docs/ci/github-actions.yml GHC=$ROOT/docs/ci/github-actions-comment.yml GL=$ROOT/docs/ci/gitlab-ci.yml
for f in "$GH" "$GL"; do
	n=$(basename "$f")
	check "$n: documents its inputs" grep -q "^#   EMHEVAL_REF " "$f"
	check "$n: fails without a pinned emheval" grep -q 'EMHEVAL_REF:?' "$f"
	check "$n: builds the pinned commit, not the default branch's head" grep -q 'checkout --quiet --detach "$EMHEVAL_REF"' "$f"
	check "$n: no shallow clone of emheval's head" test "$(grep -c 'clone --depth' "$f")" = 0
	check "$n: fails on a weakened blocker or major criterion" grep -q -- '--fail-on weakened' "$f"
done
# GitHub: every step after the first check runs even when an earlier one failed.
unguarded=$(awk '/^      - name:/ { if (name != "" && !always) print name; name = $0; sub(/^ *- name: /, "", name); always = 0; next }
                 /^        if: always\(\)/ { always = 1 }
                 END { if (name != "" && !always) print name }' "$GH" | tr '\n' '|')
check "github-actions.yml: only set-up and the first check run without if: always() ($unguarded)" \
	test "$unguarded" = "Check out with history (ci-only)|Install emheval (ci-only)|Lint the criteria and the change|"
# GitLab: a failed lint still lets the fixtures and impact run (each records into `failed`).
check "gitlab-ci.yml: lint failure recorded, not fatal" grep -q 'echo lint >> failed; }' "$GL"
check "gitlab-ci.yml: the last line fails the job on any recorded failure" grep -q 'test ! -s failed' "$GL"
# Fork safety: the gate runs the pull request's code with a read-only token; the commenter has the write
# token and never checks out or runs that code.
check "no template uses pull_request_target" test "$(cat "$GH" "$GHC" "$GL" | grep -c pull_request_target)" = 0
check "the gate asks for no pull-request write token" test "$(grep -c 'pull-requests: write' "$GH")" = 0
check "the commenter runs on workflow_run" grep -q 'workflow_run:' "$GHC"
check "the commenter checks out nothing" test "$(grep -c 'actions/checkout' "$GHC")" = 0
check "the commenter checks the pull request's number is digits" grep -q "case \$pr in '' | \*\[!0-9\]\*)" "$GHC"
check "the commenter checks the pull request is the gate's" grep -q '"$head" = "$HEAD_SHA"' "$GHC"
check "the gate uploads what the commenter downloads" test "$(grep -c 'name: gate-comment' "$GH" "$GHC" | grep -c ':1$')" = 2

summary
