#!/usr/bin/env bash
# Benchmarks the network logs (issue 13) against ripgrep (`rg -c -F -f
# <banned domains>`) and `wc -l` in one run, on data from
# ../shared/bench/gen.py (fixed seed):
#   - a BIND query log of LINES lines (default 3,200,000, ~508 MB) against
#     10, 1,000 and 10,000 banned domains (10 vs 10,000 should be under 20 %
#     apart), with --jobs 1 too;
#   - a Zeek dns.log (TSV) and a Squid access.log (made from gen.py's
#     endpoint list by benches/logs.py) of the same line count, against
#     1,000 domains;
# each command three times (benches/lib.sh `measure`: fastest wall time,
# largest peak resident memory, the hits each tool reports), then the
# banscan/rg and banscan/wc ratios and the true hits counted independently
# (label-exact) by benches/logs.py.
# Usage: bash benches/logs.sh [LINES]. Honours CARGO_TARGET_DIR (default
# target/); data goes to $CARGO_TARGET_DIR/bench (about 1.5 GB).
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-3200000}
gen=../shared/bench/gen.py
target=${CARGO_TARGET_DIR:-target}
out=$target/bench
mkdir -p "$out"
cargo build --release --locked --quiet
bin=$target/release/banscan
rg=$(command -v rg) || { echo "ripgrep (rg) is required" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is required" >&2; exit 1; }
. benches/lib.sh

bind=$out/dns-bind-$lines.log
zeek=$out/dns-zeek-$lines.log
squid=$out/squid-$lines.log
mk_gen "$bind" dns-bind --lines "$lines" --hit-rate 0.001
mk_gen "$zeek" dns-zeek --lines "$lines" --hit-rate 0.001
mk_gen "$out/endpoints-$lines.list" endpoints --lines "$lines" --hit-rate 0.001
[ -s "$squid" ] || python3 benches/logs.py squid "$out/endpoints-$lines.list" "$squid"
for n in 10 1000 10000; do
    mk_gen "$out/banned-$n.txt" banned --count "$n"
done
mk_gen "$out/banned-apps.csv" banned-apps --count 1000
python3 benches/policies.py "$out"

results=$out/results-logs.tsv
: >"$results"
common=(--no-builtin --no-profile --format json --fail-on never)
echo "load before: $(uptime)"
echo "source: $(git describe --always --dirty); binary built $(date -r "$bin" '+%F %T')"
echo "cores: $(nproc); rg: $("$rg" --version | head -n 1); banscan: $("$bin" --version)"
# versus WORKLOAD FILE N [EXTRA...]: wc -l, rg and banscan on FILE with N domains.
versus() {
    local w=$1 file=$2 n=$3; shift 3
    measure "$w" "wc -l" stdout wc -l "$file"
    measure "$w" rg stdout "$rg" -c -F -f "$out/banned-$n.txt" "$file"
    measure "$w" banscan "json:$out/report-log.json" \
        "$bin" scan "$file" "${common[@]}" --policies "$out/policies-domains-$n" -o "$out/report-log.json" "$@"
}
echo "BIND query log: $(du -h "$bind" | cut -f1)"
for n in 10 1000 10000; do
    versus "BIND log, $lines lines, $n domains" "$bind" "$n"
done
measure "BIND log, $lines lines, 1000 domains" "banscan --jobs 1" "json:$out/report-log.json" \
    "$bin" scan "$bind" "${common[@]}" --policies "$out/policies-domains-1000" -o "$out/report-log.json" --jobs 1
echo "Zeek dns.log: $(du -h "$zeek" | cut -f1); Squid access.log: $(du -h "$squid" | cut -f1)"
versus "Zeek dns.log, $lines lines, 1000 domains" "$zeek" 1000
versus "Squid access.log, $lines lines, 1000 domains" "$squid" 1000
echo "load after: $(uptime)"
echo "true hits (1,000 domains): BIND $(python3 benches/logs.py truth bind "$bind" "$out/banned-1000.txt")," \
    "Zeek $(python3 benches/logs.py truth zeek "$zeek" "$out/banned-1000.txt")," \
    "Squid $(python3 benches/logs.py truth squid "$squid" "$out/banned-1000.txt") lines"

python3 - "$results" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
t = {(w, tool): float(s) for w, tool, s, *_ in rows}
print("\nratios (banscan wall time against rg and wc -l):")
for (w, tool), s in t.items():
    if tool.startswith("banscan"):
        print(f"  {w:45} {tool:17} {s / max(t[(w, 'rg')], 0.01):5.2f}x rg  {s / max(t[(w, 'wc -l')], 0.01):5.2f}x wc")
PY
