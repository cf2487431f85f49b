#!/bin/bash
# make.sh OUTDIR - builds the artifact fixtures of the reader tests from source, with Debian's
# tools only (nothing is downloaded):
#   app.apk       classes.dex (ordinary classes) + classes2.dex (tracker SDK classes: Meta app
#                 events, Google Mobile Ads, Firebase Analytics, AppsFlyer), assembled by smali
#                 (libsmali-java), and a binary AndroidManifest.xml with four permissions, made by
#                 aapt against a stand-in framework package (aapt -x) that gives android:name its
#                 real resource id 0x01010003; classes*.dex are added with zip.
#   app16.apk     the same with the manifest's string pool in UTF-16 (aapt's default below API 7;
#                 app.apk, with --min-sdk-version 21, has it in UTF-8)
#   perms-utf8.xml  the same permissions as an XML resource compiled by aapt2, which writes its string
#                 pool in UTF-8 (manifests are always
#                 UTF-16: both aapt and aapt2 keep them so for old Android versions)
#   clean.apk     ordinary classes only, INTERNET permission only
#   *.dexdump     the independent readings: `dexdump` class descriptors of each dex, and
#   *.perms       `aapt dump permissions` of each APK
#   app.ipa       Payload/Mood.app with two frameworks and a binary Info.plist with tracking keys
#   xml.ipa       the same with an XML Info.plist and no frameworks
#   clean.ipa     Payload/Mood.app with one ordinary framework (MoodKit) and no tracking keys
#   moodleaf.ipa  example 19's package (submissions/19-moodleaf-pixel/moodleaf.ipa, committed from
#                 here): Payload/MoodLeaf.app embedding the Meta SDK (FBSDKCoreKit, FBAEMKit)
#   page.html     a sign-up page with script, img (also inside noscript), iframe and link URLs
#   bomb.apk, overlap.apk, dup.apk, truncated.apk: hostile archives (hostile.py)
# Missing tools are installed through tests/deps.sh (as root), else the script fails naming them.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$1
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
need() { command -v "$1" >/dev/null 2>&1 || sh "$HERE/../deps.sh" "$2" >&2 || { echo "make.sh: $1 (Debian $2) is missing" >&2; exit 1; }; }
need java default-jre-headless
need smali libsmali-java
need aapt aapt
need aapt2 aapt
need dexdump dexdump
need zip zip
need python3 python3
W=$(mktemp -d "${TMPDIR:-/tmp}/emheval-artifacts.XXXXXX")
trap 'rm -rf "$W"' EXIT

class() { # class DIR DESCRIPTOR [SUPER]
	local f="$1/$(echo "$2" | tr -d 'L;' | tr '/' '_').smali"
	mkdir -p "$1"
	printf '.class public %s\n.super %s\n.source "x.java"\n\n.method public constructor <init>()V\n    .registers 1\n    invoke-direct {p0}, %s-><init>()V\n    return-void\n.end method\n' \
		"$2" "${3:-Ljava/lang/Object;}" "${3:-Ljava/lang/Object;}" >"$f"
}
class "$W/main" 'Lorg/example/mood/MainActivity;'
class "$W/main" 'Lorg/example/mood/MoodEntry;'
class "$W/main" 'Lorg/example/mood/Questionnaire$Answer;'
class "$W/main" 'Lorg/example/mood/Café;'
class "$W/main" 'Landroidx/core/app/NotificationCompat;'
class "$W/trackers" 'Lcom/facebook/appevents/AppEventsLogger;'
class "$W/trackers" 'Lcom/facebook/appevents/internal/ActivityLifecycleTracker;'
class "$W/trackers" 'Lcom/google/android/gms/ads/AdView;'
class "$W/trackers" 'Lcom/google/android/gms/ads/MobileAds;'
class "$W/trackers" 'Lcom/google/firebase/analytics/FirebaseAnalytics;'
class "$W/trackers" 'Lcom/appsflyer/AppsFlyerLib;'
smali assemble -o "$W/classes.dex" "$W/main"
smali assemble -o "$W/classes2.dex" "$W/trackers"

# A stand-in for the framework's resource package: the android: attributes used, at their real ids.
mkdir -p "$W/fw/res/values"
printf '<?xml version="1.0" encoding="utf-8"?>\n<manifest package="android"/>\n' >"$W/fw/AndroidManifest.xml"
cat >"$W/fw/res/values/attrs.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<resources>
  <attr name="label" format="string"/>
  <attr name="name" format="string"/>
  <attr name="minSdkVersion" format="integer|string"/>
  <public type="attr" name="label" id="0x01010001"/>
  <public type="attr" name="name" id="0x01010003"/>
  <public type="attr" name="minSdkVersion" id="0x0101020c"/>
