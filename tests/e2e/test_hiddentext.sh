#!/bin/bash
# Text hidden from the text checks (issue 17 item 7, docs/security.md): each
# disguise of "we share your mood data with advertisers" in a privacy policy
# (soft hyphens, zero-width characters, a Cyrillic look-alike, a hard wrap, NUL
# bytes of UTF-16) no longer passes the advertising check, and a crisis line
# hidden in an HTML comment no longer passes the crisis check. Findings locate
# the match in the original file and say which normalisation was applied. Also
# the whole-search regex budget (issue 17 item 10): (a+)+$ over megabytes of
# short runs of letters ends as an error naming the budget.
SUITE=hiddentext
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/crit/privacy" "$TMP/crit/safety"
cat >"$TMP/crit/framework.json" <<'EOF'
{"name": "hidden text criteria", "version": "1.0.0", "effective_date": "2026-01-01",
 "categories": [{"id": "c", "title": "C"}],
 "domains": [{"id": "privacy", "title": "Privacy", "category": "c"},
             {"id": "safety", "title": "Safety", "category": "c"}],
 "tier_pointer": "/risk_tier", "weights": {"default": {}},
 "severity_weights": {"blocker": 4, "major": 3, "minor": 2, "advisory": 1},
 "verdict_policy": {"reject": ["blocker", "major"], "review": ["blocker", "major"], "condition_days": {"minor": 90}}}
EOF
cat >"$TMP/crit/privacy/NOADS-T.json" <<'EOF'
{"id": "NOADS-T", "version": 1, "title": "No sharing with advertisers", "domain": "privacy",
 "severity": "blocker", "references": ["T 1"],
 "check": {"evidence": "privacy_policy", "not_matches": "\\b(?:share|sell)\\b[^.!?;\\n]{0,60}\\badvertis(?:ers|ing)\\b", "flags": "i"},
 "fail_message": "The policy shares data with advertisers.", "remediation": "r"}
EOF
cat >"$TMP/crit/safety/CRISIS-T.json" <<'EOF'
{"id": "CRISIS-T", "version": 1, "title": "Crisis signposting", "domain": "safety",
 "severity": "blocker", "references": ["T 1"],
 "check": {"evidence": "crisis_page", "matches": "\\b(?:Samaritans|116 ?123)\\b"},
 "fail_message": "No crisis line.", "remediation": "r"}
EOF
cat >"$TMP/crit/safety/REDOS-T.json" <<'EOF'
{"id": "REDOS-T", "version": 1, "title": "Backtracking", "domain": "safety",
 "severity": "minor", "references": ["T 1"],
 "applies_when": {"path": "/app/id", "eq": "redos"},
 "check": {"evidence": "redos", "not_matches": "(a+)+$"},
 "fail_message": "f", "remediation": "r"}
EOF
REPO=$TMP/repo
make_repo "$REPO" "$TMP/crit"

# sub DIR: a submission listing DIR/privacy.md and DIR/crisis.md (written by the caller).
sub() {
	mkdir -p "$1"
	cat >"$1/submission.json" <<'EOF'
{"schema": "emheval/submission/1", "submission_date": "2026-10-01",
 "app": {"id": "calm", "name": "Calm", "version": "1.0.0"}, "risk_tier": "A",
 "evidence": [{"kind": "privacy_policy", "path": "privacy.md"}, {"kind": "crisis_page", "path": "crisis.md"}]}
EOF
	[ -f "$1/crisis.md" ] || printf 'In a crisis call Samaritans on 116 123.\n' >"$1/crisis.md"
}
# check_sub DIR ARGS...: `check` on DIR after declaring each listed file's SHA-256 (the schema requires it).
check_sub() {
	local dir=$1 f sum
	shift
	for f in $(jq -r '.evidence[].path' "$dir/submission.json"); do
		sum=$(sha256sum "$dir/$f" | cut -d' ' -f1)
		jq --arg p "$f" --arg h "$sum" '(.evidence[] | select(.path == $p)).sha256 = $h' "$dir/submission.json" \
			>"$dir/submission.tmp" && mv "$dir/submission.tmp" "$dir/submission.json"
	done
	run_emheval check "$dir" "$@"
}
# result_of ID: the result object of criterion ID in the JSON dossier in $out, on one line.
result_of() {
	printf '%s\n' "$out" | awk -v id="\"id\": \"$1\"" '
		/^    \{/ { block = ""; inside = 1 }
		inside { block = block $0 " " }
		/^    \}/ { if (index(block, id)) print block; inside = 0 }'
}

