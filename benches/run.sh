#!/usr/bin/env bash
# Benchmarks banscan against a plain `grep -c -F -f` (and ripgrep, when it is
# installed) in one run, on data from ../shared/bench/gen.py:
#   - a 1,000,000-line endpoint list against 10 and 1,000 banned domains;
#   - a 1,000,000-row app inventory CSV against 1,000 banned apps.
# Prints the best of three wall times and the peak memory (GNU time) for
# each; the ratios matter, not the absolute times.
# Usage: benches/run.sh [LINES]
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-1000000}
gen=../shared/bench/gen.py
out=target/bench
mkdir -p "$out"
cargo build --release --locked --quiet
bin=target/release/banscan

python3 "$gen" endpoints "$out/endpoints.list" --lines "$lines" --hit-rate 0.001
python3 "$gen" apps-csv "$out/apps.csv" --rows "$lines" --hit-rate 0.001
for n in 10 1000; do
    python3 "$gen" banned "$out/banned-$n.txt" --count "$n"
done
python3 "$gen" banned-apps "$out/banned-apps.csv" --count 1000

# Policies made from the generated ban lists.
python3 - "$out" <<'PY'
import csv, sys, os
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
for n in (10, 1000):
    d = f"{out}/policies-domains-{n}"; os.makedirs(d, exist_ok=True)
    domains = open(f"{out}/banned-{n}.txt").read().split()
    with open(f"{d}/bench.yaml", "w") as f:
        f.write("product: bench-domains\nname: Bench\nidentifiers:\n  endpoints:\n")
        f.writelines(f"    - {x}\n" for x in domains)
        f.write(policy("bench-domains", "bench-domains"))
d = f"{out}/policies-apps"; os.makedirs(d, exist_ok=True)
with open(f"{d}/bench.yaml", "w") as f, open(f"{out}/banned-apps.csv") as src:
    f.write("product: bench-apps\nname: Bench\nidentifiers:\n  endpoints: [deepseek.com]\n  apps:\n")
    for row in csv.DictReader(src):
        name = row["name"].replace('"', '\\"'); pub = row["publisher"].replace('"', '\\"')
        f.write(f'    - name: "{name}"\n      publisher: "{pub}"\n')
    f.write(policy("bench-apps", "bench-apps"))
with open(f"{out}/banned-app-names.txt", "w") as f, open(f"{out}/banned-apps.csv") as src:
    f.writelines(row["name"] + "\n" for row in csv.DictReader(src))
PY

# Runs a command three times; prints the fastest wall time and the largest
# peak resident memory (GNU time), so one slow run on a busy machine does
# not decide the result.
measure() {
    local label=$1; shift
    local best="" peak=0 secs kb
    for _ in 1 2 3; do
        /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >"$out/stdout.txt" 2>"$out/stderr.txt" || true
        read -r secs kb < <(tail -n 1 "$out/time.txt")
        if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
        if [ "$kb" -gt "$peak" ]; then peak=$kb; fi
    done
    printf '%-58s %8.2f s %8d KiB\n' "$label" "$best" "$peak"
}

echo "endpoint list: $(wc -l <"$out/endpoints.list") lines, $(du -h "$out/endpoints.list" | cut -f1)"
for n in 10 1000; do
    measure "grep -c -F -f ($n domains, substring: over-reports)" grep -c -F -f "$out/banned-$n.txt" "$out/endpoints.list"
    if command -v rg >/dev/null; then
        measure "rg -c -F -f ($n domains)" rg -c -F -f "$out/banned-$n.txt" "$out/endpoints.list"
    fi
    measure "banscan scan ($n domains, label-exact)" "$bin" scan "$out/endpoints.list" --no-builtin --no-profile \
        --policies "$out/policies-domains-$n" --format json --fail-on never -o "$out/report-$n.json"
done
echo "app inventory: $(wc -l <"$out/apps.csv") rows, $(du -h "$out/apps.csv" | cut -f1)"
measure "grep -c -i -F -f (1000 names, substring)" grep -c -i -F -f "$out/banned-app-names.txt" "$out/apps.csv"
if command -v rg >/dev/null; then
    measure "rg -c -i -F -f (1000 names)" rg -c -i -F -f "$out/banned-app-names.txt" "$out/apps.csv"
fi
measure "banscan scan (1000 apps, name+publisher)" "$bin" scan "$out/apps.csv" --no-builtin --no-profile \
    --policies "$out/policies-apps" --format json --fail-on never -o "$out/report-apps.json"
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
for name in ("report-10", "report-1000", "report-apps"):
    r = json.load(open(f"{out}/{name}.json"))
    s = r["summary"]
    print(f"{name}: {s['items']} items, {s['findings']} findings, {s['occurrences']} occurrences, {s['inputs_failed']} inputs failed")
PY
