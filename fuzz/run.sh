#!/bin/sh
# Runs the fuzz targets of a fuzz build one after another, each for a fixed time (./dev fuzz; docs/fuzzing.md).
#   fuzz/run.sh BUILD_DIR SECONDS [TARGET...]
# Each target starts from its seed corpus (BUILD_DIR/corpus/T) and grows its own (BUILD_DIR/corpus-work/T);
# crashes, hangs (over 10 s) and leaks land in BUILD_DIR/findings/T/. A line per target goes to stdout and
# to BUILD_DIR/fuzz-runs.tsv (date, target, seconds, runs, corpus size, findings) for the hours in docs/.
set -eu
build=$1
seconds=$2
shift 2
targets=$*
if [ -z "$targets" ]; then
  targets=$(cd "$build/fuzz" && ls fuzz_* | sed -n 's/^fuzz_//p' | sort)
fi
# The fuzz build compiles UBSan's checks recoverable (CMakeLists.txt): without halt_on_error a report is
# printed and the run goes on, so libFuzzer would neither stop nor keep the input.
UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export UBSAN_OPTIONS
status=0
for t in $targets; do
  bin="$build/fuzz/fuzz_$t"
  [ -x "$bin" ] || { echo "no fuzz target $t" >&2; exit 2; }
  mkdir -p "$build/corpus-work/$t" "$build/findings/$t"
  log="$build/findings/$t/last-run.log"
  # -rss_limit_mb: the machine is shared; -timeout: an input running 10 s is a hang.
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/findings/$t/" "$build/corpus-work/$t" "$build/corpus/$t" >"$log" 2>&1 || status=1
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  corpus=$(ls "$build/corpus-work/$t" | wc -l)
  found=$(ls "$build/findings/$t" | grep -c -E '^(crash|timeout|leak|oom|slow-unit)-' || true)
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$t" "$seconds" "${runs:-0}" "$corpus" "$found" |
    tee -a "$build/fuzz-runs.tsv"
  [ "$found" -eq 0 ] || { status=1; echo "  findings in $build/findings/$t/ (log: $log)"; }
done
exit "$status"
