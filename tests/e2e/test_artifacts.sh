#!/bin/bash
# The package and page observers through the CLI (docs/artifacts.md): an APK holding an advertising SDK
# (built by tests/artifacts/make.sh with smali and aapt) makes OBS-ADS-01 fail, located
# "app.apk!classes2.dex: L...;"; a clean APK passes it; a saved page's Meta pixel is located by line;
# an IPA's embedded SDK frameworks are located; a capture and a package are required (OBS-CAPTURE-01, -REVIEW),
# and artifacts of the wrong kind are input errors; a zip bomb is an input error located in its member; verify reproduces the observations.
SUITE=artifacts
. "$(dirname "$0")/lib.sh"
FX=$TMP/fx
bash "$ROOT/tests/artifacts/make.sh" "$FX" >/dev/null || { fail "tests/artifacts/make.sh"; summary; exit 1; }
REPO=$TMP/repo
git init -q "$REPO" && cp -R "$ROOT/criteria" "$REPO/criteria" && git -C "$REPO" add -A && git -C "$REPO" commit -qm c

# submission DIR KIND FILE...: example 01 with each FILE added as evidence of KIND.
submission() {
	local dir=$1 kind=$2
	shift 2
	rm -rf "$dir"
	cp -R "$ROOT/submissions/01-calm-breath" "$dir"
	for f in "$@"; do
		cp "$FX/$f" "$dir/$f"
		jq --arg p "$f" --arg k "$kind" --arg s "$(sha256sum "$FX/$f" | cut -d' ' -f1)" \
			'.evidence += [{"kind": $k, "path": $p, "sha256": $s}]' "$dir/submission.json" >"$dir/x" &&
			mv "$dir/x" "$dir/submission.json"
	done
}
outcome() { jq -r --arg id "$2" '.results[] | select(.id == $id) | .outcome' "$1"; }
excerpts() { jq -r --arg id "$2" '.results[] | select(.id == $id) | .findings[]?.excerpt' "$1"; }
jqt() { jq -e "$1" "${2:-$TMP/ios.json}" >/dev/null; }

submission "$TMP/ads" android_package app.apk
run_emheval check "$TMP/ads" --criteria "$REPO" --format json -o "$TMP/ads.json"
expect_rc 1 "an APK with advertising SDKs is rejected"
check "OBS-ADS-01 fails on the APK" [ "$(outcome "$TMP/ads.json" OBS-ADS-01)" = fail ]
contains "$(excerpts "$TMP/ads.json" OBS-ADS-01)" "app.apk!classes2.dex: Lcom/facebook/appevents/AppEventsLogger;" \
	"the Meta SDK located at its class in classes2.dex"
contains "$(excerpts "$TMP/ads.json" OBS-ADS-01)" "app.apk!classes2.dex: Lcom/google/android/gms/ads/AdView;" \
	"Google Mobile Ads located"
case "$(excerpts "$TMP/ads.json" OBS-ADS-01)" in *classes.dex*) fail "an ordinary class reported" ;; *) pass ;; esac
run_emheval check "$TMP/ads" --criteria "$REPO"
contains "$out" "OBS-ADS-01" "the text report names the failed criterion"
check "OBS-PERMISSION-REVIEW asks about the APK's permissions" \
	[ "$(outcome "$TMP/ads.json" OBS-PERMISSION-REVIEW)" = needs_review ]
run_emheval verify "$TMP/ads.json" --criteria "$REPO" --submission "$TMP/ads"
expect_rc 0 "verify reproduces the dossier, observations included"

submission "$TMP/clean" android_package clean.apk
run_emheval check "$TMP/clean" --criteria "$REPO" --format json -o "$TMP/clean.json"
check "OBS-ADS-01 passes on the clean APK" [ "$(outcome "$TMP/clean.json" OBS-ADS-01)" = pass ]

submission "$TMP/page" web_page page.html
run_emheval check "$TMP/page" --criteria "$REPO" --format json -o "$TMP/page.json"
check "OBS-ADS-01 fails on the page" [ "$(outcome "$TMP/page.json" OBS-ADS-01)" = fail ]
contains "$(excerpts "$TMP/page.json" OBS-ADS-01)" "page.html:13: img src https://www.facebook.com/tr?id=1" \
	"the noscript pixel located by line"

submission "$TMP/ios" ios_package app.ipa
run_emheval check "$TMP/ios" --criteria "$REPO" --format json -o "$TMP/ios.json"
check "an IPA is read (exit 0 or 1, not an input error)" [ "$rc" = 0 -o "$rc" = 1 ]
check "the IPA's ATT prompt asks for a review of its permissions" \
	[ "$(outcome "$TMP/ios.json" OBS-PERMISSION-REVIEW)" = needs_review ]

# iOS frameworks are matched by the catalogue's ios_signatures, located at the framework's folder.
check "the IPA's Meta SDK, Google Mobile Ads and AppsFlyer frameworks fail OBS-ADS-01" \
	[ "$(outcome "$TMP/ios.json" OBS-ADS-01)" = fail ]
for fw in FBSDKCoreKit GoogleMobileAds AppsFlyerLib; do
	contains "$(excerpts "$TMP/ios.json" OBS-ADS-01)" "app.ipa!Payload/Mood.app/Frameworks/$fw.framework: $fw" "$fw located"
done
check "the SDK facts name the catalogue entry and the signature" \
	jqt '[.results[] | select(.id == "OBS-ADS-01") | .findings[] | select(.pointer | test("^/observed/sdks/"))] | length == 3'
submission "$TMP/ios-clean" ios_package clean.ipa
run_emheval check "$TMP/ios-clean" --criteria "$REPO" --format json -o "$TMP/ios-clean.json"
check "OBS-ADS-01 passes on an IPA whose only framework is the app's own" \
	[ "$(outcome "$TMP/ios-clean.json" OBS-ADS-01)" = pass ]
