#!/bin/bash
# Reports: `emheval report` on saved dossiers, every format byte for byte against tests/golden, real file
# locations in SARIF, GitHub annotations and JUnit, text wrapped to the terminal's width, and hostile input
# (markup, quotes, control characters, invalid UTF-8, forged workflow commands) kept well-formed and inert
# in every format. The browser half (axe-core, screenshots, injected elements) is tests/browser/run.sh.
SUITE=report
. "$(dirname "$0")/lib.sh"
MINI=$ROOT/tests/data/mini
GOLDEN=$ROOT/tests/golden
# Jenkins' JUnit schema (tests/data/junit/README.md): every JUnit we write validates against it.
XSD=$ROOT/tests/data/junit/junit-10.xsd
junit_valid() { xmllint --noout --schema "$XSD" "$1" 2>"$TMP/xsd.err" || { cat "$TMP/xsd.err" >&2; return 1; }; }
FORMATS="text json html markdown junit sarif github"
ext_of() { case $1 in text) echo txt ;; markdown) echo md ;; junit) echo junit.xml ;; github) echo github.txt ;; *) echo "$1" ;; esac; }

# jq_ok FILTER FILE: the file is JSON and the filter holds.
jq_ok() { jq -e "$@" >/dev/null 2>&1; }
# valid_utf8 FILE: the bytes are UTF-8.
valid_utf8() { iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1; }
# no_controls FILE: no C0 control but LF and tab, no DEL, no C1 control (in its UTF-8 form), no U+FFFE/FFFF,
# no bidi override (U+202A-U+202E).
no_controls() { ! LC_ALL=C grep -aqP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xef\xbf[\xbe\xbf]|\xe2\x80[\xaa-\xae]' "$1"; }

# ---- the command ----------------------------------------------------------------------------------------
run_emheval --help
contains "$out" "emheval report DOSSIER" "--help shows report"
for f in $FORMATS; do contains "$out" "  $f " "--help lists the $f format"; done
run_emheval report
expect_rc 2 "report without a dossier"
run_emheval report "$GOLDEN/dossier.json" --format pdf
expect_rc 2 "unknown format"
contains "$err" "expected one of text, json, html, markdown, junit, sarif, github" "unknown format lists the formats"
run_emheval check "$MINI/sub-ok" --format pdf
expect_rc 2 "check: unknown format"
contains "$err" "expected one of text, json, html, markdown, junit, sarif, github" "check lists every format"
run_emheval report "$TMP/none.json"
expect_rc 2 "missing dossier file"
contains "$err" "none.json" "missing file named"
printf '{\n  "format": "emheval/dossier/2",\n  "criteria": {"commit": 7}\n}\n' >"$TMP/bad.json"
run_emheval report "$TMP/bad.json"
expect_rc 2 "malformed dossier"
contains "$err" "bad.json:3:" "malformed dossier located by line"
"$EMHEVAL" report - --format markdown <"$GOLDEN/dossier.json" >"$TMP/stdin.md" 2>"$TMP/err"
rc=$?
expect_rc 1 "report reads standard input (and exits 1: rejected)"
check "standard input renders like the file" cmp -s "$TMP/stdin.md" "$GOLDEN/dossier.md"

# The signature is an envelope beside the dossier (docs/audit.md): the HTML says whether one is there.
cp "$GOLDEN/dossier.json" "$TMP/signed.json"
"$EMHEVAL" report "$TMP/signed.json" --format html -o "$TMP/signed.html" 2>/dev/null
contains "$(cat "$TMP/signed.html")" "<dt>Signature</dt><dd>unsigned: no DSSE envelope beside this dossier" "HTML: unsigned"
echo '{}' >"$TMP/signed.dsse.json"
"$EMHEVAL" report "$TMP/signed.json" --format html -o "$TMP/signed.html" 2>/dev/null
contains "$(cat "$TMP/signed.html")" "<dt>Signature</dt><dd>a DSSE envelope lies beside this dossier (not checked here" "HTML: envelope beside"

# ---- golden files: one fixed dossier, every format, compared byte for byte ------------------------------
# To regenerate after an intended change: sh tests/golden/regen.sh (see tests/golden/README.md).
for f in $FORMATS; do
	want=$GOLDEN/dossier.$(ext_of "$f")
	COLUMNS=80 "$EMHEVAL" report "$GOLDEN/dossier.json" --format "$f" --base submissions/moodmate >"$TMP/golden.out" 2>"$TMP/err"
	rc=$?
	expect_rc 1 "report --format $f exits with the verdict's status"
	if cmp -s "$TMP/golden.out" "$want"; then pass; else
		fail "golden $f differs from $want (regenerate with tests/golden/regen.sh if intended): $(diff "$want" "$TMP/golden.out" | head -20)"
	fi
	"$EMHEVAL" report "$GOLDEN/dossier.json" --format "$f" --base submissions/moodmate -o "$TMP/golden.file" >/dev/null 2>&1
	check "-o writes the same $f bytes" cmp -s "$TMP/golden.out" "$TMP/golden.file"
done
check "golden JUnit is well-formed XML" xmllint --noout "$GOLDEN/dossier.junit.xml"
check "golden JUnit is valid against Jenkins' junit-10.xsd" junit_valid "$GOLDEN/dossier.junit.xml"
check "golden HTML is well-formed (XML-compatible markup)" xmllint --noout "$GOLDEN/dossier.html"
check "golden SARIF is JSON" jq_ok '.version == "2.1.0"' "$GOLDEN/dossier.sarif"

# ---- check writes every format; CI formats carry real lines and columns ---------------------------------
REPO=$TMP/repo
make_repo "$REPO" "$MINI/criteria"
SUB=$MINI/sub-bad
for f in $FORMATS; do
	run_emheval check "$SUB" --criteria "$REPO" --format "$f" -o "$TMP/check.$(ext_of "$f")"
	expect_rc 1 "check --format $f (rejected)"
done
check "check's JUnit is well-formed" xmllint --noout "$TMP/check.junit.xml"
check "check's JUnit is valid against junit-10.xsd" junit_valid "$TMP/check.junit.xml"
check "check's HTML is well-formed" xmllint --noout "$TMP/check.html"
j=$TMP/check.junit.xml
check "JUnit: one testcase per criterion" test "$(grep -c '<testcase ' "$j")" = 5
check "JUnit: fail is a failure" grep -q '<testcase classname="privacy" name="PRIV-1: [^"]*" time="0">' "$j"
# GitLab reads a testcase's file attribute (which junit-10.xsd does not allow) and shows the failure's text:
# the locations are there, FILE:LINE:COL.
check "JUnit: the failure's text names file, line and column" grep -q "^$SUB/submission.json:6:43: /data_protection/retention_months: expected" "$j"
check "JUnit: the evidence file located too" grep -q "^$SUB/privacy.md:3:8: expected to find no match" "$j"
check "JUnit: not_evaluated and needs_review are skipped" test "$(grep -c '<skipped ' "$j")" = 2
check "JUnit: counts" grep -q '<testsuites name="emheval" tests="5" failures="3" errors="0" time="0"' "$j"
check "JUnit: skipped counted on the testsuite" grep -q '<testsuite name="[^"]*" tests="5" failures="3" errors="0" skipped="2"' "$j"
g=$TMP/check.github.txt
contains "$(cat "$g")" "::error file=$SUB/submission.json,line=6,col=43,title=PRIV-1 [major] " "GitHub: pointer finding located in submission.json"
contains "$(cat "$g")" "::error file=$SUB/privacy.md,line=3,col=8,title=PRIV-2 [blocker] " "GitHub: text finding located in the evidence file"
contains "$(cat "$g")" "::error file=$SUB/submission.json,line=7,col=91," "GitHub: array element located"
contains "$(cat "$g")" "::error title=emheval%3A rejected Ads 2.0.0::" "GitHub: verdict annotation, property escaped"
s=$TMP/check.sarif
sarif_loc() { jq -r --arg id "$1" '[.runs[0].results[] | select(.ruleId == $id) | .locations[0].physicalLocation |
	"\(.artifactLocation.uri):\(.region.startLine):\(.region.startColumn)"] | join(" ")' "$s"; }
# $SUB is absolute: a file: URI (a relative reference may not start with '/', SARIF1004).
check "SARIF: PRIV-1 at submission.json:6:43" test "$(sarif_loc PRIV-1)" = "file://$SUB/submission.json:6:43"
check "SARIF: PRIV-2 at privacy.md:3:8" test "$(sarif_loc PRIV-2)" = "file://$SUB/privacy.md:3:8"
check "SARIF: SAFE-1 at submission.json:7:91" test "$(sarif_loc SAFE-1)" = "file://$SUB/submission.json:7:91"
check "SARIF: the tool names where to learn about it" test "$(jq -r '.runs[0].tool.driver.informationUri' "$s")" = "https://emheval.example/"
check "SARIF: no contextRegion that is no larger than its region (SARIF1008)" \
	test "$(jq '[.runs[0].results[].locations[]?.physicalLocation | select(.contextRegion and (.region.startColumn // 1) <= 1)] | length' "$s")" = 0
(cd "$MINI" && "$EMHEVAL" check sub-bad --criteria "$REPO" --format sarif -o "$TMP/rel.sarif" 2>/dev/null)
check "SARIF: a relative submission path stays a relative reference" \
	test "$(jq -r '.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri' "$TMP/rel.sarif")" = "sub-bad/submission.json"
check "SARIF: a rule per criterion" test "$(jq '.runs[0].tool.driver.rules | length' "$s")" = 5
check "SARIF: artifacts carry hashes" test "$(jq -r '.runs[0].artifacts[1].hashes["sha-256"]' "$s")" = "$(sha256sum <"$SUB/privacy.md" | cut -d' ' -f1)"
check "SARIF: the excerpt as context" test "$(jq -r '[.runs[0].results[] | select(.ruleId == "PRIV-2")][0].locations[0].physicalLocation.contextRegion.snippet.text' "$s")" = "We may share usage data with advertisers and partners."
# From a saved dossier, --base names the folder; without it, paths are relative to the submission.
"$EMHEVAL" report "$TMP/check.json" --format github >"$TMP/rel.txt" 2>/dev/null
contains "$(cat "$TMP/rel.txt")" "::error file=privacy.md,line=3,col=8," "report without --base: paths relative to the submission"
"$EMHEVAL" report "$TMP/check.json" --format github --base apps/ads/ >"$TMP/rel.txt" 2>/dev/null
contains "$(cat "$TMP/rel.txt")" "::error file=apps/ads/privacy.md,line=3,col=8," "report --base prefixes the folder"
# A bare JSON file: locations name the file itself (it lists no evidence: a bare file may not).
sed 's|"evidence": .*|"evidence": []|' "$SUB/submission.json" >"$TMP/bare-sub.json"
(cd "$TMP" && "$EMHEVAL" check bare-sub.json --criteria "$REPO" --format github >"$TMP/bare.txt" 2>/dev/null)
contains "$(cat "$TMP/bare.txt")" "::error file=bare-sub.json,line=6,col=43," "bare JSON submission located by its own name"
# Markdown and text read the same dossier.
contains "$(cat "$TMP/check.md")" "## ❌ Rejected: Ads 2.0.0" "Markdown verdict heading"
contains "$(cat "$TMP/check.md")" "> We may <b>share usage data with advertisers</b> and partners." "Markdown highlights the match"
contains "$(cat "$TMP/check.html")" "We may <mark>share usage data with advertisers</mark> and partners." "HTML highlights the match"
# The round trip: a saved dossier renders as it was checked.
"$EMHEVAL" report "$TMP/check.json" --format html -o "$TMP/again.html" 2>/dev/null
# (but for the signature line: check knows it did not sign; report looks for an envelope beside the file)
check "report of a saved dossier equals check's HTML" cmp -s <(grep -v '<dt>Signature</dt>' "$TMP/check.html") \
	<(grep -v '<dt>Signature</dt>' "$TMP/again.html")
"$EMHEVAL" report "$TMP/check.json" --format json -o "$TMP/again.json" 2>/dev/null
check "report --format json reproduces the dossier byte for byte" cmp -s "$TMP/check.json" "$TMP/again.json"

# ---- text: the terminal's width ------------------------------------------------------------------------
# widest: the widest line in columns (code points; UTF-8 continuation bytes dropped), the summary included.
widest() { LC_ALL=C sed 's/[\x80-\xbf]//g' | LC_ALL=C awk '{ n = length($0); if (n > w) w = n } END { print w + 0 }'; }
w=$(COLUMNS=50 "$EMHEVAL" check "$SUB" --criteria "$REPO" 2>/dev/null | widest)
check "COLUMNS=50 wraps text at 50 columns (widest: $w)" test "$w" -le 50 -a "$w" -ge 40
w=$(env -u COLUMNS "$EMHEVAL" check "$SUB" --criteria "$REPO" 2>/dev/null | widest)
check "without a terminal or COLUMNS text wraps at 80 (widest: $w)" test "$w" -le 80 -a "$w" -gt 50
contains "$("$EMHEVAL" check "$SUB" --criteria "$REPO" 2>/dev/null | tail -n 2)" "rejected: 0 passed, 3 failed" "the summary last, wrapped between counts"
contains "$("$EMHEVAL" check "$SUB" --criteria "$REPO" 2>/dev/null | tail -n 1)" "  0 not applicable" "the summary's continuation"
if command -v script >/dev/null 2>&1; then
	# A real terminal of 60 columns: the width comes from the terminal (TIOCGWINSZ), over COLUMNS.
	# (stderr aside: it carries the submission's own warnings, compiler-style, not the report)
	COLUMNS=200 script -qec "stty cols 60; '$EMHEVAL' check '$SUB' --criteria '$REPO' 2>/dev/null" /dev/null >"$TMP/tty.txt" 2>&1
	w=$(tr -d '\r' <"$TMP/tty.txt" | widest)
	check "on a terminal text wraps at its width (widest: $w)" test "$w" -le 60 -a "$w" -ge 45
	check "NO_COLOR: no colour on a terminal" test "$(grep -c $'\033\\[' "$TMP/tty.txt")" = 0
	env -u NO_COLOR script -qec "stty cols 100; '$EMHEVAL' check '$SUB' --criteria '$REPO'" /dev/null >"$TMP/tty.txt" 2>&1
	check "colour on a terminal without NO_COLOR" grep -q $'\033\\[1;31m REJECTED ' "$TMP/tty.txt"
else
	echo "report: script(1) not found; the terminal-width case is not run" >&2
fi

# ---- hostile input: every format stays well-formed and inert -------------------------------------------
H=$TMP/hostile
bash "$ROOT/tests/browser/hostile.sh" "$H"
for case in check-sub check-utf8 report; do
	for f in $FORMATS; do
		o=$TMP/h-$case.$(ext_of "$f")
		case $case in
		check-sub) "$EMHEVAL" check "$H/sub" --criteria "$H/repo" --format "$f" -o "$o" 2>"$TMP/err" ;;
		check-utf8) "$EMHEVAL" check "$H/sub-utf8" --criteria "$H/repo" --format "$f" -o "$o" 2>"$TMP/err" ;;
		report) "$EMHEVAL" report "$H/dossier.json" --unverified --format "$f" -o "$o" 2>"$TMP/err" ;; # a made-up digest
		esac
		rc=$?
		expect_rc 1 "hostile $case --format $f renders (rejected)"
		check "hostile $case $f: valid UTF-8" valid_utf8 "$o"
		[ "$f" = json ] || check "hostile $case $f: no control characters" no_controls "$o"
	done
	p=$TMP/h-$case
	check "hostile $case: JUnit well-formed" xmllint --noout "$p.junit.xml"
	check "hostile $case: JUnit valid against junit-10.xsd" junit_valid "$p.junit.xml"
	check "hostile $case: HTML well-formed" xmllint --noout "$p.html"
	check "hostile $case: no element from the input in HTML" test "$(grep -ciE '<(script|img|iframe|svg)|onerror="|x-injected="' "$p.html")" = 0
	check "hostile $case: the payload shows as text in HTML" grep -q '&lt;script&gt;window.pwned=1&lt;/script&gt;' "$p.html"
	check "hostile $case: no element from the input in JUnit" test "$(grep -ciE '<(script|img)|onerror="|x-injected="' "$p.junit.xml")" = 0
	check "hostile $case: Markdown has no raw HTML, link or mention" test "$(grep -cE '<(script|img)|\[link\]\(|@everyone' "$p.md")" = 0
	check "hostile $case: Markdown escapes link brackets" grep -qF '\[link\](javascript' "$p.md"
	check "hostile $case: every GitHub line is our command" test "$(grep -cvE '^::(error|warning|notice) ' "$p.github.txt")" = 0
	check "hostile $case: GitHub escapes the forged line break" grep -qF '%0D%0A::error file=x::forged %250A' "$p.github.txt"
	check "hostile $case: SARIF is JSON" jq_ok '.runs[0].results | length > 0' "$p.sarif"
	check "hostile $case: text has no escape sequence" test "$(LC_ALL=C grep -c $'\033' "$p.txt")" = 0
	if [ "$case" = report ]; then
		check "hostile report: every format is marked UNVERIFIED" test "$(grep -l UNVERIFIED "$p".* | wc -l)" = 7
		continue
	fi
	"$EMHEVAL" report "$p.json" --format json -o "$p.again.json" 2>/dev/null
	check "hostile $case: the dossier reads back byte for byte" cmp -s "$p.json" "$p.again.json"