</resources>
XML
aapt package -f -x -M "$W/fw/AndroidManifest.xml" -S "$W/fw/res" -F "$W/fw.apk" >/dev/null

manifest() { # manifest FILE PERMISSION...
	local f=$1
	shift
	{
		printf '<?xml version="1.0" encoding="utf-8"?>\n'
		printf '<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="org.example.mood">\n'
		for p in "$@"; do printf '  <uses-permission android:name="%s"/>\n' "$p"; done
		printf '  <application android:label="Humeur – Stimmung"/>\n</manifest>\n'
	} >"$f"
}
mkdir -p "$W/app" "$W/clean"
manifest "$W/app/AndroidManifest.xml" android.permission.INTERNET android.permission.ACCESS_NETWORK_STATE \
	com.google.android.gms.permission.AD_ID android.permission.READ_CONTACTS
manifest "$W/clean/AndroidManifest.xml" android.permission.INTERNET

apk() { # apk OUT MANIFEST_DIR [AAPT_FLAGS] DEX...
	local out=$1 dir=$2 flags=$3
	shift 3
	rm -f "$out"
	# shellcheck disable=SC2086
	aapt package -f $flags -M "$dir/AndroidManifest.xml" -I "$W/fw.apk" -F "$out" >/dev/null
	(cd "$W" && zip -q "$out" "$@")
}
apk "$OUT/app.apk" "$W/app" "--min-sdk-version 21" classes.dex classes2.dex
apk "$OUT/app16.apk" "$W/app" "" classes.dex classes2.dex
cp "$W/classes.dex" "$W/c1.dex"
(cd "$W" && mkdir -p clean-dex && cp classes.dex clean-dex/)
rm -f "$OUT/clean.apk"
aapt package -f -M "$W/clean/AndroidManifest.xml" -I "$W/fw.apk" -F "$OUT/clean.apk" >/dev/null
(cd "$W/clean-dex" && zip -q "$OUT/clean.apk" classes.dex)
cp "$W/classes.dex" "$OUT/classes.dex"
cp "$W/classes2.dex" "$OUT/classes2.dex"
unzip -p "$OUT/app.apk" AndroidManifest.xml >"$OUT/AndroidManifest.xml"
unzip -p "$OUT/app16.apk" AndroidManifest.xml >"$OUT/AndroidManifest16.xml"
# The UTF-8 string pool: an XML resource through aapt2 (Debian aapt).
mkdir -p "$W/r/res/xml" "$W/r/flat"
cp "$W/clean/AndroidManifest.xml" "$W/r/AndroidManifest.xml"
sed 's/package="org.example.mood"//' "$W/app/AndroidManifest.xml" >"$W/r/res/xml/perms.xml"
aapt2 compile -o "$W/r/flat" "$W/r/res/xml/perms.xml"
aapt2 link --manifest "$W/r/AndroidManifest.xml" -I "$W/fw.apk" -o "$W/r/r.apk" "$W/r/flat/"*.flat
# aapt2 moves the android: attributes, whose API level it cannot know here, to the -v1 copy.
unzip -p "$W/r/r.apk" res/xml-v1/perms.xml >"$OUT/perms-utf8.xml"
for d in classes classes2; do
	dexdump "$OUT/$d.dex" | sed -n "s/^  Class descriptor  : '\(.*\)'$/\1/p" >"$OUT/$d.dexdump"
done
for a in app app16 clean; do
	aapt dump permissions "$OUT/$a.apk" | sed -n "s/^uses-permission: name='\(.*\)'$/\1/p" >"$OUT/$a.perms"
done

