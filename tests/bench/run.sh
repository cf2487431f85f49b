#!/usr/bin/env bash
# tests/bench/run.sh - the benchmark behind `make bench`.
#
# Builds the corpus generator and the two floors of tests/bench, makes a temporary
# git repository whose criteria/ folder is tests/bench/criteria (RULES.md R01-R30 in
# our criteria language), generates corpora (shared/bench's gen_corpus.py with seeds 42 and 7 when
# present, else ours, gen_corpus.c, seed 42; N = 1000 and 10000 by default)
# in a temporary folder and measures, each REPS times under /usr/bin/time -v:
#
#   read_floor    read every file (I/O floor)
#   parse_floor   read + cJSON parse + free (parse floor)
#   emheval       emheval evaluate ... -j 2 --format outcomes --quiet CORPUS
#   jq, jsonlogic, jre
#                 the peers of shared/bench (or $PEERS), copied to the temporary
#                 folder and installed there with `npm ci`, when present
#
# and prints one table per N: median wall seconds, median CPU (user+sys), largest
# max RSS, files/s, our ratios to the parse floor and to each peer. It then compares
# emheval's outcomes.jsonl with each peer's output byte for byte, and exits non-zero,
# showing the first differing lines, on any difference. Before the timed corpora it
# checks emheval on a small agreement corpus (edge cases and pathological files)
# against tests/bench/expected/agree.jsonl, and last it times one `emheval check`.
#
# Environment (all optional):
#   EMHEVAL=path    the binary (default: build/emheval of this repository)
#   PEERS=path      the shared bench folder (default: ../shared/bench beside the repo)
#   SIZES="1000 10000"  SEED=42  REPS=3  JOBS=2  CC=cc
#   SHARED_SEEDS="42 7"  the seeds of the shared generator's corpora
#   CHECK_REPS=21   runs of one `check` and of the libgit2 start-up floor (git_floor.c)
#   CORPORA=shared|ours|both  which generator makes the timed corpora (default
#                   shared when $PEERS/gen_corpus.py is present, else ours)
#   NO_ENGINE=1     measure floors and peers only (before emheval exists)
#   NO_PEERS=1      skip the peers
#   KEEP=1          keep the temporary folder and print where it is
#   LEDGER_N=10000  dossiers in the register benchmark (register.sh); 0 skips it
#   OBSERVERS=0     skip the observer benchmarks (har.sh; tests/artifacts/bench.sh, which needs smali)
# Exit status: 0 all outcomes agree; 1 a difference or a failed command; 2 setup error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
EMHEVAL="${EMHEVAL:-$root/build/emheval}"
PEERS="${PEERS:-$root/../shared/bench}"
SIZES="${SIZES:-1000 10000}"
SEED="${SEED:-42}"
SHARED_SEEDS="${SHARED_SEEDS:-42 7}"
CORPORA="${CORPORA:-shared}"
REPS="${REPS:-3}"
CHECK_REPS="${CHECK_REPS:-21}"
JOBS="${JOBS:-2}"
CC="${CC:-cc}"
NO_ENGINE="${NO_ENGINE:-0}"
NO_PEERS="${NO_PEERS:-0}"
KEEP="${KEEP:-0}"

say() { printf '%s\n' "$*"; }
warn() { printf 'bench: %s\n' "$*" >&2; }
fatal() { printf 'bench: %s\n' "$*" >&2; exit 2; }

status=0
loud_fail() { # a difference or a failed command: remembered, reported at the end
	status=1
	printf '\n!!!!!!!!!! BENCH FAILURE: %s\n' "$*" >&2
}

# ---------------------------------------------------------------- tools
if [ ! -x /usr/bin/time ]; then
	sh "$root/tests/deps.sh" time || fatal "/usr/bin/time is missing (Debian package 'time')"
fi
command -v git >/dev/null || fatal "git is missing"
pkg-config --exists libcjson || sh "$root/tests/deps.sh" libcjson-dev pkg-config \
	|| fatal "libcjson-dev is missing"

