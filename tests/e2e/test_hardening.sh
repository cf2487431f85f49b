#!/bin/bash
# Hardening (issue 17 items 6, 8, 9, 11, 13, 14, 15, 16, 20; docs/security.md):
# duplicate JSON keys in every file emheval reads, bare JSON submissions that
# list evidence, non-regular files in the criteria tree, FIFOs where a file is
# read, -o onto a device, long prerequisite chains, huge numbers where an
# integer is expected, memory of a worst-case submission, and terminal output
# of untrusted text. Each case ends with a clear outcome; never a crash or a hang.
SUITE=hardening
. "$(dirname "$0")/lib.sh"
MINI=$ROOT/tests/data/mini
REPO=$TMP/repo
make_repo "$REPO" "$MINI/criteria"
crashed() { [ "$rc" -gt 2 ]; }
# timeout wrapper: a hang is a failure, not a stuck suite
T() { timeout 10 "$@"; }

# ---- 6. duplicate keys ---------------------------------------------------------------------------
mkdir -p "$TMP/dup"
cp "$MINI/sub-ok/privacy.md" "$TMP/dup/"
sed 's|"risk_tier": "A",|"sells_data": false, "sells_data": true,\n  "risk_tier": "A",|' \
	"$MINI/sub-ok/submission.json" >"$TMP/dup/submission.json"
run_emheval check "$TMP/dup" --criteria "$REPO"
expect_rc 2 "a submission with a duplicate key is refused"
contains "$err" "submission.json:5:24: error: duplicate key \"sells_data\"" "the second key is located"
contains "$err" "first seen at line 5, column 3" "where the key was first seen"
# Keys equal once escapes are read are the same key.
printf '{"a": {"x": 1, "\\u0078": 2}}' >"$TMP/esc.json"
run_emheval check "$TMP/esc.json" --criteria "$REPO"
expect_rc 2 "a key spelled with an escape is still a duplicate"
contains "$err" "esc.json:1:16: error: duplicate key \"x\"" "the escaped key is located"

# A duplicated severity in a criterion: lint and every load refuse it.
mkdir -p "$TMP/crit-dup"
cp -R "$MINI/criteria/." "$TMP/crit-dup/"
sed -i 's|"severity": "blocker",|"severity": "blocker", "severity": "minor",|' "$TMP/crit-dup/safety/SAFE-1.json"
make_repo "$TMP/repo-dup" "$TMP/crit-dup"
run_emheval lint --criteria "$TMP/repo-dup"
expect_rc 1 "lint reports a duplicated severity"
contains "$err$out" "SAFE-1.json:6:26: error: duplicate key \"severity\"" "lint locates the duplicate"
run_emheval check "$MINI/sub-ok" --criteria "$TMP/repo-dup"
expect_rc 2 "loading refuses a duplicated severity"
contains "$err" "SAFE-1.json:6:26: error: duplicate key \"severity\"" "load locates the duplicate"

# Waivers and reviews with a key given twice.
cat >"$TMP/waivers-dup.json" <<'JSON'
{"waivers": [
  {"id": "W-7", "criterion": "SAFE-1", "scope": {"app_id": "ads", "app_version": "2.0.0"},
   "justification": "Interim signposting reviewed", "approver": "Head", "expires": "2026-10-31",
   "expires": "2099-12-31"}
]}
JSON
run_emheval check "$MINI/sub-bad" --criteria "$REPO" --waivers "$TMP/waivers-dup.json" --as-of 2026-10-31
expect_rc 2 "a waiver with a duplicate key is refused"
contains "$err" "waivers-dup.json:4:4: error: duplicate key \"expires\"" "the waiver's duplicate is located"
run_emheval check "$MINI/sub-ok" --criteria "$REPO" --format json -o "$TMP/r1.json"
cat >"$TMP/review-dup.json" <<'JSON'
{"reviews": [{"reviewer": "A", "role": "clinical safety officer", "criterion": "SAFE-3", "version": 1,
  "decision": "fail", "decision": "pass", "rationale": "Checked.", "date": "2026-10-02"}]}
