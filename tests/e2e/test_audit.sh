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
check "README has the eight walk-through steps" test "$(cat "$TMP/nsteps")" = 8
git clone -q "$ROOT" "$TMP/walk"
mkdir -p "$TMP/walk/build"
ln -s "$EMHEVAL" "$TMP/walk/build/emheval"
want_rc=(0 0 0 0 0 0 0 1)
want_text=("key id:" "1 awaiting_review" "revision 2 of uk.co.northstarwellbeing.sleepmood 1.4.0: approved"
           "verify: 20 ok, 0 failed, 0 skipped" "ledger: 3 commits verified, 0 failed" "revision=2"
           "register: 1 apps, 2 dossiers" "sleepmood 1.4.0: lapsed (valid until 2027-08-06) evidence DTAC-C3-PENTEST")
for i in 1 2 3 4 5 6 7 8; do
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
# Not make_repo: the same files and message committed in the same second would have the recorded id.
mkdir -p "$TMP/unrelated" && git init -q "$TMP/unrelated" && cp -R "$MINI/criteria" "$TMP/unrelated/criteria"
git -C "$TMP/unrelated" add -A && git -C "$TMP/unrelated" commit -qm "unrelated criteria"
run_emheval verify "$TMP/calm.json" --criteria "$TMP/unrelated" --submission "$SUB"
expect_rc 2 "a repository without the recorded commit: the criteria cannot be read"
contains "$out" "FAILED   criteria" "the criteria check fails"
contains "$out" "skipped  reproduce" "nothing to reproduce from"

# ---- 4. Waivers: valid on the expiry date, expired the day after ----------------------------------
# Who may decide: reviewers' keys and roles, committed to the regulator's own repository.
for who in byrne doyle okafor head; do run_emheval keygen --out "$TMP/$who"; done
pub() { sed -n 2p "$TMP/$1.pub"; }
ROLES=$TMP/roles
git init -q "$ROLES"
cat >"$ROLES/reviewers.json" <<JSON
{"roles": [
  {"name": "clinical safety officer", "decides": ["domain:safety"], "waives": ["blocker", "major", "minor"]},
  {"name": "technical assessor", "decides": ["PRIV-*"], "waives": ["minor"]},
  {"name": "head of assessment", "waives": ["blocker", "major", "minor"]}
 ],
 "reviewers": [
  {"name": "A. Byrne", "role": "clinical safety officer", "public_key": "$(pub byrne)"},
  {"name": "C. Doyle", "role": "clinical safety officer", "public_key": "$(pub doyle)"},
  {"name": "T. Okafor", "role": "technical assessor", "public_key": "$(pub okafor)"},
  {"name": "Head of Assessment", "role": "head of assessment", "public_key": "$(pub head)"}
 ]}
