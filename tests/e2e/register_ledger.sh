#!/bin/bash
# register_ledger.sh DIR - makes the ledger the register tests read, with the real CLI (test_register.sh and
# tests/browser/run.sh): the example submissions evaluated at five dates into a signed ledger, copies filed
# under hostile app ids (path traversal, markup), review rounds that approve three apps (calm breath as of
# 2026-09-14, mindstep and teen talk as of 2026-12-01), and one filing under a newer criteria release (a copy
# of the criteria whose framework version is 9.0.0, tagged next). Writes DIR/{crit,roles,ledger,reg.key,...}.
set -eu
: "${EMHEVAL:?set EMHEVAL to the emheval binary}"
DIR=$1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t \
       GIT_COMMITTER_EMAIL=t@example.org
mkdir -p "$DIR"
cd "$DIR"
# The criteria: this checkout's, in a repository of their own.
git init -q crit
cp -R "$ROOT/criteria" crit/criteria
git -C crit add -A && git -C crit commit -qm "criteria"
"$EMHEVAL" keygen --out reg >/dev/null
"$EMHEVAL" keygen --out rev >/dev/null
git init -q roles
cat >roles/reviewers.json <<JSON
{"roles": [{"name": "assessor", "decides": ["*"], "waives": ["blocker", "major", "minor", "advisory"]}],
 "reviewers": [{"name": "R. Assessor", "role": "assessor", "public_key": "$(sed -n 2p rev.pub)"}]}
JSON
git -C roles add -A && git -C roles commit -qm "who may decide"

# Hostile app ids: copies of a rejected example that try to climb out of the site and to become markup.
mkdir -p subs
i=0
for id in '../../../../tmp/escaped' '<script>window.pwned=1</script>' '.git' '%2e%2e%2fx" onmouseover="window.pwned=1'; do
	i=$((i + 1))
	cp -R "$ROOT/submissions/04-moodshare-ads" "subs/hostile-$i"
	jq --arg id "$id" '.app.id = $id' "$ROOT/submissions/04-moodshare-ads/submission.json" >"subs/hostile-$i/submission.json"
done

ev() { # AS_OF OUT PATH...: evaluate, sign and file; exit 1 (not approved) is expected
	local as_of=$1 out=$2
	shift 2
	"$EMHEVAL" evaluate -q --out "$out" --as-of "$as_of" --criteria crit --sign-key reg.key --ledger ledger "$@" \
		>/dev/null || [ $? = 1 ]
}
for d in 2026-09-14 2026-10-01 2026-10-15 2026-11-01; do ev "$d" "out-$d" "$ROOT/submissions"; done
ev 2026-11-01 out-hostile subs
# Calm Breath's newest evaluation is as of 2026-09-14; the others' as of 2026-12-01.
ev 2026-12-01 out-2026-12-01 $(ls -d "$ROOT"/submissions/*/ | grep -v 01-calm-breath)
ev 2026-09-14 out-calm "$ROOT/submissions/01-calm-breath"

review() { # DOSSIER: every decision awaited, passed by the assessor, as the next revision in the ledger
	local d=$1 n
	n=$(basename "$d" .json)
	jq --arg d "$(jq -r .as_of "$d")" '{reviews: [.results[] | select(.outcome == "needs_review") |
		{reviewer: "R. Assessor", role: "assessor", criterion: .id, version: .version, decision: "pass",
		 rationale: "Read and found adequate.", date: $d}]}' "$d" >"dec-$n.json"
	"$EMHEVAL" sign-decisions --key rev.key "dec-$n.json" -o "dec-$n.json" 2>/dev/null
	"$EMHEVAL" review "$d" --decisions "dec-$n.json" --reviewers roles --criteria crit --sign-key reg.key \
		-o "rev-$n.json" --ledger ledger >/dev/null 2>&1 || [ $? = 1 ]
}
review out-calm/01-calm-breath.json
review out-2026-12-01/02-mindstep-cbt.json
review out-2026-12-01/03-teen-talk.json

# A newer criteria release (framework version 9.0.0), and one app filed under it.
jq '.version = "9.0.0"' crit/criteria/framework.json >crit/fw.json && mv crit/fw.json crit/criteria/framework.json
git -C crit commit -qam "criteria 9.0.0" && git -C crit tag next
ev 2026-12-01 out-next "$ROOT/submissions/06-secure-late"