JSON
run_emheval review "$TMP/r1.json" --decisions "$TMP/review-dup.json" --criteria "$REPO" -o "$TMP/r2.json"
expect_rc 2 "a review with a duplicate key is refused"
contains "$err" "review-dup.json:2:23: error: duplicate key \"decision\"" "the review's duplicate is located"
check "no revision written" test ! -e "$TMP/r2.json"
# A saved dossier with a duplicated verdict is not read.
sed 's|^  "as_of": |  "as_of": "2000-01-01", "as_of": |' "$TMP/r1.json" >"$TMP/r1-dup.json"
run_emheval verify "$TMP/r1-dup.json" --criteria "$REPO"
expect_rc 1 "verify fails a dossier with a duplicate key"
contains "$out" "r1-dup.json:2:26: duplicate key \"as_of\"" "verify names the key"

# ---- 8. a bare JSON submission lists no readable evidence ----------------------------------------
mkdir -p "$TMP/bare"
printf 'another vendor: confidential retention terms\n' >"$TMP/bare/other-vendor.md"
sed 's|"path": "privacy.md", "sha256": "[0-9a-f]*"|"path": "other-vendor.md", "sha256": "'"$(sha256sum "$TMP/bare/other-vendor.md" | cut -c1-64)"'"|' "$MINI/sub-ok/submission.json" >"$TMP/bare/x.json"
run_emheval check "$TMP/bare/x.json" --criteria "$REPO" --format json
expect_rc 2 "a bare JSON file listing a document beside it is refused"
contains "$err" "x.json:9:51: error: evidence path \"other-vendor.md\" refused: a bare JSON submission" "the reason is located and clear"
case "$out$err" in *confidential*) fail "the document was read" ;; *) pass ;; esac
# The same file as a folder's submission.json reads it.
cp "$TMP/bare/x.json" "$TMP/bare/submission.json"
run_emheval check "$TMP/bare" --criteria "$REPO" --format json
contains "$out" '"status": "verified"' "in a folder, the document is read and its hash checked"
# A bare file without evidence is still evaluated.
sed 's|"evidence": .*|"evidence": []|' "$MINI/sub-ok/submission.json" >"$TMP/bare/y.json"
run_emheval check "$TMP/bare/y.json" --criteria "$REPO"
check "a bare file listing no evidence is evaluated" test "$rc" -le 1

# ---- 9. only regular files and folders in the criteria tree -------------------------------------
tree_repo() { # DIR: a repository of the mini criteria, to be changed and committed by the caller
	mkdir -p "$1"
	git init -q "$1"
	cp -R "$MINI/criteria" "$1/"
}
tree_refused() { # DESCRIPTION REPO WHAT: lint and check both refuse it, naming the entry
	run_emheval lint --criteria "$2"
	expect_rc 2 "$1: lint"
	contains "$err" "$3" "$1: lint names it"
	run_emheval check "$MINI/sub-ok" --criteria "$2"
	expect_rc 2 "$1: loading"
	contains "$err" "$3" "$1: loading names it"
}
tree_repo "$TMP/t-link"
mv "$TMP/t-link/criteria/safety/SAFE-3.json" "$TMP/t-link/SAFE-3.json"
ln -s ../../SAFE-3.json "$TMP/t-link/criteria/safety/SAFE-3.json"
git -C "$TMP/t-link" add -A && git -C "$TMP/t-link" commit -qm c
tree_refused "a criterion committed as a symlink" "$TMP/t-link" "criteria/safety/SAFE-3.json@"
contains "$err" "a symlink, not a regular file or folder" "the reason is given"
tree_repo "$TMP/t-dirlink"
mv "$TMP/t-dirlink/criteria/privacy" "$TMP/t-dirlink/privacy"
ln -s ../privacy "$TMP/t-dirlink/criteria/privacy"
git -C "$TMP/t-dirlink" add -A && git -C "$TMP/t-dirlink" commit -qm c
tree_refused "a domain folder committed as a symlink" "$TMP/t-dirlink" "criteria/privacy@"
tree_repo "$TMP/t-sub"
git -C "$TMP/t-sub" add -A && git -C "$TMP/t-sub" commit -qm c
git -C "$TMP/t-sub" update-index --add --cacheinfo "160000,$(git -C "$TMP/t-sub" rev-parse HEAD),criteria/safety/vendored"
git -C "$TMP/t-sub" commit -qm submodule
tree_refused "a submodule in the criteria tree" "$TMP/t-sub" "criteria/safety/vendored@"
contains "$err" "submodule (gitlink)" "the submodule is named as such"
# An executable criterion file is a regular file: accepted.
tree_repo "$TMP/t-exec"
chmod +x "$TMP/t-exec/criteria/safety/SAFE-1.json"
git -C "$TMP/t-exec" add -A && git -C "$TMP/t-exec" commit -qm c
run_emheval lint --criteria "$TMP/t-exec"
expect_rc 0 "an executable criterion file is linted like any other"

