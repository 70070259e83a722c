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
	for _, tc := range []struct{ q, want string }{
		{"", "empty"},
		{"   ", "empty"},
		{`"printer jam`, "not closed"},
		{`打印机 "卡纸`, "not closed"},
		{"vpn -", "lone -"},
		{"- vpn", "lone -"},
		{"status:", "has no value"},
		{"tag:", "has no value"},
		{"created:>yesterday", "not a date"},
		{"created:2026-13-01", "not a date"},
		{"owner:li", `unknown field "owner"`},
		{"priority:>high", "only created: takes a comparison"},
		{`ab"c`, "quote inside a word"},
		{`""`, "empty"},
	} {
		_, err := ParseQuery(tc.q, sh)
		var qe *QueryError
		if !errors.As(err, &qe) || !strings.Contains(qe.Msg, tc.want) {
			t.Errorf("ParseQuery(%q) = %v, want a QueryError containing %q", tc.q, err, tc.want)
		}
	}
}

// TestParseQueryFinds runs parsed queries against a small index.
func TestParseQueryFinds(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	idx, err := bleve.NewMemOnly(NewMapping())
	if err != nil {
		t.Fatal(err)
	}
	docs := []Document{
		{Type: "ticket", ID: "TS-20261103-1", Title: "VPN 连接失败，错误 809", Body: "远程办公时 VPN 报错 809。", Tags: []string{"vpn"}, Status: "closed", Priority: "medium", Category: "software", Assignee: "wang.wu", Created: "2026-11-03T09:00:00+08:00"},
		{Type: "ticket", ID: "TS-20261120-1", Title: "Outlook crashes when opening the calendar", Body: "Error 0x80004005 since the update.", Tags: []string{"outlook"}, Status: "in_progress", Priority: "high", Category: "software", Assignee: "alice.wong", Created: "2026-11-20T10:00:00+08:00"},
		{Type: "kb", ID: "vpn-connection-failed", Title: "VPN connection failed with error 809", Body: "Open UDP 500 and 4500 on the firewall.", Tags: []string{"vpn"}, Status: "published", Created: "2026-11-05T10:00:00+08:00"},
		{Type: "kb", ID: "printer-jam", Title: "Clearing a printer jam", Body: "Open the side door.", Tags: []string{"printer"}, Status: "published", Created: "2026-10-21T10:00:00+08:00"},
		{Type: "ticket", ID: "TS-20261020-2", Title: "打印机卡纸", Body: "三楼打印机每次打印都卡纸。", Tags: []string{"printer"}, Status: "closed", Priority: "low", Category: "hardware", Assignee: "sun.li", Created: "2026-10-20T14:00:00+08:00"},
	}
	for _, d := range docs {
		if err := idx.Index(d.ID, d); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		q    string
		want []string // exactly these IDs, in any order
	}{
		{"vpn", []string{"TS-20261103-1", "vpn-connection-failed"}},
		{"vpn type:kb", []string{"vpn-connection-failed"}},
		{"vpn -type:kb", []string{"TS-20261103-1"}},
		{"tag:printer", []string{"TS-20261020-2", "printer-jam"}},
		{"tag:printer type:ticket", []string{"TS-20261020-2"}},
		{"status:closed priority:low", []string{"TS-20261020-2"}},
		{"assignee:alice.wong", []string{"TS-20261120-1"}},
		{`"error 809"`, []string{"vpn-connection-failed"}},
		{"created:>=2026-11-05", []string{"vpn-connection-failed", "TS-20261120-1"}},
		{"created:<2026-11-01", []string{"TS-20261020-2", "printer-jam"}},
		{"created:2026-11-20", []string{"TS-20261120-1"}},
		{"created:<=2026-11-03 type:ticket", []string{"TS-20261103-1", "TS-20261020-2"}},
		{"卡纸", []string{"TS-20261020-2"}},
		{"-type:ticket", []string{"vpn-connection-failed", "printer-jam"}},
		{"outlook -calendar", nil},
		{"0x80004005", []string{"TS-20261120-1"}},
		{"https://intranet 0x80004005", []string{"TS-20261120-1"}},
	} {
		q, err := ParseQuery(tc.q, sh)
		if err != nil {
			t.Errorf("%q: %v", tc.q, err)
			continue
		}
		res, err := idx.Search(bleve.NewSearchRequestOptions(q.q, 20, 0, false))
		if err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		got := map[string]bool{}
		for _, h := range res.Hits {
			got[h.ID] = true
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

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