JSON
git -C "$ROLES" add -A && git -C "$ROLES" commit -qm "who may decide"
ROLES_COMMIT=$(git -C "$ROLES" rev-parse HEAD)
keyof() { case "$1" in "A. Byrne") echo byrne ;; "C. Doyle") echo doyle ;; "T. Okafor") echo okafor ;; *) echo head ;; esac; }
sign() { # KEY FILE: signs every record of FILE in place with KEY's key
	"$EMHEVAL" sign-decisions --key "$TMP/$1.key" "$2" -o "$2" 2>/dev/null
}
cat >"$TMP/waivers.json" <<'JSON'
{"waivers": [
  {"id": "W-7", "criterion": "SAFE-1", "scope": {"app_id": "ads", "app_version": "2.0.0"},
   "justification": "Helplines being localised; interim signposting reviewed by the safety team",
   "approver": "Head of Assessment", "expires": "2026-10-31"}
]}
JSON
cp "$TMP/waivers.json" "$TMP/waivers.unsigned.json"
sign head "$TMP/waivers.json"
run_emheval check "$MINI/sub-bad" --criteria "$REPO" --waivers "$TMP/waivers.unsigned.json" --reviewers "$ROLES" -o "$TMP/never.json"
expect_rc 2 "an unsigned waiver stops the run"
contains "$err" "waivers.unsigned.json:2:10: error: waiver W-7 of SAFE-1, approved by Head of Assessment, is not signed" "the unsigned waiver is located"
sed 's/"Head of Assessment"/"T. Okafor"/' "$TMP/waivers.unsigned.json" >"$TMP/okafor-waiver.json"
sign okafor "$TMP/okafor-waiver.json"
run_emheval check "$MINI/sub-bad" --criteria "$REPO" --waivers "$TMP/okafor-waiver.json" --reviewers "$ROLES" -o "$TMP/never.json"
expect_rc 2 "a waiver of a blocker by a role that may not waive blockers"
contains "$err" "role technical assessor may not waive SAFE-1 (a blocker criterion); waiver W-7 is signed by key $(openssl pkey -pubin -in "$TMP/okafor.pub" -outform DER | sha256sum | cut -d' ' -f1) (T. Okafor)" "criterion, role and key named"
sed 's/localised/translated/' "$TMP/waivers.json" >"$TMP/tampered-waiver.json"
run_emheval check "$MINI/sub-bad" --criteria "$REPO" --waivers "$TMP/tampered-waiver.json" --reviewers "$ROLES" -o "$TMP/never.json"
expect_rc 2 "a waiver changed after signing"
contains "$err" "the signature on waiver W-7 of SAFE-1 (role head of assessment) by key" "the broken signature is named"
run_emheval check "$MINI/sub-bad" --criteria "$REPO" --waivers "$TMP/waivers.json" -o "$TMP/never.json"
expect_rc 2 "waivers need a reviewers file"
contains "$err" "no reviewers file criteria/reviewers.json in $REPO" "the missing reviewers file is named"
check "no refused waiver wrote anything" test ! -e "$TMP/never.json"
awk 'BEGIN { printf "{\"waivers\": [\n"; for (i = 0; i < 20000; i++)
	printf "{\"id\": \"W-%d\", \"criterion\": \"SAFE-1\", \"scope\": {\"app_id\": \"a%d\"}, \"justification\": \"j\", \"approver\": \"A\", \"expires\": \"2026-10-31\"},\n", i, i;
	printf "{\"id\": \"W-7\", \"criterion\": \"SAFE-1\", \"scope\": {\"app_id\": \"b\"}, \"justification\": \"j\", \"approver\": \"A\", \"expires\": \"2026-10-31\"}\n]}\n" }' >"$TMP/many-waivers.json"
run_emheval check "$MINI/sub-bad" --criteria "$REPO" --waivers "$TMP/many-waivers.json" --reviewers "$ROLES" -o "$TMP/never.json"
expect_rc 2 "20,001 waivers with a repeated id"
contains "$err" 'many-waivers.json:20002:8: error: waiver id "W-7" is used twice (first at line 9)' "the repeat is located (sorted, not compared pairwise)"
run_emheval check "$MINI/sub-bad" --criteria "$REPO" --waivers "$TMP/waivers.json" --reviewers "$ROLES" --as-of 2026-10-31 --format json
contains "$out" '"outcome": "waived"' "waived on the expiry date"
contains "$out" '"status": "applied"' "waiver applied on the expiry date"
run_emheval check "$MINI/sub-bad" --criteria "$REPO" --waivers "$TMP/waivers.json" --reviewers "$ROLES" --as-of 2026-11-01 --format json
contains "$out" '"status": "expired"' "expired the day after"
case "$out" in *'"outcome": "waived"'*) fail "no waiver after expiry" ;; *) pass ;; esac
run_emheval check "$MINI/sub-bad" --criteria "$REPO" --waivers "$TMP/waivers.json" --reviewers "$ROLES" --as-of 2026-10-31 --format json -o "$TMP/waived.json"
run_emheval verify "$TMP/waived.json" --criteria "$REPO" --submission "$MINI/sub-bad" --reviewers "$ROLES"
expect_rc 0 "a waived dossier reproduces from its own waiver records"
contains "$out" "ok       waivers     1 waiver signed by allowed approvers' keys" "verify checks the waiver's signature"
sed 's/"justification": "Helplines[^"]*"/"justification": " "/' "$TMP/waivers.unsigned.json" >"$TMP/bad-waivers.json"
run_emheval check "$MINI/sub-bad" --criteria "$REPO" --waivers "$TMP/bad-waivers.json" -o "$TMP/never.json"
expect_rc 2 "a waiver without justification stops the run"
contains "$err" "bad-waivers.json:3:21: error: \"justification\" must not be empty" "file, line and column" 
check "nothing written" test ! -e "$TMP/never.json"

