#!/usr/bin/env bash
# Benchmarks the installed-app inventory formats (issue 12) against ripgrep
# (`rg -c -i -F -f <banned names>`) in one run, on data from
# ../shared/bench/gen.py (fixed seed):
#   - gen.py's app CSV at ROWS rows (default 1,000,000, ~57 MB) and 4 x ROWS
#     (memory should be flat in the rows);
#   - the same rows as the exports of other tools, made by
#     benches/inventories.py: a Jamf Pro CSV (names only, so scanned with
#     name-only rules), an Intune per-device CSV (every cell quoted), an
#     `osqueryi --json` array and an osqueryd result log (a snapshot line a
#     device);
# each against the 1,000 apps of `gen.py banned-apps` (benches/policies.py).
# Each command runs three times (benches/lib.sh `measure`): fastest wall
# time, largest peak memory, the hits each tool reports; then banscan/rg
# ratios and the true hits counted independently by inventories.py.
# Usage: bash benches/apps.sh [ROWS]. Honours CARGO_TARGET_DIR (default
# target/); data goes to $CARGO_TARGET_DIR/bench (about 1.2 GB at 1 M rows).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
big=$((rows * 4))
gen=../shared/bench/gen.py
target=${CARGO_TARGET_DIR:-target}
out=$target/bench
mkdir -p "$out"
cargo build --release --locked --quiet
bin=$target/release/banscan
rg=$(command -v rg) || { echo "ripgrep (rg) is required" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is required" >&2; exit 1; }
. benches/lib.sh

mk_gen "$out/apps-$rows.csv" apps-csv --rows "$rows" --hit-rate 0.001
mk_gen "$out/apps-$big.csv" apps-csv --rows "$big" --hit-rate 0.001
mk_gen "$out/banned-apps.csv" banned-apps --count 1000
python3 benches/policies.py "$out"
truth=$(python3 benches/inventories.py "$out/apps-$rows.csv" "$out/inv-$rows")

results=$out/results-apps.tsv
: >"$results"
common=(--no-builtin --no-profile --format json --fail-on never)
inv=$out/inv-$rows
echo "load before: $(uptime)"
echo "source: $(git describe --always --dirty); binary built $(date -r "$bin" '+%F %T')"
echo "cores: $(nproc); rg: $("$rg" --version | head -n 1); banscan: $("$bin" --version)"
# versus WORKLOAD FILE POLICIES: rg and banscan on FILE.
versus() {
    local w=$1 file=$2 policies=$3
    echo "$w: $(du -h "$file" | cut -f1)"
    measure "$w" "rg -i" stdout "$rg" -c -i -F -f "$out/banned-app-names.txt" "$file"
    measure "$w" banscan "json:$out/report-inventory.json" \
        "$bin" scan "$file" "${common[@]}" --policies "$out/$policies" -o "$out/report-inventory.json"
}
versus "app CSV, $rows rows" "$out/apps-$rows.csv" policies-apps
versus "app CSV, $big rows" "$out/apps-$big.csv" policies-apps
versus "Jamf Pro CSV, $rows rows" "$inv-jamf.csv" policies-app-names
versus "Intune raw CSV, $rows rows" "$inv-intune.csv" policies-apps
versus "osqueryi JSON, $rows rows" "$inv-osquery.json" policies-apps
versus "osqueryd log, $rows rows" "$inv-osqueryd.log" policies-apps
echo "load after: $(uptime)"
echo "$truth"

python3 - "$results" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
t = {(w, tool): float(s) for w, tool, s, *_ in rows}
print("\nratios (banscan / rg wall time):")
for (w, tool), s in t.items():
    if tool == "banscan":
        print(f"  {w:34} {s / max(t[(w, 'rg -i')], 0.01):6.2f}x")
PY
