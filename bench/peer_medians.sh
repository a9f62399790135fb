#!/bin/sh
# Runs a benchmark script that prints one JSON line of "*_per_s" figures under eddy, node, bun
# and deno, interleaved run by run (drift on a shared machine hits all alike), and prints the
# medians with eddy's ratio to each peer. Used by url_parse.sh and structured_clone.sh.
#   bench/peer_medians.sh bench/FILE.js [args...]   RUNS=3; EDDY=, NODE=, BUN=, DENO= override
# A peer whose binary is not found is skipped (bun and deno: bench/node_modules or
# /tmp/peers/node_modules, as `npm install --prefix /tmp/peers bun deno` leaves them).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
script=$1
shift
args="$*" # words: numbers only, so unquoted expansion is safe
RUNS=${RUNS:-3}
EDDY=${EDDY:-$ROOT/build/eddy}
NODE=${NODE:-node}
find_peer() {
    for b in "$HERE/node_modules/.bin/$1" /tmp/peers/node_modules/.bin/"$1" \
        "$HERE"/node_modules/@oven/bun-linux-*/bin/"$1"; do
        if [ -x "$b" ] && "$b" --version >/dev/null 2>&1; then echo "$b"; return; fi
    done
}
BUN=${BUN:-$(find_peer bun)}
DENO=${DENO:-$(find_peer deno)}
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
i=0
while [ "$i" -lt "$RUNS" ]; do
    for rt in eddy node bun deno; do
        case $rt in
            eddy) set -- "$EDDY" ;;
            node) set -- "$NODE" ;;
            bun) set -- "$BUN" ;;
            deno) set -- "$DENO" run ;;
        esac
        [ -n "$1" ] && command -v "$1" >/dev/null 2>&1 || continue
        "$@" "$script" $args >> "$OUT" 2>/dev/null || echo "$script: $rt failed" >&2
    done
    i=$((i + 1))
done
python3 - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
keys = [k for k in rows[0] if k.endswith("_per_s")] if rows else []
rts = [r for r in ["eddy", "node", "bun", "deno"] if any(x["runtime"] == r for x in rows)]
med = {r: {k: statistics.median(x[k] for x in rows if x["runtime"] == r) for k in keys} for r in rts}
print("%-24s" % "per second (median)" + "".join("%11s" % r for r in rts) +
      "".join("%11s" % ("eddy/" + r) for r in rts if r != "eddy"))
for k in keys:
    line = "%-24s" % k + "".join("%11d" % med[r][k] for r in rts)
    if "eddy" in med:
        line += "".join("%11.2f" % (med["eddy"][k] / med[r][k]) for r in rts if r != "eddy")
    print(line)
PY
