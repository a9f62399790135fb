#!/bin/sh
# Runs one JS benchmark under eddy, node and bun, interleaved run by run (drift on a shared
# machine hits all alike), and prints each run's output: the runner of the benchmarks that
# print their own JSON lines (text_decode.sh, message_channel.sh).
#   bench/peers.sh bench/FILE.js [args...]      RUNS=3 by default; EDDY=, NODE=, BUN= override
set -eu
cd "$(dirname "$0")/.."
script=$1
shift
runs=${RUNS:-3}
eddy=${EDDY:-build/eddy}
node=${NODE:-node}
bun=${BUN:-}
if [ -z "$bun" ]; then
    for b in bench/node_modules/.bin/bun bench/node_modules/@oven/bun-linux-*/bin/bun; do
        if [ -x "$b" ] && "$b" --version >/dev/null 2>&1; then bun=$b; break; fi
    done
fi
for i in $(seq "$runs"); do
    [ -x "$eddy" ] && { "$eddy" "$script" "$@" || echo "eddy failed: $?"; }
    command -v "$node" >/dev/null && { "$node" "$script" "$@" || echo "node failed: $?"; }
    [ -n "$bun" ] && { "$bun" "$script" "$@" || echo "bun failed: $?"; }
done
