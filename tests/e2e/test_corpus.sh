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
# Issue 12's target on the held-out split is recall 0.8 and precision 0.7; it is NOT met.
# The labels are the readings of readings.tsv (README, "Readings"), not one reader's: on
# 2026-12-06 every English sentence was read a second time, blind to the first label and to the
# check, a third reader broke the 74 ties, and the 490 sentences of the recurring hard cases
# (opt-outs, consent, cookies, ad SDKs) were read twice more under explicit rules (kappa 0.97).
# Against those labels MH-NOADS-01 v14 had held-out recall 0.609 (78/128) and precision 0.765;
# v15, tuned on the tune split only, has 0.641 (82/128) and 0.752 (82/109), tune 0.824 and
# 0.870. Against the first reader alone v15 has 0.713 and 0.661 (v14: 0.703 and 0.696).
# Then 616 fresh English sentences (lines 1267-1882, 86 new sources, collected by three readers who
# had not seen the check, each read a second time blind, 32 ties broken) measured v15 on wording
# it was not written against: recall 0.411 (30/73) and precision 0.714 on their held-out third,
# 0.531 and 0.772 on their tune split. v16, tuned on their tune split only, has 0.452 and 0.733
# on their held-out third and, on all 1822 English sentences, held-out 0.597 (120/201) and 0.736
# (120/163), tune 0.780 and 0.843 (on the older held-out lines 0.680 and 0.737). Then 457 more
# (lines 1883-2339, 58 sources, current app policies and CCPA-era notices, two collectors, read
# twice, 33 ties): v16 had 0.642 (43/67) and 0.796 on their held-out third; v17, tuned on their
# tune split only, 0.657 and 0.800 there, and on all 2279 English sentences held-out 0.619
# (166/268) and 0.755 (166/220), tune 0.766 and 0.823. The
# history of the figures before the second reading is in docs/decisions.md ("Measuring
# MH-NOADS-01 on unseen wording"). The guard sits just under the measured figures, so a change
# that makes the check worse fails; raise it with every improvement, to 0.8 in the end.
TARGET_RECALL=0.8
TARGET_PRECISION=0.7
MIN_RECALL=${CORPUS_MIN_RECALL:-0.61}
MIN_PRECISION=${CORPUS_MIN_PRECISION:-0.75}
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

# The labels are the readings of readings.tsv (README, "Readings"): every English sentence was
# read twice, blind, and a third reader broke ties; the recurring hard cases were read twice more
# under the policy's explicit rules, with a third reader for ties. The label column must be what
# those readings give, so a label cannot be changed without a reading on record.
READINGS=$ROOT/tests/data/policy-corpus/readings.tsv
awk -F'\t' 'NR == FNR { if (FNR > 1) label[$1] = $2; next }
	FNR == 1 { next }
	{ seen[$1] = 1
	  if ($5 != "") want = ($5 == $6) ? $5 : $7
	  else if ($3 != "") want = ($2 == $3) ? $2 : $4
	  else want = $2
	  if (want != "0" && want != "1") print "readings line " $1 ": no decision (" $0 ")"
	  else if ($8 != want) print "readings line " $1 ": label " $8 ", the readings give " want
	  if (label[$1] != $8) print "corpus line " $1 ": label " label[$1] ", readings.tsv says " $8 }
	END { for (i in label) if (!(i in seen)) print "corpus line " i ": not in readings.tsv" }' \
	"$CORPUS" "$READINGS" >"$TMP/bad-readings"
cat "$TMP/bad-readings" >&2
check "every label is what its readings give" test ! -s "$TMP/bad-readings"
# Agreement between independent readings (Cohen's kappa), printed so the ceiling of any
# measure is in view: a check cannot be more right than readers agree.
kappa() {
	awk -F'\t' -v a="$1" -v b="$2" -v name="$3" 'FNR > 1 && $a != "" && $b != "" {
		n++; same += ($a == $b); pa += $a; pb += $b }
		END { po = same / n; pa /= n; pb /= n; pe = pa * pb + (1 - pa) * (1 - pb)
		      printf "%s: n=%d agreement=%.3f kappa=%.3f\n", name, n, po, (po - pe) / (1 - pe) }' "$READINGS"
}
echo "policy corpus readings: $(kappa 2 3 'first and second reading')"
echo "policy corpus readings: $(kappa 5 6 'two readings of the recurring cases under the explicit rules')"
read2=$(awk -F'\t' 'FNR > 1 && $3 != ""' "$READINGS" | wc -l)
check "every English sentence has a second reading ($read2)" test "$read2" -ge 2279

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
		}' "$TMP/outcomes" "${3:-$TMP/labels}"
}
tune=$(measure tune en)
heldout=$(measure heldout en)
echo "MH-NOADS-01 on the policy corpus: $tune"
echo "MH-NOADS-01 on the policy corpus: $heldout"
# For comparison with the figures before the second reading: the first reader's labels alone.
awk -F'\t' 'NR == FNR { if (FNR > 1) first["s" $1] = $2; next } { $2 = first[$1]; print }' OFS='\t' \
	"$READINGS" "$TMP/labels" >"$TMP/labels-first"
echo "MH-NOADS-01 against the first reading alone: $(measure heldout en "$TMP/labels-first")"
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