engine=1
if [ "$NO_ENGINE" = 1 ]; then
	engine=0
else
	case "$EMHEVAL" in /*) ;; *) EMHEVAL="$(pwd)/$EMHEVAL" ;; esac
	[ -x "$EMHEVAL" ] || fatal "no emheval at $EMHEVAL (build it with make, set EMHEVAL=, or NO_ENGINE=1 for floors and peers only)"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/emheval-bench.XXXXXX")"
if [ "$KEEP" = 1 ]; then
	trap 'say "bench: kept $work"' EXIT
else
	trap 'rm -rf "$work"' EXIT
fi

# ---------------------------------------------------------------- build
CFLAGS_BENCH="-std=c11 -O2 -Wall -Wextra -Werror -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -D_POSIX_C_SOURCE=200809L"
mkdir -p "$work/bin"
for prog in gen_corpus read_floor parse_floor; do
	# shellcheck disable=SC2046,SC2086
	"$CC" $CFLAGS_BENCH -o "$work/bin/$prog" "$here/$prog.c" $(pkg-config --cflags --libs libcjson) \
		|| fatal "building $prog failed"
done
GEN="$work/bin/gen_corpus"
# shellcheck disable=SC2046,SC2086
"$CC" $CFLAGS_BENCH -o "$work/bin/git_floor" "$here/git_floor.c" $(pkg-config --cflags --libs libgit2) \
	|| fatal "building git_floor failed (libgit2-dev)"

# ---------------------------------------------------------------- criteria repository
repo="$work/criteria-repo"
mkdir -p "$repo"
cp -R "$here/criteria" "$repo/criteria"
git -C "$repo" -c init.defaultBranch=main init -q
git -C "$repo" add -A
git -C "$repo" -c user.name=bench -c user.email=bench@localhost -c commit.gpgsign=false \
	commit -q -m "bench criteria R01-R30"
EVAL_CRITERIA=(--criteria "$repo" --criteria-path criteria)

# ---------------------------------------------------------------- peers
peers=()
if [ "$NO_PEERS" != 1 ] && [ -x "$PEERS/peers/run_peer.sh" ]; then
	cp -R "$PEERS/peers" "$work/peers"
	chmod -R u+w "$work/peers"
	rm -rf "$work/peers/jre/node_modules" "$work/peers/jsonlogic/node_modules"
	if ! command -v jq >/dev/null; then sh "$root/tests/deps.sh" jq || true; fi
	if command -v jq >/dev/null; then peers+=(jq); else warn "jq missing: jq peer skipped"; fi
	if command -v node >/dev/null && command -v npm >/dev/null; then
		for p in jsonlogic jre; do
			if (cd "$work/peers/$p" && npm ci --silent --no-audit --no-fund >"$work/npm-$p.log" 2>&1); then
				peers+=("$p")
			else
				warn "npm ci failed for peer $p (see below): skipped"; tail -5 "$work/npm-$p.log" >&2
			fi
		done
	else
		warn "node/npm missing: jsonlogic and jre peers skipped"
	fi
	say "peers: ${peers[*]:-none} (from $PEERS)"
else
	say "peers: none (no $PEERS/peers/run_peer.sh, or NO_PEERS=1)"
fi

# ---------------------------------------------------------------- helpers
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print 0; else print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# run_cmd LABEL CORPUS OUT: the command line of LABEL on CORPUS (stdout -> OUT)
# emheval writes OUTDIR/outcomes.jsonl itself; its stdout goes to OUT.stdout.
cmd_for() {
	local label=$1 corpus=$2 outdir=$3
	case "$label" in
	read_floor | parse_floor) CMD=("$work/bin/$label" "$corpus") ;;
	emheval) CMD=("$EMHEVAL" evaluate "${EVAL_CRITERIA[@]}" --out "$outdir" -j "$JOBS" \
		--format outcomes --quiet "$corpus") ;;
	*) CMD=("$work/peers/run_peer.sh" "$label" "$corpus") ;;
	esac
}

# measure LABEL CORPUS OUTFILE: REPS timed runs; sets WALL CPU RSS_KIB, writes the
# output (emheval: OUTDIR/outcomes.jsonl copied) to OUTFILE. Returns 1 on failure.
measure() {
	local label=$1 corpus=$2 out=$3 r rc t0 t1 w u s m
	local walls=() cpus=() rss=0 tf="$work/time.txt" err="$work/stderr.txt" od="$work/out-$label"
	for ((r = 1; r <= REPS; r++)); do
		rm -rf "$od"
		cmd_for "$label" "$corpus" "$od"
		t0=$(date +%s.%N)
		set +e
		/usr/bin/time -v -o "$tf" "${CMD[@]}" >"$out.stdout" 2>"$err"
		rc=$?
		set -e
		t1=$(date +%s.%N)
		if [ "$label" = emheval ]; then
			# 0 = all approved, 1 = evaluated, some not approved; 2+ = an error
			if [ "$rc" -gt 1 ] || [ ! -f "$od/outcomes.jsonl" ]; then
				loud_fail "$label on $corpus exited $rc$([ -f "$od/outcomes.jsonl" ] || printf ', no outcomes.jsonl'): ${CMD[*]}"
				head -20 "$err" >&2
				return 1
			fi
			cp "$od/outcomes.jsonl" "$out"
		else
			if [ "$rc" -ne 0 ]; then
				loud_fail "$label on $corpus exited $rc: ${CMD[*]}"
				head -20 "$err" >&2
				return 1
			fi
			mv "$out.stdout" "$out"
		fi
		w=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}')
		u=$(awk '/User time/ {print $NF}' "$tf")
		s=$(awk '/System time/ {print $NF}' "$tf")
		m=$(awk '/Maximum resident/ {print $NF}' "$tf")
		walls+=("$w")
		cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.3f", u + s}')")
		[ "$m" -gt "$rss" ] && rss=$m
	done
	WALL=$(printf '%s\n' "${walls[@]}" | median)
	CPU=$(printf '%s\n' "${cpus[@]}" | median)
	RSS_KIB=$rss
	return 0
}

# explode FILE: one "file rule outcome" line per outcome (for readable differences)
explode() {
	if command -v jq >/dev/null; then
		jq -r '. as $d | keys_unsorted[] | select(. != "file") | "\($d.file) \(.) \($d[.])"' "$1" 2>/dev/null \
			|| cat "$1"
	else
		sed -e 's/^{"file":"\([^"]*\)",/\1 /' -e 's/[{}"]//g' "$1" \
			| awk '{f=$1; $1=""; n=split($0, kv, ","); for (i=1;i<=n;i++) {sub(/^ /,"",kv[i]); split(kv[i], p, ":"); print f, p[1], p[2]}}'
	fi
}

# compare WHAT OURS THEIRS NFILES: byte-for-byte; on a difference shows it loudly
compare() {
	local what=$1 ours=$2 theirs=$3 nfiles=$4 lines
	lines=$(wc -l <"$ours")
	if [ "$lines" -ne "$nfiles" ]; then
		loud_fail "$what: $lines lines in $(basename "$ours") for $nfiles files"
	fi
	if cmp -s "$ours" "$theirs"; then
		say "outcomes: $what: identical ($lines lines)"
		return 0
	fi
	loud_fail "$what: outcomes differ"
	{
		say "first differing lines (< ours, > theirs):"
		diff "$ours" "$theirs" | head -6 | cut -c1-400
		say "differing outcomes (file rule: < ours, > theirs), first 40:"
		diff <(explode "$ours") <(explode "$theirs") | grep '^[<>]' | head -40
		say "differences per rule (ours -> theirs):"
		diff <(explode "$ours") <(explode "$theirs") | grep '^[<>]' \
			| awk '{k=$2" "$3; if ($1=="<") o[k]=$4; else t[k]=$4} END {for (k in o) if (k in t) {split(k, a, " "); c[a[2]" "o[k]" -> "t[k]]++} for (x in c) print "  " x ": " c[x]}' \
			| sort
	} >&2
	return 1
}

count_files() { find "$1" -maxdepth 1 -name '*.json' | wc -l; }

# ---------------------------------------------------------------- agreement corpus
# Small, untimed: edge cases and pathological files, where engines differ most.
agree="$work/corpus-agree"
"$GEN" --n 100 --seed 7 --out "$agree" --edge-cases --pathological 4
nagree=$(count_files "$agree")
expected="$here/expected/agree.jsonl"
say ""
say "== agreement corpus: $nagree files (gen_corpus --n 100 --seed 7 --edge-cases --pathological 4)"
if [ "$engine" = 1 ]; then
	REPS_SAVED=$REPS; REPS=1
	if measure emheval "$agree" "$work/agree.emheval"; then
		# By design emheval refuses a document that is not a JSON object (an input error in
		# index.json, exit status 1) where RULES.md evaluates it with every path absent.
		# Those files, and only those, are left out of every comparison, and named.
		refused=$(grep -F '"error":' "$work/agree.emheval" | grep -F 'must be a JSON object' \
			| sed -n 's/^{"file":"\([^"]*\)".*/\1/p' || true)
		nrefused=$(printf '%s' "$refused" | grep -c . || true)
		if [ "$nrefused" -gt 0 ]; then
			say "emheval refuses $nrefused non-object documents by design (left out of the comparisons): $(echo $refused)"
			drop_refused() { grep -v -F -f <(printf '{"file":"%s",\n' $refused) "$1"; }
			drop_refused "$work/agree.emheval" >"$work/agree.emheval.kept"
			mv "$work/agree.emheval.kept" "$work/agree.emheval"
			drop_refused "$expected" >"$work/agree.expected"
			expected="$work/agree.expected"
			nagree=$((nagree - nrefused))
		fi
		compare "emheval == expected/agree.jsonl" "$work/agree.emheval" "$expected" "$nagree" || true
	fi
	REPS=$REPS_SAVED