done
# ---- a saved dossier is only as good as its digest: an edited verdict is refused, or marked -------------
"$EMHEVAL" check "$MINI/sub-bad" --criteria "$REPO" --format json -o "$TMP/rejected.json" 2>/dev/null
check "a rejected dossier to edit" grep -q '"verdict": "rejected"' "$TMP/rejected.json"
sed 's/"verdict": "rejected"/"verdict": "approved"/' "$TMP/rejected.json" >"$TMP/edited.json"
run_emheval report "$TMP/edited.json"
expect_rc 2 "report refuses a dossier whose verdict was edited"
contains "$err" "does not verify: the dossier's digest does not match its content" "and says why"
check "nothing on standard output" test -z "$out"
for f in $FORMATS; do
	run_emheval report "$TMP/edited.json" --unverified --format "$f"
	expect_rc 1 "--unverified --format $f: never exit 0 for an unverified record"
	contains "$out" "UNVERIFIED: this dossier's digest does not match its content" "--unverified --format $f is marked"
done
"$EMHEVAL" report "$TMP/edited.json" --unverified --format junit -o "$TMP/unverified.junit.xml" 2>/dev/null
check "the marked JUnit is valid against junit-10.xsd" junit_valid "$TMP/unverified.junit.xml"
check "the marked JUnit fails a testcase in a testsuite UNVERIFIED" grep -q '<testsuite name="UNVERIFIED" tests="1" failures="1"' "$TMP/unverified.junit.xml"
# The totals on <testsuites> count every testcase below it, the UNVERIFIED one too (a reader that only reads the
# totals must not see one test fewer, and one failure fewer, than the file holds).
tc=$(grep -c '<testcase ' "$TMP/unverified.junit.xml")
fl=$(grep -c '<failure ' "$TMP/unverified.junit.xml")
tot=$(sed -n 's/^<testsuites name="emheval" tests="\([0-9]*\)" failures="\([0-9]*\)".*/\1 \2/p' "$TMP/unverified.junit.xml")
check "the marked JUnit's totals count the UNVERIFIED testsuite ($tot for $tc testcases, $fl failures)" test "$tot" = "$tc $fl"
run_emheval report "$TMP/edited.json" --unverified --format json
check "the marked JSON is no longer a dossier that verifies" test "$(printf '%s' "$out" | jq -r 'has("UNVERIFIED")')" = true
run_emheval report "$TMP/rejected.json"
expect_rc 1 "the intact dossier reports as before"

check "hostile: the evidence excerpt reaches SARIF" test "$(jq -r '[.runs[0].results[] | select(.ruleId == "PRIV-2")][0].locations[0].physicalLocation.region.startLine' "$TMP/h-check-sub.sarif")" = 2
check "hostile: invalid UTF-8 evidence is an error naming the file" grep -q 'is not valid UTF-8' "$TMP/h-check-utf8.txt"

summary
