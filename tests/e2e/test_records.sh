#!/bin/bash
# Records that must not be forged, rolled back or lost (issue 17 items 2-4,
# 17-19): a ledger with a middle commit dropped and its chain recomputed, an
# old revision filed again, two submissions claiming one app, colliding
# output names, submissions that cannot be filed, and a portfolio that holds
# emheval's own outputs.
SUITE=records
. "$(dirname "$0")/lib.sh"
MINI=$ROOT/tests/data/mini
REPO=$TMP/repo
make_repo "$REPO" "$MINI/criteria"
"$EMHEVAL" keygen --out "$TMP/k" >/dev/null
app() { # DIR ID [VERSION]: a copy of sub-ok declaring that app id (and version; "" leaves it out)
	mkdir -p "$1"
	cp -R "$MINI/sub-ok/." "$1/"
	local v=${3-1.0.0}
	jq --arg id "$2" --arg v "$v" '.app.id = $id | if $v == "" then del(.app.version) else .app.version = $v end' \
		"$MINI/sub-ok/submission.json" >"$1/submission.json"
}

# ---- a middle commit dropped, parent, chain and sequence lines recomputed without the key -----------
L=$TMP/ledger.git
for a in alpha beta gamma; do
	app "$TMP/apps/$a" "$a"
	run_emheval check "$TMP/apps/$a" --criteria "$REPO" --ledger "$L" --sign-key "$TMP/k.key"
done
run_emheval ledger verify "$L" --pubkey "$TMP/k.pub"
expect_rc 0 "a signed ledger of three filings verifies"
contains "$(git -C "$L" log -1 --format=%B)" "Ledger-Sequence: 3" "the third filing records its sequence number"
contains "$(git -C "$L" log -1 --format=%B)" "Ledger-Signature: " "and signs its place in the chain"
c1=$(git -C "$L" rev-parse HEAD~2)
c3=$(git -C "$L" rev-parse HEAD)
# gamma's tree without beta: a history in which beta was never filed.
dossiers=$(git -C "$L" ls-tree "$c3:dossiers" | grep -v '	beta$' | git -C "$L" mktree)
tree=$(printf '040000 tree %s\tdossiers\n' "$dossiers" | git -C "$L" mktree)
msg=$(git -C "$L" log -1 --format=%B "$c3")
prev=$(git -C "$L" log -1 --format=%B "$c1" | sed -n 's/^Ledger-Chain: //p')
digest=$(printf '%s\n' "$msg" | sed -n 's/^Digest: //p')
envsha=$(printf '%s\n' "$msg" | sed -n 's/^Envelope: sha256://p')
chain=sha256:$(printf '%s\n%s\n%s\n%s\n' "$prev" dossiers/gamma/1.0.0/dossier.json "$digest" "$envsha" | sha256sum | cut -c1-64)
newmsg=$(printf '%s\n' "$msg" | sed "s/^Ledger-Parent: .*/Ledger-Parent: $c1/; s/^Ledger-Chain: .*/Ledger-Chain: $chain/; s/^Ledger-Sequence: .*/Ledger-Sequence: 2/")
new=$(git -C "$L" commit-tree "$tree" -p "$c1" -m "$newmsg")
git -C "$L" update-ref refs/heads/main "$new"
check "beta's filing is gone" test "$(git -C "$L" rev-list --count HEAD)" = 2
run_emheval ledger verify "$L"
expect_rc 0 "without the key, a consistent rewrite cannot be told from a real history (documented)"
run_emheval ledger verify "$L" --pubkey "$TMP/k.pub"
expect_rc 1 "with the key, the dropped commit is detected"
contains "$out" "does not hold: commits were removed, reordered or rewritten" "the re-chained commit's signature fails"
# Filing without the key into a signed ledger leaves an unsigned link, which --pubkey reports.
git -C "$L" update-ref refs/heads/main "$c3"
"$EMHEVAL" check "$MINI/sub-ok" --criteria "$REPO" --format json -o "$TMP/calm.json" --sign-key "$TMP/k.key" >/dev/null
run_emheval ledger add "$L" "$TMP/calm.json"
expect_rc 0 "ledger add without --sign-key"
run_emheval ledger verify "$L" --pubkey "$TMP/k.pub"
expect_rc 1 "an unsigned link fails verification with the key"
contains "$out" "not signed (no Ledger-Signature)" "and says so"
git -C "$L" update-ref refs/heads/main "$c3"
run_emheval ledger add "$L" "$TMP/calm.json" --sign-key "$TMP/k.key"
expect_rc 0 "ledger add --sign-key"
run_emheval ledger verify "$L" --pubkey "$TMP/k.pub"
expect_rc 0 "a link filed by ledger add --sign-key verifies"