# ---- 15. numbers far outside an integer's range where an integer is read -------------------------
# (Converting 1e30 to an int is undefined behaviour; make asan runs with -fsanitize=float-cast-overflow.)
sed '1s/{/{"revision": 1e30,/' "$TMP/r1.json" >"$TMP/rev-huge.json"
run_emheval report "$TMP/rev-huge.json"
expect_rc 2 "a dossier with revision 1e30 is refused"
contains "$err" "rev-huge.json:1:14: error: not a valid dossier: expected a non-negative integer" "the revision is located"
sed '0,/"score": [0-9]*/s//"score": 1e30/' "$TMP/r1.json" >"$TMP/score-huge.json"
run_emheval report "$TMP/score-huge.json"
expect_rc 2 "a dossier with score 1e30 is refused"
contains "$err" "expected an integer from 0 to 100, or null (at /scores/0/score)" "the score is located"
run_emheval ledger add "$TMP/huge-ledger.git" "$TMP/rev-huge.json"
expect_rc 2 "ledger add refuses a dossier with revision 1e30"
mkdir -p "$TMP/crit-huge"
cp -R "$MINI/criteria/." "$TMP/crit-huge/"
cat >"$TMP/crit-huge/safety/SAFE-9.json" <<'JSON'
{"id": "SAFE-9", "version": 1, "title": "Huge integer", "domain": "safety", "severity": "minor",
 "references": ["MH crisis"], "check": {"path": "/n", "type": "integer", "eq": 1e30},
 "fail_message": "f", "remediation": "r"}
JSON
make_repo "$TMP/repo-huge" "$TMP/crit-huge"
run_emheval lint --criteria "$TMP/repo-huge"
case "$out" in *"is not an integer"*) fail "lint calls 1e30 not an integer: $out" ;; *) pass ;; esac

# ---- 14. a chain of 20,000 prerequisites: walked without recursion -------------------------------
# C-00000 requires C-00001, which requires C-00002, ...: the depth-first order goes 20,000 deep.
mkdir -p "$TMP/chain/criteria/safety"
cp "$MINI/criteria/framework.json" "$TMP/chain/criteria/"
awk -v dir="$TMP/chain/criteria/safety" 'BEGIN {
	for (i = 0; i < 20000; i++) {
		f = sprintf("%s/C-%05d.json", dir, i)
		req = i < 19999 ? sprintf(", \"requires\": [\"C-%05d\"]", i + 1) : ""
		printf "{\"id\": \"C-%05d\", \"version\": 1, \"title\": \"Chain %d\", \"domain\": \"safety\", \"severity\": \"minor\", \"references\": [\"R\"]%s, \"check\": {\"path\": \"/risk_tier\", \"exists\": true}, \"fail_message\": \"f\", \"remediation\": \"r\"}\n", i, i, req > f
		close(f)
	}
}'
git init -q "$TMP/chain" && git -C "$TMP/chain" add -A && git -C "$TMP/chain" commit -qm chain
run_emheval check "$MINI/sub-ok" --criteria "$TMP/chain" --format json
expect_rc 0 "check with a chain of 20,000 prerequisites"
contains "$out" '"id": "C-00000"' "the head of the chain is evaluated"
run_emheval lint --criteria "$TMP/chain"
expect_rc 0 "lint with a chain of 20,000 prerequisites"
run_emheval test --criteria "$TMP/chain"
check "test with a chain of 20,000 prerequisites does not crash" test "$rc" -le 1
run_emheval evaluate --criteria "$TMP/chain" --out "$TMP/chain-out" -j 2 --quiet "$MINI/sub-ok"
expect_rc 0 "evaluate with a chain of 20,000 prerequisites"
# A cycle at the end of the chain is still found and named.
sed -i 's|"check"|"requires": ["C-00000"], "check"|' "$TMP/chain/criteria/safety/C-19999.json"
git -C "$TMP/chain" commit -qam cycle
run_emheval lint --criteria "$TMP/chain"
contains "$out" 'C-19999.json:1:132: error: a cycle of "requires": C-00000 -> C-00001 ->' "a 20,000-long cycle is reported at its closing entry"
rm -rf "$TMP/chain" "$TMP/chain-out"

