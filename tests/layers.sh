#!/bin/sh
# layers.sh [ROOT] - fails when an #include goes up a layer (docs/architecture.md):
# nothing below reports/ includes reports/ (or register/, cli/), reports/ includes
# neither register/ nor cli/, register/ not cli/, and the dossier module
# (evaluator/dossier/) nothing of the audit, the gate or the batch above it.
# Run by `make lint` and by tests/e2e/test_docs.sh.
cd "${1:-.}" || exit 2
status=0
# above LAYER_DIRS PATTERN: the #include lines in those folders whose header matches PATTERN.
above() {
	dirs=$1 pat=$2
	# shellcheck disable=SC2086
	hits=$(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*\"($pat)" $dirs 2>/dev/null)
	if [ -n "$hits" ]; then
		printf '%s\n' "$hits"
		status=1
	fi
}
above "include evaluator" 'reports/|register/|cli/'
above "reports" 'register/|cli/'
above "register" 'cli/'
above "evaluator/dossier" 'evaluator/(audit|ledger|gate|batch)'
[ $status = 0 ] || echo "layers: the includes above go up a layer (docs/architecture.md)" >&2
exit $status
