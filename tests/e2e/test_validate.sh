#!/bin/bash
# The engine validates a submission exactly as schemas/submission.schema.json
# says: python3-jsonschema (Draft 2020-12, with format checking) and
# `emheval check` run over the same corpus, tests/data/validate/ (each file's
# name says what it tests: good-* validate, bad-* do not), and must agree on
# valid or invalid and, for invalid, on where (the JSON pointers). Then the
# cases issue 11 names, as a vendor would meet them.
SUITE=validate
. "$(dirname "$0")/lib.sh"
REPO=$TMP/repo
make_repo "$REPO" "$ROOT/criteria"
DATA=$ROOT/tests/data/validate

# One line per case: NAME valid|invalid POINTER... (sorted), from the schema.
python3 - "$ROOT/schemas/submission.schema.json" "$DATA"/*.json >"$TMP/schema.txt" <<'PY'
import json, os, sys
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
schema = json.load(open(sys.argv[1]))
v = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
for path in sys.argv[2:]:
    doc = json.load(open(path))
    errs = list(v.iter_errors(doc))
    ptrs = sorted({"/" + "/".join(str(t) for t in best_match([e]).absolute_path) for e in errs})
    ptrs = [p if p != "/" else "(root)" for p in ptrs]
    print(os.path.basename(path), "invalid" if errs else "valid", *ptrs)
PY
while read -r name verdict ptrs; do
	# Each case as a folder's submission.json: a bare JSON file may list no evidence (docs/security.md).
	rm -rf "$TMP/case" && mkdir -p "$TMP/case" && cp "$DATA/$name" "$TMP/case/submission.json"
	"$EMHEVAL" check --criteria "$REPO" "$TMP/case" >/dev/null 2>"$TMP/err"
	rc=$?
	mine=$(grep -v ': warning: ' "$TMP/err" | sed -n -e 's/.* (at \(\/[^)]*\))$/\1/p;t' -e 's/.*/(root)/p' | sort -u | tr '\n' ' ' | sed 's/ $//')
	case $name in good-*) want=valid ;; *) want=invalid ;; esac
	check "$name: the schema says $verdict, its name says $want" test "$verdict" = "$want"
	if [ "$verdict" = valid ]; then
		check "$name: valid, the engine evaluates it (exit $rc): $(head -2 "$TMP/err")" test "$rc" -lt 2
	else
		check "$name: invalid, the engine refuses it with exit 2 (got $rc)" test "$rc" = 2
		check "$name: the same pointers: schema [$ptrs], engine [$mine]" test "$ptrs" = "$mine"
	fi
done <"$TMP/schema.txt"
check "the corpus has at least 25 cases" test "$(wc -l <"$TMP/schema.txt")" -ge 25

# The issue's cases, on a copy of an example.
S=$TMP/sub
cp -r "$ROOT/submissions/01-calm-breath" "$S"
sed -i 's/"min_age": 18/"min_age": "18"/' "$S/submission.json"
line=$(grep -n '"min_age"' "$S/submission.json" | cut -d: -f1)
"$EMHEVAL" check --criteria "$REPO" "$S" >/dev/null 2>"$TMP/err"
check "min_age as a string: exit 2" test $? = 2
check "min_age as a string: named at its line" grep -q "submission.json:$line:[0-9]*: error: expected an integer" "$TMP/err"
cp "$ROOT/submissions/01-calm-breath/submission.json" "$S/submission.json"
sed -i 's/"risk_tier"/"risk_teir"/' "$S/submission.json"
"$EMHEVAL" check --criteria "$REPO" "$S" >/dev/null 2>"$TMP/err"
check "risk_teir: exit 2 (risk_tier is required)" test $? = 2
check "risk_teir: a warning with a suggestion" grep -q 'warning: unknown member "risk_teir": did you mean "risk_tier"?' "$TMP/err"
check "risk_teir: the missing risk_tier is an error" grep -q 'missing required member "risk_tier"' "$TMP/err"
cp "$ROOT/submissions/01-calm-breath/submission.json" "$S/submission.json"
sed -i 's/"submission_date": "[0-9-]*"/"submission_date": "14\/09\/2026"/' "$S/submission.json"
"$EMHEVAL" check --criteria "$REPO" "$S" >/dev/null 2>"$TMP/err"
check "a dd/mm/yyyy date: exit 2" test $? = 2
check "a dd/mm/yyyy date: one error, at line 3" test "$(wc -l <"$TMP/err")" = 1
check "a dd/mm/yyyy date: at line 3" grep -q 'submission.json:3:[0-9]*: error: expected a string matching' "$TMP/err"
echo '{}' >"$TMP/empty.json"
"$EMHEVAL" check --criteria "$REPO" "$TMP/empty.json" >/dev/null 2>"$TMP/err"
check "{}: exit 2" test $? = 2
check "{}: refused as not a submission" grep -q 'not a submission: it has no "schema" member' "$TMP/err"
"$EMHEVAL" check --criteria "$REPO" --format json -o "$TMP/dossier.json" "$ROOT/submissions/01-calm-breath" 2>/dev/null
"$EMHEVAL" check --criteria "$REPO" "$TMP/dossier.json" >/dev/null 2>"$TMP/err"
check "a saved dossier: exit 2" test $? = 2
check "a saved dossier: refused, naming its format" grep -q 'not a submission: its "format" is the string "emheval/dossier/2"' "$TMP/err"
# In a batch, an invalid submission is an input error in the index; the others go on.
mkdir -p "$TMP/batch"
cp -r "$ROOT/submissions/01-calm-breath" "$TMP/batch/good"
cp -r "$S" "$TMP/batch/bad"
"$EMHEVAL" evaluate --criteria "$REPO" --out "$TMP/out" --quiet "$TMP/batch" >/dev/null 2>&1
check "evaluate: the valid one has its dossier" test -f "$TMP/out/good.json"
check "evaluate: the invalid one is an input error in the index" grep -q 'expected a string matching' "$TMP/out/index.json"
# No follow-on noise: a deleted privacy policy fails its presence (and the hash check) once; the
# checks of its text are not evaluated, with the cause, instead of failing on what it does not say.
D=$TMP/nopolicy
cp -r "$ROOT/submissions/01-calm-breath" "$D"
rm "$D/privacy-policy.md"
"$EMHEVAL" check --criteria "$REPO" --format json -o "$TMP/np.json" "$D" 2>/dev/null
check "no policy: not approved (exit 1)" test $? = 1
fails=$(jq -r '[.results[] | select(.outcome == "fail") | .id] | sort | join(" ")' "$TMP/np.json")
check "no policy: only the presence and hash checks fail ($fails)" test "$fails" = "APA-PRIV-01 INT-HASH-01"
n=$(jq '[.results[] | select(.outcome == "not_evaluated" and .reason == "privacy_policy is missing (the file is not in the submission)")] | length' "$TMP/np.json")
check "no policy: its text checks are not evaluated, saying why ($n)" test "$n" -ge 5
check "no policy: DP-RET-02 is not evaluated" test "$(jq -r '.results[] | select(.id == "DP-RET-02") | .outcome' "$TMP/np.json")" = not_evaluated
# Evidence status: the privacy policy declared not supplied (confidential). Its checks need a person:
# needs_review with the vendor's reason, never pass or fail; the dossier lists it with its status.
N=$TMP/notsupplied
cp -r "$ROOT/submissions/01-calm-breath" "$N"
rm "$N/privacy-policy.md"
jq '(.evidence[] | select(.kind == "privacy_policy")) |= {kind, status: "not_supplied", reason: "confidential", note: "shown on request"}' \
	"$ROOT/submissions/01-calm-breath/submission.json" >"$N/submission.json"