# ---- 13. memory: the documented bound holds for the worst accepted submission ---------------------
# zeros N: a JSON array of N zeros.
zeros() { printf '['; head -c $(($1 - 1)) /dev/zero | tr '\0' '0' | sed 's/0/0,/g'; printf '0]'; }
# pad FILE SIZE: spaces before the final '}' of FILE so that it is SIZE bytes.
pad() { local n=$(($2 - $(wc -c <"$1"))); truncate -s -1 "$1"; head -c "$n" /dev/zero | tr '\0' ' ' >>"$1"; printf '}' >>"$1"; }
# peak CMD...: its peak RSS in KiB on stdout; its exit status in $TMP/peak.rc (this runs in a subshell).
peak() { /usr/bin/time -v "$@" 2>"$TMP/time" >/dev/null; echo $? >"$TMP/peak.rc"; sed -n 's/.*Maximum resident set size (kbytes): //p' "$TMP/time"; }
# 16 MiB of [0,0,...] is 8 million values: over the value limit, refused before a tree is built.
mkdir -p "$TMP/mem0"
{ printf '{"xs": '; zeros 8388600; printf '}'; } >"$TMP/mem0/submission.json"
run_emheval check "$TMP/mem0" --criteria "$REPO"
expect_rc 2 "8 million values in 16 MiB are refused"
contains "$err" "more than 2097152 JSON values, the limit max_values=2097152 (one value per 8 bytes of --max-submission-bytes)" "the value limit is named"
sanitized=0
if [ -n "${ASAN_OPTIONS:-}" ] || ldd "$EMHEVAL" 2>/dev/null | grep -q 'libasan\|libubsan'; then sanitized=1; fi
if [ -x /usr/bin/time ] && [ "$sanitized" = 0 ] && [ "${HARDENING_SKIP_MEMORY:-}" != 1 ]; then
	kib=$(peak "$EMHEVAL" check "$TMP/mem0" --criteria "$REPO")
	echo "hardening: peak RSS refusing 16 MiB of zeros: $kib KiB" >&2
	check "refusing it takes little memory (under 128 MiB)" test "${kib:-999999999}" -le 131072
	# The worst accepted: 16 MiB holding just under 2 Mi values, and 4 evidence files of
	# almost 64 MiB (256 MiB together) whose lines normalising joins (so each is also held
	# normalised), twice, under -j 2. docs/security.md: about
	# workers x (32 x 16 MiB + 2 x 256 MiB) = 2 GiB.
	mkdir -p "$TMP/mem/p/a"
	for k in 0 1 2 3; do yes "We keep your data for 24 months; retention is explained here." | head -c $((64 * 1048576 - 4096)) >"$TMP/mem/p/a/e$k.md"; done
	h=$(sha256sum "$TMP/mem/p/a/e0.md" | cut -d' ' -f1)
	ev="[{\"kind\": \"privacy_policy\", \"path\": \"e0.md\", \"sha256\": \"$h\"}, {\"kind\": \"privacy_policy\", \"path\": \"e1.md\", \"sha256\": \"$h\"}, {\"kind\": \"privacy_policy\", \"path\": \"e2.md\", \"sha256\": \"$h\"}, {\"kind\": \"privacy_policy\", \"path\": \"e3.md\", \"sha256\": \"$h\"}]"
	{ printf '{"schema": "emheval/submission/1", "submission_date": "2026-10-01", "app": {"id": "big", "name": "Big", "version": "1.0.0"}, "risk_tier": "A", "evidence": %s, "xs": ' "$ev"; zeros 2097000; printf '}'; } >"$TMP/mem/p/a/submission.json"
	pad "$TMP/mem/p/a/submission.json" 16777216
	cp -al "$TMP/mem/p/a" "$TMP/mem/p/b"
	kib=$(peak "$EMHEVAL" check "$TMP/mem/p/a" --criteria "$REPO")
	echo "hardening: peak RSS of the worst accepted submission: $kib KiB" >&2
	check "the worst accepted submission is evaluated" test "$(cat "$TMP/peak.rc")" -le 1
	check "one worst-case submission stays within 32 x 16 MiB + 2 x 256 MiB" test "${kib:-999999999}" -le $(( (32 * 16 + 2 * 256) * 1024 ))
	kib=$(peak "$EMHEVAL" evaluate --criteria "$REPO" --out "$TMP/mem/out" -j 2 --quiet "$TMP/mem/p")
	echo "hardening: peak RSS of two of them under -j 2: $kib KiB" >&2
	check "both evaluated" test "$(ls "$TMP/mem/out"/a.json "$TMP/mem/out"/b.json | wc -l)" = 2
	check "two worst-case submissions under -j 2 stay within 2 GiB" test "${kib:-999999999}" -le $((2048 * 1024))
	rm -rf "$TMP/mem"
