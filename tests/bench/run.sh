#!/bin/sh
# Runs every benchmark of a release build and prints its figures (./dev bench).
set -eu
build=$1
found=0
for b in "$build"/tests/bench/bench_*; do
  [ -x "$b" ] || continue
  found=1
  echo "== $(basename "$b")"
  "$b"
done
[ "$found" -eq 1 ] || echo "no benchmarks built yet"
