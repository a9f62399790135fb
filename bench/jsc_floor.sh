#!/bin/sh
# eddy against the JavaScriptCore it runs on: bench/js/compute.js and bench/js/await_chain.js
# on a bare JSC context with JSC's default options (build/bench_jsc_floor), on eddy, Node and
# Bun, alternated run by run; then instructions per `await null` counted by cachegrind
# ((I(N2) - I(N1)) / (N2 - N1), so start-up cancels out), which a loaded machine cannot blur.
# Figures, never assertions (bench/README.md).
#
#   bench/jsc_floor.sh      RUNS=5; BUILD=dir of bench_jsc_floor and eddy (default build)
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$(dirname "$HERE")/build}
RUNS=${RUNS:-5}
BUN=${BUN:-$HERE/node_modules/.bin/bun}
command_of() {
    case $1 in
        jsc) echo "$BUILD/bench_jsc_floor" ;;
        eddy) echo "$BUILD/eddy" ;;
        node) command -v node || true ;;
        bun) if [ -x "$BUN" ]; then echo "$BUN"; fi ;;
    esac
}

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
i=0
while [ $i -lt "$RUNS" ]; do
    i=$((i + 1))
    for name in jsc eddy node bun; do
        cmd=$(command_of $name)
        [ -n "$cmd" ] || continue
        "$cmd" "$HERE/js/compute.js" >>"$OUT/wall"
        "$cmd" "$HERE/js/await_chain.js" >>"$OUT/wall"
    done
done

if command -v valgrind >/dev/null 2>&1; then
    for n in 100000 300000; do
        printf '(async () => { for (let i = 0; i < %s; i++) await null; })();\n' $n >"$OUT/await_$n.js"
        for name in jsc eddy bun; do
            cmd=$(command_of $name)
            [ -n "$cmd" ] || continue
            # JSC's JIT and GC threads serial, as in instructions.sh: under valgrind they
            # would otherwise spin and blur the count (Bun reads them as BUN_JSC_*).
            ir=$(JSC_useConcurrentJIT=false JSC_useConcurrentGC=false \
                BUN_JSC_useConcurrentJIT=false BUN_JSC_useConcurrentGC=false \
                valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$cmd" \
                "$OUT/await_$n.js" 2>&1 | sed -n 's/.*I *refs: *//p' | tr -d ,)
            echo "$name $n $ir" >>"$OUT/instr"
        done
    done
fi

python3 - "$OUT" <<'PY'
import json, os, statistics, sys
out = sys.argv[1]
runs = {}
wall = os.path.join(out, "wall")
for line in open(wall) if os.path.exists(wall) else []:
    r = json.loads(line)
    for k, v in r["ms"].items():
        runs.setdefault(k, {}).setdefault(r["runtime"], []).append(v)
names = [n for n in ("jsc", "eddy", "node", "bun") if any(n in m for m in runs.values())]
print(f"{'ms, median of runs':22s}" + "".join(f"{n:>10s}" for n in names) + f"{'eddy/jsc':>10s}")
for k, m in runs.items():
    med = {n: statistics.median(m[n]) for n in names if n in m}
    print(f"{k:22s}" + "".join(f"{med.get(n, float('nan')):10.1f}" for n in names)
          + f"{med['eddy'] / med['jsc']:10.2f}")
path = os.path.join(out, "instr")
if os.path.exists(path):
    ir = {}
    for line in open(path):
        name, n, count = line.split()
        ir.setdefault(name, {})[int(n)] = int(count)
    print("instructions per `await null`: " + ", ".join(
        f"{name} {(c[300000] - c[100000]) / 200000:.0f}" for name, c in ir.items()))
PY
