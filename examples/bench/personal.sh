#!/usr/bin/env bash
# Cost of the personal-data rule's search for every requester in desk check:
# a warm check of the generated repository of 100,000 tickets and the 8,201
# corpus articles by this tree's desk and by desk before the rule knew every
# requester (commit 36628f1), run alternately, ROUNDS rounds. Prints the
# medians of wall and CPU (user + sys) time and their ratios to the old desk.
#
#   DESK_CORPUS=../shared/corpus examples/bench/personal.sh
#   ROUNDS=11 examples/bench/personal.sh
#
# The repository is generated once into $BENCH_DIR/check-100000, as by
# examples/bench/check.sh. The old desk runs in a git worktree of it, so
# that each version keeps its own record cache (.git/desk is per worktree):
# sharing one, two cache formats would throw each other's away and both
# runs would be cold.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH_DIR=${BENCH_DIR:-/tmp/desk-bench}
ROUNDS=${ROUNDS:-7}
BEFORE=${BEFORE:-36628f1}
NOW=2026-11-22T10:00:00+08:00
repo=$BENCH_DIR/check-100000
mkdir -p "$BENCH_DIR"
go build -o "$BENCH_DIR/desk" ./cmd/desk
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
git archive "$BEFORE" | tar -x -C "$src"
(cd "$src" && go build -o "$BENCH_DIR/desk-$BEFORE" ./cmd/desk)
if [ ! -d "$repo/.git" ]; then
  go build -o "$BENCH_DIR/loadgen" ./examples/loadgen
  "$BENCH_DIR/loadgen" -n 100000 -out "$repo" -corpus "${DESK_CORPUS:?set DESK_CORPUS to the article corpus}" >&2
fi
old=$BENCH_DIR/check-100000-old
[ -d "$old" ] || git -C "$repo" worktree add -q --detach "$old" HEAD
bins=("$BENCH_DIR/desk-$BEFORE" "$BENCH_DIR/desk")
dirs=("$old" "$repo")
for i in 0 1; do for _ in 1 2; do (cd "${dirs[$i]}" && "${bins[$i]}" check --now $NOW --fail-on never >/dev/null); done; done # warm each cache
times=$(mktemp)
for _ in $(seq "$ROUNDS"); do
  for i in 0 1; do
    (cd "${dirs[$i]}" && /usr/bin/time -o "$times" -a -f "${bins[$i]} %e %U %S" "${bins[$i]}" check --now $NOW --fail-on never >/dev/null)
  done
done
python3 - "$times" "${bins[@]}" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
base = None
for b in sys.argv[2:]:
    wall = statistics.median(float(r[1]) for r in rows if r[0] == b)
    cpu = statistics.median(float(r[2]) + float(r[3]) for r in rows if r[0] == b)
    base = base or (wall, cpu)
    print(f"{b:40} wall {wall:5.2f} s ({wall / base[0]:.3f}x)  cpu {cpu:5.2f} s ({cpu / base[1]:.3f}x)")
PY
rm -f "$times"