# Plain text: the check passes, and fails on the plain sentence.
sub "$TMP/plain"
printf '# Privacy\n\nWe never sell your data.\nWe keep it for 24 months.\n' >"$TMP/plain/privacy.md"
check_sub "$TMP/plain" --criteria "$REPO" --format json
expect_rc 0 "an honest policy is approved"
contains "$(result_of NOADS-T)" '"outcome": "pass"' "the honest policy passes"
sub "$TMP/said"
printf 'Intro.\nWe share your mood data with advertisers.\n' >"$TMP/said/privacy.md"
check_sub "$TMP/said" --criteria "$REPO" --format json
contains "$(result_of NOADS-T)" '"outcome": "fail"' "the plain sentence fails"
contains "$(result_of NOADS-T)" '"line": 2' "the plain sentence is on line 2"
contains "$(result_of NOADS-T)" '"column": 4' "the plain sentence's match is at column 4"

# disguise NAME PRINTF-FORMAT NOTE LINE COLUMN: the disguised policy fails, located in the original.
disguise() {
	sub "$TMP/$1"
	printf "$2" >"$TMP/$1/privacy.md"
	check_sub "$TMP/$1" --criteria "$REPO" --format json
	expect_rc 1 "$1: not approved"
	local r
	r=$(result_of NOADS-T)
	contains "$r" '"outcome": "fail"' "$1: the advertising check fails"
	contains "$r" "$3" "$1: the finding says which normalisation was applied"
	contains "$r" "\"line\": $4" "$1: the match is located on line $4 of the original"
	contains "$r" "\"column\": $5" "$1: at column $5 of the original bytes"
}
disguise soft-hyphen 'Intro.\nWe sh\xc2\xadare your mood data with adver\xc2\xadtis\xc2\xaders.\n' \
	"removing 3 invisible format characters" 2 4
disguise zero-width 'Intro.\nWe \xe2\x80\x8bshare your mood data with ad\xe2\x80\x8cvert\xe2\x80\x8diser\xef\xbb\xbfs.\n' \
	"removing 3 invisible format characters" 2 7
disguise bidi 'Intro.\nWe share your mood data with \xe2\x80\xaeadvertisers\xe2\x80\xac.\n' \
	"removing 1 invisible format character" 2 4
disguise cyrillic 'Intro.\nWe share your mood data with \xd0\xb0dvertis\xd0\xb5rs.\n' \
	"replacing 2 Cyrillic or Greek look-alike letters by Latin" 2 4
disguise greek 'Intro.\nWe share your mood data with advert\xce\xb9sers.\n' \
	"replacing 1 Cyrillic or Greek look-alike letter by Latin" 2 4
disguise fullwidth 'Intro.\nWe \xef\xbd\x93\xef\xbd\x88\xef\xbd\x81\xef\xbd\x92\xef\xbd\x85 your mood data with advertisers.\n' \
	"Unicode NFKC normalisation of 5 characters" 2 4
disguise wrapped 'Intro.\n\nWe share your mood data with\nadvertisers and their partners.\n' \
	"joining lines 3-4" 3 4
disguise wrapped-crlf 'Intro.\r\n\r\n- We share your mood   \r\n  data with advertisers.\r\n' \
	"joining lines 3-4" 3 6
disguise commented 'Intro.\nWe share your mood data <!-- for now --> with advertisers.\n' \
	"removing 1 HTML comment (line 2)" 2 4

# A paragraph break, a list item or a heading keeps lines apart: no match across them.
sub "$TMP/apart"
printf 'We share your mood data with\n\nadvertisers.\n- We share your mood data with\n- advertisers\n# We share your mood data with\nadvertisers\n' >"$TMP/apart/privacy.md"
check_sub "$TMP/apart" --criteria "$REPO" --format json
contains "$(result_of NOADS-T)" '"outcome": "pass"' "blocks stay apart: no sentence across them"
# In a fenced code block lines are not joined and a comment is shown, so it counts.
sub "$TMP/fence"
printf '```\nWe share your mood data with\nadvertisers\n```\n' >"$TMP/fence/privacy.md"
check_sub "$TMP/fence" --criteria "$REPO" --format json
contains "$(result_of NOADS-T)" '"outcome": "pass"' "lines in a code block are not joined"

# UTF-16 without a BOM: NUL bytes; the text check is an error that locates the first NUL.
sub "$TMP/utf16"
printf 'We share your mood data with advertisers.\n' | sed 's/./&\x00/g' >"$TMP/utf16/privacy.md"
check_sub "$TMP/utf16" --criteria "$REPO" --format json
expect_rc 1 "UTF-16 evidence: not approved"
contains "$(result_of NOADS-T)" '"outcome": "error"' "UTF-16 evidence: the text check is an error, never a pass"
contains "$(result_of NOADS-T)" 'privacy.md:1:2 has a NUL byte (offset 1)' "the NUL byte is located"
contains "$(result_of CRISIS-T)" '"outcome": "pass"' "the other document is still checked"

