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
# The man page and --help name every command and every long option.
run_emheval --help
help=$out
for cmd in $(sed -n 's/^\t{ "\([a-z]*\)", emh_cmd_[a-z_]* },$/\1/p' "$ROOT/cli/main.c"); do
	contains "$help" "$cmd" "--help names the command $cmd"
	contains "$(cat "$ROOT/docs/emheval.1")" "$cmd" "the man page names the command $cmd"
done
for opt in $(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
	case "$opt" in --help|--version) continue ;; esac
	man_opt=$(printf '%s' "$opt" | sed 's/-/\\-/g')
	if grep -qF -- "$man_opt" "$ROOT/docs/emheval.1" || grep -qF -- "$opt" "$ROOT/docs/emheval.1"; then
		pass
	else
		fail "the man page does not document $opt"
	fi
done
summary
