#!/bin/bash
# The audit commands end to end: the README's regulator walk-through run step
# by step in a fresh clone; keys; verify's checks and exit status; single
# flipped bytes in a dossier, an evidence file and a signature, each detected;
# reproduction from another clone of the criteria; waivers on their expiry
# date and the day after; a review chain of three revisions; a ledger whose
# blob or history was rewritten; two writers filing at once.
SUITE=audit
. "$(dirname "$0")/lib.sh"
MINI=$ROOT/tests/data/mini
export FILTER_BRANCH_SQUELCH_WARNING=1

# flip FILE OFFSET MASK: XORs one byte of FILE in place.
flip() {
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((b ^ $3)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
size() { wc -c <"$1" | tr -d ' '; }

# ---- 1. The README's walk-through, each step as written --------------------------------
awk -v dir="$TMP" '
	/regulator-walkthrough:begin/ { on = 1 }
	/regulator-walkthrough:end/ { on = 0 }
	on && /^```sh$/ { n++; f = sprintf("%s/step%d.sh", dir, n); inb = 1; next }
	on && inb && /^```$/ { inb = 0; next }
	inb { print > f }
	END { print n > (dir "/nsteps") }' "$ROOT/README.md"
check "README has the six walk-through steps" test "$(cat "$TMP/nsteps")" = 6
git clone -q "$ROOT" "$TMP/walk"
mkdir -p "$TMP/walk/build"
ln -s "$EMHEVAL" "$TMP/walk/build/emheval"
want_rc=(0 0 0 0 0 0)
want_text=("key id:" "1 awaiting_review" "revision 2 of uk.co.northstarwellbeing.sleepmood 1.4.0: approved"
           "verify: 19 ok, 0 failed, 0 skipped" "ledger: 2 commits verified, 0 failed" "revision=2")
for i in 1 2 3 4 5 6; do
	(cd "$TMP/walk" && bash "$TMP/step$i.sh") >"$TMP/out" 2>"$TMP/err"
	rc=$?
	expect_rc "${want_rc[$((i - 1))]}" "README step $i"
	contains "$(cat "$TMP/out" "$TMP/err")" "${want_text[$((i - 1))]}" "README step $i output"
done
W=$TMP/walk
check "step 1: the private key is mode 0600" test "$(stat -c %a "$W/regulator.key")" = 600
check "step 2: the envelope sits beside the dossier" test -s "$W/dossiers/08-pending-review.dsse.json"
r1=$(sed -n 's/^  "digest": "\(.*\)",*$/\1/p' "$W/dossiers/08-pending-review.json")
contains "$(cat "$W/dossiers/08-pending-review.r2.json")" "\"previous_digest\": \"$r1\"" "step 3: revision 2 links to revision 1"
contains "$(cat "$W/dossiers/08-pending-review.r2.json")" '"reviewer": "Dr Helen Marsh"' "step 3: reviews recorded"
contains "$(git -C "$W/ledger.git" log -1 --format=%B)" "Previous-Digest: $r1" "step 3: the ledger commit names the previous digest"
run_emheval keygen --out "$W/regulator"
expect_rc 2 "keygen never overwrites a key"
contains "$err" "already exists" "keygen says why"

# ---- 2. verify: checks, exit status, tampering ----------------------------------------------
REPO=$TMP/repo
make_repo "$REPO" "$MINI/criteria"
run_emheval keygen --out "$TMP/k"
run_emheval check "$MINI/sub-ok" --criteria "$REPO" --sign-key "$TMP/k.key"
expect_rc 2 "--sign-key without -o or --ledger"
run_emheval check "$MINI/sub-ok" --criteria "$REPO" --sign-key "$TMP/k.key" -o "$TMP/calm.json"
expect_rc 1 "check signs (json implied; awaiting review of SAFE-3: exit 1)"
check "envelope written beside the dossier" test -s "$TMP/calm.dsse.json"
SUB=$TMP/sub
cp -R "$MINI/sub-ok" "$SUB"
run_emheval verify "$TMP/calm.json" --pubkey "$TMP/k.pub" --submission "$SUB" --criteria "$REPO"
expect_rc 0 "a clean dossier verifies"
contains "$out" "verify: 7 ok, 0 failed, 0 skipped" "seven checks hold"
run_emheval verify "$TMP/calm.dsse.json" --pubkey "$TMP/k.pub" --criteria "$REPO"
expect_rc 0 "the envelope given directly verifies"
run_emheval verify "$TMP/calm.json" --criteria "$REPO"
expect_rc 0 "without a key the signature is skipped, not failed"
contains "$out" "skipped  signature" "signature skipped without --pubkey"
run_emheval verify "$TMP/nope.json"
expect_rc 2 "a missing dossier is an input error"
run_emheval verify "$TMP/calm.json" --pubkey "$TMP/nope.pub"
expect_rc 2 "a missing key is an input error"
run_emheval verify "$TMP/calm.json" --pubkey "$MINI/sub-ok/privacy.md"
expect_rc 2 "a file that is no key is an input error"
run_emheval verify "$TMP/calm.json" --submission "$TMP/nowhere" --criteria "$REPO"
expect_rc 2 "a missing submission is an input error"
run_emheval keygen --out "$TMP/other"
run_emheval verify "$TMP/calm.json" --pubkey "$TMP/other.pub" --criteria "$REPO"
expect_rc 1 "another key's signature fails"
contains "$out" "FAILED   signature" "the signature check names the failure"

# Single flipped bytes across the whole dossier.
cp "$TMP/calm.json" "$TMP/calm.orig"
n=$(size "$TMP/calm.json")
missed=0 tried=0
for ((i = 0; i < n; i += n / 30)); do
	cp "$TMP/calm.orig" "$TMP/calm.json"
	flip "$TMP/calm.json" "$i" 1
	"$EMHEVAL" verify "$TMP/calm.json" --pubkey "$TMP/k.pub" --criteria "$REPO" >"$TMP/out" 2>&1
	r=$?
	tried=$((tried + 1))
	[ "$r" = 1 ] || { missed=$((missed + 1)); echo "dossier flip at $i: exit $r" >&2; }
done
cp "$TMP/calm.orig" "$TMP/calm.json"
check "every flipped dossier byte detected ($tried positions)" test "$missed" = 0

# ... in an evidence file.
cp "$SUB/privacy.md" "$TMP/privacy.orig"
n=$(size "$SUB/privacy.md")
missed=0 tried=0
for ((i = 0; i < n; i += 7)); do
	cp "$TMP/privacy.orig" "$SUB/privacy.md"
	flip "$SUB/privacy.md" "$i" 32
	"$EMHEVAL" verify "$TMP/calm.json" --submission "$SUB" --criteria "$REPO" >"$TMP/out" 2>&1
	r=$?
	tried=$((tried + 1))
	{ [ "$r" = 1 ] && grep -q "^FAILED   evidence    privacy.md" "$TMP/out"; } || { missed=$((missed + 1)); echo "evidence flip at $i: exit $r" >&2; }
done
cp "$TMP/privacy.orig" "$SUB/privacy.md"
check "every flipped evidence byte detected ($tried positions)" test "$missed" = 0

# ... in the signature.
cp "$TMP/calm.dsse.json" "$TMP/env.orig"
at=$(grep -b -o '"sig": "' "$TMP/calm.dsse.json" | cut -d: -f1)
missed=0
for ((k = 0; k < 88; k += 4)); do
	cp "$TMP/env.orig" "$TMP/calm.dsse.json"
	flip "$TMP/calm.dsse.json" $((at + 8 + k)) 1
	"$EMHEVAL" verify "$TMP/calm.json" --pubkey "$TMP/k.pub" --criteria "$REPO" >"$TMP/out" 2>&1
	r=$?
	{ [ "$r" = 1 ] && grep -q "^FAILED   signature" "$TMP/out"; } || { missed=$((missed + 1)); echo "signature flip at $k: exit $r" >&2; }
done
cp "$TMP/env.orig" "$TMP/calm.dsse.json"
check "every flipped signature byte detected" test "$missed" = 0
printf 'not json' >"$TMP/broken.json"
run_emheval verify "$TMP/broken.json"
expect_rc 1 "a dossier that is not JSON fails its check"
contains "$out" "FAILED   dossier" "not JSON named"

# ---- 3. Reproduction from another clone of the criteria ----------------------------------------
git clone -q "$REPO" "$TMP/clone"
echo '# later work' >>"$REPO/criteria/README.md" && git -C "$REPO" add -A && git -C "$REPO" commit -qm "a later commit"
run_emheval verify "$TMP/calm.json" --pubkey "$TMP/k.pub" --submission "$SUB" --criteria "$TMP/clone"
expect_rc 0 "reproduced from another clone"
contains "$out" "ok       reproduce" "byte-identical from the clone"
make_repo "$TMP/unrelated" "$MINI/criteria"
run_emheval verify "$TMP/calm.json" --criteria "$TMP/unrelated" --submission "$SUB"
expect_rc 1 "a repository without the recorded commit"
contains "$out" "FAILED   criteria" "the criteria check fails"
contains "$out" "skipped  reproduce" "nothing to reproduce from"

# ---- 4. Waivers: valid on the expiry date, expired the day after ----------------------------------
cat >"$TMP/waivers.json" <<'JSON'
{"waivers": [
  {"id": "W-7", "criterion": "SAFE-1", "scope": {"app_id": "ads", "app_version": "2.0.0"},
   "justification": "Helplines being localised; interim signposting reviewed by the safety team",
   "approver": "Head of Assessment", "expires": "2026-10-31"}
]}
JSON
run_emheval check "$MINI/sub-bad" --criteria "$REPO" --waivers "$TMP/waivers.json" --as-of 2026-10-31 --format json
contains "$out" '"outcome": "waived"' "waived on the expiry date"
contains "$out" '"status": "applied"' "waiver applied on the expiry date"
run_emheval check "$MINI/sub-bad" --criteria "$REPO" --waivers "$TMP/waivers.json" --as-of 2026-11-01 --format json
contains "$out" '"status": "expired"' "expired the day after"
case "$out" in *'"outcome": "waived"'*) fail "no waiver after expiry" ;; *) pass ;; esac
run_emheval check "$MINI/sub-bad" --criteria "$REPO" --waivers "$TMP/waivers.json" --as-of 2026-10-31 --format json -o "$TMP/waived.json"
run_emheval verify "$TMP/waived.json" --criteria "$REPO" --submission "$MINI/sub-bad"
expect_rc 0 "a waived dossier reproduces from its own waiver records"
sed 's/"justification": "Helplines[^"]*"/"justification": " "/' "$TMP/waivers.json" >"$TMP/bad-waivers.json"
run_emheval check "$MINI/sub-bad" --criteria "$REPO" --waivers "$TMP/bad-waivers.json" -o "$TMP/never.json"
expect_rc 2 "a waiver without justification stops the run"
contains "$err" "bad-waivers.json:3:21: \"justification\" must not be empty" "file, line and column" 
check "nothing written" test ! -e "$TMP/never.json"

