package search

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/deskhq/desk/repo"
)

// BenchQueries is the fixed query list of the search benchmark: what users
// type, in both languages. examples/bench/search.sh times git grep -i for the
// same words.
var BenchQueries = []string{
	"vpn", "打印机", "outlook", "密码", "ERR_1045", "license", "蓝屏", "printer jam",
	"无法登录", "wifi", "慢查询", "tidb", "邮箱 同步", "error", "ssh", "备份",
}

// BenchmarkQueries opens the index of the repository in DESK_BENCH_REPO
// (built beforehand by desk index) and reports the median and 99th
// percentile latency of BenchQueries, in process: parse, search, 10 hits
// with their fields.
func BenchmarkQueries(b *testing.B) {
	dir := os.Getenv("DESK_BENCH_REPO")
	if dir == "" {
		b.Skip("DESK_BENCH_REPO is not set")
	}
	r, err := repo.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	ix, _, err := Open(context.Background(), r, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		q, err := ParseQuery(BenchQueries[i%len(BenchQueries)], r.Config.Location)
		if err != nil {
			b.Fatal(err)
		}
		req := bleve.NewSearchRequestOptions(q.q, 10, 0, false)
		req.Fields = []string{"type", "id", "title"}
		start := time.Now()
		if _, err := ix.idx.Search(req); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
