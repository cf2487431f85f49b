#!/bin/bash
# run.sh FUZZDIR SEEDS SECONDS TARGET... - runs each libFuzzer binary
# FUZZDIR/fuzzers/fuzz_TARGET for SECONDS, one after the other, on its
# corpus FUZZDIR/corpus/TARGET (kept between runs) and the seeds SEEDS/TARGET.
# A finding (crash, leak, timeout, out-of-memory) is saved under
# FUZZDIR/findings/TARGET/; copy it to tests/fuzz/regressions/TARGET/ with
# the fix. Exits 1 if any target found something.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=$1 SEEDS=$2 SECONDS_EACH=$3
shift 3
status=0 passed=0 failed=0
for t in "$@"; do
	mkdir -p "$DIR/corpus/$t" "$DIR/findings/$t"
	log=$DIR/findings/$t.log
	echo "fuzz: $t for ${SECONDS_EACH}s" >&2
	"$DIR/fuzzers/fuzz_$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -dict="$ROOT/tests/fuzz/json.dict" -print_final_stats=1 \
		-artifact_prefix="$DIR/findings/$t/" "$DIR/corpus/$t" "$SEEDS/$t" \
		"$ROOT/tests/fuzz/regressions/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
	if [ "$rc" = 0 ]; then
		passed=$((passed + 1))
		echo "fuzz: $t: no finding in ${runs:-?} runs (${cov:-cov: ?})" >&2
	else
		failed=$((failed + 1))
		status=1
		echo "fuzz: $t: FINDING (exit $rc); log $log, input in $DIR/findings/$t/" >&2
		grep -E 'ERROR|FUZZ FINDING|SUMMARY|runtime error' "$log" | head -n 20 >&2
	fi
done
echo "fuzz: $passed passed, $failed failed"
exit $status
