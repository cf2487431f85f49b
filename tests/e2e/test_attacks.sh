#!/bin/bash
# Attacker tests (docs/security.md, "Attacker tests"): a vendor who knows how
# the criteria select and read must not get past them. Each test fails without
# its defence.
#  (a) declared markets cannot take an assessment past the profile it is made
#      against: "markets": ["US"] under the NHS England profile still meets the
#      criteria that apply on the GB market;
#  (b) padding a policy with over 1,024 English paragraphs before and after an
#      advertising-sharing sentence does not hide it;
#  (c) ML-PPV-01: a deployment prevalence that names no listed evidence fails.
SUITE=attacks
. "$(dirname "$0")/lib.sh"

REPO=$TMP/repo
make_repo "$REPO" "$ROOT/criteria"
outcome() { jq -r --arg id "$2" '.results[] | select(.id == $id) | .outcome' "$1"; }
# evaluate NAME FOLDER [OPTION...]: check FOLDER with the shipped criteria into $TMP/NAME.json.
evaluate() {
	local name=$1 dir=$2
	shift 2
	"$EMHEVAL" check "$dir" --criteria "$REPO" --format json -o "$TMP/$name.json" "$@" 2>"$TMP/err"
}
# rehash DIR FILE: declare FILE's new SHA-256 in DIR/submission.json.
rehash() {
	local sum
	sum=$(sha256sum "$1/$2" | cut -d' ' -f1)
	jq --arg p "$2" --arg s "$sum" '(.evidence[] | select(.path == $p) | .sha256) = $s' "$1/submission.json" \
		>"$1/s.tmp" && mv "$1/s.tmp" "$1/submission.json"
}

# ---- (a) markets against the assessment profile ------------------------------------------------------------------
FDA=$ROOT/submissions/12-solvara-fda # a US device, "markets": ["US"]
evaluate fda-own "$FDA"
check "(a) a US device assessed for its own market: the UK MDR criteria do not apply" \
	test "$(outcome "$TMP/fda-own.json" UKMDR-REG-01)" = not_applicable
evaluate fda-nhs "$FDA" --profile nhs-england
check "(a) the same device assessed with --profile nhs-england: MHRA registration is required" \
	test "$(outcome "$TMP/fda-nhs.json" UKMDR-REG-01)" = fail
check "(a) ... and a UK Responsible Person" test "$(outcome "$TMP/fda-nhs.json" UKMDR-UKRP-01)" = fail
check "(a) ... and the GB emergency number (it declares 911 only)" test "$(outcome "$TMP/fda-nhs.json" MH-CRISIS-01)" = fail
check "(a) ... and the NHS profile is rejected" \
	test "$(jq -r '.profiles[] | select(.id == "nhs-england") | .verdict' "$TMP/fda-nhs.json")" = rejected
# The vendor naming the profile itself (/profiles) is held to it the same way.
mkdir -p "$TMP/fda-named"
cp -R "$FDA/." "$TMP/fda-named/"
jq '.profiles = ["nhs-england"]' "$FDA/submission.json" >"$TMP/fda-named/submission.json"
evaluate fda-named "$TMP/fda-named"
check "(a) a vendor naming nhs-england with markets [\"US\"] meets the GB criteria too" \
	test "$(outcome "$TMP/fda-named.json" UKMDR-REG-01)" = fail
# A UK app re-declared as US-only: the NHS assessment still reads the GB criteria (DSPT, ICO registration).
CALM=$ROOT/submissions/01-calm-breath
mkdir -p "$TMP/calm-us"
cp -R "$CALM/." "$TMP/calm-us/"
jq '.app.markets = ["US"]' "$CALM/submission.json" >"$TMP/calm-us/submission.json"
evaluate calm-gb "$CALM" --profile nhs-england
evaluate calm-us "$TMP/calm-us" --profile nhs-england
for id in DTAC-C2-DSPT DTAC-C2-ICO DP-DEL-GDPR-01; do
	check "(a) $id: markets [\"US\"] under nhs-england is judged as markets [\"GB\"]" \
		test "$(outcome "$TMP/calm-us.json" $id)" = "$(outcome "$TMP/calm-gb.json" $id)" -a \
		"$(outcome "$TMP/calm-us.json" $id)" != not_applicable
