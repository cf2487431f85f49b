#!/bin/bash
# har.sh [EMHEVAL] - times the network-capture observer (docs/performance.md, "Artifact readers"): example
# 19 with its capture replaced by a HAR of 5,000 requests (issue 13 asks well under a second for it), each with
# a URL, four headers, a cookie and a form or JSON body of about 1 KB; one request in 50 goes to a catalogue
# host and one in 100 (to a catalogue host) carries a persona value (plain, URL-encoded, base64 or the e-mail's SHA-256), so the
# search, the host matching and the flow facts all work. Prints the best of REPS (default 5) `emheval check`
# times with and without the capture. Run by make bench (tests/bench/run.sh; OBSERVERS=0 skips it), not by
# make test.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
EMHEVAL=${1:-$ROOT/build/emheval}
REPS=${REPS:-5}
N=${N:-5000}
W=$(mktemp -d "${TMPDIR:-/tmp}/emheval-harbench.XXXXXX")
trap 'rm -rf "$W"' EXIT
git init -q "$W/repo" && cp -R "$ROOT/criteria" "$W/repo/criteria" && git -C "$W/repo" add -A &&
	git -C "$W/repo" -c user.email=b@b -c user.name=b commit -qm c
cp -R "$ROOT/submissions/19-moodleaf-pixel" "$W/big"
python3 - "$W/big/capture.har" "$N" <<'PY'
import base64, hashlib, json, sys, urllib.parse
path, n = sys.argv[1], int(sys.argv[2])
email, answer = "robin.canary@example.org", "I have felt hopeless nearly every day"
forms = [email, urllib.parse.quote_plus(answer), base64.b64encode(answer.encode()).decode(),
         hashlib.sha256(email.encode()).hexdigest()]
hosts = ["www.facebook.com", "graph.facebook.com", "api2.amplitude.com", "o1.ingest.sentry.io"]
entries = []
for i in range(n):
    host = hosts[i // 50 % 4] if i % 50 == 0 else "join.moodleaf.co.uk"
    body = "field%d=%s&" % (i, "x" * 40) * 20
    if i % 100 == 0:
        body += "v=" + forms[i // 100 % 4]
    entries.append({"startedDateTime": "2026-12-05T10:00:00.000Z", "time": 12,
        "request": {"method": "POST", "url": "https://%s/api/v1/event/%d?session=abc%d&t=%d" % (host, i, i % 7, i),
            "httpVersion": "HTTP/2", "headers": [{"name": "Content-Type", "value": "application/x-www-form-urlencoded"},
            {"name": "User-Agent", "value": "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120.0"},
            {"name": "Accept", "value": "*/*"}, {"name": "X-Request", "value": "req-%08d" % i}],
            "cookies": [{"name": "sid", "value": "s%016d" % i}], "queryString": [], "headersSize": -1, "bodySize": len(body),
            "postData": {"mimeType": "application/x-www-form-urlencoded", "text": body}},
        "response": {"status": 204, "statusText": "", "httpVersion": "HTTP/2", "headers": [], "cookies": [],
            "content": {"size": 0, "mimeType": "text/plain"}, "redirectURL": "", "headersSize": -1, "bodySize": 0},
        "cache": {}, "timings": {"send": 0, "wait": 10, "receive": 2}})
json.dump({"log": {"version": "1.2", "creator": {"name": "emheval har bench", "version": "1"}, "entries": entries}},
          open(path, "w"), indent=1)
PY
sha=$(sha256sum "$W/big/capture.har" | cut -c1-64)
jq --arg s "$sha" '(.evidence[] | select(.kind == "network_capture") | .sha256) = $s' "$W/big/submission.json" >"$W/x" &&
	mv "$W/x" "$W/big/submission.json"
cp -R "$W/big" "$W/none"
jq 'del(.evidence[] | select(.kind == "network_capture"))' "$W/big/submission.json" >"$W/none/submission.json"
best() { # best DIR: the best user+system CPU and wall seconds of REPS checks
	local b=999 bw=999
	for _ in $(seq "$REPS"); do
		local t
		/usr/bin/time -o "$W/t" -f "%U %S %e" "$EMHEVAL" check "$1" --criteria "$W/repo" --format json -o "$W/out.json" \
			>/dev/null 2>&1 || true
		t=$(tail -1 "$W/t")
		b=$(echo "$t $b" | awk '{ c = $1 + $2; print (c < $4 ? c : $4) }')
		bw=$(echo "$t $bw" | awk '{ print ($3 < $4 ? $3 : $4) }')
	done
	echo "$b $bw"
}
read -r cpu wall <<<"$(best "$W/big")"
read -r cpu0 wall0 <<<"$(best "$W/none")"
rm -f "$W/out.json"; "$EMHEVAL" check "$W/big" --criteria "$W/repo" --format json -o "$W/out.json" >/dev/null || [ $? = 1 ]
flows=$(jq -r '.results[] | select(.id == "OBS-CANARY-01") | "\(.outcome), \([.findings[]?] | length) findings"' "$W/out.json")
printf 'capture: %s requests, %s bytes; OBS-CANARY-01: %s\n' "$N" "$(stat -c %s "$W/big/capture.har")" "$flows"
printf 'emheval check with the capture:    best CPU %.2f s, best wall %.2f s\n' "$cpu" "$wall"
printf 'emheval check without the capture: best CPU %.2f s, best wall %.2f s\n' "$cpu0" "$wall0"
