#!/bin/bash
# What a vendor reads about a failing text check (issue 15), on an example
# copied to a folder of their own: quotes of the policy cut between words
# (never "advertisin"), with "…" where text was left out, UTF-8 intact; a
# text check said in the criterion's words ("looks_for"), its pattern shown
# only with --verbose.
SUITE=vendor_text
. "$(dirname "$0")/lib.sh"
make_repo "$TMP/crit" "$ROOT/criteria"
SUB=$TMP/moodshare
cp -R "$ROOT/submissions/04-moodshare-ads" "$SUB"
finding() { jq -r --arg id "$1" ".results[] | select(.id == \$id) | .findings[$2].$3" "$TMP/d.json"; }

# --- a new user's first run, in their own folder (outside any git repository) ---------------------------------
(cd "$SUB" && "$EMHEVAL" check . >"$TMP/out" 2>"$TMP/err"); rc=$?
expect_rc 2 "check outside a criteria repository"
contains "$(cat "$TMP/err")" "hint: criteria are read from git" "a hint says where criteria come from"
contains "$(cat "$TMP/err")" "--criteria REPO" "the hint names --criteria"
(cd "$SUB" && "$EMHEVAL" check . --criteria "$TMP/crit" >"$TMP/first.txt")
check "every finding's location is FILE:LINE:COL" python3 -c '
import re, sys
for l in open(sys.argv[1], encoding="utf-8"):
    if re.match(r"^      (/|submission\.json|[\w./-]+\.(md|json|har|txt))", l) and not re.match(r"^      [\w./-]+:\d+:\d+", l):
        sys.exit("no file:line:col: " + l)' "$TMP/first.txt"
check "the verdict line says reviews are open" grep -q "^ REJECTED .*reviews open: " "$TMP/first.txt"
check "no colour in a file" bash -c '! grep -q $'"'"'\033'"'"' "$1"' _ "$TMP/first.txt"

# --- text checks in plain words ----------------------------------------------------------------------------
(cd "$SUB" && COLUMNS=80 "$EMHEVAL" check . --criteria "$TMP/crit" >"$TMP/plain.txt")
check "the failing text check is said in the criterion's words" \
	grep -q "expected not to find a clause allowing personal or health data to be" "$TMP/plain.txt"
check "without --verbose, no pattern" bash -c '! grep -q "DEFINE\|pattern" "$1"' _ "$TMP/plain.txt"
check "the report holds at 80 columns" python3 -c 'import sys; sys.exit(any(len(l.rstrip("\n")) > 80 for l in open(sys.argv[1], encoding="utf-8")))' "$TMP/plain.txt"
check "a long JSON list breaks after a comma, not inside a value" grep -q '^          "referral_or_prescription",' "$TMP/plain.txt"
(cd "$SUB" && COLUMNS=80 "$EMHEVAL" check . --criteria "$TMP/crit" --verbose >"$TMP/verbose.txt")
check "--verbose shows the pattern" grep -q "pattern /(?(DEFINE)(?<neg>" "$TMP/verbose.txt"
(cd "$SUB" && "$EMHEVAL" check . --criteria "$TMP/crit" --format json -o "$TMP/plain.json")
check "the dossier keeps the whole pattern beside the words" \
	jq -e '[.results[] | select(.id == "MH-NOADS-01") | .findings[0] | (.pattern | length) > 3000 and
	        (.expected | startswith("not to find a clause"))] == [true]' "$TMP/plain.json" >/dev/null
run_emheval report "$TMP/plain.json" --verbose
contains "$out" "pattern /(?(DEFINE)" "report --verbose shows the pattern from the dossier"
run_emheval report "$TMP/plain.json" --format markdown
case "$out" in *"(?(DEFINE)"*) fail "Markdown shows the raw pattern" ;; *) pass ;; esac
contains "$out" "not to find a clause allowing" "Markdown says it in words"
# A text check without "looks_for" is said plainly too, its pattern only with --verbose.
# (CS-HAZARD-MH-01: plain `matches` on the hazard log, English and, since v3, German in an `or`; DP-RET-02 reads a
# parsed statement now.)
jq 'del(.check.or[].looks_for)' "$TMP/crit/criteria/clinical_safety/CS-HAZARD-MH-01.json" >"$TMP/r.json" &&
	mv "$TMP/r.json" "$TMP/crit/criteria/clinical_safety/CS-HAZARD-MH-01.json" && git -C "$TMP/crit" commit -qam "no words"
