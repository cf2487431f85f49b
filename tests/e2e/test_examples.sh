#!/bin/bash
# The shipped criteria on the shipped examples: each verdict and its exact
# set of failing checks (submissions/README.md), and a criteria change in git
# that flips exactly the examples it should.
SUITE=examples
. "$(dirname "$0")/lib.sh"
REPO=$TMP/repo
make_repo "$REPO" "$ROOT/criteria"
git -C "$REPO" tag v1

# failing DOSSIER: the ids whose outcome is fail or error, sorted, space-separated.
failing() {
	awk '/^    {$/ { id = "" } /^      "id": / { id = $2 } /^      "outcome": "(fail|error)"/ { print id }' "$1" |
		tr -d '",' | sort | tr '\n' ' ' | sed 's/ $//'
}
outcome_of() { # outcome_of DOSSIER ID
	awk -v want="\"$2\"," '/^    {$/ { id = "" } /^      "id": / { id = $2 } /^      "outcome": / { if (id == want) print $2 }' "$1" | tr -d '",'
}

expect_example() { # NAME VERDICT "FAILING IDS"
	local name=$1 verdict=$2 want=$3
	"$EMHEVAL" check "$ROOT/submissions/$name" --criteria "$REPO" --format json -o "$TMP/$name.json" 2>"$TMP/err"
	rc=$?
	local want_rc=1
	[ "$verdict" = approved ] && want_rc=0
	expect_rc "$want_rc" "$name exit status"
	contains "$(cat "$TMP/$name.json")" "\"verdict\": \"$verdict\"" "$name verdict"
	local got
	got=$(failing "$TMP/$name.json")
	if [ "$got" = "$want" ]; then pass; else fail "$name failing checks: got '$got', want '$want'"; fi
}

expect_example 01-calm-breath approved ""
expect_example 02-mindstep-cbt approved ""
expect_example 03-teen-talk conditional "DTAC-C3-CE-PLUS DTAC-D1-SCAN"
expect_example 04-moodshare-ads rejected "MH-NOADS-01 MH-NOADS-02"
check "04: efficacy not evaluated when privacy fails (APA funnel)" \
	test "$(outcome_of "$TMP/04-moodshare-ads.json" EVID-STUDIES-01)" = not_evaluated
expect_example 05-quiet-mind-nocrisis rejected "MH-CRISIS-01 MH-CRISIS-02 MH-CRISIS-03"
expect_example 06-secure-late rejected "DTAC-C3-PENTEST SEC-TLS-01"
expect_example 07-hash-mismatch rejected "INT-HASH-01"
contains "$(cat "$TMP/07-hash-mismatch.json")" '"status": "mismatch"' "07: evidence listed as mismatch"
expect_example 08-pending-review incomplete ""
check "08: declared unknown DSPT needs review" \
	test "$(outcome_of "$TMP/08-pending-review.json" DTAC-C2-DSPT)" = needs_review
check "08: declared unknown load test needs review" \
	test "$(outcome_of "$TMP/08-pending-review.json" DTAC-C3-LOAD)" = needs_review
expect_example 09-riskwatch-ml rejected "ML-HAZARD-FN-01 ML-SUBGROUP-01"
expect_example 10-therapy-online approved ""

# Issue 12, run again on a real example: 01 with one change each must no longer be approved.
variant() { # variant NAME JQ-FILTER [SENTENCE]: a copy of 01 changed by the filter (and a privacy-policy sentence)
	local dir=$TMP/variant-$1
	rm -rf "$dir" && cp -r "$ROOT/submissions/01-calm-breath" "$dir"
	if [ -n "${3:-}" ]; then
		printf '%s\n' "$3" >>"$dir/privacy-policy.md"
		local sum
		sum=$(sha256sum "$dir/privacy-policy.md" | cut -d' ' -f1)
		jq --arg s "$sum" '(.evidence[] | select(.path == "privacy-policy.md") | .sha256) = $s' "$dir/submission.json" >"$dir/s.json"
		mv "$dir/s.json" "$dir/submission.json"
	fi
	jq "$2" "$dir/submission.json" >"$dir/s.json" && mv "$dir/s.json" "$dir/submission.json"
	"$EMHEVAL" check "$dir" --criteria "$REPO" --format json -o "$TMP/variant-$1.json" 2>/dev/null
}
variant ads . "We share your mood scores and questionnaire answers with Google and Facebook for ad targeting."
check "01 + mood scores shared for ad targeting: rejected by MH-NOADS-01" \
	test "$(outcome_of "$TMP/variant-ads.json" MH-NOADS-01)" = fail