fi
rm -rf "$TMP/mem0"

# ---- 11. a FIFO where emheval reads a file: refused at once, never waited on --------------------
mkdir -p "$TMP/fifo"
cp "$TMP/r1.json" "$TMP/fifo/d.json"
mkfifo "$TMP/fifo/d.dsse.json" "$TMP/fifo/waivers.json" "$TMP/fifo/decisions.json" "$TMP/fifo/key.pem" "$TMP/fifo/x.json"
fifo_case() { # DESCRIPTION ARGS...: exits 2 within the timeout, naming the FIFO
	local d=$1; shift
	T "$EMHEVAL" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	expect_rc 2 "$d"
	contains "$(cat "$TMP/err")" "not a regular file (a FIFO)" "$d: the reason is given"
}
fifo_case "verify with a FIFO as the envelope" verify "$TMP/fifo/d.json" --criteria "$REPO"
fifo_case "ledger add with a FIFO as the envelope" ledger add "$TMP/fifo/ledger.git" "$TMP/fifo/d.json"
fifo_case "report of a FIFO" report "$TMP/fifo/x.json"
fifo_case "a FIFO as --waivers" check "$MINI/sub-ok" --criteria "$REPO" --waivers "$TMP/fifo/waivers.json"
fifo_case "a FIFO as --decisions" review "$TMP/r1.json" --decisions "$TMP/fifo/decisions.json" --criteria "$REPO" -o "$TMP/fifo/r2.json"
fifo_case "a FIFO as --pubkey" verify "$TMP/r1.json" --criteria "$REPO" --pubkey "$TMP/fifo/key.pem"

# ---- 20. untrusted text on the terminal: ESC, CR and bidi controls neutralised -------------------
# raw BYTES_FILE DESCRIPTION: the file holds no ESC, no CR and no U+202E (e2 80 ae).
raw() {
	if LC_ALL=C grep -q "$(printf '\033')\|$(printf '\r')\|$(printf '\342\200\256')" "$1"; then
		fail "$2: raw control text reached the terminal: $(od -c "$1" | head -5)"
	else
		pass
	fi
}
mkdir -p "$TMP/esc"
cp "$MINI/sub-ok/privacy.md" "$TMP/esc/"
sed 's|"id": "calm"|"id": "calm\\u001b[2K\\rok       forged\\u202e"|; s|"version": "1.0.0"|"version": "1\\u001b[8m"|' \
	"$MINI/sub-ok/submission.json" >"$TMP/esc/submission.json"
