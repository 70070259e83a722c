# Sourced by site.sh and searchq.sh: what both need to put the corpus
# repository through Hugo and Pagefind as well as through desk.

# hugo_ready REPO DATE commits, at DATE, what makes the files of REPO build
# under Hugo too (both tools then read the same files): 46 tldr pages whose
# placeholders start with "{{<" or "{{%", which Hugo takes for shortcodes and
# stops on, get a space after "{{"; kb/index.md, which would turn kb/ into a
# Hugo leaf bundle (8,200 pages become its resources and are not rendered), is
# renamed kb/tidb-index.md; and desk.toml makes personal-data a warning: 18
# upstream pages hold example e-mail addresses and phone numbers, which would
# stop desk site build.
hugo_ready() (
  cd "$1"
  files=$(grep -l -P '\{\{[<%](?! ?copyable)' kb/*.md || true)
  [ -z "$files" ] || perl -pi -e 's/\{\{([<%])(?! ?copyable)/{{ $1/g' $files
  [ ! -f kb/index.md ] || git mv kb/index.md kb/tidb-index.md
  printf '\n[check.rules]\npersonal-data = "warning"         # upstream documentation: example addresses and numbers\n' >> desk.toml
  git add -A kb desk.toml
  GIT_AUTHOR_DATE=$2 GIT_COMMITTER_DATE=$2 \
    git commit -q -m "bench: build under Hugo as well, personal-data a warning" -m "A space after {{ in tldr placeholders that Hugo takes for shortcodes; kb/index.md renamed, as Hugo makes a leaf bundle of a folder holding index.md. The corpus is upstream documentation whose example addresses desk check takes for personal data."
)

# pagefind_bin sets PAGEFIND, unless it is set, to Pagefind $PAGEFIND_VERSION
# installed with npm into $BENCH_DIR/pagefind (once).
pagefind_bin() {
  [ -z "${PAGEFIND:-}" ] || return 0
  PAGEFIND=$BENCH_DIR/pagefind/node_modules/.bin/pagefind
  [ ! -x "$PAGEFIND" ] || return 0
  command -v npm >/dev/null || { echo "needs npm for Pagefind, or PAGEFIND=/path/to/pagefind" >&2; exit 3; }
  mkdir -p "$BENCH_DIR/pagefind"
  [ -f "$BENCH_DIR/pagefind/package.json" ] || echo '{"private":true}' > "$BENCH_DIR/pagefind/package.json"
  npm install --silent --prefix "$BENCH_DIR/pagefind" "pagefind@${PAGEFIND_VERSION:-1.6}" >&2
}
