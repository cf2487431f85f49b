#!/bin/bash
# Submissions stored in the ledger beside their dossiers (docs/audit.md, "Stored submissions") and what `due`
# does with them (docs/register.md): `ledger add --submission` stores each file once by SHA-256, withheld
# documents stay out and are reported as withheld, a tampered or removed stored file fails `ledger verify` with
# its path and both hashes, hostile file names in submission.json never reach the ledger, and `due` reads the
# exact certificate expiry from the stored submission and re-evaluates filed submissions under a newer criteria
# release (one app no longer passes, the other still does).
SUITE=ledger_store
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1
make_repo crit "$ROOT/criteria"
"$EMHEVAL" keygen --out reg >/dev/null
"$EMHEVAL" keygen --out rev >/dev/null
git init -q roles
cat >roles/reviewers.json <<JSON
{"roles": [{"name": "assessor", "decides": ["*"], "waives": ["blocker", "major", "minor", "advisory"]}],
 "reviewers": [{"name": "R. Assessor", "role": "assessor", "public_key": "$(sed -n 2p rev.pub)"}]}
JSON
git -C roles add -A && git -C roles commit -qm "who may decide"
CALM=$ROOT/submissions/01-calm-breath
MIND=$ROOT/submissions/02-mindstep-cbt

file_approved() { # NAME DIR AS_OF [LEDGER]: check, file, review (every awaited decision passed) into the ledger
	local n=$1 dir=$2 as_of=$3 lg=${4:-lg}
	"$EMHEVAL" check "$dir" --criteria crit --as-of "$as_of" --format json -o "$n.json" --sign-key reg.key \
		--ledger "$lg" >/dev/null 2>&1
	jq --arg d "$as_of" '{reviews: [.results[] | select(.outcome == "needs_review") |
		{reviewer: "R. Assessor", role: "assessor", criterion: .id, version: .version, decision: "pass",
		 rationale: "Read and found adequate.", date: $d}]}' "$n.json" >"dec-$n.json"
	"$EMHEVAL" sign-decisions --key rev.key "dec-$n.json" -o "dec-$n.json" 2>/dev/null
	"$EMHEVAL" review "$n.json" --decisions "dec-$n.json" --reviewers roles --criteria crit --sign-key reg.key \
		-o "rev-$n.json" --ledger "$lg" >/dev/null 2>&1
}
file_approved calm "$CALM" 2026-09-14
file_approved mind "$MIND" 2026-12-01
check "calm breath is approved after review" test "$(jq -r .verdict rev-calm.json)" = approved
check "mindstep is approved after review" test "$(jq -r .verdict rev-mind.json)" = approved
commits=$(git --git-dir=lg rev-list --count HEAD)

# ---- storing ----------------------------------------------------------------------------------------------
run_emheval ledger add lg rev-calm.json --submission "$CALM" --withhold dpia,pentest-summary.md --sign-key reg.key
expect_rc 0 "ledger add --submission stores the submission of a dossier the ledger holds"
contains "$out" "filed rev-calm.json (signed) with its submission" "it says what it filed"
check "one commit more" test "$(git --git-dir=lg rev-list --count HEAD)" = $((commits + 1))
tree=$(git --git-dir=lg ls-tree -r --name-only HEAD)
calmdir=dossiers/uk.co.lanternwellbeing.calmbreath/3.2.0
contains "$tree" "$calmdir/submission.manifest.json" "the manifest sits beside the dossier"
sub_sha=$(sha256sum "$CALM/submission.json" | cut -d' ' -f1)
contains "$tree" "objects/sha256/${sub_sha:0:2}/${sub_sha:2}" "submission.json is stored by its SHA-256"
pp_sha=$(sha256sum "$CALM/privacy-policy.md" | cut -d' ' -f1)
check "a stored file holds exactly its bytes" cmp -s "$CALM/privacy-policy.md" \
	<(git --git-dir=lg cat-file -p "HEAD:objects/sha256/${pp_sha:0:2}/${pp_sha:2}")
