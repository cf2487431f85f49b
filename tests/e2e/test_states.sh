#!/bin/bash
# "states" (issue 12): a check that a document says something holds on an
# unnegated clause that says it, not on a word. "We do not encrypt your data"
# matches a bare pattern on "encrypt" but states nothing; a sentence the parse
# cannot judge makes the test needs_review with its offset, never a pass or a
# silent fail; a bad "states" is a compile error naming its field.
SUITE=states
. "$(dirname "$0")/lib.sh"

SET=$TMP/set
mkdir -p "$SET/privacy"
cat >"$SET/framework.json" <<'JSON'
{"name": "states test criteria", "version": "1.0.0", "effective_date": "2026-01-01",
 "submission_schema": "none",
 "categories": [{"id": "secure_data", "title": "Secure data"}],
 "domains": [{"id": "privacy", "title": "Privacy", "category": "secure_data"}]}
JSON
crit() { # crit ID CHECK
	printf '{"id": "%s", "version": 1, "title": "%s", "domain": "privacy", "severity": "major",
	  "references": ["test"], "check": %s, "fail_message": "no", "remediation": "fix"}\n' "$1" "$1" "$2" >"$SET/privacy/$1.json"
}
crit S-WORD '{"evidence": "privacy_policy", "matches": "\\bencrypt(?:s|ed|ion)?\\b", "flags": "i"}'
crit S-ENC '{"evidence": "privacy_policy", "states": {"verb": "encrypt(?:s|ed|ing)?|stor(?:e|es|ed)|us(?:e|es|ed)", "object": "\\bencrypt(?:s|ed|ion)?\\b|\\bTLS\\b"}}'
crit S-DEL '{"evidence": "privacy_policy", "states": {"verb": "delet(?:e|es|ed)|eras(?:e|es|ed)", "object": "\\bdata\\b"}}'
# not_states: a parse of its own, no patterns beside it, so a talk-past shows.
crit S-ADS '{"evidence": "privacy_policy", "not_states": {"verb": "shar(?:e|es|ed|ing)", "object": "\\bdata\\b", "purpose": "\\badvertisers?\\b"}}'
crit S-USE '{"evidence": "privacy_policy", "not_states": {"verb": "shar(?:e|es|ed|ing)|us(?:e|es|ed|ing)|provid(?:e|es|ed|ing)", "object": "\\bdata\\b|\\bservice\\b", "purpose": "\\badverti(?:sing|sers?)\\b"}}'
REPO=$TMP/repo
make_repo "$REPO" "$SET"

sub() { # sub NAME TEXT
	mkdir -p "$TMP/$1"
	printf '%s\n' "$2" >"$TMP/$1/policy.md"
	printf '{"submission_date": "2026-10-01", "evidence": [{"kind": "privacy_policy", "path": "policy.md"}]}\n' \
		>"$TMP/$1/submission.json"
	"$EMHEVAL" check "$TMP/$1" --criteria "$REPO" --format json -o "$TMP/$1.json" 2>"$TMP/err"
}
outcome() { jq -r --arg id "$2" '.results[] | select(.id == $id) | .outcome' "$TMP/$1.json"; }
reason() { jq -r --arg id "$2" '.results[] | select(.id == $id) | .reason // ""' "$TMP/$1.json"; }

sub denied "We take your privacy seriously. We do not encrypt your data."
check "a denial passes a bare word match (the defect)" test "$(outcome denied S-WORD)" = pass
check "a denial does not pass states" test "$(outcome denied S-ENC)" = fail
contains "$(jq -r '.results[] | select(.id == "S-ENC") | .findings[]?.found // empty' "$TMP/denied.json")" \
	"no clause in the file states it" "the finding says no clause states it"

sub stated "We never sell your data. Your data is encrypted in transit and at rest."
check "an unnegated clause passes states" test "$(outcome stated S-ENC)" = pass

sub used "All connections use TLS 1.3 encryption in transit."
check "encryption as the object of 'use' passes states" test "$(outcome used S-ENC)" = pass

# judged NAME CRITERION OUTCOME WHAT TEXT: a policy of one sentence gets OUTCOME from CRITERION.
judged() { sub "$1" "$5"; check "$4" test "$(outcome "$1" "$2")" = "$3"; }

# "without (undue) delay" says when, not whether (GDPR Art. 17(1)); "without" before anything else still negates.
judged undue S-DEL pass "'without undue delay' is no negation of the verb (Kelionai's deletion page)" \
	"We delete your personal data without undue delay and, in any case, within 30 days of your request."
judged nodelay S-DEL pass "nor is 'Without delay' before it" "Without delay, we erase your data."
judged confirm S-DEL fail "'not ... without your confirmation' is still a denial" \
	"Your data will not be deleted without your explicit confirmation."
