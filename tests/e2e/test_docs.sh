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
# The layers of docs/architecture.md hold: no #include goes up a layer (nothing below reports/
# includes reports/); make lint runs the same script.
check "no include goes up a layer (tests/layers.sh)" sh "$ROOT/tests/layers.sh" "$ROOT"
# The man page is generated from the option tables in cli/ (emheval --man): the committed copy is
# what this binary writes, so help, man page and parser cannot drift apart.
"$EMHEVAL" --man >"$TMP/emheval.1"
check "emheval --man succeeds" test -s "$TMP/emheval.1"
check "docs/emheval.1 is current (run make docs)" cmp -s "$TMP/emheval.1" "$ROOT/docs/emheval.1"
# --help names every command; each command's --help lists its options, and the man page has each one.
run_emheval --help
help=$out
cmds=$(printf '%s\n' "$help" | sed -n 's/^  emheval \([a-z-]*\( verify\| log\| show\| add\)\{0,1\}\).*/\1/p')
check "--help lists nineteen commands" test "$(printf '%s\n' "$cmds" | wc -l)" = 19
while read -r cmd; do
	# shellcheck disable=SC2086 # "ledger verify" is two words
	run_emheval $cmd --help
	expect_rc 0 "$cmd --help"
	contains "$out" "usage: emheval $cmd" "$cmd --help shows its own page"
	contains "$(cat "$ROOT/docs/emheval.1")" ".SS \"emheval ${cmd//-/\\-}" "the man page has a section for $cmd"
	for opt in $(printf '%s\n' "$out" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		man_opt=$(printf '%s' "$opt" | sed 's/-/\\-/g')
		if grep -qF -- "$man_opt" "$ROOT/docs/emheval.1"; then pass; else fail "the man page does not document $opt ($cmd)"; fi
	done
done <<<"$cmds"
# The CI templates install every Debian package the build needs (the Makefile's DEB_PKGS without the test tools).
build_pkgs=$(sed -n '/^DEB_PKGS = /,/[^\\]$/p' "$ROOT/Makefile" | sed 's/^DEB_PKGS = //; s/\\$//' | tr -s ' \n' '\n' |
	grep -vxE 'check|libxml2-utils|jq|python3-jsonschema|')
for ci in github-actions gitlab-ci; do
	for p in $build_pkgs; do
		if grep -qE "apt-get install -y (.* )?$p( |$)" "$ROOT/docs/ci/$ci.yml"; then pass; else fail "docs/ci/$ci.yml does not install $p"; fi
	done
done
summary
