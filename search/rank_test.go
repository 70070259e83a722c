package search

import (
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// rankFixture is a small knowledge base with the traps issue 11 found in
// the corpus: short titles of common words, one-word titles, typos.
var rankFixture = []Document{
	{ID: "db-table", Title: "数据库表原理", Body: "数据库由表组成，表由行和列组成。本文介绍数据库表的基本原理。"},
	{ID: "db-index", Title: "数据库索引", Body: "索引让数据库更快地找到表中的行。"},
	{ID: "flame-graph", Title: "慢查询排查", Body: "用火焰图找出数据库中耗时的函数，再优化慢查询。"},
	{ID: "convert", Title: "convert", Body: "Convert between image formats, resize, crop and rotate images. See also: magick."},
	{ID: "ffmpeg", Title: "ffmpeg", Body: "Video conversion tool. Convert a video to an animated GIF, cut a clip or extract the sound."},
	{ID: "sed", Title: "sed", Body: "Edit text in a scriptable manner."},
	{ID: "dfs", Title: "Depth-first search", Body: "Visit a graph branch by branch with a stack."},
	{ID: "bfs", Title: "Breadth-first search", Body: "Visit a graph level by level with a queue."},
	{ID: "printer-settings", Title: "Printer settings", Body: "Settings of the printer: paper size, settings for duplex, default settings."},
	{ID: "resolution", Title: "Change the screen resolution", Body: "Open the display settings and pick a resolution."},
	{ID: "printer", Title: "打印机卡纸", Body: "打开前盖，取出卡住的纸张。"},
}

func rankIndex(t *testing.T) bleve.Index {
	t.Helper()
	idx, err := bleve.NewMemOnly(NewMapping())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range rankFixture {
		d.Type = "kb"
		if err := idx.Index(d.ID, d); err != nil {
			t.Fatal(err)
		}
	}
	return idx
}

// ranked runs q as desk search does: the query, then rerank.
func ranked(t *testing.T, idx bleve.Index, q string) []string {
	t.Helper()
	pq, err := ParseQuery(q, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	res, err := searchIn(t.Context(), idx, docsText(rankFixture), pq, SearchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestRanking(t *testing.T) {
	idx := rankIndex(t)
	defer idx.Close()
	for _, tc := range []struct{ name, query, want string }{
		{"a rare body word beats a short title of common characters", "数据库 火焰图", "flame-graph"},
		{"a one-word title does not win every query holding the word", "convert video to gif", "ffmpeg"},
		{"all terms beat some", "search graph level queue", "bfs"},
		{"a typo in a long word", "bredth graph", "bfs"},
		{"a typo in another", "resoltion settings", "resolution"},
		{"the exact title first", "sed", "sed"},
		{"the exact title first, typed with spaces between Chinese words", "数据库 索引", "db-index"},
		{"one character finds it inside a run", "纸", "printer"},
		{"a Chinese phrase inside a longer run", `"卡住的纸"`, "printer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ranked(t, idx, tc.query)
			if len(got) == 0 || got[0] != tc.want {
				t.Errorf("%q: got %v, want %s first", tc.query, got, tc.want)
			}
		})
	}
}