done

# ---- (b) padding around an advertising-sharing sentence -------------------------------------------------------------
# Example 01's policy with the sentence of issue 12 between 1,100 English paragraphs before and 1,100 after.
mkdir -p "$TMP/padded"
cp -R "$CALM/." "$TMP/padded/"
para=$(awk 'length($0) >= 200 && !/share|sell|advert|market/ { print; exit }' "$CALM/privacy-policy.md")
{
	cat "$CALM/privacy-policy.md"
	for _ in $(seq 1100); do printf '\n%s\n' "$para"; done
	printf '\nWe share your mood scores and questionnaire answers with Google and Facebook for ad targeting.\n'
	for _ in $(seq 1100); do printf '\n%s\n' "$para"; done
} >"$TMP/padded/privacy-policy.md"
rehash "$TMP/padded" privacy-policy.md
evaluate calm "$CALM"
evaluate padded "$TMP/padded"
check "(b) example 01 as shipped passes MH-NOADS-01" test "$(outcome "$TMP/calm.json" MH-NOADS-01)" = pass
check "(b) the advertising sentence between 2,200 padding paragraphs fails MH-NOADS-01" \
	test "$(outcome "$TMP/padded.json" MH-NOADS-01)" = fail
contains "$(jq -r '.results[] | select(.id == "MH-NOADS-01") | .findings[0].found' "$TMP/padded.json")" \
	"We share your mood scores and questionnaire answers with Google" "(b) the finding quotes the sentence"
check "(b) the padded submission is not approved" test "$(jq -r .verdict "$TMP/padded.json")" != approved

# ---- (c) ML-PPV-01: the deployment prevalence is tied to the declared evidence -------------------------------------
LOW=$ROOT/submissions/17-fellsight-low-ppv # prevalence 0.025 from its validation study FS-VAL-2025 (2.5 per cent)
evaluate low "$LOW"
check "(c) example 17 as shipped passes ML-PPV-01" test "$(outcome "$TMP/low.json" ML-PPV-01)" = pass
# variant NAME JQ: example 17 with submission.json changed by JQ, checked into $TMP/NAME.json.
variant() {
	mkdir -p "$TMP/$1"
	cp -R "$LOW/." "$TMP/$1/"
	jq "$2" "$LOW/submission.json" >"$TMP/$1/submission.json"
	evaluate "$1" "$TMP/$1"
}
variant ppv-nosource 'del(.ai_model.validation.deployment_prevalence_source)'
check "(c) a deployment prevalence with no source fails ML-PPV-01" test "$(outcome "$TMP/ppv-nosource.json" ML-PPV-01)" = fail
variant ppv-invented '.ai_model.validation.deployment_prevalence_source = "FS-EPI-2024"'
check "(c) a prevalence source that names no listed study or file fails" test "$(outcome "$TMP/ppv-invented.json" ML-PPV-01)" = fail
# The attack: a flattering prevalence of 0.10, with PPV and NPV recomputed to agree with it by Bayes (0.315, 0.949).
variant ppv-flattering '.ai_model.validation.deployment_prevalence = 0.1
	| .ai_model.validation.ppv = {"value": 0.315, "ci95": [0.29, 0.34]}
	| .ai_model.validation.npv = {"value": 0.949, "ci95": [0.94, 0.96]}'
check "(c) a prevalence the named study contradicts (0.10 against 0.025) fails" \
	test "$(outcome "$TMP/ppv-flattering.json" ML-PPV-01)" = fail
contains "$(jq -c '.results[] | select(.id == "ML-PPV-01") | .findings' "$TMP/ppv-flattering.json")" \
	'/clinical_evidence/studies' "(c) the finding points at the study that disagrees"

summary