fi
for p in ${peers[@]+"${peers[@]}"}; do
	if "$work/peers/run_peer.sh" "$p" "$agree" >"$work/agree.$p" 2>"$work/agree.$p.err"; then
		if [ -n "${refused:-}" ]; then
			drop_refused "$work/agree.$p" >"$work/agree.$p.kept"
			mv "$work/agree.$p.kept" "$work/agree.$p"
		fi
		if [ "$engine" = 1 ] && [ -f "$work/agree.emheval" ]; then
			compare "emheval == $p" "$work/agree.emheval" "$work/agree.$p" "$nagree" || true
		else
			compare "$p == expected/agree.jsonl" "$work/agree.$p" "$expected" "$nagree" || true
		fi
	else
		loud_fail "peer $p failed on the agreement corpus"; head -5 "$work/agree.$p.err" >&2
	fi
done

# ---------------------------------------------------------------- timed corpora
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else printf "-"}'; }

# The corpora: the shared bench's own generator (gen_corpus.py) with each of
# SHARED_SEEDS when it is present (the figures the issue's targets are stated on),
# else ours (gen_corpus.c) with SEED; CORPORA=ours|shared|both overrides.
corpora=()
if [ -f "$PEERS/gen_corpus.py" ] && command -v python3 >/dev/null; then
	case "$CORPORA" in
	ours) corpora=("ours:$SEED") ;;
	both) corpora=("ours:$SEED"); for s in $SHARED_SEEDS; do corpora+=("shared:$s"); done ;;
	*) for s in $SHARED_SEEDS; do corpora+=("shared:$s"); done ;;
	esac
