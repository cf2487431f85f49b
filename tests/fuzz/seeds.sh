#!/bin/bash
# seeds.sh OUTDIR [EMHEVAL] - builds the seed corpus of every fuzz target
# from the project's own files: OUTDIR/submission (every submission.json and
# the JSONTestSuite cases), OUTDIR/criteria (each criterion and framework.json
# with the mode byte fuzz_criteria.c expects), OUTDIR/eval (each example
# submission with its evidence texts appended) and OUTDIR/dossier (dossiers
# of the examples, written by EMHEVAL, and any under tests/golden/).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$1
EMHEVAL=${2:-}
rm -rf "$OUT"
mkdir -p "$OUT"/{submission,criteria,eval,dossier,audit,har,apk,ipa,html}
# flat PATH: the path below ROOT with '/' turned into '_', in $FLAT (no subshell: CI forks are slow).
flat() { FLAT=${1#"$ROOT"/}; FLAT=${FLAT//\//_}; }

for f in "$ROOT"/submissions/*/submission.json "$ROOT"/tests/data/mini/sub-*/submission.json; do
	flat "$f"
	cp "$f" "$OUT/submission/$FLAT"
done
cp "$ROOT"/tests/data/JSONTestSuite/test_parsing/*.json "$OUT/submission/"

for f in "$ROOT"/criteria/*/*.json "$ROOT"/tests/data/mini/criteria/*/*.json; do
	flat "$f"
	{ printf '\000'; cat "$f"; } >"$OUT/criteria/$FLAT"
done
for f in "$ROOT"/criteria/framework.json "$ROOT"/tests/data/mini/criteria/framework.json; do
	flat "$f"
	{ printf '\001'; cat "$f"; } >"$OUT/criteria/$FLAT"
done

# Evidence texts of a submission folder by kind, in fuzz_eval.c's order.
evidence_of() {
	local dir=$1 kind
	for kind in privacy_policy app_text hazard_log; do
		local p
		p=$(grep -A1 "\"kind\": \"$kind\"" "$dir/submission.json" | sed -n 's/.*"path": "\([^"]*\)".*/\1/p' | head -n 1 || true)
		if [ -n "$p" ] && [ -f "$dir/$p" ]; then cat "$dir/$p"; fi
		if [ "$kind" != hazard_log ]; then printf '\f'; fi
	done
	return 0
}
for d in "$ROOT"/submissions/*/ "$ROOT"/tests/data/mini/sub-*/; do
	d=${d%/}
	flat "$d"
	{ cat "$d/submission.json"; printf '\n#EVIDENCE#\n'; evidence_of "$d"; } >"$OUT/eval/$FLAT"
	cp "$d/submission.json" "$OUT/eval/$FLAT.json"
done

# Reviews (mode byte 1) and waivers (0) for fuzz_audit: the examples of docs/audit.md, and
# some that name criteria of fuzz_common.c's fixed set, which the fixed submission leaves pending.
printf '\001{"reviews": [{"reviewer": "R", "role": "CSO", "criterion": "A-MANUAL", "version": 1, "decision": "pass", "rationale": "ok", "date": "2026-11-12"},\n {"reviewer": "R", "role": "CSO", "criterion": "A-REVIEW", "version": 1, "decision": "fail", "rationale": "no", "date": "2026-11-12"}]}\n' >"$OUT/audit/reviews-fixed"
printf '\000{"waivers": [{"id": "W-1", "criterion": "A-NOT", "scope": {"app_id": "org.example"}, "justification": "j", "approver": "a", "expires": "2026-12-15"},\n {"id": "W-2", "criterion": "A-EVID", "scope": {"app_id": "org.example", "app_version": "1.0"}, "justification": "j", "approver": "a", "expires": "2026-10-01"}]}\n' >"$OUT/audit/waivers-fixed"
awk -v out="$OUT/audit/doc" '
	/^```json/ { inside = 1; n++; text = ""; next }
	/^```/ && inside { inside = 0
		if (text ~ /"reviews"/) { printf "\001%s", text > (out n); close(out n) }
		if (text ~ /"waivers"/) { printf "\000%s", text > (out n); close(out n) }
		next }
	inside { text = text $0 "\n" }' "$ROOT/docs/audit.md"

# Network captures for fuzz_har: the examples' HAR files and those inside the OBS fixtures.
for f in "$ROOT"/submissions/*/*.har "$ROOT"/tests/fuzz/regressions/har/*.har; do
	[ -f "$f" ] || continue
	flat "$f"
	cp "$f" "$OUT/har/$FLAT"
done
for f in "$ROOT"/criteria/*/fixtures/OBS-*.json; do
	[ -f "$f" ] || continue
	flat "$f"
	jq -r '.evidence["capture.har"] // empty' "$f" >"$OUT/har/$FLAT.har"
done

if [ -n "$EMHEVAL" ]; then
	for d in "$ROOT"/submissions/*/ "$ROOT"/tests/data/mini/sub-*/; do
		d=${d%/}
		flat "$d"
		crit=$ROOT
		case "$d" in */mini/*) crit=$(mktemp -d); git -C "$crit" init -q; cp -R "$ROOT/tests/data/mini/criteria" "$crit/criteria"
			git -C "$crit" add -A; git -C "$crit" -c user.name=s -c user.email=s@example.org commit -qm c ;; esac
		"$EMHEVAL" check "$d" --criteria "$crit" --format json -o "$OUT/dossier/$FLAT.json" >/dev/null 2>&1 || true
		[ "$crit" = "$ROOT" ] || rm -rf "$crit"
	done
fi
if [ -d "$ROOT/tests/golden" ]; then
	while read -r f; do flat "$f"; cp "$f" "$OUT/dossier/$FLAT"; done < <(find "$ROOT/tests/golden" -name '*.json')
fi
# Artifacts: the APK, IPA and page fixtures are built by tests/artifacts/make.sh (java, aapt), so
# their seeds are kept in regressions/apk, ipa and html; here every HTML file of the repository.
while read -r f; do flat "$f"; cp "$f" "$OUT/html/$FLAT"; done < <(find "$ROOT/docs" "$ROOT/submissions" "$ROOT/tests/data" -name '*.html' 2>/dev/null)
for t in submission criteria eval dossier audit har apk ipa html; do
	n=("$OUT/$t"/*)
	echo "seeds: $t: ${#n[@]} inputs"
done
