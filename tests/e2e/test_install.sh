#!/bin/bash
# make install and make uninstall from the tree already built beside $EMHEVAL, into a temporary
# DESTDIR: install compiles nothing and puts the expected files; the installed binary finds its
# data from where it is; a C program links the shared library through pkg-config; bash completes
# commands and options from the installed script; uninstall leaves nothing of emheval behind.
SUITE=install
. "$(dirname "$0")/lib.sh"
BUILD=$(cd "$(dirname "$EMHEVAL")" && pwd)
if [ ! -f "$BUILD/libemheval.a" ] || [ ! -f "$BUILD/emheval.bash" ]; then
	fail "no built tree beside $EMHEVAL (make all first)"
	summary
	exit 1
fi
DEST=$TMP/dest
PFX=/opt/emh
INST=$DEST$PFX
minstall() { make -C "$ROOT" --no-print-directory BUILD="$BUILD" PREFIX="$PFX" DESTDIR="$DEST" "$@"; }

bin_before=$(stat -c %Y:%s "$BUILD/emheval")
minstall install >"$TMP/make.log" 2>&1
rc=$?
expect_rc 0 "make install: $(tail -3 "$TMP/make.log")"
check "install compiles, links and generates nothing" eval '! grep -qE "^  (CC|LINK|AR|GEN) " "$TMP/make.log"'

