#!/usr/bin/env bash
# Listing and checking against git, before and after a change, side by side
# in one run (issue 16's table):
#
#   examples/bench/speed.sh                          # 10,000 and 100,000 tickets
#   SIZES=300000 BEFORE_REF=a5d2b96 examples/bench/speed.sh
#
# At each size it generates a repository with examples/loadgen (plus the
# article corpus when DESK_CORPUS is set), clones it once per desk binary
# (each keeps its own record cache in .git/desk), and measures with
# hyperfine, medians of $RUNS runs, the binaries and git alternating:
#
#   warm list    desk ticket list --open, cache warm      vs git status --porcelain
#   fresh list   the same with no .git/desk (a new clone) vs git status --porcelain
#   cold check   desk check, no .git/desk                 vs git grep -c . HEAD -- tickets
#   warm check   desk check, cache warm                   vs git grep -c . HEAD -- tickets
#   report       desk report --period 2026-11, warm       vs that binary's warm check
#
# and each desk command's peak memory (one run, /usr/bin/time). The "before"
# binary is built from BEFORE_REF (default: the commit before issue 16's
# speed work) in a worktree of its own; "after" is this checkout.
# Needs hyperfine and python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH_DIR=${BENCH_DIR:-/tmp/desk-bench}
SIZES=${SIZES:-"10000 100000"}
RUNS=${RUNS:-7}
BEFORE_REF=${BEFORE_REF:-1cc0cd3}
NOW=2026-12-01T10:00:00+08:00
command -v hyperfine >/dev/null || { echo "needs hyperfine: apt-get install hyperfine" >&2; exit 3; }
mkdir -p "$BENCH_DIR"

src=$BENCH_DIR/src-before
rm -rf "$src"
git worktree prune
git worktree add -q --detach "$src" "$BEFORE_REF"
(cd "$src" && go build -o "$BENCH_DIR/desk-before" ./cmd/desk)
git worktree remove --force "$src"
go build -o "$BENCH_DIR/desk-after" ./cmd/desk
go build -o "$BENCH_DIR/loadgen" ./examples/loadgen
B=$BENCH_DIR/desk-before A=$BENCH_DIR/desk-after
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
export NO_COLOR=1 DESK_NOW=$NOW

median() { python3 -c 'import json,sys,statistics; print(statistics.median(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["times"]))' "$1" "$2"; }
peak() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }

# row NAME JSON: before, after and peer medians (results 0, 1, 2) and ratios.
row() {
  local b a p
  b=$(median "$2" 0); a=$(median "$2" 1); p=$(median "$2" 2)
  python3 -c "import sys; b,a,p=map(float,sys.argv[2:5]); print(f'| {sys.argv[1]} | {b*1000:.0f} ms | {a*1000:.0f} ms | {p*1000:.0f} ms | {b/p:.2f}× | {a/p:.2f}× |')" "$1" "$b" "$a" "$p"
}

for n in $SIZES; do
  gen=$BENCH_DIR/speed-$n
  if [ ! -d "$gen/.git" ]; then
    echo "generating $n tickets in $gen ..." >&2
    if [ -n "${DESK_CORPUS:-}" ]; then
      "$BENCH_DIR/loadgen" -n "$n" -out "$gen" -corpus "$DESK_CORPUS" >&2
    else
      "$BENCH_DIR/loadgen" -n "$n" -out "$gen" >&2
    fi
  fi
  cb=$BENCH_DIR/speed-$n-before ca=$BENCH_DIR/speed-$n-after
  for c in "$cb" "$ca"; do
    [ -d "$c/.git" ] || git clone -q "$gen" "$c"
  done
  out=$BENCH_DIR/speed-$n
  echo "## $n tickets"
  echo
  echo "| | before | after | git | before / git | after / git |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"

  "$B" -C "$cb" ticket list --open >/dev/null 2>&1; "$A" -C "$ca" ticket list --open >/dev/null 2>&1
  hyperfine -N -i --warmup 2 --runs "$RUNS" --export-json "$out-list.json" \
    "$B -C $cb ticket list --open" "$A -C $ca ticket list --open" "git -C $ca status --porcelain" >/dev/null
  row "warm \`ticket list --open\` vs \`git status\`" "$out-list.json"

  hyperfine -N -i --runs "$RUNS" --export-json "$out-fresh.json" \
    --prepare "rm -rf $cb/.git/desk" "$B -C $cb ticket list --open" \
    --prepare "rm -rf $ca/.git/desk" "$A -C $ca ticket list --open" \
    --prepare "true" "git -C $ca status --porcelain" >/dev/null
  row "fresh clone \`ticket list --open\` vs \`git status\`" "$out-fresh.json"

  hyperfine -N -i --runs "$RUNS" --export-json "$out-cold.json" \
    --prepare "rm -rf $cb/.git/desk" "$B -C $cb check --fail-on never" \
    --prepare "rm -rf $ca/.git/desk" "$A -C $ca check --fail-on never" \
    --prepare "true" "git -C $ca grep -c . HEAD -- tickets" >/dev/null
  row "cold \`check\` vs \`git grep -c . HEAD -- tickets\`" "$out-cold.json"

  hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$out-warm.json" \
    "$B -C $cb check --fail-on never" "$A -C $ca check --fail-on never" "git -C $ca grep -c . HEAD -- tickets" >/dev/null
  row "warm \`check\` vs \`git grep\`" "$out-warm.json"

  hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$out-report.json" \
    "$B -C $cb report --period 2026-11" "$A -C $ca report --period 2026-11" \
    "$B -C $cb check --fail-on never" "$A -C $ca check --fail-on never" >/dev/null
  python3 - "$out-report.json" <<'PY'
import json, statistics, sys
r = [statistics.median(x["times"]) for x in json.load(open(sys.argv[1]))["results"]]
print(f"| `report --period 2026-11` vs warm `check` | {r[0]*1000:.0f} ms | {r[1]*1000:.0f} ms | check {r[2]*1000:.0f} / {r[3]*1000:.0f} ms | {r[0]/r[2]:.2f}× | {r[1]/r[3]:.2f}× |")
PY
  echo
  echo "Peak memory (KB), before / after: warm list $(peak "$B" -C "$cb" ticket list --open) / $(peak "$A" -C "$ca" ticket list --open);" \
    "fresh list $(rm -rf "$cb/.git/desk"; peak "$B" -C "$cb" ticket list --open) / $(rm -rf "$ca/.git/desk"; peak "$A" -C "$ca" ticket list --open);" \
    "cold check $(rm -rf "$cb/.git/desk"; peak "$B" -C "$cb" check --fail-on never) / $(rm -rf "$ca/.git/desk"; peak "$A" -C "$ca" check --fail-on never);" \
    "warm check $(peak "$B" -C "$cb" check --fail-on never) / $(peak "$A" -C "$ca" check --fail-on never)."
  echo
done
