#!/bin/sh
# The speed cost of running on JavaScriptCore's public C API alone (docs/porting.md): each
# benchmark with every optional JSC function ("all") and with none (EDDY_JSC_OPTIONAL=none),
# alternating, ROUNDS times; Node and Bun run the JS ones in the same rounds for scale.
# Prints the JSON lines; bench/report.py-style medians are left to the reader's eye.
#
#   bench/jsc_fallbacks.sh [build-dir]     (default: build; a build without sanitizers)
# Environment: ROUNDS=3, NODE=path, BUN=path
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:-$(dirname "$HERE")/build}
ROUNDS=${ROUNDS:-3}
NODE=${NODE:-$(command -v node || true)}
BUN=${BUN:-}
for b in "$HERE/node_modules/.bin/bun" "$HERE"/node_modules/@oven/bun-linux-*/bin/bun; do
  if [ -z "$BUN" ] && [ -x "$b" ] && "$b" --version >/dev/null 2>&1; then BUN=$b; fi
done

tag() { sed "s/^{/{\"jsc\":\"$1\",/"; }

r=1
while [ "$r" -le "$ROUNDS" ]; do
  for mode in all none; do
    if [ "$mode" = none ]; then export EDDY_JSC_OPTIONAL=none; else unset EDDY_JSC_OPTIONAL; fi
    "$BUILD/bench_engine_create" 30 | tag "$mode"
    "$BUILD/eddy" "$HERE/js/await_chain.js" | tag "$mode"
    "$BUILD/eddy" "$HERE/js/compute.js" | tag "$mode"
    "$BUILD/bench_host" | tag "$mode"
  done
  unset EDDY_JSC_OPTIONAL
  for rt in "$NODE" "$BUN"; do
    [ -n "$rt" ] || continue
    "$rt" "$HERE/js/await_chain.js"
    "$rt" "$HERE/js/compute.js"
  done
  r=$((r + 1))
done
