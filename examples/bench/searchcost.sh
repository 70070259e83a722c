#!/usr/bin/env bash
# The cost of desk search at 100,000 tickets + 8,201 articles, two builds of
# desk side by side (issue 11): the index build (time, peak memory, size on
# disk), `desk search vpn` against `git grep -i -c vpn HEAD`, the catch-up
# after a one-ticket commit, and `desk similar`, with hyperfine.
#
#   DESK_CORPUS=../shared/corpus BEFORE=4b6a7bf examples/bench/searchcost.sh
#
# BEFORE is the commit to compare with (default: the one before issue 11's
# search work); "after" is the working tree. Needs hyperfine and GNU time.
# SKIP_BUILD=1 reuses the indexes of an earlier run.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH_DIR=${BENCH_DIR:-/tmp/desk-bench}
N=${N:-100000}
BEFORE=${BEFORE:-4b6a7bf}
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com

go build -o "$BENCH_DIR/desk-after" ./cmd/desk
go build -o "$BENCH_DIR/loadgen" ./examples/loadgen
src=$BENCH_DIR/src-$BEFORE
if [ ! -d "$src" ]; then
  mkdir -p "$src" && git archive "$BEFORE" | tar -x -C "$src"
fi
(cd "$src" && go build -o "$BENCH_DIR/desk-before" ./cmd/desk)

repo=$BENCH_DIR/check-$N
if [ ! -d "$repo/.git" ]; then
  "$BENCH_DIR/loadgen" -n "$N" -out "$repo" -corpus "${DESK_CORPUS:?set DESK_CORPUS to the article corpus}" >&2
fi
# One copy each, so that both indexes exist at once.
for v in before after; do
  [ -d "$repo-$v" ] || cp -a "$repo" "$repo-$v"
done
docs=$(( $(find "$repo/tickets" -name '*.md' | wc -l) + $(find "$repo/kb" -name '*.md' | wc -l) ))

cd "$BENCH_DIR"
# SKIP_BUILD=1 keeps the indexes of an earlier run and measures the queries.
for v in before after; do
  [ -n "${SKIP_BUILD:-}" ] && break
  rm -rf "check-$N-$v/.git/desk/search"
  /usr/bin/time -f "%e %M" -o "time-$v" ./desk-$v -C "check-$N-$v" index --rebuild >/dev/null 2>&1
  read -r secs kb < "time-$v"
  mb=$(du -sm "check-$N-$v/.git/desk/search" | cut -f1)
  printf 'build %-6s %d documents in %s s (%.0f documents/s), peak %d MB, index %d MB\n' \
    "$v" "$docs" "$secs" "$(echo "$docs / $secs" | bc -l)" $((kb / 1024)) "$mb"
done
echo ".git/objects: $(du -sm "check-$N-after/.git/objects" | cut -f1) MB"

id=$(ls "check-$N-after/tickets/2026/11" | sed -n 1p); id=${id%.md}
hyperfine -N --warmup 3 --runs 20 --export-json search.json \
  "./desk-before -C check-$N-before search vpn" \
  "./desk-after -C check-$N-after search vpn" \
  "git -C check-$N-after grep -i -c vpn HEAD" >/dev/null
hyperfine -N --runs 10 --export-json catchup.json \
  --prepare "./desk-before -C check-$N-before ticket comment $id catch-up" "./desk-before -C check-$N-before search vpn" \
  --prepare "./desk-after -C check-$N-after ticket comment $id catch-up" "./desk-after -C check-$N-after search vpn" >/dev/null
hyperfine -N --warmup 1 --runs 10 --export-json similar.json \
  "./desk-before -C check-$N-before similar $id" \
  "./desk-after -C check-$N-after similar $id" >/dev/null
python3 - <<'PY'
import json
for f in ["search.json", "catchup.json", "similar.json"]:
    for r in json.load(open(f))["results"]:
        print(f"{r['command']:60s} median {r['median']:.3f} s  min {r['min']:.3f} s")
PY