variant but . "We do not sell your data, but we share your mood entries with advertisers."
check "01 + a negation in another clause: rejected by MH-NOADS-01" \
	test "$(outcome_of "$TMP/variant-but.json" MH-NOADS-01)" = fail
variant giftcards . "We sell gift cards."
check "01 + 'We sell gift cards': still passes MH-NOADS-01" \
	test "$(outcome_of "$TMP/variant-giftcards.json" MH-NOADS-01)" = pass
variant teen '.target_users.min_age = 13 | .data_protection.advertising.in_app_ads = true'
check "01 with min_age 13 and ads: the children's criteria apply (MH-CHILD-NOADS-01 fails)" \
	test "$(outcome_of "$TMP/variant-teen.json" MH-CHILD-NOADS-01)" = fail
variant claim '.claims[1].text = "Clinically proven to reduce symptoms of depression"'
check "01 claiming 'clinically proven' as self_management: TR-CLAIMS-TIER-01 fails" \
	test "$(outcome_of "$TMP/variant-claim.json" TR-CLAIMS-TIER-01)" = fail
variant refs '.claims[0].evidence_refs = ["STUDY-THAT-DOES-NOT-EXIST"]'
check "01 citing a study that is not listed: TR-CLAIMS-REFS-01 fails" \
	test "$(outcome_of "$TMP/variant-refs.json" TR-CLAIMS-REFS-01)" = fail
for v in ads but teen claim refs; do
	check "variant $v is not approved" grep -q '"verdict": "rejected"' "$TMP/variant-$v.json"
done

# Every result carries provenance; manual ones say a reviewer decides.
contains "$(cat "$TMP/01-calm-breath.json")" '"provenance": "verified"' "verified provenance present"
contains "$(cat "$TMP/01-calm-breath.json")" '"provenance": "declared"' "declared provenance present"
contains "$(cat "$TMP/01-calm-breath.json")" '"provenance": "reviewer"' "reviewer provenance present"

# v2 of the set demands retention of at most 24 months: 02 (36) and 10 (96) flip, nothing else does.
sed -i 's/"le": 360/"le": 24/; s/"version": 2,/"version": 3,/' "$REPO/criteria/data_protection/DP-RET-01.json"
git -C "$REPO" commit -qam "DP-RET-01 v2: retention at most 24 months"
git -C "$REPO" tag v2
for s in "$ROOT"/submissions/*/; do
	name=$(basename "$s")
	v1=$("$EMHEVAL" check "$s" --criteria "$REPO" --rev v1 --format json | sed -n 's/^  "verdict": "\(.*\)",*$/\1/p')
	v2=$("$EMHEVAL" check "$s" --criteria "$REPO" --rev v2 --format json | sed -n 's/^  "verdict": "\(.*\)",*$/\1/p')
	case "$name" in
	02-mindstep-cbt|10-therapy-online)
		if [ "$v1" = approved ] && [ "$v2" = rejected ]; then pass; else fail "$name should flip at v2: $v1 -> $v2"; fi ;;
	*)
		if [ -n "$v1" ] && [ "$v1" = "$v2" ]; then pass; else fail "$name should not change at v2: $v1 -> $v2"; fi ;;
	esac
done
"$EMHEVAL" check "$ROOT/submissions/02-mindstep-cbt" --criteria "$REPO" --rev v2 --format json -o "$TMP/v2.json"
check "v2 dossier records DP-RET-01 version 3" grep -q '"version": 3' "$TMP/v2.json"
check "02 fails DP-RET-01 at v2" test "$(outcome_of "$TMP/v2.json" DP-RET-01)" = fail

# The project's own HEAD: with no flags the criteria come from this repository.
if git -C "$ROOT" rev-parse HEAD >/dev/null 2>&1 && [ -z "$(git -C "$ROOT" status --porcelain -- criteria)" ]; then
	(cd "$ROOT" && "$EMHEVAL" check submissions/01-calm-breath --format json) >"$TMP/head.json"
	contains "$(cat "$TMP/head.json")" "\"commit\": \"$(git -C "$ROOT" rev-parse HEAD)\"" "records git rev-parse HEAD"
	contains "$(cat "$TMP/head.json")" "\"tree\": \"$(git -C "$ROOT" rev-parse HEAD:criteria)\"" "records git rev-parse HEAD:criteria"
else
	echo "examples: skipping the HEAD check (not a git checkout, or criteria/ has uncommitted changes)" >&2
fi

summary
