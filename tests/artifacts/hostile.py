#!/usr/bin/env python3
"""hostile.py OUTDIR APK - hostile archives for the reader tests, built from a real APK's members:
  bomb.apk      the APK plus a member of 4 MiB of zeros (deflated about 1000:1: the zip ratio limit)
  overlap.apk   the APK's members, plus a stored member whose data holds another member's whole local
                header and data: both central-directory entries are consistent, their bytes overlap
  dup.apk       the APK with a second member named classes2.dex
  truncated.apk the APK cut 100 bytes before its end (no central directory)
"""
import io, os, struct, sys, zipfile, zlib

out, apk = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(apk) as z:
    members = [(i.filename, z.read(i.filename)) for i in z.infolist()]

def write(name, extra=(), dup=False):
    with zipfile.ZipFile(os.path.join(out, name), "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in members:
            z.writestr(n, data)
        for n, data in extra:
            z.writestr(n, data)
        if dup:
            import warnings
            warnings.simplefilter("ignore")
            z.writestr("classes2.dex", dict(members)["classes2.dex"])

write("bomb.apk", [("assets/zeros.bin", bytes(4 << 20))])
write("dup.apk", dup=True)
raw = open(apk, "rb").read()
open(os.path.join(out, "truncated.apk"), "wb").write(raw[:-100])

# overlap.apk, written by hand: local headers, then the central directory.
def local(name, data, crc):
    n = name.encode()
    return struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 0, 0, 0, crc, len(data), len(data), len(n), 0) + n
def central(name, data, crc, offset):
    n = name.encode()
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 0, 0, 0, crc, len(data), len(data),
                       len(n), 0, 0, 0, 0, 0, offset) + n
body, cd, count = b"", b"", 0
for n, data in members:
    crc = zlib.crc32(data)
    cd += central(n, data, crc, len(body))
    body += local(n, data, crc) + data
    count += 1
inner_data = bytes(range(256)) * 8
inner = local("assets/inner.bin", inner_data, zlib.crc32(inner_data)) + inner_data
outer_off = len(body)
cd += central("assets/outer.bin", inner, zlib.crc32(inner), outer_off)
inner_off = outer_off + len(local("assets/outer.bin", inner, 0))
cd += central("assets/inner.bin", inner_data, zlib.crc32(inner_data), inner_off)
body += local("assets/outer.bin", inner, zlib.crc32(inner)) + inner
count += 2
eocd = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, count, count, len(cd), len(body), 0)
open(os.path.join(out, "overlap.apk"), "wb").write(body + cd + eocd)
