package search

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/deskhq/desk/repo"
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

// docsText is the texts of documents indexed under their IDs.
func docsText(docs []Document) texts {
	m := map[string]*Document{}
	for i := range docs {
		m[docs[i].ID] = &docs[i]
	}
	return func(id string) *Document { return m[id] }
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

// search runs q as `desk search` does and returns the ids of the hits,
// best first.
func search(t *testing.T, idx bleve.Index, q string, size int) []string {
	t.Helper()
	return searchText(t, idx, docsText(sampleDocs), q, size)
}

// searchText is search on an index of other documents, whose text src gives.
func searchText(t *testing.T, idx bleve.Index, src texts, q string, size int) []string {
	t.Helper()
	pq, err := ParseQuery(q, time.UTC)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	res, err := searchIn(t.Context(), idx, src, pq, SearchOptions{Limit: size})
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
		{"field filter", "type:ticket 无法", "TS-20261120-3"},
		{"keyword filter", "assignee:wang.li", "TS-20261105-1"},
		{"date filter", `created:>2026-11-10T00:00:00Z 电源`, "TS-20261120-3"},
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
	arts := tuneArticles(t, dir)
	idx := corpusIndex(t, filepath.Join(t.TempDir(), "index"), arts)
	defer idx.Close()
	text := artsText(arts)

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
		// An error message as a user pastes it, and a question mixing both languages.
		{"ERROR 9005 Region is unavailable", "kb-zh/error-codes"},
		{"如何查看 TiDB 慢查询", "kb-zh/identify-slow-queries"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got := searchText(t, idx, text, tt.query, 5)
			for _, id := range got {
				if id == tt.want {
					return
				}
			}
			t.Errorf("query %q: want %s in top five, got %v", tt.query, tt.want, got)
		})
	}
}

// The on-disk index (index.go): catch-up, rebuilds, personal data, locking.

