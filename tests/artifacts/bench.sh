#!/bin/bash
# bench.sh [EMHEVAL_BUILD] - times the APK reader on a 50 MB APK (docs/performance.md): 20,000 classes of
# 8 methods each assembled by smali into a 10.4 MB dex, stored four times as classes.dex to classes4.dex
# (80,000 classes, 41.7 MB to inflate), the test manifest, and 42 MB of incompressible assets, zipped.
# Run by make bench (tests/bench/run.sh, OBSERVERS=0 skips it), not by make test (smali takes a minute or so
# on 20,000 files). Needs the tools of make.sh.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${1:-$ROOT/build}
W=$(mktemp -d "${TMPDIR:-/tmp}/emheval-apkbench.XXXXXX")
trap 'rm -rf "$W"' EXIT
bash "$HERE/make.sh" "$W/fx" >/dev/null
python3 - "$W/src" <<'PY'
import os, sys
out = sys.argv[1]
os.makedirs(out)
for i in range(20000):
    with open(os.path.join(out, "C%d.smali" % i), "w") as f:
        f.write(".class public Lcom/vendor%d/sdk%d/Class%d;\n.super Ljava/lang/Object;\n" % (i % 97, i % 13, i))
        for m in range(8):
            f.write(".method public static m%d(I)I\n    .registers 2\n    const-string v0, \"s%d_%d\"\n"
                    "    add-int/lit8 p0, p0, %d\n    return p0\n.end method\n" % (m, i, m, m))
PY
smali assemble -o "$W/big.dex" "$W/src"
mkdir "$W/apk"
for i in "" 2 3 4; do cp "$W/big.dex" "$W/apk/classes$i.dex"; done
cp "$W/fx/AndroidManifest.xml" "$W/apk/"
head -c 42000000 /dev/urandom >"$W/apk/assets.bin"
(cd "$W/apk" && zip -q ../big.apk AndroidManifest.xml classes.dex classes2.dex classes3.dex classes4.dex && zip -q -0 ../big.apk assets.bin)
cc -std=c11 -O2 -I"$ROOT" -I"$ROOT/include" "$HERE/bench_apk.c" "$BUILD/libemheval.a" \
	$(pkg-config --libs libzip libxml-2.0 libplist-2.0 link-grammar libexttextcat libgit2 libcjson libpcre2-8 libcrypto) \
	-lunistring -lm -lpthread -o "$W/bench_apk"
"$W/bench_apk" "$W/big.apk" 5