run_emheval verify "$TMP/ios.json" --criteria "$REPO" --submission "$TMP/ios"
expect_rc 0 "verify reproduces the IPA's observations"

check "example 19's committed moodleaf.ipa is the one make.sh builds (same bytes)" \
	cmp -s "$FX/moodleaf.ipa" "$ROOT/submissions/19-moodleaf-pixel/moodleaf.ipa"

# Observation cannot be skipped by omission (OBS-CAPTURE-01, OBS-CAPTURE-REVIEW). capture.har: example 18's
# capture (its own host only).
cp "$ROOT/submissions/18-calm-breath-web/capture.har" "$FX/capture.har"
jq '.log.entries = []' "$FX/capture.har" >"$FX/empty.har"
jq '.log.version = "1.0"' "$FX/capture.har" >"$FX/old.har"
cp "$FX/page.html" "$FX/renamed.har"
# with_sdk DIR: the submission in DIR also declares Meta's SDK for "analytics".
with_sdk() {
	jq '.data_protection.tracking_sdks += [{"name": "Meta SDK (App Events)", "purpose": "analytics"}]' \
		"$1/submission.json" >"$1/x" && mv "$1/x" "$1/submission.json"
}
# capture_case NAME SDK WANT01 WANTREVIEW KIND:FILE...: evaluates 01 (with the Meta SDK when SDK is 1) with
# those artifacts; OBS-CAPTURE-01 and OBS-CAPTURE-REVIEW must have the outcomes wanted.
capture_case() {
	local name=$1 sdk=$2 want1=$3 wantr=$4 d=$TMP/cap-$1
	shift 4
	submission "$d" none
	for kf in "$@"; do
		cp "$FX/${kf#*:}" "$d/"
		jq --arg p "${kf#*:}" --arg k "${kf%%:*}" --arg s "$(sha256sum "$FX/${kf#*:}" | cut -d' ' -f1)" \
			'.evidence += [{"kind": $k, "path": $p, "sha256": $s}]' "$d/submission.json" >"$d/x" && mv "$d/x" "$d/submission.json"
	done
	[ "$sdk" = 1 ] && with_sdk "$d"
	"$EMHEVAL" check "$d" --criteria "$REPO" --format json -o "$d.json" 2>"$TMP/err"
	local got="$(outcome "$d.json" OBS-CAPTURE-01) $(outcome "$d.json" OBS-CAPTURE-REVIEW)"
	if [ "$got" = "$want1 $wantr" ]; then pass; else fail "$name: OBS-CAPTURE-01, -REVIEW: got '$got', want '$want1 $wantr'"; fi
}
capture_case sdk-nothing 1 fail not_applicable
capture_case sdk-no-package 1 fail not_applicable network_capture:capture.har
capture_case sdk-no-capture 1 fail not_applicable android_package:clean.apk
capture_case sdk-empty-har 1 fail not_applicable network_capture:empty.har android_package:clean.apk
capture_case sdk-both-apk 1 pass not_applicable network_capture:capture.har android_package:clean.apk
capture_case sdk-both-ipa 1 pass not_applicable network_capture:capture.har ios_package:clean.ipa
capture_case sdk-both-page 1 pass not_applicable network_capture:capture.har web_page:page.html
capture_case nosdk-nothing 0 not_applicable needs_review
capture_case nosdk-no-package 0 not_applicable needs_review network_capture:capture.har
capture_case nosdk-no-capture 0 not_applicable needs_review ios_package:clean.ipa
capture_case nosdk-empty-har 0 not_applicable needs_review network_capture:empty.har ios_package:clean.ipa
capture_case nosdk-both 0 not_applicable not_applicable network_capture:capture.har ios_package:clean.ipa
check "15-like: with the Meta SDK and no artifact the verdict is rejected" jqt '.verdict == "rejected"' "$TMP/cap-sdk-nothing.json"
check "without an SDK and no artifact the verdict awaits OBS-CAPTURE-REVIEW" \
	jqt '.verdict == "awaiting_review" and (.profiles[0].awaiting_review | index("OBS-CAPTURE-REVIEW") != null)' \
	"$TMP/cap-nosdk-nothing.json"
# An artifact of the wrong kind satisfies nothing: it is an input error located in it.
submission "$TMP/renamed" network_capture renamed.har
with_sdk "$TMP/renamed"
run_emheval check "$TMP/renamed" --criteria "$REPO"
expect_rc 2 "a saved page renamed .har and declared a network capture is an input error"
contains "$err" "renamed.har:1:1" "located in the artifact"
submission "$TMP/oldhar" network_capture old.har
run_emheval check "$TMP/oldhar" --criteria "$REPO"
expect_rc 2 "a HAR 1.0 capture is an input error"
contains "$err" 'HAR version must be "1.2"' "the version named"
submission "$TMP/notipa" ios_package clean.apk
run_emheval check "$TMP/notipa" --criteria "$REPO"
expect_rc 2 "an APK declared as an iOS package is an input error"
contains "$err" "expected an IPA" "what was expected"

submission "$TMP/bomb" android_package bomb.apk
run_emheval check "$TMP/bomb" --criteria "$REPO"
expect_rc 2 "a zip bomb is an input error"
contains "$err" "bomb.apk!assets/zeros.bin: error: inflates" "located in its member"
contains "$err" "zip ratio limit" "naming the limit"
submission "$TMP/overlap" android_package overlap.apk
run_emheval check "$TMP/overlap" --criteria "$REPO"
expect_rc 2 "overlapping members are an input error"
contains "$err" "members overlap" "overlap named"
summary
