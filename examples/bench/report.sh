#!/usr/bin/env bash
# Benchmark of desk report (issue 6) side by side with a full desk check of
# the same repository, both with a warm record cache, on a generated
# repository of 100,000 tickets.
#
#   examples/bench/report.sh
#   SIZES="1000 100000" RUNS=10 examples/bench/report.sh
#
# Measures, at each size: desk check (the whole repository) and the monthly
# report of October 2026 in each format (md, json, html), as medians of RUNS
# runs, the ratio report ÷ check, and the report's peak memory. The issue
# asks for a monthly report no slower than the check.
# Needs hyperfine. Repositories are generated once into $BENCH_DIR (with the
# article corpus when DESK_CORPUS is set) and only read afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH_DIR=${BENCH_DIR:-/tmp/desk-bench}
SIZES=${SIZES:-100000}
RUNS=${RUNS:-10}
NOW=2026-11-22T10:00:00+08:00
PERIOD=${PERIOD:-2026-10}
mkdir -p "$BENCH_DIR"
command -v hyperfine >/dev/null || { echo "needs hyperfine: apt-get install hyperfine" >&2; exit 3; }
go build -o "$BENCH_DIR/desk" ./cmd/desk
go build -o "$BENCH_DIR/loadgen" ./examples/loadgen
DESK=$BENCH_DIR/desk
export NO_COLOR=1

median() { python3 -c 'import json,sys,statistics; print(statistics.median(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["times"]))' "$1" "$2"; }

for n in $SIZES; do
  repo=$BENCH_DIR/report-$n
  if [ ! -d "$repo/.git" ]; then
    echo "generating $n tickets in $repo ..." >&2
    "$BENCH_DIR/loadgen" -n "$n" -out "$repo" ${DESK_CORPUS:+-corpus "$DESK_CORPUS"} >&2
  fi
  # Warm the record cache once; both commands then read it.
  "$DESK" -C "$repo" check --now $NOW --fail-on never >/dev/null
  "$DESK" -C "$repo" report --period "$PERIOD" --now $NOW >/dev/null

  out=$BENCH_DIR/report-$n.json
  hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$out" \
    -n "desk check" "$DESK -C $repo check --now $NOW --fail-on never" \
    -n "desk report md" "$DESK -C $repo report --period $PERIOD --now $NOW --format md --output /dev/null" \
    -n "desk report json" "$DESK -C $repo report --period $PERIOD --now $NOW --format json --output /dev/null" \
    -n "desk report html" "$DESK -C $repo report --period $PERIOD --now $NOW --format html --output /dev/null" >/dev/null
  check=$(median "$out" 0); md=$(median "$out" 1); js=$(median "$out" 2); html=$(median "$out" 3)
  mem=$( { /usr/bin/time -f "%M" "$DESK" -C "$repo" report --period "$PERIOD" --now $NOW --format html --output /dev/null; } 2>&1 | tail -1)

  python3 - "$n" "$PERIOD" "$check" "$md" "$js" "$html" "$mem" <<'PY'
import sys
n, period = sys.argv[1], sys.argv[2]
check, md, js, html = map(float, sys.argv[3:7])
mem = int(sys.argv[7])
print(f"{n:>7} tickets, warm cache: desk check {check:5.2f} s; desk report --period {period}: "
      f"md {md:5.2f} s, json {js:5.2f} s, html {html:5.2f} s "
      f"(report ÷ check: {md/check:4.2f}, {js/check:4.2f}, {html/check:4.2f}); report peak memory {mem/1024:4.0f} MB")
PY
done