judged withoutconsent S-DEL fail "'never ... without your consent' is still a denial" "We never erase data without your consent."
# "no longer than", "no later than", "no longer needed" bound or time the verb; "no longer" before a verb denies it.
judged noneeded S-DEL pass "'When ... no longer needed, we delete' states it (the 'no' is in the condition)" \
	"When data is no longer needed, we delete it."
judged nolater S-DEL pass "'no later than' bounds the verb" "We erase the data no later than 30 days after you close your account."
judged nolonger S-DEL fail "'can no longer be deleted' is still a denial" "Your data can no longer be deleted once it has been shared."
# An attacker's "without undue delay" after a disclosure: not a negation of "share", so not_states still finds it;
# "no longer" on the verb is a real denial.
judged adsdelay S-ADS fail "'We share your data with advertisers without undue delay' is still a disclosure" \
	"We share your data with advertisers without undue delay."
judged adsnolonger S-ADS pass "'We no longer share your data with advertisers' is a denial" \
	"We no longer share your data with advertisers."
# A "no" that hangs by CO after ", and" still denies its clause (Fasting Tracker-like wording); a verb after
# "other than" names what a denial leaves out, and only its own words count (the first and third failed on the
# binary before, a denial read as a disclosure).
judged andno S-ADS pass "', and no personal data is shared with advertisers' is a denial" \
	"We never sell or rent your data, and no personal data is shared with advertisers."
judged andyes S-ADS fail "', and personal data is shared with advertisers' is not" \
	"We never sell your data, and personal data is shared with advertisers."
judged otherthan S-USE pass "'... for advertising or any purpose other than providing the service' is a denial" \
	"We do not use your personal data for advertising or any purpose other than providing the service."
judged otherads S-USE fail "'... any purpose other than sharing your data with advertisers' states the exception" \
	"We do not use your data for any purpose other than sharing your data with advertisers."

LONG='Depending on the feature you use (mood tracking, journaling, guided exercises, chat with a coach, appointment booking, reminders, exports, backups, or integrations with Apple Health, Google Fit, Fitbit, Garmin, Oura, Withings, or other services), your data may or may not be encrypted by the provider concerned.'
sub long "Hello and welcome. $LONG"
check "a sentence too long to parse: needs_review, not pass or fail" test "$(outcome long S-ENC)" = needs_review
contains "$(reason long S-ENC)" "the sentence at offset 19 of its checked text could not be judged" "the reason gives the offset"

sub long_and_stated "$LONG We encrypt your data at rest."
check "a sentence that states it decides even beside an unjudged one" test "$(outcome long_and_stated S-ENC)" = pass

# A "states" without its object, or with an unknown key: compile errors naming the field.
BAD=$TMP/bad
cp -r "$SET" "$BAD"
crit_bad() { printf '{"id": "%s", "version": 1, "title": "t", "domain": "privacy", "severity": "major",
	  "references": ["test"], "check": %s, "fail_message": "no", "remediation": "fix"}\n' "$1" "$2" >"$BAD/privacy/$1.json"; }
crit_bad S-NOOBJ '{"evidence": "privacy_policy", "states": {"verb": "encrypt"}}'
crit_bad S-KEY '{"evidence": "privacy_policy", "states": {"verb": "encrypt", "object": "data", "subject": "we"}}'
BADREPO=$TMP/badrepo
make_repo "$BADREPO" "$BAD"
run_emheval lint --criteria "$BADREPO"
expect_rc 1 "lint: bad states"
out=$(cat "$TMP/out" "$TMP/err")
contains "$out" '"states" needs "object"' "a states without object is an error"
contains "$out" 'unknown key "subject" in "states"' "an unknown key in states is an error"

# A broad verb with no purpose makes nearly every sentence a parse: lint says so (a careless or hostile author).
BROAD=$TMP/broad
cp -r "$SET" "$BROAD"
printf '{"id": "S-BROAD", "version": 1, "title": "t", "domain": "privacy", "severity": "major", "references": ["test"],
  "check": {"evidence": "privacy_policy", "states": {"verb": "is|are|be|have|has|use|may|will|can|must|make|read", "object": "data"}},
  "fail_message": "no", "remediation": "fix"}\n' >"$BROAD/privacy/S-BROAD.json"
make_repo "$TMP/broadrepo" "$BROAD"
run_emheval lint --criteria "$TMP/broadrepo"
expect_rc 1 "lint: a broad states is an error"
contains "$out" "S-BROAD.json" "broad-statement names the file"
contains "$out" "[broad-statement]" "the rule is broad-statement"
contains "$out" "ordinary policy sentences" "and says what it measured"
check "the narrow S-ENC (encrypt|store|use) is not reported" test "$(grep -c "S-ENC.json" <<<"$out")" = 0
summary
