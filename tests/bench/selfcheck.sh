#!/usr/bin/env bash
# tests/bench/selfcheck.sh - checks of the benchmark itself that need no emheval.
#
#   1. gen_corpus, read_floor and parse_floor build with the strict flags;
#   2. the generator is deterministic: the same arguments give byte-identical
#      corpora, a different seed different ones, --n 20 is a prefix of --n 40, and a
#      pinned hash of a small corpus still holds (so the bytes are the same on every
#      machine; update GEN_SHA256 below when the generator is changed on purpose,
#      and then expected/agree.jsonl with --update-expected);
#   3. every generated file is JSON (parse_floor, and jq when present);
#   4. the criteria files parse with jq, have the fields and values the bench needs,
#      use only keys of docs/criteria-format.md, and have applies_when exactly for the
#      rules RULES.md calls "applicable iff";
#   5. with python3: criteria_model.py (a reading of docs/criteria-format.md) gives
#      expected/agree.jsonl on the agreement corpus and the peers' outcomes on a
#      2000-file corpus;
#   6. with the peers (../shared/bench or $PEERS, node, npm, jq): the three peers
#      accept the generated corpora and agree with each other and with
#      expected/agree.jsonl.
#
#   selfcheck.sh [--update-expected]   rewrite expected/agree.jsonl from the peers
#                                       (only when all three agree)
# Exit 0 when every check that could run passed; skipped checks are listed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
PEERS="${PEERS:-$root/../shared/bench}"
CC="${CC:-cc}"
update=0
[ "${1:-}" = --update-expected ] && update=1

# sha256 over `gen_corpus --n 20 --seed 42 --edge-cases --pathological 2` (see hash_dir)
GEN_SHA256=2b4174042d786efaaa2f1304df0b3ab3e419633386cc863271578b837f7ef4db

work="$(mktemp -d "${TMPDIR:-/tmp}/emheval-bench-selfcheck.XXXXXX")"
trap 'rm -rf "$work"' EXIT
fails=0
skipped=()
ok() { printf 'ok   %s\n' "$*"; }
bad() { printf 'FAIL %s\n' "$*"; fails=$((fails + 1)); }
skip() { printf 'skip %s\n' "$*"; skipped+=("$*"); }

# hash_dir DIR: one sha256 over every file's name and bytes, in byte-wise name order
hash_dir() {
	(cd "$1" && find . -maxdepth 1 -type f -name '*.json' -printf '%f\n' | LC_ALL=C sort \
		| while IFS= read -r f; do printf '%s\n' "$f"; sha256sum <"$f"; done) | sha256sum | cut -d' ' -f1
}

# ---------------------------------------------------------------- 1. build
CFLAGS_BENCH="-std=c11 -O2 -Wall -Wextra -Werror -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -D_POSIX_C_SOURCE=200809L"
for prog in gen_corpus read_floor parse_floor; do
	# shellcheck disable=SC2046,SC2086
	if "$CC" $CFLAGS_BENCH -o "$work/$prog" "$here/$prog.c" $(pkg-config --cflags --libs libcjson); then
		ok "build $prog"
	else
		bad "build $prog"
		exit 1
	fi
done
GEN="$work/gen_corpus"

