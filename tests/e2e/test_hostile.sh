#!/bin/bash
# Hostile input through the real binary (docs/security.md): every limit and
# what reaching it gives, every confinement rule (traversal, absolute paths,
# symlinks to files and folders, a symlink swapped in while emheval reads,
# devices, FIFOs, a symlinked submission.json), outputs that must not follow a
# planted symlink, and encodings (invalid UTF-8, NUL, BOM, CRLF, very long
# lines). Each case ends with a clear outcome: an exit status and a message or
# result that names what happened. Never a crash (exit > 2), never a hang.
SUITE=hostile
. "$(dirname "$0")/lib.sh"
MINI=$ROOT/tests/data/mini

# Criteria for these tests: the mini set plus checks that walk a big array and
# run a catastrophically backtracking pattern on evidence text.
mkdir -p "$TMP/crit"
cp -R "$MINI/criteria/." "$TMP/crit/"
cat >"$TMP/crit/safety/HOST-ARRAY.json" <<'EOF'
{"id": "HOST-ARRAY", "version": 1, "title": "Every item is a number", "domain": "safety",
 "severity": "minor", "references": ["T 1"],
 "applies_when": {"path": "/xs", "exists": true},
 "check": {"path": "/xs", "all": {"path": "", "type": "number"}},
 "fail_message": "f", "remediation": "r"}
EOF
cat >"$TMP/crit/safety/HOST-REGEX.json" <<'EOF'
{"id": "HOST-REGEX", "version": 1, "title": "Backtracking", "domain": "safety",
 "severity": "minor", "references": ["T 1"],
 "applies_when": {"path": "/evidence", "exists": true},
 "check": {"evidence": "*", "not_matches": "(a+)+$"},
 "fail_message": "f", "remediation": "r"}
EOF
cat >"$TMP/crit/privacy/HOST-TEXT.json" <<'EOF'
{"id": "HOST-TEXT", "version": 1, "title": "Retention is mentioned", "domain": "privacy",
 "severity": "minor", "references": ["T 1"],
 "applies_when": {"path": "/evidence", "exists": true},
 "check": {"evidence": "privacy_policy", "matches": "\\b(?:retention|keep)\\b"},
 "fail_message": "f", "remediation": "r"}
EOF
REPO=$TMP/repo
make_repo "$REPO" "$TMP/crit"

PRIVACY_SHA=$(sha256sum "$MINI/sub-ok/privacy.md" | cut -d' ' -f1)
ZERO_SHA=$(printf '0%.0s' $(seq 64))
# sub DIR [EVIDENCE_JSON]: a copy of the mini submission (awaiting review of SAFE-3: exit 1), with EVIDENCE_JSON
# as its evidence list when given.
sub() {
	mkdir -p "$1"
	cp "$MINI/sub-ok/privacy.md" "$1/privacy.md"
	if [ -z "${2:-}" ]; then
		cp "$MINI/sub-ok/submission.json" "$1/submission.json"
	else
		# Each entry gets the sha256 the schema requires: privacy.md's own, zeros for the rest.
		sed "s|\"evidence\": .*|\"evidence\": $2|" "$MINI/sub-ok/submission.json" |
			sed -e "s|\"path\": \"privacy.md\"}|\"path\": \"privacy.md\", \"sha256\": \"$PRIVACY_SHA\"}|g" \
			    -e "s|\"path\": \"\([^\"]*\)\"}|\"path\": \"\1\", \"sha256\": \"$ZERO_SHA\"}|g" >"$1/submission.json"
	fi
}
# result_of ID: the result object of criterion ID in the JSON dossier in $out, on one line.
result_of() {
	printf '%s\n' "$out" | awk -v id="\"id\": \"$1\"" '
		/^    \{/ { block = ""; inside = 1 }
		inside { block = block $0 " " }
		/^    \}/ { if (index(block, id)) print block; inside = 0 }'
}
crashed() { [ "$rc" -gt 2 ]; }
no_crash() { if crashed; then fail "$1: exit $rc (a signal or abort)"; else pass; fi; }

# ---- limits ---------------------------------------------------------------------------

sub "$TMP/big"
head -c 3000 /dev/zero | tr '\0' ' ' >>"$TMP/big/submission.json"
run_emheval check "$TMP/big" --criteria "$REPO" --max-submission-bytes 2K
expect_rc 2 "submission.json over --max-submission-bytes"
contains "$err" "over the limit of 2048 bytes (--max-submission-bytes)" "the size limit is named"
run_emheval check "$TMP/big" --criteria "$REPO" --max-submission-bytes 1M
expect_rc 1 "the same submission under a larger limit (evaluated)"
run_emheval check "$TMP/big" --criteria "$REPO" --max-submission-bytes lots
expect_rc 2 "a malformed limit is a usage error"

