#!/bin/sh
# Engine creation against the JavaScriptCore floor: bench_engine_create (50 eddy engines) and
# bench_engine_floor (50 bare JSC VMs + contexts) interleaved RUNS times, medians of their
# medians and of RSS per engine. BEFORE=path/to/bench_engine_create adds an older build as
# "eddy-before". INSTR=1 adds instructions per engine (cachegrind: 50 engines minus 10, over
# 40), which do not drift with the machine's load as times do.
#
#   bench/engine_create.sh            BUILD=build RUNS=5 by default
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${BUILD:-$ROOT/build}
RUNS=${RUNS:-5}
BEFORE=${BEFORE:-}
EDDY_BIN=$BUILD/bench_engine_create
FLOOR_BIN=$BUILD/bench_engine_floor
for b in "$EDDY_BIN" "$FLOOR_BIN"; do
    [ -x "$b" ] || { echo "engine_create.sh: $b missing (build with EDDY_BUILD_BENCH)" >&2; exit 1; }
done

OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }
i=0
while [ "$i" -lt "$RUNS" ]; do
    for pair in "jsc-floor $FLOOR_BIN" "eddy $EDDY_BIN" ${BEFORE:+"eddy-before $BEFORE"}; do
        name=${pair%% *}
        line=$(${pair#* } 50)
        echo "$name $(echo "$line" | field create_ms_median) $(echo "$line" | field rss_kib_per_engine)" >> "$OUT"
    done
    i=$((i + 1))
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
instructions() { # binary -> instructions per engine
    a=$(valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$1" 10 2>&1 |
        sed -n 's/.*I *refs: *//p' | tr -d ,)
    b=$(valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$1" 50 2>&1 |
        sed -n 's/.*I *refs: *//p' | tr -d ,)
    echo $(((b - a) / 40))
}
floor_ms=$(awk '$1 == "jsc-floor" { print $2 }' "$OUT" | median)
floor_kib=$(awk '$1 == "jsc-floor" { print $3 }' "$OUT" | median)
printf '%-12s %10s %8s %14s %8s' runtime create_ms x_floor rss_kib_each x_floor
[ "${INSTR:-0}" = 1 ] && printf ' %14s' instructions
printf '\n'
for name in jsc-floor eddy ${BEFORE:+eddy-before}; do
    ms=$(awk -v n="$name" '$1 == n { print $2 }' "$OUT" | median)
    kib=$(awk -v n="$name" '$1 == n { print $3 }' "$OUT" | median)
    printf '%-12s %10s %8.2f %14s %8.2f' "$name" "$ms" "$(echo "$ms $floor_ms" | awk '{ print $1 / $2 }')" \
        "$kib" "$(echo "$kib $floor_kib" | awk '{ print $1 / $2 }')"
    if [ "${INSTR:-0}" = 1 ]; then
        case $name in
        jsc-floor) bin=$FLOOR_BIN ;;
        eddy) bin=$EDDY_BIN ;;
        *) bin=$BEFORE ;;
        esac
        printf ' %14s' "$(instructions "$bin")"
    fi
    printf '\n'
done
echo "(RUNS=$RUNS, load: $(cut -d' ' -f1-3 /proc/loadavg))"