# ---------------------------------------------------------------- 2. determinism
"$GEN" --n 300 --seed 42 --out "$work/a" --edge-cases --pathological 2
"$GEN" --n 300 --seed 42 --out "$work/b" --edge-cases --pathological 2
if diff -rq "$work/a" "$work/b" >/dev/null; then ok "same seed, same bytes (300 + edge cases + 2 pathological)"; else bad "same seed gave different corpora"; fi
"$GEN" --n 300 --seed 43 --out "$work/c"
if ! cmp -s "$work/a/sub_000000.json" "$work/c/sub_000000.json"; then ok "another seed, other bytes"; else bad "seeds 42 and 43 gave the same first file"; fi
"$GEN" --n 20 --seed 42 --out "$work/p20"
"$GEN" --n 40 --seed 42 --out "$work/p40"
prefix_ok=1
for f in "$work"/p20/*.json; do cmp -s "$f" "$work/p40/$(basename "$f")" || prefix_ok=0; done
n20=$(find "$work/p20" -name 'sub_*.json' | wc -l)
if [ "$prefix_ok" = 1 ] && [ "$n20" -eq 20 ] && [ -f "$work/p20/sub_000019.json" ]; then
	ok "--n 20 writes sub_000000..sub_000019, a prefix of --n 40"
else
	bad "--n 20 is not sub_000000..sub_000019 or not a prefix of --n 40"
fi
"$GEN" --n 20 --seed 42 --out "$work/pin" --edge-cases --pathological 2
got=$(hash_dir "$work/pin")
if [ "$got" = "$GEN_SHA256" ]; then
	ok "pinned corpus hash"
else
	bad "pinned corpus hash: got $got, expected $GEN_SHA256 (generator output changed: if on purpose, update GEN_SHA256 and run --update-expected)"
fi

# ---------------------------------------------------------------- 3. valid JSON
if "$work/parse_floor" "$work/a" >"$work/pf.txt" && "$work/read_floor" "$work/a" >"$work/rf.txt"; then
	ok "parse_floor and read_floor read every file: $(cut -d' ' -f2-4 "$work/pf.txt")"
else
	bad "a floor failed: $(cat "$work/pf.txt" "$work/rf.txt")"
fi
if command -v jq >/dev/null; then
	if (cd "$work/a" && find . -name '*.json' -print0 | xargs -0 jq -e 'true' >/dev/null 2>"$work/jq.err"); then
		ok "jq parses every generated file"
	else
		bad "jq rejects a generated file: $(head -3 "$work/jq.err")"
	fi
else
	skip "jq missing: JSON validity by jq, criteria checks"
fi

# ---------------------------------------------------------------- 4. criteria files
crit="$here/criteria"
if command -v jq >/dev/null; then
	cerr=0
	for f in "$crit/framework.json" "$crit"/bench/*.json; do
		jq -e . "$f" >/dev/null 2>&1 || { bad "criteria: $f is not JSON"; cerr=1; }
	done
	n=$(find "$crit/bench" -maxdepth 1 -name 'R*.json' | wc -l)
	[ "$n" -eq 30 ] || { bad "criteria: $n files in bench/, expected R01..R30"; cerr=1; }
	jq -e '.domains | map(.id) | index("bench") != null' "$crit/framework.json" >/dev/null \
		|| { bad "criteria: framework.json has no domain bench"; cerr=1; }
	for k in $(seq -w 1 30); do
		id="R$k"
		f="$crit/bench/$id.json"
		[ -f "$f" ] || { bad "criteria: $id.json missing"; cerr=1; continue; }
		case "$id" in
		R08 | R09 | R11 | R12 | R13 | R14 | R15 | R22 | R25 | R29) want_applies=true ;; # "applicable iff"
		*) want_applies=false ;;
		esac
		if ! jq -e --arg id "$id" --argjson applies "$want_applies" '
			def allowed: ["path","exists","absent","type","eq","ne","in","lt","le","gt","ge",
			              "min_length","max_length","matches","not_matches","flags","before",
			              "after","within_days","of","where","all","any","none","min_count",
			              "max_count","unique"];
			def expr_ok:
			  if type != "object" then false
			  elif has("and") then keys == ["and"] and (.and | type == "array" and length >= 1 and all(.[]; expr_ok))
			  elif has("or") then keys == ["or"] and (.or | type == "array" and length >= 1 and all(.[]; expr_ok))
			  elif has("not") then keys == ["not"] and (.not | expr_ok)
			  elif has("path") then (.path | type == "string") and ((keys - allowed) | length == 0)
			       and ([.where, .all, .any, .none] | map(select(. != null)) | all(.[]; expr_ok))
			  else false end;
			(keys - ["id","version","title","domain","severity","references","applies_when",
			         "check","fail_message","remediation"] | length == 0)
			and .id == $id and .version == 1 and .domain == "bench" and .severity == "major"
			and .references == ["BENCH " + $id]
			and (.title | type == "string" and length > 0)
			and (.fail_message | type == "string" and length > 0)
			and (.remediation | type == "string" and length > 0)
			and (.check | expr_ok)
			and (has("applies_when") == $applies)
			and (if has("applies_when") then .applies_when | expr_ok else true end)' "$f" >/dev/null; then
			bad "criteria: $id.json does not have the expected shape"
			cerr=1
		fi
	done
	[ "$cerr" = 0 ] && ok "criteria: framework.json and R01..R30 parse with jq and have the expected shape"
fi

# ---------------------------------------------------------------- 5, 6. outcomes
agree="$work/agree"
"$GEN" --n 100 --seed 7 --out "$agree" --edge-cases --pathological 4
big="$work/big"
"$GEN" --n 2000 --seed 42 --out "$big"
expected="$here/expected/agree.jsonl"

have_model=0
if command -v python3 >/dev/null; then
	have_model=1
	python3 "$here/criteria_model.py" "$crit" "$agree" >"$work/agree.model"
	if cmp -s "$work/agree.model" "$expected"; then
		ok "criteria_model on the agreement corpus == expected/agree.jsonl"
	else
		bad "criteria_model on the agreement corpus differs from expected/agree.jsonl:"
		diff "$work/agree.model" "$expected" | head -6 | cut -c1-300
	fi
	python3 "$here/criteria_model.py" "$crit" "$big" >"$work/big.model"
else
	skip "python3 missing: criteria_model checks"
fi

peers=()
if [ -x "$PEERS/peers/run_peer.sh" ] && command -v node >/dev/null && command -v npm >/dev/null \
	&& command -v jq >/dev/null; then
	cp -R "$PEERS/peers" "$work/peers"
	chmod -R u+w "$work/peers"
	rm -rf "$work/peers/jre/node_modules" "$work/peers/jsonlogic/node_modules"
	peers=(jq)
	for p in jsonlogic jre; do
		if (cd "$work/peers/$p" && npm ci --silent --no-audit --no-fund >"$work/npm-$p.log" 2>&1); then
			peers+=("$p")
		else
			bad "npm ci for peer $p: $(tail -3 "$work/npm-$p.log")"
		fi
	done
else
	skip "peers (need $PEERS/peers, node, npm, jq)"
fi
for corpus in agree big; do
	for p in ${peers[@]+"${peers[@]}"}; do
		if ! "$work/peers/run_peer.sh" "$p" "$work/$corpus" >"$work/$corpus.$p" 2>"$work/$corpus.$p.err"; then
			bad "peer $p failed on the $corpus corpus: $(head -3 "$work/$corpus.$p.err")"
			continue
		fi
		nfiles=$(find "$work/$corpus" -maxdepth 1 -name '*.json' | wc -l)
		[ "$(wc -l <"$work/$corpus.$p")" -eq "$nfiles" ] || bad "peer $p: line count != $nfiles on $corpus"
		if [ "$p" != jq ] && [ -f "$work/$corpus.jq" ]; then
			if cmp -s "$work/$corpus.jq" "$work/$corpus.$p"; then
				ok "peers on the $corpus corpus: jq == $p ($nfiles files)"
			else
				bad "peers on the $corpus corpus: jq != $p"
				diff "$work/$corpus.jq" "$work/$corpus.$p" | head -4 | cut -c1-300
			fi
		fi
	done
done
if [ -f "$work/agree.jq" ]; then
	if [ "$update" = 1 ] && [ "$fails" = 0 ]; then
		mkdir -p "$here/expected"
		cp "$work/agree.jq" "$expected"
		ok "expected/agree.jsonl rewritten from the peers"
	elif cmp -s "$work/agree.jq" "$expected"; then
		ok "peers on the agreement corpus == expected/agree.jsonl"
	else
		bad "peers on the agreement corpus differ from expected/agree.jsonl"
	fi
	if [ "$have_model" = 1 ] && [ -f "$work/big.jq" ]; then
		if cmp -s "$work/big.model" "$work/big.jq"; then
			ok "criteria_model == peers on 2000 files (seed 42)"
		else
			bad "criteria_model != peers on 2000 files (seed 42)"
			diff "$work/big.model" "$work/big.jq" | head -4 | cut -c1-300
		fi
	fi
elif [ "$update" = 1 ]; then
	bad "--update-expected needs the peers"
fi

echo
if [ "$fails" -ne 0 ]; then
	echo "selfcheck: $fails check(s) FAILED"
	exit 1
fi
echo "selfcheck: ok${skipped[*]:+ (skipped: ${skipped[*]})}"
