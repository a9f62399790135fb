#!/bin/sh
# Runs eddy's benchmarks side by side with Node, Bun and the C floors, and
# prints medians with eddy/baseline ratios. Numbers are reported, never
# asserted: they depend on the machine.
#
#   bench/run.sh
# Environment:
#   RUNS=3          runs per benchmark and runtime (median of runs is shown)
#   CHAIN_RUNS=1    runs of timer_chain (it takes ~20 s under a 1 ms clamp)
#   BENCHES="..."   subset of: timer_lateness timer_chain fetch_seq
#                   fetch_concurrent fetch_64k
#   EDDY=path       eddy binary (default build/eddy; skipped if absent)
#   TIMEOUT=60      seconds per benchmark process
#   NODE=path BUN=path   override the runtime binaries
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=$HERE/build
RUNS=${RUNS:-3}
CHAIN_RUNS=${CHAIN_RUNS:-1}
BENCHES=${BENCHES:-timer_lateness timer_chain fetch_seq fetch_concurrent fetch_64k}
EDDY=${EDDY:-$ROOT/build/eddy}
TIMEOUT=${TIMEOUT:-60}  # per process; timer_chain needs ~22 s under a 1 ms clamp

mkdir -p "$BUILD"
CC=${CC:-cc}
"$CC" -O2 -Wall -o "$BUILD/raw_curl" "$HERE/raw_curl.c" -lcurl
"$CC" -O2 -Wall -o "$BUILD/epoll_floor" "$HERE/epoll_floor.c"

note() { echo "run.sh: $*" >&2; }

# ---- runtimes ----
RT_NAMES=""
RT_eddy="" RT_node="" RT_bun=""

if [ -x "$EDDY" ]; then
    RT_eddy=$EDDY RT_NAMES="eddy"
else
    note "eddy: skipped ($EDDY not built)"
fi

NODE=${NODE:-$(command -v node || true)}
if [ -n "$NODE" ] && "$NODE" --version >/dev/null 2>&1; then
    RT_node=$NODE RT_NAMES="$RT_NAMES node"
else
    note "node: skipped (not found)"
fi

# Bun from npm: the "bun" package's postinstall moves the binary shipped in
# @oven/bun-linux-<arch> into bun/bin/bun.exe (no download). If install
# scripts did not run, bun.exe is a placeholder, so also try the @oven copy.
find_bun() {
    for b in "$HERE/node_modules/.bin/bun" "$HERE/node_modules/bun/bin/bun.exe" \
             "$HERE"/node_modules/@oven/bun-linux-*/bin/bun; do
        if [ -x "$b" ] && "$b" --version >/dev/null 2>&1; then
            echo "$b"
            return
        fi
    done
}
if [ -z "${BUN:-}" ]; then
    BUN=$(find_bun)
    if [ -z "$BUN" ] && command -v npm >/dev/null 2>&1; then
        note "installing bun via npm into bench/node_modules"
        npm install --no-save --no-audit --no-fund --prefix "$HERE" bun >&2 || true
        BUN=$(find_bun)
    fi
fi
if [ -n "$BUN" ] && "$BUN" --version >/dev/null 2>&1; then
    RT_bun=$BUN RT_NAMES="$RT_NAMES bun"
else
    note "bun: skipped (npm install of bun failed or its binary does not run here)"
fi

[ -n "$RT_node" ] && note "node: $RT_node $("$RT_node" --version)"
[ -n "$RT_bun" ] && note "bun: $RT_bun $("$RT_bun" --version)"

# ---- server ----
URL=$("$HERE/nginx.sh" start)
# exit from a signal trap still runs the EXIT trap, so nginx always stops
trap '"$HERE/nginx.sh" stop' EXIT
trap 'exit 130' INT TERM HUP PIPE
note "nginx at $URL"

RESULTS=$BUILD/results.jsonl
: > "$RESULTS"

FAILED=" "  # "bench/runtime" pairs that failed once: not retried

# Append one JSON result line, or an error record so the table says why.
record() { # bench runtime cmd...
    rec_b=$1 rec_rt=$2  # sh has no locals: $b and $rt are the callers' loop variables
    shift 2
    case "$FAILED" in *" $rec_b/$rec_rt "*) return ;; esac
    if out=$(timeout "$TIMEOUT" "$@" 2>"$BUILD/stderr.txt") &&
            line=$(printf '%s\n' "$out" | grep '^{' | tail -n1) && [ -n "$line" ]; then
        printf '%s\n' "$line" | python3 -c '
import json, sys
d = json.loads(sys.stdin.read()); d["bench"] = sys.argv[1]; d["runtime"] = sys.argv[2]
print(json.dumps(d))' "$rec_b" "$rec_rt" >> "$RESULTS"
    else
        FAILED="$FAILED$rec_b/$rec_rt "
        # the message line, not the stack under it
        err=$({ grep -m1 -i error "$BUILD/stderr.txt" || tail -n2 "$BUILD/stderr.txt"; } | tr '\n' ' ')
        [ -n "$err" ] || err="no JSON output (exit status or ${TIMEOUT}s timeout)"
        note "$rec_b/$rec_rt failed: $err"
        python3 -c 'import json,sys; print(json.dumps({"bench":sys.argv[1],"runtime":sys.argv[2],"error":sys.argv[3]}))' \
            "$rec_b" "$rec_rt" "$err" >> "$RESULTS"
    fi
}

# ---- floors: the timer floor here; raw_curl runs inside each fetch
# benchmark's rounds below, next to the runtimes it bounds ----
i=0
while [ $i -lt "$RUNS" ]; do
    record epoll_floor floor "$BUILD/epoll_floor"
    i=$((i + 1))
done

# ---- JS benchmarks: runtimes interleaved within each run, so drift in the
# machine's state (minutes-long on a shared VM) hits all of them alike ----
for b in $BENCHES; do
    n=$RUNS
    [ "$b" = timer_chain ] && n=$CHAIN_RUNS
    i=0
    while [ $i -lt "$n" ]; do
        case "$b" in
            fetch_*) record raw_curl floor "$BUILD/raw_curl" "$URL" "$b" ;;
        esac
        for rt in $RT_NAMES; do
            eval "bin=\$RT_$rt"
            note "$b: $rt (run $((i + 1))/$n)"
            record "$b" "$rt" "$bin" "$HERE/js/$b.js" "$URL"
        done
        i=$((i + 1))
    done
done

python3 "$HERE/report.py" "$RESULTS"
