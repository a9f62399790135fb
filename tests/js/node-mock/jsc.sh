#!/bin/sh
# Runs one test file in the JavaScriptCore shell; see jsc-prelude.js.
#   sh tests/js/node-mock/jsc.sh FILE [args...]
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
file=$1
shift
exec jsc "$here/jsc-prelude.js" -- "$root" "$file" "$@"
