package sitesearch

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixtureDocs is a small knowledge base in Chinese and English.
func fixtureDocs() []Doc {
	docs := []Doc{
		{URL: "kb/printer-jam/", Title: "打印机卡纸怎么办", Lang: "zh", Category: "hardware", Tags: []string{"打印机"},
			Summary: "打印机卡纸时先关机，再取出纸张。",
			Text:    "打印机卡纸是常见故障。先关闭电源，打开前盖，轻轻取出卡住的纸张，不要用力拉扯。"},
		{URL: "kb/printer-driver/", Title: "安装打印机驱动", Lang: "zh", Category: "hardware", Tags: []string{"打印机"},
			Summary: "从厂商网站下载并安装打印机驱动程序。",
			Text:    "打开设备管理器，找到打印机，右键选择更新驱动程序。驱动安装完成后重启电脑。"},
		{URL: "kb/vpn-err-1045/", Title: "VPN 登录报错 ERR_1045", Lang: "zh", Category: "network", Tags: []string{"vpn"},
			Summary: "VPN 客户端登录时报错 ERR_1045 的处理方法。",
			Text:    "ERR_1045 表示账号密码错误或账号已锁定。请先在门户重置密码，再重新登录 VPN 客户端。"},
		{URL: "kb/upgrade-v2-1/", Title: "升级到 v2.1 后无法登录", Lang: "zh", Category: "software",
			Summary: "客户端升级到 v2.1 后登录失败的解决办法。",
			Text:    "升级到 v2.1 后，旧的配置文件不再兼容。删除配置目录后重新登录即可。"},
		{URL: "kb/tidb-fast-ddl/", Title: "提升 TiDB 建表性能", Lang: "zh", Category: "database", Tags: []string{"tidb"},
			Summary: "介绍 TiDB 加速建表中的概念、原理、实现和影响。",
			Text:    "通过 tidb_enable_fast_create_table 系统变量开启加速建表后，批量建表的速度更快。"},
		{URL: "kb/tidb-slow-query/", Title: "TiDB 慢查询日志", Lang: "zh", Category: "database", Tags: []string{"tidb"},
			Summary: "如何阅读 TiDB 的慢查询日志。",
			Text:    "慢查询日志记录执行时间超过阈值的语句。{{< copyable \"sql\" >}} SELECT * FROM slow_query;"},
		{URL: "kb/bsod-printing/", Title: "Blue screen 0x0000011B when printing", Lang: "en", Category: "hardware",
			Summary: "Windows stops with error 0x0000011B when printing to a shared printer.",
			Text:    "Install the latest cumulative update, then set the RPC authentication level on the print server."},
		{URL: "kb/tar/", Title: "tar", Lang: "en", Category: "common", Tags: []string{"cli"},
			Summary: "Archiving utility.",
			Text:    "Create an archive from files: tar cf {{path/to/target.tar}} {{path/to/file1 path/to/file2}}. Extract an archive: tar xf {{source.tar}}."},
		{URL: "kb/git/", Title: "git", Lang: "en", Category: "common", Tags: []string{"cli"},
			Summary: "Distributed version control system.",
			Text:    "Create an empty Git repository. Commit changes. Show the history of commits. Push commits to a remote."},
		{URL: "kb/git-commit/", Title: "git commit", Lang: "en", Category: "common", Tags: []string{"cli"},
			Summary: "Commit files to the repository.",
			Text:    "Commit staged files to the repository with a message. git commit git commit git commit amend the last commit."},
		{URL: "kb/git-commit-graph/", Title: "git commit-graph", Lang: "en", Category: "common", Tags: []string{"cli"},
			Summary: "Write and verify Git commit-graph files.",
			Text:    "Write a commit-graph file for the packed commits in the repository's local .git directory. git commit git commit."},
		{URL: "kb/at/", Title: "at", Lang: "en", Category: "linux", Tags: []string{"cli"},
			Summary: "Execute commands once at a later time.",
			Text:    "Schedule a command to run at a specific time. The results are sent by mail."},
		{URL: "kb/caching-proxy/", Title: "Caching proxies explained", Lang: "en", Category: "network",
			Summary: "How a proxy caches pages and when the cache is bypassed.",
			Text:    "A caching proxy keeps copies of responses. Cached pages are served until they expire."},
		{URL: "kb/escaping/", Title: `<img src=x onerror="window.pwned=1"> & "quotes" \ escaping`, Lang: "en", Category: "security",
			Summary: "Titles are <b>text</b>, never markup.\u2028Line separator.",
			Text:    "Escaping matters for every title and snippet."},
		{URL: "kb/constructor/", Title: "constructor", Lang: "en", Category: "code",
			Summary: "The constructor of a class.", Text: "toString valueOf hasOwnProperty __proto__"},
	}
	// Filler articles so the index has many shards and chunks.
	words := strings.Fields("network disk memory login password account backup restore driver update " +
		"server client proxy firewall certificate mailbox calendar monitor keyboard battery")
	zh := []rune("网络磁盘内存账号密码备份恢复服务器客户端防火墙证书邮箱日历显示器键盘电池")
	for i := range 40 {
		var en, cn strings.Builder
		for k := range 30 {
			en.WriteString(words[(i*7+k*k)%len(words)] + " ")
			cn.WriteRune(zh[(i*5+k*3)%len(zh)])
		}
		docs = append(docs, Doc{
			URL: fmt.Sprintf("kb/note-%02d/", i), Title: fmt.Sprintf("Note %d %s", i, words[i%len(words)]),
			Lang: "en", Category: "notes", Summary: "A note.", Text: en.String() + " " + cn.String(),
		})
	}
	return docs
}

// writeSite writes a small static site for docs under dir: pages with the
// search box, the search page, the article pages, the script and the index.
func writeSite(t testing.TB, dir string, docs []Doc, lay layout) Stats {
	t.Helper()
	page := func(rel, root, lang, title, body string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		s := fmt.Sprintf(`<!doctype html>
<html lang="%s" data-root="%s"><head><meta charset="utf-8"><title>%s</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'">
<script src="%sassets/search.js" defer></script></head>
<body><form role="search" action="%ssearch/" class="search"><input type="search" id="search-input" name="q" autocomplete="off" aria-label="Search"></form>
<div id="search-results" aria-live="polite"></div>
<main><h1>%s</h1>%s</main></body></html>
`, lang, root, html.EscapeString(title), root, root, html.EscapeString(title), body)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	page("index.html", "", "en", "Knowledge base", "")
	page("search/index.html", "../", "en", "Search", "")
	page("zh/index.html", "../", "zh-CN", "知识库", "")
	for _, d := range docs {
		page(d.URL+"index.html", "../../", d.Lang, d.Title, "<p>"+html.EscapeString(d.Text)+"</p>")
	}
	if err := os.MkdirAll(filepath.Join(dir, "assets"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "favicon.ico"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "assets", "search.js"), Script, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := write(filepath.Join(dir, "search"), docs, lay)
	if err != nil {
		t.Fatal(err)
	}
	return st
}
