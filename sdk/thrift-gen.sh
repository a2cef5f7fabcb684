#!/usr/bin/env bash
# Regenerates the committed Thrift Java code from src/main/thrift/drover.thrift.
#   sdk/thrift-gen.sh           rewrite src/main/java/io/drover/sdk/internal/thrift
#   sdk/thrift-gen.sh --check   fail if the committed code differs from what the IDL produces
# Needs Debian's thrift-compiler 0.17.0 (installed with apt-get when missing and running as root).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
want=0.17.0
if ! command -v thrift >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq thrift-compiler >/dev/null
  else
    echo "thrift-gen: thrift compiler $want not found (apt-get install thrift-compiler)" >&2; exit 1
  fi
fi
got=$(thrift --version | awk '{print $3}')
[ "$got" = "$want" ] || { echo "thrift-gen: need thrift $want, found $got" >&2; exit 1; }
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
thrift --gen java:generated_annotations=suppress -out "$out" "$here/src/main/thrift/drover.thrift"
target="$here/src/main/java/io/drover/sdk/internal/thrift"
if [ "${1:-}" = "--check" ]; then
  if diff -r "$out/io/drover/sdk/internal/thrift" "$target" >/dev/null; then
    echo "thrift-gen: committed code matches the IDL"
  else
    diff -r "$out/io/drover/sdk/internal/thrift" "$target" | head -40 >&2
    echo "thrift-gen: committed code differs from the IDL; run sdk/thrift-gen.sh and commit" >&2; exit 1
  fi
else
  rm -rf "$target"; mkdir -p "$(dirname "$target")"
  cp -r "$out/io/drover/sdk/internal/thrift" "$target"
  echo "thrift-gen: wrote $target"
fi
