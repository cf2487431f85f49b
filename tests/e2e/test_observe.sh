#!/bin/bash
# Observers (issue 13, docs/observers.md) through the CLI: the tracker catalogue linted with file:line:col and
# its changes shown by impact; artifacts that cannot be read, and a submission writing /observed, are input
# errors naming file:line:col; a network capture written by hand (the way an assessor might) is read; the
# observation checks' outcomes and provenance. Captures recorded by Chromium: tests/browser/observe.sh.
SUITE=observe
. "$(dirname "$0")/lib.sh"
REPO=$TMP/repo
make_repo "$REPO" "$ROOT/criteria"
git -C "$REPO" tag v1
EX=$ROOT/submissions/19-moodleaf-pixel
# EXCAP: 19 with its capture only (without moodleaf.ipa, whose Meta SDK would keep OBS-ADS-01 failing).
EXCAP=$TMP/19-capture-only
cp -R "$EX" "$EXCAP"
jq 'del(.evidence[] | select(.kind == "ios_package"))' "$EX/submission.json" >"$EXCAP/submission.json"
rm "$EXCAP/moodleaf.ipa"
jqt() { jq -e "$@" >/dev/null; }

# The catalogue is linted like any criteria file.
BAD=$TMP/bad
make_repo "$BAD" "$ROOT/criteria"
jq '.trackers[2].category = "adverts" | .trackers[5].host_signatures = ["Connect.Facebook.NET"]' \
	"$ROOT/criteria/trackers.json" >"$BAD/criteria/trackers.json"
git -C "$BAD" commit -qam "a malformed catalogue"
run_emheval lint --criteria "$BAD"
expect_rc 1 "lint: a malformed catalogue is a finding"
line=$(grep -n '"adverts"' "$BAD/criteria/trackers.json" | cut -d: -f1)
contains "$out" "criteria/trackers.json:$line:" "the unknown category is located by line"
contains "$out" 'unknown category "adverts"' "and named"
contains "$out" "[catalogue]" "under the rule catalogue"
contains "$out" "/trackers/5/host_signatures/0" "the upper-case host is located by pointer"
run_emheval check "$EX" --criteria "$BAD"
expect_rc 2 "check refuses criteria whose catalogue is malformed"
printf '{"trackers": [\n  {"id": "x",\n' >"$BAD/criteria/trackers.json"
git -C "$BAD" commit -qam "a truncated catalogue"
run_emheval lint --criteria "$BAD"
expect_rc 1 "lint: a truncated catalogue"
contains "$out" "criteria/trackers.json:3:" "located where the text ends"

# impact shows a catalogue change and what it flips.
git -C "$REPO" checkout -q -b nopixel
jq 'del(.trackers[] | select(.id == "meta_pixel"))' "$ROOT/criteria/trackers.json" >"$REPO/criteria/trackers.json"
git -C "$REPO" commit -qam "drop the Meta pixel from the catalogue"
run_emheval impact --criteria "$REPO" --from v1 --to nopixel "$EXCAP" "$ROOT/submissions/18-calm-breath-web"
contains "$out" "trackers.json: removed meta_pixel" "impact names the catalogue entry removed"
contains "$out" "OBS-ADS-01 [blocker] fail -> pass" "and the outcome it flips"
run_emheval impact --criteria "$REPO" --from v1 --to nopixel --format json "$EXCAP"
check "impact JSON carries the catalogue change" test "$(printf '%s' "$out" | jq -r .catalogue_changes)" = "removed meta_pixel"
run_emheval lint --criteria "$REPO" --against v1
contains "$out" "version" "lint --against: a catalogue change is a change of the set (the framework version must move)"

