#!/bin/bash
# The shipped criteria on the shipped examples: each verdict and its exact
# set of failing checks (submissions/README.md), and a criteria change in git
# that flips exactly the examples it should.
SUITE=examples
. "$(dirname "$0")/lib.sh"
REPO=$TMP/repo
make_repo "$REPO" "$ROOT/criteria"
git -C "$REPO" tag v1

# failing DOSSIER: the ids whose outcome is fail or error, sorted, space-separated.
failing() {
	awk '/^    {$/ { id = "" } /^      "id": / { id = $2 } /^      "outcome": "(fail|error)"/ { print id }' "$1" |
		tr -d '",' | sort | tr '\n' ' ' | sed 's/ $//'
}
outcome_of() { # outcome_of DOSSIER ID
	awk -v want="\"$2\"," '/^    {$/ { id = "" } /^      "id": / { id = $2 } /^      "outcome": / { if (id == want) print $2 }' "$1" | tr -d '",'
}

jqt() { jq -e "$@" >/dev/null; } # jqt FILTER FILE: FILTER holds (true) for FILE
# profile_verdicts DOSSIER: "id=verdict ..." for each profile evaluated, in order.
profile_verdicts() {
	jq -r '[.profiles[] | "\(.id)=\(.verdict)"] | join(" ")' "$1"
}
# profile_list DOSSIER PROFILE LIST: a profile's list (awaiting_review, rejected, ...), space-separated.
profile_list() {
	jq -r --arg p "$2" --arg l "$3" '[.profiles[] | select(.id == $p) | .[$l] // [] | .[]] | join(" ")' "$1"
}

expect_example() { # NAME VERDICT "PROFILE=VERDICT ..." "FAILING IDS"
	local name=$1 verdict=$2 profiles=$3 want=$4
	"$EMHEVAL" check "$ROOT/submissions/$name" --criteria "$REPO" --format json -o "$TMP/$name.json" 2>"$TMP/err"
	rc=$?
	local want_rc=1
	[ "$verdict" = approved ] && want_rc=0
	expect_rc "$want_rc" "$name exit status"
	contains "$(cat "$TMP/$name.json")" "\"verdict\": \"$verdict\"" "$name verdict"
	local got
	got=$(profile_verdicts "$TMP/$name.json")
	if [ "$got" = "$profiles" ]; then pass; else fail "$name profiles: got '$got', want '$profiles'"; fi
	got=$(failing "$TMP/$name.json")
	if [ "$got" = "$want" ]; then pass; else fail "$name failing checks: got '$got', want '$want'"; fi
}

# Every example's blocker and major manual criteria are undecided at first: awaiting_review at best.
NHS_MANUAL="DTAC-C1.1.1-REVIEW DTAC-C1.2-VERIFY DTAC-C1.3-REVIEW DTAC-C2-DPIA-REVIEW DTAC-C3-PENTEST-REVIEW ENF-HISTORY-REVIEW ESF-EVIDENCE-REVIEW MH-CRISIS-REVIEW MH-NOADS-REVIEW NICE-ESF-TIER-REVIEW OBS-CAPTURE-REVIEW ORCHA-CLINICAL-REVIEW"
expect_example 01-calm-breath awaiting_review "nhs-england=awaiting_review" ""
check "01: the undecided manual criteria are listed" \
	test "$(profile_list "$TMP/01-calm-breath.json" nhs-england awaiting_review)" = "$NHS_MANUAL"
expect_example 02-mindstep-cbt awaiting_review "nhs-england=awaiting_review de-diga=awaiting_review" ""
check "02: de-diga awaits its own reviews (DiGAV Anlagen, pVE) and the shared MH ones" \
	test "$(profile_list "$TMP/02-mindstep-cbt.json" de-diga awaiting_review)" = \
	"DIGA-ANLAGE1-REVIEW DIGA-ANLAGE2-REVIEW DIGA-PVE-REVIEW ENF-HISTORY-REVIEW MH-CRISIS-REVIEW MH-NOADS-REVIEW OBS-CAPTURE-REVIEW"
expect_example 03-teen-talk awaiting_review "nhs-england=awaiting_review" "DTAC-C3-CE-PLUS DTAC-D1-SCAN"
check "03: the minor gap is a condition due 90 days after 2026-10-19" \
	jqt '.profiles[0].conditions == [{"criterion": "DTAC-D1-SCAN", "severity": "minor", "due": "2027-01-17",
	  "fix": "Run an automated scan (e.g. axe-core) on the current release, fix critical and serious issues, and report accessibility.automated_scan."}]' \
	"$TMP/03-teen-talk.json"
check "03: the advisory failure (Cyber Essentials Plus) is no condition" \
	jqt '[.profiles[].conditions[]?.criterion] | index("DTAC-C3-CE-PLUS") == null' "$TMP/03-teen-talk.json"
# 04 is for adults and shows in-app advertising, so a self-declared age alone fails AGE-ASSURE-02 (framework 3.0).
expect_example 04-moodshare-ads rejected "nhs-england=rejected" "AGE-ASSURE-02 MH-NOADS-01 MH-NOADS-02 OBS-CAPTURE-01"
check "04: efficacy not evaluated when privacy fails (APA funnel)" \
	test "$(outcome_of "$TMP/04-moodshare-ads.json" EVID-STUDIES-01)" = not_evaluated
expect_example 05-quiet-mind-nocrisis rejected "nhs-england=rejected" "MH-CRISIS-01 MH-CRISIS-02 MH-CRISIS-03"
expect_example 06-secure-late rejected "nhs-england=rejected" "DTAC-C3-PENTEST SEC-TLS-01"
expect_example 07-hash-mismatch returned "nhs-england=returned" "INT-HASH-01"
contains "$(cat "$TMP/07-hash-mismatch.json")" '"status": "mismatch"' "07: evidence listed as mismatch"
check "07: returned names the integrity check and the file" \
	test "$(profile_list "$TMP/07-hash-mismatch.json" nhs-england returned)" = "INT-HASH-01 evidence dpia-summary.md: mismatch"