else
	[ "$CORPORA" = shared ] && warn "no $PEERS/gen_corpus.py (or no python3): our generator instead"
	corpora=("ours:$SEED")
fi
say "timed corpora: ${corpora[*]} (ours = tests/bench/gen_corpus.c, shared = $PEERS/gen_corpus.py)"

first_corpus=""
for N in $SIZES; do
for spec in "${corpora[@]}"; do
	gen=${spec%%:*} seed=${spec#*:}
	corpus="$work/corpus-$N-$gen-$seed"
	if [ "$gen" = shared ]; then
		python3 "$PEERS/gen_corpus.py" "$corpus" --n "$N" --seed "$seed" >/dev/null
	else
		"$GEN" --n "$N" --seed "$seed" --out "$corpus"
	fi
	[ -n "$first_corpus" ] || first_corpus="$corpus"
	nfiles=$(count_files "$corpus")
	bytes=$(find "$corpus" -maxdepth 1 -name '*.json' -printf '%s\n' | awk '{s += $1} END {print s + 0}')
	"$work/bin/read_floor" "$corpus" >/dev/null # warm the page cache

	labels=(read_floor parse_floor)
	[ "$engine" = 1 ] && labels+=(emheval)
	labels+=(${peers[@]+"${peers[@]}"})
	declare -A W=() C=() M=() OK=()
	for label in "${labels[@]}"; do
		if measure "$label" "$corpus" "$work/out-$N.$label"; then
			W[$label]=$WALL; C[$label]=$CPU; M[$label]=$RSS_KIB; OK[$label]=1
		fi
	done

	say ""
	say "== N = $N: $nfiles files, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1048576}') MiB, corpus $gen seed $seed, $(nproc) cores, median of $REPS, -j $JOBS"
	say ""
	say "| command | wall s | CPU s user+sys | max RSS MiB | files/s | wall / parse floor | CPU / parse floor |"
	say "|---|---:|---:|---:|---:|---:|---:|"
	for label in "${labels[@]}"; do
		[ "${OK[$label]:-0}" = 1 ] || { say "| $label | failed | | | | | |"; continue; }
		printf '| %s | %.3f | %.2f | %s | %.0f | %s | %s |\n' "$label" "${W[$label]}" "${C[$label]}" \
			"$(mib "${M[$label]}")" "$(awk -v n="$nfiles" -v w="${W[$label]}" 'BEGIN {print (w > 0 ? n / w : 0)}')" \
			"$(ratio "${W[$label]}" "${W[parse_floor]:-0}")" "$(ratio "${C[$label]}" "${C[parse_floor]:-0}")"
	done
	if [ "$engine" = 1 ] && [ "${OK[emheval]:-0}" = 1 ] && [ ${#peers[@]} -gt 0 ]; then
		say ""
		say "| emheval vs peer | peer wall s | emheval wall / peer | emheval CPU / peer | emheval RSS / peer | peer wall / emheval |"
		say "|---|---:|---:|---:|---:|---:|"
		for p in "${peers[@]}"; do
			[ "${OK[$p]:-0}" = 1 ] || continue
			printf '| %s | %.3f | %s | %s | %s | %s |\n' "$p" "${W[$p]}" "$(ratio "${W[emheval]}" "${W[$p]}")" \
				"$(ratio "${C[emheval]}" "${C[$p]}")" "$(ratio "${M[emheval]}" "${M[$p]}")" \
				"$(ratio "${W[$p]}" "${W[emheval]}")x"
		done
	fi
	say ""
	for p in ${peers[@]+"${peers[@]}"}; do
		[ "${OK[$p]:-0}" = 1 ] || continue
		if [ "$engine" = 1 ] && [ "${OK[emheval]:-0}" = 1 ]; then
			compare "N=$N $gen:$seed emheval == $p" "$work/out-$N.emheval" "$work/out-$N.$p" "$nfiles" || true
		elif [ "$p" != "${peers[0]}" ] && [ "${OK[${peers[0]}]:-0}" = 1 ]; then
			compare "N=$N $gen:$seed ${peers[0]} == $p" "$work/out-$N.${peers[0]}" "$work/out-$N.$p" "$nfiles" || true
		fi
	done
	unset W C M OK
	# Only the first corpus is kept (the check below reads it): N = 20,000 is 180 MiB each.
	[ "$corpus" = "$first_corpus" ] || rm -rf "$corpus"
done
done

# ---------------------------------------------------------------- one `emheval check`
if [ "$engine" = 1 ] && [ -n "$first_corpus" ]; then
	sub="$first_corpus/sub_000000.json"
	# Short commands: CHECK_REPS runs each, check and the floor taking turns so that both meet the same load.
	walls=(); cpus=(); gwalls=(); rss=0; failed=0
	for ((r = 1; r <= CHECK_REPS; r++)); do
		t0=$(date +%s.%N)
		set +e
		/usr/bin/time -v -o "$work/time.txt" "$EMHEVAL" check "${EVAL_CRITERIA[@]}" "$sub" \
			>"$work/check.out" 2>"$work/check.err"
		rc=$?
		set -e
		t1=$(date +%s.%N)
		if [ "$rc" -gt 1 ]; then
			loud_fail "emheval check exited $rc: $EMHEVAL check ${EVAL_CRITERIA[*]} $sub"
			head -20 "$work/check.err" >&2
			failed=1
			break
		fi
		walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}')")
		cpus+=("$(awk '/User time/ {u = $NF} /System time/ {s = $NF} END {printf "%.3f", u + s}' "$work/time.txt")")
		m=$(awk '/Maximum resident/ {print $NF}' "$work/time.txt")
		[ "$m" -gt "$rss" ] && rss=$m
		t0=$(date +%s.%N)
		/usr/bin/time -o "$work/time-git.txt" "$work/bin/git_floor" || loud_fail "git_floor failed" # timed as check is
		t1=$(date +%s.%N)
		gwalls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}')")
	done
	if [ "$failed" = 0 ]; then
		cw=$(printf '%s\n' "${walls[@]}" | median)
		gw=$(printf '%s\n' "${gwalls[@]}" | median)
		say ""
		say "== one submission: emheval check (criteria from git), median of $CHECK_REPS"
		say ""
		say "| command | wall s | CPU s user+sys | max RSS MiB |"
		say "|---|---:|---:|---:|"
		printf '| emheval check sub_000000.json | %.3f | %.3f | %s |\n' \
			"$cw" "$(printf '%s\n' "${cpus[@]}" | median)" "$(mib "$rss")"
		printf '| git_floor (libgit2 init and shutdown only) | %.3f | | |\n' "$gw"
		say ""
		say "check above the libgit2 floor: $(awk -v a="$cw" -v b="$gw" 'BEGIN {printf "%.1f", (a - b) * 1000}') ms (target: within 10 ms)"
	fi
fi

# ---------------------------------------------------------------- the register (issue 16)
# A ledger of LEDGER_N dossiers (default 10000; 0 skips): register, again incrementally, and due.
if [ "$engine" = 1 ] && [ "${LEDGER_N:-10000}" != 0 ]; then
	EMHEVAL="$EMHEVAL" JOBS="$JOBS" bash "$here/register.sh" || loud_fail "the register benchmark failed"
fi

# ---------------------------------------------------------------- the observers (issue 13)
# A network capture of 5,000 requests and a 50 MB APK (OBSERVERS=0 skips; the APK needs smali, about a minute).
if [ "$engine" = 1 ] && [ "${OBSERVERS:-1}" != 0 ]; then
	say ""
	say "## Observers"
	bash "$here/har.sh" "$EMHEVAL" || loud_fail "the capture benchmark failed"
	if command -v smali >/dev/null 2>&1 && command -v zip >/dev/null 2>&1; then
		bash "$root/tests/artifacts/bench.sh" "$(dirname "$EMHEVAL")" || loud_fail "the APK benchmark failed"
	else
		say "APK benchmark skipped: smali or zip missing (make deps installs them)"
	fi
fi

say ""
if [ "$status" -ne 0 ]; then
	say "bench: FAILED (see the BENCH FAILURE messages above)"
elif [ "$engine" = 1 ] && [ ${#peers[@]} -eq 0 ]; then
	say "bench: done; no peers here, so outcomes were checked only against expected/agree.jsonl"
else
	say "bench: done"
fi
exit "$status"
