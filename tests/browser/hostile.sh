#!/bin/bash
# hostile.sh DIR - makes untrusted input for the report tests (tests/e2e/test_report.sh and run.sh here):
#   DIR/repo          a git repository whose criteria/ is tests/data/mini/criteria with markup, quotes and
#                     control characters in every text a criterion carries (titles, messages, fixes, guidance,
#                     references, category titles, framework name)
#   DIR/sub           a submission with the same in every string field, and evidence files (their names
#                     hostile too) holding the same with raw C0/C1 controls and noncharacters on the line the
#                     criteria quote in a finding, and invalid UTF-8
#   DIR/sub-utf8      the same, but the quoted policy is not UTF-8 (an error outcome naming the file)
#   DIR/dossier.json  a saved dossier with hostile text in every string field the model has, reviews and
#                     waivers included
# The payload tries: HTML/XML injection (<script>, an <img onerror>, an attribute break-out, a CDATA end, a
# comment), terminal escapes (ESC [, OSC with BEL, 8-bit CSI), a forged GitHub workflow command after a line
# break, Markdown links, emphasis, tables and mentions, bidi overrides and noncharacters.
set -eu
DIR=$1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$DIR"

# As a JSON string body (escapes for the controls; the JSON files stay valid UTF-8).
P='<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\" id=pwned> \" x-injected=\"1\" '"'"' & ]]> <!-- \u001b[31mRED\u001b]0;owned\u0007 \r\n::error file=x::forged %0A ${{ secrets.TOKEN }} @everyone | **bold** [link](javascript:alert(1)) \u202eevil \u0085 \u009b31m \u2028 \ufffe'

