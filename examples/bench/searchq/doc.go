// Command searchq scores desk's command-line search on held-out known-item
// query sets: each query is run through the real desk binary and the rank of
// the article that answers it gives MRR@10, R@1 and R@5 per set (package
// knownitem).
//
//	go run ./examples/bench/searchq -repo REPO -sets examples/bench/searchq -engine desk-search|desk-similar [-desk BIN] [-json FILE] [-v]
//	go run ./examples/bench/searchq -table FILE...
//
// Engines:
//
//   - desk-search: desk -C REPO search --type kb --json --limit 10 -- QUERY
//   - desk-similar: desk -C REPO similar --text=QUERY --type kb --json --limit 10
//
// A query that makes desk fail (any exit status but 0) counts as a miss and
// is listed with desk's message: such a query is a bug. -json writes every
// run; -table reads such files (and those of sitecmp -queries) and prints one
// Markdown table, an engine a row, MRR@10, R@1 and R@5 of each set. The whole
// run, with the page and Pagefind, is examples/bench/searchq.sh.
//
// # The sets
//
// zh-a.tsv, zh-b.tsv, en-a.tsv and en-b.tsv hold 259 queries (127 Chinese,
// 132 English) over the article corpus ($DESK_CORPUS: kb-zh from
// pingcap/docs-cn, CC BY-SA 3.0; kb-en from tldr-pages, CC BY 4.0). They
// were written by hand from the articles themselves, before any engine was
// run on them: for each query the article was read, and grep over the whole
// corpus checked that no other article answers it as well (a phrase that two
// articles hold equally was dropped for another). Articles come from across
// the corpus, at most one query per article in a set.
//
//   - Set A (zh-a, en-a): how people ask. Question headings as written in
//     the article (zh) or an example's description (en, "heading"); one to
//     three keywords; paraphrases in other words than the title; and a few
//     exact titles (at most about a sixth of a set).
//   - Set B (zh-b, en-b): what people paste. Error messages with their codes
//     and colons (Error 1298: Unknown or incorrect time zone: 'UTC'), command
//     lines with flags and quotes (tiup cluster stop prod-cluster -R tidb,
//     lxc-top --delay 5, a line starting with -xzvf), Chinese and English
//     mixed (tidb 慢查询 怎么 排查, ffmpeg 从 视频 提取 音频), version strings
//     (v7.5.5, ubuntu:22.04) and, in English, typos in longer words (bredth,
//     resoltion, verifcation). tldr pages hold almost no error messages, so
//     en-b has only two.
//
// The sets are held out: they measure, they are never tuned on. Do not change
// a query or its article because an engine ranks it badly; a wrong article
// (one that does not answer the query best) is fixed in a commit of its own
// that says why, before the next measurement.
package main
