package search

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
)

func TestParseQueryErrors(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	for _, tc := range []struct{ name, q, want string }{
		{"nothing", "", "empty"},
		{"only spaces", "   ", "empty"},
		{"an empty phrase is nothing", `""`, "empty"},
		{"a date that is no date", "created:>yesterday", "not a date"},
		{"a month that does not exist", "created:2026-13-01", "not a date"},
		{"a comparison on a field other than created", "priority:>high", "only created: takes a comparison"},
	} {
		_, err := ParseQuery(tc.q, sh)
		var qe *QueryError
		if !errors.As(err, &qe) || !strings.Contains(qe.Msg, tc.want) {
			t.Errorf("%s: ParseQuery(%q) = %v, want a QueryError containing %q", tc.name, tc.q, err, tc.want)
		}
	}
}

// TestLex holds the query syntax: what is a filter, a phrase, an exclusion,
// and that everything else, pasted text above all, is words.
func TestLex(t *testing.T) {
	for _, tc := range []struct {
		name, q string
		want    string // the tokens: word, "phrase", field:value, !excluded
	}{
		{"words", "打印机 卡纸 printer", `打印机 卡纸 printer`},
		{"phrase", `"error 809" vpn`, `"error 809" vpn`},
		{"filters", "status:closed tag:vpn created:>=2026-11-01", `status:closed tag:vpn created:>=2026-11-01`},
		{"exclusions", `vpn -mobile -"android app" -type:kb`, `vpn !mobile !"android app" !type:kb`},
		{"a filter alone may exclude", "-type:ticket", `!type:ticket`},
		{"chinese exclusion before a filter", "打印机 -惠普 status:closed", `打印机 !惠普 status:closed`},

		// Pasted error messages (issue 11: exit 2, unknown field "zone").
		{"mysql error with an unknown field", "Error 1298: Unknown or incorrect time zone: 'Asia/Shanghai'",
			`Error 1298: Unknown or incorrect time zone: 'Asia/Shanghai'`},
		{"unknown field names are words", "owner:li zone:utc", `owner:li zone:utc`},
		{"a field with a space after the colon is a word", "HTTP status: 503 type: error", `HTTP status: 503 type: error`},
		{"upper-case field names are words", "Status:closed", `Status:closed`},
		{"a lone dash is a word", "Outlook - Error 0x80004005", `Outlook - Error 0x80004005`},
		{"a lone dash at the end", "vpn -", `vpn -`},
		{"an unclosed quote is a character", `printer "jam on tray 2`, `printer "jam on tray 2`},
		{"a quote inside a word", `key="value" ab"c`, `key="value" ab"c`},
		{"a negative number", "error -2147467259", `error -2147467259`},

		// Pasted command lines (issue 11: -R excluded every article with "r",
		// lxc-top --delay 5 excluded its own page, -f was taken as a flag).
		{"a one-letter option", "tiup cluster stop -R tidb", `tiup cluster stop -R tidb`},
		{"a long option", "lxc-top --delay 5", `lxc-top --delay 5`},
		{"a query starting with an option", "-f /var/log/syslog", `-f /var/log/syslog`},
		{"a one-letter option at the end", "df -h", `df -h`},
		{"a long option at the end", "pip install --upgrade", `pip install --upgrade`},
		{"a -word more words follow", "find . -name x.log -mtime 7", `find . -name x.log -mtime 7`},
		{"a -word a phrase follows", `java -jar "app.jar"`, `java -jar "app.jar"`},
		{"a -word an option follows", "ls -la -h", `ls -la -h`},
		{"-words with nothing to find", "-mobile -android", `-mobile -android`},
		{"-words with only exclusions", "-type:kb -mobile", `!type:kb -mobile`},
		{"a quoted last -word", `"ls -la"`, `"ls -la"`},
	} {
		var got []string
		for _, tok := range lex(tc.q) {
			got = append(got, tok.String())
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("%s: lex(%q)\n got %s\nwant %s", tc.name, tc.q, g, tc.want)
		}
	}
}

// String writes a token as the query syntax would, but an exclusion with
// "!", so that it differs from a word that starts with a dash.
func (t token) String() string {
	s := t.value
	switch {
	case t.field != "":
		s = t.field + ":" + t.op + t.value
	case t.phrase:
		s = `"` + t.value + `"`
	}
	if t.neg {
		s = "!" + s
	}
	return s
}

