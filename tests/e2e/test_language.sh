#!/bin/bash
# Text checks give no verdict on text in a language their patterns do not read
# (issue 12): the language is detected from the evidence text itself
# (libexttextcat), so a German policy is neither passed nor failed by English
# patterns, a vendor cannot declare it away, English keywords sprinkled into a
# German policy do not make it English, and a German paragraph inside an
# English policy is seen. Texts too short to tell are checked as before.
SUITE=language
. "$(dirname "$0")/lib.sh"

# A small set: English-only text checks (the default), one that declares German too, one for any language.
SET=$TMP/set
mkdir -p "$SET/privacy"
cat >"$SET/framework.json" <<'JSON'
{"name": "language test criteria", "version": "1.0.0", "effective_date": "2026-01-01",
 "submission_schema": "none",
 "categories": [{"id": "secure_data", "title": "Secure data"}],
 "domains": [{"id": "privacy", "title": "Privacy", "category": "secure_data"}]}
JSON
crit() { # crit ID CHECK
	printf '{"id": "%s", "version": 1, "title": "%s", "domain": "privacy", "severity": "major",
	  "references": ["test"], "check": %s, "fail_message": "no", "remediation": "fix"}\n' "$1" "$1" "$2" >"$SET/privacy/$1.json"
}
crit L-NOSELL '{"evidence": "privacy_policy", "not_matches": "\\bwe (?:may )?sell your\\b", "flags": "i"}'
crit L-RETAIN '{"evidence": "privacy_policy", "matches": "\\bretain|\\bretention\\b", "flags": "i"}'
crit L-RETAIN-DE '{"evidence": "privacy_policy", "matches": "\\bretain|\\bretention\\b|Speicherdauer", "flags": "i", "languages": ["en", "de"]}'
crit L-DATE '{"evidence": "privacy_policy", "matches": "\\b20[0-9]{2}\\b", "languages": ["*"]}'
# An English and a German-only member side by side (german12): each text is judged by the member that reads it.
# In a set of their own (L-OR rejects the German policy, which the verdict checks below do not expect).
SET1=$SET SET=$TMP/set2
mkdir -p "$SET/privacy"
cp "$SET1/framework.json" "$SET/"
crit L-AND '{"and": [{"evidence": "privacy_policy", "not_matches": "\\bwe (?:may )?sell your\\b", "flags": "i"},
  {"evidence": "privacy_policy", "not_matches": "verkaufen Ihre Daten", "flags": "i", "languages": ["de"]}]}'
crit L-OR '{"or": [{"evidence": "privacy_policy", "matches": "\\bretention\\b", "flags": "i"},
  {"evidence": "privacy_policy", "matches": "Aufbewahrungsfrist", "flags": "i", "languages": ["de"]}]}'
crit L-NOT '{"and": [{"not": {"evidence": "privacy_policy", "matches": "\\bwe (?:may )?sell your\\b", "flags": "i"}},
  {"evidence": "privacy_policy", "not_matches": "verkaufen Ihre Daten", "flags": "i", "languages": ["de"]}]}'
REPO2=$TMP/repo2
make_repo "$REPO2" "$SET"
SET=$SET1
REPO=$TMP/repo
make_repo "$REPO" "$SET"

DE=$ROOT/submissions/11-ankerzeit-diga/datenschutzerklaerung.md
EN=$ROOT/submissions/01-calm-breath/privacy-policy.md
# sub NAME: a submission whose privacy policy is $TMP/NAME.md
sub() {
	mkdir -p "$TMP/$1"
	cp "$TMP/$1.md" "$TMP/$1/policy.md"
	printf '{"submission_date": "2026-10-01", "evidence": [{"kind": "privacy_policy", "path": "policy.md"}]}\n' \
		>"$TMP/$1/submission.json"
	"$EMHEVAL" check "$TMP/$1" --criteria "$REPO" --format json -o "$TMP/$1.json" 2>"$TMP/err"
	"$EMHEVAL" check "$TMP/$1" --criteria "$REPO2" --format json -o "$TMP/$1.2.json" 2>"$TMP/err"
}
outcome() { jq -r --arg id "$2" '.results[] | select(.id == $id) | .outcome' "$TMP/$1.json"; }
reason() { jq -r --arg id "$2" '.results[] | select(.id == $id) | .reason // ""' "$TMP/$1.json"; }

# The real German privacy policy of example 11: English patterns give no verdict either way.
cp "$DE" "$TMP/de.md"
sub de
check "German policy: an English not_matches does not pass it unread" test "$(outcome de L-NOSELL)" = needs_review
check "German policy: an English matches does not fail it unread" test "$(outcome de L-RETAIN)" = needs_review
contains "$(reason de L-RETAIN)" 'evidence file policy.md is written in a language detected as "de"' "the reason names the file and language"
contains "$(reason de L-RETAIN)" 'read "en" only' "the reason names the patterns' language"
check "German policy: a check declaring German reads it (Speicherdauer)" test "$(outcome de L-RETAIN-DE)" = pass
check "German policy: a check for any language reads it (a year)" test "$(outcome de L-DATE)" = pass
contains "$(cat "$TMP/de.json")" '"verdict": "awaiting_review"' "German policy: awaiting review, not rejected or approved"

# The real English policy of example 01: checked as before.
cp "$EN" "$TMP/en.md"
sub en
check "English policy: L-NOSELL passes" test "$(outcome en L-NOSELL)" = pass
check "English policy: L-RETAIN passes" test "$(outcome en L-RETAIN)" = pass