# ---- 5. A review chain of three revisions, in a ledger ------------------------------------------------
L=$TMP/chain.git
review() { # N DECISION WHO: a decisions file for SAFE-3, signed by WHO
	cat >"$TMP/rev$1.unsigned.json" <<JSON
{"reviews": [{"reviewer": "$3", "role": "clinical safety officer", "criterion": "SAFE-3", "version": 1,
  "decision": "$2", "rationale": "Crisis help checked on every screen.", "date": "2026-10-0$1"}]}
JSON
	"$EMHEVAL" sign-decisions --key "$TMP/$(keyof "$3").key" --reviewer "$3" "$TMP/rev$1.unsigned.json" \
		-o "$TMP/rev$1.json" 2>/dev/null
}
run_emheval check "$MINI/sub-ok" --criteria "$REPO" --rev HEAD~1 --format json -o "$TMP/r1.json" --ledger "$L"
expect_rc 1 "revision 1 filed (awaiting review of SAFE-3)"
review 2 pass "A. Byrne"
run_emheval review --reviewers "$ROLES" "$TMP/r1.json" --decisions "$TMP/rev2.json" --criteria "$REPO" -o "$TMP/r2.json" --ledger "$L"
expect_rc 0 "revision 2: approved"
review 3 fail "C. Doyle"
run_emheval review --reviewers "$ROLES" "$TMP/r2.json" --decisions "$TMP/rev3.json" --criteria "$REPO" -o "$TMP/r3.json" --ledger "$L"
expect_rc 1 "revision 3: a major manual criterion failed, rejected"
contains "$(cat "$TMP/r3.json")" '"revision": 3' "revision 3 numbered"
contains "$(cat "$TMP/r3.json")" "\"previous_digest\": \"$(sed -n 's/^  "digest": "\(.*\)",*$/\1/p' "$TMP/r2.json")\"" "revision 3 links to revision 2"
run_emheval ledger log "$L" calm
contains "$out" "revision=1 awaiting_review" "log: revision 1"
contains "$out" "revision=2 approved" "log: revision 2 (the review decided SAFE-3)"
contains "$out" "revision=3 rejected" "log: revision 3"
contains "$out" "  reviewed by A. Byrne (clinical safety officer),
    C. Doyle (clinical safety officer)" "log: revision 3's reviewers, each once, wrapped between names at 80 columns"
check "log: a filing without reviews has no reviewer line" test "$(grep -c 'reviewed by' "$TMP/out")" = 2
check "log: every line within 80 columns" test "$(awk 'length > 80' "$TMP/out" | wc -l)" = 0
check "log: three filings, continuation lines indented" test "$(grep -c '^[^ ]' "$TMP/out")" = 3
run_emheval ledger log "$L" calm --format json
check "log json: each revision's reviewers, each once" \
	jq -e '[.[] | [.revision, ([.reviewers[].reviewer] | join("+")), .reviews]] == [[1, "", 0], [2, "A. Byrne", 1],
	       [3, "A. Byrne+C. Doyle", 2]] and .[2].reviewers[1].role == "clinical safety officer"' "$TMP/out" >/dev/null