pt_sha=$(sha256sum "$CALM/pentest-summary.md" | cut -d' ' -f1)
dp_sha=$(sha256sum "$CALM/dpia-summary.md" | cut -d' ' -f1)
case "$tree" in *"${pt_sha:2}"* | *"${dp_sha:2}"*) fail "a withheld document was stored" ;; *) pass ;; esac
check "nothing but dossiers, manifests and objects in the ledger" \
	test -z "$(printf '%s\n' "$tree" | grep -Ev '^(dossiers/[^/]+/[^/]+/(dossier\.json|dossier\.dsse\.json|submission\.manifest\.json)|objects/sha256/[0-9a-f]{2}/[0-9a-f]{62})$')"
manifest=$(git --git-dir=lg cat-file -p "HEAD:$calmdir/submission.manifest.json")
contains "$manifest" '"path": "pentest-summary.md"' "the manifest lists the withheld file"
contains "$(printf '%s' "$manifest" | jq -r '.files[] | select(.path == "pentest-summary.md") | .stored')" withheld \
	"as withheld"
run_emheval ledger verify lg --pubkey reg.pub
expect_rc 0 "the ledger with a stored submission verifies"
contains "$out" "submission stored: 11 files, withheld: dpia-summary.md, pentest-summary.md" \
	"withheld files are reported as withheld, not as tampered"
run_emheval ledger log lg
check "storing a submission is no new filing in the log" test "$(printf '%s\n' "$out" | grep -c '^[^ ]')" = "$commits"
run_emheval ledger add lg rev-calm.json --submission "$CALM" --withhold dpia,pentest-summary.md --sign-key reg.key
contains "$out" "already filed" "storing the same again adds nothing"
run_emheval ledger add lg rev-mind.json --submission "$CALM"
expect_rc 2 "another app's submission is refused"
contains "$err" "is not the submission the dossier was made from" "and says why"
cp -R "$MIND" mind-edited
echo "edited after the evaluation" >>mind-edited/privacy-policy.md
run_emheval ledger add lg rev-mind.json --submission mind-edited
expect_rc 2 "a submission whose file changed since the evaluation is refused"
contains "$err" "privacy-policy.md" "naming the file"
run_emheval ledger add lg rev-calm.json rev-mind.json --submission "$CALM"
expect_rc 2 "--submission with two dossiers is a usage error"
run_emheval ledger add lg rev-mind.json --withhold x
expect_rc 2 "--withhold without --submission is a usage error"
check "refused filings commit nothing" test "$(git --git-dir=lg rev-list --count HEAD)" = $((commits + 1))
run_emheval ledger add lg rev-mind.json --submission "$MIND" --sign-key reg.key
expect_rc 0 "mindstep's submission is stored (all of it)"

# ---- hostile file names ---------------------------------------------------------------------------------
mkdir -p hostile/pack
cp -R "$CALM"/. hostile/pack/
echo "secret outside the submission" >hostile/secret.md
ln -s ../secret.md hostile/pack/link.md
s=$(sha256sum hostile/secret.md | cut -d' ' -f1)
# A path that climbs out or is absolute is refused when the submission is read: nothing to evaluate or store.
for p in ../secret.md /etc/passwd ./../pack/../secret.md; do
	jq --arg s "$s" --arg p "$p" '.evidence += [{kind: "other", path: $p, sha256: $s}]' "$CALM/submission.json" \
		>hostile/pack/submission.json
	run_emheval check hostile/pack --criteria crit --as-of 2026-09-14 --format json -o hostile.json
	expect_rc 2 "the path $p is refused"
	run_emheval ledger add lg rev-calm.json --submission hostile/pack
	expect_rc 2 "a pack with the path $p is not stored"
done
# A symlink is refused when read (symlinks are never followed), so a pack holding one is neither evaluated nor
# stored; nor is one whose file was swapped for a symlink to the same bytes after the evaluation.
jq --arg s "$s" '.evidence += [{kind: "other", path: "link.md", sha256: $s}]' "$CALM/submission.json" \
	>hostile/pack/submission.json
