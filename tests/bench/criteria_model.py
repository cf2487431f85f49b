#!/usr/bin/env python3
"""A small reading of docs/criteria-format.md, to check tests/bench/criteria before
(and besides) the C engine: evaluates the criteria in CRITERIA_DIR over every *.json
file of CORPUS_DIR and prints one line per file in the bench's outcome format,
{"file":...,"R01":"pass",...}, in byte-wise order of file names.

    criteria_model.py CRITERIA_DIR CORPUS_DIR

It models only what the bench criteria use: tests on values (exists, absent, type,
eq, ne, in, lt/le/gt/ge, min/max_length, matches/not_matches with flags, before/after,
within_days with "of", where, all/any/none, min/max_count, unique), and/or/not, and
applies_when. Not modelled: evidence tests, requires, manual, $unknown, @as_of.
Regular expressions use Python's re with re.ASCII, which agrees with PCRE2 on the
ASCII patterns and texts of the bench (including `$` matching before a final newline).
An `error` outcome is printed as "error", so a guard that is missing shows up as a
difference against the peers. This is a test aid, not the engine.
"""
import json
import os
import re
import sys

PASS, FAIL, ERROR, REVIEW = "pass", "fail", "error", "needs_review"
MISSING = object()
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def day_number(s):
    """Days since 1970-01-01 of a valid YYYY-MM-DD string, else None."""
    if not isinstance(s, str) or not DATE_RE.match(s):
        return None
    y, m, d = int(s[0:4]), int(s[5:7]), int(s[8:10])
    if not 1 <= m <= 12 or d < 1:
        return None
    leap = (y % 4 == 0 and y % 100 != 0) or y % 400 == 0
    last = 29 if m == 2 and leap else 28 if m == 2 else 30 if m in (4, 6, 9, 11) else 31
    if d > last:
        return None
    yy = y - 1 if m <= 2 else y
    era = yy // 400
    yoe = yy - era * 400
    doy = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def resolve(value, pointer):
    if pointer == "":
        return value
    if not pointer.startswith("/"):
        raise ValueError("bad pointer " + pointer)
    for tok in pointer[1:].split("/"):
        tok = tok.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict):
            if tok not in value:
                return MISSING
            value = value[tok]
        elif isinstance(value, list):
            if not re.fullmatch(r"0|[1-9][0-9]*", tok) or int(tok) >= len(value):
                return MISSING
            value = value[int(tok)]
        else:
            return MISSING
    return value


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def has_type(v, t):
    return {
        "string": lambda: isinstance(v, str),
        "number": lambda: is_number(v),
        "integer": lambda: is_number(v) and float(v).is_integer(),
        "boolean": lambda: isinstance(v, bool),
        "null": lambda: v is None,
        "array": lambda: isinstance(v, list),
        "object": lambda: isinstance(v, dict),
        "date": lambda: day_number(v) is not None,
    }[t]()


def json_equal(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) and is_number(b):
        return a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return a == b


_rx = {}


def regex(pattern, flags):
    key = (pattern, flags)
    if key not in _rx:
        f = re.ASCII
        for c in flags or "":
            f |= {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE, "u": 0}[c]
            if c == "u":
                f &= ~re.ASCII
        _rx[key] = re.compile(pattern, f)
    return _rx[key]


def date_operand(d, root):
    if d.startswith("/"):
        v = resolve(root, d)
        return None if v is MISSING else day_number(v)
    return day_number(d)


def combine_and(outs):
    if FAIL in outs:
        return FAIL
    if ERROR in outs:
        return ERROR
    if REVIEW in outs:
        return REVIEW
    return PASS


def combine_or(outs):
    if PASS in outs:
        return PASS
    if ERROR in outs:
        return ERROR
    if REVIEW in outs:
        return REVIEW
    return FAIL


def negate(o):
    return {PASS: FAIL, FAIL: PASS}.get(o, o)


def evaluate(e, root, here):
    if "and" in e:
        return combine_and([evaluate(x, root, here) for x in e["and"]])
    if "or" in e:
        return combine_or([evaluate(x, root, here) for x in e["or"]])
    if "not" in e:
        return negate(evaluate(e["not"], root, here))
    return test(e, root, here)


