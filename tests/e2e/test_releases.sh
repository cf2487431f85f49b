#!/bin/bash
# The two releases of the shipped criteria side by side: the 2021 set (framework
# 2.1.0, DTAC 2021 form) is the git tag criteria-v2.1.0; the current set is
# re-baselined on the DTAC form of 2026. `lint --against` accepts the new set
# against the old one (versions bumped) and `impact` shows the renumbered
# references, the new criteria and what they do to the examples.
# A clone without tags or history cannot build the old release: the test then
# tries the tagged commit c7732ce, and skips loudly when neither is there.
SUITE=releases
. "$(dirname "$0")/lib.sh"

OLD=
for rev in criteria-v2.1.0 c7732ce; do
	if git -C "$ROOT" rev-parse -q --verify "$rev^{commit}" >/dev/null 2>&1; then OLD=$rev; break; fi
done
if [ -z "$OLD" ]; then
	echo "SKIP $SUITE: neither the tag criteria-v2.1.0 nor commit c7732ce is in this clone" \
	     "(a shallow clone or one without tags); fetch them (git fetch --tags --unshallow) to compare the releases" >&2
	echo "$SUITE: SKIPPED (old release not available)"
	exit 0
fi

# A repository holding the old release, tagged as the project tags it, and the
# current criteria and examples (the working tree, as the other tests use) on top.
REL=$TMP/rel
mkdir -p "$REL"
git init -q "$REL"
git -C "$ROOT" archive "$OLD" criteria submissions | tar -x -C "$REL"
git -C "$REL" add -A && git -C "$REL" commit -qm "criteria 2.1.0" && git -C "$REL" tag criteria-v2.1.0
rm -rf "$REL/criteria" "$REL/submissions"
cp -R "$ROOT/criteria" "$ROOT/submissions" "$REL/"
git -C "$REL" add -A && git -C "$REL" commit -qm "criteria 3.2.0"

run_emheval criteria --criteria "$REL" --rev criteria-v2.1.0
expect_rc 0 "the old release reads"
run_emheval lint --criteria "$REL" --against criteria-v2.1.0
expect_rc 0 "lint: the 2026 set against the 2021 set is clean (every changed criterion bumped)"
contains "$out" "against criteria-v2.1.0" "lint names the base release"

run_emheval impact --criteria "$REL" --from criteria-v2.1.0 --to HEAD "$REL/submissions"
expect_rc 0 "impact between the releases"
contains "$out" "framework 2.1.0) to HEAD" "impact names the old framework version"
contains "$out" "framework 3.2.0)" "impact names the new framework version"
contains "$out" "  changed  DTAC-C1.3-STATUS v1 -> v2 [blocker] (version, references)" "a criterion whose reference was renumbered"
contains "$out" "           references: -DTAC C1.3, +DTAC C1.1" "the medical-device question is C1.1 in the 2026 form"
contains "$out" "           references: -DTAC C1.4, +DTAC A11" "the CQC question moved to section A (A11)"
contains "$out" "           references: -DTAC A10, +DTAC A9" "a mis-numbered section A reference fixed"
contains "$out" "  added    DTAC-C3-MFA-ALL v1 [major]" "new: MFA on every account type"
contains "$out" "  added    DTAC-C3-SSCOP v1 [major]" "new: Software Security Code of Practice"
contains "$out" "  added    DTAC-C4-DAPB3051 v1 [major]" "new: DAPB3051 identity standard"
contains "$out" "  added    DIGA-ABEM-01 v1 [major]" "new: DiGA outcome measurement"
contains "$out" "  references catalogue: " "the catalogue's changes are counted"
contains "$out" "DTAC-C3-MFA-ALL [major] (none) -> pass" "the examples answer the new questions"
# Under 3.0.0 three examples are newly rejected, each for the point it makes: 16 lists 3 of its 212 therapists
# with no register audit (TH-CRED-COVER-01), 19's captured sign-up sends the persona to an advertiser (OBS-*),
# 15 declares Meta's App Events and AppsFlyer as analytics (MH-NOADS-02 v2, OBS-CAPTURE-01; observe2 branch).
contains "$out" "3 newly rejected" "three examples are newly rejected"
contains "$out" "submissions/15-petalnote-hidden-ads: awaiting_review -> rejected" "15: the declared labels not believed"
contains "$out" "submissions/16-larchwood-therapy-workforce: awaiting_review -> rejected" "16: the unverified workforce"
contains "$out" "submissions/19-moodleaf-pixel: awaiting_review -> rejected" "19: the observed leak"
# Since 3.1.0 the deletion deadline follows the law that applies: 12, a US app at the CCPA's 45 days, is no
# longer rejected by the GDPR month (DP-DEL-01 split into DP-DEL-GDPR-01 and DP-DEL-CCPA-01).
contains "$out" "submissions/12-solvara-fda: rejected -> awaiting_review" "12: the CCPA deadline, not the GDPR month"
contains "$out" "  added    DP-DEL-CCPA-01 v1 [major]" "new: the CCPA deletion deadline"