# ---- an old revision filed again: revisions only move forward --------------------------------------
R=$TMP/rev.git
cat >"$TMP/rev2.json" <<'JSON'
{"reviews": [{"reviewer": "A. Byrne", "role": "clinical safety officer", "criterion": "SAFE-3", "version": 1,
  "decision": "pass", "rationale": "Crisis help checked on every screen.", "date": "2026-10-02"}]}
JSON
# Decisions count only when signed by a reviewer the roles file allows (docs/audit.md).
run_emheval keygen --out "$TMP/byrne"
ROLES=$TMP/roles
git init -q "$ROLES"
cat >"$ROLES/reviewers.json" <<JSON
{"roles": [{"name": "clinical safety officer", "decides": ["*"]}],
 "reviewers": [{"name": "A. Byrne", "role": "clinical safety officer", "public_key": "$(sed -n 2p "$TMP/byrne.pub")"}]}
JSON
git -C "$ROLES" add -A && git -C "$ROLES" commit -qm "who may decide"
"$EMHEVAL" sign-decisions --key "$TMP/byrne.key" "$TMP/rev2.json" -o "$TMP/rev2.json" 2>/dev/null
run_emheval check "$MINI/sub-ok" --criteria "$REPO" --rev HEAD --format json -o "$TMP/r1.json" --ledger "$R"
run_emheval review --reviewers "$ROLES" "$TMP/r1.json" --decisions "$TMP/rev2.json" --criteria "$REPO" -o "$TMP/r2.json" --ledger "$R"
expect_rc 0 "revision 2 filed"
head_before=$(git -C "$R" rev-parse HEAD)
run_emheval ledger add "$R" "$TMP/r1.json"
expect_rc 2 "revision 1 after revision 2 is refused"
contains "$err" "revision 1 of dossiers/calm/1.0.0 cannot be filed: the ledger holds revision 2" "naming both revisions"
check "nothing was committed" test "$(git -C "$R" rev-parse HEAD)" = "$head_before"
run_emheval ledger log "$R" calm
contains "$(printf '%s\n' "$out" | grep '^[^ ]' | tail -n 1)" "revision=2" "the app's current record is still revision 2"

# ---- one portfolio: a conflict, names that used to collide, submissions that cannot be filed ---------
P=$TMP/portfolio
app "$P/a-first" shared
app "$P/b-second" shared
jq '.app.name = "Another app"' "$P/b-second/submission.json" >"$TMP/s.json" && mv "$TMP/s.json" "$P/b-second/submission.json"
app "$P/copy" x1 # the same submission as x, twice in the portfolio: the same record, not a conflict
app "$P/no-version" noversion ""
app "$P/long-id" "$(printf 'é%.0s' $(seq 200))"
app "$P/index" indexapp
app "$P/app" app1
app "$P/app.dsse" app2
app "$P/x" x1
app "$P/x.github" x2
app "$P/zz-last" last
run_emheval evaluate --criteria "$REPO" --out "$TMP/bo" -j 2 --format json,github,text --quiet \
	--sign-key "$TMP/k.key" --ledger "$TMP/p.git" "$P"
