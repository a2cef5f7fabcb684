#!/bin/sh
# Compiles drover-launch into $1 (agent/pom.xml runs it where /usr/bin/cc exists): statically where
# the static C library is installed (the binary then runs on any Linux of its architecture), else
# dynamically. A failure leaves no binary and fails nothing: the agent then starts tasks through the JDK.
set -u
out=$1
src=$(dirname "$0")/drover-launch.c
mkdir -p "$(dirname "$out")"
rm -f "$out"
[ "$(uname -s)" = Linux ] || { echo "drover-launch: not built (Linux only)" >&2; exit 0; }
flags="-std=c11 -O2 -Wall -Wextra"
if cc $flags -static -o "$out.tmp" "$src" 2>/dev/null || cc $flags -o "$out.tmp" "$src"; then
  chmod 0755 "$out.tmp" && mv "$out.tmp" "$out"
else
  rm -f "$out.tmp"
  echo "drover-launch: not built (the C compiler failed); process tasks start through the JDK" >&2
fi
exit 0
