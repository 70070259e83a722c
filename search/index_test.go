package search

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

var sampleDocs = []Document{
	{Type: "kb", ID: "printer-jam-zh", Title: "打印机卡纸怎么办", Category: "hardware", Status: "published",
		Tags: []string{"打印机"}, Created: "2026-10-02T09:00:00+08:00",
		Body: "打印机提示卡纸时，先关闭电源，打开前盖，沿出纸方向慢慢取出被卡住的纸张。不要用力拉扯，以免撕碎纸张残留在机器里。"},
	{Type: "kb", ID: "printer-jam-en", Title: "Printer paper jam", Category: "hardware", Status: "published",
		Tags: []string{"printer"}, Created: "2026-10-03T09:00:00Z",
		Body: "When the printer reports a paper jam, switch it off, open the front cover and pull the jammed sheet out slowly in the direction of the paper path."},
	{Type: "ticket", ID: "TS-20261105-1", Title: "ERP 报错 ERR_1045", Category: "software", Status: "open",
		Priority: "high", Assignee: "wang.li", Created: "2026-11-05T10:20:00+08:00",
		Body: "财务部登录 ERP 时弹出 ERR_1045 Access denied for user，昨天还正常。已确认账号未锁定。"},
	{Type: "kb", ID: "vpn-after-upgrade", Title: "升级到 v2.1 后无法登录 VPN", Category: "network", Status: "published",
		Created: "2026-09-12T09:00:00+08:00",
		Body:    "客户端升级到 v2.1 之后，旧的证书不再被接受，登录时提示证书无效。请在门户重新下载证书并导入客户端。"},
	{Type: "kb", ID: "shared-printer-11b", Title: "Shared printer fails with error 0x0000011b", Category: "hardware",
		Status: "published", Created: "2026-08-20T09:00:00Z",
		Body: "After a Windows update, connecting to a shared printer on another computer fails with error 0x0000011b. Install the matching update on the host computer, then reconnect."},
	{Type: "kb", ID: "print-test-page", Title: "Print a test page", Category: "hardware", Status: "published",
		Created: "2026-07-01T09:00:00Z",
		Body:    "Open Settings, choose Devices, select the device and click Print test page. A test page shows whether colours and alignment are right."},
	{Type: "kb", ID: "mail-tls", Title: "Mail client cannot connect after TLS-1.2 became mandatory", Category: "network",
		Status: "published", Created: "2026-06-15T09:00:00Z",
		Body: "The mail server now refuses TLS 1.0. Update the mail client, or enable TLS-1.2 in its account security settings."},
	{Type: "kb", ID: "reset-password-en", Title: "Reset your password", Category: "account", Status: "published",
		Created: "2026-05-01T09:00:00Z",
		Body:    "If you forgot your password, open the self-service portal, choose Forgot password and follow the link sent to your phone."},
	{Type: "kb", ID: "reset-password-zh", Title: "忘记密码如何重置", Category: "account", Status: "published",
		Created: "2026-05-02T09:00:00+08:00",
		Body:    "忘记密码时，请打开自助服务门户，点击“忘记密码”，按短信中的链接设置新密码。新密码至少十二位。"},
	{Type: "ticket", ID: "TS-20261120-3", Title: "笔记本电脑无法开机", Category: "hardware", Status: "resolved",
		Priority: "normal", Assignee: "zhao.min", Created: "2026-11-20T14:00:00+08:00",
		Body: "按电源键没有反应，指示灯不亮。更换电源适配器后恢复正常。"},
	{Type: "kb", ID: "mailbox-full", Title: "邮箱容量已满", Category: "account", Status: "published",
		Created: "2026-04-10T09:00:00+08:00",
		Body:    "收件箱超过配额后无法接收新邮件。请清理附件较大的邮件，或申请扩容。"},
}

