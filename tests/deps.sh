#!/bin/sh
# Installs the Debian packages given as arguments when any is missing: with apt-get
# when run as root, otherwise prints the exact command and fails.
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "emheval: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
else
	echo "emheval: missing Debian packages; run:  sudo apt-get install -y$missing" >&2
	exit 1
fi
