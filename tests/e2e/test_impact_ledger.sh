#!/bin/bash
# `impact --ledger` (docs/register.md, docs/gate.md): the submissions stored in a ledger beside each app's newest
# filing are evaluated again with the criteria of two revisions, and the report (text, markdown, json) says which
# filed apps' verdicts flip, with impact's --fail-on rules. Two apps are filed with their submissions, one
# without; a tightened Cyber Essentials criterion (the certificate must be valid after 2027-06-01) flips exactly
# Calm Breath (its certificate expires on 2027-05-17), and the app without a stored submission is listed as not
# re-evaluable, never skipped.
SUITE=impact_ledger
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1
make_repo crit "$ROOT/criteria"
git -C crit tag base
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
TEEN=$ROOT/submissions/03-teen-talk

file_approved() { # NAME DIR AS_OF: check, file, review (every awaited decision passed) into the ledger lg
	local n=$1 dir=$2 as_of=$3
	"$EMHEVAL" check "$dir" --criteria crit --as-of "$as_of" --format json -o "$n.json" --sign-key reg.key \
		--ledger lg >/dev/null 2>&1
	jq --arg d "$as_of" '{reviews: [.results[] | select(.outcome == "needs_review") |
		{reviewer: "R. Assessor", role: "assessor", criterion: .id, version: .version, decision: "pass",
		 rationale: "Read and found adequate.", date: $d}]}' "$n.json" >"dec-$n.json"
	"$EMHEVAL" sign-decisions --key rev.key "dec-$n.json" -o "dec-$n.json" 2>/dev/null
	"$EMHEVAL" review "$n.json" --decisions "dec-$n.json" --reviewers roles --criteria crit --sign-key reg.key \
		-o "rev-$n.json" --ledger lg >/dev/null 2>&1
}
file_approved calm "$CALM" 2026-09-14
file_approved mind "$MIND" 2026-12-01
"$EMHEVAL" check "$TEEN" --criteria crit --as-of 2026-10-01 --format json -o teen.json --sign-key reg.key \
	--ledger lg >/dev/null 2>&1
check "calm breath is approved after review" test "$(jq -r .verdict rev-calm.json)" = approved
check "mindstep is approved after review" test "$(jq -r .verdict rev-mind.json)" = approved
"$EMHEVAL" ledger add lg rev-calm.json --submission "$CALM" --sign-key reg.key >/dev/null
"$EMHEVAL" ledger add lg rev-mind.json --submission "$MIND" --sign-key reg.key >/dev/null
teen_id=$(jq -r .submission.id teen.json)

# The same revision twice: nothing changes, every stored submission is evaluated, teen talk is listed.
run_emheval impact --ledger lg --criteria crit --from base --to base --fail-on any-change
expect_rc 0 "the same criteria twice change nothing (--fail-on any-change)"
contains "$out" "filings: 2 evaluated, 0 changed (0 verdicts, 0 newly rejected), 1 not re-evaluable" "the summary counts"
contains "$out" "  $teen_id $(jq -r .submission.version teen.json) (ledger filing 5): not re-evaluable" \
	"the filing without a stored submission is listed"
contains "$out" "not re-evaluable (submission not stored)" "saying why"

# Tighten DTAC-C3-CE: the Cyber Essentials certificate must be valid after 2027-06-01.
jq '.version = 3 | (.check.and[] | select(.path == "/security/cyber_essentials/expiry_date")).after = "2027-06-01"' \
	crit/criteria/security/DTAC-C3-CE.json >ce.json && mv ce.json crit/criteria/security/DTAC-C3-CE.json
git -C crit commit -qam "tighten Cyber Essentials" && git -C crit tag tight

run_emheval impact --ledger lg --criteria crit --from base --to tight --format json
expect_rc 0 "without --fail-on the report is only a report"
printf '%s' "$out" >impact.json
check "the json report parses" jq -e .summary impact.json >/dev/null
flipped=$(jq -c '[.submissions[] | select(.changed) | {path, verdict_from, verdict_to}]' impact.json)
check "exactly calm breath flips ($flipped)" test "$flipped" = \
	'[{"path":"uk.co.lanternwellbeing.calmbreath 3.2.0 (ledger filing 2)","verdict_from":"approved","verdict_to":"rejected"}]'
check "because of DTAC-C3-CE" test "$(jq -r '.submissions[] | select(.changed) | .changes[].criterion' impact.json)" = DTAC-C3-CE
check "mindstep is evaluated and unchanged" test "$(jq -r '.submissions[] | select(.path | startswith("com.mindsteptherapeutics.cbt")) | .verdict_to + " " + (.changed | tostring)' impact.json)" = "approved false"
check "teen talk is not re-evaluable" test "$(jq -r --arg id "$teen_id" '.submissions[] | select(.path | startswith($id)) | .not_reevaluable' impact.json)" = "submission not stored"
check "the summary counts it" test "$(jq -c '.summary | [.submissions, .changed, .newly_rejected, .not_reevaluable]' impact.json)" = "[3,1,1,1]"
check "the ledger is named" test "$(jq -r .ledger impact.json)" = lg
check "the criteria change is reported" test "$(jq -r '.criteria[].id' impact.json)" = DTAC-C3-CE

run_emheval impact --ledger lg --criteria crit --from base --to tight --fail-on newly-rejected
expect_rc 1 "--fail-on newly-rejected: calm breath becomes rejected"
contains "$out" "uk.co.lanternwellbeing.calmbreath 3.2.0 (ledger filing 2): approved -> rejected" "text names the flip"
contains "$out" "DTAC-C3-CE [" "and the criterion"

run_emheval impact --ledger lg --criteria crit --from base --to tight --format markdown
expect_rc 0 "markdown"
contains "$out" "#### Filings that could not be evaluated again" "markdown lists the filings not re-evaluated"
contains "$out" "not re-evaluable (submission not stored)" "with the reason"
contains "$out" '**1 of 2 submissions change: 1 verdict, 1 newly rejected.** 1 not re-evaluable.' "markdown summary"

# Usage: PATHs and --ledger together, and no ledger at all.
run_emheval impact --ledger lg "$CALM" --criteria crit --from base --to tight
expect_rc 2 "PATHs with --ledger is a usage error"
run_emheval impact --ledger nowhere --criteria crit --from base --to tight
expect_rc 2 "no ledger at the path"
summary
