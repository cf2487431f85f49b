#!/bin/bash
# Where a dossier's criteria come from (issue 15): the dossier names the
# criteria repository by its own name (criteria.source: git config
# emheval.source, else the origin URL without credentials), and verify and
# review find the recorded commit from any folder: the recorded repository,
# a sources file mapping the name to a clone, or --criteria, never silently
# another repository; a --rev that the repository lacks is an error naming it.
SUITE=criteria_source
. "$(dirname "$0")/lib.sh"
MINI=$ROOT/tests/data/mini
export XDG_CONFIG_HOME=$TMP/xdg # never the developer's own sources file
unset EMHEVAL_CRITERIA_SOURCES

REPO=$TMP/criteria
make_repo "$REPO" "$MINI/criteria"
COMMIT=$(git -C "$REPO" rev-parse HEAD)
git -C "$REPO" remote add origin "https://alice:s3cret@example.org/regulator/criteria.git"
SRC=https://example.org/regulator/criteria.git
# make_repo_as DIR MESSAGE: the same criteria in another commit (same files, message and second would be
# the very same commit, which must not be in these repositories).
make_repo_as() {
	git init -q "$1" && cp -R "$MINI/criteria" "$1/criteria" && git -C "$1" add -A && git -C "$1" commit -qm "$2"
}
mkdir -p "$TMP/work" "$TMP/elsewhere"

# ---- 1. The dossier names the source, not only "." ------------------------------------------
(cd "$REPO" && "$EMHEVAL" check "$MINI/sub-ok" --format json -o "$TMP/work/d.json") 2>"$TMP/err"
check "evaluated inside the criteria repository" test -s "$TMP/work/d.json"
d=$(cat "$TMP/work/d.json")
contains "$d" "\"source\": \"$SRC\"" "the origin URL is recorded as the source"
contains "$d" '"repository": "."' "the local label stays beside it"
case "$d" in *s3cret*) fail "credentials of the origin URL leaked into the dossier" ;; *) pass ;; esac
run_emheval report "$TMP/work/d.json" --format html -o "$TMP/work/d.html"
contains "$(cat "$TMP/work/d.html")" "<dt>Criteria source</dt><dd><code>$SRC</code>" "the HTML report names the source"
git -C "$REPO" config emheval.source "uk-regulator/criteria"
(cd "$REPO" && "$EMHEVAL" check "$MINI/sub-ok" --format json -o "$TMP/work/named.json") 2>/dev/null
contains "$(cat "$TMP/work/named.json")" '"source": "uk-regulator/criteria"' "a declared emheval.source wins over origin"
git -C "$REPO" config --unset emheval.source
(cd "$REPO" && "$EMHEVAL" check "$MINI/sub-ok" --format json -o "$TMP/work/again.json") 2>/dev/null
check "output stays deterministic" cmp -s "$TMP/work/d.json" "$TMP/work/again.json"
run_emheval check "$MINI/sub-ok" --criteria "$TMP/work/../criteria" --format json -o "$TMP/work/path.json"
contains "$(cat "$TMP/work/path.json")" "\"repository\": \"$TMP/work/../criteria\"" "a given path is recorded as given"
make_repo_as "$TMP/plain" "plain criteria"
run_emheval check "$MINI/sub-ok" --criteria "$TMP/plain" --format json -o "$TMP/work/plain.json"
case "$(cat "$TMP/work/plain.json")" in *'"source"'*) fail "a repository naming nothing gets a source" ;; *) pass ;; esac
mkdir -p "$TMP/home"
printf '[emheval]\n\tsource = everyone/criteria\n' >"$TMP/home/.gitconfig"
HOME=$TMP/home run_emheval check "$MINI/sub-ok" --criteria "$TMP/plain" --format json -o "$TMP/work/plain2.json"
check "a user's global git config names no repository" cmp -s "$TMP/work/plain.json" "$TMP/work/plain2.json"

