#!/bin/bash
# test_corpus.sh - measures MH-NOADS-01 (no selling or sharing of personal data
# for advertising) on real privacy-policy sentences: one submission per sentence
# of tests/data/policy-corpus/sentences.tsv, evaluated in one batch through the
# real CLI against a criteria repository holding MH-NOADS-01 as shipped. Prints
# recall and precision on the tune and held-out splits, says whether issue 12's
# target (held-out recall 0.8, precision 0.7) is met, and fails when the held-out
# figures fall below the gate (see below). Tuning the pattern
# may use the tune split only (CORPUS_SHOW_TUNE_ERRORS=1 lists its misses).
# German sentences (source ending in "(de)", lines 498-557) are measured apart, against the
# German member of MH-NOADS-01 (v8) (docs/criteria-authoring.md, "German wording").
SUITE=corpus
. "$(dirname "$0")/lib.sh"

CORPUS=$ROOT/tests/data/policy-corpus/sentences.tsv
# Issue 12's target on the held-out split is recall 0.8 and precision 0.7; it is NOT
# met yet. On 2026-12-06, 181 fresh English sentences (lines 642-822, 45 new sources, read and
# labelled by a second reader who had not seen the check) showed how far it carries to unseen
# wording: v10 had recall 0.571 and precision 0.516 on their tune split, 0.588 and 0.526 on
# their held-out split. v11 (a fifth member: an ad network that collects data, the advertising
# identifier used to serve ads, ads personalised as a rule, "within the definition of a sale"),
# written from the misses of their tune split only, and two fixes of the statement engine
# (a "no" hung by CO, a verb after "other than") give held-out recall 0.701 (47/67) and
# precision 0.681 (47/69) on 762 English sentences (tune 0.903 and 0.808); on the older held-out
# lines 0.720 and 0.735, on the fresh ones 0.647 and 0.550. The guard follows the measured
# figures down to 0.69/0.67 (the estimate is more honest, the check did not get worse: v10 on the
# same 762 sentences has 0.672 and 0.672). v12 (consent to personalised advertising is a consent
# mechanism; a quoted term that "is defined as" is a definition), from tune false positives only:
# held-out 0.701 and 0.691. Then 217 more fresh sentences (lines 823-1039, 69 sources, a third
# reader): v12 had 0.583 and 0.737 on their held-out third; v13, tuned on their tune split only
# (ad networks that collect, passive; the advertising ID "for advertising"; behavioural,
# interest-based or relevant ads in use; collection "across websites ... over time"; "counts
# as sharing"; definitions and descriptions), has 0.708 and 0.739 there, and on all 979 English
# sentences held-out recall 0.703 (64/91) and precision 0.703 (64/91), tune 0.846 and 0.772.
# Then 227 more (lines 1040-1266, 38 sources, a fourth reader): v13 had 0.800 (8/10) and 0.667
# on their held-out third, 0.556 and 0.789 on their tune split; v14, tuned on that tune split
# only, decides the held-out sentences as v13 did: on all 1206 English sentences held-out recall
# 0.703 (71/101) and precision 0.696 (71/102), tune 0.774 and 0.786.
# The guard is 0.69/0.69. Before: on 2026-12-05, 84 more English sentences (lines 558-641, 26 new sources, read
# and labelled before the check ran on them) brought the held-out figures of MH-NOADS-01 v8
# down to 0.700 (35/50) and 0.729 (35/48) on 581 English sentences (tune 0.938 and 0.871),
# so the earlier 0.757 was optimistic: of the first 61 (lines 558-618) v8 caught 5 of 11
# new held-out positives and flagged 3 of 15 new held-out negatives. v9, tuned on tune-split
# misses only (ads "that will be more relevant", "non-personal identifiers", a CCPA
# explainer's "you share personal information if you ...", data shared "anonymously"), has
# tune 0.969 (63/65) and 0.900 (63/70), held-out 0.700 and 0.729 (unchanged: none of its
# changes touches a held-out sentence). The guard follows the measured figures down to
# 0.69/0.72 (lower because the estimate is more honest, not because the check got worse: on
# the 497 older sentences v9 still gives 0.757/0.757). Before that: MH-NOADS-01 v7, a third pattern for custom audiences, data sent to social ad
# platforms, cross-site tracking for sponsored content, 497 sentences: held-out 0.757 and
# 0.757 on 2026-12-05, tune 0.980 and 0.893 (on 467 sentences: 0.743 and 0.812; the 30 last
# sentences, none a tune miss, brought three held-out false positives, so the precision
# guard is 0.75 now); v6, a second pattern widening the vocabulary, tuned on the tune
# split only, 411 sentences: held-out 0.724 and 0.840, tune 0.974 and 0.881; v5, offers/promotions on other platforms or from partners and
# look-alike reach, 364 sentences: 0.68 and 0.86 on 2026-12-05; v4 with its link-grammar
# parse: 0.61 and 0.85; v3 on 338 sentences: 0.44 and 0.85). Until it is, the gate is a
# regression guard just under the measured figures, so a change that makes the check
# worse fails; raise it with every improvement, to 0.8 in the end.
TARGET_RECALL=0.8
TARGET_PRECISION=0.7
MIN_RECALL=${CORPUS_MIN_RECALL:-0.69}
MIN_PRECISION=${CORPUS_MIN_PRECISION:-0.69}
# German sentences (source "... (de)"), reported apart: a regression guard under the measured figures.
MIN_DE_RECALL=${CORPUS_MIN_DE_RECALL:-0.75}
MIN_DE_PRECISION=${CORPUS_MIN_DE_PRECISION:-0.9}

