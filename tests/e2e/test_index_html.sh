#!/bin/bash
# A batch's index.html (issue 15): two submissions of the same app in different folders are told apart by their
# folder, an input error's row says why and links nowhere, and every link of the page leads to a file it wrote.
SUITE=index_html
. "$(dirname "$0")/lib.sh"

REPO=$TMP/repo
make_repo "$REPO" "$ROOT/tests/data/mini/criteria"
P=$TMP/portfolio
mkdir -p "$P/vendor-a" "$P/vendor-b" "$P/broken"
cp -R "$ROOT/tests/data/mini/sub-ok" "$P/vendor-a/calm"
cp -R "$ROOT/tests/data/mini/sub-ok" "$P/vendor-b/calm"
cp -R "$ROOT/tests/data/mini/sub-bad" "$P/vendor-b/calm bad"
printf '{"submission_date": ' >"$P/broken/submission.json"
run_emheval evaluate --criteria "$REPO" --out "$TMP/out-dir" --format html,json --quiet \
	"$P/vendor-a/calm" "$P/vendor-b/calm" "$P/vendor-b/calm bad" "$P/broken"
check "the batch runs to the end (not approved: exit 1)" test "$rc" = 1
INDEX=$TMP/out-dir/index.html
check "index.html is written" test -s "$INDEX"
check "index.html is well-formed" xmllint --noout "$INDEX"

# Every href is a fragment of the page or a file of the batch.
hrefs=$(grep -o 'href="[^"]*"' "$INDEX" | sed 's/^href="//; s/"$//')
nlinks=0
while IFS= read -r h; do
	[ -n "$h" ] || continue
	case "$h" in
	'#'*) id=${h#\#}; check "fragment $h names an id of the page" grep -q "id=\"$id\"" "$INDEX" ;;
	*) f=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.unquote(sys.argv[1]))' "$h")
	   check "link $h leads to a file" test -f "$TMP/out-dir/$f"; nlinks=$((nlinks + 1)) ;;
	esac
done <<<"$hrefs"
check "the three evaluated submissions are linked, the input error is not" test "$nlinks" = 3

# The two copies of one app: the same name and version, told apart by their folders.
rows=$(grep -o '<tr><th scope="row">.*</tr>' "$INDEX")
check "both copies of calm have a row" test "$(printf '%s\n' "$rows" | grep -c '<code>calm</code></th>')" = 2
contains "$rows" "<td><code>$P/vendor-a/calm</code></td>" "the first copy's folder is shown"
contains "$rows" "<td><code>$P/vendor-b/calm</code></td>" "the second copy's folder is shown"
contains "$rows" "href=\"calm~~2.html\"" "the second copy links to its own page"
check "which is the second copy's" grep -q "\"path\": \"$P/vendor-b/calm\", \"name\": \"calm~~2\"" "$TMP/out-dir/index.json"
# The input error: its name and folder, the reason, no link.
err_row=$(printf '%s\n' "$rows" | grep 'input error')
contains "$err_row" "<th scope=\"row\">broken</th><td><code>$P/broken</code></td>" "the input error's name and folder"
contains "$err_row" "submission.json:1:" "the input error says where"
case "$err_row" in *href=*) fail "the input error row links somewhere: $err_row" ;; *) pass ;; esac
check "and no page was written for it" test ! -e "$TMP/out-dir/broken.html"

summary