// deskRepo makes a desk repository in a temporary folder.
func deskRepo(t *testing.T) *repo.Repo {
	t.Helper()
	for _, k := range []string{"GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"} {
		t.Setenv(k, "Desk Test")
	}
	for _, k := range []string{"GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"} {
		t.Setenv(k, "test@example.com")
	}
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	r, err := repo.Init(t.TempDir(), repo.InitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func gitCmd(t *testing.T, r *repo.Repo, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.Root
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func commitAll(t *testing.T, r *repo.Repo, msg string) {
	t.Helper()
	gitCmd(t, r, "add", "-A")
	gitCmd(t, r, "commit", "-q", "-m", msg)
}

func writeRepoFile(t *testing.T, r *repo.Repo, p, text string) {
	t.Helper()
	name := r.Abs(p)
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o666); err != nil {
		t.Fatal(err)
	}
}

// ticketPath returns the file of ticket TS-20261122-n.
func ticketPath(n int) string { return fmt.Sprintf("tickets/2026/11/TS-20261122-%d.md", n) }

func ticketText(n int, title, description, note string) string {
	return fmt.Sprintf(`+++
id = "TS-20261122-%d"
title = %q
status = "new"
created = 2026-11-22T09:14:00+08:00
channel = "phone"
tags = ["laptop"]

[requester]
name = "Zhang Sanfeng"
org = "Finance"
contact = "zsf.private@corp.example.net"

[[events]]
at = 2026-11-22T09:14:00+08:00
by = "li.si"
action = "create"
to = "new"
note = %q
+++

## Description

%s
`, n, title, note, description)
}

func articleText(title, summary, body string) string {
	return fmt.Sprintf("+++\ntitle = %q\nstatus = \"published\"\nsummary = %q\ncreated = 2026-10-01T09:00:00+08:00\n+++\n\n%s\n", title, summary, body)
}

// seed writes three tickets and one article and commits them.
func seed(t *testing.T, r *repo.Repo) {
	t.Helper()
	writeRepoFile(t, r, ticketPath(1), ticketText(1, "Laptop does not power on", "The laptop stays dark after pressing the power button.", "Checked the adapter"))
	writeRepoFile(t, r, ticketPath(2), ticketText(2, "打印机卡纸", "财务部的打印机一直卡纸。", "已联系厂商"))
	writeRepoFile(t, r, ticketPath(3), ticketText(3, "VPN drops every hour", "The VPN client disconnects hourly with ERR_1045.", ""))
	writeRepoFile(t, r, "kb/vpn-reconnect.md", articleText("VPN keeps disconnecting", "Renew the client certificate", "Download a new certificate from the portal."))
	commitAll(t, r, "seed")
}

// hits returns the IDs of the documents matching text in field ("" for
// what desk search looks in), sorted.
func hits(t *testing.T, ix *Index, field, text string) []string {
	t.Helper()
	var q query.Query
	if field == "" {
		q = textQuery(text)
	} else {
		m := bleve.NewMatchQuery(text)
		m.SetField(field)
		q = m
	}
	req := bleve.NewSearchRequestOptions(q, 100, 0, false)
	req.Fields = []string{"id"}
	res, err := ix.idx.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		id, _ := h.Fields["id"].(string)
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func openIndex(t *testing.T, r *repo.Repo) (*Index, Status) {
	t.Helper()
	ix, st, err := Open(context.Background(), r, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, st
}

func wantStatus(t *testing.T, got Status, rebuilt bool, updated, deleted int) {
	t.Helper()
	if got.Rebuilt != rebuilt || got.Updated != updated || got.Deleted != deleted {
		t.Fatalf("status %+v; want rebuilt=%v updated=%d deleted=%d", got, rebuilt, updated, deleted)
	}
}

func TestIndexCatchUp(t *testing.T) {
	r := deskRepo(t)
	seed(t, r)

	var calls, lastDone, lastTotal int
	ix, st, err := Open(context.Background(), r, func(done, total int) { calls++; lastDone, lastTotal = done, total })
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, st, true, 4, 0)
	if st.Reason == "" {
		t.Error("first build gives no reason")
	}
	if calls == 0 || lastDone != 4 || lastTotal != 4 {
		t.Errorf("progress: %d calls, last (%d, %d); want last (4, 4)", calls, lastDone, lastTotal)
	}
	if got := hits(t, ix, "", "打印机"); !slices.Equal(got, []string{"TS-20261122-2"}) {
		t.Errorf("打印机: %v", got)
	}
	if got := hits(t, ix, "body", "certificate"); !slices.Equal(got, []string{"vpn-reconnect"}) {
		t.Errorf("certificate: %v", got)
	}
	if got := hits(t, ix, "body", "adapter"); !slices.Equal(got, []string{"TS-20261122-1"}) {
		t.Errorf("comment note: %v", got)
	}
	doc, err := ix.idx.Document(ticketPath(1))
	if err != nil || doc == nil {
		t.Fatalf("document TS-20261122-1: %v", err)
	}
	ix.Close()

	// Nothing changed: nothing to do.
	ix, st = openIndex(t, r)
	wantStatus(t, st, false, 0, 0)
	ix.Close()

	// A commit changing one ticket.
	writeRepoFile(t, r, ticketPath(1), ticketText(1, "Laptop does not power on", "The frobnicator board is burnt out.", "Checked the adapter"))
	commitAll(t, r, "ticket 1")
	ix, st = openIndex(t, r)
	wantStatus(t, st, false, 1, 0)
	if got := hits(t, ix, "body", "frobnicator"); !slices.Equal(got, []string{"TS-20261122-1"}) {
		t.Errorf("frobnicator after commit: %v", got)
	}
	if got := hits(t, ix, "body", "dark"); len(got) != 0 {
		t.Errorf("old text still found: %v", got)
	}
	ix.Close()

	// An uncommitted edit, and a new uncommitted article.
	writeRepoFile(t, r, ticketPath(2), ticketText(2, "打印机卡纸", "财务部的打印机一直卡纸，quuxwidget 坏了。", "已联系厂商"))
	writeRepoFile(t, r, "kb/printer-jam.md", articleText("Printer jam", "", "Open the zorblax tray."))
	ix, st = openIndex(t, r)
	wantStatus(t, st, false, 2, 0)
	if got := hits(t, ix, "", "quuxwidget"); !slices.Equal(got, []string{"TS-20261122-2"}) {
		t.Errorf("uncommitted edit: %v", got)
	}
	if got := hits(t, ix, "", "zorblax"); !slices.Equal(got, []string{"printer-jam"}) {
		t.Errorf("uncommitted article: %v", got)
	}
	ix.Close()

	// Committing what is already indexed indexes nothing again.
	commitAll(t, r, "ticket 2, article")
	ix, st = openIndex(t, r)
	wantStatus(t, st, false, 0, 0)
	ix.Close()

	// Deleting files, uncommitted and then committed.
	if err := os.Remove(r.Abs(ticketPath(3))); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(r.Abs("kb/vpn-reconnect.md")); err != nil {
		t.Fatal(err)
	}
	ix, st = openIndex(t, r)
	wantStatus(t, st, false, 0, 2)
	if got := hits(t, ix, "", "ERR_1045"); len(got) != 0 {
		t.Errorf("deleted ticket still found: %v", got)
	}
	if got := hits(t, ix, "", "certificate"); len(got) != 0 {
		t.Errorf("deleted article still found: %v", got)
	}
	if n, _ := ix.idx.DocCount(); n != 3 {
		t.Errorf("%d documents; want 3", n)
	}
	ix.Close()
	commitAll(t, r, "delete")
	_, st = openIndex(t, r)
	wantStatus(t, st, false, 0, 0)
}

func TestIndexRenumberedAndBroken(t *testing.T) {
	r := deskRepo(t)
	seed(t, r)
	ix, _ := openIndex(t, r)
	ix.Close()

	// Ticket 3 moves to a new ID; ticket 1 becomes unparsable.
	if err := os.Remove(r.Abs(ticketPath(3))); err != nil {
		t.Fatal(err)
	}
	writeRepoFile(t, r, ticketPath(4), ticketText(4, "VPN drops every hour", "The VPN client disconnects hourly with ERR_1045.", ""))
	writeRepoFile(t, r, ticketPath(1), "+++\ntitle = \n+++\n")
	ix, st := openIndex(t, r)
	wantStatus(t, st, false, 1, 2)
	if got := hits(t, ix, "", "ERR_1045"); !slices.Equal(got, []string{"TS-20261122-4"}) {
		t.Errorf("renumbered ticket: %v", got)
	}
	if got := hits(t, ix, "", "laptop"); len(got) != 0 {
		t.Errorf("unparsable ticket still found: %v", got)
	}
}

// TestIndexRefusesSymlinks: a symlink in place of a ticket, an article, a
// month folder or the kb folder stops the catch-up with an error naming it,
// and nothing the link points to is indexed.
func TestIndexRefusesSymlinks(t *testing.T) {
	elsewhere := t.TempDir()
	writeOut := func(name, text string) string {
		p := filepath.Join(elsewhere, name)
		os.MkdirAll(filepath.Dir(p), 0o777)
		os.WriteFile(p, []byte(text), 0o644)
		return p
	}
	ticketOut := writeOut("12/TS-20261201-1.md", ticketText(1, "outsider secret", "outsider secret", ""))
	articleOut := writeOut("kb/outsider.md", articleText("outsider secret", "outsider secret", "outsider secret"))
	for _, tc := range []struct{ link, target, names string }{
		{"tickets/2026/11/TS-20261122-9.md", ticketOut, "tickets/2026/11/TS-20261122-9.md: is a symbolic link"},
		{"tickets/2026/12", filepath.Dir(ticketOut), "tickets/2026/12: is a symbolic link"},
		{"kb/outsider.md", articleOut, "kb/outsider.md: is a symbolic link"},
		{"kb", filepath.Dir(articleOut), "kb: is a symbolic link"},
	} {
		t.Run(tc.link, func(t *testing.T) {
			r := deskRepo(t)
			seed(t, r)
			ix, _ := openIndex(t, r)
			ix.Close()
			if tc.link == "kb" {
				os.RemoveAll(r.Abs("kb"))
			}
			if err := os.Symlink(tc.target, r.Abs(tc.link)); err != nil {
				t.Fatal(err)
			}
			_, _, err := Open(context.Background(), r, nil)
			var link *repo.SymlinkError
			if !errors.As(err, &link) || !strings.Contains(err.Error(), tc.names) {
				t.Fatalf("err = %v, want a SymlinkError: %s", err, tc.names)
			}
			os.Remove(r.Abs(tc.link))
			if tc.link == "kb" {
				commitAll(t, r, "kb")
			}
			ix, _ = openIndex(t, r)
			if got := hits(t, ix, "", "outsider"); len(got) != 0 {
				t.Errorf("indexed through the link: %v", got)
			}
		})
	}
}

func TestIndexRequesterNotIndexed(t *testing.T) {
	r := deskRepo(t)
	// The requester is named in the title, body and a note too.
	writeRepoFile(t, r, ticketPath(1), ticketText(1, "Zhang Sanfeng cannot log in",
		"ZHANG SANFENG called: mail to zsf.private@corp.example.net bounces.", "Called zhang sanfeng back"))
	commitAll(t, r, "ticket")
	ix, _ := openIndex(t, r)
	for _, q := range []string{"Sanfeng", "Zhang", "zsf.private", "corp.example.net", "zsf"} {
		for _, field := range []string{"", "title", "headings", "body"} {
			if got := hits(t, ix, field, q); len(got) != 0 {
				t.Errorf("%q in %q found: %v", q, field, got)
			}
		}
		// And as desk search asks, typos and all.
		if got := searchText(t, ix.idx, ix.docText, q, 10); len(got) != 0 {
			t.Errorf("desk search %q found %v", q, got)
		}
	}
	if got := hits(t, ix, "body", "bounces"); !slices.Equal(got, []string{"TS-20261122-1"}) {
		t.Errorf("the rest of the text: %v", got)
	}
	if got := hits(t, ix, "body", "finance"); !slices.Equal(got, []string{"TS-20261122-1"}) {
		t.Errorf("requester org: %v", got)
	}
	// Nothing stored holds it either.
	// Snippets are cut from the file, as indexed: without the requester.
	pq, _ := ParseQuery("bounces called back", time.UTC)
	found, err := ix.Search(t.Context(), pq, SearchOptions{})
	if err != nil || len(found.Hits) != 1 || found.Hits[0].Snippet == "" {
		t.Fatalf("search bounces: %+v %v", found, err)
	}
	if s := strings.ToLower(found.Hits[0].Snippet); strings.Contains(s, "sanfeng") || strings.Contains(s, "zsf") {
		t.Errorf("snippet holds the requester: %q", s)
	}
	req := bleve.NewSearchRequest(bleve.NewDocIDQuery([]string{ticketPath(1)}))
	req.Fields = []string{"*"}
	res, err := ix.idx.Search(req)
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("stored fields: %v, %d hits", err, len(res.Hits))
	}
	for name, v := range res.Hits[0].Fields {
		if s := strings.ToLower(fmt.Sprint(v)); strings.Contains(s, "sanfeng") || strings.Contains(s, "zsf") {
			t.Errorf("stored field %s holds %q", name, s)
		}
	}
	if len(res.Hits[0].Fields) < 5 {
		t.Errorf("only %d stored fields: %v", len(res.Hits[0].Fields), res.Hits[0].Fields)
	}
}

func TestIndexRewrittenHistory(t *testing.T) {
	r := deskRepo(t)
	seed(t, r)
	ix, _ := openIndex(t, r)
	ix.Close()

	orphan := gitCmd(t, r, "commit-tree", "HEAD^{tree}", "-m", "orphan")
	gitCmd(t, r, "reset", "-q", "--hard", orphan)
	ix, st := openIndex(t, r)
	wantStatus(t, st, true, 4, 0)
	if !strings.Contains(st.Reason, "does not descend") {
		t.Errorf("reason %q", st.Reason)
	}
	if got := hits(t, ix, "", "打印机"); !slices.Equal(got, []string{"TS-20261122-2"}) {
		t.Errorf("after rebuild: %v", got)
	}
	ix.Close()
	_, st = openIndex(t, r)
	wantStatus(t, st, false, 0, 0)
}

func TestIndexRepairs(t *testing.T) {
	r := deskRepo(t)
	seed(t, r)
	dir := filepath.Join(r.StateDir(), "search")
	build := func() {
		ix, _ := openIndex(t, r)
		ix.Close()
	}
	reopen := func(reason string) {
		t.Helper()
		ix, st, err := Open(context.Background(), r, nil)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		defer ix.Close()
		wantStatus(t, st, true, 4, 0)
		if !strings.Contains(st.Reason, reason) {
			t.Errorf("reason %q; want it to say %q", st.Reason, reason)
		}
		if got := hits(t, ix, "", "打印机"); !slices.Equal(got, []string{"TS-20261122-2"}) {
			t.Errorf("after repair: %v", got)
		}
	}
	// setMeta rewrites (or with nil, deletes) the catch-up record, as an
	// interrupted or older desk would have left it.
	setMeta := func(fn func(m *meta) *meta) {
		t.Helper()
		idx, err := bleve.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer idx.Close()
		data, err := idx.GetInternal([]byte(metaKey))
		if err != nil {
			t.Fatal(err)
		}
		m, err := decodeMeta(data)
		if err != nil {
			t.Fatal(err)
		}
		if n := fn(m); n == nil {
			err = idx.DeleteInternal([]byte(metaKey))
		} else {
			data = n.encode()
			err = idx.SetInternal([]byte(metaKey), data)
		}
		if err != nil {
			t.Fatal(err)
		}
	}

	t.Run("garbage", func(t *testing.T) {
		build()
		n := 0
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			n++
			return os.WriteFile(p, bytes.Repeat([]byte("garbage!"), 512), 0o666)
		})
		if err != nil || n == 0 {
			t.Fatalf("corrupting %d files: %v", n, err)
		}
		reopen("could not be opened")
	})
	t.Run("missing", func(t *testing.T) {
		build()
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		reopen("no search index")
	})
	t.Run("interrupted", func(t *testing.T) {
		build()
		setMeta(func(*meta) *meta { return nil })
		reopen("interrupted")
	})
	t.Run("mapping version", func(t *testing.T) {
		build()
		setMeta(func(m *meta) *meta { m.Version = MappingVersion - 1; return m })
		reopen("mapping version")
	})
	t.Run("commit gone", func(t *testing.T) {
		build()
		setMeta(func(m *meta) *meta { m.Commit = strings.Repeat("ab", 20); return m })
		reopen("no longer in the repository")
	})
	// lookAgain adds a ticket to the folder with the others, so that the
	// next search looks into it, and expects that search to rebuild.
	lookAgain := func(t *testing.T) Status {
		t.Helper()
		writeRepoFile(t, r, ticketPath(9), ticketText(9, "Monitor flickers", "The monitor flickers.", ""))
		t.Cleanup(func() { os.Remove(r.Abs(ticketPath(9))) })
		ix, st, err := Open(context.Background(), r, nil)
		if err != nil {
			t.Fatal(err)
		}
		ix.Close()
		wantStatus(t, st, true, 5, 0)
		return st
	}
	// An update killed after it wrote a folder's file list and before the
	// batch with the header: the list is of a later update than the index.
	t.Run("list ahead", func(t *testing.T) {
		build()
		list := filepath.Join(r.StateDir(), "search-files", "tickets%2F2026%2F11")
		data, err := os.ReadFile(list)
		if err != nil {
			t.Fatal(err)
		}
		gen, files, err := decodeFolder(data)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(list, encodeFolder(gen+1, files), 0o666); err != nil {
			t.Fatal(err)
		}
		if st := lookAgain(t); !strings.Contains(st.Reason, "of update") {
			t.Errorf("reason %q", st.Reason)
		}
	})
	t.Run("list missing", func(t *testing.T) {
		build()
		if err := os.RemoveAll(filepath.Join(r.StateDir(), "search-files")); err != nil {
			t.Fatal(err)
		}
		lookAgain(t)
	})
	t.Run("rebuild", func(t *testing.T) {
		ix, st, err := Create(context.Background(), r, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		wantStatus(t, st, true, 4, 0)
		if n, _ := ix.idx.DocCount(); n != 4 {
			t.Errorf("%d documents after Create; want 4", n)
		}
	})
}

func TestIndexConcurrentOpen(t *testing.T) {
	r := deskRepo(t)
	seed(t, r)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ix, _, err := Open(context.Background(), r, nil)
			if err != nil {
				errs[i] = err
				return
			}
			defer ix.Close()
			if _, err := ix.idx.Search(bleve.NewSearchRequest(bleve.NewMatchQuery("laptop"))); err != nil {
				errs[i] = err
			}
			time.Sleep(200 * time.Millisecond) // hold it: the other one waits
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("opener %d: %v", i, err)
		}
	}

	// Held for longer than Open waits: a clear error.
	old := busyWait
	busyWait = 300 * time.Millisecond
	defer func() { busyWait = old }()
	ix, _ := openIndex(t, r)
	defer ix.Close()
	start := time.Now()
	if _, _, err := Open(context.Background(), r, nil); !errors.Is(err, ErrBusy) {
		t.Errorf("second open while held: %v; want ErrBusy", err)
	} else if !strings.Contains(err.Error(), "the search index is busy") {
		t.Errorf("error %q", err)
	}
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Errorf("gave up after %v without waiting", d)
	}
}

