#!/bin/sh
# Streaming a 256 MiB response body: eddy's res.body read through getReader() and through
# `for await` against Node's and Bun's fetch streams and raw_curl's floor (libcurl counting the
# bytes), in one run, interleaved. Prints MB/s and peak RSS (GNU time's maximum resident set
# size) per runtime and way of reading, and the RSS growth over the same runtime fetching a
# 2-byte body (the idle engine).
#
#   bench/fetch_stream.sh          RUNS=3 by default; EDDY=path NODE=path BUN=path as run.sh;
#                                  EDDY_BEFORE=path adds an older eddy as "before"
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=$HERE/build
RUNS=${RUNS:-3}
EDDY=${EDDY:-$ROOT/build/eddy}
EDDY_BEFORE=${EDDY_BEFORE:-}
NODE=${NODE:-$(command -v node || true)}
BUN=${BUN:-}
if [ -z "$BUN" ]; then
    for b in "$HERE/node_modules/.bin/bun" "$HERE/node_modules/bun/bin/bun.exe" \
             "$HERE"/node_modules/@oven/bun-linux-*/bin/bun; do
        if [ -x "$b" ] && "$b" --version >/dev/null 2>&1; then BUN=$b; break; fi
    done
fi
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "fetch_stream.sh: needs GNU time (apt-get install time)" >&2; exit 1; }

mkdir -p "$BUILD"
"${CC:-cc}" -O2 -Wall -o "$BUILD/raw_curl" "$HERE/raw_curl.c" -lcurl

URL=$("$HERE/nginx.sh" start)
trap '"$HERE/nginx.sh" stop' EXIT
trap 'exit 130' INT TERM HUP PIPE
DIR=${EDDY_NGINX_DIR:-${TMPDIR:-/tmp}/eddy-bench-nginx-$(id -u)}
head -c 268435456 /dev/zero > "$DIR/www/256m"

OUT=$BUILD/fetch_stream.txt
: > "$OUT"
# one line: name mb_s peak_rss_kib chunks (mb_s and chunks "-" for the idle runs)
measure() { # name cmd...
    name=$1
    shift
    if line=$("$TIME" -f "rss %M" "$@" 2>"$BUILD/time.txt" | grep '^{' | tail -n1); then
        rss=$(grep '^rss ' "$BUILD/time.txt" | tail -n1 | cut -d' ' -f2)
        mbs=$(printf '%s' "$line" | python3 -c '
import json, sys
d = json.load(sys.stdin)
d = d.get("fetch_stream", d)
print(d.get("mb_s", "-"), d.get("chunks", "-"))')
        echo "$name $mbs $rss" >> "$OUT"
    else
        echo "fetch_stream.sh: $name failed: $(tail -n2 "$BUILD/time.txt" | tr '\n' ' ')" >&2
    fi
}

i=0
while [ $i -lt "$RUNS" ]; do
    measure raw_curl "$BUILD/raw_curl" "$URL" fetch_stream
    for rt in before eddy node bun; do
        case $rt in before) bin=$EDDY_BEFORE ;; eddy) bin=$EDDY ;; node) bin=$NODE ;; bun) bin=$BUN ;; esac
        [ -n "$bin" ] && [ -x "$bin" ] || continue
        measure "$rt" "$bin" "$HERE/js/fetch_stream.js" "$URL" reader
        measure "${rt}_iter" "$bin" "$HERE/js/fetch_stream.js" "$URL" iter
        measure "${rt}_idle" "$bin" "$HERE/js/fetch_stream.js" "$URL" idle
    done
    i=$((i + 1))
done

FLOOR=$ROOT/build/bench_jsc_floor
if [ -x "$FLOOR" ]; then
    chunks=$(awk '$1 == "eddy_iter" && $3 != "-" { print $3 }' "$OUT" | sort -n |
             awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }')
    if [ -n "$chunks" ]; then
        size=$((268435456 / chunks))
        i=0
        while [ $i -lt "$RUNS" ]; do
            measure jsc_floor "$FLOOR" "$HERE/js/fetch_stream_floor.js" "$chunks" "$size"
            measure jsc_floor_idle "$FLOOR" "$HERE/js/fetch_stream_floor.js" 1 "$size"
            i=$((i + 1))
        done
    fi
else
    echo "fetch_stream.sh: no $FLOOR (build it: cmake --build build --target bench_jsc_floor)" >&2
fi

python3 - "$OUT" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, mbs, chunks, rss = line.split()
    rows.setdefault(name, []).append((None if mbs == "-" else float(mbs), int(rss)))
med = lambda xs: statistics.median(xs) if xs else None
floor = med([m for m, _ in rows.get("raw_curl", [])])
print("%-10s %9s %15s %9s %14s %14s" % ("runtime", "MB/s", "range", "x floor", "peak RSS MiB",
                                         "RSS growth MiB"))
for name in ("raw_curl", "before", "before_iter", "eddy", "eddy_iter", "node", "node_iter", "bun",
             "bun_iter", "jsc_floor"):
    if name not in rows:
        continue
    all_mbs = [m for m, _ in rows[name] if m is not None]
    mbs = med(all_mbs)
    span = "%.0f-%.0f" % (min(all_mbs), max(all_mbs)) if all_mbs else "-"
    rss = med([r for _, r in rows[name]]) / 1024
    idle = rows.get(("jsc_floor" if name == "jsc_floor" else name.split("_")[0]) + "_idle")
    growth = "%.1f" % (rss - med([r for _, r in idle]) / 1024) if idle else "-"
    ratio = "%.2f" % (mbs / floor) if floor and mbs else "-"
    print("%-10s %9s %15s %9s %14.1f %14s" % (name, "%.1f" % mbs if mbs else "-", span, ratio, rss,
                                              growth))
PY