# The mismatch gives both hashes whole, so the vendor can paste the actual one into submission.json.
actual07=$(sha256sum "$ROOT/submissions/07-hash-mismatch/dpia-summary.md" | cut -c1-64)
declared07=$(jq -r '.evidence[] | select(.path == "dpia-summary.md") | .sha256' "$ROOT/submissions/07-hash-mismatch/submission.json")
check "07: the finding gives the declared and the actual SHA-256 whole" \
	jqt --arg f "dpia-summary.md: declared $declared07, actual $actual07" \
	'[.results[] | select(.id == "INT-HASH-01") | .findings[].found] == [$f]' "$TMP/07-hash-mismatch.json"
# ... at the "sha256" line of submission.json, where the fix goes.
sha_line07=$(grep -n '"sha256": "'"$declared07"'"' "$ROOT/submissions/07-hash-mismatch/submission.json" | cut -d: -f1)
check "07: the finding points at the sha256 line in submission.json" \
	jqt --argjson l "$sha_line07" '[.results[] | select(.id == "INT-HASH-01") | .findings[]
	     | select(.file == null and .line == $l and (.pointer | test("^/evidence/[0-9]+/sha256$")))] | length == 1' \
	"$TMP/07-hash-mismatch.json"
expect_example 08-pending-review awaiting_review "nhs-england=awaiting_review" ""
check "08: declared unknown DSPT needs review" \
	test "$(outcome_of "$TMP/08-pending-review.json" DTAC-C2-DSPT)" = needs_review
check "08: declared unknown load test needs review" \
	test "$(outcome_of "$TMP/08-pending-review.json" DTAC-C3-LOAD)" = needs_review
check "08: the major check with unknown data awaits a decision; the minor one does not" \
	jqt '(.profiles[0].awaiting_review | index("DTAC-C2-DSPT") != null) and
	       (.profiles[0].awaiting_review | index("DTAC-C3-LOAD") == null)' "$TMP/08-pending-review.json"
# 09 fails the risk-prediction checks of framework 2.1 too: it reports no calibration, PPV/NPV at the deployment
# prevalence, FNR per subgroup, impact study or lawful basis for training on NHS records.
expect_example 09-riskwatch-ml rejected "nhs-england=rejected" "ML-CALIB-01 ML-HAZARD-FN-01 ML-IMPACT-01 ML-LAWFUL-01 ML-PPV-01 ML-SUBGROUP-01 ML-SUBGROUP-FNR-01"
expect_example 10-therapy-online awaiting_review "nhs-england=awaiting_review" ""
# Observed evidence (issue 13): a clean capture passes the observation checks; a capture whose sign-up page sends
# the persona's hashed e-mail and answers to an advertising pixel is rejected though its policy promises privacy.
expect_example 18-calm-breath-web awaiting_review "nhs-england=awaiting_review" ""
check "18: every observation check passes (OBS-CAPTURE-01 does not apply: no advertising SDK is declared)" \
	jqt '[.results[] | select(.id | startswith("OBS-")) | select(.kind == "check") | "\(.id)=\(.outcome)"] ==
	  ["OBS-ADS-01=pass", "OBS-CANARY-01=pass", "OBS-CAPTURE-01=not_applicable", "OBS-POLICY-01=pass", "OBS-RECIPIENT-01=pass"]' \
	"$TMP/18-calm-breath-web.json"
check "18: a capture without the app's package awaits OBS-CAPTURE-REVIEW" \
	jqt '.profiles[0].awaiting_review | index("OBS-CAPTURE-REVIEW") != null' "$TMP/18-calm-breath-web.json"
expect_example 19-moodleaf-pixel rejected "nhs-england=rejected" "OBS-ADS-01 OBS-CANARY-01 OBS-POLICY-01 OBS-RECIPIENT-01"
check "19: its policy promises privacy, so the text check passes and only observation rejects it" \
	jqt '[.results[] | select(.id == "MH-NOADS-01" or .id == "MH-NOADS-02") | .outcome] == ["pass", "pass"]' \
	"$TMP/19-moodleaf-pixel.json"
check "19: each observation is located in the capture (file, line, column, entry) with provenance observed" \
	jqt '[.results[] | select(.id == "OBS-CANARY-01")] | .[0] | .provenance == "observed" and (.findings | length) == 4 and
	  all(.findings[]; .file == "capture.har" and .line > 0 and .column > 0 and (.excerpt | test("^capture.har:[0-9]+:[0-9]+ entry [0-9]+ request")))' \
	"$TMP/19-moodleaf-pixel.json"
check "19: the hashed e-mail, the mood score and both answers reach www.facebook.com" \
	jqt '[.results[] | select(.id == "OBS-CANARY-01") | .findings[].excerpt | capture("persona (?<c>[a-z_/0-9]+) \\((?<e>[a-z0-9]+)\\) sent to www.facebook.com") | "\(.c):\(.e)"] | sort ==
	  ["answers/0:url", "answers/1:url", "email:sha256", "mood_score:plain"]' "$TMP/19-moodleaf-pixel.json"
check "19: the policy finding names the flow and the policy" \
	jqt '[.results[] | select(.id == "OBS-POLICY-01") | .findings[].excerpt | test("sent to www.facebook.com .*not named in the privacy policy privacy-policy.md")] | all' \
	"$TMP/19-moodleaf-pixel.json"
check "19: the package's Meta SDK is located at its embedded framework (tests/artifacts/make.sh builds moodleaf.ipa)" \
	jqt '[.results[] | select(.id == "OBS-ADS-01") | .findings[].excerpt] | index("moodleaf.ipa!Payload/MoodLeaf.app/Frameworks/FBAEMKit.framework: FBAEMKit") != null' \
	"$TMP/19-moodleaf-pixel.json"
