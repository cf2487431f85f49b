#!/usr/bin/env python3
"""gen_ledger.py DIR N - the submissions of a large register benchmark (issue 16 item 4).

Writes DIR/subs/NNNNN/: copies of the example submissions (submissions/*, in turn) whose app.id is made
unique (org.bench.app-NNNNN), with their evidence files hard-linked (copied where links are not possible),
so `emheval evaluate --ledger` files N dossiers of N apps. Deterministic: the same N gives the same files.
"""
import json
import os
import shutil
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_ledger.py DIR N")
    out, n = sys.argv[1], int(sys.argv[2])
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "submissions")
    examples = sorted(d for d in os.listdir(root) if os.path.isfile(os.path.join(root, d, "submission.json")))
    for i in range(n):
        src = os.path.join(root, examples[i % len(examples)])
        dst = os.path.join(out, "subs", "%05d" % i)
        os.makedirs(dst, exist_ok=True)
        for name in sorted(os.listdir(src)):
            s, d = os.path.join(src, name), os.path.join(dst, name)
            if name == "submission.json" or not os.path.isfile(s) or os.path.exists(d):
                continue
            try:
                os.link(s, d)
            except OSError:
                shutil.copyfile(s, d)
        with open(os.path.join(src, "submission.json"), encoding="utf-8") as f:
            doc = json.load(f)
        doc["app"]["id"] = "org.bench.app-%05d" % i
        with open(os.path.join(dst, "submission.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main()
