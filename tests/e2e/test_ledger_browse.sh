#!/bin/bash
# Browsing a ledger without git (issue 15): `ledger show REPO REF` prints one
# filed dossier found by commit prefix, digest or app id, verified first;
# `ledger log --format json` lists the filings as a JSON array.
SUITE=ledger_browse
. "$(dirname "$0")/lib.sh"
MINI=$ROOT/tests/data/mini
make_repo "$TMP/crit" "$MINI/criteria"
L=$TMP/ledger.git
jqt() { jq -e "$@" >/dev/null; } # jqt FILTER FILE: FILTER holds (true) for FILE

run_emheval check "$MINI/sub-ok" --criteria "$TMP/crit" --format json -o "$TMP/ok.json" --ledger "$L"
expect_rc 1 "sub-ok filed"
run_emheval check "$MINI/sub-bad" --criteria "$TMP/crit" --format json -o "$TMP/bad.json" --ledger "$L"
expect_rc 1 "sub-bad filed"
ok_id=$(jq -r .submission.id "$TMP/ok.json")
ok_digest=$(jq -r .digest "$TMP/ok.json")

# --- ledger log --format json --------------------------------------------------------------------------------
run_emheval ledger log "$L" --format json
expect_rc 0 "ledger log --format json"
printf '%s\n' "$out" >"$TMP/log.json"
check "log json: an array of two filings, oldest first" \
	jqt 'length == 2 and .[0].sequence == 1 and .[1].sequence == 2' "$TMP/log.json"
check "log json: the first is sub-ok's dossier with its digest and verdict" \
	jqt --arg d "$ok_digest" --arg a "$ok_id" '.[0].digest == $d and .[0].app_id == $a and .[0].verdict == "awaiting_review"
	     and .[0].revision == 1 and .[0].signed == false and .[0].reviewers == [] and .[0].reviews == 0' "$TMP/log.json"
check "log json: commit ids whole, times in UTC" \
	jqt 'all(.[]; (.commit | test("^[0-9a-f]{40}$")) and (.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")))' "$TMP/log.json"
check "log json: the commits are the ledger's" \
	test "$(jq -r '.[1].commit' "$TMP/log.json")" = "$(git -C "$L" rev-parse HEAD)"
run_emheval ledger log "$L" "$ok_id" --format json
check "log json with APP: that app only" jqt --arg a "$ok_id" 'length == 1 and .[0].app_id == $a' "$TMP/out"
run_emheval ledger log "$L" --format yaml
expect_rc 2 "ledger log --format yaml is refused"
contains "$err" "text or json" "the formats are named"
run_emheval ledger log "$TMP/nowhere" --format json
expect_rc 2 "log json: no ledger"
check "log json: nothing on standard output without a ledger" test -z "$out"
# Text stays the default.
run_emheval ledger log "$L"
contains "$out" "revision=1 awaiting_review" "log text unchanged"

# --- ledger show -----------------------------------------------------------------------------------------------
first=$(jq -r '.[0].commit' "$TMP/log.json")
run_emheval ledger show "$L" "${first:0:8}" --format json
expect_rc 0 "show by commit prefix"
check "show --format json: the dossier's bytes as filed" cmp -s "$TMP/out" "$TMP/ok.json"
run_emheval ledger show "$L" "$ok_digest" --format json
check "show by digest: the same dossier" cmp -s "$TMP/out" "$TMP/ok.json"
run_emheval ledger show "$L" "$ok_id"
expect_rc 0 "show by app id, as text"
check "show text: the report of the filed dossier" test "$(head -n 1 "$TMP/out")" = "$("$EMHEVAL" report "$TMP/ok.json" | head -n 1)"
run_emheval ledger show "$L" "$ok_id" --format markdown -o "$TMP/ok.md"
expect_rc 0 "show -o FILE"
check "show writes the markdown report" cmp -s "$TMP/ok.md" <("$EMHEVAL" report "$TMP/ok.json" --format markdown)
run_emheval ledger show "$L" deadbeef
expect_rc 2 "show: unknown commit"
contains "$err" "no dossier in ledger" "not found named"
run_emheval ledger show "$L" "sha256:$(printf '0%.0s' $(seq 64))"
expect_rc 2 "show: unknown digest"
run_emheval ledger show "$L" no.such.app
expect_rc 2 "show: unknown app"
run_emheval ledger show "$L"
expect_rc 2 "show needs REF"
run_emheval ledger show "$L" x --format pdf
expect_rc 2 "show: unknown format"
# --- a filing that cannot be read is never skipped -----------------------------------------------------------
# Someone with write access to the ledger replaces the newest filing of sub-ok with bytes that do not parse:
# a log or register that skipped it would show the app's previous filing as its newest.
run_emheval check "$MINI/sub-ok" --criteria "$TMP/crit" --format json -o "$TMP/ok2.json" --ledger "$L" --as-of 2026-11-01
git clone -q "$L" "$TMP/doctor"
ok_file=$(git -C "$TMP/doctor" log -1 --format= --name-only -- 'dossiers/*' | grep 'dossier.json$' | head -n 1)
check "the newest filing names its dossier" test -n "$ok_file"
printf '{"format": "emheval/dossier/1", "verdict": ' >"$TMP/doctor/$ok_file"
git -C "$TMP/doctor" -c user.name=x -c user.email=x@x commit -qam "app: approved (revision 1)"
git -C "$TMP/doctor" push -q origin HEAD:main
run_emheval ledger log "$L"
expect_rc 2 "ledger log: a filing that cannot be read fails the log"
contains "$err" "$(git -C "$L" rev-parse --short=12 HEAD)" "the error names the commit"
contains "$err" "ledger verify" "and says how to check the ledger"
contains "$out" "ads/2.0.0" "the filings before it are listed (the text log streams)"
run_emheval ledger log "$L" --format json
expect_rc 2 "ledger log --format json: fails too"
check "no half-written JSON array on standard output" test -z "$out"
run_emheval register "$L" --out "$TMP/site"
expect_rc 2 "register: a filing that cannot be read fails the register"
check "no register site written" test ! -e "$TMP/site/index.html"
run_emheval due "$L"
expect_rc 2 "due: a filing that cannot be read fails the due list"
contains "$err" "ledger verify" "due says how to check the ledger"
run_emheval ledger --help
contains "$out" "usage: emheval ledger show REPO REF" "ledger --help shows show"
summary
