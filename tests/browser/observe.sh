#!/bin/bash
# observe.sh - the network-capture observer on captures recorded by real headless Chromium (part of make browser,
# run by run.sh once Chromium, Node.js and playwright-core are there):
#   1. record_har.mjs fills a local test sign-up page (https://signup.app.test) as the test persona; the page loads
#      a stand-in "pixel" from a second host name (pixel.test), which receives the SHA-256 of the e-mail and the
#      answers; a criteria repository made from this checkout's criteria adds a catalogue entry that makes
#      pixel.test an advertising tracker; the submission (example 19 with this capture) is rejected, each flow
#      located in the capture;
#   2. the same page without the pixel: every observation check passes;
#   3. examples 18 and 19 recorded again under their own host names give the verdicts of the committed captures.
# usage: observe.sh EMHEVAL TMPDIR; prints "observe: N passed, N failed" last.
set -u
EMHEVAL=$1
TMP=$2
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PASSED=0 FAILED=0
pass() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "observe: FAIL: $*" >&2; }
check() { local d=$1; shift; if "$@" >/dev/null 2>&1; then pass; else fail "$d"; fi; }
jqt() { jq -e "$@" >/dev/null; }

mkdir -p "$TMP"
persona=$TMP/persona.json
jq '.observation.persona' "$ROOT/submissions/19-moodleaf-pixel/submission.json" >"$persona"

# A criteria repository: this checkout's criteria, and pixel.test as an advertising tracker.
repo=$TMP/repo
git init -q "$repo" && cp -R "$ROOT/criteria" "$repo/criteria"
jq '.trackers += [{"id": "test_pixel", "name": "Test Pixel", "company": "Pixel Test Ltd", "category": "advertising",
	"host_signatures": ["pixel.test"], "source": "https://example.org/test-pixel"}]' \
	"$ROOT/criteria/trackers.json" >"$repo/criteria/trackers.json"
git -C "$repo" add -A && git -C "$repo" -c user.name=t -c user.email=t@example.org commit -qm criteria

# submission NAME HAR FIRST_PARTY: example 19 with this capture and these first-party hosts.
submission() {
	local dir=$TMP/$1
	rm -rf "$dir" && cp -R "$ROOT/submissions/19-moodleaf-pixel" "$dir" && cp "$2" "$dir/capture.har"
	# Only the capture is under test: 19's iOS package (the Meta SDK) is left out.
	rm -f "$dir/moodleaf.ipa"
	local sha
	sha=$(sha256sum "$dir/capture.har" | cut -c1-64)
	jq --arg sha "$sha" --argjson first "$3" '.observation.first_party_hosts = $first |
		.evidence |= map(select(.kind != "ios_package")) |
		(.evidence[] | select(.kind == "network_capture") | .sha256) = $sha' \
		"$ROOT/submissions/19-moodleaf-pixel/submission.json" >"$dir/submission.json"
}

cd "$HERE" || exit 1
# 1. The page with the pixel.
if node record_har.mjs "$TMP/pixel.har" --page signup.app.test --pixel pixel.test,pixel.test --persona "$persona" >&2; then
	pass
	check "the capture records the pixel's requests" \
		jqt '[.log.entries[].request.url | select(startswith("https://pixel.test/"))] | length == 3' "$TMP/pixel.har"
	submission leak "$TMP/pixel.har" '["app.test"]'
	"$EMHEVAL" check "$TMP/leak" --criteria "$repo" --format json -o "$TMP/leak.json" 2>"$TMP/leak.err"
	check "a capture sending the persona's data to an advertising host is rejected (exit 1)" test $? = 1
	check "rejected by the four observation checks" jqt '[.results[] | select(.outcome == "fail") | .id] ==
		["OBS-ADS-01", "OBS-CANARY-01", "OBS-POLICY-01", "OBS-RECIPIENT-01"] and .verdict == "rejected"' "$TMP/leak.json"
	check "the catalogue entry of the test names the host" jqt '[.results[] | select(.id == "OBS-ADS-01") |
		.findings[].excerpt | test("pixel.test \\(catalogue: test_pixel, Pixel Test Ltd, advertising\\)")] | all' "$TMP/leak.json"
	check "the hashed e-mail and both answers reach pixel.test, each located by entry and line:col" \
		jqt '[.results[] | select(.id == "OBS-CANARY-01") | .findings[] | select(.file == "capture.har" and .line > 0) |
		.excerpt | capture("entry [0-9]+ request[.a-zA-Z]*: persona (?<c>[a-z_/0-9]+) \\((?<e>[a-z0-9]+)\\) sent to pixel.test") |
		"\(.c):\(.e)"] | sort == ["answers/0:url", "answers/1:url", "email:sha256", "mood_score:plain"]' "$TMP/leak.json"
	"$EMHEVAL" verify "$TMP/leak.json" --criteria "$repo" --submission "$TMP/leak" >"$TMP/verify.out" 2>&1
	check "verify reproduces the observations" test $? = 0
else
	fail "record_har.mjs could not record the page with the pixel"
fi

# 2. The same page without the pixel.
if node record_har.mjs "$TMP/clean.har" --page signup.app.test --persona "$persona" >&2; then
	submission clean "$TMP/clean.har" '["app.test"]'
	"$EMHEVAL" check "$TMP/clean" --criteria "$repo" --format json -o "$TMP/clean.json" 2>"$TMP/clean.err"
	check "without the pixel every observation check over the capture passes (OBS-CAPTURE-01 applies only to declared advertising SDKs)" jqt '[.results[] | select(.id | startswith("OBS-")) |
		select(.kind == "check") | [.id, .outcome]] == [["OBS-ADS-01", "pass"], ["OBS-CANARY-01", "pass"],
		["OBS-CAPTURE-01", "not_applicable"], ["OBS-POLICY-01", "pass"], ["OBS-RECIPIENT-01", "pass"]]' "$TMP/clean.json"
else
	fail "record_har.mjs could not record the clean page"
fi

# 3. The examples' captures recorded again.
for ex in "18-calm-breath-web join.lanternwellbeing.co.uk" "19-moodleaf-pixel join.moodleaf.co.uk connect.facebook.net,www.facebook.com"; do
	set -- $ex
	name=$1 page=$2 pix=${3:-}
	if node record_har.mjs "$TMP/$name.har" --page "$page" ${pix:+--pixel "$pix"} --persona "$persona" >&2; then
		rm -rf "$TMP/$name" && cp -R "$ROOT/submissions/$name" "$TMP/$name" && cp "$TMP/$name.har" "$TMP/$name/capture.har"
		sha=$(sha256sum "$TMP/$name/capture.har" | cut -c1-64)
		jq --arg sha "$sha" '(.evidence[] | select(.kind == "network_capture") | .sha256) = $sha' \
			"$ROOT/submissions/$name/submission.json" >"$TMP/$name/submission.json"
		"$EMHEVAL" check "$TMP/$name" --criteria "$ROOT" --format json -o "$TMP/$name.new.json" 2>/dev/null
		"$EMHEVAL" check "$ROOT/submissions/$name" --criteria "$ROOT" --format json -o "$TMP/$name.old.json" 2>/dev/null
		check "$name recorded again: the same outcomes as with the committed capture" test \
			"$(jq -c '[.verdict, [.results[] | [.id, .outcome]]]' "$TMP/$name.new.json")" = \
			"$(jq -c '[.verdict, [.results[] | [.id, .outcome]]]' "$TMP/$name.old.json")"
	else
		fail "record_har.mjs could not record $name"
	fi
done
echo "observe: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