# Exactly the expected files (the bare criteria repository's insides aside).
{
	printf '%s\n' bin/emheval lib/libemheval.a lib/libemheval.so lib/libemheval.so.0 \
		"lib/libemheval.so.$("$EMHEVAL" --version | cut -d' ' -f2)" lib/pkgconfig/emheval.pc \
		share/man/man1/emheval.1 share/bash-completion/completions/emheval share/doc/emheval/README.md
	(cd "$ROOT" && ls include/emheval/*.h)
	(cd "$ROOT/schemas" && ls ./*.schema.json) | sed 's|^\./|share/emheval/schemas/|'
	(cd "$ROOT/docs" && ls ./*.md) | sed 's|^\./|share/doc/emheval/docs/|'
} | sort >"$TMP/want"
(cd "$INST" && find . \( -type f -o -type l \) -not -path './share/emheval/criteria.git/*' | sed 's|^\./||' | sort) >"$TMP/got"
check "install puts exactly the expected files: $(diff "$TMP/want" "$TMP/got" | tr '\n' ' ')" cmp -s "$TMP/want" "$TMP/got"
check "criteria installed as a bare repository" \
	sh -c 'git -C "$1" rev-parse --is-bare-repository | grep -qx true' _ "$INST/share/emheval/criteria.git"
check "the installed man page is the one generated from the option tables" \
	cmp -s "$INST/share/man/man1/emheval.1" "$ROOT/docs/emheval.1"
check "the installed completion is the one generated from the option tables" \
	sh -c '"$1" --completion bash | cmp -s - "$2"' _ "$EMHEVAL" "$INST/share/bash-completion/completions/emheval"
check "the shared library's soname is libemheval.so.0" \
	sh -c 'readelf -d "$1" | grep -q "SONAME.*\[libemheval.so.0\]"' _ "$INST/lib/libemheval.so"

# Every PREFIX/... path the man page's FILES names is installed (NAME stands for any name).
sed -n '/^\.SH FILES/,/^\.SH /p' "$INST/share/man/man1/emheval.1" | sed 's/\\-/-/g' |
	grep -o 'PREFIX/[A-Za-z0-9_./*-]*[A-Za-z0-9_*]' | sort -u >"$TMP/files"
contains "$(cat "$TMP/files")" "PREFIX/share/emheval/schemas/NAME.schema.json" "FILES names the installed schemas"
while read -r f; do
	path=${f/PREFIX/$INST}
	path=${path//NAME/*}
	# shellcheck disable=SC2086 # the glob is meant
	check "FILES names $f, which is installed" sh -c 'for p in "$@"; do [ -e "$p" ] || exit 1; done' _ $path
done <"$TMP/files"
# SEE ALSO names documents that are installed under share/doc/emheval.
for d in $(sed -n '/^\.SH SEE ALSO/,$p' "$INST/share/man/man1/emheval.1" | grep -o 'docs/[a-z-]*\.md'); do
	check "SEE ALSO's $d is installed" test -f "$INST/share/doc/emheval/$d"
done
# A schema's $id is its name: it ends with the installed file's name (docs/decisions.md).
for s in "$INST"/share/emheval/schemas/*.schema.json; do
	check "the \$id of $(basename "$s") names that file" \
		sh -c 'jq -er ".\"\$id\"" "$1" | grep -q "^https://emheval.example/schemas/$(basename "$1")$"' _ "$s"
done

# The installed binary, run from DESTDIR outside any repository, finds the criteria installed beside it.
mkdir -p "$TMP/elsewhere"
cp -R "$ROOT/submissions/01-calm-breath" "$TMP/elsewhere/sub"
(cd "$TMP/elsewhere" && GIT_CEILING_DIRECTORIES="$TMP" "$INST/bin/emheval" check sub --format json) >"$TMP/out.json" 2>"$TMP/err"
rc=$?
# 01 is evaluated and awaits its manual reviews (docs/profiles.md): exit 1, not 2.
expect_rc 1 "installed emheval checks outside any repository"
contains "$(cat "$TMP/out.json")" '"verdict": "awaiting_review"' "the installed set evaluates 01"
contains "$(cat "$TMP/err")" "using the installed set $INST/share/emheval/criteria.git" "it says where the criteria come from"
contains "$(cat "$TMP/out.json")" "\"commit\": \"$(git -C "$INST/share/emheval/criteria.git" rev-parse HEAD)\"" "and their commit"
# Through a symbolic link elsewhere it still finds them (the link is resolved).
ln -s "$INST/bin/emheval" "$TMP/elsewhere/emh"
(cd "$TMP/elsewhere" && GIT_CEILING_DIRECTORIES="$TMP" ./emh check sub --format json) >/dev/null 2>"$TMP/err"
contains "$(cat "$TMP/err")" "using the installed set $INST/share/emheval/criteria.git" "a symbolic link to it finds them too"
# A revision missing from a repository that has criteria is an error, not a reason to use the installed set.
make_repo "$TMP/crit" "$ROOT/criteria"
(cd "$TMP/crit" && "$INST/bin/emheval" check "$TMP/elsewhere/sub" --rev no-such-release --format json) \
	>"$TMP/out2.json" 2>"$TMP/err2"
rc=$?
expect_rc 2 "a revision the local criteria repository lacks is an input error"
contains "$(cat "$TMP/err2")" "revision 'no-such-release' not found" "it names the revision"
check "and does not fall back to the installed set" eval '! grep -q "using the installed set" "$TMP/err2"'
# The development binary has no installed set beside it (no install path is compiled in): the error and a hint.
(cd "$TMP/elsewhere" && GIT_CEILING_DIRECTORIES="$TMP" "$EMHEVAL" check sub) >/dev/null 2>"$TMP/err3"
check "the development binary, outside any repository, gives a hint naming --criteria" \
	grep -q "hint: criteria are read from git.*--criteria REPO" "$TMP/err3"

# A C program built with pkg-config links the installed shared library and runs.
cat >"$TMP/hello.c" <<'C'
#include <stdio.h>
#include <emheval/emheval.h>
int main(void)
{
	emh_buf b;
	emh_buf_init(&b, 0);
	emh_buf_append_json_string(&b, "say \"hi\"", 8);
	printf("%s %s\n", EMHEVAL_VERSION, emh_buf_cstr(&b));
	emh_buf_dispose(&b);
	return 0;
}
C
if grep -q -- '-fsanitize' "$BUILD/.flags" 2>/dev/null; then
	echo "$SUITE: the library is built with sanitizers; the pkg-config program is not linked" >&2
else
	export PKG_CONFIG_PATH="$INST/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$DEST"
	flags=$(pkg-config --cflags --libs emheval 2>"$TMP/pc.err")
	check "pkg-config knows emheval: $(cat "$TMP/pc.err")" test -n "$flags"
	contains "$(pkg-config --print-requires-private emheval)" "libgit2" "Requires.private names the dependencies"
	check "emheval.pc carries the PREFIX given to make install" grep -qx "prefix=$PFX" "$INST/lib/pkgconfig/emheval.pc"
	check "and the version of the binary" \
		test "$(pkg-config --modversion emheval)" = "$("$EMHEVAL" --version | cut -d' ' -f2)"
	contains "$(pkg-config --static --libs emheval)" "-lgit2" "a static link adds the dependencies"
	# shellcheck disable=SC2086 # pkg-config's words are meant to split
	check "a C program compiles and links with pkg-config --cflags --libs emheval" \
		cc -o "$TMP/hello" "$TMP/hello.c" $flags
	check "it links the shared library" sh -c 'readelf -d "$1" | grep -q "NEEDED.*\[libemheval.so.0\]"' _ "$TMP/hello"
	out=$(LD_LIBRARY_PATH="$INST/lib" "$TMP/hello" 2>&1)
	contains "$out" '"say \"hi\""' "and runs against it"
	unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
fi

# Bash completion: source the installed file in a real bash, set COMP_WORDS and COMP_CWORD, call it.
complete_words() {
	bash --norc --noprofile -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _emheval
		complete -p emheval >/dev/null && printf "%s\n" "${COMPREPLY[@]}"' _ \
		"$INST/share/bash-completion/completions/emheval" "$@"
}
got=$(complete_words emheval ch)
contains "$got" "check" "completion offers the command check for ch"
got=$(complete_words emheval "")
for c in init check hash report evaluate verify review ledger lint test impact register due; do
	contains "$got" "$c" "completion offers the command $c"
done
got=$(complete_words emheval ledger l)
contains "$got" "log" "completion offers ledger's subcommand log"
got=$(complete_words emheval check sub --)
for o in $("$EMHEVAL" check --help | grep -oE '^  (-., )?--[a-z-]+' | grep -oE -- '--[a-z-]+'); do
	contains "$got" "$o" "completion offers check's option $o"
done
check "completion offers no option check lacks" eval '! printf "%s\n" "$got" | grep -qx -- "--pubkey"'
got=$(complete_words emheval ledger log REPO --for)
contains "$got" "--format" "completion offers ledger log's --format"
got=$(complete_words emheval check --for)
check "completion completes a prefix to the one option: $got" test "$got" = "--format"
# An option with a fixed list of values completes to those values (cli.h, emh_cli_opt.values), not to file names.
got=$(complete_words emheval check sub --format "")
check "check --format offers the seven formats: $(echo $got)" test "$(echo $got)" = "text json html markdown junit sarif github"
got=$(complete_words emheval check sub --format sa)
check "check --format sa completes to sarif: $got" test "$got" = "sarif"
got=$(complete_words emheval check sub --format = ma)
check "check --format=ma completes to markdown: $got" test "$got" = "markdown"
got=$(complete_words emheval ledger show REPO REF --color "")
check "ledger show --color offers auto, always, never: $(echo $got)" test "$(echo $got)" = "auto always never"
got=$(complete_words emheval impact --fail-on "")
check "impact --fail-on offers its three values: $(echo $got)" test "$(echo $got)" = "newly-rejected any-change weakened"
got=$(complete_words emheval check sub --output "")
check "an option without a list (--output) offers no words, so bash completes file names" test -z "$got"
# The lists cannot drift from the parsers: every value offered is accepted (the error, if any, is about
# something else) and a value not offered is refused by name. Run in an empty folder with operands that fail later.
mkdir -p "$TMP/values" && cd "$TMP/values" || exit 1
lists=$("$EMHEVAL" --completion bash | sed -n "s/^\t'\([a-z -]*\) \(--[a-z-]*\)') COMPREPLY=(\$(compgen -W '\([^']*\)'.*/\1|\2|\3/p")
check "the completion script lists values for 13 options" test "$(printf '%s\n' "$lists" | wc -l)" = 13
while IFS='|' read -r cmd opt vals; do
	case $cmd in
	check | report) operands="absent.json" ;;
	"ledger log") operands="absent-repo" ;;
	"ledger show") operands="absent-repo ref" ;;
	impact) operands="--from a --to b absent" ;;
	due) operands="absent-repo" ;;
	*) operands="" ;;
	esac
	# shellcheck disable=SC2086 # cmd and operands are words
	"$EMHEVAL" $cmd $operands "$opt" emh-bogus >/dev/null 2>"$TMP/values.err"
	contains "$(cat "$TMP/values.err")" "'emh-bogus'" "$cmd $opt refuses a value it does not list"
	for v in $vals; do
		# shellcheck disable=SC2086
		"$EMHEVAL" $cmd $operands "$opt" "$v" >/dev/null 2>"$TMP/values.err"
		check "$cmd $opt accepts $v, as completion offers ($(head -c 200 "$TMP/values.err"))" \
			eval "! grep -q \"'$v'\" \"$TMP/values.err\""
	done