# Hostile: English sentences after every German sentence, the words the checks look for included.
sed 's/\. /. We never sell your data and we retain it for 12 months. /g' "$DE" >"$TMP/hostile.md"
sub hostile
check "sprinkled English does not make a German policy English (L-RETAIN)" test "$(outcome hostile L-RETAIN)" = needs_review
check "sprinkled English does not make a German policy English (L-NOSELL)" test "$(outcome hostile L-NOSELL)" = needs_review

# Mixed: an English policy with one long German paragraph: the paragraph is seen and named by its line.
{ cat "$EN"; echo; awk 'length($0) >= 300 { print; exit }' "$DE"; } >"$TMP/mixed.md"
sub mixed
check "a German paragraph in an English policy goes to review" test "$(outcome mixed L-NOSELL)" = needs_review
line=$(($(wc -l <"$EN") + 2))
contains "$(reason mixed L-NOSELL)" "policy.md:$line (a paragraph of it)" "the German paragraph is located"
check "a matches that the English part satisfies still passes" test "$(outcome mixed L-RETAIN)" = pass

# A German file another member of the criterion reads is not unread (german12): before, the English member sent it
# to review ("read en only") and that decided the criterion.
check "German policy: and of an English and a German member passes on the German reading" test "$(outcome de.2 L-AND)" = pass
check "German policy: or of an English and a German member fails on the German reading (no Aufbewahrungsfrist)" \
	test "$(outcome de.2 L-OR)" = fail
check "German policy: an English member under not leaves it to the German one" test "$(outcome de.2 L-NOT)" = pass
check "English policy: the German-only member leaves it to the English one" test "$(outcome en.2 L-AND)" = pass
# A German-only member does not read an English file at all, so it does not read the German paragraph in it either.
check "a German paragraph in an English policy still goes to review when no member reads the file in German" \
	test "$(outcome mixed.2 L-AND)" = needs_review
contains "$(reason mixed.2 L-AND)" 'read "en de" only' "the reason names the languages the criterion reads as a whole"

# Near misses: an English policy with a German postal address (a short paragraph) stays English.
{ cat "$EN"; echo; echo "Calm Breath GmbH, Musterstraße 12, 10115 Berlin, Deutschland"; } >"$TMP/address.md"
sub address
check "an English policy with a German address line is checked" test "$(outcome address L-NOSELL)" = pass
# Short texts cannot be told apart reliably: they are checked as before, both ways (docs/criteria-format.md).
echo "We retain your data for 36 months." >"$TMP/short-en.md"
sub short-en
check "a short English text is checked (pass)" test "$(outcome short-en L-RETAIN)" = pass
echo "Wir speichern Ihre Daten 36 Monate." >"$TMP/short-de.md"
sub short-de
check "a short German text is too short to tell: checked as before (fail)" test "$(outcome short-de L-RETAIN)" = fail

# Padding (an attack): no cap on the paragraphs classified lets 1,100 English paragraphs hide a German one after
# them (the cap was 1,024), nor is a long paragraph judged by its first 4 kB only.
para=$(awk 'length($0) >= 200 { print; exit }' "$EN")
de_para=$(awk 'length($0) >= 300 { print; exit }' "$DE")
{ for _ in $(seq 1100); do printf '%s\n\n' "$para"; done; echo "$de_para"; } >"$TMP/padded.md"
sub padded
check "a German paragraph after 1,100 English ones goes to review" test "$(outcome padded L-NOSELL)" = needs_review
contains "$(reason padded L-NOSELL)" "policy.md:2201 (a paragraph of it)" "the German paragraph after the padding is located"
de_run=$(awk 'length($0) >= 100' "$DE" | tr '\n' ' ')
{ for _ in $(seq 40); do printf '%s ' "$para"; done; echo "$de_run"; } >"$TMP/longpara.md"
sub longpara
check "German text after 13 kB of English in one paragraph goes to review" test "$(outcome longpara L-NOSELL)" = needs_review

# Batch workers classify in parallel (a pool of classifier handles): the files written do not depend on -j.
mkdir -p "$TMP/batch"
for n in de en hostile mixed address padded longpara short-de; do
	for k in 1 2 3; do cp -r "$TMP/$n" "$TMP/batch/$n-$k"; done
done
run_emheval evaluate "$TMP/batch" --criteria "$REPO" --out "$TMP/seq" -j 1 --format json,outcomes --quiet
expect_rc 0 "evaluate -j 1"
run_emheval evaluate "$TMP/batch" --criteria "$REPO" --out "$TMP/par" -j 2 --format json,outcomes --quiet
expect_rc 0 "evaluate -j 2"
check "parallel language detection: -j 2 writes what -j 1 writes" diff -r "$TMP/seq" "$TMP/par"
check "the batch read the German policies as German" grep -q 'detected as \\"de\\"' "$TMP/par/de-1.json"

# The criteria language: "languages" is checked where it is written.
crit L-BAD '{"evidence": "privacy_policy", "matches": "x", "languages": ["EN"]}'
crit L-BAD2 '{"evidence": "privacy_policy", "present": true, "languages": ["en"]}'
make_repo "$TMP/bad" "$SET"
run_emheval lint --criteria "$TMP/bad"
expect_rc 1 "lint: bad languages"
contains "$out" 'privacy/L-BAD.json:2:98: error' "lint locates the bad code"
contains "$out" 'expected an ISO 639 language code in lower case' "lint says what a code is"
contains "$out" '"languages" needs "matches" or "not_matches"' "languages without a text test"
summary