sub "$TMP/bigev"
run_emheval check "$TMP/bigev" --criteria "$REPO" --max-evidence-bytes 50
expect_rc 2 "evidence over --max-evidence-bytes"
contains "$err" "(--max-evidence-bytes)" "the evidence limit is named"
contains "$err" "at /evidence/0" "the evidence limit points at the entry"
sub "$TMP/bigtotal" '[{"kind": "privacy_policy", "path": "privacy.md"}, {"kind": "x", "path": "privacy.md"}]'
size=$(wc -c <"$TMP/bigtotal/privacy.md")
run_emheval check "$TMP/bigtotal" --criteria "$REPO" --max-evidence-total $((size * 2 - 1))
expect_rc 2 "evidence over --max-evidence-total"
contains "$err" "--max-evidence-total" "the total limit is named"

# JSON nesting: 300 deep is over the default of 256, under --max-depth 400.
sub "$TMP/deep"
deep=$(printf '%.0s[' $(seq 300))$(printf '%.0s]' $(seq 300))
sed -i "s|\"risk_tier\"|\"deep\": $deep, \"risk_tier\"|" "$TMP/deep/submission.json"
run_emheval check "$TMP/deep" --criteria "$REPO"
expect_rc 2 "nesting over the default depth"
contains "$err" "max_depth=256" "the depth limit is named"
run_emheval check "$TMP/deep" --criteria "$REPO" --max-depth 400
expect_rc 1 "the same nesting under --max-depth 400 (evaluated)"
run_emheval check "$TMP/deep" --criteria "$REPO" --max-depth 5000
expect_rc 2 "--max-depth above 1000 is refused"

# A quantifier over a 10-million-element array stays bounded: an error naming the limit.
sub "$TMP/array"
{ printf '{"xs": ['; head -c 9999999 /dev/zero | tr '\0' '1' | sed 's/1/0,/g'; printf '0],'; tail -c +2 "$TMP/array/submission.json"; } >"$TMP/array/s.json"
mv "$TMP/array/s.json" "$TMP/array/submission.json"
start=$(date +%s)
# (96M: a submission may hold one JSON value per 8 bytes of --max-submission-bytes.)
run_emheval check "$TMP/array" --criteria "$REPO" --max-submission-bytes 96M --format json
expect_rc 1 "a 10-million-element array is evaluated, not approved"
contains "$(result_of HOST-ARRAY)" '"outcome": "error"' "the quantifier over it is an error"
contains "$out" "array visit limit (1000000 elements per criterion) reached" "the visit limit is named"
check "the big array takes bounded time" test $(($(date +%s) - start)) -lt 120
run_emheval check "$TMP/array" --criteria "$REPO" --max-submission-bytes 96M --max-array-visit 20000000 --format json
contains "$(result_of HOST-ARRAY)" '"outcome": "pass"' "under a raised --max-array-visit it passes"
rm -rf "$TMP/array"

# (a+)+$ on a long run of a's: an error naming the regex limit, not a hang.
sub "$TMP/redos" '[{"kind": "privacy_policy", "path": "privacy.md"}, {"kind": "blob", "path": "a.txt"}]'
{ head -c 200000 /dev/zero | tr '\0' 'a'; echo '!'; } >"$TMP/redos/a.txt"
start=$(date +%s)
timeout 120 "$EMHEVAL" check "$TMP/redos" --criteria "$REPO" --format json >"$TMP/out" 2>"$TMP/err"
rc=$?
out=$(cat "$TMP/out")
expect_rc 1 "catastrophic backtracking: evaluated, not approved"
contains "$(result_of HOST-REGEX)" '"outcome": "error"' "the backtracking check is an error"
contains "$(result_of HOST-REGEX)" 'limit' "its reason names the limit"
check "catastrophic backtracking takes bounded time" test $(($(date +%s) - start)) -lt 60

