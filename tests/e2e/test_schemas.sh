#!/bin/bash
# The JSON Schemas in schemas/ describe what emheval reads and writes: every
# example submission, every shipped criterion and the dossiers of the examples
# validate (python3-jsonschema, Draft 2020-12).
SUITE=schemas
. "$(dirname "$0")/lib.sh"
REPO=$TMP/repo
make_repo "$REPO" "$ROOT/criteria"
"$EMHEVAL" evaluate --criteria "$REPO" --out "$TMP/out" --quiet "$ROOT/submissions" >/dev/null

validate() { # validate SCHEMA FILE...: prints one line per invalid file
	python3 - "$@" <<'PY'
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
v = Draft202012Validator(schema)
for path in sys.argv[2:]:
    errors = sorted(v.iter_errors(json.load(open(path))), key=lambda e: list(e.path))
    for e in errors[:3]:
        print(f"{path}: {'/'.join(map(str, e.path))}: {e.message[:200]}")
PY
}
bad=$(validate "$ROOT/schemas/submission.schema.json" "$ROOT"/submissions/*/submission.json)
check "every example submission validates: $bad" test -z "$bad"
bad=$(validate "$ROOT/schemas/criterion.schema.json" "$ROOT"/criteria/*/*.json)
check "every shipped criterion validates: $bad" test -z "$bad"
bad=$(validate "$ROOT/schemas/dossier.schema.json" $(ls "$TMP"/out/*.json | grep -v index.json))
check "every example dossier validates: $bad" test -z "$bad"
# The schema is not a rubber stamp: a dossier with an unknown outcome is refused.
sed 's/"outcome": "pass"/"outcome": "passed"/' "$TMP/out/01-calm-breath.json" >"$TMP/bad.json"
bad=$(validate "$ROOT/schemas/dossier.schema.json" "$TMP/bad.json")
check "an unknown outcome is refused by the dossier schema" test -n "$bad"
summary
