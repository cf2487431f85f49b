#!/bin/bash
# The docs that are generated stay current: docs/criteria.md is exactly what
# `make docs` makes from the committed criteria, and --help names every command.
SUITE=docs
. "$(dirname "$0")/lib.sh"
REPO=$TMP/repo
make_repo "$REPO" "$ROOT/criteria"
run_emheval criteria --criteria "$REPO" --format markdown -o "$TMP/criteria.md"
expect_rc 0 "criteria --format markdown"
check "docs/criteria.md is current (run make docs)" cmp -s "$TMP/criteria.md" "$ROOT/docs/criteria.md"
n=$(find "$ROOT/criteria" -mindepth 2 -maxdepth 2 -name '*.json' | wc -l)
contains "$(head -8 "$TMP/criteria.md")" "$n criteria" "catalogue counts every criterion file"
for f in "$ROOT"/criteria/*/*.json; do
	id=$(basename "$f" .json)
	grep -q "^### $id: " "$TMP/criteria.md" || { fail "criterion $id missing from the catalogue"; continue; }
	pass
done
run_emheval criteria --criteria "$REPO"
expect_rc 0 "criteria as a table"
check "table has one line per criterion" test "$(printf '%s\n' "$out" | wc -l)" = "$n"
run_emheval criteria --criteria "$REPO" --format pdf
expect_rc 2 "unknown catalogue format"
summary
