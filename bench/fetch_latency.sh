#!/bin/sh
# Chunk-to-reader latency of a streamed fetch body: the time from a chunk's write on the server
# (tests/servers/httpserver.py, /drip?clock=1 stamps each chunk) to the script's reader seeing
# it, for eddy, Node and Bun reading the same server's drip in one run, interleaved; plus eddy
# with the driver running and the host asleep (tests/c/test_fetch_latency, if built).
#
#   bench/fetch_latency.sh     RUNS=3 CHUNKS=200 DELAY_MS=10; EDDY=path NODE=path BUN=path
#                              LATENCY_TEST=path to test_fetch_latency (default: next to EDDY)
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=$HERE/build
RUNS=${RUNS:-3}
CHUNKS=${CHUNKS:-200}
DELAY_MS=${DELAY_MS:-10}
EDDY=${EDDY:-$ROOT/build/eddy}
LATENCY_TEST=${LATENCY_TEST:-$(dirname "$EDDY")/tests/test_fetch_latency}
NODE=${NODE:-$(command -v node || true)}
BUN=${BUN:-}
if [ -z "$BUN" ]; then
    for b in "$HERE/node_modules/.bin/bun" "$HERE/node_modules/bun/bin/bun.exe" \
             "$HERE"/node_modules/@oven/bun-linux-*/bin/bun; do
        if [ -x "$b" ] && "$b" --version >/dev/null 2>&1; then BUN=$b; break; fi
    done
fi
mkdir -p "$BUILD"

# The test server stops when its stdin reaches EOF: a fifo held open by this shell.
FIFO=$BUILD/fetch_latency.fifo
OUT=$BUILD/fetch_latency.txt
rm -f "$FIFO"
mkfifo "$FIFO"
python3 "$ROOT/tests/servers/httpserver.py" < "$FIFO" > "$BUILD/fetch_latency.server" &
SERVER=$!
exec 3> "$FIFO"
trap 'exec 3>&-; wait "$SERVER" 2>/dev/null || true; rm -f "$FIFO"' EXIT
trap 'exit 130' INT TERM HUP PIPE
i=0
until grep -q '"http"' "$BUILD/fetch_latency.server" 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 150 ] || { echo "fetch_latency.sh: the test server did not start" >&2; exit 1; }
    sleep 0.1
done
URL=$(python3 -c 'import json, sys; print(json.loads(open(sys.argv[1]).readline())["http"])' \
      "$BUILD/fetch_latency.server")

: > "$OUT"
run() { # name cmd...
    name=$1
    shift
    line=$("$@" 2>/dev/null | grep '^{' | tail -n1) || true
    echo "$name ${line:-{\"error\": \"no output\"\}}" >> "$OUT"
}

i=0
while [ $i -lt "$RUNS" ]; do
    for mode in default byob; do
        [ -x "$EDDY" ] && run "eddy/$mode" "$EDDY" "$HERE/js/fetch_latency.js" "$URL" $mode "$CHUNKS" "$DELAY_MS"
        [ -n "$NODE" ] && run "node/$mode" "$NODE" "$HERE/js/fetch_latency.js" "$URL" $mode "$CHUNKS" "$DELAY_MS"
        [ -n "$BUN" ] && run "bun/$mode" "$BUN" "$HERE/js/fetch_latency.js" "$URL" $mode "$CHUNKS" "$DELAY_MS"
    done
    if [ -x "$LATENCY_TEST" ]; then
        "$LATENCY_TEST" 2>/dev/null | sed -n 's/^# chunk to \([a-z]*\) reader, host asleep: median \([0-9.]*\) ms, p99 \([0-9.]*\) ms.*/\1 \2 \3/p' |
        while read -r mode med p99; do
            echo "eddy-driver-host-asleep/$mode {\"median_ms\": $med, \"p99_ms\": $p99}" >> "$OUT"
        done
    fi
    i=$((i + 1))
done

python3 - "$OUT" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, _, js = line.partition(" ")
    d = json.loads(js)
    rows.setdefault(name, []).append(d)
print("%-34s %12s %12s  (ms from the server's write to the reader, median over runs)"
      % ("runtime/reader", "median", "p99"))
for name, ds in rows.items():
    ok = [d for d in ds if "median_ms" in d]
    if not ok:
        print("%-34s %s" % (name, ds[-1].get("error", "failed")))
        continue
    med = statistics.median(d["median_ms"] for d in ok)
    p99 = statistics.median(d["p99_ms"] for d in ok)
    print("%-34s %12.3f %12.3f  (%d runs)" % (name, med, p99, len(ok)))
PY