# ---- 5. A review chain of three revisions, in a ledger ------------------------------------------------
L=$TMP/chain.git
review() { # N DECISION WHO: a decisions file for SAFE-3
	cat >"$TMP/rev$1.json" <<JSON
{"reviews": [{"reviewer": "$3", "role": "clinical safety officer", "criterion": "SAFE-3", "version": 1,
  "decision": "$2", "rationale": "Crisis help checked on every screen.", "date": "2026-10-0$1"}]}
JSON
}
run_emheval check "$MINI/sub-ok" --criteria "$REPO" --rev HEAD~1 --format json -o "$TMP/r1.json" --ledger "$L"
expect_rc 1 "revision 1 filed (awaiting review of SAFE-3)"
review 2 pass "A. Byrne"
run_emheval review "$TMP/r1.json" --decisions "$TMP/rev2.json" --criteria "$REPO" -o "$TMP/r2.json" --ledger "$L"
expect_rc 0 "revision 2: approved"
review 3 fail "C. Doyle"
run_emheval review "$TMP/r2.json" --decisions "$TMP/rev3.json" --criteria "$REPO" -o "$TMP/r3.json" --ledger "$L"
expect_rc 1 "revision 3: a major manual criterion failed, rejected"
contains "$(cat "$TMP/r3.json")" '"revision": 3' "revision 3 numbered"
contains "$(cat "$TMP/r3.json")" "\"previous_digest\": \"$(sed -n 's/^  "digest": "\(.*\)",*$/\1/p' "$TMP/r2.json")\"" "revision 3 links to revision 2"
run_emheval ledger log "$L" calm
contains "$out" "revision=1 awaiting_review" "log: revision 1"
contains "$out" "revision=2 approved" "log: revision 2 (the review decided SAFE-3)"
contains "$out" "revision=3 rejected" "log: revision 3"
run_emheval verify "$TMP/r3.json" --criteria "$REPO" --submission "$MINI/sub-ok"
expect_rc 0 "revision 3 reproduces (evaluation plus both reviews)"
run_emheval review "$TMP/r1.json" --decisions "$TMP/rev3.json" --criteria "$REPO" -o "$TMP/r2b.json" --ledger "$L"
expect_rc 2 "a revision that does not follow the ledger's is refused"
check "and nothing is written" test ! -e "$TMP/r2b.json"
cat >"$TMP/bad-review.json" <<'JSON'
{"reviews": [
  {"reviewer": "R", "role": "r", "criterion": "SAFE-9", "version": 1, "decision": "pass", "rationale": "x", "date": "2026-10-02"}
]}
JSON
run_emheval review "$TMP/r1.json" --decisions "$TMP/bad-review.json" --criteria "$REPO" -o "$TMP/none.json"
expect_rc 2 "a decision on an unknown criterion"
contains "$err" "bad-review.json:2:47: criterion SAFE-9 is not in this dossier" "located in the decisions file"
check "nothing written for a bad decision" test ! -e "$TMP/none.json"
sed 's/"version": 1/"version": 2/; s/SAFE-9/SAFE-3/' "$TMP/bad-review.json" >"$TMP/bad-version.json"
run_emheval review "$TMP/r1.json" --decisions "$TMP/bad-version.json" --criteria "$REPO"
expect_rc 2 "a decision on another version"
contains "$err" "bad-version.json:2:68: the decision is on SAFE-3 version 2, but the dossier has version 1" "the version is pointed at"
sed 's/"pass"/"maybe"/' "$TMP/rev2.json" >"$TMP/maybe.json"
run_emheval review "$TMP/r1.json" --decisions "$TMP/maybe.json" --criteria "$REPO"
expect_rc 2 "a malformed decision"
contains "$err" "maybe.json:2:" "malformed decision located"
sed 's/^  "verdict": "awaiting_review"/  "verdict": "rejected"/' "$TMP/r1.json" >"$TMP/r1-edited.json"
check "the edit changed the verdict" test "$(cmp -s "$TMP/r1.json" "$TMP/r1-edited.json"; echo $?)" = 1
run_emheval review "$TMP/r1-edited.json" --decisions "$TMP/rev2.json" --criteria "$REPO"
expect_rc 2 "an edited dossier is not reviewed"
contains "$err" "digest does not match" "edited dossier named"