def test(e, root, here):
    v = resolve(here, e["path"])
    if "absent" in e:
        return PASS if v is MISSING else FAIL
    if v is MISSING:
        return FAIL
    if isinstance(v, dict) and set(v) == {"$unknown"}:
        return REVIEW
    if "type" in e and not has_type(v, e["type"]):
        return FAIL
    if "eq" in e and not json_equal(v, e["eq"]):
        return FAIL
    if "ne" in e and json_equal(v, e["ne"]):
        return FAIL
    if "in" in e and not any(json_equal(v, x) for x in e["in"]):
        return FAIL
    for op, f in (("lt", lambda a, b: a < b), ("le", lambda a, b: a <= b),
                  ("gt", lambda a, b: a > b), ("ge", lambda a, b: a >= b)):
        if op in e:
            if not is_number(v):
                return ERROR
            if not f(v, e[op]):
                return FAIL
    for op in ("min_length", "max_length"):
        if op in e:
            if not isinstance(v, (str, list)):
                return ERROR
            n = len(v)  # code points for str (Python str is code points)
            if (op == "min_length" and n < e[op]) or (op == "max_length" and n > e[op]):
                return FAIL
    for op in ("matches", "not_matches"):
        if op in e:
            if not isinstance(v, str):
                return ERROR
            found = regex(e[op], e.get("flags", "")).search(v) is not None
            if found != (op == "matches"):
                return FAIL
    for op in ("before", "after", "within_days"):
        if op in e:
            day = day_number(v)
            if day is None:
                return ERROR
            if op == "within_days":
                anchor = date_operand(e.get("of", "@as_of"), root)
                if anchor is None:
                    return ERROR
                if not 0 <= anchor - day <= e[op]:
                    return FAIL
            else:
                other = date_operand(e[op], root)
                if other is None:
                    return ERROR
                if (op == "before" and not day < other) or (op == "after" and not day > other):
                    return FAIL
    quant = [k for k in ("where", "all", "any", "none", "min_count", "max_count", "unique") if k in e]
    if quant:
        if not isinstance(v, list):
            return ERROR
        kept = v
        if "where" in e:
            kept = []
            for el in v:
                o = evaluate(e["where"], root, el)
                if o == PASS:
                    kept.append(el)
                elif o != FAIL:
                    return o
        if "all" in e:
            o = combine_and([evaluate(e["all"], root, el) for el in kept])
            if o != PASS:
                return o
        if "any" in e:
            o = combine_or([evaluate(e["any"], root, el) for el in kept])
            if o != PASS:
                return o
        if "none" in e:
            o = combine_and([negate(evaluate(e["none"], root, el)) for el in kept])
            if o != PASS:
                return o
        if "min_count" in e and len(kept) < e["min_count"]:
            return FAIL
        if "max_count" in e and len(kept) > e["max_count"]:
            return FAIL
        if "unique" in e:
            seen = []
            for el in v:
                k = resolve(el, e["unique"])
                if any(k is s if k is MISSING or s is MISSING else json_equal(k, s) for s in seen):
                    return FAIL
                seen.append(k)
    return PASS


def outcome(c, doc):
    if "applies_when" in c:
        a = evaluate(c["applies_when"], doc, doc)
        if a == FAIL:
            return "not_applicable"
        if a != PASS:
            return a
    return evaluate(c["check"], doc, doc)


def main():
    crit_dir, corpus = sys.argv[1], sys.argv[2]
    crits = []
    for dom in sorted(os.listdir(crit_dir)):
        d = os.path.join(crit_dir, dom)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if f.endswith(".json"):
                with open(os.path.join(d, f), encoding="utf-8") as fh:
                    crits.append(json.load(fh))
    crits.sort(key=lambda c: c["id"].encode())
    names = sorted((f for f in os.listdir(corpus) if f.endswith(".json")), key=lambda s: s.encode())
    out = sys.stdout
    for name in names:
        with open(os.path.join(corpus, name), encoding="utf-8") as fh:
            doc = json.load(fh)
        line = {"file": name}
        for c in crits:
            line[c["id"]] = outcome(c, doc)
        out.write(json.dumps(line, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