run_emheval check "$TMP/esc" --criteria "$REPO" --format json -o "$TMP/esc.json"
expect_rc 1 "a submission whose app id holds escape sequences is evaluated (awaiting review of SAFE-3)"
"$EMHEVAL" verify "$TMP/esc.json" --criteria "$REPO" --submission "$TMP/esc" >"$TMP/vout" 2>&1
contains "$(cat "$TMP/vout")" "awaiting_review for calm [2K ok       forged" "verify shows the id with its controls as spaces"
raw "$TMP/vout" "verify's lines"
"$EMHEVAL" ledger add "$TMP/esc-ledger.git" "$TMP/esc.json" >/dev/null 2>&1
"$EMHEVAL" ledger log "$TMP/esc-ledger.git" >"$TMP/vout" 2>&1
raw "$TMP/vout" "ledger log's lines"
# A refused evidence path echoed by check.
mkdir -p "$TMP/escpath"
cp "$MINI/sub-ok/privacy.md" "$TMP/escpath/"
sed 's|"path": "privacy.md"|"path": "../\\u001b[2J\\r\\u202eok"|' "$MINI/sub-ok/submission.json" >"$TMP/escpath/submission.json"
"$EMHEVAL" check "$TMP/escpath" --criteria "$REPO" >"$TMP/vout" 2>&1
rc=$?
expect_rc 2 "an evidence path with escapes is refused"
contains "$(cat "$TMP/vout")" "[2J" "the refused path is shown"
raw "$TMP/vout" "check's refusal"

# ---- 16. -o onto a device or a pipe: written by opening it, never replaced ----------------------
mkdir -p "$TMP/o"
ln -s /dev/null "$TMP/o/null-link"
run_emheval check "$MINI/sub-ok" --criteria "$REPO" -o "$TMP/o/null-link"
expect_rc 1 "-o to a symlink to /dev/null (evaluated: awaiting review)"
check "the symlink to /dev/null is still a symlink" test -L "$TMP/o/null-link"
check "no temporary file left beside it" test -z "$(ls "$TMP/o" | grep -v null-link)"
if [ "$(id -u)" = 0 ] && mknod "$TMP/o/null-dev" c 1 3 2>/dev/null; then
	# A private device node first: a binary that replaces it must not get to /dev/null.
	run_emheval check "$MINI/sub-ok" --criteria "$REPO" -o "$TMP/o/null-dev"
	expect_rc 1 "-o to a character device (evaluated: awaiting review)"
	if [ -c "$TMP/o/null-dev" ]; then
		pass
		run_emheval report "$TMP/r1.json" -o /dev/null
		expect_rc 1 "-o /dev/null (evaluated: awaiting review)"
		check "/dev/null is still a character device" test -c /dev/null
	else
		fail "the character device was replaced by a file"
	fi
fi
mkfifo "$TMP/o/fifo"
T "$EMHEVAL" check "$MINI/sub-ok" --criteria "$REPO" -o "$TMP/o/fifo" >"$TMP/out" 2>"$TMP/err"
rc=$?
expect_rc 2 "-o to a pipe nobody reads is an error, not a hang"
contains "$(cat "$TMP/err")" "a pipe with no reader" "the reason is given"
check "the pipe is still a pipe" test -p "$TMP/o/fifo"
(cat "$TMP/o/fifo" >"$TMP/o/from-fifo") &
reader=$!
sleep 0.3
T "$EMHEVAL" report "$TMP/r1.json" --format json -o "$TMP/o/fifo" >/dev/null 2>&1
rc=$?
wait $reader
expect_rc 1 "-o to a pipe with a reader (evaluated: awaiting review)"
check "the reader got the report" grep -q '"verdict"' "$TMP/o/from-fifo"
run_emheval report "$TMP/r1.json" -o "$TMP/o"
expect_rc 2 "-o to a folder is refused"

summary
