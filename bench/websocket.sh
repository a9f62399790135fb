#!/bin/sh
# WebSocket benchmark: eddy, Node, Bun and the C floor against one echo server
# (bench/websocket_floor.c serve), interleaved run by run; prints each run's JSON line, then the
# medians and eddy's ratios. Each run ends with 20 server pushes 50 ms apart (about 1 s).
#
#   bench/websocket.sh                 RUNS=3 by default
#   EDDY=build-rel/eddy RUNS=5 bench/websocket.sh
#   EDDY_BEFORE=/tmp/old/eddy bench/websocket.sh      also an older eddy, as "eddy-before"
#   PIN=same bench/websocket.sh        the server and every client on CPU 1; PIN=cross: the
#                                      clients on CPU 0. Unpinned, the scheduler puts a client
#                                      beside the server or not from run to run, and a
#                                      sequential round trip takes ~7 or ~70 us accordingly
#                                      (waking a client on an idle vCPU); pinned, each mode is
#                                      measured apart. Pinned, a runtime's JIT threads share
#                                      its one CPU too.
#
# Node 20 has WebSocket behind --experimental-websocket (undici's); Node >= 22 has it on by
# default. Bun comes from bench/node_modules (see bench/README.md) or $BUN.
set -eu
cd "$(dirname "$0")/.."
RUNS="${RUNS:-3}"
EDDY="${EDDY:-build/eddy}"
NODE="${NODE:-node}"
BUN="${BUN:-bench/node_modules/.bin/bun}"
PIN="${PIN:-}"
case "$PIN" in
  "") server_cpu="" client_cpu="" ;;
  same) server_cpu="taskset -c 1" client_cpu="taskset -c 1" ;;
  cross) server_cpu="taskset -c 1" client_cpu="taskset -c 0" ;;
  *) echo "websocket.sh: PIN is same or cross, not $PIN" >&2; exit 2 ;;
esac
out=bench/build
mkdir -p "$out"
cc -O2 -Wall -Wextra -o "$out/websocket_floor" bench/websocket_floor.c -lcrypto -lpthread

fifo="$out/websocket_server.out"
rm -f "$fifo" # a previous run's URL must not be read before the new server truncates it
$server_cpu "$out/websocket_floor" serve > "$fifo" &
server=$!
trap 'kill $server 2>/dev/null' EXIT INT TERM
until grep -q "^ws://.*$" "$fifo" 2>/dev/null; do sleep 0.05; done
url=$(head -n 1 "$fifo")

node_flags=""
if "$NODE" -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' 2>/dev/null; then :;
elif "$NODE" --experimental-websocket -e '0' 2>/dev/null; then node_flags="--experimental-websocket"; fi

results="$out/websocket_results.jsonl"
: > "$results"
for run in $(seq "$RUNS"); do
  # shellcheck disable=SC2086
  $client_cpu "$out/websocket_floor" client "$url" | tee -a "$results"
  # shellcheck disable=SC2086
  if [ -x "$EDDY" ]; then timeout 120 $client_cpu "$EDDY" bench/js/websocket.js "$url" | tee -a "$results"; fi
  if [ -n "${EDDY_BEFORE:-}" ]; then
    # shellcheck disable=SC2086
    timeout 120 $client_cpu "$EDDY_BEFORE" bench/js/websocket.js "$url" eddy-before | tee -a "$results"
  fi
  # shellcheck disable=SC2086
  timeout 120 $client_cpu "$NODE" $node_flags bench/js/websocket.js "$url" 2>/dev/null | tee -a "$results" || echo "node: failed"
  # shellcheck disable=SC2086
  if [ -x "$BUN" ]; then timeout 120 $client_cpu "$BUN" bench/js/websocket.js "$url" | tee -a "$results" || echo "bun: failed"; fi
done

python3 - "$results" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
keys = ["echo_seq_median_us", "echo_seq_p99_us", "echo_64_msgs_per_s",
        "echo_64_steady_msgs_per_s", "binary_1m_mb_per_s", "push_median_us", "push_max_us"]
med = {}
for r in rows:
    med.setdefault(r["runtime"], {k: [] for k in keys})
    for k in keys:
        if k in r: med[r["runtime"]][k].append(r[k])  # the floor has no push figures
m = lambda v: statistics.median(v) if v else float("nan")
print("\n%-8s" % "median" + "".join("%26s" % k for k in keys))
for rt, v in med.items():
    print("%-8s" % rt + "".join("%26.1f" % m(v[k]) for k in keys))
if "eddy" in med:
    e = {k: m(med["eddy"][k]) for k in keys}
    for peer in [p for p in med if p != "eddy"]:
        p = {k: m(med[peer][k]) for k in keys}
        # Ratios as "eddy is x times better" (> 1: eddy ahead): latency inverted.
        print("eddy vs %-6s" % peer + "".join(
            "%26.2f" % ((p[k] / e[k]) if k.endswith("_us") else (e[k] / p[k])) for k in keys))
EOF
