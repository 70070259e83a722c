#!/usr/bin/env bash
# Benchmark of desk search (issue 4) on a generated repository of 100,000
# tickets and the article corpus, side by side with git grep -i:
#   - the full index build (documents a second),
#   - query latency in process, median and 99th percentile over a fixed list
#     (search.BenchQueries), and git grep -i -c for each of those words,
#   - catching up after a commit that changes one ticket.
#
#   DESK_CORPUS=../shared/corpus examples/bench/search.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH_DIR=${BENCH_DIR:-/tmp/desk-bench}
N=${N:-100000}
mkdir -p "$BENCH_DIR"
go build -o "$BENCH_DIR/desk" ./cmd/desk
go build -o "$BENCH_DIR/loadgen" ./examples/loadgen
DESK=$BENCH_DIR/desk
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
repo=$BENCH_DIR/check-$N
if [ ! -d "$repo/.git" ]; then
  "$BENCH_DIR/loadgen" -n "$N" -out "$repo" -corpus "${DESK_CORPUS:?set DESK_CORPUS to the article corpus}" >&2
fi

docs=$(( $(find "$repo/tickets" -name '*.md' | wc -l) + $(find "$repo/kb" -name '*.md' | wc -l) ))
start=$(date +%s.%N)
"$DESK" -C "$repo" index --rebuild 2>/dev/null
end=$(date +%s.%N)
python3 -c "import sys; t=float(sys.argv[2])-float(sys.argv[1]); print(f'index build: {int(sys.argv[3])} documents in {t:.1f} s = {int(sys.argv[3])/t:.0f} documents/s')" "$start" "$end" "$docs"

DESK_BENCH_REPO=$repo go test ./search/ -run '^$' -bench BenchmarkQueries -benchtime 400x | grep -E 'Benchmark|ms'

python3 - "$repo" <<'PY'
import subprocess, sys, time, statistics
repo = sys.argv[1]
words = ["vpn", "打印机", "outlook", "密码", "ERR_1045", "license", "蓝屏", "printer jam",
         "无法登录", "wifi", "慢查询", "tidb", "邮箱 同步", "error", "ssh", "备份"]
times = []
for w in words:
    t = time.perf_counter()
    subprocess.run(["git", "-C", repo, "grep", "-i", "-c", "-e", w.split()[0]], stdout=subprocess.DEVNULL)
    times.append(time.perf_counter() - t)
print(f"git grep -i -c, same first words: median {statistics.median(times)*1000:.0f} ms")
PY

cd "$repo"
id=$("$DESK" ticket list --open --limit 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
"$DESK" ticket comment "$id" "benchmark catch-up note" >/dev/null 2>&1
start=$(date +%s.%N)
"$DESK" index 2>/dev/null
end=$(date +%s.%N)
python3 -c "import sys; print(f'catch up after a one-ticket commit: {(float(sys.argv[2])-float(sys.argv[1]))*1000:.0f} ms (desk index, whole command)')" "$start" "$end"