expect_rc 1 "a batch with submissions that cannot be filed exits 1"
contains "$out" "8 dossiers signed and filed in the ledger, 2 not" "the rest are signed and filed"
contains "$out" "1 could not be evaluated" "the submission without a version is refused by validation"
I=$TMP/bo/index.json
check "index.json is the batch's own index" test "$(jq -r .format "$I")" = emheval/index/1
check "the submission called index has its own dossier" test "$(jq -r .app_name "$TMP/bo/~69ndex.json" 2>/dev/null || jq -r .format "$TMP/bo/~69ndex.json")" != emheval/index/1
check "app's envelope is app.dsse.json" test "$(jq -r .payloadType "$TMP/bo/app.dsse.json")" = application/vnd.in-toto+json
check "app.dsse's dossier is its own" test "$(jq -r .format "$TMP/bo/app~2Edsse.json")" = emheval/dossier/2
check "x and x.github have a github report each" test -s "$TMP/bo/x.github.txt" -a -s "$TMP/bo/x~2Egithub.github.txt"
check "ten dossiers written" test "$(jq '[.submissions[] | select(.digest)] | length' "$I")" = 10
check "an identical copy is no conflict" test -z "$(jq -r '.submissions[] | select(.name == "copy") | .publish_error // ""' "$I")"
err_of() { jq -r --arg p "$P/$1" '.submissions[] | select(.path == $p) | .publish_error // ""' "$I"; }
contains "$(err_of b-second)" "$P/b-second declares the same app id and version as $P/a-first" "the conflict names both submissions"
check "the first claimant is filed" test -z "$(err_of a-first)"
contains "$(jq -r --arg p "$P/no-version" '.submissions[] | select(.path == $p) | .error // ""' "$I")" 'missing required member "version" (at /app)' "no version: an input error in the index"
contains "$(err_of long-id)" "too long" "an id too long for the ledger: an error in the index"
check "the last submission is filed" test -z "$(err_of zz-last)"
run_emheval ledger log "$TMP/p.git"
check "seven filings" test "$(printf '%s\n' "$out" | grep -c revision=)" = 7
contains "$out" "last/1.0.0" "including the one after the bad ones"
run_emheval ledger verify "$TMP/p.git" --pubkey "$TMP/k.pub"
expect_rc 0 "the batch's ledger verifies with the key"
run_emheval verify "$TMP/bo/b-second.json" --pubkey "$TMP/k.pub"
expect_rc 0 "the unfiled conflict is still signed and written"

# ---- emheval's own outputs are never submissions; discovery says what it skipped -------------------
Q=$TMP/q
app "$Q/one" one
mkdir -p "$Q/deep"
d=$Q/deep
for i in $(seq 70); do d=$d/d; done
app "$d" deepapp
run_emheval evaluate --criteria "$REPO" --out "$Q/out" --quiet "$Q"
expect_rc 0 "first run"
cp "$Q/out/one.json" "$Q/saved-dossier.json"
cp -R "$Q/out" "$Q/old-run"
run_emheval evaluate --criteria "$REPO" --out "$Q/out" --quiet "$Q"
expect_rc 0 "second run over a portfolio holding the first run's outputs"
check "one submission, as before" test "$(jq '.submissions | length' "$Q/out/index.json")" = 1
skips=$(jq -r '.skipped[]' "$Q/out/index.json")
contains "$skips" "$Q/out: the output folder" "the output folder is skipped and listed"
contains "$skips" "$Q/old-run: holds an emheval batch index" "a copied output folder is skipped"
contains "$skips" "$Q/saved-dossier.json: an emheval record" "a dossier is not a submission"
contains "$skips" "deeper than 64 folders" "a submission past the depth limit is named"
contains "$(cat "$Q/out/summary.txt")" "skipped: $Q/saved-dossier.json" "summary.txt lists the skips too"
contains "$out" "4 paths skipped by discovery" "and the command says so"

summary
