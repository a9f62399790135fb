#!/bin/sh
# Installs the build into a temporary prefix and builds the README's embedding example against
# it with pkg-config alone: the header, the library and eddy.pc are all a C host needs.
# usage: check_install.sh BUILD_DIR SOURCE_DIR [SANITIZERS]
set -eu
build=$1 src=$2 sanitize=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
sed -n '/^```c$/,/^```$/p' "$src/README.md" | sed '1d;$d' >"$tmp/main.c"
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig"
flags=""
[ -n "$sanitize" ] && flags="-fsanitize=$sanitize"
# shellcheck disable=SC2046,SC2086
cc $flags "$tmp/main.c" $(pkg-config --cflags --libs eddy) -Wl,-rpath,"$tmp/prefix/lib" -o "$tmp/main"
out=$("$tmp/main")
if [ "$out" != "42" ]; then
  echo "README example printed '$out', expected 42"
  exit 1
fi
echo "1 passed, 0 failed"
