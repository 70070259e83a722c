#!/usr/bin/env bash
# Benchmark of the knowledge-base site (issue 5): desk site build against Hugo
# (Debian's hugo) and Pagefind on the same 8,201 corpus articles, side by side
# in one hyperfine run:
#   - desk -C REPO site build            (search index included)
#   - hugo with git info, hugo without   (examples/bench/hugo, the same features)
#   - hugo && pagefind --site            (Hugo plus a search index)
#   - pagefind --site alone              (indexing Hugo's output)
# and the peak memory of each (/usr/bin/time), the size of each search index,
# then, unless SITECMP=0, examples/bench/sitecmp: known-item queries in headless
# Chromium, the wanted article first / in the top 5, and the bytes a first
# query downloads.
#
#   DESK_CORPUS=../shared/corpus examples/bench/site.sh
#   RUNS=5 EDITS=0 SITECMP=0 examples/bench/site.sh
#
# The corpus repository is made once with examples/loadgen into $BENCH_DIR and
# reused. One commit makes the files build under Hugo too (hugo_ready in
# corpus-hugo.sh: placeholders Hugo takes for shortcodes, kb/index.md renamed,
# personal-data a warning). Then EDITS
# commits (default 200), each by one of eight authors, set review_by on ten
# articles, so "last updated" and the author come from a real history.
#
# Needs hyperfine, hugo, npm (Pagefind is installed with npm into $BENCH_DIR,
# or set PAGEFIND to a pagefind binary) and, for sitecmp, Chromium.
set -euo pipefail
cd "$(dirname "$0")/../.."
. examples/bench/corpus-hugo.sh
BENCH_DIR=${BENCH_DIR:-/tmp/desk-bench}
RUNS=${RUNS:-3}
EDITS=${EDITS:-200}
SITECMP=${SITECMP:-1}
PAGEFIND_VERSION=${PAGEFIND_VERSION:-1.6}
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
for c in hyperfine hugo python3; do
  command -v $c >/dev/null || { echo "needs $c (apt-get install $c)" >&2; exit 3; }
done
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 3; }

go build -o "$BENCH_DIR/loadgen" ./examples/loadgen
DESK=$BENCH_DIR/desk-site
have_desk=1
if ! go build -o "$DESK" ./cmd/desk; then
  have_desk=0; echo "desk does not build: its line is left out" >&2
elif ! "$DESK" site build --help >/dev/null 2>&1; then
  have_desk=0; echo "desk site build is not there yet: its line is left out" >&2
fi
pagefind_bin
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
export NO_COLOR=1