func newSampleIndex(t *testing.T) bleve.Index {
	t.Helper()
	idx, err := bleve.NewMemOnly(NewMapping())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	b := idx.NewBatch()
	for _, d := range sampleDocs {
		if err := b.Index(d.ID, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := idx.Batch(b); err != nil {
		t.Fatal(err)
	}
	return idx
}

// search runs q in the query-string syntax of `desk search` and returns the
// ids of the hits, best first.
func search(t *testing.T, idx bleve.Index, q string, size int) []string {
	t.Helper()
	req := bleve.NewSearchRequestOptions(bleve.NewQueryStringQuery(q), size, 0, false)
	res, err := idx.Search(req)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids
}

func TestSearchRanking(t *testing.T) {
	idx := newSampleIndex(t)
	tests := []struct {
		kind, query, want string
	}{
		{"chinese question", "打印机卡纸了怎么办？", "printer-jam-zh"},
		{"chinese question", "笔记本开不了机", "TS-20261120-3"},
		{"chinese keywords", "忘记密码", "reset-password-zh"},
		{"english keywords", "printer jam", "printer-jam-en"},
		{"english question", "how do I reset my password", "reset-password-en"},
		{"error code", "ERR_1045", "TS-20261105-1"},
		{"error code lower case", "err_1045", "TS-20261105-1"},
		{"error code part", "1045", "TS-20261105-1"},
		{"hex code", "0x0000011b", "shared-printer-11b"},
		{"hex code upper case", "0X0000011B", "shared-printer-11b"},
		{"version with chinese", "v2.1 登录", "vpn-after-upgrade"},
		{"version without v", "2.1", "vpn-after-upgrade"},
		{"hyphenated code", "TLS-1.2", "mail-tls"},
		{"code typed with space", "tls 1.2", "mail-tls"},
		{"one chinese character", "邮", "mailbox-full"},
		{"one chinese character", "锁", "TS-20261105-1"},
		{"english stem", "printing", "print-test-page"},
		{"english stem", "jams", "printer-jam-en"},
		{"english phrase", `"paper jam"`, "printer-jam-en"},
		{"chinese phrase", `"卡住的纸张"`, "printer-jam-zh"},
		{"version phrase", `"v2.1 之后"`, "vpn-after-upgrade"},
		{"mixed", "ERP 报错", "TS-20261105-1"},
		{"field filter", "+type:ticket 无法", "TS-20261120-3"},
		{"keyword filter", "+assignee:wang.li", "TS-20261105-1"},
		{"date filter", `+created:>"2026-11-10T00:00:00Z" 电源`, "TS-20261120-3"},
		{"exclusion", "printer -jam", "shared-printer-11b"},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"/"+tt.query, func(t *testing.T) {
			got := search(t, idx, tt.query, 5)
			if len(got) == 0 || got[0] != tt.want {
				t.Errorf("query %q: want %s first, got %v", tt.query, tt.want, got)
			}
		})
	}
}

func TestPhraseIsStrict(t *testing.T) {
	idx := newSampleIndex(t)
	for _, q := range []string{`"纸张取出"`, `"jam paper"`} {
		if got := search(t, idx, q, 5); len(got) != 0 {
			t.Errorf("phrase %s: want no hits, got %v", q, got)
		}
	}
}

// TestCorpus indexes the knowledge-base corpora under $DESK_CORPUS (kb-zh/
// and kb-en/) and checks that the article answering each query is in the top
// five.
func TestCorpus(t *testing.T) {
	dir := os.Getenv("DESK_CORPUS")
	if dir == "" {
		t.Skip("DESK_CORPUS not set")
	}
	// scorch on disk: several times faster to build than NewMemOnly for ~8,000 articles.
	idx, err := bleve.NewUsing(filepath.Join(t.TempDir(), "index"), NewMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	start := time.Now()
	n := 0
	for _, sub := range []string{"kb-zh", "kb-en"} {
		files, err := filepath.Glob(filepath.Join(dir, sub, "*.md"))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) == 0 {
			t.Fatalf("no articles in %s", filepath.Join(dir, sub))
		}
		b := idx.NewBatch()
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			title, body := splitArticle(string(data))
			id := sub + "/" + strings.TrimSuffix(filepath.Base(f), ".md")
			if err := b.Index(id, Document{Type: "kb", ID: id, Title: title, Body: body}); err != nil {
				t.Fatal(err)
			}
			n++
			if b.Size() >= 500 {
				if err := idx.Batch(b); err != nil {
					t.Fatal(err)
				}
				b.Reset()
			}
		}
		if err := idx.Batch(b); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("indexed %d articles in %v", n, time.Since(start).Round(time.Millisecond))

	tests := []struct{ query, want string }{
		{"慢查询日志", "kb-zh/identify-slow-queries"},
		{"升级后有哪些常见问题", "kb-zh/faq-upgrade-faq"},
		{"错误码 故障诊断", "kb-zh/error-codes"},
		{"TiDB 内存控制", "kb-zh/configure-memory-usage"},
		{"密码管理", "kb-zh/password-management"},
		{"集群问题导图", "kb-zh/tidb-troubleshooting-map"},
		{"tar archive", "kb-en/common-tar"},
		{"generate ssh key", "kb-en/common-ssh-keygen"},
		{"git stash changes", "kb-en/common-git-stash"},
		{"ssh-keygen", "kb-en/common-ssh-keygen"},
		{"change file permissions", "kb-en/common-chmod"},
		{"7z archive", "kb-en/common-7z"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got := search(t, idx, tt.query, 5)
			for _, id := range got {
				if id == tt.want {
					return
				}
			}
			t.Errorf("query %q: want %s in top five, got %v", tt.query, tt.want, got)
		})
	}
}

// splitArticle returns the title from the TOML front matter (between the
// first two +++ lines) and the Markdown body after it.
func splitArticle(s string) (title, body string) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	rest, ok := strings.CutPrefix(s, "+++\n")
	if !ok {
		return "", s
	}
	front, body, ok := strings.Cut(rest, "\n+++\n")
	if !ok {
		return "", s
	}
	for _, line := range strings.Split(front, "\n") {
		k, v, ok := strings.Cut(line, "=")
		if ok && strings.TrimSpace(k) == "title" {
			title = strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return title, body
}
