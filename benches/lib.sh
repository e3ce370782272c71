# Shared by the benchmark scripts: `mk_gen`, which expects `$gen` (gen.py), and
# `measure`, which expects `$out` (a work folder) and `$results` (a TSV
# file) to be set by the script sourcing it.

# mk_gen FILE KIND ARGS...: writes FILE with `gen.py KIND FILE ARGS...` unless it
# exists; the generator is deterministic, so an existing file is reused.
mk_gen() { local f=$1 kind=$2; shift 2; [ -s "$f" ] || { python3 "$gen" "$kind" "$f.tmp" "$@"; mv "$f.tmp" "$f"; }; }

# measure WORKLOAD TOOL HITS-KIND CMD...: runs CMD three times; records the
# fastest wall time and the largest peak resident memory, so one slow run on
# a busy machine does not decide the result. HITS-KIND says how to read the
# hits: "stdout" (rg -c / wc -l: the number printed), "json:FILE" (banscan)
# or "deny" (cargo-deny: its `error[banned]` diagnostics).
measure() {
    local workload=$1 tool=$2 hits_kind=$3; shift 3
    local best="" peak=0 secs kb rc hits
    for _ in 1 2 3; do
        rc=0
        /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >"$out/stdout.txt" 2>"$out/stderr.txt" || rc=$?
        # rg exits 1 when nothing matched, cargo-deny 2 when a check failed;
        # anything else is a failure.
        if [ "$rc" -ne 0 ] && ! { case $tool in rg*) [ "$rc" -eq 1 ] ;; cargo-deny*) [ "$rc" -eq 2 ] ;; *) false ;; esac; }; then
            echo "FAILED ($rc): $*" >&2; cat "$out/stderr.txt" >&2; exit 1
        fi
        read -r secs kb < <(tail -n 1 "$out/time.txt")
        if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
        if [ "$kb" -gt "$peak" ]; then peak=$kb; fi
    done
    case $hits_kind in
        stdout) hits="$(awk '{print $1; exit}' "$out/stdout.txt") lines" ;;
        json:*) hits=$(python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))["summary"]
print("%s occurrences in %s findings (%s items, %s files unread)"
      % (s["occurrences"], s["findings"], s["items"], s["files"]["unread"]))' "${hits_kind#json:}") ;;
        deny) hits="$(grep -c '^error\[banned\]' "$out/stderr.txt" || true) banned crates" ;;
        *) hits=- ;;
    esac
    printf '%s\t%s\t%s\t%s\t%s\n' "$workload" "$tool" "$best" "$peak" "$hits" >>"$results"
    printf '%-40s %-18s %7.2f s %9.1f MiB  %s\n' "$workload" "$tool" "$best" "$(awk "BEGIN{print $peak/1024}")" "$hits"
}