# Criteria: the mini set, with every text replaced.
crit=$DIR/repo/criteria
mkdir -p "$DIR/repo"
git init -q "$DIR/repo"
cp -R "$ROOT/tests/data/mini/criteria" "$crit"
for f in "$crit"/*/*.json; do
	sed -i -E "s|\"(title\|fail_message\|remediation\|guidance)\": \"[^\"]*\"|\"\\1\": \"\\1 $(printf '%s' "$P" | sed 's/[\\&|]/\\&/g')\"|" "$f"
	sed -i -E "s|\"references\": \[[^]]*\]|\"references\": [\"ref $(printf '%s' "$P" | sed 's/[\\&|]/\\&/g')\"]|" "$f"
done
sed -i -E "s|\"name\": \"[^\"]*\"|\"name\": \"framework $(printf '%s' "$P" | sed 's/[\\&|]/\\&/g')\"|; s|\"title\": \"Secure data\"|\"title\": \"category $(printf '%s' "$P" | sed 's/[\\&|]/\\&/g')\"|" "$crit/framework.json"
git -C "$DIR/repo" -c user.name=t -c user.email=t@example.org add -A
git -C "$DIR/repo" -c user.name=t -c user.email=t@example.org commit -qm "hostile criteria"

# The evidence files. PRIV-2 quotes the line where "share ... advertisers" matches, so the raw controls
# around it (valid UTF-8: ESC, BEL, CR, U+009B, U+FFFE) land in a finding's excerpt. The evaluator refuses
# to read text that is not UTF-8 (an error outcome naming the file), so the invalid bytes live in a second
# file whose name and hash reach every output.
sub=$DIR/sub
mkdir -p "$sub"
ev='policy <b>&"x,y:%0A.md'
ev2='app<i>text\x1b.md'
{
	printf 'Privacy policy <script>window.pwned=3</script>\n'
	printf '<img src=x onerror="window.pwned=4"> \033[2J\033]0;owned\007 \xc2\x9b31m \xef\xbf\xbe \x7f we share usage data with advertisers ]]> <!-- \r\n::error::forged\n'
	printf '%s\n' '| **bold** [x](javascript:alert(1)) @everyone'
} >"$sub/$ev"
printf 'In-app text \xff\xfe\xc0\x80 \x9b31m <script>window.pwned=5</script>\n' >"$sub/$ev2"
sum=$(sha256sum <"$sub/$ev" | cut -d' ' -f1)
sum2=$(sha256sum <"$sub/$ev2" | cut -d' ' -f1)
evj=$(printf '%s' "$ev" | sed 's/\\/\\\\/g; s/"/\\"/g')
ev2j=$(printf '%s' "$ev2" | sed 's/\\/\\\\/g; s/"/\\"/g')
cat >"$sub/submission.json" <<JSON
{
  "schema": "emheval/submission/1",
  "submission_date": "2026-10-01",
  "app": {"id": "id $P", "name": "name $P", "version": "version $P"},
  "risk_tier": "A",
  "data_protection": {"retention_months": 48},
  "crisis_support": {"signposting": true, "helplines": [{"number": "number $P"}]},
  "security": {"pen_test_date": "2025-09-30"},
  "evidence": [{"kind": "privacy_policy", "path": "$evj", "sha256": "$sum"},
               {"kind": "app_text", "path": "$ev2j", "sha256": "$sum2"}]
}
JSON
# The same with the invalid bytes in the policy itself: PRIV-2 is an error naming the file.
cp -R "$sub" "$DIR/sub-utf8"
cp "$sub/$ev2" "$DIR/sub-utf8/$ev"
sed -i "s/$sum/$sum2/" "$DIR/sub-utf8/submission.json"

# A saved dossier with every string field hostile (it is only rendered, never verified).
cat >"$DIR/dossier.json" <<JSON
{
  "as_of": "as_of $P",
  "criteria": {"commit": "commit $P", "framework": {"name": "fw $P", "version": "fwv $P"}, "path": "path $P",
               "repository": "repo $P", "rev": "rev $P", "tree": "tree $P"},
  "digest": "digest $P",
  "format": "emheval/dossier/2",
  "previous_digest": "prev $P",
  "results": [
    {"domain": "domain $P", "findings": [
       {"column": 3, "excerpt": "excerpt $P", "expected": "expected $P", "file": "file $P", "found": "\"found $P\"",
        "line": 2, "offset": 9},
       {"column": 7, "expected": "expected $P", "found": "found $P", "line": 4, "offset": 30, "pointer": "/pointer $P"}],
     "guidance": "guidance $P", "id": "id $P", "kind": "check", "message": "message $P", "outcome": "fail",
     "provenance": "prov $P", "reason": "reason $P", "references": ["ref $P"], "remediation": "fix $P",
     "severity": "blocker", "title": "title $P", "version": 1},
    {"domain": "domain2 $P", "id": "id2 $P", "kind": "manual", "outcome": "waived", "references": [],
     "remediation": "fix $P", "severity": "minor", "title": "title2 $P", "version": 1},
    {"domain": "domain $P", "guidance": "guidance $P", "id": "id3 $P", "kind": "manual", "outcome": "needs_review",
     "reason": "reason $P", "references": [], "severity": "major", "title": "title3 $P", "version": 1},
    {"domain": "domain $P", "id": "id4 $P", "kind": "check", "outcome": "error", "reason": "reason $P",
     "references": [], "remediation": "fix $P", "severity": "advisory", "title": "title4 $P", "version": 1},
    {"domain": "domain2 $P", "id": "id5 $P", "kind": "check", "outcome": "pass", "references": [],
     "severity": "major", "title": "title5 $P", "version": 1}
  ],
  "reviews": [{"criterion": "id3 $P", "date": "date $P", "decision": "pass", "rationale": "why $P",
               "reviewer": "reviewer $P", "role": "role $P", "version": 1}],
  "revision": 2,
  "scores": [{"category": "cat $P", "score": 50, "title": "score $P"}, {"category": "c2", "score": null, "title": "t2 $P"}],
  "submission": {"evidence": [{"declared_sha256": "decl $P", "kind": "kind $P", "path": "evpath $P", "problem": "problem $P",
                               "sha256": "sha $P", "status": "mismatch"}],
                 "id": "sid $P", "name": "name $P", "sha256": "subsha $P", "tier": "tier $P", "version": "ver $P"},
  "tool": {"name": "emheval", "version": "tool $P"},
  "verdict": "rejected",
  "profiles": [{"id": "profile $P", "title": "ptitle $P", "verdict": "rejected", "criteria": ["id $P", "id3 $P"],
                "returned": ["evidence evpath $P: mismatch"], "rejected": ["id $P"], "incomplete": ["inc $P"],
                "awaiting_review": ["id3 $P"],
                "conditions": [{"criterion": "cond $P", "severity": "minor", "fix": "cfix $P", "due": "due $P"}]}],
  "waivers": [{"approver": "approver $P", "criterion": "id2 $P", "expires": "exp $P", "id": "wid $P",
               "justification": "just $P", "scope": {"app_id": "app $P", "app_version": "appv $P"}, "status": "applied"}]
}
JSON
