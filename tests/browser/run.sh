#!/bin/bash
# run.sh - the browser half of the report tests (make browser; part of make test):
#   1. renders HTML pages with the real binary ($EMHEVAL): the golden dossier, checked submissions, the
#      hostile fixtures of hostile.sh, a batch index (emheval evaluate --format html), and every example in
#      submissions/ with its index at this checkout's criteria;
#   2. html.mjs opens each in Debian's headless Chromium (playwright-core), runs axe-core (zero violations),
#      checks the CSS-only filters, that nothing loads or runs, and that hostile input stays text; it saves
#      screenshots and a PDF of each page in tests/browser/out/;
#   3. print.mjs prints a few of them to PDF as a person would (the page's own A4 @page size) and reads
#      the PDFs with poppler-utils: A4, "Page i of N" and the running header on every page, a long report
#      on several pages, a hostile app name inert in the header;
#   4. sarif.mjs validates the SARIF of the same inputs and of lint against the SARIF 2.1.0 schema and runs
#      sarif-multitool validate (npm @microsoft/sarif-multitool, a self-contained .NET binary) on them;
#   5. observe.sh records network captures with Chromium (record_har.mjs) and checks what the observers find.
# Chromium and Node.js come from Debian (tests/deps.sh installs them as root). Where they cannot be
# installed the run is skipped with a message, except under CI=true, where that is a failure.
# The npm packages are test-only and pinned in package-lock.json (npm ci).
set -u
: "${EMHEVAL:?set EMHEVAL to the emheval binary}"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$HERE/out

unavailable() {
	if [ "${CI:-}" = true ]; then
		echo "browser: FAIL: $1 (never skipped in CI)" >&2
		echo "browser: 0 passed, 1 failed"
		exit 1
	fi
	echo "browser: SKIPPED: $1; the HTML accessibility and SARIF schema tests did not run" >&2
	exit 0
}

export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
	sh "$ROOT/tests/deps.sh" chromium >&2 || unavailable "Chromium (Debian package chromium) cannot be installed here"
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	sh "$ROOT/tests/deps.sh" nodejs npm >&2 || unavailable "Node.js and npm (Debian packages nodejs, npm) cannot be installed here"
fi
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1; then
	sh "$ROOT/tests/deps.sh" poppler-utils >&2 || unavailable "poppler-utils (pdftotext, pdfinfo) cannot be installed here"