"$EMHEVAL" check --criteria "$REPO" --format json -o "$TMP/ns.json" "$N" 2>"$TMP/err"
rc=$?
check "not supplied: evaluated, not approved (exit 1): $(head -2 "$TMP/err")" test "$rc" = 1
check "not supplied: nothing fails" test "$(jq '[.results[] | select(.outcome == "fail")] | length' "$TMP/ns.json")" = 0
check "not supplied: APA-PRIV-01 needs review with the reason" test "$(jq -r '.results[] | select(.id == "APA-PRIV-01") | .outcome + " " + .reason' "$TMP/ns.json")" = "needs_review privacy_policy is declared not supplied by the vendor (confidential: shown on request)"
check "not supplied: the text checks need review too" test "$(jq -r '.results[] | select(.id == "DP-RET-02") | .outcome' "$TMP/ns.json")" = needs_review
check "not supplied: never approved" test "$(jq -r .verdict "$TMP/ns.json")" != approved
check "not supplied: the dossier lists it with status and reason" test "$(jq -r '.submission.evidence[] | select(.kind == "privacy_policy") | .status + " " + .problem' "$TMP/ns.json")" = "not_supplied confidential: shown on request"
bad=$(python3 -c "
import json, sys
from jsonschema import Draft202012Validator
v = Draft202012Validator(json.load(open('$ROOT/schemas/dossier.schema.json')))
print(*[e.message for e in v.iter_errors(json.load(open('$TMP/ns.json')))][:3])")
check "not supplied: the dossier validates against its schema: $bad" test -z "$bad"
# A document that applies via a quantifier over /evidence (DTAC-C1.1.1-DOCS reads the hazard log's date).
jq '(.evidence[] | select(.kind == "hazard_log")) |= {kind, status: "not_supplied", reason: "not_yet_produced"}' \
	"$ROOT/submissions/01-calm-breath/submission.json" >"$N/submission.json"
cp "$ROOT/submissions/01-calm-breath/privacy-policy.md" "$N/"
"$EMHEVAL" check --criteria "$REPO" --format json -o "$TMP/ns2.json" "$N" 2>/dev/null
r=$(jq -r '.results[] | select(.id == "DTAC-C1.1.1-DOCS") | .outcome' "$TMP/ns2.json")
check "hazard log not yet produced: DTAC-C1.1.1-DOCS needs review ($r)" test "$r" = needs_review
check "hazard log not yet produced: the evidence pack check does not fail on it" test "$(jq -r '.results[] | select(.id == "ISO-4.4-EVIDENCE-PACK") | .outcome' "$TMP/ns2.json")" = pass
# evaluate tells each submission's warnings too, in batch order whatever the workers' order.
B=$TMP/batch
for n in a-first b-second c-third; do
	mkdir -p "$B/$n" && cp -r "$ROOT/submissions/01-calm-breath/." "$B/$n/"
	sed -i "0,/\"risk_tier\"/s//\"${n#*-}_note\": 1, \"risk_tier\"/" "$B/$n/submission.json"
done
"$EMHEVAL" evaluate --criteria "$REPO" --out "$TMP/bout" -j 2 --quiet "$B" >/dev/null 2>"$TMP/berr"
check "evaluate: warnings for unknown members (exit $?)" grep -q 'warning: unknown member "first_note"' "$TMP/berr"
got=$(grep -o 'unknown member "[a-z]*_note"' "$TMP/berr" | tr '\n' ' ')
check "evaluate: warnings in batch order ($got)" test "$got" = 'unknown member "first_note" unknown member "second_note" unknown member "third_note" '
check "evaluate: each warning names its submission's file" grep -q "b-second/submission.json:[0-9]*:[0-9]*: warning: unknown member \"second_note\"" "$TMP/berr"
summary
