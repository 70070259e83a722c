#!/usr/bin/env bash
# Benchmark of desk check (issue 3), side by side with git in one run, on
# generated repositories of 1,000 and 100,000 tickets plus the article corpus.
#
#   DESK_CORPUS=../shared/corpus examples/bench/check.sh
#
# Measures, at each size:
#   - a full check with a cold record cache, and git grep -c . HEAD -- tickets
#     (git reading every ticket): time, and desk's peak memory;
#   - a full check with the cache warm;
#   - check --base on a branch that changed 10 tickets.
# Needs hyperfine. Repositories are generated once into $BENCH_DIR.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH_DIR=${BENCH_DIR:-/tmp/desk-bench}
SIZES=${SIZES:-"1000 100000"}
RUNS=${RUNS:-5}
NOW=2026-11-22T10:00:00+08:00
mkdir -p "$BENCH_DIR"
command -v hyperfine >/dev/null || { echo "needs hyperfine: apt-get install hyperfine" >&2; exit 3; }
go build -o "$BENCH_DIR/desk" ./cmd/desk
go build -o "$BENCH_DIR/loadgen" ./examples/loadgen
DESK=$BENCH_DIR/desk
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
export NO_COLOR=1

median() { python3 -c 'import json,sys,statistics; print(statistics.median(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["times"]))' "$1" "$2"; }
ms() { python3 -c "print(f'{float(\"$1\")*1000:.0f} ms')"; }

declare -A BASE_MS
for n in $SIZES; do
  repo=$BENCH_DIR/check-$n
  if [ ! -d "$repo/.git" ]; then
    echo "generating $n tickets and the corpus in $repo ..." >&2
    "$BENCH_DIR/loadgen" -n "$n" -out "$repo" -corpus "${DESK_CORPUS:?set DESK_CORPUS to the article corpus}" >&2
  fi
  cd "$repo"
  git checkout -q main 2>/dev/null || true

  out=$BENCH_DIR/check-$n.json
  hyperfine -N -i --runs "$RUNS" --export-json "$out" \
    --prepare "rm -rf $repo/.git/desk" -n "desk check (cold)" "$DESK check --now $NOW --fail-on never" \
    -n "git grep" "git grep -c . HEAD -- tickets" >/dev/null
  cold=$(median "$out" 0); grep_t=$(median "$out" 1)
  $DESK check --now $NOW --fail-on never >/dev/null   # warm the cache
  hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$out.warm" -n "desk check (warm)" "$DESK check --now $NOW --fail-on never" >/dev/null
  warm=$(median "$out.warm" 0)
  rm -rf .git/desk
  mem=$( { /usr/bin/time -f "%M" "$DESK" check --now $NOW --fail-on never >/dev/null; } 2>&1 | tail -1)

  # A branch that changes 10 tickets, one commit each.
  git branch -D bench-topic >/dev/null 2>&1 || true
  git checkout -q -b bench-topic
  for id in $("$DESK" ticket list --open --limit 10 --json | python3 -c 'import json,sys; print(" ".join(t["id"] for t in json.load(sys.stdin)))'); do
    "$DESK" ticket comment "$id" "benchmark note" >/dev/null 2>&1
  done
  hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$out.base" -n "desk check --base" "$DESK check --base main --now $NOW --fail-on never" >/dev/null
  base=$(median "$out.base" 0)
  BASE_MS[$n]=$base
  git checkout -q main
  git branch -D bench-topic >/dev/null

  python3 - "$n" "$cold" "$warm" "$grep_t" "$mem" "$base" <<'PY'
import sys
n, cold, warm, g, mem, base = sys.argv[1], *map(float, sys.argv[2:4]), float(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
print(f"{n:>7} tickets: check cold {cold:6.2f} s ({cold/g:4.2f}x git grep), warm {warm:6.2f} s ({warm/g:4.2f}x), "
      f"git grep {g:5.2f} s, peak memory {mem/1024:5.0f} MB, --base with 10 changed tickets {base*1000:5.0f} ms")
PY
  cd - >/dev/null
done
set -- $SIZES
if [ $# -ge 2 ]; then
  python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'--base cost at {sys.argv[4]} vs {sys.argv[3]} tickets: {b/a:.2f}x')" "${BASE_MS[$1]}" "${BASE_MS[$2]}" "$1" "$2"
fi
