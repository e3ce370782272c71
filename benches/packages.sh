#!/usr/bin/env bash
# Benchmarks banscan's lockfile scans (issue 11) in one run:
#   - a real Cargo.lock of 646 crates (benches/data/cargo-app: tokio, axum,
#     reqwest, sqlx, aws-sdk-s3, polars, wgpu, tonic, diesel, image…,
#     resolved by `cargo generate-lockfile`) against 1,000 banned crates
#     (9 of them in the lock), banscan against `cargo deny check bans` with
#     the same 1,000 crates in deny.toml (crates fetched beforehand, run
#     with --frozen, so neither tool touches the network);
#   - a 10,000-package npm lockfile (benches/gen_locks.py) against 10 and
#     10,000 package rules: the rule count should barely matter;
#   - lockfiles of about 50 MB (npm, Cargo, uv, poetry, pnpm) against 1,000 rules:
#     time and peak memory.
# Each command runs three times (fastest wall time, largest peak RSS; see
# benches/lib.sh). Usage: bash benches/packages.sh
# Needs cargo-deny (`cargo install cargo-deny --locked`). Honours
# CARGO_TARGET_DIR (default target/); data goes to $CARGO_TARGET_DIR/bench-packages.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
out=$target/bench-packages
mkdir -p "$out"
cargo build --release --locked --quiet
bin=$target/release/banscan
command -v cargo-deny >/dev/null || { echo "cargo-deny is required: cargo install cargo-deny --locked" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is required" >&2; exit 1; }
gen=benches/gen_locks.py
app=benches/data/cargo-app
cargo fetch --locked --quiet --manifest-path "$app/Cargo.toml"

# Lockfiles; the generator is deterministic, so an existing file is reused.
mk() { local f=$1; shift; [ -s "$f" ] || { python3 "$gen" "$@" "$f.tmp"; mv "$f.tmp" "$f"; }; }
mk_lock() { local dir=$1 file=$2 kind=$3 n=$4; mkdir -p "$dir"; [ -s "$dir/$file" ] || { python3 "$gen" "$kind" "$dir/$file.tmp" --packages "$n"; mv "$dir/$file.tmp" "$dir/$file"; }; }
mk_lock "$out/npm-10k" package-lock.json npm 10000
mk_lock "$out/npm-50mb" package-lock.json npm 150000
mk_lock "$out/cargo-50mb" Cargo.lock cargo 260000
mk_lock "$out/uv-50mb" uv.lock uv 200000
mk_lock "$out/pnpm-50mb" pnpm-lock.yaml pnpm 260000
mk_lock "$out/poetry-50mb" poetry.lock poetry 120000

# Ban lists: names present in the lock, and names no lockfile holds.
names() { local f=$1 eco=$2 count=$3 present=$4 lock=$5
    [ -s "$f" ] || python3 "$gen" names "$f" --ecosystem "$eco" --count "$count" --present "$present" --lock "$lock"; }
names "$out/crates-1000.txt" cargo 1000 10 "$app/Cargo.lock"
names "$out/npm-10.txt" npm 10 5 "$out/npm-10k/package-lock.json"
names "$out/npm-10000.txt" npm 10000 5 "$out/npm-10k/package-lock.json"
names "$out/npm-1000-50mb.txt" npm 1000 10 "$out/npm-50mb/package-lock.json"
names "$out/cargo-1000-50mb.txt" cargo 1000 10 "$out/cargo-50mb/Cargo.lock"
names "$out/pypi-1000-50mb.txt" pypi 1000 10 "$out/uv-50mb/uv.lock"
names "$out/poetry-1000-50mb.txt" pypi 1000 10 "$out/poetry-50mb/poetry.lock"

# A policy per ban list, and cargo-deny's deny.toml for the crates.
python3 - "$out" <<'PY'
import os, sys
out = sys.argv[1]
def policy(list_name, eco):
    names = open(f"{out}/{list_name}.txt").read().split()
    d = f"{out}/policies-{list_name}"
    os.makedirs(d, exist_ok=True)
    purl = lambda n: f"pkg:{eco}/" + n.replace("@", "%40")
    with open(f"{d}/bench.yaml", "w") as f:
        f.write(f"product: bench-{eco}\nname: Bench\nidentifiers:\n  packages:\n")
        f.writelines(f"    - purl: {purl(n)}\n" for n in names)
        f.write(f"""---
policy: bench-{list_name}
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
  - product: bench-{eco}
examples:
  violating:
    - package: {purl(names[0])}@1.0.0
  compliant:
    - package: pkg:{eco}/not-banned@1.0.0
""")
for list_name, eco in [("crates-1000", "cargo"), ("npm-10", "npm"), ("npm-10000", "npm"),
                       ("npm-1000-50mb", "npm"), ("cargo-1000-50mb", "cargo"),
                       ("pypi-1000-50mb", "pypi"), ("poetry-1000-50mb", "pypi")]:
    policy(list_name, eco)
with open(f"{out}/deny.toml", "w") as f:
    f.write('[graph]\nall-features = false\n\n[bans]\nmultiple-versions = "allow"\n'
            'wildcards = "allow"\ndeny = [\n')
    f.writelines(f'    {{ crate = "{n}" }},\n' for n in open(f"{out}/crates-1000.txt").read().split())
    f.write("]\n")
PY

results=$out/results.tsv
: >"$results"
. benches/lib.sh
common=(--no-builtin --no-profile --format json --fail-on never)

echo "load before: $(uptime)"
echo "source: $(git describe --always --dirty); binary built $(date -r "$bin" '+%F %T')"
echo "cores: $(nproc); $(cargo deny --version); banscan: $("$bin" --version)"
w="Cargo.lock 646 crates, 1000 banned"
measure "$w" cargo-deny deny \
    cargo deny --manifest-path "$app/Cargo.toml" --config "$out/deny.toml" --frozen check bans
measure "$w" banscan "json:$out/report-cargo.json" \
    "$bin" scan "$app/Cargo.lock" "${common[@]}" --policies "$out/policies-crates-1000" -o "$out/report-cargo.json"
for n in 10 10000; do
    measure "npm lock 10000 packages, $n rules" banscan "json:$out/report-npm-$n.json" \
        "$bin" scan "$out/npm-10k/package-lock.json" "${common[@]}" --policies "$out/policies-npm-$n" -o "$out/report-npm-$n.json"
done
for case in "npm-50mb/package-lock.json npm-1000-50mb" "cargo-50mb/Cargo.lock cargo-1000-50mb" \
            "uv-50mb/uv.lock pypi-1000-50mb" "poetry-50mb/poetry.lock poetry-1000-50mb" \
            "pnpm-50mb/pnpm-lock.yaml npm-1000-50mb"; do
    set -- $case
    measure "$1 $(du -m "$out/$1" | cut -f1) MB" banscan "json:$out/report-50mb.json" \
        "$bin" scan "$out/$1" "${common[@]}" --policies "$out/policies-$2" -o "$out/report-50mb.json"
done
echo "load after: $(uptime)"

# The two comparisons again with hyperfine (mean of 20 runs after 3
# warm-ups; -i, as cargo deny exits 2 on a ban): GNU time counts in 10 ms
# steps, too coarse for a scan that takes 10 ms. Loading the policies alone
# (`policy list`) shows what the rule count costs before any file is read.
command -v hyperfine >/dev/null || { echo "hyperfine not found: ratios above are from GNU time" >&2; exit 0; }
hf() {
    hyperfine -N -i -w 3 -r 20 --export-json "$out/hf.json" "$@" >"$out/hf.txt" 2>&1 || { cat "$out/hf.txt" >&2; exit 1; }
    python3 - "$out/hf.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"  {r['mean'] * 1000:8.1f} ms ± {r['stddev'] * 1000:5.1f}  {r['command'][:160]}")
PY
}
echo; echo "hyperfine:"
hf "cargo deny --manifest-path $app/Cargo.toml --config $out/deny.toml --frozen check bans" \
   "$bin scan $app/Cargo.lock ${common[*]} --policies $out/policies-crates-1000 -o /dev/null"
hf "$bin scan $out/npm-10k/package-lock.json ${common[*]} --policies $out/policies-npm-10 -o /dev/null" \
   "$bin scan $out/npm-10k/package-lock.json ${common[*]} --policies $out/policies-npm-10000 -o /dev/null" \
   "$bin policy list --no-builtin --policies $out/policies-npm-10" \
   "$bin policy list --no-builtin --policies $out/policies-npm-10000"
