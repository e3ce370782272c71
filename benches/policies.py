"""Writes the benchmark policies from the ban lists gen.py made in OUT.

    python3 benches/policies.py OUT

- OUT/policies-domains-N: one product banning the domains of
  OUT/banned-N.txt, for every such file (10, 1,000, 10,000 for the logs;
  25,000 to 200,000 for the export benchmark);
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


def policy(pid, product, more=()):
    bans = "".join(f"  - product: {p}\n" for p in (product, *more))
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
{bans}examples:
  violating:
    - endpoint: deepseek.com
  compliant:
    - endpoint: notdeepseek.com
"""


def quoted(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


counts = sorted(
    int(name[len("banned-"):-len(".txt")])
    for name in os.listdir(out)
    if name.startswith("banned-") and name.endswith(".txt") and name[7:-4].isdigit()
)
for n in counts:
    d = f"{out}/policies-domains-{n}"
    os.makedirs(d, exist_ok=True)
    domains = open(f"{out}/banned-{n}.txt").read().split()
    # A policy file holds at most 200,000 YAML nodes (a loader limit), so a
    # large list is cut into products of 50,000 domains, one file each,
    # all banned by one policy.
    chunks = [domains[i:i + 50000] for i in range(0, len(domains), 50000)]
    for k, chunk in enumerate(chunks):
        with open(f"{d}/bench-{k}.yaml", "w") as f:
            f.write(f"product: bench-domains-{k}\nname: Bench\nidentifiers:\n  endpoints:\n")
            f.writelines(f"    - {x}\n" for x in chunk)
    with open(f"{d}/bench.yaml", "w") as f:
        more = [f"bench-domains-{k}" for k in range(1, len(chunks))]
        f.write(policy("bench-domains", "bench-domains-0", more).lstrip("-\n"))

if not os.path.exists(f"{out}/banned-apps.csv"):
    sys.exit(0)
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