func TestMetaRoundTrip(t *testing.T) {
	m := &meta{Version: MappingVersion, Commit: strings.Repeat("ab", 20), Gen: 9, Folders: map[string]folderStamp{
		"tickets/2026/11": {Mtime: 1763800000123456789, Ino: 42, Scanned: 1763800000000000000, Racy: true, Gen: 9},
		"kb":              {Mtime: -1, Scanned: 5, Gen: 3},
	}}
	data := m.encode()
	got, err := decodeMeta(data)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != m.Version || got.Commit != m.Commit || got.Gen != m.Gen || len(got.Folders) != 2 {
		t.Fatalf("round trip: %+v", got)
	}
	for p, f := range m.Folders {
		if got.Folders[p] != f {
			t.Errorf("%s: %+v, want %+v", p, got.Folders[p], f)
		}
	}
	files := map[string]stamp{
		"TS-20261122-1.md": {Size: 1200, Mtime: 1763800000123456789, Hash: 0xdeadbeefcafe, Doc: true},
		"打印机.md":           {Size: 10, Mtime: -1, Hash: 1},
	}
	fdata := encodeFolder(7, files)
	gen, gotFiles, err := decodeFolder(fdata)
	if err != nil || len(gotFiles) != 2 || gen != 7 {
		t.Fatalf("folder round trip: %v %v", gotFiles, err)
	}
	for n, st := range files {
		if gotFiles[n] != st {
			t.Errorf("%s: %+v, want %+v", n, gotFiles[n], st)
		}
	}
	// Every truncation is an error, never a panic or a wrong record.
	for n := 0; n < len(data); n++ {
		if _, err := decodeMeta(data[:n]); err == nil {
			t.Fatalf("truncated at %d of %d: accepted", n, len(data))
		}
	}
	for n := 0; n < len(fdata); n++ {
		if _, _, err := decodeFolder(fdata[:n]); err == nil {
			t.Fatalf("folder record truncated at %d of %d: accepted", n, len(fdata))
		}
	}
}

