#!/usr/bin/env bash
# Builds Tests/CGRPCShimLeakCheck/leak_check.c against the CGRPCShim sources
# with cc and runs it under valgrind against the Temporal dev server.
# Fails (exit 1) on any definite/indirect leak, memory error or wrong status.
# Usage: scripts/grpc-leak-check.sh [target]   (default 127.0.0.1:7233)
set -euo pipefail
cd "$(dirname "$0")/.."

target="${1:-127.0.0.1:7233}"
out_dir="${TMPDIR:-/tmp}/grpc-leak-check.$$"
mkdir -p "$out_dir"
trap 'rm -rf "$out_dir"' EXIT

command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }

cc -g -O0 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter \
   -I Sources/CGRPCShim/include -I Sources/CGRPCShim \
   Sources/CGRPCShim/*.c Tests/CGRPCShimLeakCheck/leak_check.c \
   -lgrpc -lgpr -lpthread -o "$out_dir/leak_check"

valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect \
  --errors-for-leak-kinds=definite,indirect --error-exitcode=1 \
  "$out_dir/leak_check" "$target"
