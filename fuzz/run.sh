#!/usr/bin/env bash
# Builds the fuzz targets once, seeds their corpora from the repository's
# files, runs each target for SECONDS (two at a time: the machine has two
# cores) and prints a Markdown table of executions, speed, corpus size and
# findings. Exits 1 when any target found a crash, a hang or an
# out-of-memory input; the input is in fuzz/artifacts/<target>/.
#
# usage: fuzz/run.sh SECONDS [TARGET...]   (default: every target)
#
# Only stable Rust is needed (see RELIABILITY.md, "Fuzzing"), with
# cargo-fuzz installed and a C++ compiler for libFuzzer.
set -euo pipefail

fuzz=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz")
seconds=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
all_targets=(policy_loader purl version_range domain_matcher
  manifests_lockfiles sboms inventories endpoint_logs)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
parallel=${FUZZ_PARALLEL:-2}

# `--sanitizer none`: AddressSanitizer (cargo-fuzz's default) is a `-Z`
# flag, which stable rustc refuses; without it every flag cargo-fuzz
# passes (sancov passes, `--cfg fuzzing`) is a stable `-C` flag. Rust's
# own checks (bounds, and overflow: cargo-fuzz builds with debug
# assertions) still turn a bug into a panic, which libFuzzer reports.
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}
# One scan thread a target: two targets run at once on two cores.
export RAYON_NUM_THREADS=1

cd "$fuzz"
# Every target in one build: they share the instrumented library.
# FUZZ_BUILD=dev builds without optimisation: half the build time and a
# fraction of the speed, for short runs (CI); the default is release.
triple=$(rustc -vV | sed -n 's/^host: //p')
build=${FUZZ_BUILD:-release}
case $build in
  release)
    cargo fuzz build --sanitizer none
    bin=$fuzz/target/$triple/release
    ;;
  dev)
    cargo fuzz build --sanitizer none --dev
    bin=$fuzz/target/$triple/debug
    ;;
  *) echo "run.sh: FUZZ_BUILD is release or dev" >&2; exit 2 ;;
esac

"$fuzz/seed.sh" "${targets[@]}" >/dev/null

stamp=$(date -u +%Y%m%dT%H%M%SZ)
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$root" diff --quiet HEAD -- 2>/dev/null || commit="$commit with changes"
runs=$fuzz/runs/$stamp
mkdir -p "$runs"

# The longest input a target is given: a parser's shapes show in a few
# kilobytes, and the families' seeds are fixtures up to 64 KiB.
max_len() {
  case $1 in
    purl | version_range | domain_matcher) echo 4096 ;;
    *) echo 65536 ;;
  esac
}

run_one() {
  local target=$1 artifacts=$fuzz/artifacts/$1
  mkdir -p "$artifacts" "$fuzz/corpus/$target"
  # -timeout: an input that takes more than 10 s is a hang, a finding.
  "$bin/$target" "$fuzz/corpus/$target" \
    -max_total_time="$seconds" -max_len="$(max_len "$target")" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" >"$runs/$target.log" 2>&1 || true
}

# Artifacts older than this run are not its findings.
touch "$runs/.start"
running=0
for target in "${targets[@]}"; do
  if [ "$running" -ge "$parallel" ]; then
    wait -n
    running=$((running - 1))
  fi
  run_one "$target" &
  running=$((running + 1))
done
wait

stat() { sed -n "s/^stat::$2: *//p" "$runs/$1.log" | tail -1; }
found=0
{
  echo "$stamp, commit $commit," \
    "$build build, $(nproc) cores ($parallel targets at a time)"
  echo
  echo "| target | seconds | executions | exec/s | corpus | findings |"
  echo "| --- | ---: | ---: | ---: | ---: | --- |"
  for target in "${targets[@]}"; do
    new=$(find "$fuzz/artifacts/$target" -type f -newer "$runs/.start" | sort)
    if [ -n "$new" ]; then
      found=1
      findings=$(for f in $new; do printf '%s ' "${f#"$root"/}"; done)
    elif ! grep -q '^stat::number_of_executed_units' "$runs/$target.log"; then
      found=1
      findings="did not run: see ${runs#"$root"/}/$target.log"
    else
      findings=none
    fi
    corpus=$(find "$fuzz/corpus/$target" -type f | wc -l)
    echo "| $target | $seconds | $(stat "$target" number_of_executed_units) |" \
      "$(stat "$target" average_exec_per_sec) | $corpus | $findings |"
  done
} | tee "$runs/table.md"
exit "$found"
