#!/bin/sh
# Runs every benchmark of a release build and prints its figures (./dev bench): the bench_* programs, then
# the cluster benchmark that drives the real hainfra binary against pvesim (bench_cluster.py).
set -eu
build=$1
here=$(cd "$(dirname "$0")" && pwd)
found=0
for b in "$build"/tests/bench/bench_*; do
  [ -x "$b" ] || continue
  found=1
  echo "== $(basename "$b")"
  "$b"
done
[ "$found" -eq 1 ] || echo "no benchmarks built yet"
echo "== bench_cluster (hainfra against pvesim)"
/usr/bin/python3 "$here/bench_cluster.py" "$build"
echo "== bench_enforce (hainfra enforce in steady state against pvesim)"
/usr/bin/python3 "$here/bench_enforce.py" "$build"
