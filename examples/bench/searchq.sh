#!/usr/bin/env bash
# Search quality (issue 11): the hand-written known-item sets of
# examples/bench/searchq (zh-a, zh-b, en-a, en-b) run through every engine on
# the same corpus repository, and one table of MRR@10, R@1 and R@5 per set:
#   - desk search            (examples/bench/searchq -engine desk-search)
#   - desk similar --text    (examples/bench/searchq -engine desk-similar)
#   - the page               (desk site build, in headless Chromium: sitecmp -queries)
#   - Pagefind               (Hugo + pagefind --site, the same way)
#
#   DESK_CORPUS=../shared/corpus examples/bench/searchq.sh
#   REV=HEAD N=1000 examples/bench/searchq.sh     # desk built from a commit
#
# The repository is examples/loadgen with N tickets (default 1000) and the
# 8,201 corpus articles, made once into $BENCH_DIR (default /tmp/desk-bench)
# and reused; one commit makes it build under Hugo as well (hugo_ready in
# corpus-hugo.sh, as for site.sh: kb/index.md becomes kb/tidb-index.md). desk
# is built from the working tree, or with REV from that commit (git archive
# into $BENCH_DIR), so a measurement does not pick up edits in progress; the
# scorers always come from the working tree.
#
# Needs hugo (apt-get install hugo), npm (Pagefind is installed with npm into
# $BENCH_DIR, or set PAGEFIND to a pagefind binary) and Chromium; SITES=0
# leaves out the page and Pagefind.
set -euo pipefail
cd "$(dirname "$0")/../.."
. examples/bench/corpus-hugo.sh
BENCH_DIR=${BENCH_DIR:-/tmp/desk-bench}
N=${N:-1000}
SITES=${SITES:-1}
PAGEFIND_VERSION=${PAGEFIND_VERSION:-1.6}
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
SETS=examples/bench/searchq
OUT=$BENCH_DIR/searchq-out
mkdir -p "$OUT"
if [ "$SITES" = 1 ]; then
  command -v hugo >/dev/null || { echo "needs hugo (apt-get install hugo), or SITES=0" >&2; exit 3; }
fi

# Each part's wall time, printed at the end.
times=()
timed() {
  local name=$1 start=$SECONDS
  shift
  "$@"
  times+=("$(printf '%-34s %5d s' "$name" $((SECONDS - start)))")
}

DESK=$BENCH_DIR/desk-searchq
build_desk() {
  if [ -z "${REV:-}" ]; then
    go build -o "$DESK" ./cmd/desk
    echo "desk: the working tree at $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . || echo ' with changes')" >&2
    return
  fi
  local rev src
  rev=$(git rev-parse --short "$REV")
  src=$BENCH_DIR/src-$rev
  if [ ! -d "$src" ]; then
    mkdir -p "$src.tmp" && git archive "$rev" | tar -x -C "$src.tmp" && mv "$src.tmp" "$src"
  fi
  (cd "$src" && go build -o "$DESK" ./cmd/desk)
  echo "desk: commit $rev" >&2
}
timed "build desk" build_desk
go build -o "$BENCH_DIR/loadgen" ./examples/loadgen

export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
export NO_COLOR=1
repo=$BENCH_DIR/searchq-$N
make_repo() {
  [ ! -d "$repo/.git" ] || return 0
  echo "making the corpus repository $repo ..." >&2
  rm -rf "$repo.tmp"
  "$BENCH_DIR/loadgen" -n "$N" -out "$repo.tmp" -corpus "${DESK_CORPUS:?set DESK_CORPUS to the article corpus}" >&2
  # The tickets end on loadgen's default -until, 2026-11-22.
  hugo_ready "$repo.tmp" 2026-11-22T09:00:00+08:00
  mv "$repo.tmp" "$repo"
}
timed "corpus repository (cached)" make_repo

# The index is built ahead of the queries, so that no query pays for it.
timed "desk index --rebuild" "$DESK" -C "$repo" index --rebuild
for engine in desk-search desk-similar; do
  timed "searchq $engine" go run ./examples/bench/searchq -repo "$repo" -sets "$SETS" -engine "$engine" \
    -desk "$DESK" -json "$OUT/$engine.json" -v > "$OUT/$engine.txt"
  sed -n '1,/^all /p' "$OUT/$engine.txt"
  grep '^desk failed' "$OUT/$engine.txt" || true
done
results=("$OUT/desk-search.json" "$OUT/desk-similar.json")

if [ "$SITES" = 1 ]; then
  pagefind_bin
  rm -rf "$OUT/desk" "$OUT/hugo-pf" "$repo/.hugo"
  # Its warnings (thousands: upstream links to images the corpus lacks) go to a file.
  timed "desk site build" "$DESK" -C "$repo" site build --out "$OUT/desk" 2> "$OUT/desk-site-build.log"
  echo "desk site build: $(grep -c warning "$OUT/desk-site-build.log") warnings in $OUT/desk-site-build.log" >&2
  # Hugo's project lives inside the repository (its git info reads the
  # repository it is in), untracked and excluded, as in site.sh.
  cp -r examples/bench/hugo "$repo/.hugo"
  grep -qx '/.hugo/' "$repo/.git/info/exclude" 2>/dev/null || echo '/.hugo/' >> "$repo/.git/info/exclude"
  timed "hugo" hugo --quiet --source "$repo/.hugo" --enableGitInfo --destination "$OUT/hugo-pf"
  timed "pagefind --site" "$PAGEFIND" --site "$OUT/hugo-pf" >/dev/null
  timed "sitecmp -queries" go run ./examples/bench/sitecmp -repo "$repo" -queries "$SETS" \
    -desk "$OUT/desk" -pagefind "$OUT/hugo-pf" -json "$OUT/sites.json" > "$OUT/sites.txt"
  cat "$OUT/sites.txt"
  results+=("$OUT/sites.json")
fi

echo
go run ./examples/bench/searchq -table "${results[@]}" | tee "$OUT/table.md"
echo
printf '%s\n' "${times[@]}"
