#!/usr/bin/env python3
# lib-scan.py - fixtures and checks for the `pushgate scan` tests
# (t03xx): random fake secrets, planted files with the expected findings,
# and field-by-field checks of JSON and SARIF reports.
#
#   lib-scan.py aws | ghp                 print a fresh random secret
#   lib-scan.py plant FILE EXPECT [--size N] [--step S] [--crlf]
#       write FILE with secrets around every S-byte boundary; EXPECT gets
#       one JSON list of {"offset", "line", "column", "secret"}
#   lib-scan.py longline FILE EXPECT MB   one line of MB MiB, secrets inside
#   lib-scan.py tree DIR N EXPECT         N files, some with secrets
#   lib-scan.py check-json REPORT EXPECT PATH   report has exactly EXPECT
#       (as written by plant) for PATH, with the right fingerprints
#   lib-scan.py fingerprint RULE PATH SECRET
import hashlib
import json
import random
import sys

BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
WORDS = ("alpha beta gamma delta return value import module function "
         "struct buffer length offset count index table node list").split()
# Values rule allowlists commonly drop; a fresh secret must avoid them.
STOP = ("EXAMPLE", "TEST", "FAKE", "DUMMY", "SAMPLE", "XXXX", "AAAA", "0000",
        "1234", "ABCD", "PLACEHOLDER", "CHANGE", "REDACTED", "SECRET", "FOOBAR",
        "LOREM", "IPSUM", "YOUR", "INSERT", "NOTREAL", "REPLACE", "DONOTUSE")

rng = random.SystemRandom()


def clean(value):
    up = value.upper()
    return not any(s in up for s in STOP)


def aws():
    while True:
        v = "AKIA" + "".join(rng.choice(BASE32) for _ in range(16))
        if clean(v[4:]) and len(set(v[4:])) >= 10:
            return v


def ghp():
    while True:
        v = "ghp_" + "".join(rng.choice(ALNUM) for _ in range(36))
        if clean(v[4:]) and len(set(v[4:])) >= 20:
            return v


def filler(r, n, crlf):
    out = []
    size = 0
    while size < n:
        line = " ".join(r.choice(WORDS) for _ in range(r.randint(0, 12)))
        line += "\r\n" if crlf and r.random() < 0.5 else "\n"
        out.append(line)
        size += len(line)
    return "".join(out).encode()[:n]


def position(data, offset):
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def plant(path, expect, size, step, crlf):
    r = random.Random(rng.random())
    data = bytearray(filler(r, size, crlf))
    spots = []
    k = 1
    while k * step + 64 < size:
        secret = aws() if k % 2 else ghp()
        # Start 1..len(secret) bytes before the boundary, or right on it.
        back = (k * 7) % (len(secret) + 2)
        spots.append((k * step - back, secret))
        k += 1
    for offset, secret in spots:
        data[offset - 1:offset + len(secret) + 1] = b" " + secret.encode() + b" "
    found = []
    for offset, secret in spots:
        line, column = position(data, offset)
        found.append({"offset": offset, "line": line, "column": column, "secret": secret})
    with open(path, "wb") as f:
        f.write(data)
    with open(expect, "w") as f:
        json.dump(found, f)


def longline(path, expect, mib):
    size = mib << 20
    unit = b"lorem ipsum dolor sit amet consectetur "
    data = bytearray((unit * (size // len(unit) + 1))[:size])
    found = []
    for offset in (1, size // 3 + 5, (8 << 20) - 10, size // 2, size - 45):
        secret = ghp() if offset % 2 else aws()
        data[offset - 1:offset + len(secret) + 1] = b" " + secret.encode() + b" "
        found.append({"offset": offset, "line": 1, "column": offset + 1, "secret": secret})
    with open(path, "wb") as f:
        f.write(data)
    with open(expect, "w") as f:
        json.dump(found, f)


def tree(root, n, expect):
    import os
    r = random.Random(rng.random())
    found = []
    for i in range(n):
        d = os.path.join(root, "d%02d" % (i % 17), "s%d" % (i % 3))
        os.makedirs(d, exist_ok=True)
        name = "f%03d.txt" % i
        data = bytearray(filler(r, r.randint(0, 6000), i % 5 == 0))
        if i % 4 == 0 and len(data) > 100:
            secret = aws() if i % 8 else ghp()
            offset = r.randint(1, len(data) - len(secret) - 2)
            data[offset - 1:offset + len(secret) + 1] = b" " + secret.encode() + b" "
            line, column = position(data, offset)
            rel = os.path.relpath(os.path.join(d, name), root)
            found.append({"path": rel, "line": line, "column": column, "secret": secret})
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    with open(expect, "w") as f:
        json.dump(found, f)


def fingerprint(rule, path, secret):
    data = b"pushgate-fingerprint-v1\0" + rule.encode() + b"\0" + path.encode() + b"\0" + secret.encode()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def check_json(report, expect, path):
    with open(report) as f:
        got = json.load(f)["findings"]
    with open(expect) as f:
        want = json.load(f)
    bad = []
    if len(got) != len(want):
        bad.append("%d findings, %d planted" % (len(got), len(want)))
    at = {(g["line"], g["column"]): g for g in got}
    if len(at) != len(got):
        bad.append("some position reported twice")
    for w in want:
        g = at.get((w["line"], w["column"]))
        if g is None:
            bad.append("missed offset %d (%d:%d)" % (w["offset"], w["line"], w["column"]))
            continue
        if g["path"] != path:
            bad.append("path %r" % g["path"])
        if g["fingerprint"] != fingerprint(g["rule"], path, w["secret"]):
            bad.append("offset %d: wrong secret extracted (fingerprint)" % w["offset"])
        if w["secret"] in json.dumps(g) or not g["secret"].endswith("...(redacted)"):
            bad.append("secret not redacted")
    for b in bad[:20]:
        print(b)
    sys.exit(1 if bad else 0)


def main(argv):
    cmd = argv[1]
    if cmd == "aws":
        print(aws())
    elif cmd == "ghp":
        print(ghp())
    elif cmd == "plant":
        args = argv[2:]
        size, step, crlf = 40000, 4096, False
        rest = []
        i = 0
        while i < len(args):
            if args[i] == "--size":
                size = int(args[i + 1])
                i += 2
            elif args[i] == "--step":
                step = int(args[i + 1])
                i += 2
            elif args[i] == "--crlf":
                crlf = True
                i += 1
            else:
                rest.append(args[i])
                i += 1
        plant(rest[0], rest[1], size, step, crlf)
    elif cmd == "longline":
        longline(argv[2], argv[3], int(argv[4]))
    elif cmd == "tree":
        tree(argv[2], int(argv[3]), argv[4])
    elif cmd == "check-json":
        check_json(argv[2], argv[3], argv[4])
    elif cmd == "fingerprint":
        print(fingerprint(argv[2], argv[3], argv[4]))
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
