#!/usr/bin/env bash
# Benchmark of issue 2: desk's commits and listing against the git CLI, side
# by side in one run, on generated repositories of 1,000 and 100,000 tickets.
#
#   examples/bench/tickets.sh                 # both sizes
#   SIZES="1000" examples/bench/tickets.sh    # one size
#
# Needs hyperfine (apt-get install hyperfine). Repositories are generated once
# with examples/loadgen into $BENCH_DIR (default /tmp/desk-bench) and reused.
# Prints hyperfine's table for each pair and the ratio of the medians.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH_DIR=${BENCH_DIR:-/tmp/desk-bench}
SIZES=${SIZES:-"1000 100000"}
RUNS=${RUNS:-15}
mkdir -p "$BENCH_DIR"
command -v hyperfine >/dev/null || { echo "needs hyperfine: apt-get install hyperfine" >&2; exit 3; }

go build -o "$BENCH_DIR/desk" ./cmd/desk
go build -o "$BENCH_DIR/loadgen" ./examples/loadgen
DESK=$BENCH_DIR/desk
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
export NO_COLOR=1

median() { # median of a hyperfine JSON export, in seconds
  python3 -c 'import json,sys,statistics; print(statistics.median(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["times"]))' "$1" "$2"
}

compare() { # name, desk command, git command
  local name=$1 out=$BENCH_DIR/$n-$1.json
  hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$out" -n desk "$2" -n git "$3" >/dev/null
  local d g
  d=$(median "$out" 0)
  g=$(median "$out" 1)
  python3 -c "import sys; d,g=float(sys.argv[1]),float(sys.argv[2]); print(f'{sys.argv[3]:<8} {sys.argv[4]:<24} desk {d*1000:7.1f} ms   {sys.argv[5]:<22} {g*1000:7.1f} ms   ratio {d/g:4.2f}')" "$d" "$g" "$n" "$name" "$4"
}

for n in $SIZES; do
  repo=$BENCH_DIR/repo-$n
  if [ ! -d "$repo/.git" ]; then
    echo "generating $n tickets in $repo ..." >&2
    "$BENCH_DIR/loadgen" -n "$n" -out "$repo" >&2
  fi
  cd "$repo"
  mkdir -p bench
  # Toggle scripts: each run makes one new one-file commit.
  cat > "$BENCH_DIR/git-commit.sh" <<'SH'
#!/bin/sh
n=$(date +%s%N); echo "$n" > bench/$n.md; git add bench/$n.md && git commit -q -m "bench $n"
SH
  cat > "$BENCH_DIR/desk-new.sh" <<SH
#!/bin/sh
exec $DESK ticket new --title "Bench ticket" --requester Bench --contact bench@example.com --channel chat --description "A benchmark ticket." >/dev/null 2>&1
SH
  id=$($DESK ticket list --status in_progress --limit 1 --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
  state=$BENCH_DIR/.paused-$n
  rm -f "$state"
  cat > "$BENCH_DIR/desk-move.sh" <<SH
#!/bin/sh
# Moves the ticket in_progress -> pending and back, one move per run.
if [ -f "$state" ]; then rm "$state"; exec $DESK ticket move $id in_progress 2>/dev/null
else touch "$state"; exec $DESK ticket move $id pending 2>/dev/null; fi
SH
  chmod +x "$BENCH_DIR"/*.sh
  $DESK ticket list --open >/dev/null 2>&1   # warm the record cache
  compare "ticket new" "$BENCH_DIR/desk-new.sh" "$BENCH_DIR/git-commit.sh" "git add + commit"
  compare "ticket move" "$BENCH_DIR/desk-move.sh" "$BENCH_DIR/git-commit.sh" "git add + commit"
  compare "list --open (warm)" "$DESK ticket list --open" "git status --porcelain" "git status"
  git status --porcelain -- tickets | head -3
  git fsck --no-progress --no-dangling
  cd - >/dev/null
done