# IPA: a binary and an XML Info.plist written by Python's plistlib.
python3 - "$W" <<'PY'
import plistlib, sys, os
w = sys.argv[1]
info = {
    "CFBundleIdentifier": "org.example.mood", "CFBundleName": "Mood",
    "NSUserTrackingUsageDescription": "We use your data to show you personalised ads.",
    "GADApplicationIdentifier": "ca-app-pub-3940256099942544~1458002511",
    "FacebookAppID": "1234567890", "FacebookAutoLogAppEventsEnabled": True,
    "SKAdNetworkItems": [{"SKAdNetworkIdentifier": "cstr6suwn9.skadnetwork"},
                         {"SKAdNetworkIdentifier": "v9wttpbfk9.skadnetwork"}],
}
for kind, fmt in (("bin", plistlib.FMT_BINARY), ("xml", plistlib.FMT_XML)):
    d = os.path.join(w, "ipa-" + kind, "Payload", "Mood.app")
    os.makedirs(d)
    with open(os.path.join(d, "Info.plist"), "wb") as f:
        plistlib.dump(info, f, fmt=fmt)
    open(os.path.join(d, "Mood"), "wb").write(b"\xcf\xfa\xed\xfe")
    if kind == "bin":
        for fw in ("FBSDKCoreKit", "GoogleMobileAds", "AppsFlyerLib"):
            os.makedirs(os.path.join(d, "Frameworks", fw + ".framework"))
            open(os.path.join(d, "Frameworks", fw + ".framework", fw), "wb").write(b"\xcf\xfa\xed\xfe")
            with open(os.path.join(d, "Frameworks", fw + ".framework", "Info.plist"), "wb") as f:
                plistlib.dump({"CFBundleName": fw}, f, fmt=plistlib.FMT_BINARY)
        with open(os.path.join(d, "PrivacyInfo.xcprivacy"), "wb") as f:
            plistlib.dump({"NSPrivacyTracking": True, "NSPrivacyTrackingDomains": ["ads.example.net"]}, f,
                          fmt=plistlib.FMT_XML)
def app(root, name, bundle_id, frameworks, extra):
    d = os.path.join(w, root, "Payload", name + ".app")
    os.makedirs(d)
    with open(os.path.join(d, "Info.plist"), "wb") as f:
        plistlib.dump(dict({"CFBundleIdentifier": bundle_id, "CFBundleName": name}, **extra), f,
                      fmt=plistlib.FMT_BINARY)
    open(os.path.join(d, name), "wb").write(b"\xcf\xfa\xed\xfe")
    for fw in frameworks:
        os.makedirs(os.path.join(d, "Frameworks", fw + ".framework"))
        open(os.path.join(d, "Frameworks", fw + ".framework", fw), "wb").write(b"\xcf\xfa\xed\xfe")
        with open(os.path.join(d, "Frameworks", fw + ".framework", "Info.plist"), "wb") as f:
            plistlib.dump({"CFBundleName": fw}, f, fmt=plistlib.FMT_BINARY)
app("ipa-clean", "Mood", "org.example.mood", ["MoodKit"], {})
app("ipa-moodleaf", "MoodLeaf", "uk.co.moodleaf.app", ["FBSDKCoreKit_Basics", "FBAEMKit", "FBSDKCoreKit"],
    {"FacebookAppID": "1234567890", "FacebookAutoLogAppEventsEnabled": True})
PY
rm -f "$OUT/app.ipa" "$OUT/xml.ipa" "$OUT/clean.ipa" "$OUT/moodleaf.ipa"
# Fixed member times (zip -X drops extra fields), so the IPAs are the same bytes on every build.
find "$W"/ipa-* -exec touch -h -d "2026-12-05 00:00:00" {} +
# Members in sorted order (not the file system's), so the readers see the same order on every machine.
ipa() { (cd "$W/$1" && find Payload | LC_ALL=C sort | zip -qX "$OUT/$2" -@); }
ipa ipa-bin app.ipa
ipa ipa-xml xml.ipa
ipa ipa-clean clean.ipa
ipa ipa-moodleaf moodleaf.ipa

cat >"$OUT/page.html" <<'HTML'
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Sign up</title>
  <link rel="stylesheet" href="/static/site.css">
  <script src="https://www.googletagmanager.com/gtag/js?id=G-TEST"></script>
  <script>window.dataLayer = window.dataLayer || [];</script>
</head>
<body>
  <form action="/signup" method="post"><input name="email"><p>Unclosed paragraph
  <iframe src=" https://td.doubleclick.net/td/rul/1 " width=0 height=0></iframe>
  <noscript><img height="1" width="1" src="https://www.facebook.com/tr?id=1&ev=PageView&noscript=1"></noscript>
  <img src="logo.png" alt="Mood">
  <IMG SRC="https://bat.bing.com/action/0?ti=1">
</body>
</html>
HTML
python3 "$HERE/hostile.py" "$OUT" "$OUT/app.apk"
echo "make.sh: fixtures in $OUT"