run_emheval check hostile/pack --criteria crit --as-of 2026-09-14 --format json -o hostile.json
expect_rc 2 "a symlink leaving the folder is refused"
cp -R "$CALM" swapped
cp "$CALM/hazard-log.md" hostile/hazard-log.md
rm swapped/hazard-log.md && ln -s "$TMP/hostile/hazard-log.md" swapped/hazard-log.md
run_emheval ledger add lg rev-calm.json --submission swapped
expect_rc 2 "a file swapped for a symlink after the evaluation is not stored"
contains "$err" "symlink" "and says it is a symlink"
check "hostile packs commit nothing" test "$(git --git-dir=lg rev-list --count HEAD)" = $((commits + 2))
htree=$(git --git-dir=lg ls-tree -r --name-only HEAD)
case "$htree" in *"${s:2}"* | *secret* | *passwd* | *link.md* | *..*) fail "a hostile file reached the ledger" ;; *) pass ;; esac
check "nothing written beside the ledger" test ! -e lg/secret.md -a ! -e lg/link.md

# ---- tampering ------------------------------------------------------------------------------------------
# Rewrites the head commit with FILE replaced by BYTES (or removed when BYTES is -), keeping its message.
rewrite_head() { # LEDGER PATH BYTES
	local lg=$1 path=$2 idx=$TMP/idx.$$ tree new
	rm -f "$idx"
	GIT_INDEX_FILE=$idx git --git-dir="$lg" read-tree HEAD
	if [ "$3" = - ]; then
		printf '0 %s\t%s\n' 0000000000000000000000000000000000000000 "$path" |
			GIT_INDEX_FILE=$idx git --git-dir="$lg" update-index --index-info
	else
		GIT_INDEX_FILE=$idx git --git-dir="$lg" update-index --add --cacheinfo \
			"100644,$(printf '%s' "$3" | git --git-dir="$lg" hash-object -w --stdin),$path"
	fi
	tree=$(GIT_INDEX_FILE=$idx git --git-dir="$lg" write-tree)
	new=$(git --git-dir="$lg" log -1 --format=%B HEAD | git --git-dir="$lg" commit-tree "$tree" -p HEAD~1)
	git --git-dir="$lg" update-ref refs/heads/main "$new"
	rm -f "$idx"
}
mkdir -p t1 t2
git clone -q --bare lg t1/lg
# Mindstep's storing is the head: tamper with the submission.json it stored.
hs=$(jq -r .submission.sha256 rev-mind.json)
rewrite_head t1/lg "objects/sha256/${hs:0:2}/${hs:2}" "tampered"
run_emheval ledger verify t1/lg
expect_rc 1 "a tampered stored file fails ledger verify"
contains "$out" "objects/sha256/${hs:0:2}/${hs:2} was tampered with: expected sha256 $hs, it holds $(printf tampered | sha256sum | cut -d' ' -f1)" \
	"naming the file, the expected and the actual hash"
run_emheval due t1/lg --as-of 2027-06-01 --within 0 --criteria crit
expect_rc 2 "due refuses to evaluate a stored submission that does not match its hash"
contains "$err" "is not what its hash says" "and says so"
git clone -q --bare lg t2/lg
ph=$(jq -r '.submission.evidence[] | select(.path == "hazard-log.md") | .sha256' rev-calm.json)
# hazard-log.md is calm's (stored by an earlier commit); remove it in the head.
rewrite_head t2/lg "objects/sha256/${ph:0:2}/${ph:2}" -
run_emheval ledger verify t2/lg
expect_rc 1 "a stored file removed later fails ledger verify"
contains "$out" "deletes stored object objects/sha256/${ph:0:2}/${ph:2}" "naming the removed object"

