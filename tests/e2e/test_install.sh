#!/bin/bash
# make install: an installed emheval, run outside any repository, evaluates
# with the criteria it carries as a bare git repository, and records them.
SUITE=install
. "$(dirname "$0")/lib.sh"
INST=$TMP/inst
if ! make -C "$ROOT" --no-print-directory -s BUILD="$TMP/build" PREFIX="$INST" install >"$TMP/make.log" 2>&1; then
	fail "make install: $(tail -5 "$TMP/make.log")"
	summary
	exit 1
fi
check "binary installed" test -x "$INST/bin/emheval"
check "man page installed" test -f "$INST/share/man/man1/emheval.1"
check "the installed man page is the one generated from the option tables" \
	cmp -s "$INST/share/man/man1/emheval.1" "$ROOT/docs/emheval.1"
check "public headers installed" test -f "$INST/include/emheval/emheval.h"
check "criteria installed as a bare repository" \
	sh -c 'git -C "$1" rev-parse --is-bare-repository | grep -qx true' _ "$INST/share/emheval/criteria.git"
mkdir -p "$TMP/elsewhere"
cp -R "$ROOT/submissions/01-calm-breath" "$TMP/elsewhere/sub"
(cd "$TMP/elsewhere" && GIT_CEILING_DIRECTORIES="$TMP" "$INST/bin/emheval" check sub --format json) >"$TMP/out.json" 2>"$TMP/err"
rc=$?
# 01 is evaluated and awaits its manual reviews (docs/profiles.md): exit 1, not 2.
expect_rc 1 "installed emheval checks outside any repository"
contains "$(cat "$TMP/out.json")" '"verdict": "awaiting_review"' "the installed set evaluates 01"
contains "$(cat "$TMP/err")" "using the installed set" "it says where the criteria come from"
contains "$(cat "$TMP/out.json")" "$INST/share/emheval/criteria.git" "the dossier names the installed repository"
contains "$(cat "$TMP/out.json")" "\"commit\": \"$(git -C "$INST/share/emheval/criteria.git" rev-parse HEAD)\"" "and its commit"
# A revision missing from a repository that has criteria is an error, not a reason to use the installed set.
make_repo "$TMP/crit" "$ROOT/criteria"
(cd "$TMP/crit" && "$INST/bin/emheval" check "$TMP/elsewhere/sub" --rev no-such-release --format json) \
	>"$TMP/out2.json" 2>"$TMP/err2"
rc=$?
expect_rc 2 "a revision the local criteria repository lacks is an input error"
contains "$(cat "$TMP/err2")" "revision 'no-such-release' not found" "it names the revision"
check "and does not fall back to the installed set" eval '! grep -q "using the installed set" "$TMP/err2"'
# Without an installed set (the development binary), outside any repository: the error and a hint.
# (The development binary looks for an installed set under the default PREFIX, /usr/local.)
if [ ! -e /usr/local/share/emheval/criteria.git ]; then
	(cd "$TMP/elsewhere" && GIT_CEILING_DIRECTORIES="$TMP" "$EMHEVAL" check sub) >/dev/null 2>"$TMP/err3"
	check "outside any repository without an installed set, a hint names --criteria" \
		grep -q "hint: criteria are read from git.*--criteria REPO" "$TMP/err3"
fi
summary
