package sitesearch

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
)

// versionDocs are release notes that write a version with and without its v.
func versionDocs() []Doc {
	return []Doc{
		{URL: "kb/tidb-7-5-5/", Title: "TiDB 7.5.5 发布说明", Lang: "zh", Category: "releases",
			Text: "发版日期：2025 年 1 月。TiDB 版本：7.5.5。修复了若干问题。"},
		{URL: "kb/tidb-7-1-0/", Title: "TiDB 7.1.0 发布说明", Lang: "zh", Category: "releases",
			Text: "发版日期：2023 年 5 月 31 日。TiDB 版本：7.1.0。"},
		{URL: "kb/upgrade-v8/", Title: "Upgrade to v8.1.0", Lang: "en", Category: "releases",
			Text: "Upgrade from v7.1.0 to v8.1.0 with tiup cluster upgrade."},
		{URL: "kb/tls/", Title: "TLS 1.2 only", Lang: "en", Category: "network",
			Text: "Since 5.5 the server refuses TLS 1.0 and 1.1."},
	}
}

// TestVersionQuery: the index holds 7.5.5 for v7.5.5, so the query v7.5.5
// also looks up 7.5.5 and finds the notes that write the number without the
// v (issue 11: the query side did not, and fell back to the parts v7, 5, 5).
func TestVersionQuery(t *testing.T) {
	dir := t.TempDir()
	writeSite(t, dir, versionDocs(), smallLayout)
	r := openReader(t, dir+"/search")
	for _, tc := range []struct {
		q    string
		want []string
	}{
		// Not by its parts v7, 5 and 5, which every note with a 5 has.
		{"v7.5.5", []string{"kb/tidb-7-5-5/"}},
		{"7.5.5", []string{"kb/tidb-7-5-5/"}},
		{"v7.1.0", []string{"kb/tidb-7-1-0/", "kb/upgrade-v8/"}},
		{"v8.1.0", []string{"kb/upgrade-v8/"}},
	} {
		res, err := r.search(tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if got := urls(res); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: %v, want %v", tc.q, got, tc.want)
		}
	}
	if g := queryGroups("v7.5.5"); len(g) != 1 || g[0].also != "7.5.5" {
		t.Errorf("groups of v7.5.5: %+v", g)
	}
	if g := queryGroups("tidb-v7.5.5"); len(g) != 1 || g[0].also != "" {
		t.Errorf("a code with a version inside is looked up whole and by its parts, not as a number: %+v", g)
	}
}

// TestBrowserVersionQuery: the page finds what the Go reader finds.
func TestBrowserVersionQuery(t *testing.T) {
	dir := t.TempDir()
	writeSite(t, dir, versionDocs(), smallLayout)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	p := openPage(t, srv.URL+"/index.html")
	r := openReader(t, dir+"/search")
	for _, q := range []string{"v7.5.5", "7.5.5", "TiDB v7.5.5 发布说明", "v7.1.0", "v8.1", "v7.5.5 v7.5.5"} {
		res, err := r.search(q)
		if err != nil {
			t.Fatal(err)
		}
		var js []string
		eval(t, p, `deskSearch.query(`+jsString(q)+`).then(r => r.results.map(x => x.url))`, &js)
		if want := urls(res); !reflect.DeepEqual(want, js) {
			t.Errorf("results of %q\n go %v\n js %v", q, want, js)
		}
	}
}
