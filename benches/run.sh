#!/usr/bin/env bash
# Benchmarks banscan against ripgrep (`rg -c -F -f`) in one run, on data from
# ../shared/bench/gen.py (fixed seed, so every run reads the same bytes):
#   - an endpoint list of LINES lines (default 4,000,000, ~106 MB) against
#     10, 1,000 and 10,000 banned domains; `wc -l` as the floor;
#   - banscan with --jobs 1 against the default thread count (1,000 domains);
#   - banscan's peak memory at LINES/4 and LINES lines (should be flat);
#   - a ROWS-row app inventory CSV (default 1,000,000) against 1,000 banned
#     apps, against `rg -c -i -F -f names`;
#   - the safety net (issue 10): the endpoint list with `seen ` before every
#     line, named `.dat`, which banscan does not read, so the literal net
#     searches all of it; the lines whose host is banned are left out, so
#     the net finds nothing and reads the whole file. Against 1,000 domains,
#     compared with `rg -c -F -f` on the same file. A one-line endpoint list
#     is scanned with it (with --allow-unread) so the scan checks something
#     and exits 0. Checked once, untimed: the report lists the file as
#     unread or not evidence, and with the banned lines kept, the net
#     catches the first of them.
# Each command runs three times: the fastest wall time and the largest peak
# resident memory (GNU time %e %M) are reported, with the hits each tool
# reports (rg: matching lines; banscan: summary.occurrences / findings from
# its JSON report) and the banscan/rg time ratio. The ratios matter, not the
# absolute times; machine load (uptime) is printed before and after.
# Usage: bash benches/run.sh [LINES [ROWS]]
# Honours CARGO_TARGET_DIR (default target/); data goes to $CARGO_TARGET_DIR/bench.
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-4000000}
rows=${2:-1000000}
small=$((lines / 4))
gen=../shared/bench/gen.py
target=${CARGO_TARGET_DIR:-target}
out=$target/bench
mkdir -p "$out"
cargo build --release --locked --quiet
bin=$target/release/banscan
rg=$(command -v rg) || { echo "ripgrep (rg) is required" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is required" >&2; exit 1; }

. benches/lib.sh

# Data; the generator is deterministic, so an existing file is reused.
ep=$out/endpoints-$lines.list
ep_small=$out/endpoints-$small.list
apps=$out/apps-$rows.csv
mk_gen "$ep" endpoints --lines "$lines" --hit-rate 0.001
mk_gen "$ep_small" endpoints --lines "$small" --hit-rate 0.001
mk_gen "$apps" apps-csv --rows "$rows" --hit-rate 0.001
for n in 10 1000 10000; do
    mk_gen "$out/banned-$n.txt" banned --count "$n"
done
mk_gen "$out/banned-apps.csv" banned-apps --count 1000

# Policies made from the generated ban lists.
python3 benches/policies.py "$out"

# The safety net's input: every line prefixed with a word, so the endpoint
# list's sniffer refuses it, with (net-hits) and without (net) the lines
# whose host is a banned domain (label-exact, the true hits); the line of the
# first hit goes to net-hits-LINES.first.
net=$out/net-$lines.dat
net_hits=$out/net-hits-$lines.dat
one=$out/one.list
[ -s "$one" ] || printf 'example.org\n' >"$one"
[ -s "$net" ] && [ -s "$net_hits" ] && [ -s "$net_hits.first" ] || python3 - "$out" "$ep" "$net" "$net_hits" <<'PY'
import os, sys
out, ep, net, hits = sys.argv[1:]
banned = set(open(f"{out}/banned-1000.txt").read().split())
first = 0
with open(ep) as f, open(net + ".tmp", "w") as clean, open(hits + ".tmp", "w") as all_lines:
    for n, line in enumerate(f, 1):
        host = line.strip().split("://", 1)[-1].split("/", 1)[0].lower()
        labels = host.split(".")
        all_lines.write("seen " + line)
        if any(".".join(labels[i:]) in banned for i in range(len(labels))):
            first = first or n
        else:
            clean.write("seen " + line)
open(hits + ".first", "w").write(f"{first}\n")
os.replace(net + ".tmp", net)
os.replace(hits + ".tmp", hits)
PY

results=$out/results.tsv
: >"$results"

common=(--no-builtin --no-profile --format json --fail-on never)

echo "load before: $(uptime)"
echo "source: $(git describe --always --dirty) ($(git status --short src | wc -l) files changed in src/); binary built $(date -r "$bin" '+%F %T')"
echo "cores: $(nproc); rg: $("$rg" --version | head -n 1); banscan: $("$bin" --version)"
echo "endpoint list: $(wc -l <"$ep") lines, $(du -h "$ep" | cut -f1); app CSV: $(wc -l <"$apps") lines, $(du -h "$apps" | cut -f1)"
w="endpoints $lines lines"
measure "$w" "wc -l" stdout wc -l "$ep"
for n in 10 1000 10000; do
    measure "$w, $n domains" rg stdout "$rg" -c -F -f "$out/banned-$n.txt" "$ep"
    measure "$w, $n domains" banscan "json:$out/report-$n.json" \
        "$bin" scan "$ep" "${common[@]}" --policies "$out/policies-domains-$n" -o "$out/report-$n.json"
done
measure "$w, 1000 domains" "banscan --jobs 1" "json:$out/report-1000-j1.json" \
    "$bin" scan "$ep" "${common[@]}" --policies "$out/policies-domains-1000" -o "$out/report-1000-j1.json" --jobs 1
measure "endpoints $small lines, 1000 domains" banscan "json:$out/report-small.json" \
    "$bin" scan "$ep_small" "${common[@]}" --policies "$out/policies-domains-1000" -o "$out/report-small.json"
measure "endpoints $small lines, 1000 domains" "banscan --jobs 1" "json:$out/report-small-j1.json" \
    "$bin" scan "$ep_small" "${common[@]}" --policies "$out/policies-domains-1000" -o "$out/report-small-j1.json" --jobs 1
w="app CSV $rows rows, 1000 apps"
measure "$w" "wc -l" stdout wc -l "$apps"
measure "$w" "rg -i" stdout "$rg" -c -i -F -f "$out/banned-app-names.txt" "$apps"
measure "$w" banscan "json:$out/report-apps.json" \
    "$bin" scan "$apps" "${common[@]}" --policies "$out/policies-apps" -o "$out/report-apps.json"
w="unread file $lines lines, 1000 domains"
measure "$w" "wc -l" stdout wc -l "$net"
measure "$w" rg stdout "$rg" -c -F -f "$out/banned-1000.txt" "$net"
measure "$w" "banscan (net)" "json:$out/report-net.json" \
    "$bin" scan "$net" "$one" "${common[@]}" --allow-unread --policies "$out/policies-domains-1000" -o "$out/report-net.json"
"$bin" scan "$net_hits" "$one" "${common[@]}" --allow-unread --policies "$out/policies-domains-1000" \
    -o "$out/report-net-hits.json" 2>/dev/null
echo "load after: $(uptime)"

# The true counts, computed independently: an endpoint line is a hit when its
# host is a banned domain or a subdomain of one (label-exact); an inventory
# row is a hit when its app name is a banned name (case-insensitive).
python3 - "$out" "$ep" "$apps" <<'PY'
import csv, sys
out, ep, apps = sys.argv[1:]
sets = {n: set(open(f"{out}/banned-{n}.txt").read().split()) for n in (10, 1000, 10000)}
truth = dict.fromkeys(sets, 0)
with open(ep) as f:
    for line in f:
        host = line.strip().split("://", 1)[-1].split("/", 1)[0].lower()
        labels = host.split(".")
        suffixes = [".".join(labels[i:]) for i in range(len(labels))]
        for n, s in sets.items():
            if any(x in s for x in suffixes):
                truth[n] += 1
print("\ntrue hits: " + ", ".join(f"{n} domains: {c} lines" for n, c in truth.items()), end="")
names = {r["name"].lower() for r in csv.DictReader(open(f"{out}/banned-apps.csv"))}
with open(apps, newline="") as f:
    print(f"; app CSV: {sum(r['app_name'].lower() in names for r in csv.DictReader(f))} rows")
PY

# The safety net: the unread file's state, what the net caught (nothing in
# the file without banned lines; the first banned line in the other), and
# its throughput.
python3 - "$out" "$net" "$net_hits" "$results" <<'PY'
import json, os, sys
out, net, hits, results = sys.argv[1:]
first = int(open(hits + ".first").read())
def entry(report, path):
    return next(i for i in json.load(open(report))["inputs"] if i["path"] == path)
clean, caught = entry(f"{out}/report-net.json", net), entry(f"{out}/report-net-hits.json", hits)
ok = (clean["state"] in ("unread", "not-evidence") and "caught" not in clean
      and caught.get("caught", {}).get("line") == first)
c = caught.get("caught", {})
print(f"\nsafety net: {'OK' if ok else 'WRONG'}: without banned lines {clean['state']}, "
      f"caught {clean.get('caught')}; with them {caught['state']}, caught "
      f"{c.get('identifier')} at line {c.get('line')} (first banned line {first})")
secs = [float(l.split("\t")[2]) for l in open(results) if l.split("\t")[1] == "banscan (net)"][0]
print(f"safety net throughput: {os.path.getsize(net) / 1e6 / max(secs, 0.01):.0f} MB/s "
      f"({os.path.getsize(net) / 1e6:.0f} MB in {secs:.2f} s)")
PY

# banscan / rg time ratios per workload.
python3 - "$results" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
t = {(w, tool): float(s) for w, tool, s, *_ in rows}
print("\nratios (banscan / rg wall time):")
for (w, tool), s in t.items():
    if tool.startswith("banscan"):
        rg = t.get((w, "rg")) or t.get((w, "rg -i"))
        if rg:
            print(f"  {w:40} {tool:18} {s / max(rg, 0.01):6.2f}x")
PY
