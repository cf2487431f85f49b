#!/bin/bash
# Options from the tables in cli/: every getopt_long form, "-" for standard
# input and output, each command's own --help, "did you mean" for a mistyped
# option or command, "error:" in every error, the man page and the version.
SUITE=options
. "$(dirname "$0")/lib.sh"
MINI=$ROOT/tests/data/mini
REPO=$TMP/repo
make_repo "$REPO" "$MINI/criteria"

# The reference: a table of the criteria on standard output.
run_emheval criteria --criteria "$REPO"
expect_rc 0 "criteria on standard output"
want=$out
check "the reference lists criteria" test -n "$want"

# -o FILE, -oFILE, --output FILE, --output=FILE, and - for standard output.
for form in "-o $TMP/a.txt" "-o$TMP/b.txt" "--output $TMP/c.txt" "--output=$TMP/d.txt"; do
	# shellcheck disable=SC2086 # the form is two words or one
	run_emheval criteria --criteria "$REPO" $form
	expect_rc 0 "criteria $form"
done
for f in a b c d; do
	check "the output of form $f is the report" test "$(cat "$TMP/$f.txt")" = "$want"
done
run_emheval criteria --criteria "$REPO" -o -
expect_rc 0 "-o -"
check "-o - writes to standard output" test "$out" = "$want"
check "-o - makes no file named -" test ! -e ./- -a ! -e "$TMP/-"
run_emheval criteria --criteria="$REPO" --format=markdown
expect_rc 0 "--criteria=REPO --format=markdown"
contains "$out" "# " "--format=markdown gives Markdown"
run_emheval criteria --format markdown --criteria "$REPO"
check "--opt value and --opt=value agree" test "$out" = "$(cd "$TMP" && "$EMHEVAL" criteria --format=markdown --criteria="$REPO")"
# An unambiguous abbreviation of a long option (GNU getopt_long).
run_emheval criteria --criteria "$REPO" --form=markdown
expect_rc 0 "--form abbreviates --format"
run_emheval check "$MINI/sub-ok" --criteria "$REPO" --max-ev=1
expect_rc 2 "an ambiguous abbreviation"
contains "$err" "error: option --max-ev is ambiguous (--max-evidence-bytes, --max-evidence-total)" "both meanings named"
# Operands before, between and after options give the same dossier.
run_emheval check "$MINI/sub-ok" --criteria "$REPO" --format json
first=$out
run_emheval check --criteria "$REPO" "$MINI/sub-ok" --format json
check "an operand between options" test "$out" = "$first"
run_emheval check --criteria "$REPO" --format json "$MINI/sub-ok"
check "an operand after the options" test "$out" = "$first"
# POSIXLY_CORRECT does not stop the options at the first operand.
out=$(POSIXLY_CORRECT=1 "$EMHEVAL" check "$MINI/sub-ok" --criteria "$REPO" --format json 2>/dev/null)
check "operands first under POSIXLY_CORRECT" test "$out" = "$first"

# -- ends the options: what follows is an operand, even when it starts with -.
cp -R "$MINI/sub-ok" "$TMP/-sub"
(cd "$TMP" && "$EMHEVAL" check --criteria "$REPO" --format json -- -sub >"$TMP/dash.json" 2>"$TMP/dash.err")
rc=$?
expect_rc 1 "a submission named -sub after --"
check "-- -sub is evaluated as the submission" grep -q '"digest": "sha256:' "$TMP/dash.json"
run_emheval criteria --criteria "$REPO" -- --format
expect_rc 2 "after --, --format is an operand"
contains "$err" "unexpected argument --format" "the operand after -- is named"

# Clustered flags and a short option's value: -qj1 is -q -j 1.
mkdir -p "$TMP/port"
cp -R "$MINI/sub-ok" "$TMP/port/a"
run_emheval evaluate --criteria "$REPO" --out "$TMP/ev" -qj1 "$TMP/port"
expect_rc 0 "evaluate -qj1"
check "-qj1: the dossier is written" test -f "$TMP/ev/a.json"
case "$err" in *evaluated*) fail "-qj1: quiet, no progress" ;; *) pass ;; esac