# ---- 6. Ledger: verified, then a rewritten blob and a rewritten history ------------------------------
LG=$TMP/ledger.git
for app in alpha beta gamma delta; do
	mkdir -p "$TMP/apps/$app"
	cp -R "$MINI/sub-ok/." "$TMP/apps/$app/"
	sed -i "s/\"id\": \"calm\"/\"id\": \"$app\"/" "$TMP/apps/$app/submission.json"
	run_emheval check "$TMP/apps/$app" --criteria "$REPO" --ledger "$LG" --sign-key "$TMP/k.key"
done
run_emheval ledger verify "$LG" --pubkey "$TMP/k.pub"
expect_rc 0 "a clean ledger verifies"
contains "$out" "ledger: 4 commits verified, 0 failed" "four commits"
run_emheval ledger verify "$LG" --pubkey "$TMP/other.pub"
expect_rc 1 "signatures by another key fail"
git clone -q "$LG" "$TMP/blob"
git -C "$TMP/blob" filter-branch --tree-filter \
	'f=dossiers/beta/1.0.0/dossier.json; [ -f $f ] && sed -i "s/^  \"verdict\": \"awaiting_review\"/  \"verdict\": \"rejected\"/" $f || true' HEAD >/dev/null 2>&1
run_emheval ledger verify "$TMP/blob"
expect_rc 1 "a rewritten blob is detected"
contains "$out" "digest recorded" "its digest no longer matches"
contains "$out" "the history was rewritten" "and its descendants no longer follow their recorded parents"
git clone -q "$LG" "$TMP/hist"
git -C "$TMP/hist" rebase -q --onto HEAD~2 HEAD~1 >/dev/null 2>&1
check "history rewritten (a commit dropped)" test "$(git -C "$TMP/hist" rev-list --count HEAD)" = 3
run_emheval ledger verify "$TMP/hist"
expect_rc 1 "a rewritten history is detected"
contains "$out" "the history was rewritten" "the moved commit is named"
run_emheval ledger verify "$LG" --anchor "$(git -C "$TMP/hist" rev-parse HEAD)"
expect_rc 1 "an anchor that is not in the history"
run_emheval ledger verify "$TMP/hist" --anchor "$(git -C "$LG" rev-parse HEAD~1)"
contains "$out" "FAILED   anchor" "a dropped anchor commit is reported"
git clone -q "$LG" "$TMP/extra"
echo "note" >"$TMP/extra/notes.txt"
git -C "$TMP/extra" add notes.txt && git -C "$TMP/extra" commit -qm "a note"
run_emheval ledger verify "$TMP/extra"
expect_rc 1 "a commit that is not a filing"
contains "$out" "changes notes.txt, which is not a dossier" "the stray file is named"
run_emheval ledger verify "$TMP/nowhere"
expect_rc 2 "no ledger there"