done <<EOF_LISTS
$lists
EOF_LISTS
cd "$ROOT" || exit 1

run_emheval --completion zsh
expect_rc 2 "--completion knows bash only"
contains "$err" "--completion takes one shell: bash" "and says so"

# A second install compiles nothing either, and the development binary is untouched.
minstall install >"$TMP/make2.log" 2>&1
rc=$?
expect_rc 0 "a second make install"
check "a second install compiles nothing" eval '! grep -qE "^  (CC|LINK|AR|GEN) " "$TMP/make2.log"'
check "install left the development binary as it was" test "$(stat -c %Y:%s "$BUILD/emheval")" = "$bin_before"
# install from a tree that was not built says so and builds nothing.
make -C "$ROOT" --no-print-directory BUILD="$TMP/unbuilt" PREFIX="$PFX" DESTDIR="$TMP/dest2" install >"$TMP/make3.log" 2>&1
rc=$?
check "install from an unbuilt tree fails" test "$rc" != 0
contains "$(cat "$TMP/make3.log")" "run make first" "and says to run make first"
check "and builds nothing" test ! -e "$TMP/unbuilt"

# make uninstall removes every file install put, and emheval's own folders.
minstall uninstall >"$TMP/make4.log" 2>&1
rc=$?
expect_rc 0 "make uninstall: $(tail -3 "$TMP/make4.log")"
left=$(find "$DEST" \( -type f -o -type l \) | head -5)
check "uninstall leaves no file behind: $left" test -z "$left"
left=$(find "$DEST" -name '*emheval*' | head -5)
check "nor a folder of emheval's: $left" test -z "$left"
summary