# ---- 2. verify from another folder ------------------------------------------------------------
cd "$TMP/elsewhere" || exit 1
run_emheval verify "$TMP/work/d.json" --submission "$MINI/sub-ok"
expect_rc 2 "recorded \".\", no mapping, elsewhere: the criteria cannot be found"
contains "$out" "FAILED   criteria    no repository holds the criteria commit ${COMMIT:0:12} of $SRC" "names the commit and source"
contains "$out" "the recorded repository \".\", the one holding the current directory" "names what was tried"
contains "$out" "no sources file" "says no mapping was configured"
contains "$err" "--criteria REPO" "suggests --criteria"
git clone -q "$REPO" "$TMP/mirror"
mkdir -p "$XDG_CONFIG_HOME/emheval"
printf '# source  local clone\n%s %s\n' "$SRC" "$TMP/mirror" >"$XDG_CONFIG_HOME/emheval/criteria-sources"
run_emheval verify "$TMP/work/d.json" --submission "$MINI/sub-ok"
expect_rc 0 "the default sources file maps the source to a clone"
contains "$out" "ok       criteria    commit ${COMMIT:0:12}" "criteria found"
contains "$out" "found in $TMP/mirror" "says where"
contains "$out" "ok       reproduce" "reproduced from the mapped clone"
printf '%s %s\n' "$SRC" "$TMP/plain" >"$TMP/other-sources"
EMHEVAL_CRITERIA_SOURCES=$TMP/other-sources run_emheval verify "$TMP/work/d.json"
expect_rc 2 "a mapping to a clone without the commit"
contains "$out" "the repository the sources file maps it to: revision '$COMMIT' not found in $TMP/plain" "the mapped repository named"
EMHEVAL_CRITERIA_SOURCES=$TMP/none run_emheval verify "$TMP/work/d.json"
expect_rc 2 "a named sources file that does not exist maps nothing"
contains "$out" "no line for it in the sources file $TMP/none" "names the file"
printf 'just-one-field\n' >"$TMP/bad-sources"
EMHEVAL_CRITERIA_SOURCES=$TMP/bad-sources run_emheval verify "$TMP/work/d.json"
expect_rc 1 "a malformed sources file fails the check"
contains "$out" "$TMP/bad-sources:1:15: expected NAME PATH" "with file:line:col"
run_emheval verify "$TMP/work/path.json" --submission "$MINI/sub-ok"
expect_rc 0 "a recorded path is found from any folder"
run_emheval verify "$TMP/work/d.json" --criteria "$TMP/plain"
expect_rc 2 "a wrong --criteria"
contains "$out" "revision '$COMMIT' not found in $TMP/plain" "the wrong repository named"
case "$out" in *mirror*) fail "--criteria fell back to the mapped clone" ;; *) pass ;; esac
run_emheval verify "$TMP/work/d.json" --criteria "$TMP/mirror"
expect_rc 0 "the right --criteria"
(cd "$REPO" && "$EMHEVAL" verify "$TMP/work/d.json") >"$TMP/out" 2>&1
check "an old-style \".\" still verifies inside the criteria repository" grep -q "found in \.$" "$TMP/out"
# An old dossier (no source) whose recorded repository has moved: mapped by its recorded path.
make_repo_as "$TMP/old" "old criteria"
run_emheval check "$MINI/sub-ok" --criteria "$TMP/old" --format json -o "$TMP/work/old.json"
mv "$TMP/old" "$TMP/old-moved"
run_emheval verify "$TMP/work/old.json"
expect_rc 2 "a moved repository without a source"
contains "$out" "(the dossier names no source): tried the recorded repository: not a git repository: $TMP/old" "says so"
printf '%s %s\n' "$TMP/old" "$TMP/old-moved" >"$TMP/old-sources"
EMHEVAL_CRITERIA_SOURCES=$TMP/old-sources run_emheval verify "$TMP/work/old.json" --submission "$MINI/sub-ok"
expect_rc 0 "an old dossier mapped by its recorded path"
contains "$out" "found in $TMP/old-moved" "from the mapped clone"

# ---- 3. review finds the criteria the same way -------------------------------------------------
"$EMHEVAL" keygen --out "$TMP/byrne" >/dev/null 2>&1
ROLES=$TMP/roles
git init -q "$ROLES"
cat >"$ROLES/reviewers.json" <<JSON
{"roles": [{"name": "clinical safety officer", "decides": ["domain:safety"]}],
 "reviewers": [{"name": "A. Byrne", "role": "clinical safety officer", "public_key": "$(sed -n 2p "$TMP/byrne.pub")"}]}
JSON
git -C "$ROLES" add -A && git -C "$ROLES" commit -qm "who may decide"
cat >"$TMP/rev.unsigned.json" <<JSON
{"reviews": [{"reviewer": "A. Byrne", "role": "clinical safety officer", "criterion": "SAFE-3", "version": 1,
  "decision": "pass", "rationale": "Crisis help checked on every screen.", "date": "2026-10-02"}]}
JSON
"$EMHEVAL" sign-decisions --key "$TMP/byrne.key" --reviewer "A. Byrne" "$TMP/rev.unsigned.json" -o "$TMP/rev.json" 2>/dev/null
rm "$XDG_CONFIG_HOME/emheval/criteria-sources"
run_emheval review "$TMP/work/d.json" --decisions "$TMP/rev.json" --reviewers "$ROLES" -o "$TMP/r2.json"
expect_rc 2 "review elsewhere without a mapping"
contains "$err" "no repository holds the criteria commit" "review says why"
contains "$err" "--criteria REPO" "review suggests --criteria"
check "nothing written" test ! -e "$TMP/r2.json"
printf '%s %s\n' "$SRC" "$TMP/mirror" >"$TMP/mapped"
EMHEVAL_CRITERIA_SOURCES=$TMP/mapped run_emheval review "$TMP/work/d.json" --decisions "$TMP/rev.json" \
	--reviewers "$ROLES" -o "$TMP/r2.json"
expect_rc 0 "review elsewhere with the mapping"
contains "$(cat "$TMP/r2.json")" "\"source\": \"$SRC\"" "the next revision keeps the source"
EMHEVAL_CRITERIA_SOURCES=$TMP/mapped run_emheval verify "$TMP/r2.json" --reviewers "$ROLES"
expect_rc 0 "the reviewed revision verifies elsewhere"

# ---- 4. No silent fallback for a revision the repository lacks ----------------------------------
cd "$REPO" || exit 1
run_emheval check "$MINI/sub-ok" --rev v9.9.9
expect_rc 2 "a --rev missing from the local repository"
contains "$err" "revision 'v9.9.9' not found in the repository at $REPO/" "names the repository searched"
case "$err" in *installed*) fail "fell back to the installed set" ;; *) pass ;; esac
cd "$TMP/elsewhere" || exit 1
run_emheval check "$MINI/sub-ok" --criteria "$REPO" --rev v9.9.9
expect_rc 2 "a --rev missing from --criteria"
contains "$err" "revision 'v9.9.9' not found in $REPO" "names --criteria's repository"

summary