repo=$BENCH_DIR/site-corpus-e$EDITS
if [ ! -d "$repo/.git" ]; then
  echo "making the corpus repository $repo ..." >&2
  rm -rf "$repo.tmp"
  # The first commit is dated the day after the articles' created time.
  "$BENCH_DIR/loadgen" -n 0 -until 2026-01-06T00:00:00+08:00 -out "$repo.tmp" -corpus "${DESK_CORPUS:?set DESK_CORPUS to the article corpus}" >&2
  hugo_ready "$repo.tmp" 2026-01-06T09:00:00+08:00
  (
    cd "$repo.tmp"
    python3 - "$EDITS" <<'PY'
# EDITS commits by eight authors, one a day from 2026-01-07, each setting
# review_by on ten articles picked with a fixed seed.
import datetime, os, random, re, subprocess, sys
edits = int(sys.argv[1])
authors = [("Li Si", "li.si"), ("Wang Wu", "wang.wu"), ("Zhao Liu", "zhao.liu"), ("Chen Qi", "chen.qi"),
           ("Anna Berg", "anna.berg"), ("Tom Hale", "tom.hale"), ("Mia Ortiz", "mia.ortiz"), ("Ravi Rao", "ravi.rao")]
slugs = sorted(f for f in os.listdir("kb") if f.endswith(".md"))
rnd = random.Random(1)
day0 = datetime.datetime(2026, 1, 7, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
for i in range(edits):
    when = day0 + datetime.timedelta(days=i * 300 // max(edits, 1), minutes=rnd.randrange(480))
    review = (when + datetime.timedelta(days=365)).date().isoformat()
    picked = rnd.sample(slugs, 10)
    for f in picked:
        p = os.path.join("kb", f)
        s = open(p, encoding="utf-8").read()
        end = s.index("\n+++", 3)
        head, body = s[:end], s[end:]
        if re.search(r"^review_by = .*$", head, re.M):
            head = re.sub(r"^review_by = .*$", f"review_by = {review}", head, flags=re.M)
        else:
            head += f"\nreview_by = {review}"
        open(p, "w", encoding="utf-8").write(head + body)
    name, user = authors[i % len(authors)]
    env = dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=f"{user}@example.com",
               GIT_AUTHOR_DATE=when.isoformat(), GIT_COMMITTER_DATE=when.isoformat())
    subprocess.run(["git", "add", "--"] + [os.path.join("kb", f) for f in picked], check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", f"kb: review dates of {len(picked)} articles"], check=True, env=env)
PY
  )
  mv "$repo.tmp" "$repo"
fi
articles=$(find "$repo/kb" -name '*.md' | wc -l)
commits=$(git -C "$repo" rev-list --count HEAD)

# The Hugo project lives inside the corpus repository (Hugo's git info reads the
# repository its project is in), untracked and excluded.
rm -rf "$repo/.hugo"
cp -r examples/bench/hugo "$repo/.hugo"
grep -qx '/.hugo/' "$repo/.git/info/exclude" 2>/dev/null || echo '/.hugo/' >> "$repo/.git/info/exclude"

out=$BENCH_DIR/site-out
mkdir -p "$out"
HUGO="hugo --quiet --source $repo/.hugo"
echo "hugo:     $(hugo version | cut -d' ' -f2)   pagefind: $("$PAGEFIND" --version | cut -d' ' -f2)   $articles articles, $commits commits, $(nproc) cores" >&2

# Each command builds into a folder of its own, emptied before each run.
cat > "$BENCH_DIR/site-hugo-pagefind.sh" <<SH
#!/bin/sh
$HUGO --enableGitInfo --destination $out/hugo-pf && exec $PAGEFIND --site $out/hugo-pf >/dev/null
SH
chmod +x "$BENCH_DIR/site-hugo-pagefind.sh"
names=() cmds=() preps=()
add() { names+=("$1"); cmds+=("$2"); preps+=("$3"); }
[ $have_desk = 0 ] || add "desk site build" "$DESK -C $repo site build --out $out/desk" "rm -rf $out/desk"
add "hugo (git info)" "$HUGO --enableGitInfo --destination $out/hugo-git" "rm -rf $out/hugo-git"
add "hugo (no git info)" "$HUGO --enableGitInfo=false --destination $out/hugo-nogit" "rm -rf $out/hugo-nogit"
add "hugo + pagefind" "$BENCH_DIR/site-hugo-pagefind.sh" "rm -rf $out/hugo-pf"

args=()
for i in "${!names[@]}"; do args+=(--prepare "${preps[$i]}" -n "${names[$i]}" "${cmds[$i]}"); done
hyperfine --warmup 1 --runs "$RUNS" --export-json "$BENCH_DIR/site.json" "${args[@]}" >&2
# Pagefind alone, on a copy of Hugo's output, its old index removed each run.
rm -rf "$out/pf-only" && cp -r "$out/hugo-pf" "$out/pf-only"
hyperfine --warmup 1 --runs "$RUNS" --export-json "$BENCH_DIR/site-pf.json" \
  --prepare "rm -rf $out/pf-only/pagefind" -n "pagefind --site (alone)" "$PAGEFIND --site $out/pf-only" >&2

# Peak memory, one run each.
mem=()
for i in "${!names[@]}"; do
  eval "${preps[$i]}"
  mem+=("$( { /usr/bin/time -f '%M' sh -c "${cmds[$i]} >/dev/null 2>&1"; } 2>&1 | tail -1)")
done
rm -rf "$out/pf-only/pagefind"
mem_pf=$( { /usr/bin/time -f '%M' sh -c "$PAGEFIND --site $out/pf-only >/dev/null 2>&1"; } 2>&1 | tail -1)

python3 - "$BENCH_DIR/site.json" "$BENCH_DIR/site-pf.json" "$out" "$mem_pf" "${mem[@]}" <<'PY'
import json, os, statistics, sys
res = json.load(open(sys.argv[1]))["results"] + json.load(open(sys.argv[2]))["results"]
out, mems = sys.argv[3], [int(m) for m in sys.argv[5:]] + [int(sys.argv[4])]
# /usr/bin/time -f %M on "sh -c" reports the largest process, which is the tool.
# CPU is user + system time (hyperfine's means): on a shared machine it moves
# less than the wall time.
med = {r["command"]: statistics.median(r["times"]) for r in res}
cpu = {r["command"]: r["user"] + r["system"] for r in res}
print(f"{'':26} {'median':>9} {'min':>8} {'max':>8} {'CPU':>8} {'peak memory':>12}")
for r, m in zip(res, mems):
    c = r["command"]
    print(f"{c:26} {med[c]:8.2f}s {min(r['times']):7.2f}s {max(r['times']):7.2f}s {cpu[c]:7.2f}s {m/1024:9.0f} MB")
def ratio(a, b):
    if a in med and b in med:
        print(f"{a} / {b}: {med[a]/med[b]:.2f} (CPU {cpu[a]/cpu[b]:.2f})")
ratio("desk site build", "hugo (git info)")
ratio("desk site build", "hugo (no git info)")
ratio("desk site build", "hugo + pagefind")
ratio("hugo (git info)", "hugo (no git info)")
def size(d):
    n = b = 0
    for root, _, files in os.walk(d):
        for f in files:
            n += 1
            b += os.path.getsize(os.path.join(root, f))
    return n, b
for name, d in [("desk search index (search/)", os.path.join(out, "desk", "search")),
                ("pagefind index (pagefind/)", os.path.join(out, "hugo-pf", "pagefind")),
                ("  of which index/ and pf_meta", None),
                ("  of which fragment/", os.path.join(out, "hugo-pf", "pagefind", "fragment")),
                ("desk site, all", os.path.join(out, "desk")),
                ("hugo + pagefind site, all", os.path.join(out, "hugo-pf"))]:
    if d is None:
        pf = os.path.join(out, "hugo-pf", "pagefind")
        if not os.path.isdir(pf):
            continue
        n, b = size(os.path.join(pf, "index"))
        for f in os.listdir(pf):
            if f.endswith(".pf_meta"):
                n, b = n + 1, b + os.path.getsize(os.path.join(pf, f))
    elif os.path.isdir(d):
        n, b = size(d)
    else:
        continue
    print(f"{name:30} {n:6} files {b/1e6:8.1f} MB")
PY

if [ "$SITECMP" = 1 ]; then
  cmpargs=(-pagefind "$out/hugo-pf" -repo "$repo" -json "$BENCH_DIR/sitecmp.json")
  [ $have_desk = 0 ] || cmpargs+=(-desk "$out/desk")
  go run ./examples/bench/sitecmp "${cmpargs[@]}"
fi