# The criteria: MH-NOADS-01 exactly as shipped, in a framework of its own.
mkdir -p "$TMP/criteria/data_protection"
cat >"$TMP/criteria/framework.json" <<'EOF'
{
  "name": "policy corpus",
  "version": "1.0.0",
  "effective_date": "2026-01-01",
  "categories": [{"id": "secure_data", "title": "Secure data"}],
  "domains": [{"id": "data_protection", "title": "Data protection", "category": "secure_data"}],
  "weights": {"default": {"data_protection": 1}},
  "severity_weights": {"blocker": 4, "major": 3, "minor": 2, "advisory": 1},
  "verdict_policy": {"reject": ["blocker", "major"], "review": ["blocker", "major"], "condition_days": {"minor": 90}}
}
EOF
cp "$ROOT/criteria/data_protection/MH-NOADS-01.json" "$TMP/criteria/data_protection/"
make_repo "$TMP/repo" "$TMP/criteria"

# One submission per sentence; the split must follow the rule fixed before any
# measurement: held out when the first 8 hex digits of the sentence's SHA-256
# are divisible by 3.
SUBS=$TMP/subs
mkdir -p "$SUBS" "$TMP/raw"
awk -F'\t' -v subs="$SUBS" -v raw="$TMP/raw" 'NR > 1 {
	system("mkdir \"" subs "/s" $1 "\"")
	printf "%s\n", $7 >(subs "/s" $1 "/privacy-policy.md"); close(subs "/s" $1 "/privacy-policy.md")
	printf "%s", $7 >(raw "/" $1); close(raw "/" $1)
	printf "s%s\t%s\t%s\t%s\n", $1, $2, $3, ($5 ~ /\(de\)$/ ? "de" : "en") >"/dev/stdout"
}' "$CORPUS" >"$TMP/labels"
(cd "$TMP/raw" && sha256sum -- *) | awk -v labels="$TMP/labels" '
	BEGIN { while ((getline l <labels) > 0) { split(l, f, "\t"); have[substr(f[1], 2)] = f[3] } }
	{ v = 0; for (i = 1; i <= 8; i++) v = v * 16 + index("0123456789abcdef", substr($1, i, 1)) - 1
	  want = (v % 3 == 0) ? "heldout" : "tune"
	  if (have[$2] != want) print "corpus line " $2 ": split " have[$2] ", the hash rule says " want }' >"$TMP/bad-splits"