check "19: with a capture and a package, neither capture criterion applies" \
	jqt '[.results[] | select(.id | startswith("OBS-CAPTURE")) | .outcome] == ["not_applicable", "not_applicable"]' \
	"$TMP/19-moodleaf-pixel.json"
run_emheval verify "$TMP/19-moodleaf-pixel.json" --criteria "$REPO" --submission "$ROOT/submissions/19-moodleaf-pixel"
expect_rc 0 "verify re-runs the observers and reproduces 19"

# ---- 11 to 17: examples that vary (issue 12 item 6); submissions/README.md says why each verdict ----
# 11, a permanently listed German DiGA (markets DE only): every DIGA-* check passes and the German crisis text
# is read (MH-CRISIS-02/03 declare German patterns). Its privacy policy and hazard log are German: since
# framework 3.1.0 an English-only text check sends such a text to a reviewer (needs_review naming the file and
# "de") instead of failing or passing it unread; every text check that reads them has a German member now
# (CS-HAZARD-MH-01 since v3), so they are judged, and de-diga awaits only its manual reviews. The DTAC checks it
# fails (no CSO, no Cyber Essentials) are not de-diga's.
expect_example 11-ankerzeit-diga awaiting_review "de-diga=awaiting_review" \
	"DTAC-C1.1-DCB0129 DTAC-C1.1-DCB0160 DTAC-C1.1.1-DOCS DTAC-C1.2-CSO DTAC-C3-CE DTAC-C3-CE-PLUS"
check "11: de-diga rejects nothing" test "$(profile_list "$TMP/11-ankerzeit-diga.json" de-diga rejected)" = ""
# MH-NOADS-01, DP-DEL-02, DP-RET-02, MIND-SECURITY-01 (since v3: "Die Übertragung ist mit TLS 1.2 oder
# höher verschlüsselt") and MIND-DEVELOPER-01 (since v3: "Verantwortlich im Sinne der DSGVO ist die Lindenhof
# Digital Therapeutics GmbH") have German members that read the policy: its denials, its deletion,
# retention, encryption and controller sentences pass them (they went to review while the English members'
# "read en only" counted against the German reading).
for id in MH-NOADS-01 DP-DEL-02 DP-RET-02 MIND-SECURITY-01 MIND-DEVELOPER-01; do
	check "11: $id passes on the German policy (its German member read it)" \
		jqt --arg id $id '[.results[] | select(.id == $id) | .outcome] == ["pass"]' "$TMP/11-ankerzeit-diga.json"
done
# CS-HAZARD-MH-01 (since v3) reads the German hazard log ("Suizidalität oder Selbstverletzung ...").
check "11: CS-HAZARD-MH-01 passes on the German hazard log (its German member read it)" \
	jqt '[.results[] | select(.id == "CS-HAZARD-MH-01") | .outcome] == ["pass"]' "$TMP/11-ankerzeit-diga.json"
check "11: no text check is left unread for its language" \
	jqt '[.results[] | select(.outcome == "needs_review" and ((.reason // "") | test("language detected as")))] == []' \
	"$TMP/11-ankerzeit-diga.json"
check "11: every DIGA-* check passes or awaits review; DIGA-PVE-01 does not apply to a permanent listing" \
	jqt '[.results[] | select(.id | startswith("DIGA-")) | select(.outcome != "pass" and .outcome != "needs_review" and
	      (.id != "DIGA-PVE-01" or .outcome != "not_applicable"))] == [] and
	     ([.results[] | select(.id == "DIGA-PVE-01") | .outcome] == ["not_applicable"])' "$TMP/11-ankerzeit-diga.json"
for id in MH-CRISIS-01 MH-CRISIS-02 MH-CRISIS-03; do
	check "11: $id passes on the German app text (Notruf 112, TelefonSeelsorge, kein Notfalldienst)" \
		test "$(outcome_of "$TMP/11-ankerzeit-diga.json" $id)" = pass
done
check "11: the DTAC checks it fails do not count for de-diga" \
	jqt '.profiles[0].criteria | (index("DTAC-C1.2-CSO") == null and index("DTAC-C3-CE") == null)' "$TMP/11-ankerzeit-diga.json"
# 12, an FDA 510(k)-cleared class II prescription app (markets US): FDA-DEVICE-01 passes with no expiry and
# DTAC-C1.3.1-CERT does not apply. Its 45-day deletion window meets the CCPA's 45 days (DP-DEL-CCPA-01); the
# GDPR month (DP-DEL-GDPR-01) does not apply to a US-only app, so us-fda awaits its reviews (framework 3.1.0).
expect_example 12-solvara-fda awaiting_review "us-fda=awaiting_review" \
	"DTAC-C1.1-DCB0129 DTAC-C1.1-DCB0160 DTAC-C1.2-CSO DTAC-C2-LOCATION DTAC-C3-CE DTAC-C3-CE-PLUS"
check "12: FDA-DEVICE-01 passes (class II, 510(k) K251874)" test "$(outcome_of "$TMP/12-solvara-fda.json" FDA-DEVICE-01)" = pass
check "12: no UKCA/CE certificate is asked of an FDA device" \
	test "$(outcome_of "$TMP/12-solvara-fda.json" DTAC-C1.3.1-CERT)" = not_applicable
check "12: the treatment claim is backed by the 510(k) (TR-CLAIMS-DEVICE-01)" \
	test "$(outcome_of "$TMP/12-solvara-fda.json" TR-CLAIMS-DEVICE-01)" = pass
check "12: 45 days passes the CCPA deadline; the GDPR month does not apply to a US-only app" \
	test "$(outcome_of "$TMP/12-solvara-fda.json" DP-DEL-CCPA-01) $(outcome_of "$TMP/12-solvara-fda.json" DP-DEL-GDPR-01)" = \
	"pass not_applicable"