# - reads the dossier from standard input (report) and writes to standard output.
"$EMHEVAL" check "$MINI/sub-bad" --criteria "$REPO" --format json -o "$TMP/bad.json" 2>/dev/null
"$EMHEVAL" report - --format markdown -o - <"$TMP/bad.json" >"$TMP/stdin.md" 2>"$TMP/stdin.err"
rc=$?
expect_rc 1 "report - < dossier (rejected)"
run_emheval report "$TMP/bad.json" --format markdown
check "report - reads standard input, -o - writes standard output" test "$(cat "$TMP/stdin.md")" = "$out"

# Each command's --help is its own page, from its table; ledger --help shows its three.
for cmd in init check hash report evaluate criteria keygen verify sign-decisions review "ledger verify" "ledger log" \
	"ledger show" "ledger add" lint test impact register due; do
	# shellcheck disable=SC2086
	run_emheval $cmd --help
	expect_rc 0 "$cmd --help"
	contains "$out" "usage: emheval $cmd" "$cmd --help names the command"
	contains "$out" "-h, --help" "$cmd --help lists --help"
	check "$cmd --help is one command's page, not the overview" test "$(printf '%s\n' "$out" | grep -c '^usage:')" = 1
done
run_emheval check -h
contains "$out" "--max-depth N" "check -h lists the limits"
contains "$out" "(default: HEAD)" "check -h shows a default"
run_emheval criteria --help
case "$out" in *--max-depth*) fail "criteria --help lists only its own options" ;; *) pass ;; esac
run_emheval help due
expect_rc 0 "help due"
check "help due is due --help" test "$out" = "$("$EMHEVAL" due --help)"
run_emheval help ledger add
check "help ledger add is ledger add --help" test "$out" = "$("$EMHEVAL" ledger add --help)"
run_emheval ledger --help
expect_rc 0 "ledger --help"
contains "$out" "usage: emheval ledger add" "ledger --help shows add"
run_emheval --help
expect_rc 0 "--help"
contains "$out" "  emheval check SUBMISSION" "the overview lists check with its operand"
check "the overview gives one line per command" \
	test "$(printf '%s\n' "$out" | sed -n '/^Commands:/,/^$/p' | grep -vc '^  emheval \|^Commands:\|^$')" = 0

# Unknown options and commands: named, with the nearest when it is close.
run_emheval check "$MINI/sub-ok" --fromat json
expect_rc 2 "a misspelt option"
contains "$err" "emheval: error: unknown option --fromat (did you mean --format?)" "did you mean --format"
contains "$err" "Try 'emheval check --help'." "the hint names the command's help"
run_emheval check "$MINI/sub-ok" --crtieria-path=x
contains "$err" "unknown option --crtieria-path (did you mean --criteria-path?)" "a transposition, cut at ="
run_emheval check "$MINI/sub-ok" --zzzzzz
expect_rc 2 "a far-off option"
contains "$err" "error: unknown option --zzzzzz" "a far-off option is named"
case "$err" in *"did you mean"*) fail "no suggestion for a far-off option" ;; *) pass ;; esac
run_emheval check "$MINI/sub-ok" -Z
contains "$err" "unknown option -Z" "an unknown short option"
run_emheval chekc
expect_rc 2 "a misspelt command"
contains "$err" "unknown command 'chekc' (did you mean check?)" "did you mean check"
run_emheval ledger verfy x
expect_rc 2 "a misspelt ledger subcommand"
contains "$err" "(did you mean ledger verify?)" "did you mean ledger verify"
run_emheval frobnicate
case "$err" in *"did you mean"*) fail "no suggestion for a far-off command" ;; *) pass ;; esac
run_emheval check "$MINI/sub-ok" --format
expect_rc 2 "an option without its value"
contains "$err" "error: option --format needs a value (FORMAT)" "the missing value is named"
run_emheval criteria -o
contains "$err" "error: option -o needs a value (FILE)" "a short option without its value"
run_emheval evaluate --quiet=yes --out "$TMP/x" "$TMP/port"
expect_rc 2 "a value given to a flag"
contains "$err" "error: option --quiet takes no value" "a flag takes no value"

