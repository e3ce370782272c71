#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seeds from the repository's own files:
# the test fixtures, the built-in policies and the ranges and purls the
# tests write. The corpus is generated, not committed; seeds already there
# are kept, so a corpus grown by earlier runs is only added to.
#
# usage: fuzz/seed.sh [TARGET...]   (default: every target)
set -euo pipefail

fuzz=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz")
fixtures=$root/tests/fixtures
# Seeds larger than this are left out: libFuzzer mutates small inputs best
# (-max_len in run.sh), and the big fixtures test throughput, not shapes.
max_seed=65536

all_targets=(policy_loader purl version_range domain_matcher
  manifests_lockfiles sboms inventories endpoint_logs)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

# The files of a fixture folder small enough to be a seed, one a line.
files_in() {
  find "$@" -type f -size -"$max_seed"c ! -name '*.snap' ! -name 'README.md' 2>/dev/null | sort
}

# seed TARGET NAME: standard input becomes one seed, named by its content
# so that seeding twice adds nothing.
seed() {
  local dir=$fuzz/corpus/$1 tmp
  mkdir -p "$dir"
  tmp=$(mktemp "$dir/.new.XXXXXX")
  cat >"$tmp"
  mv "$tmp" "$dir/seed-$(sha1sum "$tmp" | cut -c1-16)"
}

# A family target's seeds: each fixture of each of its formats, after the
# byte that picks the format (its index among the target's lines).
seed_family() {
  local target=$1 index=0 format dirs file
  while read -r t format dirs; do
    [ "$t" = "$target" ] || continue
    for file in $(files_in $(printf "$fixtures/%s " $dirs)); do
      { printf "\\$(printf '%03o' "$index")"; cat "$file"; } | seed "$target"
    done
    index=$((index + 1))
  done < <(grep -v '^#' "$fuzz/families.txt")
}

seed_policy_loader() {
  local file
  for file in $(files_in "$root/policies" "$fixtures/bad-policies" "$fixtures/rule-sets" \
    "$fixtures/duplicate-across-files" "$fixtures/profile-typo" "$root/examples" \
    | grep -E '\.ya?ml$'; find "$fixtures" -maxdepth 1 -name '*.yaml'; \
    find "$fixtures" -name banscan.yaml); do
    seed policy_loader <"$file"
  done
}

seed_purl() {
  local purl
  grep -rhoE 'pkg:[a-z]+/[^"'"'"' ,)}<>]+' "$fixtures" "$root/policies" "$root/tests"/*.rs \
    | sort -u | while read -r purl; do
    printf '%s' "$purl" | seed purl
  done
}

# `ecosystem byte, range, newline, version`, the byte the ecosystem's
# index in Ecosystem::ALL; each range the tests and policies write, with
# the version at its lower end.
seed_version_range() {
  local ecosystems=(cargo npm pypi golang maven nuget gem composer deb rpm)
  local line ty range i version
  grep -rhoE 'pkg:[a-z]+/[^,}]*, *versions: *"[^"]*"' "$root/tests"/*.rs "$fixtures" "$root/policies" \
    | sort -u | while read -r line; do
    ty=${line#pkg:}
    ty=${ty%%/*}
    range=${line##*versions: \"}
    range=${range%\"}
    for i in "${!ecosystems[@]}"; do
      [ "${ecosystems[$i]}" = "$ty" ] || continue
      version=$(printf '%s' "$range" | grep -oE '[0-9][0-9A-Za-z.+~:-]*' | head -1 || true)
      { printf "\\$(printf '%03o' "$i")"; printf '%s\n%s' "$range" "$version"; } | seed version_range
    done
  done
}

seed_domain_matcher() {
  local file
  for file in $(files_in "$fixtures/endpoint-list" "$fixtures/endpoint-allowlist" \
    "$fixtures/dnsmasq-log" "$fixtures/squid-access" "$fixtures/bind-query-log"); do
    seed domain_matcher <"$file"
  done
}

for target in "${targets[@]}"; do
  case $target in
    policy_loader | purl | version_range | domain_matcher) "seed_$target" ;;
    manifests_lockfiles | sboms | inventories | endpoint_logs) seed_family "$target" ;;
    *) echo "seed.sh: no target $target" >&2; exit 2 ;;
  esac
  echo "seed.sh: $target: $(find "$fuzz/corpus/$target" -type f | wc -l) inputs"
done