# ---- due: exact dates and a newer release, from the stored submissions --------------------------------------
# A ledger where both approved apps are stored whole.
file_approved calm "$CALM" 2026-09-14 lg2
file_approved mind "$MIND" 2026-12-01 lg2
"$EMHEVAL" ledger add lg2 rev-calm.json --submission "$CALM" --sign-key reg.key >/dev/null
"$EMHEVAL" ledger add lg2 rev-mind.json --submission "$MIND" --sign-key reg.key >/dev/null
# Calm Breath's Cyber Essentials certificate expires on 2027-05-17 (checked with "after": "@as_of"): the dossier
# cannot say when, the stored submission can. It passes up to 2027-05-16.
run_emheval due lg2 --as-of 2027-06-01 --within 0 --criteria crit --format json
expect_rc 1 "due: something is due"
ce=$(printf '%s' "$out" | jq -c '[.due[] | select(.criterion == "DTAC-C3-CE") | {app_id, valid_until, status}]')
check "the certificate's exact last day, on calm breath only ($ce)" test "$ce" = \
	'[{"app_id":"uk.co.lanternwellbeing.calmbreath","valid_until":"2027-05-16","status":"lapsed"}]'
contains "$out" "evaluated again from the submission stored in the ledger, it holds until 2027-05-16 and fails from 2027-05-17" \
	"it says where the date comes from"
run_emheval due lg2 --as-of 2027-04-01 --within 60 --criteria crit --format json
ce=$(printf '%s' "$out" | jq -r '.due[] | select(.criterion == "DTAC-C3-CE") | .status + " " + .valid_until')
check "lapsing within the window ($ce)" test "$ce" = "lapsing 2027-05-16"
run_emheval due lg --as-of 2027-06-01 --within 0 --criteria crit --format json
ce=$(printf '%s' "$out" | jq -r '.due[] | select(.criterion == "DTAC-C3-CE" and .app_id == "com.mindsteptherapeutics.cbt") | .valid_until')
check "exact dates need the stored submission only: mindstep's certificate (2027-06-07) is not yet due ($ce)" test -z "$ce"

# A newer release (framework 9.0.0) whose Cyber Essentials criterion wants a certificate valid after 2027-06-01:
# calm breath's (2027-05-17) no longer passes, mindstep's (2027-06-07) does.
jq '.version = "9.0.0"' crit/criteria/framework.json >fw.json && mv fw.json crit/criteria/framework.json
jq '.version = 3 | (.check.and[] | select(.path == "/security/cyber_essentials/expiry_date")).after = "2027-06-01"' \
	crit/criteria/security/DTAC-C3-CE.json >ce.json && mv ce.json crit/criteria/security/DTAC-C3-CE.json
git -C crit commit -qam "criteria 9.0.0" && git -C crit tag next
run_emheval due lg2 --as-of 2027-01-01 --within 0 --criteria crit --rev next --format json
expect_rc 1 "due under the newer release: something is due"
crit_items=$(printf '%s' "$out" | jq -c '[.due[] | select(.kind == "criteria") | .app_id]')
check "only the app that no longer passes is listed ($crit_items)" test "$crit_items" = '["uk.co.lanternwellbeing.calmbreath"]'
detail=$(printf '%s' "$out" | jq -r '.due[] | select(.kind == "criteria") | .detail')
contains "$detail" "evaluated again under 9.0.0 from the submission stored in the ledger" "it was re-evaluated"
contains "$detail" "DTAC-C3-CE" "naming the criterion that no longer passes"
contains "$detail" "-> " "and the new verdict"
run_emheval due lg --as-of 2027-01-01 --within 0 --criteria crit --rev next --format json
d=$(printf '%s' "$out" | jq -r '.due[] | select(.kind == "criteria" and .app_id == "uk.co.lanternwellbeing.calmbreath") | .detail')
contains "$d" "cannot re-evaluate, documents were withheld from the ledger" "withheld documents: no re-evaluation"
run_emheval due lg2 --as-of 2027-01-01 --within 0 --criteria crit --rev next
expect_rc 1 "text format too"
contains "$out" "no longer passes" "in text"

summary