run_emheval impact --criteria "$REL" --from criteria-v2.1.0 --to HEAD --format json "$REL/submissions"
expect_rc 0 "impact JSON"
check "JSON: the renumbered reference of DTAC-C1.1.1-DOCS" \
	test "$(printf '%s' "$out" | jq -r '.criteria[] | select(.id == "DTAC-C1.1.1-DOCS") | .references_change')" = \
	"-DTAC C1.1.1, +DTAC C1.2, +DTAC C1.2.3, +DTAC C1.3.4"
check "JSON: twenty criteria added (DTAC 2026, DiGA, age assurance, workforce, observations, capture required, deletion deadlines per law), none removed" \
	test "$(printf '%s' "$out" | jq '[.criteria[] | .change] | (map(select(. == "added")) | length | tostring) + " " + (map(select(. == "removed")) | length | tostring)' -r)" = "20 0"
check "JSON: four verdicts changed (15, 16 and 19 rejected, 12 no longer)" test "$(printf '%s' "$out" | jq '.summary.verdict_changed')" = 4

# The old release's examples still meet the old release (the tag is a real release).
run_emheval check "$REL/submissions/01-calm-breath" --criteria "$REL" --rev criteria-v2.1.0 --format json
check "01 under 2.1.0 is not rejected" test "$(printf '%s' "$out" | jq -r '.verdict')" = awaiting_review
# ---- references catalogue entries: a title, or {title, checked, note} -------------------------------
CAT=$TMP/cat
mkdir -p "$CAT"
cp -R "$ROOT/tests/data/mini/criteria" "$CAT/criteria"
jq '.references = {"DTAC C2": {"title": "data protection", "checked": false, "note": "question number not verified"},
	"MH advertising": {"title": "no advertising use", "checked": true}, "MH crisis": "crisis signposting", "DTAC C3": "technical security"}' \
	"$ROOT/tests/data/mini/criteria/framework.json" >"$CAT/criteria/framework.json"
git init -q "$CAT" && git -C "$CAT" add -A && git -C "$CAT" commit -qm catalogue
run_emheval lint --criteria "$CAT"
expect_rc 0 "lint accepts checked and unchecked reference entries"
jq '.references = {"DTAC C2": {"title": "data protection", "checked": false},
	"MH advertising": {"title": "", "checked": "no"}, "MH crisis": {"titel": "crisis"}}' \
	"$ROOT/tests/data/mini/criteria/framework.json" >"$CAT/criteria/framework.json"
git -C "$CAT" commit -qam "bad catalogue"
run_emheval lint --criteria "$CAT"
expect_rc 1 "lint refuses malformed reference entries"
contains "$out" 'a reference with "checked": false needs a "note"' "an unchecked reference must say why"
contains "$out" '"checked" must be true or false' "checked is a boolean"
contains "$out" '"title" must be a non-empty string' "a title is required"
contains "$out" 'unknown member "titel" of a reference' "unknown members are named"
contains "$out" "/references/MH crisis/titel" "the finding points at the member"

# Every release tag in this clone names the framework version its commit carries: a tag moved to
# another commit, or made on the wrong one, would pin a set that is not the release it says.
ntags=0
for tag in $(git -C "$ROOT" tag -l 'criteria-v*'); do
	v=$(git -C "$ROOT" show "$tag:criteria/framework.json" | jq -r .version)
	check "tag $tag carries framework $v" test "criteria-v$v" = "$tag"
	ntags=$((ntags + 1))
done
[ "$ntags" -gt 0 ] || echo "note: no criteria-v* tag in this clone (git fetch --tags)" >&2

summary
