#!/bin/sh
# URL parsing and URLSearchParams throughput: bench/url_parse.js under eddy, node and bun,
# interleaved run by run (drift on a shared machine hits all alike), medians and ratios.
#   bench/url_parse.sh                 # RUNS=3, 1 s per measurement
#   EDDY=build-rel/eddy RUNS=5 SECONDS_EACH=2 bench/url_parse.sh
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
RUNS=${RUNS:-3}
SECONDS_EACH=${SECONDS_EACH:-1}
EDDY=${EDDY:-$ROOT/build/eddy}
NODE=${NODE:-node}
BUN=${BUN:-}
if [ -z "$BUN" ]; then
    for b in "$HERE/node_modules/.bin/bun" "$HERE"/node_modules/@oven/bun-linux-*/bin/bun; do
        if [ -x "$b" ] && "$b" --version >/dev/null 2>&1; then BUN=$b; break; fi
    done
fi
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
i=0
while [ "$i" -lt "$RUNS" ]; do
    for rt in eddy node bun; do
        case $rt in
            eddy) bin=$EDDY ;;
            node) bin=$NODE ;;
            bun) bin=$BUN ;;
        esac
        [ -n "$bin" ] && command -v "$bin" >/dev/null 2>&1 || continue
        "$bin" "$HERE/url_parse.js" "$SECONDS_EACH" >> "$OUT" 2>/dev/null ||
            echo "url_parse: $rt failed" >&2
    done
    i=$((i + 1))
done
python3 - "$OUT" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
keys = ["parse_per_s", "parse_components_per_s", "search_params_per_s"]
rts = [r for r in ["eddy", "node", "bun"] if any(x["runtime"] == r for x in rows)]
med = {r: {k: statistics.median(x[k] for x in rows if x["runtime"] == r) for k in keys} for r in rts}
print("%-24s" % "per second (median)" + "".join("%12s" % r for r in rts) +
      "".join("%12s" % ("eddy/" + r) for r in rts if r != "eddy"))
for k in keys:
    line = "%-24s" % k + "".join("%12d" % med[r][k] for r in rts)
    if "eddy" in med:
        line += "".join("%12.2f" % (med["eddy"][k] / med[r][k]) for r in rts if r != "eddy")
    print(line)
EOF