# An artifact that cannot be read is an input error located in it.
S=$TMP/sub
cp -R "$EX" "$S"
printf '{"log": {"version": "1.2",\n  "entries": [{"request": {"url": "https://a.example/"}},\n  {"request": }]}}\n' >"$S/capture.har"
sha=$(sha256sum "$S/capture.har" | cut -c1-64)
jq --arg sha "$sha" '(.evidence[] | select(.kind == "network_capture") | .sha256) = $sha' "$EX/submission.json" >"$S/submission.json"
run_emheval check "$S" --criteria "$REPO"
expect_rc 2 "a malformed capture is an input error"
contains "$err" "capture.har:3:15:" "located at its line and column"
# A submission may not write the observers' facts itself.
jq '.observed = {"hosts": []}' "$EX/submission.json" >"$S/submission.json"
cp "$EX/capture.har" "$S/capture.har"
run_emheval check "$S" --criteria "$REPO"
expect_rc 2 "a submission writing /observed is an input error"
contains "$err" "submission.json:" "located in submission.json"
contains "$err" '"observed" is reserved' "and says why"

# A capture written by hand: the e-mail base64-encoded in a header to a host the submission declares as a processor
# for analytics, which the policy names: only the catalogue's category decides (Mixpanel is analytics).
cat >"$S/capture.har" <<'HAR'
{"log": {"version": "1.2", "creator": {"name": "hand", "version": "1"}, "entries": [
  {"request": {"method": "GET", "url": "https://join.moodleaf.co.uk/signup", "headers": []}},
  {"request": {"method": "POST", "url": "https://api-eu.mixpanel.com/track", "headers": [
    {"name": "X-Distinct-Id", "value": "cm9iaW4uY2FuYXJ5QGV4YW1wbGUub3Jn"}]}}
]}}
HAR
sha=$(sha256sum "$S/capture.har" | cut -c1-64)
printf '\nWe use Mixpanel to understand how the sign-up page is used.\n' >>"$S/privacy-policy.md"
psha=$(sha256sum "$S/privacy-policy.md" | cut -c1-64)
jq --arg sha "$sha" --arg psha "$psha" '(.evidence[] | select(.kind == "network_capture") | .sha256) = $sha |
	(.evidence[] | select(.kind == "privacy_policy") | .sha256) = $psha |
	.data_protection.third_parties += [{"name": "Mixpanel", "purposes": ["analytics"], "country": "US",
	  "hosts": ["mixpanel.com"], "processor": true}]' "$EXCAP/submission.json" >"$S/submission.json"
run_emheval check "$S" --criteria "$REPO" --format json -o "$TMP/hand.json"
check "a declared, disclosed analytics processor receiving the e-mail passes every observation check" \
	test "$(jq -c '[.results[] | select(.id | startswith("OBS-")) | select(.kind == "check") | [.id, .outcome, .provenance]]' "$TMP/hand.json")" = \
	'[["OBS-ADS-01","pass","observed"],["OBS-CANARY-01","pass","observed"],["OBS-CAPTURE-01","not_applicable","observed"],["OBS-POLICY-01","pass","observed"],["OBS-RECIPIENT-01","pass","observed"]]'
# The same processor declared for crash reporting only: the e-mail reaches it for another purpose.
jq '(.data_protection.third_parties[] | select(.name == "Mixpanel") | .purposes) = ["crash_reporting"]' \
	"$S/submission.json" >"$S/s.json" && mv "$S/s.json" "$S/submission.json"
run_emheval check "$S" --criteria "$REPO" --format json -o "$TMP/hand2.json"
check "declared for another purpose: OBS-CANARY-01 fails at the header, entry 1" \
	jqt '.results[] | select(.id == "OBS-CANARY-01") | .outcome == "fail" and
	  (.findings[0].excerpt | startswith("capture.har:4:40 entry 1 request.headers: persona email (base64) sent to api-eu.mixpanel.com"))' "$TMP/hand2.json"

# Submissions without artifacts: the observation checks do not apply, and a reviewer must accept the absence
# (OBS-CAPTURE-REVIEW: 01 processes personal data and declares only a crash reporter).
run_emheval check "$ROOT/submissions/01-calm-breath" --criteria "$REPO" --format json -o "$TMP/01.json"
check "no artifact: the observation checks are not_applicable; OBS-CAPTURE-REVIEW awaits a reviewer" \
	test "$(jq -c '[.results[] | select(.id | startswith("OBS-")) | select(.outcome != "not_applicable") | .id]' "$TMP/01.json")" = '["OBS-CAPTURE-REVIEW"]'
summary