# A mixed-script word that maps to nothing the check looks for: needs review, not a pass.
sub "$TMP/mixed"
printf 'We never sell d\xd0\xb0ta. W\xd0\xb5 sh\xd0\xb0r\xd0\xb5 with \xd0\xbcarketers.\n' >"$TMP/mixed/privacy.md"
check_sub "$TMP/mixed" --criteria "$REPO" --format json
contains "$(result_of NOADS-T)" '"outcome": "needs_review"' "a word mixing scripts: needs review"
contains "$(result_of NOADS-T)" 'privacy.md:1:15: the word' "the first mixed word is located"
contains "$(result_of NOADS-T)" 'mixes Latin with Cyrillic or Greek letters' "the reason names the mixed scripts"

# Ordinary non-English text is not flagged and stays matchable.
sub "$TMP/intl"
printf 'Nous ne vendons jamais vos donn\xc3\xa9es \xc3\xa0 des tiers. Daten werden gel\xc3\xb6scht.\n\xe6\x88\x91\xe4\xbb\xac\xe4\xb8\x8d\xe5\x87\xba\xe5\x94\xae\xe6\x95\xb0\xe6\x8d\xae \xf0\x9f\x98\x80 10 \xce\xbcg. \xd0\x9c\xd1\x8b \xd0\xbd\xd0\xb5 \xd0\xbf\xd1\x80\xd0\xbe\xd0\xb4\xd0\xb0\xd1\x91\xd0\xbc.\n' >"$TMP/intl/privacy.md"
printf 'Appelez le 116 123 (Samaritans) \xf0\x9f\x98\x80.\n' >"$TMP/intl/crisis.md"
check_sub "$TMP/intl" --criteria "$REPO" --format json
expect_rc 0 "French, German, Chinese, Russian, emoji and a micro sign: approved"
contains "$(result_of NOADS-T)" '"outcome": "pass"' "ordinary accents, CJK and emoji are not flagged"

# The crisis line hidden in an HTML comment does not count; a visible one does.
sub "$TMP/crisis-hidden"
printf 'We never sell your data.\n' >"$TMP/crisis-hidden/privacy.md"
printf '# Help\n\nTalk to us any time.\n<!-- In a crisis call Samaritans on 116 123. -->\n' >"$TMP/crisis-hidden/crisis.md"
check_sub "$TMP/crisis-hidden" --criteria "$REPO" --format json
expect_rc 1 "a crisis line only in a comment: not approved"
contains "$(result_of CRISIS-T)" '"outcome": "fail"' "the hidden crisis line does not pass the crisis check"
contains "$(result_of CRISIS-T)" "removing 1 HTML comment (line 4)" "the finding says a comment was not counted"
printf '# Help\n\n<!-- draft -->In a crisis call Samaritans on 116 123.\n' >"$TMP/crisis-hidden/crisis.md"
check_sub "$TMP/crisis-hidden" --criteria "$REPO" --format json
contains "$(result_of CRISIS-T)" '"outcome": "pass"' "a visible crisis line beside a comment passes"

# Item 10: (a+)+$ over a few MB of short runs of letters: an error naming the whole-search budget.
mkdir -p "$TMP/redos"
cat >"$TMP/redos/submission.json" <<'EOF'
{"schema": "emheval/submission/1", "submission_date": "2026-10-01",
 "app": {"id": "redos", "name": "Calm", "version": "1.0.0"}, "risk_tier": "A",
 "evidence": [{"kind": "redos", "path": "a.txt"}]}
EOF
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "aaaaaaaaaaaaaaaa "; printf "!\n" }' >"$TMP/redos/a.txt"
check_sub "$TMP/redos" --criteria "$REPO" --format json
expect_rc 1 "a backtracking pattern over MBs of runs: evaluated, not approved"
contains "$(result_of REDOS-T)" '"outcome": "error"' "the backtracking check is an error, never a pass"
contains "$(result_of REDOS-T)" 'regex search budget' "its reason names the whole-search budget"
(cd "$REPO" && "$EMHEVAL" lint) >"$TMP/out" 2>&1
contains "$(cat "$TMP/out")" "nested quantifier" "lint warns about the nested quantifier"
contains "$(cat "$TMP/out")" "REDOS-T.json:4:" "the warning is located at the pattern"
contains "$(cat "$TMP/out")" "regex-backtracking" "the warning names its rule"

summary