// queryIndex returns a small index for the query tests.
func queryIndex(t *testing.T) bleve.Index {
	t.Helper()
	idx, err := bleve.NewMemOnly(NewMapping())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	docs := []Document{
		{Type: "ticket", ID: "TS-20261103-1", Title: "VPN 连接失败，错误 809", Body: "远程办公时 VPN 报错 809。", Tags: []string{"vpn"}, Status: "closed", Priority: "medium", Category: "software", Assignee: "wang.wu", Created: "2026-11-03T09:00:00+08:00"},
		{Type: "ticket", ID: "TS-20261120-1", Title: "Outlook crashes when opening the calendar", Body: "Error 0x80004005 since the update.", Tags: []string{"outlook"}, Status: "in_progress", Priority: "high", Category: "software", Assignee: "alice.wong", Created: "2026-11-20T10:00:00+08:00"},
		{Type: "kb", ID: "vpn-connection-failed", Title: "VPN connection failed with error 809", Body: "Open UDP 500 and 4500 on the firewall.", Tags: []string{"vpn"}, Status: "published", Created: "2026-11-05T10:00:00+08:00"},
		{Type: "kb", ID: "printer-jam", Title: "Clearing a printer jam", Body: "Open the side door.", Tags: []string{"printer"}, Status: "published", Created: "2026-10-21T10:00:00+08:00"},
		{Type: "ticket", ID: "TS-20261020-2", Title: "打印机卡纸", Body: "三楼打印机每次打印都卡纸。", Tags: []string{"printer"}, Status: "closed", Priority: "low", Category: "hardware", Assignee: "sun.li", Created: "2026-10-20T14:00:00+08:00"},
		{Type: "kb", ID: "vpn-mobile", Title: "VPN on a mobile phone", Body: "Install the VPN app from the company portal.", Status: "published", Created: "2026-10-01T10:00:00+08:00"},
		{Type: "kb", ID: "tiup-cluster-stop", Title: "tiup cluster stop", Body: "停止集群的服务。只停止 TiDB 节点：tiup cluster stop prod -R tidb", Status: "published", Created: "2026-09-01T10:00:00+08:00"},
		{Type: "kb", ID: "lxc-top", Title: "lxc-top", Body: "Show the resource usage of containers. Refresh every 5 seconds: lxc-top --delay 5", Status: "published", Created: "2026-09-02T10:00:00+08:00"},
		{Type: "kb", ID: "mysql-time-zone", Title: "导入数据时报时区错误 1298", Body: "Error 1298: Unknown or incorrect time zone: 'Asia/Shanghai'. 先导入时区表：mysql_tzinfo_to_sql /usr/share/zoneinfo", Status: "published", Created: "2026-09-03T10:00:00+08:00"},
	}
	for _, d := range docs {
		if err := idx.Index(d.ID, d); err != nil {
			t.Fatal(err)
		}
	}
	return idx
}

// TestParseQueryFinds runs parsed queries against a small index.
func TestParseQueryFinds(t *testing.T) {
	idx := queryIndex(t)
	for _, tc := range []struct {
		q    string
		want []string // exactly these IDs, in any order
	}{
		{"vpn", []string{"TS-20261103-1", "vpn-connection-failed", "vpn-mobile"}},
		{"vpn type:kb", []string{"vpn-connection-failed", "vpn-mobile"}},
		{"vpn -type:kb", []string{"TS-20261103-1"}},
		{"vpn -mobile", []string{"TS-20261103-1", "vpn-connection-failed"}},
		{"vpn -mobile -type:kb", []string{"TS-20261103-1"}},
		{"-mobile -android", []string{"vpn-mobile"}},
		{"tiup cluster stop -R tidb", []string{"tiup-cluster-stop"}},
		{"lxc-top --delay 5", []string{"lxc-top"}},
		{"--delay", []string{"lxc-top"}},
		{"tag:printer", []string{"TS-20261020-2", "printer-jam"}},
		{"tag:printer type:ticket", []string{"TS-20261020-2"}},
		{"status:closed priority:low", []string{"TS-20261020-2"}},
		{"assignee:alice.wong", []string{"TS-20261120-1"}},
		{`"error 809"`, []string{"vpn-connection-failed"}},
		{"created:>=2026-11-05", []string{"vpn-connection-failed", "TS-20261120-1"}},
		{"created:<2026-11-01 -type:kb", []string{"TS-20261020-2"}},
		{"created:2026-11-20", []string{"TS-20261120-1"}},
		{"created:<=2026-11-03 type:ticket", []string{"TS-20261103-1", "TS-20261020-2"}},
		{"卡纸", []string{"TS-20261020-2"}},
		{"-type:ticket created:>2026-10-01", []string{"vpn-connection-failed", "printer-jam"}},
		{"outlook -calendar", nil},
		{"0x80004005", []string{"TS-20261120-1"}},
		{"https://intranet 0x80004005", []string{"TS-20261120-1"}},
	} {
		got := map[string]bool{}
		for _, id := range parseAndSearch(t, idx, tc.q, 20) {
			got[id] = true
		}
		if len(got) != len(tc.want) {
			t.Errorf("%q: got %v, want %v", tc.q, keys(got), tc.want)
			continue
		}
		for _, id := range tc.want {
			if !got[id] {
				t.Errorf("%q: got %v, want %v", tc.q, keys(got), tc.want)
				break
			}
		}
	}
}

// parseAndSearch parses q and returns the IDs of its first hits, best
// first.
func parseAndSearch(t *testing.T, idx bleve.Index, q string, size int) []string {
	t.Helper()
	sh, _ := time.LoadLocation("Asia/Shanghai")
	pq, err := ParseQuery(q, sh)
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	res, err := idx.Search(bleve.NewSearchRequestOptions(pq.q, size, 0, false))
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestPastedTextFindsItsPage: an error message or a command line pasted
// whole finds the article that holds it first (issue 11).
func TestPastedTextFindsItsPage(t *testing.T) {
	idx := queryIndex(t)
	for _, tc := range []struct{ q, want string }{
		{"Error 1298: Unknown or incorrect time zone: 'Asia/Shanghai'", "mysql-time-zone"},
		{"tiup cluster stop -R tidb", "tiup-cluster-stop"},
		{"lxc-top --delay 5", "lxc-top"},
		{"-R tidb", "tiup-cluster-stop"},
	} {
		if got := parseAndSearch(t, idx, tc.q, 3); len(got) == 0 || got[0] != tc.want {
			t.Errorf("%q: first hits %v, want %s first", tc.q, got, tc.want)
		}
	}
}