run_emheval verify "$TMP/r3.json" --criteria "$REPO" --submission "$MINI/sub-ok" --reviewers "$ROLES"
expect_rc 0 "revision 3 reproduces (evaluation plus both reviews)"
contains "$out" "ok       reviews     2 reviews signed by allowed reviewers' keys" "verify checks both reviews' signatures"
contains "$(cat "$TMP/r3.json")" "\"reviewers_commit\": \"$ROLES_COMMIT\"" "the dossier records the reviewers file's commit"
contains "$(cat "$TMP/r3.json")" "\"key_id\": \"$("$EMHEVAL" keygen --help >/dev/null 2>&1; openssl pkey -pubin -in "$TMP/doyle.pub" -outform DER | sha256sum | cut -d' ' -f1)\"" "and the signer's key id"
run_emheval review --reviewers "$ROLES" "$TMP/r1.json" --decisions "$TMP/rev3.json" --criteria "$REPO" -o "$TMP/r2b.json" --ledger "$L"
expect_rc 2 "a revision that does not follow the ledger's is refused"
check "and nothing is written" test ! -e "$TMP/r2b.json"
cat >"$TMP/bad-review.json" <<'JSON'
{"reviews": [
  {"reviewer": "R", "role": "r", "criterion": "SAFE-9", "version": 1, "decision": "pass", "rationale": "x", "date": "2026-10-02"}
]}
JSON
run_emheval review --reviewers "$ROLES" "$TMP/r1.json" --decisions "$TMP/bad-review.json" --criteria "$REPO" -o "$TMP/none.json"
expect_rc 2 "a decision on an unknown criterion"
contains "$err" "bad-review.json:2:47: error: criterion SAFE-9 is not in this dossier" "located in the decisions file"
check "nothing written for a bad decision" test ! -e "$TMP/none.json"
# Who may decide: every decision must be signed by a key of a role allowed to decide its criterion.
run_emheval review --reviewers "$ROLES" "$TMP/r1.json" --decisions "$TMP/rev2.unsigned.json" --criteria "$REPO" -o "$TMP/none.json"
expect_rc 2 "an unsigned decision is refused"
contains "$err" "rev2.unsigned.json:1:87: error: the decision on SAFE-3 by A. Byrne (role clinical safety officer) is not signed" "the unsigned decision is located and named"
OKAFOR_ID=$(openssl pkey -pubin -in "$TMP/okafor.pub" -outform DER | sha256sum | cut -d' ' -f1)
sed 's/"A. Byrne", "role": "clinical safety officer"/"T. Okafor", "role": "technical assessor"/' "$TMP/rev2.unsigned.json" >"$TMP/okafor.json"
"$EMHEVAL" sign-decisions --key "$TMP/okafor.key" --reviewer "T. Okafor" "$TMP/okafor.json" -o "$TMP/okafor.json" 2>/dev/null
run_emheval review --reviewers "$ROLES" "$TMP/r1.json" --decisions "$TMP/okafor.json" --criteria "$REPO" -o "$TMP/none.json"
expect_rc 2 "a decision signed by a role not allowed for its criterion is refused"
contains "$err" "role technical assessor may not decide SAFE-3 (domain safety); the decision is signed by key $OKAFOR_ID (T. Okafor)" "criterion, role and key named"
sed 's/"T. Okafor", "role": "technical assessor"/"A. Byrne", "role": "clinical safety officer"/' "$TMP/rev2.unsigned.json" >/dev/null
"$EMHEVAL" sign-decisions --key "$TMP/okafor.key" "$TMP/rev2.unsigned.json" -o "$TMP/stolen.json" 2>/dev/null
run_emheval review --reviewers "$ROLES" "$TMP/r1.json" --decisions "$TMP/stolen.json" --criteria "$REPO"
expect_rc 2 "a decision in Byrne's name signed with Okafor's key is refused"
contains "$err" "the decision on SAFE-3 names A. Byrne as clinical safety officer, but key $OKAFOR_ID is T. Okafor's as technical assessor" "the mismatch is named"
sed 's/Crisis help checked on every screen./Crisis help checked on most screens./' "$TMP/rev2.json" >"$TMP/tampered.json"
run_emheval review --reviewers "$ROLES" "$TMP/r1.json" --decisions "$TMP/tampered.json" --criteria "$REPO" -o "$TMP/none.json"
expect_rc 2 "a signed decision changed after signing is refused"
contains "$err" "the signature on the decision on SAFE-3 (role clinical safety officer) by key" "the broken signature is named"
contains "$err" "does not hold" "and said not to hold"
"$EMHEVAL" keygen --out "$TMP/stranger" >/dev/null 2>&1
"$EMHEVAL" sign-decisions --key "$TMP/stranger.key" "$TMP/rev2.unsigned.json" -o "$TMP/stranger.json" 2>/dev/null
run_emheval review --reviewers "$ROLES" "$TMP/r1.json" --decisions "$TMP/stranger.json" --criteria "$REPO"
expect_rc 2 "a key that is no reviewer's is refused"
contains "$err" "which is no reviewer's key in $ROLES:reviewers.json@" "the reviewers file is named"
check "no refused review wrote anything" test ! -e "$TMP/none.json"
run_emheval review "$TMP/r1.json" --decisions "$TMP/rev2.json" --criteria "$REPO"
expect_rc 2 "without --reviewers, reviewers.json beside framework.json is required"
contains "$err" "no reviewers file criteria/reviewers.json in $REPO" "the missing file is named"
git clone -q "$REPO" "$TMP/withroles"
cp "$ROLES/reviewers.json" "$TMP/withroles/criteria/reviewers.json"
git -C "$TMP/withroles" add -A && git -C "$TMP/withroles" commit -qm "reviewers beside the framework"
run_emheval review "$TMP/r1.json" --decisions "$TMP/rev2.json" --criteria "$TMP/withroles"
expect_rc 0 "reviewers.json beside framework.json is the default"
# Without -o the revision goes beside the dossier, NAME.rN.json, and nothing goes to standard output.
check "review without -o prints nothing on standard output" test ! -s "$TMP/out"
contains "$err" "wrote $TMP/r1.r2.json" "the file written is named"
check "the revision is beside the dossier as r1.r2.json" jq -e '.revision == 2' "$TMP/r1.r2.json" >/dev/null
r2sum=$(sha256sum <"$TMP/r1.r2.json")
run_emheval review "$TMP/r1.json" --decisions "$TMP/rev2.json" --criteria "$REPO" --reviewers "$TMP/withroles:criteria/reviewers.json"
expect_rc 2 "a second review does not replace the file beside the dossier"
contains "$err" "$TMP/r1.r2.json already exists: review does not replace it; name the revision with -o FILE" "the existing file is named"
check "the existing revision is untouched" test "$(sha256sum <"$TMP/r1.r2.json")" = "$r2sum"
ln -s "$TMP/nowhere" "$TMP/r1.r2.dsse.json"
mv "$TMP/r1.r2.json" "$TMP/r1.r2.kept.json"
run_emheval review "$TMP/r1.json" --decisions "$TMP/rev2.json" --criteria "$REPO" --reviewers "$ROLES" --sign-key "$TMP/k.key"
expect_rc 2 "a signed review does not replace an envelope (even a dangling symlink) beside the default file"
contains "$err" "$TMP/r1.r2.dsse.json already exists" "the envelope is named"
check "and writes no revision" test ! -e "$TMP/r1.r2.json"
rm "$TMP/r1.r2.dsse.json"
run_emheval review "$TMP/r1.json" --decisions "$TMP/rev2.json" --criteria "$REPO" --reviewers "$ROLES" --sign-key "$TMP/k.key"
expect_rc 0 "a signed review beside the dossier"
check "its envelope is beside it" test -s "$TMP/r1.r2.dsse.json" -a -s "$TMP/r1.r2.json"
run_emheval review "$TMP/r1.r2.json" --decisions "$TMP/rev3.json" --criteria "$REPO" --reviewers "$ROLES"
expect_rc 1 "a review of NAME.r2.json"
check "writes NAME.r3.json, not NAME.r2.r3.json" jq -e '.revision == 3' "$TMP/r1.r3.json" >/dev/null
run_emheval review "$TMP/r1.json" --decisions "$TMP/rev2.json" --criteria "$REPO" --reviewers "$TMP/withroles:criteria/reviewers.json" -o -
expect_rc 0 "--reviewers REPO:PATH"
check "-o - prints the revision on standard output" jq -e '.revision == 2' "$TMP/out" >/dev/null
run_emheval review "$TMP/r1.json" --decisions "$TMP/rev2.json" --criteria "$REPO" --reviewers "$ROLES" -o "$TMP/r1.r2.json"
expect_rc 0 "-o FILE names the file to replace"
# A reviewers file is strict.
cp "$ROLES/reviewers.json" "$TMP/strict-roles.json"
git init -q "$TMP/strict"
sed 's/"waives": \["minor"\]}/"waives": ["minor"], "approves": ["blocker"]}/' "$ROLES/reviewers.json" >"$TMP/strict/reviewers.json"
git -C "$TMP/strict" add -A && git -C "$TMP/strict" commit -qm strict
run_emheval review --reviewers "$TMP/strict" "$TMP/r1.json" --decisions "$TMP/rev2.json" --criteria "$REPO"
expect_rc 2 "an unknown member of the reviewers file"
contains "$err" "reviewers.json@$(git -C "$TMP/strict" rev-parse --short=12 HEAD):3:90: error: unknown member \"approves\" (at /roles/1/approves)" "located in the file at its commit"
sed 's/"role": "technical assessor", "public_key"/"role": "assessor", "public_key"/' "$ROLES/reviewers.json" >"$TMP/strict/reviewers.json"
git -C "$TMP/strict" commit -qam "unknown role"
run_emheval review --reviewers "$TMP/strict" "$TMP/r1.json" --decisions "$TMP/rev2.json" --criteria "$REPO"
expect_rc 2 "a reviewer in an unknown role"
contains "$err" 'role "assessor" is not one of the file'"'"'s "roles"' "the role is named"
# The schemas describe the reviewers file and the signed reviews in a dossier.
schema_errors() { # SCHEMA FILE
	python3 - "$1" "$2" <<'PY'
import json, sys
from jsonschema import Draft202012Validator
v = Draft202012Validator(json.load(open(sys.argv[1])))
for e in v.iter_errors(json.load(open(sys.argv[2]))):
    print("/".join(map(str, e.path)), e.message[:200])
PY
}
check "the reviewers file validates against its schema" test -z "$(schema_errors "$ROOT/schemas/reviewers.schema.json" "$ROLES/reviewers.json")"
check "a dossier with signed reviews validates against the dossier schema" test -z "$(schema_errors "$ROOT/schemas/dossier.schema.json" "$TMP/r3.json")"
check "the reviewers schema refuses an unknown member" test -n "$(schema_errors "$ROOT/schemas/reviewers.schema.json" "$TMP/strict-roles.json" ; sed 's/"waives": \["minor"\]}/"waives": ["minor"], "approves": ["blocker"]}/' "$ROLES/reviewers.json" >"$TMP/approves.json"; schema_errors "$ROOT/schemas/reviewers.schema.json" "$TMP/approves.json")"
# verify: a recorded review whose signature was altered, digest recomputed, fails.
if command -v jq >/dev/null 2>&1; then
	s1=$(jq -r '.reviews[0].signature' "$TMP/r3.json"); s2=$(jq -r '.reviews[1].signature' "$TMP/r3.json")
	sed "s|\"signature\": \"$s1\"|\"signature\": \"$s2\"|" "$TMP/r3.json" >"$TMP/r3-forged.json"
	old=$(jq -r .digest "$TMP/r3-forged.json")
	new="sha256:$(jq -cS 'del(.digest)' "$TMP/r3-forged.json" | tr -d '\n' | sha256sum | cut -d' ' -f1)"
	sed -i "s|$old|$new|" "$TMP/r3-forged.json"
	run_emheval verify "$TMP/r3-forged.json" --criteria "$REPO" --reviewers "$ROLES"
	expect_rc 1 "verify fails on a dossier whose recorded review signature was altered"
	contains "$out" "ok       digest" "the recomputed digest holds"
	contains "$out" "FAILED   reviews     review 1: the signature on the decision on SAFE-3" "the altered signature is found"
