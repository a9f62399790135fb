#!/bin/sh
# Installs dependencies, configures and builds eddy into ./build (or $EDDY_BUILD_DIR).
# EDDY_SANITIZE=address,undefined (or thread) builds with sanitizers; warnings are errors.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
dir="${EDDY_BUILD_DIR:-build}"
cmake -S . -B "$dir" -DEDDY_WERROR=ON -DEDDY_SANITIZE="${EDDY_SANITIZE:-}" >/dev/null
cmake --build "$dir" -j"$(nproc)"
