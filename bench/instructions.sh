#!/bin/sh
# Userland instructions per request, eddy against raw libcurl, counted by valgrind's
# cachegrind: a figure that does not drift with a shared VM's speed, for judging a change
# worth a few percent (bench/run.sh's timings swing 2x within minutes on such a machine).
#
#   bench/instructions.sh
# Environment:
#   BENCHES="fetch_concurrent fetch_seq"   which fetch benchmarks
#   N1=1000 N2=3000   the two request counts; per request = (I(N2) - I(N1)) / (N2 - N1),
#                     so start-up, warm-up and the first JIT compiles cancel out
#   EDDY=path         eddy binary (default build/eddy)
#
# Counts the process's own instructions (all threads), not the kernel's. JSC's JIT and GC run
# serially (JSC_useConcurrentJIT/GC=false) and busy-polling is off: their threads would
# otherwise spin under valgrind's one-thread-at-a-time scheduler and blur the count. Both
# benchmarks take ~30 s together.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=$HERE/build
BENCHES=${BENCHES:-fetch_concurrent fetch_seq}
N1=${N1:-1000}
N2=${N2:-3000}
EDDY=${EDDY:-$ROOT/build/eddy}

command -v valgrind >/dev/null 2>&1 || { echo "instructions.sh: needs valgrind" >&2; exit 1; }
[ -x "$EDDY" ] || { echo "instructions.sh: $EDDY not built" >&2; exit 1; }
mkdir -p "$BUILD"
"${CC:-cc}" -O2 -Wall -o "$BUILD/raw_curl" "$HERE/raw_curl.c" -lcurl

URL=$("$HERE/nginx.sh" start)
OUT=$(mktemp -d)
# exit from a signal trap still runs the EXIT trap, so nginx always stops (as in run.sh)
trap 'rm -rf "$OUT"; "$HERE/nginx.sh" stop' EXIT
trap 'exit 130' INT TERM HUP PIPE

# instructions COMMAND... -> the "I refs" total of one run
instructions() {
    JSC_useConcurrentJIT=false JSC_useConcurrentGC=false \
        valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$OUT/cg" "$@" \
        >"$OUT/stdout" 2>"$OUT/stderr" || { cat "$OUT/stderr" >&2; exit 1; }
    sed -n 's/.*I *refs: *//p' "$OUT/stderr" | tr -d ','
}

per_request() { # command... (the count goes last)
    a=$(instructions "$@" "$N1")
    b=$(instructions "$@" "$N2")
    echo $(( (b - a) / (N2 - N1) ))
}

printf '%-18s %12s %12s %8s\n' benchmark eddy raw_curl ratio
for b in $BENCHES; do
    e=$(per_request "$EDDY" --busy-poll-us 0 "$HERE/js/$b.js" "$URL")
    r=$(per_request "$BUILD/raw_curl" "$URL" "$b")
    printf '%-18s %12s %12s %7sx\n' "$b" "$e" "$r" \
        "$(awk -v e="$e" -v r="$r" 'BEGIN { printf "%.2f", e / r }')"
done
echo "(userland instructions per request; lower is better)"
