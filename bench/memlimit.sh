#!/bin/sh
# The cost of memory_limit's checks: bench/js/compute.js and bench/js/await_chain.js under eddy
# without a limit and with one far above what they use (--memory-limit 4096 MiB: every check
# runs, none fires), Node alongside for scale, alternated run by run; medians. Each workload's
# wall time (the scripts' own figures) and each process's CPU time (user + sys, steadier than
# wall time on a shared machine). See docs/embedding.md#memory-limit. Reported, never asserted.
#
#   bench/memlimit.sh               RUNS=5 by default; EDDY=path overrides build/eddy
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
EDDY=${EDDY:-$(dirname "$HERE")/build/eddy}
NODE=${NODE:-node}
RUNS=${RUNS:-5}

OUT=$(mktemp)
CPU=$(mktemp)
trap 'rm -f "$OUT" "$CPU"' EXIT
run() { # mode js cmd...
    mode=$1 js=$2
    shift 2
    line=$(/usr/bin/time -f '%U %S' -o "$CPU" "$@" "$HERE/js/$js.js")
    printf '%s %s %s\n' "$mode" "$(awk '{ printf "%.0f", ($1 + $2) * 1000 }' "$CPU")" "$line" >>"$OUT"
}
i=0
while [ $i -lt "$RUNS" ]; do
    i=$((i + 1))
    for js in compute await_chain; do
        run none $js "$EDDY"
        run limit $js "$EDDY" --memory-limit 4096
        if command -v "$NODE" >/dev/null 2>&1; then run node $js "$NODE"; fi
    done
done

python3 - "$OUT" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    mode, cpu, text = line.split(" ", 2)
    r = json.loads(text)
    runs.setdefault(f"{r['bench']} process CPU", {}).setdefault(mode, []).append(float(cpu))
    for k, v in r["ms"].items():
        runs.setdefault(k, {}).setdefault(mode, []).append(v)
print(f"{'ms (median of runs)':24s} {'no limit':>10s} {'limit':>10s} {'limit/none':>10s} {'node':>10s}")
for k, m in runs.items():
    none, lim = statistics.median(m["none"]), statistics.median(m["limit"])
    node = f"{statistics.median(m['node']):10.1f}" if "node" in m else f"{'-':>10s}"
    print(f"{k:24s} {none:10.1f} {lim:10.1f} {lim / none if none else 0:10.2f} {node}")
PY