else
	fail "jq is needed to recompute a digest"
fi

sed 's/"version": 1/"version": 2/; s/SAFE-9/SAFE-3/' "$TMP/bad-review.json" >"$TMP/bad-version.json"
run_emheval review --reviewers "$ROLES" "$TMP/r1.json" --decisions "$TMP/bad-version.json" --criteria "$REPO"
expect_rc 2 "a decision on another version"
contains "$err" "bad-version.json:2:68: error: the decision is on SAFE-3 version 2, but the dossier has version 1" "the version is pointed at"
sed 's/"pass"/"maybe"/' "$TMP/rev2.json" >"$TMP/maybe.json"
run_emheval review --reviewers "$ROLES" "$TMP/r1.json" --decisions "$TMP/maybe.json" --criteria "$REPO"
expect_rc 2 "a malformed decision"
contains "$err" 'maybe.json:6:19: error: "decision" must be "pass" or "fail"' "malformed decision located"
sed 's/^  "verdict": "awaiting_review"/  "verdict": "rejected"/' "$TMP/r1.json" >"$TMP/r1-edited.json"
check "the edit changed the verdict" test "$(cmp -s "$TMP/r1.json" "$TMP/r1-edited.json"; echo $?)" = 1
run_emheval review --reviewers "$ROLES" "$TMP/r1-edited.json" --decisions "$TMP/rev2.json" --criteria "$REPO"
expect_rc 2 "an edited dossier is not reviewed"
contains "$err" "digest does not match" "edited dossier named"