# Errors say error: after the location, the way compilers do.
printf '{"schema_version": 1,\n "id": }\n' >"$TMP/broken.json"
run_emheval check "$TMP/broken.json" --criteria "$REPO"
expect_rc 2 "a broken submission"
contains "$err" "broken.json:2:" "the error is located"
check "every error line says error: after emheval:" test -z "$(printf '%s\n' "$err" | grep -v '^Try ' | grep -v '^emheval: .*error: ')"
run_emheval check "$MINI/sub-ok" --criteria "$TMP/nowhere"
contains "$err" "emheval: error: " "an unlocated error says error:"

# The man page comes from the same tables, with the version from the one place it is written.
version=$(sed -n 's/^#define EMHEVAL_VERSION "\(.*\)"$/\1/p' "$ROOT/include/emheval/emheval.h")
run_emheval --version
check "--version prints the header's version" test "$out" = "emheval $version"
check "the dossier records the same version" test "$(printf '%s' "$first" | jq -r .tool.version)" = "$version"
"$EMHEVAL" --man >"$TMP/man.1"
check "--man writes roff" test "$(head -c 2 "$TMP/man.1")" = '.\'
contains "$(cat "$TMP/man.1")" ".TH EMHEVAL 1 \"\" \"emheval $version\"" "the man page carries the version"
contains "$(cat "$TMP/man.1")" '\fB\-\-criteria\-path\fR \fIDIR\fR' "an option's line in roff"
contains "$(cat "$TMP/man.1")" 'criteria folder inside it (default: criteria).' "its help and default, from the table"
if command -v groff >/dev/null; then
	check "groff reads the man page without a warning" test -z "$(groff -man -Tutf8 -ww -z "$TMP/man.1" 2>&1)"
fi
# ---- --color WHEN, NO_COLOR and TERM=dumb (the text report on a terminal) --------------------------------
# on_tty CMD...: runs CMD with a pseudo-terminal as its standard output (Python's pty) and prints what it wrote.
on_tty() {
	python3 -c 'import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        d = os.read(fd, 65536)
    except OSError:
        break
    if not d:
        break
    out += d
os.waitpid(pid, 0)
sys.stdout.buffer.write(out)' "$@"
}
esc=$(printf '\033[')
sub=$ROOT/submissions/01-calm-breath
has_esc() { case "$1" in *"$esc"*) return 0 ;; *) return 1 ;; esac; }
check "on a terminal the text report is coloured" has_esc "$(TERM=xterm NO_COLOR= on_tty "$EMHEVAL" check "$sub")"
check "TERM=dumb: no colour on a terminal" eval '! has_esc "$(TERM=dumb on_tty "$EMHEVAL" check "$sub")"'
check "NO_COLOR: no colour on a terminal" eval '! has_esc "$(TERM=xterm NO_COLOR=1 on_tty "$EMHEVAL" check "$sub")"'
check "--color=never: no colour on a terminal" \
	eval '! has_esc "$(TERM=xterm on_tty "$EMHEVAL" check "$sub" --color=never)"'
check "--color=always: colour into a pipe" has_esc "$("$EMHEVAL" check "$sub" --color always)"
check "auto into a pipe: no colour" eval '! has_esc "$("$EMHEVAL" check "$sub")"'
run_emheval check "$sub" --format json -o "$TMP/01.json"
check "report --color=always colours a saved dossier" has_esc "$("$EMHEVAL" report "$TMP/01.json" --color=always)"
run_emheval check "$sub" --color=sometimes
expect_rc 2 "--color with another word is a usage error"
contains "$err" "--color takes auto, always or never" "--color's error says what it takes"
summary