cat "$TMP/bad-splits" >&2
bad_split=$(wc -l <"$TMP/bad-splits")
(cd "$SUBS" && sha256sum -- */privacy-policy.md) | while read -r sha file; do
	d=${file%%/*}
	printf '{"schema": "emheval/submission/1", "submission_date": "2026-10-01", "app": {"id": "corpus.%s", "name": "corpus %s", "version": "1.0.0"}, "risk_tier": "A", "evidence": [{"kind": "privacy_policy", "path": "privacy-policy.md", "sha256": "%s"}]}\n' \
		"$d" "$d" "$sha" >"$SUBS/$d/submission.json"
done
total=$(wc -l <"$TMP/labels")
check "the corpus has at least 300 sentences ($total)" test "$total" -ge 300
check "every sentence is in the split its hash gives" test "$bad_split" = 0

run_emheval evaluate --criteria "$TMP/repo" --out "$TMP/result" --format outcomes --quiet "$SUBS"
expect_rc 0 "the corpus batch evaluates"
check "one outcome per sentence" test "$(wc -l <"$TMP/result/outcomes.jsonl")" = "$total"

# file -> outcome; a sentence the check flags is a positive prediction.
sed -n 's/^{"file":"\([^"]*\)","MH-NOADS-01":"\([a-z_]*\)"}$/\1\t\2/p' "$TMP/result/outcomes.jsonl" >"$TMP/outcomes"
check "every outcome line is understood" test "$(wc -l <"$TMP/outcomes")" = "$total"
# English sentences are pass or fail; a German one of 200 bytes or more is detected as German, which
# the English patterns do not read, so it is needs_review unless the German pattern fails it (a
# review is no flag: it counts as not flagged below, and the number of reviews is printed).
check "every English outcome is pass or fail" test -z "$(awk -F'\t' 'NR == FNR { o[$1] = $2; next } $4 == "en" && o[$1] != "pass" && o[$1] != "fail"' "$TMP/outcomes" "$TMP/labels")"
check "every German outcome is pass, fail or needs_review" test -z "$(awk -F'\t' 'NR == FNR { o[$1] = $2; next } $4 == "de" && o[$1] != "pass" && o[$1] != "fail" && o[$1] != "needs_review"' "$TMP/outcomes" "$TMP/labels")"

# Prints "SPLIT: n=… positives=… tp=… fp=… fn=… recall=… precision=…" and the
# misclassified sentences of the tune split (never the held-out ones).
measure() {
	awk -F'\t' -v want="$1" -v lang="${2:-en}" '
		NR == FNR { outcome[$1] = $2; next }
		$3 == want && $4 == lang {
			n++; p = (outcome[$1] == "fail"); pos += ($2 == 1); rev += (outcome[$1] == "needs_review")
			if (p && $2 == 1) tp++; else if (p) fp++; else if ($2 == 1) fn++
		}
		END {
			r = (tp + fn) ? tp / (tp + fn) : 1; q = (tp + fp) ? tp / (tp + fp) : 1
			printf "%s: n=%d positives=%d tp=%d fp=%d fn=%d recall=%.3f precision=%.3f", want, n, pos, tp, fp, fn, r, q
			if (lang != "en") printf " reviews=%d", rev
			printf "\n"
		}' "$TMP/outcomes" "$TMP/labels"
}
tune=$(measure tune en)
heldout=$(measure heldout en)
echo "MH-NOADS-01 on the policy corpus: $tune"
echo "MH-NOADS-01 on the policy corpus: $heldout"
if [ -n "${CORPUS_SHOW_TUNE_ERRORS:-}" ]; then
	awk -F'\t' 'NR == FNR { o[$1] = $2; next } $3 == "tune" && ((o[$1] == "fail") != ($2 == 1)) { print $1, $4, "label=" $2, "outcome=" o[$1] }' \
		"$TMP/outcomes" "$TMP/labels" >&2
fi

recall=$(printf '%s\n' "$heldout" | sed 's/.* recall=\([0-9.]*\).*/\1/')
precision=$(printf '%s\n' "$heldout" | sed 's/.* precision=\([0-9.]*\)$/\1/')
if awk -v r="$recall" -v p="$precision" -v tr="$TARGET_RECALL" -v tp="$TARGET_PRECISION" 'BEGIN { exit !(r >= tr && p >= tp) }'; then
	echo "MH-NOADS-01: issue 12's target (held-out recall $TARGET_RECALL, precision $TARGET_PRECISION) is met"
else
	echo "MH-NOADS-01: issue 12's target (held-out recall $TARGET_RECALL, precision $TARGET_PRECISION) is NOT met"
fi
check "held-out recall $recall is at least $MIN_RECALL" awk -v v="$recall" -v m="$MIN_RECALL" 'BEGIN { exit !(v >= m) }'
check "held-out precision $precision is at least $MIN_PRECISION" awk -v v="$precision" -v m="$MIN_PRECISION" 'BEGIN { exit !(v >= m) }'

# German (MH-NOADS-01's German pattern, version 8): the sentences whose source ends in "(de)",
# measured on their own, because the English figures above are the ones issue 12's target is
# about. The pattern was written with the first 48 German sentences in view (the split was
# computed after them); lines 546-557 came after it was frozen. So the German held-out figures
# are not a clean held-out measure: they are a regression guard (measured 2026-12-05: de-tune
# 1.000/1.000, de-heldout 0.800/1.000), and issue 12's 0.8 is not shown for German.
de_tune=$(measure tune de | sed 's/^tune/de-tune/')
de_held=$(measure heldout de | sed 's/^heldout/de-heldout/')
echo "MH-NOADS-01 on the policy corpus: $de_tune"
echo "MH-NOADS-01 on the policy corpus: $de_held"
de_n=$(awk -F'\t' '$4 == "de"' "$TMP/labels" | wc -l)
check "the corpus has at least 60 German sentences ($de_n)" test "$de_n" -ge 60
for fig in "$de_tune" "$de_held"; do
	r=$(printf '%s\n' "$fig" | sed 's/.* recall=\([0-9.]*\).*/\1/')
	q=$(printf '%s\n' "$fig" | sed 's/.* precision=\([0-9.]*\).*/\1/')
	check "German recall $r ($fig) is at least $MIN_DE_RECALL" awk -v v="$r" -v m="$MIN_DE_RECALL" 'BEGIN { exit !(v >= m) }'
	check "German precision $q ($fig) is at least $MIN_DE_PRECISION" awk -v v="$q" -v m="$MIN_DE_PRECISION" 'BEGIN { exit !(v >= m) }'
done

summary