fi
if ! (cd "$HERE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null 2>"$HERE/npm.log"); then
	cat "$HERE/npm.log" >&2
	unavailable "npm ci could not install the test packages (playwright-core, axe-core, ajv, sarif-multitool)"
fi
rm -f "$HERE/npm.log"

rm -rf "$OUT"
mkdir -p "$OUT"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/emheval-browser.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t \
       GIT_COMMITTER_EMAIL=t@example.org

# The pages and the SARIF files to check.
"$EMHEVAL" report "$ROOT/tests/golden/dossier.json" --format html -o "$OUT/golden.html"
"$EMHEVAL" report "$ROOT/tests/golden/dossier.json" --format sarif -o "$TMP/golden.sarif"
git init -q "$TMP/repo" && cp -R "$ROOT/tests/data/mini/criteria" "$TMP/repo/criteria" &&
	git -C "$TMP/repo" add -A && git -C "$TMP/repo" commit -qm criteria
for s in sub-bad sub-ok; do
	"$EMHEVAL" check "$ROOT/tests/data/mini/$s" --criteria "$TMP/repo" --format html -o "$OUT/check-$s.html"
	"$EMHEVAL" check "$ROOT/tests/data/mini/$s" --criteria "$TMP/repo" --format sarif -o "$TMP/check-$s.sarif"
done
# lint's SARIF: the seeded defects of tests/data/gate (a finding of every rule) and the shipped criteria (none).
git init -q "$TMP/seeded" && cp -R "$ROOT/tests/data/gate/seeded/criteria" "$TMP/seeded/criteria" &&
	git -C "$TMP/seeded" add -A && git -C "$TMP/seeded" commit -qm seeded
"$EMHEVAL" lint --criteria "$TMP/seeded" --format sarif -o "$TMP/lint-seeded.sarif" 2>/dev/null
"$EMHEVAL" lint --criteria "$ROOT" --format sarif -o "$TMP/lint-shipped.sarif" 2>/dev/null
bash "$HERE/hostile.sh" "$TMP/h"
"$EMHEVAL" report "$TMP/h/dossier.json" --unverified --format html -o "$OUT/hostile-dossier.html"
"$EMHEVAL" report "$TMP/h/dossier.json" --unverified --format sarif -o "$TMP/hostile-dossier.sarif"
for s in sub sub-utf8; do
	"$EMHEVAL" check "$TMP/h/$s" --criteria "$TMP/h/repo" --format html -o "$OUT/hostile-$s.html"
	"$EMHEVAL" check "$TMP/h/$s" --criteria "$TMP/h/repo" --format sarif -o "$TMP/hostile-$s.sarif"
done
# The golden dossier under a hostile app name (quotes, backslashes, "</style>", a line break, a bidi
# override): it reaches the page's body and the print header's CSS string (print.mjs).
hostile_name=$(printf 'Evil "app" '"'"'x'"'"' \\ back\\slash */ } </style><script>window.pwned=1</script>\nline2 \342\200\256evil')
jq --arg n "$hostile_name" '.submission.name = $n' "$ROOT/tests/golden/dossier.json" >"$TMP/print-hostile.json"
"$EMHEVAL" report "$TMP/print-hostile.json" --unverified --format html -o "$OUT/hostile-print.html" 2>/dev/null
# A batch: the index page links every dossier's page.
pages="$OUT/golden.html $OUT/check-sub-bad.html $OUT/check-sub-ok.html"
if "$EMHEVAL" evaluate --out "$TMP/batch" --criteria "$TMP/repo" --format html "$ROOT/tests/data/mini/sub-bad" \
	"$ROOT/tests/data/mini/sub-ok" "$TMP/h/sub" >/dev/null 2>"$TMP/batch.err" || [ -e "$TMP/batch/index.html" ]; then
	cp "$TMP/batch/index.html" "$OUT/index.html" 2>/dev/null
fi
# The shipped example portfolio at this checkout's criteria: real dossiers of every verdict.
quick=""
if "$EMHEVAL" evaluate --quiet --out "$TMP/portfolio" --criteria "$ROOT" --format html,sarif "$ROOT/submissions" \
	>/dev/null 2>"$TMP/portfolio.err"; then
	for f in "$TMP"/portfolio/*.html; do
		cp "$f" "$OUT/portfolio-$(basename "$f")"
		quick="$quick $OUT/portfolio-$(basename "$f")"
	done
	cp "$TMP"/portfolio/*.sarif "$TMP/" 2>/dev/null
else
	echo "browser: FAIL: emheval evaluate of submissions/ failed: $(cat "$TMP/portfolio.err")" >&2
	portfolio_failed=1
fi
# The public register (emheval register) built from the e2e tests' ledger of 58 dossiers: the index, an app's
# history, an app whose id is hostile markup, the due view, and a filed dossier's page.
register=""
if EMHEVAL="$EMHEVAL" bash "$ROOT/tests/e2e/register_ledger.sh" "$TMP/reg" >/dev/null 2>"$TMP/reg.err" &&
	(cd "$TMP/reg" && "$EMHEVAL" register ledger --out "$OUT/register" --pubkey reg.pub --criteria crit \
		--as-of 2027-09-20 >/dev/null 2>>"$TMP/reg.err"); then
	cp "$OUT/register/index.html" "$OUT/register-index.html"
	cp "$OUT/register/due.html" "$OUT/register-due.html"
	cp "$OUT/register/apps/uk.co.lanternwellbeing.calmbreath.html" "$OUT/register-app.html"
	cp "$OUT/register/apps/%3Cscript%3Ewindow.pwned%3D1%3C%2Fscript%3E.html" "$OUT/register-app-hostile.html"
	cp "$OUT/register/dossiers/1.html" "$OUT/register-dossier.html"
	register="$OUT/register-index.html $OUT/register-app.html $OUT/register-app-hostile.html $OUT/register-due.html"
	quick="$quick $OUT/register-dossier.html"
else
	echo "browser: FAIL: the register could not be built: $(cat "$TMP/reg.err")" >&2
	register_failed=1
fi
fail=$(( ${portfolio_failed:-0} + ${register_failed:-0} ))
if [ -e "$OUT/index.html" ]; then
	pages="$pages $OUT/index.html"
else
	echo "browser: FAIL: emheval evaluate --format html wrote no index.html: $(cat "$TMP/batch.err")" >&2
	fail=1
fi

cd "$HERE" || exit 1
node html.mjs "$OUT" $pages $register --quick $quick --hostile "$OUT"/hostile-*.html | tee "$TMP/html.log"
[ "${PIPESTATUS[0]}" = 0 ] || fail=1
# Printing: the long golden dossier, its hostile twin, a register filing's page, the batch index and the
# register's index, due view and two app pages.
prints="--min-pages 3 $OUT/golden.html=$ROOT/tests/golden/dossier.json $OUT/hostile-print.html=$TMP/print-hostile.json"
[ -e "$OUT/register-dossier.html" ] && prints="$prints --min-pages 1 $OUT/register-dossier.html=$OUT/register/dossiers/1.json"
[ -e "$OUT/index.html" ] && prints="$prints $OUT/index.html"
# The register's own pages on paper: A4, numbered, each sheet naming the register page (the hostile app id too).
[ -n "$register" ] && prints="$prints --min-pages 1 --register $register"
node print.mjs "$OUT" $prints | tee "$TMP/print.log"
[ "${PIPESTATUS[0]}" = 0 ] || fail=1
node sarif.mjs "$TMP"/*.sarif | tee "$TMP/sarif.log"
[ "${PIPESTATUS[0]}" = 0 ] || fail=1
# The network-capture observer on captures Chromium records now (observe.sh).
bash "$HERE/observe.sh" "$EMHEVAL" "$TMP/observe" | tee "$TMP/observe.log"
[ "${PIPESTATUS[0]}" = 0 ] || fail=1
p=0 f=$fail
for log in "$TMP/html.log" "$TMP/print.log" "$TMP/sarif.log" "$TMP/observe.log"; do
	line=$(tail -n 1 "$log")
	p=$((p + $(printf '%s\n' "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')))
	f=$((f + $(printf '%s\n' "$line" | sed -n 's/.*passed, \([0-9]*\) failed.*/\1/p')))
done
echo "screenshots and PDFs: $OUT" >&2
echo "browser: $p passed, $f failed"
[ "$f" = 0 ]
