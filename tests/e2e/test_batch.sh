#!/bin/bash
# emheval evaluate: a portfolio in one run, files independent of -j, bad
# submissions recorded without stopping the batch, shards that partition.
SUITE=batch
. "$(dirname "$0")/lib.sh"
REPO=$TMP/repo
make_repo "$REPO" "$ROOT/criteria"

# A portfolio: every example (10 nested), plus a broken one and a bare JSON file.
P=$TMP/portfolio
mkdir -p "$P/nested"
cp -R "$ROOT"/submissions/0* "$ROOT"/submissions/1[1-9]-* "$P/"
cp -R "$ROOT/submissions/10-therapy-online" "$P/nested/"
mkdir -p "$P/zz-broken"
printf '{"app": {"id": "broken"},\n  "risk_tier": }\n' >"$P/zz-broken/submission.json"
sed 's|"evidence": .*|"evidence": []|' "$ROOT/tests/data/mini/sub-ok/submission.json" >"$P/nested/bare.json"
total=$(( $(ls -d "$ROOT"/submissions/*/ | wc -l) + 2 ))

run_emheval evaluate --criteria "$REPO" --out "$TMP/j1" -j 1 --format json,text,outcomes --quiet "$P"
expect_rc 1 "a batch with a broken submission exits 1"
contains "$out" "$total submissions" "summary counts every submission"
contains "$out" "1 could not be evaluated" "summary counts the broken one"
run_emheval evaluate --criteria "$REPO" --out "$TMP/j4" -j 4 --format json,text,outcomes --quiet "$P"
expect_rc 1 "same batch with 4 workers"
check "files written do not depend on -j" diff -r "$TMP/j1" "$TMP/j4"
check "index.json is valid JSON" jq empty "$TMP/j1/index.json"
check "one dossier per evaluated submission" test "$(ls "$TMP/j1"/*.json | grep -vc index.json)" = $((total - 1))
check "one outcomes line per submission" test "$(wc -l <"$TMP/j1/outcomes.jsonl")" = "$total"
contains "$(cat "$TMP/j1/index.json")" '"error": ' "the broken submission is in the index with its error"
contains "$(cat "$TMP/j1/index.json")" 'zz-broken/submission.json:2:' "its error has line and column"
check "no temporary files left" test -z "$(find "$TMP/j1" -name '*.tmp.*')"
for s in "$ROOT"/submissions/*/; do
	name=$(basename "$s")
	want=$("$EMHEVAL" check "$s" --criteria "$REPO" --format json | sed -n 's/^  "verdict": "\(.*\)",*$/\1/p')
	got=$(sed -n 's/^  "verdict": "\(.*\)",*$/\1/p' "$TMP/j1/$name.json")
	if [ -n "$want" ] && [ "$want" = "$got" ]; then pass; else fail "$name: batch verdict '$got' differs from check '$want'"; fi
	"$EMHEVAL" check "$s" --criteria "$REPO" --format json -o "$TMP/single.json"
	check "$name: batch dossier is byte-identical to check's" cmp -s "$TMP/single.json" "$TMP/j1/$name.json"
done

# Outcomes only: no dossier is written (and submission.json is not hashed), yet the
# outcomes are the same as beside the dossiers.
run_emheval evaluate --criteria "$REPO" --out "$TMP/o" --format outcomes --quiet "$P"
expect_rc 1 "an outcomes-only batch with a broken submission exits 1"
check "outcomes alone equal the outcomes written beside dossiers" cmp -s "$TMP/o/outcomes.jsonl" "$TMP/j1/outcomes.jsonl"
check "summary.txt does not depend on the formats" cmp -s "$TMP/o/summary.txt" "$TMP/j1/summary.txt"
check "no dossier in an outcomes-only batch" test -z "$(ls "$TMP/o" | grep -v -e '^index.json$' -e '^summary.txt$' -e '^outcomes.jsonl$')"

# More submissions than the ordered sink's window (64) keeps finished ones waiting:
# the ordered files are still the same whatever the number of workers.
W=$TMP/wide
mkdir -p "$W"
for i in $(seq -w 1 150); do
	sed "s/\"id\": \"[^\"]*\"/\"id\": \"app.$i\"/" "$ROOT/tests/data/mini/sub-ok/submission.json" >"$W/s$i.json"
done
cp "$P/zz-broken/submission.json" "$W/s077.json"
for j in 1 2 4; do
	"$EMHEVAL" evaluate --criteria "$REPO" --out "$TMP/w$j" -j "$j" --format outcomes --quiet "$W" >/dev/null 2>&1
done
check "150 outcome lines" test "$(wc -l <"$TMP/w1/outcomes.jsonl")" = 150
check "ordered files past the window do not depend on -j (2)" diff -r "$TMP/w1" "$TMP/w2"
check "ordered files past the window do not depend on -j (4)" diff -r "$TMP/w1" "$TMP/w4"
check "lines stay in name order" cmp -s <(sed 's/^{"file":"\([^"]*\)".*/\1/' "$TMP/w4/outcomes.jsonl") <(ls "$W")

# Shards: the union of 1/3, 2/3 and 3/3 is the whole portfolio, each submission once.
for k in 1 2 3; do
	"$EMHEVAL" evaluate --criteria "$REPO" --out "$TMP/s$k" --shard "$k/3" --quiet "$P" >/dev/null 2>&1
done
cat "$TMP"/s?/index.json | grep -o '"path": "[^"]*"' | sort >"$TMP/union"
grep -o '"path": "[^"]*"' "$TMP/j1/index.json" | sort >"$TMP/all"
check "shards partition the portfolio" cmp -s "$TMP/union" "$TMP/all"
run_emheval evaluate --criteria "$REPO" --out "$TMP/x" --shard 4/3 "$P"
expect_rc 2 "a shard that does not exist"

# Usage errors.
run_emheval evaluate --criteria "$REPO" "$P"
expect_rc 2 "--out is required"
run_emheval evaluate --criteria "$REPO" --out "$TMP/y" "$TMP/nowhere"
expect_rc 2 "a missing path"
run_emheval evaluate --criteria "$REPO" --out "$TMP/y" --format pdf "$P"
expect_rc 2 "unknown format"
run_emheval evaluate --criteria "$REPO" --out "$TMP/y" -j 0 "$P"
expect_rc 2 "-j 0"
run_emheval evaluate --criteria "$REPO" --out "$TMP/ok" --quiet "$ROOT/submissions/01-calm-breath"
expect_rc 0 "all evaluated gives 0"

# Progress: plain lines when stderr is not a terminal, none with --quiet.
"$EMHEVAL" evaluate --criteria "$REPO" --out "$TMP/p" "$P" >/dev/null 2>"$TMP/progress"
contains "$(cat "$TMP/progress")" "evaluated (" "progress lines on stderr"
summary
