#!/bin/sh
# regen.sh - rewrites the golden files of every report format from the fixed dossier beside this script.
# Run it after an intended change of a renderer, then read the diff before committing it:
#   make && sh tests/golden/regen.sh            (EMHEVAL=path/to/emheval to use another binary)
# tests/e2e/test_report.sh renders the same way and compares bytes.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
EMHEVAL=${EMHEVAL:-$HERE/../../build/emheval}
# What the test fixes too: 80 columns, no colour, CI locations under the submission folder.
export COLUMNS=80 NO_COLOR=1
for f in text html markdown junit sarif github; do
	ext=$(case $f in text) echo txt ;; markdown) echo md ;;
		junit) echo junit.xml ;; github) echo github.txt ;; *) echo "$f" ;; esac)
	rc=0
	"$EMHEVAL" report "$HERE/dossier.json" --format "$f" --base submissions/moodmate -o "$HERE/dossier.$ext" || rc=$?
	# The dossier is returned (not approved): exit status 1 is the verdict, not a failure.
	[ "$rc" = 1 ] || { echo "regen.sh: emheval report --format $f exited $rc" >&2; exit 1; }
	echo "wrote tests/golden/dossier.$ext"
done
