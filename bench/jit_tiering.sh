#!/bin/sh
# eddy's DFG tier-up count (JSC's default, 1,000) against the 100x count an earlier eddy used
# (100,000), alternated run by run:
# bench/js/compute.js (ms per workload) and bench/js/fetch_concurrent.js (req/s) against the
# bench nginx. See docs/embedding.md#which-javascriptcore. Reported, never asserted.
#
#   bench/jit_tiering.sh            RUNS=5 by default; EDDY=path overrides build/eddy
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
EDDY=${EDDY:-$(dirname "$HERE")/build/eddy}
RUNS=${RUNS:-5}
URL=$("$HERE/nginx.sh" start)
trap '"$HERE/nginx.sh" stop' EXIT

OUT=$(mktemp)
i=0
while [ $i -lt "$RUNS" ]; do
    i=$((i + 1))
    for mode in dfg100x eddy; do
        if [ $mode = dfg100x ]; then
            set -- env JSC_thresholdForOptimizeAfterWarmUp=100000 JSC_thresholdForOptimizeAfterLongWarmUp=100000
        else
            set -- env
        fi
        printf '%s compute %s\n' $mode "$("$@" "$EDDY" "$HERE/js/compute.js")" >>"$OUT"
        printf '%s fetch %s\n' $mode "$("$@" "$EDDY" "$HERE/js/fetch_concurrent.js" "$URL")" >>"$OUT"
    done
done

python3 - "$OUT" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    mode, kind, text = line.split(" ", 2)
    r = json.loads(text)
    vals = r["ms"] if kind == "compute" else {"fetch_concurrent req/s": r["rps"]}
    for k, v in vals.items():
        runs.setdefault(k, {}).setdefault(mode, []).append(v)
print(f"{'metric (median of runs)':28s} {'DFG x100':>12s} {'eddy':>12s}")
for k, m in runs.items():
    print(f"{k:28s} {statistics.median(m['dfg100x']):12.1f} {statistics.median(m['eddy']):12.1f}")
PY
rm -f "$OUT"