check "12: us-fda rejects nothing" test "$(profile_list "$TMP/12-solvara-fda.json" us-fda rejected)" = ""
# The same app sold in Germany too at 40 days: de-diga rejects it for the GDPR month; omitting the market does
# not escape it (the iso-82304-2 profile, for any market, counts the stricter month).
mkdir -p "$TMP/12-eu" "$TMP/12-nomarket"
cp -r "$ROOT/submissions/12-solvara-fda/." "$TMP/12-eu/"
cp -r "$ROOT/submissions/12-solvara-fda/." "$TMP/12-nomarket/"
jq '.app.markets = ["US", "DE"] | .data_protection.deletion.completed_within_days = 40' \
	"$ROOT/submissions/12-solvara-fda/submission.json" >"$TMP/12-eu/submission.json"
jq 'del(.app.markets) | del(.profiles)' "$ROOT/submissions/12-solvara-fda/submission.json" >"$TMP/12-nomarket/submission.json"
"$EMHEVAL" check "$TMP/12-eu" --criteria "$REPO" --format json -o "$TMP/12-eu.json" 2>/dev/null
check "12 sold in DE at 40 days: de-diga rejects it for DP-DEL-GDPR-01; us-fda does not (40 <= 45)" \
	jqt '([.profiles[] | select(.id == "de-diga") | .rejected | index("DP-DEL-GDPR-01") != null] == [true]) and
	     ([.profiles[] | select(.id == "us-fda") | .rejected | index("DP-DEL-GDPR-01") == null] == [true])' "$TMP/12-eu.json"
"$EMHEVAL" check "$TMP/12-nomarket" --criteria "$REPO" --format json -o "$TMP/12-nomarket.json" 2>/dev/null
check "12 with no market at 45 days: the GDPR month applies and fails" \
	test "$(outcome_of "$TMP/12-nomarket.json" DP-DEL-GDPR-01)" = fail
# 13, a class I UKCA device, self-declared and MHRA registered: no certificate expiry, no ISO 13485 certificate asked.
expect_example 13-mooring-class1 awaiting_review "nhs-england=awaiting_review" ""
check "13: DTAC-C1.3.1-CERT passes for a self-declared class I device" \
	test "$(outcome_of "$TMP/13-mooring-class1.json" DTAC-C1.3.1-CERT)" = pass
check "13: UK MDR registration, IEC 62304, ISO 14971 and PMS pass; ISO 13485 and UKRP do not apply" \
	jqt '[.results[] | select(.id | startswith("UKMDR-")) | "\(.id)=\(.outcome)"] ==
	     ["UKMDR-14971-01=pass", "UKMDR-62304-01=pass", "UKMDR-PMS-01=pass", "UKMDR-QMS-01=not_applicable",
	      "UKMDR-REG-01=pass", "UKMDR-UKRP-01=not_applicable"]' "$TMP/13-mooring-class1.json"
check "13: the medical-device question still goes to a reviewer" \
	jqt '.profiles[0].awaiting_review | index("DTAC-C1.3-REVIEW") != null' "$TMP/13-mooring-class1.json"
# 14, a generative-AI companion: disclosure, hand-over, guardrails and incident reporting pass; 2 unsafe replies
# in its crisis-response test (blocker) and adults-only by self-declaration (major; GENAI-MINORS-01 and, since
# framework 3.0.0, AGE-ASSURE-02: an AI agent is a high risk that a typed year of birth does not assure) reject it.
expect_example 14-emberlyn-genai rejected "nhs-england=rejected" \
	"AGE-ASSURE-02 DTAC-C1.1-DCB0160 DTAC-C3-CE-PLUS GENAI-CRISIS-TEST-01 GENAI-MINORS-01"
check "14: rejected by the crisis-response test and the age assurance" \
	test "$(profile_list "$TMP/14-emberlyn-genai.json" nhs-england rejected)" = "AGE-ASSURE-02 GENAI-CRISIS-TEST-01 GENAI-MINORS-01"
check "14: disclosure, hand-over, medical-advice guardrails and incident reporting pass; GENAI-REVIEW awaits" \
	jqt '([.results[] | select(.id | test("^GENAI-(DISCLOSURE|HANDOVER|MEDADVICE|INCIDENT)-01$")) | .outcome] | unique) == ["pass"] and
	     (.profiles[0].awaiting_review | index("GENAI-REVIEW") != null)' "$TMP/14-emberlyn-genai.json"
check "14: the DCB0160 gap is a minor condition" \
	jqt '[.profiles[0].conditions[].criterion] == ["DTAC-C1.1-DCB0160"]' "$TMP/14-emberlyn-genai.json"
# 15, a policy that hides advertising in careful wording ("We may share information with our partners to show
# you offers that may interest you", partners' SDKs "to provide you with more relevant content and promotions on
# other services", ...) and declares its Meta and AppsFlyer SDKs as analytics. Up to MH-NOADS-01 v4 every
# sentence passed (none had an advertising word); v5 reads offers and promotions on other platforms or from
# partners, and look-alike reach ("reach people who ..." with data used), as advertising purposes, so four of
# the six careful sentences fail it and it is rejected by MH-NOADS-01 too, the right verdict. The two left
# (combining partners' data "to better understand your interests", partners using it "for their own purposes")
# still pass and are MH-NOADS-REVIEW's to find. v6 (two patterns in an "and") flags the same sentence with both;
# the evaluator keeps one finding for one place and text, so the check below still sees exactly one.
expect_example 15-petalnote-hidden-ads rejected "nhs-england=rejected" "DTAC-C3-CE-PLUS MH-NOADS-01 MH-NOADS-02 OBS-CAPTURE-01"
check "15: MH-NOADS-REVIEW still awaits a reviewer" \
	jqt '.profiles[0].awaiting_review | index("MH-NOADS-REVIEW") != null' "$TMP/15-petalnote-hidden-ads.json"
