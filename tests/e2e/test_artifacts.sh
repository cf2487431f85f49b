#!/bin/bash
# The package and page observers through the CLI (docs/artifacts.md): an APK holding an advertising SDK
# (built by tests/artifacts/make.sh with smali and aapt) makes OBS-ADS-01 fail, located
# "app.apk!classes2.dex: L...;"; a clean APK passes it; a saved page's Meta pixel is located by line;
# an IPA is read; a zip bomb is an input error located in its member; verify reproduces the observations.
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
