#!/bin/bash
# The public register and what is due (docs/register.md), on a ledger of 58 dossiers made by the real CLI
# (register_ledger.sh): the site builds, every internal link resolves, the same ledger gives the same bytes,
# hostile app ids stay inside the site and show as text, a tampered ledger is said to be so on every page;
# `due` reports the expired penetration test on the one app whose evaluation is old enough, conditions, and the
# newer criteria release on every approved app judged by the older one, with the documented exit status.
SUITE=register
. "$(dirname "$0")/lib.sh"
D=$TMP/reg
bash "$HERE/register_ledger.sh" "$D" || { fail "register_ledger.sh could not build the ledger"; summary; exit 1; }
cd "$D" || exit 1
run_emheval ledger log ledger
n=$(printf '%s\n' "$out" | grep -c '^[^ ]')  # a filing's first line (continuation lines are indented)
check "the ledger holds at least 50 dossiers ($n)" test "$n" -ge 50

# ---- the site ---------------------------------------------------------------------------------------------
run_emheval register ledger --out site --pubkey reg.pub --criteria crit --as-of 2027-09-20 --within 0
expect_rc 0 "register builds a verified site"
apps=$(( $(ls -d "$ROOT"/submissions/*/ | wc -l) + 4 )) # every example's app id, and the four hostile ones
contains "$out" "$apps apps, $n dossiers" "every app and every filing"
contains "$out" "ledger verified" "the ledger verified"
for f in index.html due.html verify.html verdict-approved.html verdict-rejected.html profile-nhs-england.html \
	profile-de-diga.html domain-security.html regulator.pub apps/uk.co.lanternwellbeing.calmbreath.html \
	dossiers/1.html dossiers/1.json dossiers/1.dsse.json "dossiers/$n.html"; do
	check "site has $f" test -s "site/$f"
done
check "links: every internal link resolves, no script, a CSP on every page" python3 "$HERE/register_links.py" site
check "the published key is the key given" cmp -s reg.pub site/regulator.pub
first=$(git --git-dir=ledger rev-list --reverse HEAD | head -1)
firstpath=$(git --git-dir=ledger show --name-only --format= "$first" | grep 'dossier.json$')
check "each filing's JSON is the ledger's bytes" cmp -s site/dossiers/1.json <(git --git-dir=ledger show "$first:$firstpath")
pages=$(find site -name '*.html' | wc -l)
said=$(grep -ril 'the ledger verified when this register was built' site --include='*.html' | wc -l)
check "every page ($pages) says the ledger verified ($said)" test "$pages" = "$said"
how=$(grep -l 'emheval verify ' -r site --include='*.html' | wc -l)
check "every page says how to verify a download ($how of $pages)" test "$pages" = "$how"
lacking=$(grep -L 'emheval verify N.dsse.json --pubkey regulator.pub --criteria CRITERIA --reviewers REVIEWERS' -r site \
	--include='*.html' | grep -v '/dossiers/')
check "every page but the dossier reports names --reviewers in how to verify: $lacking" test -z "$lacking"
reviewed=$(jq -r 'select(.reviews) | .digest' site/dossiers/*.json | head -1)
rpage=$(grep -l "$reviewed" site/dossiers/*.json | head -1)
contains "$(cat "${rpage%.json}.html")" "--reviewers REVIEWERS (the repository of the reviewers file" \
	"a reviewed dossier's page says to give --reviewers"
contains "$(cat site/index.html)" "$(sed -n 2p reg.pub)" "the public key is on the pages"
app=site/apps/uk.co.lanternwellbeing.calmbreath.html
contains "$(cat "$app")" "Revision 1 → 2 (a review round)" "the app's history says what changed"
contains "$(cat "$app")" "R. Assessor" "the app's history names the reviewer"
contains "$(cat "$app")" "DTAC-C3-PENTEST" "the app page shows what is due"
contains "$(cat site/verdict-approved.html)" "uk.co.lanternwellbeing.calmbreath" "the approved view lists the approved app"
case "$(cat site/verdict-approved.html)" in *com.moodshareapps.moodshare*) fail "a rejected app in the approved view" ;; *) pass ;; esac
contains "$(cat site/criteria/*.html)" "9.0.0" "a page per criteria version"
run_emheval verify site/dossiers/1.dsse.json --pubkey site/regulator.pub --criteria crit --reviewers roles
expect_rc 0 "a downloaded dossier verifies as the site says"

# Same ledger, same bytes: into a new folder, and again over the first.
run_emheval register ledger --out site2 --pubkey reg.pub --criteria crit --as-of 2027-09-20 --within 0
check "the same ledger gives a byte-identical site" diff -r site site2
run_emheval register ledger --out site --pubkey reg.pub --criteria crit --as-of 2027-09-20 --within 0
check "rebuilding in place changes nothing" diff -r site site2
contains "$out" "; 0 files rewritten, " "rebuilding in place rewrites no file"

# Incremental: after one more filing, only what shows it is rewritten (index, views, that app, the new filing).
git clone -q --bare ledger ledger-inc
cp -R site site-inc
calm_ino=$(stat -c %i site-inc/apps/uk.co.lanternwellbeing.calmbreath.html)
quiet_ino=$(stat -c %i site-inc/apps/uk.co.stillwaterdigital.quietmind.html)
first_ino=$(stat -c %i site-inc/dossiers/1.html)
"$EMHEVAL" check "$ROOT/submissions/05-quiet-mind-nocrisis" --criteria crit --as-of 2026-12-02 --sign-key reg.key \
	--ledger ledger-inc -o quiet-inc.json >/dev/null 2>&1
run_emheval register ledger-inc --out site-inc --pubkey reg.pub --criteria crit --as-of 2027-09-20 --within 0
expect_rc 0 "the site builds over the earlier one"
check "an app whose history did not change keeps its page (same inode)" \
	test "$(stat -c %i site-inc/apps/uk.co.lanternwellbeing.calmbreath.html)" = "$calm_ino"
check "an earlier filing's page is kept" test "$(stat -c %i site-inc/dossiers/1.html)" = "$first_ino"
check "the app filed again gets a new page" \
	test "$(stat -c %i site-inc/apps/uk.co.stillwaterdigital.quietmind.html)" != "$quiet_ino"
check "the new filing has its page" test -s "site-inc/dossiers/$((n + 1)).html"
rewritten=$(printf '%s' "$out" | sed -n 's/.*; \([0-9]*\) files rewritten, .*/\1/p')
check "only a few files are rewritten ($rewritten)" test "${rewritten:-999}" -lt 40
run_emheval register ledger-inc --out site-inc-fresh --pubkey reg.pub --criteria crit --as-of 2027-09-20 --within 0
check "the incremental build equals a fresh one" diff -r site-inc site-inc-fresh

# Built over a site of an earlier state of the ledger, the site equals a fresh build byte for byte, also where
# an app's own history did not change: the ledger's last filing brings a new criteria release (9.0.0), which
# the navigation of every page lists. (An incremental build that skipped apps by their history alone fails.)
git clone -q --bare ledger ledger-pre
git --git-dir=ledger-pre update-ref HEAD HEAD~1
run_emheval register ledger-pre --out site-pre --pubkey reg.pub --criteria crit --as-of 2027-09-20 --within 0
expect_rc 0 "the site of the ledger without its last filing builds"
case "$(cat site-pre/apps/uk.co.lanternwellbeing.calmbreath.html)" in
*"Criteria 9.0.0"*) fail "the earlier site already lists criteria 9.0.0" ;; *) pass ;; esac
run_emheval register ledger --out site-pre --pubkey reg.pub --criteria crit --as-of 2027-09-20 --within 0
expect_rc 0 "the site builds over the earlier one"
check "the build over the earlier site equals a fresh build" diff -r site-pre site
contains "$(cat site-pre/apps/uk.co.lanternwellbeing.calmbreath.html)" "Criteria 9.0.0" \
	"an app whose history did not change lists the new criteria release"

# Hostile app ids: nothing outside the site, no markup of theirs.
# (The hostile id ends in "escaped": look for that name, or that name with an extension, anywhere under /tmp
# but in this site, the submissions and the repository itself, which may lie under /tmp in a CI clone.)
check "no file escaped the site" test -z "$(find "$D" /tmp -maxdepth 6 \( -name escaped -o -name 'escaped.*' \) \
	! -path "$D/site*" ! -path "$D/subs/*" ! -path "$ROOT/*" 2>/dev/null)"
check "the traversal id has a page inside apps/" test -f "site/apps/%2E.%2F..%2F..%2F..%2Ftmp%2Fescaped.html"
check "a .git id cannot name .git" test ! -e site/apps/.git.html
case "$(cat site/*.html site/apps/*.html)" in *'<script>window.pwned'*|*'" onmouseover="'*) fail "a vendor's id became markup" ;; *) pass ;; esac
contains "$(cat site/index.html)" "&lt;script&gt;window.pwned=1&lt;/script&gt;" "the id shows as text"
# The printed running header names the page, and a hostile id in it is a CSS escape, never markup or CSS.
hdr=$(grep -h '^@page{@top-left' site/*.html site/apps/*.html site/criteria/*.html)
check "one running header a page, each a single CSS string with no quote or markup of a vendor's" test \
	"$(printf '%s\n' "$hdr" | grep -cvE '^@page\{@top-left\{content:"emheval register \\2014  [^"<>]*"\}\}$')" = 0
check "every page prints A4 with its own running header" test "$(grep -L '^@page{size:A4' -r site --include='*.html' \
	--exclude-dir=dossiers | wc -l)$(grep -L '^@page{@top-left{content:"emheval register' -r site --include='*.html' \
	--exclude-dir=dossiers | wc -l)" = 00

# A tampered ledger: a forged commit that rewrites a verdict.
cp -R ledger forged
last=$(git --git-dir=forged rev-parse HEAD)
path=$(git --git-dir=forged show --name-only --format= HEAD | grep 'dossier.json$')
blob=$(git --git-dir=forged show "HEAD:$path" | sed 's/"verdict": "rejected"/"verdict": "approved"/' | git --git-dir=forged hash-object -w --stdin)
GIT_INDEX_FILE=$TMP/idx git --git-dir=forged read-tree HEAD
GIT_INDEX_FILE=$TMP/idx git --git-dir=forged update-index --cacheinfo "100644,$blob,$path"
tree=$(GIT_INDEX_FILE=$TMP/idx git --git-dir=forged write-tree)
git --git-dir=forged update-ref HEAD "$(git --git-dir=forged commit-tree "$tree" -p "$last" -m forged)"
run_emheval register forged --out site-forged --criteria crit
expect_rc 1 "a ledger that does not verify: exit 1"
contains "$out" "did NOT verify" "the summary says so"
bad=$(grep -L 'did NOT verify' -r site-forged --include='*.html' | wc -l)
check "every page of it says the ledger did not verify ($bad do not)" test "$bad" = 0
bad=$(grep -L 'The ledger did NOT verify when this register was built"}}' -r site-forged --include='*.html' \
	--exclude-dir=dossiers | wc -l)
check "and so does every printed sheet's running header ($bad do not)" test "$bad" = 0

# ---- due --------------------------------------------------------------------------------------------------
run_emheval due ledger --criteria crit --as-of 2027-09-20 --within 0
expect_rc 1 "due: something is due"
pentest=$(printf '%s\n' "$out" | grep 'DTAC-C3-PENTEST')
contains "$pentest" "uk.co.lanternwellbeing.calmbreath 3.2.0: lapsed (valid until 2027-09-14)" \
	"the pen test of the app evaluated as of 2026-09-14 has lapsed"
check "and only that app's pen test ($pentest)" test "$(printf '%s\n' "$pentest" | wc -l)" = 1
contains "$out" "com.mindsteptherapeutics.cbt 5.0.2: lapsed (now) criteria" "a newer criteria release: mindstep"
contains "$out" "calmbreath 3.2.0: lapsed (now) criteria" "a newer criteria release: calm breath"
contains "$out" "cannot re-evaluate" "without the submission, said so"
contains "$out" "teentalk 2.7.1: lapsed (valid until 2027-03-01) condition" "a conditional approval's condition"
case "$out" in *moodshare*|*steadymood*) fail "due lists an app that was never approved" ;; *) pass ;; esac
run_emheval due ledger --criteria crit --as-of 2027-06-01 --within 0
case "$out" in *DTAC-C3-PENTEST*) fail "the pen test is not due before its window ends" ;; *) pass ;; esac
run_emheval due ledger --criteria crit --as-of 2027-06-01 --within 120d
contains "$out" "calmbreath 3.2.0: lapsing (valid until 2027-09-14) evidence DTAC-C3-PENTEST" "within the window: lapsing"
run_emheval due ledger --criteria crit --rev next --as-of 2026-12-02
contains "$out" "9.0.0 is newer" "--rev names the newer release"
run_emheval due ledger --criteria crit --as-of 2027-09-20 --within 0 --format json
expect_rc 1 "due --format json"
check "JSON parses, with the pen test" test "$(printf '%s' "$out" | jq -r '[.due[] | select(.criterion == "DTAC-C3-PENTEST") | .app_id] | join(",")')" = uk.co.lanternwellbeing.calmbreath
run_emheval due ledger --criteria crit --as-of 2027-09-20 --within 0 --format markdown
contains "$out" "| uk.co.lanternwellbeing.calmbreath | 3.2.0 | lapsed | 2027-09-14 | evidence | DTAC-C3-PENTEST |" "Markdown table"
contains "$(cat site/due.html)" "DTAC-C3-PENTEST" "the register's due view shows the same"
# Nothing due: a ledger with only a rejected app.
"$EMHEVAL" ledger add quiet out-2026-11-01/04-moodshare-ads.json >/dev/null
run_emheval due quiet --as-of 2027-09-20
expect_rc 0 "nothing due: exit 0"
contains "$out" "): 0" "and says 0"
# Input errors: exit 2.
run_emheval due nowhere --as-of 2027-01-01
expect_rc 2 "due: no ledger"
run_emheval due ledger --as-of 2027-13-01 --criteria crit
expect_rc 2 "due: a date that is not one"
run_emheval due ledger --within 9x --criteria crit
expect_rc 2 "due: a bad window"
run_emheval due ledger --format pdf
expect_rc 2 "due: an unknown format"
run_emheval due ledger --as-of 2027-01-01 --criteria "$TMP/none"
expect_rc 2 "due: criteria that cannot be read"
touch afile
run_emheval register ledger --out afile
expect_rc 2 "register: --out is a file"
run_emheval register nowhere --out x
expect_rc 2 "register: no ledger"
run_emheval register ledger
expect_rc 2 "register: no --out"
summary
