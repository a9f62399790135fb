#!/bin/sh
# A decompression bomb read slowly (bench/js/decompress_bomb.js): ~1 MB of gzip in one chunk
# that inflates to 1 GiB, under eddy, Node, Bun and Deno, interleaved run by run. Prints each
# run's time, chunk count and peak RSS (GNU time), and the growth over the same runtime
# decompressing nothing.
#
#   bench/decompress_bomb.sh      RUNS=3 by default; EDDY=path NODE=path BUN=path DENO=path;
#                                 EDDY_BEFORE=path adds an older eddy as "before"
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=$HERE/build
RUNS=${RUNS:-3}
EDDY=${EDDY:-$ROOT/build/eddy}
EDDY_BEFORE=${EDDY_BEFORE:-}
NODE=${NODE:-$(command -v node || true)}
BUN=${BUN:-$HERE/node_modules/.bin/bun}
DENO=${DENO:-$HERE/node_modules/.bin/deno}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "decompress_bomb.sh: needs GNU time (apt-get install time)" >&2; exit 1; }
mkdir -p "$BUILD"
python3 - "$BUILD/bomb_gz.js" <<'PY'
import base64, sys, zlib
c = zlib.compressobj(9, zlib.DEFLATED, 31)
zero = bytes(1 << 20)
data = b"".join(c.compress(zero) for _ in range(1024)) + c.flush()
open(sys.argv[1], "w").write('export default "%s";\n' % base64.b64encode(data).decode())
PY

OUT=$BUILD/decompress_bomb.txt
: > "$OUT"
measure() { # name mode cmd...
    name=$1 mode=$2
    shift 2
    if line=$("$TIME" -f "rss %M" "$@" "$HERE/js/decompress_bomb.js" $mode 2>"$BUILD/time.txt" | grep '^{' | tail -n1); then
        rss=$(grep '^rss ' "$BUILD/time.txt" | tail -n1 | cut -d' ' -f2)
        echo "$name $mode $rss $line" | tee -a "$OUT"
    else
        echo "decompress_bomb.sh: $name failed: $(tail -n2 "$BUILD/time.txt" | tr '\n' ' ')" >&2
    fi
}
i=0
while [ $i -lt "$RUNS" ]; do
    for mode in bomb idle; do
        [ -z "$EDDY_BEFORE" ] || measure before $mode "$EDDY_BEFORE"
        measure eddy $mode "$EDDY"
        [ -z "$NODE" ] || measure node $mode "$NODE"
        [ ! -x "$BUN" ] || measure bun $mode "$BUN"
        [ ! -x "$DENO" ] || measure deno $mode "$DENO" run -A
    done
    i=$((i + 1))
done

python3 - "$OUT" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, mode, rss, js = line.split(" ", 3)
    d = json.loads(js)
    rows.setdefault(name, {"bomb": [], "idle": [], "ms": [], "chunks": set()})
    rows[name][mode].append(int(rss) / 1024)
    if mode == "bomb":
        rows[name]["ms"].append(d["ms"])
        rows[name]["chunks"].add(d["chunks"])
print("\n%-8s %10s %16s %16s %12s" % ("runtime", "ms", "peak RSS MiB", "growth MiB", "chunks"))
for name, r in rows.items():
    m = statistics.median
    print("%-8s %10.0f %16.1f %16.1f %12s" % (name, m(r["ms"]), m(r["bomb"]), m(r["bomb"]) - m(r["idle"]),
                                             ",".join(str(c) for c in sorted(r["chunks"]))))
PY
