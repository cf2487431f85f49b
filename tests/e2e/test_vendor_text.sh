#!/bin/bash
# What a vendor reads about a failing text check (issue 15), on an example
# copied to a folder of their own: quotes of the policy cut between words
# (never "advertisin"), with "…" where text was left out, UTF-8 intact.
SUITE=vendor_text
. "$(dirname "$0")/lib.sh"
make_repo "$TMP/crit" "$ROOT/criteria"
SUB=$TMP/moodshare
cp -R "$ROOT/submissions/04-moodshare-ads" "$SUB"
finding() { jq -r --arg id "$1" ".results[] | select(.id == \$id) | .findings[$2].$3" "$TMP/d.json"; }

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