// age sets the modification time of every ticket and article file and
// folder an hour back, out of the window in which a catch-up looks again.
func age(t *testing.T, r *repo.Repo) {
	t.Helper()
	old := time.Now().Add(-time.Hour)
	for _, top := range []string{"tickets", "kb"} {
		err := filepath.WalkDir(r.Abs(top), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			return os.Chtimes(p, old, old)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestIndexLooksIntoChangedFolders: a search looks only into the folders
// whose entries changed; desk index (Scan) looks at every file.
func TestIndexLooksIntoChangedFolders(t *testing.T) {
	r := deskRepo(t)
	seed(t, r)
	age(t, r)
	ix, _ := openIndex(t, r)
	ix.Close()

	// A ticket and an article rewritten in place, uncommitted: their
	// folders do not change, so a search does not see them.
	writeRepoFile(t, r, ticketPath(1), ticketText(1, "Laptop does not power on", "The zyxwidget is burnt out.", ""))
	writeRepoFile(t, r, "kb/vpn-reconnect.md", articleText("VPN keeps disconnecting", "", "Ask for a qwopcert."))
	ix, st := openIndex(t, r)
	wantStatus(t, st, false, 0, 0)
	if got := hits(t, ix, "", "zyxwidget qwopcert"); len(got) != 0 {
		t.Errorf("a search looked at every file: %v", got)
	}
	// desk index looks at every file.
	st, err := ix.Scan(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, st, false, 2, 0)
	if got := hits(t, ix, "", "zyxwidget"); !slices.Equal(got, []string{"TS-20261122-1"}) {
		t.Errorf("ticket after Scan: %v", got)
	}
	if got := hits(t, ix, "", "qwopcert"); !slices.Equal(got, []string{"vpn-reconnect"}) {
		t.Errorf("article after Scan: %v", got)
	}
	ix.Close()

	// Saved as editors and git save, by renaming a new file over the old:
	// the folder changes and a search sees it.
	age(t, r)
	ix, _ = openIndex(t, r)
	ix.Close()
	tmp := r.Abs(ticketPath(2)) + ".tmp"
	if err := os.WriteFile(tmp, []byte(ticketText(2, "打印机卡纸", "打印机的搓纸轮磨损了。", "")), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, r.Abs(ticketPath(2))); err != nil {
		t.Fatal(err)
	}
	ix, st = openIndex(t, r)
	wantStatus(t, st, false, 1, 0)
	if got := hits(t, ix, "", "搓纸轮"); !slices.Equal(got, []string{"TS-20261122-2"}) {
		t.Errorf("ticket saved by rename: %v", got)
	}
	ix.Close()

	// A commit of the in-place edit is seen through the commit.
	age(t, r)
	ix, _ = openIndex(t, r)
	ix.Close()
	writeRepoFile(t, r, ticketPath(3), ticketText(3, "VPN drops every hour", "The plumbus needs a reset.", ""))
	commitAll(t, r, "ticket 3")
	ix, st = openIndex(t, r)
	defer ix.Close()
	wantStatus(t, st, false, 1, 0)
	if got := hits(t, ix, "", "plumbus"); !slices.Equal(got, []string{"TS-20261122-3"}) {
		t.Errorf("committed in-place edit: %v", got)
	}
}

// TestRebuildLeavesOneSegment: a new index is merged into one segment, and
// the merged segments' files are gone from disk.
func TestRebuildLeavesOneSegment(t *testing.T) {
	r := deskRepo(t)
	seed(t, r)
	for i := 4; i < 40; i++ {
		writeRepoFile(t, r, ticketPath(i), ticketText(i, fmt.Sprintf("Ticket %d", i), "Printer jams.", ""))
	}
	commitAll(t, r, "more")
	batchSize = 8 // several segments
	t.Cleanup(func() { batchSize = 1024 })
	ix, _, err := Create(context.Background(), r, nil)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	zaps, err := filepath.Glob(filepath.Join(r.StateDir(), "search", "store", "*.zap"))
	if err != nil || len(zaps) != 1 {
		t.Errorf("segment files after a rebuild: %v %v; want one", zaps, err)
	}
}
