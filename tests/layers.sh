#!/bin/sh
# layers.sh [ROOT] - fails when an #include goes up a layer (docs/architecture.md):
# nothing below reports/ includes reports/ (or register/, cli/), reports/ includes
# neither register/ nor cli/, register/ not cli/, nothing else in evaluator/ includes
# the audit's private headers (evaluator/audit/; the batch uses its public API), and
# the dossier module (evaluator/dossier/) nothing of the audit, the gate or the batch, and nothing else in
# evaluator/ includes the gate's private header (evaluator/gate/; register/impact.c above it may),
# and the criteria stage (source, framework, compile, criteria, severity, statement) includes nothing of
# the dossier, which sits above it (a severity is the criteria's word, severity.c).
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
above "evaluator/*.c evaluator/*.h evaluator/dossier" 'evaluator/audit/'
above "evaluator/dossier" 'evaluator/(gate|batch)'
above "evaluator/*.c evaluator/*.h evaluator/dossier evaluator/audit" 'evaluator/gate/'
above "evaluator/source.c evaluator/source.h evaluator/framework.c evaluator/compile.c evaluator/criteria.c evaluator/criteria_internal.h evaluator/severity.c evaluator/statement.c evaluator/statement.h include/emheval/criteria.h" 'emheval/dossier.h|evaluator/dossier/'
[ $status = 0 ] || echo "layers: the includes above go up a layer (docs/architecture.md)" >&2
exit $status
