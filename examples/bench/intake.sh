#!/usr/bin/env bash
# Benchmark of desk intake (issue 15): 10,000 generated messages from a
# Maildir (examples/bench/mailgen) into a new repository, then the same
# Maildir again (nothing new) in that repository and in a clone of the
# 100,000-ticket repository of examples/bench/check.sh, to show the cost of
# a run with nothing new does not grow with the tickets.
#
#   DESK_CORPUS=../shared/corpus examples/bench/intake.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH_DIR=${BENCH_DIR:-/tmp/desk-bench}
MESSAGES=${MESSAGES:-10000}
RUNS=${RUNS:-5}
command -v hyperfine >/dev/null || { echo "needs hyperfine: apt-get install hyperfine" >&2; exit 3; }
mkdir -p "$BENCH_DIR"
go build -o "$BENCH_DIR/desk" ./cmd/desk
go build -o "$BENCH_DIR/mailgen" ./examples/bench/mailgen
go build -o "$BENCH_DIR/loadgen" ./examples/loadgen
DESK=$BENCH_DIR/desk
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
export DESK_NOW=2026-12-01T10:00:00+08:00 NO_COLOR=1
md=$BENCH_DIR/maildir-$MESSAGES
[ -d "$md/cur" ] || "$BENCH_DIR/mailgen" -n "$MESSAGES" -out "$md"

median() { python3 -c 'import json,sys,statistics; print(statistics.median(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["times"]))' "$1" "$2"; }

# 1. The whole Maildir into a new repository.
small=$BENCH_DIR/intake-new
rm -rf "$small" && "$DESK" init "$small" >/dev/null 2>&1
/usr/bin/time -o "$BENCH_DIR/intake-first.time" -f "%e %M" "$DESK" -C "$small" intake "$md" >/dev/null 2>"$BENCH_DIR/intake-first.err"
read -r secs kb <"$BENCH_DIR/intake-first.time"
tail -1 "$BENCH_DIR/intake-first.err"

# 2. The same Maildir into a clone of the 100,000-ticket repository, once.
src=$BENCH_DIR/check-100000
if [ ! -d "$src/.git" ]; then
  "$BENCH_DIR/loadgen" -n 100000 -out "$src" -corpus "${DESK_CORPUS:?set DESK_CORPUS to the article corpus}" >&2
fi
big=$BENCH_DIR/intake-100000
rm -rf "$big" && git clone -q --local "$src" "$big"
"$DESK" -C "$big" intake "$md" >/dev/null 2>&1

# 3. Nothing new, side by side: the cost follows the messages, not the tickets.
hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$BENCH_DIR/intake-again.json" \
  -n "again, $(ls "$small"/tickets/*/* | wc -l) tickets" "$DESK -C $small intake $md" \
  -n "again, 100,000+ tickets" "$DESK -C $big intake $md" >/dev/null
a=$(median "$BENCH_DIR/intake-again.json" 0); b=$(median "$BENCH_DIR/intake-again.json" 1)
python3 - "$MESSAGES" "$secs" "$kb" "$a" "$b" <<'PY'
import sys
n, secs, kb, a, b = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
print(f"{n:,} messages into a new repository: {secs:.2f} s, {n/secs:,.0f} messages/s, peak {kb/1024:.0f} MB")
print(f"the same messages again (nothing new): {a*1000:.0f} ms at ~7k tickets, {b*1000:.0f} ms at 100k ({b/a:.2f}x)")
PY