check "15: the careful wording fails MH-NOADS-01 v5 at the offers and promotions personalised on other platforms" \
	jqt '[.results[] | select(.id == "MH-NOADS-01") | .outcome, (.findings[].excerpt | test("offers and promotions you see, in the app and on other platforms"))] == ["fail", true]' \
	"$TMP/15-petalnote-hidden-ads.json"
# The SDKs declared as "analytics" are believed no more: the catalogue classes Meta's App Events and AppsFlyer
# as advertising (/observed/declared), so MH-NOADS-02 fails on each, located at the declaration.
check "15: the Meta SDK and AppsFlyer declared as analytics fail MH-NOADS-02 (catalogue: advertising)" \
	jqt '[.results[] | select(.id == "MH-NOADS-02") | .findings[].excerpt | select(test("is (facebook_app_events|appsflyer) .*advertising"))] | length == 3' \
	"$TMP/15-petalnote-hidden-ads.json"
check "15: MH-NOADS-02 reads declarations (through the catalogue), so its provenance stays declared" \
	jqt '[.results[] | select(.id == "MH-NOADS-02") | .provenance] == ["declared"]' "$TMP/15-petalnote-hidden-ads.json"
check "15: declaring advertising SDKs without a capture or package fails OBS-CAPTURE-01" \
	test "$(outcome_of "$TMP/15-petalnote-hidden-ads.json" OBS-CAPTURE-01)" = fail
check "15: the policy holds the hidden sentence" \
	grep -q "share information with our partners to show you offers that may interest you" \
	"$ROOT/submissions/15-petalnote-hidden-ads/privacy-policy.md"
# 16, a therapy platform of 212 therapists that lists 3 and has no audit of the register: TH-CRED-01 passes on
# the three listed, but since framework 3.0.0 TH-CRED-COVER-01 (blocker) asks for register evidence for every
# clinician or a sampled register audit, and rejects it.
expect_example 16-larchwood-therapy-workforce rejected "nhs-england=rejected" "TH-CRED-COVER-01"
check "16: TH-CRED-01 passes on the 3 listed; TH-CRED-COVER-01 rejects the rest unverified" \
	jqt '([.results[] | select(.id == "TH-CRED-01") | .outcome] == ["pass"]) and
	     ([.results[] | select(.id == "TH-CRED-COVER-01") | .outcome] == ["fail"])' "$TMP/16-larchwood-therapy-workforce.json"
check "16: the submission lists 3 clinicians of a workforce of 212" \
	jqt '(.therapy_service.clinicians | length) == 3 and .therapy_service.workforce_size == 212' \
	"$ROOT/submissions/16-larchwood-therapy-workforce/submission.json"
# 17, a crisis prediction model with everything reported: PPV 0.096 and NPV 0.988 at a prevalence of 0.025 agree
# with its sensitivity 0.58 and specificity 0.86 (Bayes: 0.0960, 0.9876) and lie in their intervals, so ML-PPV-01
# passes; whether the PPV is useful is for ML-REVIEW.
expect_example 17-fellsight-low-ppv awaiting_review "nhs-england=awaiting_review" ""
for id in ML-PPV-01 ML-CALIB-01 ML-SUBGROUP-FNR-01 ML-IMPACT-01 ML-LAWFUL-01 ML-HAZARD-FN-01; do
	check "17: $id passes" test "$(outcome_of "$TMP/17-fellsight-low-ppv.json" $id)" = pass
done
check "17: the low PPV is left to the reviewer (ML-REVIEW awaits); NG225 review does not apply (no self-harm output)" \
	jqt '(.profiles[0].awaiting_review | index("ML-REVIEW") != null) and
	     ([.results[] | select(.id == "ML-NG225-REVIEW") | .outcome] == ["not_applicable"])' "$TMP/17-fellsight-low-ppv.json"
check "17: the submission declares PPV 0.096 at prevalence 0.025" \
	jqt '.ai_model.validation.ppv.value == 0.096 and .ai_model.validation.deployment_prevalence == 0.025' \
	"$ROOT/submissions/17-fellsight-low-ppv/submission.json"

# The same model claiming PPV 0.30 (0.25-0.35), which its sensitivity and specificity cannot give: ML-PPV-01 fails.
mkdir -p "$TMP/17-inflated"
cp -r "$ROOT/submissions/17-fellsight-low-ppv/." "$TMP/17-inflated/"
jq '.ai_model.validation.ppv = {"value": 0.3, "ci95": [0.25, 0.35]}' \
	"$ROOT/submissions/17-fellsight-low-ppv/submission.json" >"$TMP/17-inflated/submission.json"
"$EMHEVAL" check "$TMP/17-inflated" --criteria "$REPO" --format json -o "$TMP/17-inflated.json" 2>/dev/null
check "17 with an inflated PPV fails ML-PPV-01 and is rejected" \
	jqt '([.results[] | select(.id == "ML-PPV-01") | .outcome] == ["fail"]) and .verdict == "rejected"' "$TMP/17-inflated.json"

# A review round re-decides the profile: 03 with every awaited decision passed is conditional (its minor gap).
jq '{reviews: [. as $d | .profiles[0].awaiting_review[] as $id | $d.results[] | select(.id == $id) |
      {reviewer: "R. Assessor", role: "assessor", criterion: .id, version: .version, decision: "pass",
       date: "2026-10-25", rationale: "Checked."}]}' "$TMP/03-teen-talk.json" >"$TMP/03-reviews.json"
# Decisions count only when signed by a reviewer whose role may decide them (docs/audit.md).
run_emheval keygen --out "$TMP/assessor"
ROLES=$TMP/roles
git init -q "$ROLES"
cat >"$ROLES/reviewers.json" <<JSON
{"roles": [{"name": "assessor", "decides": ["*"]}],
 "reviewers": [{"name": "R. Assessor", "role": "assessor", "public_key": "$(sed -n 2p "$TMP/assessor.pub")"}]}