# ledger add: dossiers written earlier, with their envelopes.
run_emheval ledger add "$TMP/added.git" "$TMP/calm.json" "$TMP/waived.json"
expect_rc 0 "ledger add"
contains "$out" "filed $TMP/calm.json (signed)" "the envelope beside it is filed too"
run_emheval ledger add "$TMP/added.git" "$TMP/calm.json"
contains "$out" "already filed" "filing the same bytes again adds nothing"
run_emheval ledger add "$TMP/added.git" "$TMP/r1-edited.json"
expect_rc 2 "an edited dossier is not filed"

# ---- 7. Two writers at once never lose a commit ------------------------------------------------------------
LC=$TMP/concurrent.git
writer() {
	for i in $(seq 1 12); do
		d=$TMP/w$1-$i
		mkdir -p "$d"
		cp -R "$MINI/sub-ok/." "$d/"
		sed -i "s/\"id\": \"calm\"/\"id\": \"w$1-$i\"/" "$d/submission.json"
		# exit 1 is the verdict (awaiting review of SAFE-3); 2 or worse is a failure
		{ "$EMHEVAL" check "$d" --criteria "$REPO" --ledger "$LC" >/dev/null 2>"$TMP/w$1.err"; [ $? -le 1 ]; } ||
			{ echo "writer $1/$i failed:"; cat "$TMP/w$1.err"; } >>"$TMP/writers.err"
	done
}
: >"$TMP/writers.err"
writer a & writer b & wait
check "no writer failed" test ! -s "$TMP/writers.err"
check "24 commits, none lost" test "$(git -C "$LC" rev-list --count HEAD)" = 24
run_emheval ledger verify "$LC"
expect_rc 0 "the concurrent ledger verifies"

summary