mkdir -p "$TMP/ret" && cp -R "$ROOT/submissions/01-calm-breath/." "$TMP/ret/"
sed -i 's/self[- ]harm/harm to self/gI; s/suicid[a-z]*/s-risk/gI; s/deteriorat[a-z]*/worsening/gI' "$TMP/ret/hazard-log.md"
"$EMHEVAL" hash "$TMP/ret" >/dev/null
(cd "$TMP/ret" && "$EMHEVAL" check . --criteria "$TMP/crit" >"$TMP/ret.txt")
check "without looks_for: no raw pattern either" grep -q "expected to find a match of the criterion's pattern" "$TMP/ret.txt"
(cd "$TMP/ret" && "$EMHEVAL" check . --criteria "$TMP/crit" -v >"$TMP/ret.txt")
check "without looks_for, -v shows the pattern" grep -qF 'pattern /\b(?:self[- ]harm|suicid' "$TMP/ret.txt"
git -C "$TMP/crit" reset -q --hard HEAD~1

# --- quotes cut at word boundaries --------------------------------------------------------------------------
# Real-policy wording: a short clause after a long sentence, then (the first match decides) a consent clause
# longer than a quote. policy MODE writes the example's policy with one of them in place of its list item.
policy() {
	python3 - "$ROOT/submissions/04-moodshare-ads/privacy-policy.md" "$SUB/privacy-policy.md" "$1" <<'EOF'
import sys
src, dst, mode = sys.argv[1:]
s = open(src, encoding="utf-8").read()
s = s.replace("- Mood entries, app usage and device identifiers: used for advertising.\n", "")
if mode == "short":
    s = s.replace("Our lawful basis is",
                  "We keep your diary entries and mood ratings for as long as your account stays open and delete "
                  "them within thirty days of closure. We also share your mood entries with our advertising "
                  "partners.\n\nOur lawful basis is")
else:
    s = s.replace("## Who we share your data with",
                  "Where you’ve given consent on our cookie and tracking settings page, our carefully selected "
                  "partners, including analytics providers and social media platforms, may use your mood entries, "
                  "app usage information and device identifiers to show you personalised advertising about "
                  "wellbeing products across other websites and apps you visit, and to measure how well that "
                  "advertising works.\n\n## Who we share your data with")
open(dst, "w", encoding="utf-8").write(s)
EOF
	"$EMHEVAL" hash "$SUB" >/dev/null && (cd "$SUB" && "$EMHEVAL" check . --criteria "$TMP/crit" --format json -o "$TMP/d.json")
	check "check writes the dossier ($1)" test -s "$TMP/d.json"
}
policy short
short=$(finding MH-NOADS-01 0 excerpt)
contains "$short" "…stays open and delete them" "a quote cut before the match starts at a word, after …"
contains "$short" "with our advertising partners." "the short match is quoted whole, to the line's end"
# The text report shows the same quote.
(cd "$SUB" && COLUMNS=80 "$EMHEVAL" check . --criteria "$TMP/crit" >"$TMP/report.txt")
check "the text report quotes the cut clause with its ellipsis" grep -q "…stays open and delete them" "$TMP/report.txt"

policy long
long=$(finding MH-NOADS-01 0 excerpt)
long_found=$(finding MH-NOADS-01 0 found)
contains "$long" "Where you’ve given consent" "the long clause is quoted from its start"
check "a long quote ends with a whole word and …" \
	bash -c 'case "$1" in *" app usage…" | *" usage information…" | *" identifiers…") exit 0 ;; esac; exit 1' _ "$long"
check "the quoted match ends with a whole word and …" \
	bash -c 'case "$1" in *" page, our…\"") exit 0 ;; esac; exit 1' _ "$long_found"
check "quotes stay valid UTF-8" bash -c 'jq -r ".results[].findings[]?.excerpt" "$1" | iconv -f UTF-8 -t UTF-8 >/dev/null' _ "$TMP/d.json"
(cd "$SUB" && COLUMNS=80 "$EMHEVAL" check . --criteria "$TMP/crit" >"$TMP/report.txt")
check "the text report ends the quote after a word" grep -q "app usage…" "$TMP/report.txt"

summary
