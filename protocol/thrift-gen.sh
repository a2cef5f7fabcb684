#!/usr/bin/env bash
# Regenerates the committed Thrift Java code from the IDLs:
#   protocol/src/main/thrift/drover.thrift  -> protocol/src/main/java/io/drover/protocol/thrift
#   protocol/src/main/thrift/worker.thrift  -> protocol/src/main/java/io/drover/protocol/worker
#   protocol/thrift-gen.sh           rewrite the generated code
#   protocol/thrift-gen.sh --check   fail if the committed code differs from what the IDLs produce
# Needs Debian's thrift-compiler 0.17.0 (installed with apt-get when missing and running as root).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
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
status=0
# module  IDL (under the module)            package directory of the generated code
while read -r module idl pkg; do
  mkdir -p "$out/$module"
  thrift --gen java:generated_annotations=suppress -out "$out/$module" "$root/$module/$idl"
  target="$root/$module/src/main/java/$pkg"
  if [ "${1:-}" = "--check" ]; then
    if diff -r "$out/$module/$pkg" "$target" >/dev/null; then
      echo "thrift-gen: committed code matches $module/$idl"
    else
      diff -r "$out/$module/$pkg" "$target" | head -40 >&2
      echo "thrift-gen: committed code differs from $module/$idl; run protocol/thrift-gen.sh and commit" >&2; status=1
    fi
  else
    rm -rf "$target"; mkdir -p "$(dirname "$target")"
    cp -r "$out/$module/$pkg" "$target"
    echo "thrift-gen: wrote $target"
  fi
done <<'IDLS'
protocol src/main/thrift/drover.thrift io/drover/protocol/thrift
protocol src/main/thrift/worker.thrift io/drover/protocol/worker
IDLS
exit $status