# Memory of a batch is bounded by the workers, not the portfolio: peak RSS for 2000
# submissions stays within 1.5x (+16 MiB) of the peak for 100. The submissions are
# folders whose evidence files are hard links to one set (a bare JSON file may list
# no evidence).
if [ -x /usr/bin/time ] && [ "${HOSTILE_SKIP_MEMORY:-}" != 1 ]; then
	mkdir -p "$TMP/mem/p" "$TMP/mem/ev" "$TMP/mem/p100"
	cp "$ROOT"/submissions/01-calm-breath/*.md "$TMP/mem/ev/"
	for i in $(seq -w 1 2000); do
		mkdir "$TMP/mem/p/s$i"
		ln "$TMP/mem/ev"/*.md "$TMP/mem/p/s$i/"
		sed "s/\"id\": \"uk.co.lanternwellbeing.calmbreath\"/\"id\": \"app.$i\"/" \
			"$ROOT/submissions/01-calm-breath/submission.json" >"$TMP/mem/p/s$i/submission.json"
	done
	cp -R "$TMP/mem/p"/s00[0-9][0-9] "$TMP/mem/p/s0100" "$TMP/mem/p100/"
	# Under AddressSanitizer freed blocks wait in a quarantine of up to 256 MiB, which
	# a longer run fills: a quarantine of 1 MiB measures the tool, not the sanitizer.
	rss() { # rss DIR: the peak RSS in KiB of evaluating DIR
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1" \
		/usr/bin/time -v "$EMHEVAL" evaluate --criteria "$ROOT" --out "$TMP/mem/out" -j 2 --quiet "$1" \
			>/dev/null 2>"$TMP/mem/time"
		sed -n 's/.*Maximum resident set size (kbytes): //p' "$TMP/mem/time"
	}
	small=$(rss "$TMP/mem/p100")
	n100=$(ls "$TMP/mem/out"/s*.json | wc -l)
	big=$(rss "$TMP/mem/p")
	n2000=$(ls "$TMP/mem/out"/s*.json | wc -l)
	echo "hostile: batch peak RSS: $small KiB for $n100 submissions, $big KiB for $n2000" >&2
	check "every submission of both batches is evaluated" test "$n100:$n2000" = "100:2000"
	check "a batch's memory does not grow with the portfolio" test "${big:-0}" -le $(( ${small:-0} * 3 / 2 + 16384 ))
	rm -rf "$TMP/mem"
fi

# ---- confinement ----------------------------------------------------------------------

echo "TOP SECRET" >"$TMP/secret.md"
refused() { # refused DESCRIPTION DIR: exit 2 with "refused" and the entry's position
	run_emheval check "$2" --criteria "$REPO"
	expect_rc 2 "$1"
	contains "$err" "refused" "$1: says refused"
	contains "$err" "submission.json:" "$1: located in submission.json"
	case "$out$err" in *"TOP SECRET"*) fail "$1: the secret leaked" ;; *) pass ;; esac
}
sub "$TMP/c-dotdot" '[{"kind": "privacy_policy", "path": "../secret.md"}]'
refused "a path with .." "$TMP/c-dotdot"
sub "$TMP/c-dotdot2" '[{"kind": "privacy_policy", "path": "a/../../secret.md"}]'
mkdir -p "$TMP/c-dotdot2/a"
refused "a path with .. in the middle" "$TMP/c-dotdot2"
sub "$TMP/c-abs" "[{\"kind\": \"privacy_policy\", \"path\": \"$TMP/secret.md\"}]"
refused "an absolute path" "$TMP/c-abs"
sub "$TMP/c-zero" '[{"kind": "privacy_policy", "path": "/dev/zero"}]'
refused "/dev/zero as evidence" "$TMP/c-zero"
sub "$TMP/c-link" '[{"kind": "privacy_policy", "path": "p.md"}]'
ln -s "$TMP/secret.md" "$TMP/c-link/p.md"
refused "a symlink to a file outside" "$TMP/c-link"
sub "$TMP/c-inlink" '[{"kind": "privacy_policy", "path": "p.md"}]'
ln -s privacy.md "$TMP/c-inlink/p.md"
refused "a symlink that stays inside (it could be swapped)" "$TMP/c-inlink"
sub "$TMP/c-dirlink" '[{"kind": "privacy_policy", "path": "docs/secret.md"}]'
ln -s "$TMP" "$TMP/c-dirlink/docs"
refused "a symlinked folder on the path" "$TMP/c-dirlink"
sub "$TMP/c-zerolink" '[{"kind": "privacy_policy", "path": "z"}]'
ln -s /dev/zero "$TMP/c-zerolink/z"
refused "a symlink to /dev/zero" "$TMP/c-zerolink"
sub "$TMP/c-dev" '[{"kind": "privacy_policy", "path": "zero"}]'
if mknod "$TMP/c-dev/zero" c 1 5 2>/dev/null; then
	refused "a device file in the folder" "$TMP/c-dev"
	contains "$err" "a device" "the device is named as such"
else
	echo "hostile: mknod needs root; device-node case skipped" >&2
fi
sub "$TMP/c-fifo" '[{"kind": "privacy_policy", "path": "pipe"}]'
mkfifo "$TMP/c-fifo/pipe"
timeout 20 "$EMHEVAL" check "$TMP/c-fifo" --criteria "$REPO" >"$TMP/out" 2>"$TMP/err"
rc=$?
err=$(cat "$TMP/err")
expect_rc 2 "a FIFO is refused without blocking"
contains "$err" "a FIFO" "the FIFO is named as such"
sub "$TMP/c-git" '[{"kind": "privacy_policy", "path": ".git/config"}]'
refused "a path into .git" "$TMP/c-git"
mkdir -p "$TMP/c-subjson"
ln -s "$MINI/sub-ok/submission.json" "$TMP/c-subjson/submission.json"
run_emheval check "$TMP/c-subjson" --criteria "$REPO"
expect_rc 2 "a symlinked submission.json inside a folder"
contains "$err" "submission.json refused" "the symlinked submission.json is refused"

# A symlink swapped in while emheval reads: a loop renames a symlink to the
# secret and the real file over each other; every run either reads the real
# file or refuses, and the secret's hash never appears in a dossier.
sub "$TMP/race"
cp "$TMP/race/privacy.md" "$TMP/race/real.md"
ln -s "$TMP/secret.md" "$TMP/race/evil.md"
secret_sha=$(sha256sum "$TMP/secret.md" | cut -d' ' -f1)
( while [ -e "$TMP/race/submission.json" ]; do
	mv -f "$TMP/race/evil.md" "$TMP/race/privacy.md" 2>/dev/null; ln -sf "$TMP/secret.md" "$TMP/race/evil.md"
	cp "$TMP/race/real.md" "$TMP/race/p.tmp" && mv -f "$TMP/race/p.tmp" "$TMP/race/privacy.md"
  done ) &
swapper=$!
leaks=0 read_ok=0 refusals=0 other=0
for i in $(seq 60); do
	"$EMHEVAL" check "$TMP/race" --criteria "$REPO" --format json >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if grep -q "$secret_sha\|TOP SECRET" "$TMP/out" "$TMP/err"; then leaks=$((leaks + 1)); fi
	case $rc in
	0|1) read_ok=$((read_ok + 1)) ;;
	2) if grep -q "refused" "$TMP/err"; then refusals=$((refusals + 1)); else other=$((other + 1)); fi ;;
	*) other=$((other + 1)) ;;
	esac
done
rm -f "$TMP/race/submission.json"
kill "$swapper" 2>/dev/null
wait "$swapper" 2>/dev/null
echo "hostile: swap race: $read_ok read, $refusals refused, $other other" >&2
check "a swapped-in symlink is never followed" test "$leaks" = 0
check "every run during the swaps reads the real file or refuses" test "$other" = 0

# ---- outputs never follow a planted symlink -------------------------------------------

echo "victim" >"$TMP/victim"
mkdir -p "$TMP/outdir"
ln -s "$TMP/victim" "$TMP/outdir/report.json"
run_emheval check "$MINI/sub-ok" --criteria "$REPO" --format json -o "$TMP/outdir/report.json"
expect_rc 1 "-o over a planted symlink (evaluated)"
check "the symlink's target is untouched" test "$(cat "$TMP/victim")" = victim
check "the output replaced the symlink with a file" test -f "$TMP/outdir/report.json" -a ! -L "$TMP/outdir/report.json"
check "no temporary file is left beside the output" test "$(ls "$TMP/outdir" | wc -l)" = 1
if "$EMHEVAL" evaluate --help >/dev/null 2>&1; then
	mkdir -p "$TMP/batch-in" "$TMP/batch-out"
	cp -R "$MINI/sub-ok" "$TMP/batch-in/a"
	ln -s "$TMP/victim" "$TMP/batch-out/index.json"
	ln -s "$TMP/victim" "$TMP/batch-out/a.json"
	run_emheval evaluate --criteria "$REPO" --out "$TMP/batch-out" --quiet "$TMP/batch-in"
	no_crash "evaluate into a folder with planted symlinks"
	check "evaluate leaves the symlinks' target untouched" test "$(cat "$TMP/victim")" = victim
	check "index.json is a file, not the planted symlink" test -f "$TMP/batch-out/index.json" -a ! -L "$TMP/batch-out/index.json"
	rm -rf "$TMP/batch-out"
	ln -s "$TMP/outdir" "$TMP/batch-out"
	run_emheval evaluate --criteria "$REPO" --out "$TMP/batch-out" --quiet "$TMP/batch-in"
	no_crash "evaluate with --out a symlink"
	check "the victim is still untouched" test "$(cat "$TMP/victim")" = victim
fi

# ---- encodings ------------------------------------------------------------------------

sub "$TMP/e-utf8"
printf '{"app": {"id": "t\xc3\x28"}}' >"$TMP/e-utf8/submission.json"
run_emheval check "$TMP/e-utf8" --criteria "$REPO"
expect_rc 2 "invalid UTF-8 in submission.json"
contains "$err" "submission.json:1:18: error: invalid UTF-8 byte 0xC3" "invalid UTF-8 located and named"
printf '{"app": {"id": "a\\u0000b"}}' >"$TMP/e-utf8/submission.json"
run_emheval check "$TMP/e-utf8" --criteria "$REPO"
expect_rc 2 "an escaped NUL in a JSON string"
contains "$err" "\\u0000 in a string is not accepted" "the NUL escape is named"
printf '{"app": {"id": "a\000b"}}' >"$TMP/e-utf8/submission.json"
run_emheval check "$TMP/e-utf8" --criteria "$REPO"
expect_rc 2 "a raw NUL byte in a JSON string"
contains "$err" "control character 0x00" "the raw NUL is named"
printf '\xef\xbb\xbf{"app": {"id": "t"}}' >"$TMP/e-utf8/submission.json"
run_emheval check "$TMP/e-utf8" --criteria "$REPO"
expect_rc 2 "a byte-order mark"
contains "$err" "byte order mark" "the BOM is named"
contains "$err" "submission.json:1:1:" "the BOM is located"

# CRLF: accepted, and positions count lines the same way.
sub "$TMP/e-crlf"
sed -i 's/$/\r/' "$TMP/e-crlf/submission.json"
sed -i 's/"retention_months": 24/"retention_months": 99/' "$TMP/e-crlf/submission.json"
printf 'Line one.\r\nWe keep data for a retention period of two years.\r\n' >"$TMP/e-crlf/privacy.md"
run_emheval check "$TMP/e-crlf" --criteria "$REPO" --format json
expect_rc 1 "a CRLF submission is evaluated"
contains "$(result_of PRIV-1)" '"line": 6' "CRLF lines are counted once each"
contains "$(result_of HOST-TEXT)" '"outcome": "pass"' "text checks work on CRLF evidence"

# Evidence that is not UTF-8: its text checks are errors that say so; the rest is evaluated.
sub "$TMP/e-bin"
printf 'retention \xff\xfe\x00 binary' >"$TMP/e-bin/privacy.md"
run_emheval check "$TMP/e-bin" --criteria "$REPO" --format json
expect_rc 1 "binary evidence: evaluated, not approved"
contains "$(result_of HOST-TEXT)" '"outcome": "error"' "a text check on binary evidence is an error"
contains "$(result_of HOST-TEXT)" "not valid UTF-8" "the reason says the text is not UTF-8"
# A BOM at the start of evidence text is just text.
printf '\xef\xbb\xbfretention is 24 months\n' >"$TMP/e-bin/privacy.md"
run_emheval check "$TMP/e-bin" --criteria "$REPO" --format json
contains "$(result_of HOST-TEXT)" '"outcome": "pass"' "evidence starting with a BOM is checked"

# A very long line (8 MiB, no newline): bounded time, and the excerpt stays short.
sub "$TMP/e-long"
{ head -c 8388608 /dev/zero | tr '\0' 'x'; printf ' we share data with advertisers '; head -c 1000000 /dev/zero | tr '\0' 'y'; } >"$TMP/e-long/privacy.md"
start=$(date +%s)
run_emheval check "$TMP/e-long" --criteria "$REPO" --format json
expect_rc 1 "a very long line: evaluated"
contains "$(result_of PRIV-2)" '"outcome": "fail"' "the advertising check finds the match on the long line"
excerpt=$(printf '%s' "$out" | grep -o '"excerpt": "[^"]*"' | head -n 1)
check "the excerpt of a very long line is short" test "${#excerpt}" -lt 400
check "a very long line takes bounded time" test $(($(date +%s) - start)) -lt 60
run_emheval check "$TMP/e-long" --criteria "$REPO"
contains "$out" "advertisers" "the text report shows the excerpt"

summary
