#!/usr/bin/env bash
# Benchmarks `banscan scan --hash` (issue 12): 1 GB of files (100 files of
# 10 MiB, made deterministically from a counter with sha256, so every run
# hashes the same bytes) hashed by banscan against GNU `sha256sum` over the
# same files. banscan matches the digests against a policy that bans one
# of them (the last file); the target is within 1.5x of sha256sum.
# `openssl dgst -sha256` is measured too when installed (see below).
# Each command runs three times (fastest wall time, largest peak RSS; see
# benches/lib.sh); the files are read once first so both tools hash them
# from the page cache. Usage: bash benches/hash.sh
# Honours CARGO_TARGET_DIR (default target/); data goes to
# $CARGO_TARGET_DIR/bench-hash.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
out=$target/bench-hash
results=$out/results.tsv
mkdir -p "$out"
cargo build --release --locked --quiet
bin=$target/release/banscan
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is required" >&2; exit 1; }
. benches/lib.sh

files=$out/files
if [ "$(find "$files" -type f 2>/dev/null | wc -l)" -ne 100 ]; then
    rm -rf "$files" && mkdir -p "$files"
    python3 - "$files" <<'PY'
import hashlib, sys
folder = sys.argv[1]
block = 1 << 20
for i in range(100):
    with open(f"{folder}/file-{i:03}.bin", "wb") as f:
        for j in range(10):
            seed = hashlib.sha256(f"{i}/{j}".encode()).digest()
            f.write((seed * (block // len(seed)))[:block])
PY
fi
banned=$(sha256sum "$files/file-099.bin" | cut -c1-64)
cat >"$out/policy.yaml" <<YAML
product: bench-file
name: Bench file
identifiers:
  files:
    - sha256: $banned
---
policy: xx-bench-files
title: Bench ban on one file
authority: Bench
jurisdiction: TW
issued: 2025-01-01
effective: 2025-01-01
legal_basis: Bench
sources: [{title: Bench, publisher: Bench, url: "https://example.org/bench"}]
binds: {sectors: [all]}
severity: ban
bans:
  - product: bench-file
examples:
  violating: [{file: {sha256: $banned}}]
  compliant: [{file: {sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855}}]
YAML
cat "$files"/* >/dev/null
: >"$results"
measure "hash 100 x 10 MiB" "sha256sum" - sh -c "sha256sum \"$files\"/* | wc -l"
# GNU sha256sum does not use the CPU's SHA instructions; OpenSSL does, as
# banscan's sha2 crate does: the fairer floor, when installed.
if command -v openssl >/dev/null; then
    measure "hash 100 x 10 MiB" "openssl dgst" - sh -c "openssl dgst -sha256 \"$files\"/* | wc -l"
fi
# banscan exits 1: it found the banned file.
measure "hash 100 x 10 MiB" "banscan --hash" "json:$out/report.json" \
    sh -c "\"$bin\" scan --no-builtin --no-profile --policies \"$out/policy.yaml\" --as-of 2026-01-01 --format json -o \"$out/report.json\" --hash \"$files\"; [ \$? -eq 1 ]"
measure "hash 100 x 10 MiB" "banscan --hash -j1" "json:$out/report.json" \
    sh -c "\"$bin\" scan -j 1 --no-builtin --no-profile --policies \"$out/policy.yaml\" --as-of 2026-01-01 --format json -o \"$out/report.json\" --hash \"$files\"; [ \$? -eq 1 ]"
