"""Derives benchmark logs from gen.py's data, and counts their true hits.

    python3 benches/logs.py squid ENDPOINTS.list OUT.log
        writes a Squid native access.log, one request a line, from gen.py's
        endpoint list (URLs as GET lines, bare hosts as CONNECT host:443);
    python3 benches/logs.py truth KIND FILE BANNED.txt
        prints how many lines of FILE query a banned domain or a subdomain
        of one (label-exact, case-insensitive, one root dot ignored): KIND
        is bind, zeek or squid, and says where the name is in a line.
"""
import os
import sys


def squid(src, out):
    with open(src) as f, open(out + ".tmp", "w") as w:
        for i, line in enumerate(f):
            entry = line.strip()
            client = f"10.{i % 200}.{i // 200 % 256}.{i % 250 + 1}"
            ts = f"{1796547600 + i // 1000}.{i % 1000:03d}"
            if "://" in entry:
                w.write(f"{ts}    {40 + i % 900:>3} {client} TCP_MISS/200 {1000 + i % 50000} GET {entry} - "
                        f"HIER_DIRECT/203.0.113.{i % 250 + 1} application/json\n")
            else:
                w.write(f"{ts}    {40 + i % 900:>3} {client} TCP_TUNNEL/200 {1000 + i % 50000} CONNECT "
                        f"{entry}:443 - HIER_DIRECT/203.0.113.{i % 250 + 1} -\n")
    os.replace(out + ".tmp", out)


def name(kind, line):
    if kind == "bind":
        return line.split(" query: ", 1)[1].split(" ", 1)[0] if " query: " in line else None
    if kind == "zeek":
        return None if line.startswith("#") else line.rstrip("\n").split("\t")[8]
    if kind == "squid":
        url = line.split()[6]
        host = url.split("://", 1)[-1].split("/", 1)[0]
        return host.rsplit(":", 1)[0]
    raise SystemExit(f"unknown kind {kind}")


def truth(kind, path, banned_path):
    banned = set(open(banned_path).read().split())
    hits = 0
    with open(path) as f:
        for line in f:
            host = name(kind, line)
            if not host:
                continue
            labels = host.lower().rstrip(".").split(".")
            if any(".".join(labels[i:]) in banned for i in range(len(labels))):
                hits += 1
    print(hits)


if sys.argv[1] == "squid":
    squid(*sys.argv[2:])
elif sys.argv[1] == "truth":
    truth(*sys.argv[2:])
else:
    raise SystemExit(__doc__)
