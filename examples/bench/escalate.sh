#!/usr/bin/env bash
# Benchmark of desk escalate (issue 14) beside a warm desk check, in one run,
# on a clone of the generated repository of examples/bench/check.sh.
#
#   DESK_CORPUS=../shared/corpus examples/bench/escalate.sh
#
# Measures at each size: the first run (the burst: every ticket already at
# risk or breached is escalated, one commit), then, paired with a warm
# desk check, a run with nothing left to do (the steady state of a
# scheduled job) and a --dry-run. Needs hyperfine.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH_DIR=${BENCH_DIR:-/tmp/desk-bench}
SIZES=${SIZES:-"100000"}
RUNS=${RUNS:-5}
NOW=2026-11-22T10:00:00+08:00
command -v hyperfine >/dev/null || { echo "needs hyperfine: apt-get install hyperfine" >&2; exit 3; }
go build -o "$BENCH_DIR/desk" ./cmd/desk
go build -o "$BENCH_DIR/loadgen" ./examples/loadgen
DESK=$BENCH_DIR/desk
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
export NO_COLOR=1 DESK_NOW=$NOW

median() { python3 -c 'import json,sys,statistics; print(statistics.median(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["times"]))' "$1" "$2"; }

for n in $SIZES; do
  src=$BENCH_DIR/check-$n
  if [ ! -d "$src/.git" ]; then
    echo "generating $n tickets and the corpus in $src ..." >&2
    "$BENCH_DIR/loadgen" -n "$n" -out "$src" -corpus "${DESK_CORPUS:?set DESK_CORPUS to the article corpus}" >&2
  fi
  repo=$BENCH_DIR/escalate-$n
  rm -rf "$repo"
  git clone -q --local "$src" "$repo"
  cd "$repo"
  cat >>desk.toml <<'TOML'

[[escalation]]
name = "breached"
when = "breached"
raise = true
tag = "escalated"

[[escalation]]
name = "at risk"
when = "at_risk"
assignee = "duty.manager"
TOML
  git commit -qam "escalation rules"
  $DESK check --fail-on never >/dev/null # warm the record cache
  /usr/bin/time -o "$BENCH_DIR/escalate-first.time" -f "%e s, peak %M KB" "$DESK" escalate >/dev/null 2>&1
  first=$(tail -1 "$BENCH_DIR/escalate-first.time")
  done_n=$(git log -1 --format=%s)
  # Raised tickets can come due under their new targets: run until a run
  # has nothing left to do.
  while "$DESK" escalate 2>&1 >/dev/null | grep -q '^desk: escalated'; do :; done
  hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$BENCH_DIR/escalate-$n.json" \
    -n "desk check (warm)" "$DESK check --fail-on never" \
    -n "desk escalate (nothing to do)" "$DESK escalate" \
    -n "desk escalate --dry-run" "$DESK escalate --dry-run" >/dev/null
  check=$(median "$BENCH_DIR/escalate-$n.json" 0)
  steady=$(median "$BENCH_DIR/escalate-$n.json" 1)
  dry=$(median "$BENCH_DIR/escalate-$n.json" 2)
  python3 - "$n" "$first" "$done_n" "$check" "$steady" "$dry" <<'PY'
import sys
n, first, done, check, steady, dry = sys.argv[1], sys.argv[2], sys.argv[3], *map(float, sys.argv[4:])
print(f"{int(n):,} tickets: first run ({done}): {first}")
print(f"  warm desk check {check*1000:.0f} ms; escalate, nothing to do {steady*1000:.0f} ms ({steady/check:.2f}x); --dry-run {dry*1000:.0f} ms ({dry/check:.2f}x)")
PY
  cd - >/dev/null
done
