"""Writes the benchmark policies from the ban lists gen.py made in OUT.

    python3 benches/policies.py OUT

- OUT/policies-domains-{10,1000,10000}: one product banning the domains of
  OUT/banned-N.txt, where those files exist;
- OUT/policies-apps: one product with a name and publisher rule for each app
  of OUT/banned-apps.csv, and OUT/banned-app-names.txt, the names, one a line
  (what `rg -f` is given);
- OUT/policies-app-names: the same apps by name only, for exports that have
  no publisher column (Jamf Pro).
"""
import csv
import os
import sys

out = sys.argv[1]


def policy(pid, product):
    return f"""---
policy: {pid}
title: Benchmark policy
authority: Benchmark authority
jurisdiction: GLOBAL
issued: 2025-01-01
effective: 2025-01-01
legal_basis: Benchmark
sources:
  - title: Benchmark
    publisher: banscan
binds:
  sectors: [all]
severity: ban
bans:
  - product: {product}
examples:
  violating:
    - endpoint: deepseek.com
  compliant:
    - endpoint: notdeepseek.com
"""


def quoted(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


for n in (10, 1000, 10000):
    if not os.path.exists(f"{out}/banned-{n}.txt"):
        continue
    d = f"{out}/policies-domains-{n}"
    os.makedirs(d, exist_ok=True)
    domains = open(f"{out}/banned-{n}.txt").read().split()
    with open(f"{d}/bench.yaml", "w") as f:
        f.write("product: bench-domains\nname: Bench\nidentifiers:\n  endpoints:\n")
        f.writelines(f"    - {x}\n" for x in domains)
        f.write(policy("bench-domains", "bench-domains"))

apps = list(csv.DictReader(open(f"{out}/banned-apps.csv")))
for folder, with_publisher in (("policies-apps", True), ("policies-app-names", False)):
    d = f"{out}/{folder}"
    os.makedirs(d, exist_ok=True)
    with open(f"{d}/bench.yaml", "w") as f:
        f.write("product: bench-apps\nname: Bench\nidentifiers:\n  endpoints: [deepseek.com]\n  apps:\n")
        for row in apps:
            f.write(f"    - name: {quoted(row['name'])}\n")
            if with_publisher:
                f.write(f"      publisher: {quoted(row['publisher'])}\n")
        f.write(policy("bench-apps", "bench-apps"))
with open(f"{out}/banned-app-names.txt", "w") as f:
    f.writelines(row["name"] + "\n" for row in apps)
