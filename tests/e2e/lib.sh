# lib.sh - helpers for the end-to-end tests: a pass/fail counter, temp
# folders, and criteria repositories made with the git CLI.
# Every test runs the real emheval binary ($EMHEVAL) on real files.

: "${EMHEVAL:?set EMHEVAL to the emheval binary}"
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org \
       GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org NO_COLOR=1
unset GIT_DIR GIT_WORK_TREE
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/emheval-e2e.XXXXXX")
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT
PASSED=0
FAILED=0

pass() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*" >&2; }

# check DESCRIPTION COMMAND...: the command must succeed.
check() { local d=$1; shift; if "$@"; then pass; else fail "$d"; fi; }

# run_emheval: runs emheval with the given arguments; sets $rc, $out, $err.
run_emheval() {
	"$EMHEVAL" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}

# expect_rc WANT DESCRIPTION: the last run's exit status must be WANT.
expect_rc() {
	if [ "$rc" = "$1" ]; then pass; else fail "$2: exit $rc, wanted $1; stderr: $(head -c 600 "$TMP/err")"; fi
}

# contains HAYSTACK NEEDLE DESCRIPTION
contains() {
	case "$1" in *"$2"*) pass ;; *) fail "$3: '$2' not in: $(printf %s "$1" | head -c 600)" ;; esac
}

# make_repo DIR SRC...: a git repository in DIR whose criteria/ is a copy of SRC.
make_repo() {
	local dir=$1 src=$2
	mkdir -p "$dir"
	git init -q "$dir"
	cp -R "$src" "$dir/criteria"
	git -C "$dir" add -A
	git -C "$dir" commit -qm "criteria"
}

summary() {
	echo "$SUITE: $PASSED passed, $FAILED failed"
	[ "$FAILED" = 0 ]
}