JSON
git -C "$ROLES" add -A && git -C "$ROLES" commit -qm "who may decide"
"$EMHEVAL" sign-decisions --key "$TMP/assessor.key" "$TMP/03-reviews.json" -o "$TMP/03-reviews.json" 2>/dev/null
run_emheval review "$TMP/03-teen-talk.json" --decisions "$TMP/03-reviews.json" --criteria "$REPO" \
	--reviewers "$ROLES" -o "$TMP/03-r2.json"
expect_rc 1 "03 reviewed: conditional is not approved"
check "03 reviewed: conditional, the condition kept" \
	jqt '.verdict == "conditional" and .profiles[0].verdict == "conditional" and
	     (.profiles[0].awaiting_review // []) == [] and .profiles[0].conditions[0].criterion == "DTAC-D1-SCAN"' \
	"$TMP/03-r2.json"

# ---- profiles: a criterion outside a profile never counts towards it ----------------------------
# 06 fails DTAC-C3-PENTEST (UK-only, major) and SEC-TLS-01 (DTAC C3 and MIND): for de-diga neither counts.
run_emheval check "$ROOT/submissions/06-secure-late" --criteria "$REPO" --profile de-diga --format json \
	-o "$TMP/06-de.json"
expect_rc 1 "06 for de-diga: not approved (reviews open)"
# Assessed for Germany, its markets are GB and DE (docs/profiles.md): it declares 999 only, not DE's 112.
check "06 for de-diga: rejected for the German emergency number only, not by UK criteria" \
	test "$(profile_verdicts "$TMP/06-de.json")" = "de-diga=rejected" -a \
	"$(profile_list "$TMP/06-de.json" de-diga rejected)" = MH-CRISIS-01
check "06 for de-diga: DTAC-C3-PENTEST is not one of its criteria" \
	jqt '.profiles[0].criteria | index("DTAC-C3-PENTEST") == null' "$TMP/06-de.json"
run_emheval verify "$TMP/06-de.json" --criteria "$REPO" --submission "$ROOT/submissions/06-secure-late"
expect_rc 0 "a dossier made with --profile reproduces with the profiles it records"
contains "$out" "reproduce" "verify evaluated it again"
# ...but for us-fda SEC-TLS-01 (MIND) counts, and DTAC-C3-PENTEST does not.
"$EMHEVAL" check "$ROOT/submissions/06-secure-late" --criteria "$REPO" --profile us-fda,iso-82304-2 \
	--format json -o "$TMP/06-us.json" 2>"$TMP/err"
# Assessed for the US too, it lacks 911 (MH-CRISIS-01), for both profiles: the criteria run once.
check "06 for us-fda and iso-82304-2: one verdict each" \
	test "$(profile_verdicts "$TMP/06-us.json")" = "us-fda=rejected iso-82304-2=rejected"
check "06 for us-fda: rejected by SEC-TLS-01 and the US emergency number only" \
	test "$(profile_list "$TMP/06-us.json" us-fda rejected)" = "MH-CRISIS-01 SEC-TLS-01"

# A DiGA-only failure: 02 with no BSI TR-03161 certificate is rejected for de-diga, not for nhs-england.
mkdir -p "$TMP/02-nobsi" && cp -r "$ROOT/submissions/02-mindstep-cbt/." "$TMP/02-nobsi/"
jq 'del(.security.bsi_tr_03161)' "$ROOT/submissions/02-mindstep-cbt/submission.json" >"$TMP/02-nobsi/submission.json"
run_emheval check "$TMP/02-nobsi" --criteria "$REPO" --format json -o "$TMP/02-nobsi.json"
expect_rc 1 "02 without BSI certificate: not approved"
check "02 without BSI certificate: rejected for de-diga only" \
	test "$(profile_verdicts "$TMP/02-nobsi.json")" = "nhs-england=awaiting_review de-diga=rejected"
check "02 without BSI certificate: de-diga rejected by DIGA-TR03161-01" \
	test "$(profile_list "$TMP/02-nobsi.json" de-diga rejected)" = DIGA-TR03161-01
check "02 without BSI certificate: the dossier verdict is the least favourable" \
	jqt '.verdict == "rejected"' "$TMP/02-nobsi.json"
# Named profiles in the submission win over app.markets; --profile wins over both.
jq '. + {"profiles": ["nhs-england"]}' "$TMP/02-nobsi/submission.json" >"$TMP/sub.json" && mv "$TMP/sub.json" "$TMP/02-nobsi/submission.json"
"$EMHEVAL" check "$TMP/02-nobsi" --criteria "$REPO" --format json -o "$TMP/02-uk.json" 2>"$TMP/err"
check "submission profiles: only nhs-england" test "$(profile_verdicts "$TMP/02-uk.json")" = "nhs-england=awaiting_review"
run_emheval check "$TMP/02-nobsi" --criteria "$REPO" --profile fr-has
expect_rc 2 "--profile with an unknown id: exit 2"
contains "$err" "fr-has" "the unknown profile is named"

# Issue 12, run again on a real example: 01 with one change each must no longer be approved.
variant() { # variant NAME JQ-FILTER [SENTENCE]: a copy of 01 changed by the filter (and a privacy-policy sentence)
	local dir=$TMP/variant-$1
	rm -rf "$dir" && cp -r "$ROOT/submissions/01-calm-breath" "$dir"
	if [ -n "${3:-}" ]; then
		printf '%s\n' "$3" >>"$dir/privacy-policy.md"
		local sum
		sum=$(sha256sum "$dir/privacy-policy.md" | cut -d' ' -f1)
		jq --arg s "$sum" '(.evidence[] | select(.path == "privacy-policy.md") | .sha256) = $s' "$dir/submission.json" >"$dir/s.json"
		mv "$dir/s.json" "$dir/submission.json"
	fi
	jq "$2" "$dir/submission.json" >"$dir/s.json" && mv "$dir/s.json" "$dir/submission.json"
	"$EMHEVAL" check "$dir" --criteria "$REPO" --format json -o "$TMP/variant-$1.json" 2>/dev/null
}
variant ads . "We share your mood scores and questionnaire answers with Google and Facebook for ad targeting."
check "01 + mood scores shared for ad targeting: rejected by MH-NOADS-01" \
	test "$(outcome_of "$TMP/variant-ads.json" MH-NOADS-01)" = fail
variant but . "We do not sell your data, but we share your mood entries with advertisers."
check "01 + a negation in another clause: rejected by MH-NOADS-01" \
	test "$(outcome_of "$TMP/variant-but.json" MH-NOADS-01)" = fail
variant giftcards . "We sell gift cards."
check "01 + 'We sell gift cards': still passes MH-NOADS-01" \
	test "$(outcome_of "$TMP/variant-giftcards.json" MH-NOADS-01)" = pass
variant teen '.target_users.min_age = 13 | .data_protection.advertising.in_app_ads = true'
check "01 with min_age 13 and ads: the children's criteria apply (MH-CHILD-NOADS-01 fails)" \
	test "$(outcome_of "$TMP/variant-teen.json" MH-CHILD-NOADS-01)" = fail
variant claim '.claims[1].text = "Clinically proven to reduce symptoms of depression"'
check "01 claiming 'clinically proven' as self_management: TR-CLAIMS-TIER-01 fails" \
	test "$(outcome_of "$TMP/variant-claim.json" TR-CLAIMS-TIER-01)" = fail
variant refs '.claims[0].evidence_refs = ["STUDY-THAT-DOES-NOT-EXIST"]'
check "01 citing a study that is not listed: TR-CLAIMS-REFS-01 fails" \
	test "$(outcome_of "$TMP/variant-refs.json" TR-CLAIMS-REFS-01)" = fail
for v in ads but teen claim refs; do
	check "variant $v is not approved" grep -q '"verdict": "rejected"' "$TMP/variant-$v.json"
done

# Framework 3.0: no check is skipped by leaving its section out. Each variant below omits (or hides) what used
# to switch a check off; the check now applies and fails, and the example is rejected.
variant_of() { # variant_of EXAMPLE NAME JQ-FILTER: a copy of EXAMPLE changed by the filter, checked
	local dir=$TMP/omit-$2
	rm -rf "$dir" && cp -r "$ROOT/submissions/$1" "$dir"
	jq "$3" "$dir/submission.json" >"$dir/s.json" && mv "$dir/s.json" "$dir/submission.json"
	"$EMHEVAL" check "$dir" --criteria "$REPO" --format json -o "$TMP/omit-$2.json" 2>/dev/null
}
omitted() { # omitted NAME "IDS" WHAT: each ID fails (not not_applicable) and the variant is rejected
	local id
	for id in $2; do
		check "$3: $id fails" test "$(outcome_of "$TMP/omit-$1.json" "$id")" = fail
	done
	check "$3: rejected" jqt '.verdict == "rejected"' "$TMP/omit-$1.json"
}
variant_of 01-calm-breath onboarding 'del(.data_protection.onboarding)'
omitted onboarding DP-CONSENT-ORDER-01 "01 without data_protection.onboarding (health data processed)"
variant_of 02-mindstep-cbt ukmdr 'del(.regulatory.uk_mdr)'
omitted ukmdr "UKMDR-REG-01 UKMDR-PMS-01 UKMDR-QMS-01 UKMDR-62304-01 UKMDR-14971-01" "02 (class IIa, GB market) without regulatory.uk_mdr"
variant_of 02-mindstep-cbt nocountry 'del(.vendor.country)'
omitted nocountry UKMDR-UKRP-01 "02 without vendor.country (a UK Responsible Person is then required)"
variant_of 01-calm-breath chatbot '.app.product_type = "chatbot"'
omitted chatbot "GENAI-CRISIS-TEST-01 GENAI-DISCLOSURE-01 GENAI-HANDOVER-01 GENAI-MEDADVICE-01 GENAI-MINORS-01 GENAI-INCIDENT-01 AGE-ASSURE-02" \
	"01 as a chatbot with no generative_ai section and no generative_chat function"
variant_of 01-calm-breath companion '.claims[1].text = "Your AI companion for calmer days, always here to talk."'
omitted companion GENAI-CRISIS-TEST-01 "01 with a claim naming an AI companion"
variant_of 03-teen-talk botreply '.human_involvement.responders += ["automated"]'
omitted botreply "GENAI-CRISIS-TEST-01 GENAI-HANDOVER-01" "03 whose chat is also answered by an automated responder (no generative_ai section)"
variant_of 01-calm-breath noage 'del(.age_assurance)'
omitted noage AGE-ASSURE-01 "01 without age_assurance"
variant_of 01-calm-breath adsage '.data_protection.advertising.in_app_ads = true'
omitted adsage AGE-ASSURE-02 "01 (adults only, self-declared age) with in-app advertising"
check "01 (adults only, no ads, no peer contact, no AI): self-declaration is accepted and no age review is asked" \
	jqt '([.results[] | select(.id == "AGE-ASSURE-01")][0].outcome == "pass") and
	     ([.results[] | select(.id == "AGE-ASSURE-02" or .id == "AGE-ASSURE-REVIEW")] | all(.outcome == "not_applicable"))' \
	"$TMP/01-calm-breath.json"
check "03 (13 to 17, peer support): AGE-ASSURE-02 passes on school codes and moderation, AGE-ASSURE-REVIEW awaits a reviewer" \
	jqt '([.results[] | select(.id == "AGE-ASSURE-02")][0].outcome == "pass") and
	     (.profiles[0].awaiting_review | index("AGE-ASSURE-REVIEW") != null)' "$TMP/03-teen-talk.json"
# Therapy platforms: one clinician listed out of 148 no longer satisfies the credentials checks (issue 12).
variant_of 10-therapy-online oneof148 '.therapy_service.clinicians |= .[:1] | del(.therapy_service.register_audit)'
omitted oneof148 TH-CRED-COVER-01 "10 listing 1 clinician of 148 with no register audit"
variant_of 10-therapy-online sample10 '.therapy_service.register_audit.sample_size = 10'
omitted sample10 TH-CRED-COVER-01 "10 with a register audit of 10 of 148 (ISO 2859-1 level II asks 20)"
variant_of 10-therapy-online ireland '.app.markets += ["IE"] | .therapy_service.client_jurisdictions += ["IE"]'
omitted ireland TH-LICENSURE-01 "10 with clients in Ireland and no clinician licensed there"
variant_of 10-therapy-online recorded '.therapy_service.session_recording = {"recorded": true, "consent": "opt_out", "purpose": "quality assurance", "retention_months": 12}'
omitted recorded TH-RECORDING-01 "10 recording sessions unless the client opts out"
variant_of 10-therapy-online nodbs 'del(.therapy_service.background_checks)'
omitted nodbs TH-DBS-01 "10 without background checks"

# Every result carries provenance; manual ones say a reviewer decides.
contains "$(cat "$TMP/01-calm-breath.json")" '"provenance": "verified"' "verified provenance present"
contains "$(cat "$TMP/01-calm-breath.json")" '"provenance": "declared"' "declared provenance present"
contains "$(cat "$TMP/01-calm-breath.json")" '"provenance": "reviewer"' "reviewer provenance present"

# v2 of the set demands retention of at most 24 months: 02 (36), 10 (96), 11 (36), 12 (72) and 13 (96) flip (11
# and 12 since framework 3.1.0 no longer rejects them: German text goes to review, and the CCPA's 45 deletion days
# are allowed); 15 (36) and 16 (96) were rejected already; nothing else changes.
sed -i 's/"le": 360/"le": 24/; s/"version": 2,/"version": 3,/' "$REPO/criteria/data_protection/DP-RET-01.json"
git -C "$REPO" commit -qam "DP-RET-01 v2: retention at most 24 months"
git -C "$REPO" tag v2
for s in "$ROOT"/submissions/*/; do
	name=$(basename "$s")
	v1=$("$EMHEVAL" check "$s" --criteria "$REPO" --rev v1 --format json | sed -n 's/^  "verdict": "\(.*\)",*$/\1/p')
	v2=$("$EMHEVAL" check "$s" --criteria "$REPO" --rev v2 --format json | sed -n 's/^  "verdict": "\(.*\)",*$/\1/p')
	case "$name" in
	02-mindstep-cbt|10-therapy-online|11-ankerzeit-diga|12-solvara-fda|13-mooring-class1)
		if [ "$v1" = awaiting_review ] && [ "$v2" = rejected ]; then pass; else fail "$name should flip at v2: $v1 -> $v2"; fi ;;
	*)
		if [ -n "$v1" ] && [ "$v1" = "$v2" ]; then pass; else fail "$name should not change at v2: $v1 -> $v2"; fi ;;
	esac
done
"$EMHEVAL" check "$ROOT/submissions/02-mindstep-cbt" --criteria "$REPO" --rev v2 --format json -o "$TMP/v2.json"
check "v2 dossier records DP-RET-01 version 3" grep -q '"version": 3' "$TMP/v2.json"
check "02 fails DP-RET-01 at v2" test "$(outcome_of "$TMP/v2.json" DP-RET-01)" = fail

# The project's own HEAD: with no flags the criteria come from this repository.
if git -C "$ROOT" rev-parse HEAD >/dev/null 2>&1 && [ -z "$(git -C "$ROOT" status --porcelain -- criteria)" ]; then
	(cd "$ROOT" && "$EMHEVAL" check submissions/01-calm-breath --format json) >"$TMP/head.json"
	contains "$(cat "$TMP/head.json")" "\"commit\": \"$(git -C "$ROOT" rev-parse HEAD)\"" "records git rev-parse HEAD"
	contains "$(cat "$TMP/head.json")" "\"tree\": \"$(git -C "$ROOT" rev-parse HEAD:criteria)\"" "records git rev-parse HEAD:criteria"
else
	echo "examples: skipping the HEAD check (not a git checkout, or criteria/ has uncommitted changes)" >&2
fi

# impact --profile: the same profiles at both revisions; 02 flips for de-diga too (DP-RET-01 cites MH retention).
run_emheval impact --criteria "$REPO" --from v1 --to v2 --profile de-diga "$ROOT/submissions/02-mindstep-cbt"
contains "$out" "02-mindstep-cbt: awaiting_review -> rejected" "impact --profile de-diga: 02 newly rejected"
run_emheval impact --criteria "$REPO" --from v1 --to v2 --profile nope "$ROOT/submissions/02-mindstep-cbt"
expect_rc 2 "impact --profile with an unknown id"

# Profile mistakes in framework.json are lint findings located at file:line:col, and load errors.
BAD=$TMP/badprof
make_repo "$BAD" "$ROOT/criteria"
sed -i 's/"families": \["FDA", "APA", "MIND", "MH"\]/"families": ["FDA", "APA", "MIND", "MH", "FDAX"]/' "$BAD/criteria/framework.json"
git -C "$BAD" commit -qam "a family no criterion cites"
run_emheval lint --criteria "$BAD"
expect_rc 1 "lint: a profile family that matches nothing is a finding"
line=$(grep -n '"FDAX"' "$BAD/criteria/framework.json" | cut -d: -f1)
contains "$out" "criteria/framework.json:$line:" "the family is located by line"
contains "$out" 'reference family "FDAX" matches no criterion' "the family is named"
run_emheval check "$ROOT/submissions/01-calm-breath" --criteria "$BAD"
expect_rc 2 "check refuses criteria with a profile mistake"

summary
