#!/usr/bin/env bash
# Benchmarks `banscan policy export` (issue 15): the whole built-in library
# plus N generated banned domains (../shared/bench/gen.py banned, fixed
# seed) to every target in one run (`--target all -o DIR`), for N = 25,000,
# 50,000, 100,000 and 200,000 (the target: 100,000 in under 2 seconds, and
# linear), then each target alone at 100,000. Best of three wall times and
# the largest peak memory (benches/lib.sh `measure`), and the bytes
# written. Usage: bash benches/export.sh. Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
gen=../shared/bench/gen.py
target=${CARGO_TARGET_DIR:-target}
out=$target/bench
mkdir -p "$out"
cargo build --release --locked --quiet
bin=$target/release/banscan
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is required" >&2; exit 1; }
. benches/lib.sh
results=$out/results-export.tsv
: >"$results"
sizes=(25000 50000 100000 200000)
for n in "${sizes[@]}"; do
    mk_gen "$out/banned-$n.txt" banned --count "$n"
done
python3 benches/policies.py "$out"
echo "source: $(git describe --always --dirty); binary built $(date -r "$bin" '+%F %T'); cores: $(nproc)"
echo "load before: $(uptime)"
common=(--no-profile --as-of 2026-12-01)
for n in "${sizes[@]}"; do
    dir=$out/export-$n
    rm -rf "$dir"
    measure "built-in + $n domains, all targets" banscan none \
        "$bin" policy export --target all -o "$dir" "${common[@]}" --policies "$out/policies-domains-$n"
    echo "    written: $(du -sh "$dir" | cut -f1) in $(ls "$dir" | wc -l) files"
done
targets=$("$bin" policy export --help | sed -n 's/.*\[possible values: \(.*\)\]/\1/p' | tr -d ',' | head -n 1)
for t in $targets; do
    [ "$t" = all ] && continue
    measure "built-in + 100000 domains, $t" banscan none \
        "$bin" policy export --target "$t" -o "$out/export-one" "${common[@]}" --policies "$out/policies-domains-100000"
done
echo "load after: $(uptime)"