# ---- 5b. Decisions that say nothing, implausible dates, controls in names (issue 17 item 21) ----------
# one_decision NAME REVIEWER ROLE RATIONALE DATE: a decisions file for SAFE-3 (JSON escapes allowed)
one_decision() {
	printf '{"reviews": [{"reviewer": "%s", "role": "%s", "criterion": "SAFE-3", "version": 1,\n  "decision": "pass", "rationale": "%s", "date": "%s"}]}\n' \
		"$2" "$3" "$4" "$5" >"$TMP/$1.json"
}
refused_decision() { # NAME MESSAGE WHAT
	run_emheval review --reviewers "$ROLES" "$TMP/r1.json" --decisions "$TMP/$1.json" --criteria "$REPO" -o "$TMP/$1.out.json"
	expect_rc 2 "$3 is refused"
	contains "$err" "$2" "$3: located error"
	check "$3: nothing written" test ! -e "$TMP/$1.out.json"
}
one_decision nbsp '\u00a0\u00a0' "clinical safety officer" "Checked." 2026-10-02
refused_decision nbsp 'nbsp.json:1:27: error: "reviewer" must not be empty (it holds only white space or invisible characters)' "a reviewer of no-break spaces"
one_decision zwsp "A. Byrne" '\u200b\ufeff' "Checked." 2026-10-02
refused_decision zwsp 'zwsp.json:1:47: error: "role" must not be empty' "a role of zero-width spaces"
one_decision emsp "A. Byrne" "clinical safety officer" '\u2003\u200b\u00ad\u3164' 2026-10-02
refused_decision emsp 'emsp.json:2:36: error: "rationale" must not be empty' "a rationale of em space, zero-width space, soft hyphen and filler"
one_decision bell 'A. \u0007Byrne' "clinical safety officer" "Checked." 2026-10-02
refused_decision bell '"reviewer" holds the control character U+0007 at byte 3' "a control character in a reviewer's name"
one_decision bidi "A. Byrne" 'clinical \u202esafety' "Checked." 2026-10-02
refused_decision bidi '"role" holds the control character U+202E' "a bidi override in a role"
one_decision nl 'A. Byrne\nCSO' "clinical safety officer" "Checked." 2026-10-02
refused_decision nl '"reviewer" holds the control character U+000A' "a line break in a name"
one_decision nul 'A. Byrne\u0000' "clinical safety officer" "Checked." 2026-10-02
refused_decision nul 'nul.json:1:' "a NUL in a name"
one_decision tabbed "A. Byrne" "clinical safety officer" 'Line one.\n\tLine two.' 2026-10-02
"$EMHEVAL" sign-decisions --key "$TMP/byrne.key" "$TMP/tabbed.json" -o "$TMP/tabbed.signed.json" 2>/dev/null
run_emheval review --reviewers "$ROLES" "$TMP/r1.json" --decisions "$TMP/tabbed.signed.json" --criteria "$REPO" -o -
expect_rc 0 "tabs and line breaks in a rationale are fine"
one_decision early "A. Byrne" "clinical safety officer" "Checked." 0001-01-01
refused_decision early 'early.json:2:56: error: "date" 0001-01-01 is not a plausible date (from 2000-01-01 to 2099-12-31)' "a review dated 0001-01-01"
one_decision late "A. Byrne" "clinical safety officer" "Checked." 9999-12-31
refused_decision late '"date" 9999-12-31 is not a plausible date' "a review dated 9999-12-31"
one_decision ahead "A. Byrne" "clinical safety officer" "Checked." 2027-10-03
refused_decision ahead 'ahead.json:2:56: error: the decision on SAFE-3 is dated 2027-10-03, more than a year after the evaluation date 2026-10-01' "a review dated more than a year after the evaluation"
sed 's/"expires": "2026-10-31"/"expires": "9999-12-31"/' "$TMP/waivers.unsigned.json" >"$TMP/forever.json"
run_emheval check "$MINI/sub-bad" --criteria "$REPO" --waivers "$TMP/forever.json" -o "$TMP/never.json"
expect_rc 2 "a waiver expiring 9999-12-31"
contains "$err" 'forever.json:4:49: error: "expires" 9999-12-31 is not a plausible date' "the expiry is located"
sed 's/"expires": "2026-10-31"/"expires": "2028-10-31"/' "$TMP/waivers.json" >"$TMP/long.json"
sign head "$TMP/long.json"
run_emheval check "$MINI/sub-bad" --criteria "$REPO" --waivers "$TMP/long.json" --reviewers "$ROLES" -o "$TMP/never.json"
expect_rc 2 "a waiver running more than a year past the evaluation date"
contains "$err" "waiver W-7 expires 2028-10-31, more than a year after the evaluation date 2026-10-01" "the waiver is named"
sed 's/"approver": "Head of Assessment"/"approver": "\\u00a0\\u2007"/' "$TMP/waivers.unsigned.json" >"$TMP/nobody.json"
run_emheval check "$MINI/sub-bad" --criteria "$REPO" --waivers "$TMP/nobody.json" -o "$TMP/never.json"
expect_rc 2 "a waiver approved by no-break spaces"
contains "$err" 'nobody.json:4:16: error: "approver" must not be empty' "the approver is located"
check "no waiver run wrote anything" test ! -e "$TMP/never.json"

# 25,000 decisions, the last repeating the first: read in one pass (a unit test counts the walk), located exactly.
awk 'BEGIN { printf "{\"reviews\": [\n"; for (i = 0; i < 25000; i++)
	printf "{\"reviewer\": \"R\", \"role\": \"r\", \"criterion\": \"C-%d\", \"version\": 1, \"decision\": \"pass\", \"rationale\": \"x\", \"date\": \"2026-10-02\"},\n", i;
	printf "{\"reviewer\": \"R\", \"role\": \"r\", \"criterion\": \"C-0\", \"version\": 1, \"decision\": \"pass\", \"rationale\": \"x\", \"date\": \"2026-10-02\"}\n]}\n" }' >"$TMP/many.json"
run_emheval review --reviewers "$ROLES" "$TMP/r1.json" --decisions "$TMP/many.json" --criteria "$REPO"
expect_rc 2 "25,001 decisions with a repeat"
contains "$err" "many.json:25002:45: error: a second decision on C-0 in one file (the first is at line 2)" "the repeat is located"

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
