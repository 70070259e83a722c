package repo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/deskhq/desk/kb"
	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/repo/gitdb"
	"github.com/deskhq/desk/ticket"
)

var kbNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))

// newKBRepo makes a desk repository in language lang with a fixed clock.
func newKBRepo(t *testing.T, lang string) (*Repo, Actor) {
	t.Helper()
	for k, v := range map[string]string{"GIT_AUTHOR_NAME": "Li Si", "GIT_AUTHOR_EMAIL": "li.si@example.com",
		"GIT_COMMITTER_NAME": "Li Si", "GIT_COMMITTER_EMAIL": "li.si@example.com", "GIT_CONFIG_NOSYSTEM": "1"} {
		t.Setenv(k, v)
	}
	r, err := Init(t.TempDir(), InitOptions{Language: lang})
	if err != nil {
		t.Fatal(err)
	}
	r.Now = func() time.Time { return kbNow }
	return r, Actor{By: "li.si@example.com", At: kbNow}
}

// gitOut runs git in the repository and returns its output.
func gitOut(t *testing.T, r *Repo, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.Root
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// lastCommit returns the message and the files of HEAD, and fails the test
// unless git sees a clean work tree.
func lastCommit(t *testing.T, r *Repo) (msg string, files []string) {
	t.Helper()
	if st := gitOut(t, r, "status", "--porcelain"); st != "" {
		t.Errorf("git status not clean:\n%s", st)
	}
	msg = gitOut(t, r, "log", "-1", "--format=%B")
	files = strings.Fields(gitOut(t, r, "show", "--name-only", "--format=", "HEAD"))
	return msg, files
}

// commitFile commits a file as if it had been there before.
func commitFile(t *testing.T, r *Repo, path, text string) {
	t.Helper()
	_, err := r.Git.Update(context.Background(), func(tx *gitdb.Tx) (string, error) {
		tx.Put(r.GitPath(path), []byte(text))
		return "add " + path, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCreateArticle(t *testing.T) {
	r, act := newKBRepo(t, "en")
	ctx := context.Background()
	commitFile(t, r, "kb/vpn-error-809.md", "+++\ntitle = \"VPN\"\nstatus = \"draft\"\n+++\n")
	for _, tc := range []struct {
		name     string
		n        NewArticle
		at       time.Time
		wantPath string
		wantErr  string // "usage: …" or "refused: …"
		wantText []string
	}{
		{name: "slug from the title, every key", wantPath: "kb/laptop-does-not-power-on.md",
			n: NewArticle{Title: "  Laptop does\tnot power on ", Category: "hardware", Tags: []string{"laptop", " power", "laptop", ""},
				Summary: "Hold the power\nbutton.", Owner: "li.si", Body: "Charge it.\r\n"},
			wantText: []string{"+++\ntitle = \"Laptop does not power on\"\nstatus = \"draft\"\ncategory = \"hardware\"\ntags = [\"laptop\", \"power\"]\n" +
				"summary = \"Hold the power button.\"\nowner = \"li.si\"\ncreated = 2026-11-23T12:00:00+08:00\n+++\n\nCharge it.\n"}},
		{name: "a Chinese title with --slug", n: NewArticle{Title: "打印机卡纸", Slug: "printer-paper-jam"}, wantPath: "kb/printer-paper-jam.md",
			wantText: []string{"title = \"打印机卡纸\"\n", "status = \"draft\"\n"}},
		{name: "--at sets created", n: NewArticle{Title: "Outlook offline"}, at: kbNow.Add(-48 * time.Hour), wantPath: "kb/outlook-offline.md",
			wantText: []string{"created = 2026-11-21T12:00:00+08:00\n"}},
		{name: "a Chinese title needs --slug", n: NewArticle{Title: "打印机卡纸"}, wantErr: "usage: choose one with --slug"},
		{name: "no title", n: NewArticle{Slug: "x"}, wantErr: "usage: --title is required"},
		{name: "a slug that is not one", n: NewArticle{Title: "x", Slug: "Printer_Jam"}, wantErr: `usage: --slug "Printer_Jam" is not a slug: use lowercase letters, digits and single hyphens, e.g. printer-jam`},
		{name: "a category with a slash", n: NewArticle{Title: "x", Category: "a/b"}, wantErr: "usage: without slashes"},
		{name: "a time in the future", n: NewArticle{Title: "Later"}, at: kbNow.Add(time.Hour), wantErr: "usage: is in the future"},
		{name: "an existing slug names the file", n: NewArticle{Title: "VPN error 809"}, wantErr: "refused: kb/vpn-error-809.md already exists"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			head := gitOut(t, r, "rev-parse", "HEAD")
			a := act
			if !tc.at.IsZero() {
				a.At = tc.at
			}
			f, err := r.CreateArticle(ctx, tc.n, a)
			if tc.wantErr != "" {
				if got := errKind(err); !strings.HasPrefix(got, tc.wantErr[:strings.Index(tc.wantErr, ":")]) || !strings.Contains(got, tc.wantErr[strings.Index(tc.wantErr, ":")+2:]) {
					t.Fatalf("error %q, want %q", got, tc.wantErr)
				}
				if now := gitOut(t, r, "rev-parse", "HEAD"); now != head {
					t.Errorf("a refused article was committed")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f.Path != tc.wantPath || f.Article.Status != "draft" {
				t.Errorf("path %s status %s, want %s draft", f.Path, f.Article.Status, tc.wantPath)
			}
			data, _ := os.ReadFile(r.Abs(tc.wantPath))
			for _, w := range tc.wantText {
				if !strings.Contains(string(data), w) {
					t.Errorf("file lacks %q:\n%s", w, data)
				}
			}
			msg, files := lastCommit(t, r)
			slug := kb.SlugOf(tc.wantPath)
			if !strings.HasPrefix(msg, slug+": new article: ") || !strings.Contains(msg, "\n\nDesk-Article: "+slug+"\nDesk-Action: create\n") {
				t.Errorf("commit message:\n%s", msg)
			}
			if !slices.Equal(files, []string{tc.wantPath}) {
				t.Errorf("commit holds %v, want only %s", files, tc.wantPath)
			}
		})
	}
}

// errKind renders an error as "usage: …", "refused: …", "missing: …" or
// "other: …", as the command line would map it to an exit status.
func errKind(err error) string {
	var (
		u  *UsageError
		rf *RefusedError
		nf *NotFoundError
	)
	switch {
	case err == nil:
		return "nil"
	case errors.As(err, &u):
		return "usage: " + err.Error()
	case errors.As(err, &rf):
		return "refused: " + err.Error()
	case errors.As(err, &nf):
		return "missing: " + err.Error()
	}
	return "other: " + err.Error()
}

func TestMoveArticle(t *testing.T) {
	r, _ := newKBRepo(t, "en")
	ctx := context.Background()
	// A comment, an unknown key and odd spacing: all kept byte for byte.
	const article = "+++\ntitle = \"Printer jams\"   # short\nstatus = \"draft\" # lifecycle\nx_custom = 1\ntickets = [\"TS-20261120-1\"]\n+++\n\nOpen tray 2.\n"
	commitFile(t, r, "kb/printer-jam.md", article)
	commitFile(t, r, "kb/empty.md", "+++\ntitle = \"Empty\"\nstatus = \"draft\"\n+++\n")
	commitFile(t, r, "kb/leaky.md", "+++\ntitle = \"Leaky\"\nstatus = \"draft\"\ntickets = [\"TS-20261120-1\"]\n+++\n\nAsk Wang Fang, or call\n13812345678.\n")
	commitFile(t, r, "tickets/2026/11/TS-20261120-1.md", ticketFixture("closed", "Wang Fang", "Sales", "wang.fang@corp.cn", "", "x", "y"))
	for _, tc := range []struct {
		name, slug, to string
		want           string // "" for success, else "refused: …" etc.
	}{
		{"draft → review", "printer-jam", "review", ""},
		{"review → published", "printer-jam", "published", ""},
		{"published does not go back to review", "printer-jam", "review", "refused: the lifecycle does not allow published → review; from published it allows archived, draft"},
		{"published → archived", "printer-jam", "archived", ""},
		{"archived → draft, for a rewrite", "printer-jam", "draft", ""},
		{"no move to the same status", "printer-jam", "draft", "refused: printer-jam: already draft"},
		{"a draft is not published unreviewed", "printer-jam", "published", "refused: from draft it allows review"},
		{"an unknown status", "printer-jam", "done", `refused: unknown status "done"; the statuses are draft, review, published, archived`},
		{"review needs a body", "empty", "review", "refused: kb/empty.md has no text below its front matter"},
		{"review needs no personal data", "leaky", "review", "refused: kb/leaky.md:7:5: a requester's name"},
		{"the phone number is named by its line, masked", "leaky", "review", "refused: kb/leaky.md:8:1: phone number 1*********8"},
		{"a missing article", "no-such", "review", "missing: no article no-such: kb/no-such.md does not exist"},
		{"not a slug", "../x", "review", `usage: "../x" is not a slug`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := "kb/" + tc.slug + ".md"
			before, _ := os.ReadFile(r.Abs(path))
			head := gitOut(t, r, "rev-parse", "HEAD")
			f, from, err := r.MoveArticle(ctx, tc.slug, tc.to)
			if tc.want != "" {
				got := errKind(err)
				kind, text, _ := strings.Cut(tc.want, ": ")
				if !strings.HasPrefix(got, kind+":") || !strings.Contains(got, text) {
					t.Fatalf("error %q, want %q", got, tc.want)
				}
				if strings.Contains(got, "13812345678") || strings.Contains(got, "Wang Fang") {
					t.Errorf("the message repeats the personal data: %s", got)
				}
				after, _ := os.ReadFile(r.Abs(path))
				if string(after) != string(before) || gitOut(t, r, "rev-parse", "HEAD") != head {
					t.Errorf("a refused move changed something")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			after, _ := os.ReadFile(r.Abs(path))
			// Only the status line changes.
			bl, al := strings.Split(string(before), "\n"), strings.Split(string(after), "\n")
			if len(bl) != len(al) {
				t.Fatalf("line count changed:\n%s", after)
			}
			for i := range bl {
				if bl[i] != al[i] && !(strings.HasPrefix(bl[i], "status = \""+from+"\" # lifecycle") && al[i] == "status = \""+tc.to+"\" # lifecycle") {
					t.Errorf("line %d changed: %q → %q", i+1, bl[i], al[i])
				}
			}
			if f.Article.Status != tc.to {
				t.Errorf("status %s, want %s", f.Article.Status, tc.to)
			}
			msg, files := lastCommit(t, r)
			if want := fmt.Sprintf("%s: %s → %s\n\nDesk-Article: %s\nDesk-Action: transition\n", tc.slug, from, tc.to, tc.slug); strings.TrimRight(msg, "\n") != strings.TrimRight(want, "\n") {
				t.Errorf("commit message %q, want %q", msg, want)
			}
			if !slices.Equal(files, []string{path}) {
				t.Errorf("commit holds %v", files)
			}
		})
	}
}

// ticketFixture is a ticket of 2026-11-20 that went new → in_progress →
// resolved (→ closed, → archived as status asks), with the given requester
// and sections.
func ticketFixture(status, name, org, contact, title, desc, resolution string) string {
	if title == "" {
		title = "Printer jams on every job"
	}
	events := `[[events]]
at = 2026-11-20T09:00:00+08:00
by = "a@example.com"
action = "create"
to = "new"

[[events]]
at = 2026-11-20T09:10:00+08:00
by = "li.si@example.com"
action = "transition"
from = "new"
to = "in_progress"

[[events]]
at = 2026-11-20T09:20:00+08:00
by = "li.si@example.com"
action = "comment"
note = "Internal: the supplier's contract 4711 is overdue"

[[events]]
at = 2026-11-20T09:25:00+08:00
by = "li.si@example.com"
action = "reply"
note = "We have ordered a new roller"
public = true
`
	steps := map[string][]string{
		"in_progress": nil,
		"resolved":    {"in_progress", "resolved"},
		"closed":      {"in_progress", "resolved", "resolved", "closed"},
		"archived":    {"in_progress", "resolved", "resolved", "closed", "closed", "archived"},
		"reopened":    {"in_progress", "resolved", "resolved", "in_progress"},
	}[status]
	for i := 0; i+1 < len(steps); i += 2 {
		events += fmt.Sprintf("\n[[events]]\nat = 2026-11-20T1%d:00:00+08:00\nby = \"li.si@example.com\"\naction = \"transition\"\nfrom = %q\nto = %q\n", i/2, steps[i], steps[i+1])
	}
	if status == "reopened" {
		status = "in_progress"
	}
	return fmt.Sprintf(`+++
id = "TS-20261120-1"
title = %q
status = %q
created = 2026-11-20T09:00:00+08:00
channel = "phone"
category = "hardware"
tags = ["printer", "wang-fang"]

[requester]
name = %q
org = %q
contact = %q

%s+++

## Description

%s

## Analysis

The pickup roller is worn; 3rd floor only.

## Handling record

- 2026-11-20 09:30 li.si@example.com: Cleaned the roller.

## Resolution

%s
`, title, status, name, org, contact, events, desc, resolution)
}

func TestConfigResolved(t *testing.T) {
	c := config.Default("en")
	for _, tc := range []struct {
		status string
		want   bool
	}{
		{"in_progress", false}, {"resolved", true}, {"closed", true}, {"archived", true}, {"reopened", false},
	} {
		f, err := ticket.Parse("t.md", []byte(ticketFixture(tc.status, "A B", "", "c", "", "d", "r")))
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Resolved(&f.Ticket); got != tc.want {
			t.Errorf("%s: Resolved = %v, want %v", tc.status, got, tc.want)
		}
	}
	// Archived straight from new (closed as a duplicate, say) was closed,
	// which counts as resolved in the default workflow; a custom final status
	// reached without resolving does not.
	c.Workflow.Statuses = append(c.Workflow.Statuses, "rejected")
	c.Workflow.Transitions["new"] = append(c.Workflow.Transitions["new"], "rejected")
	rej := &ticket.Ticket{Status: "rejected", Events: []ticket.Event{{Action: "create", To: "new"}, {Action: "transition", From: "new", To: "rejected"}}}
	if c.Resolved(rej) {
		t.Errorf("a ticket rejected from new counts as resolved")
	}
}

func TestArticleFromTicket(t *testing.T) {
	const id = "TS-20261120-1"
	const tpath = "tickets/2026/11/TS-20261120-1.md"
	desc := "Wang Fang (Sales) reports jams on every job.\nCall her on 13912345678 or wang.fang@corp.cn; her colleague li.ming@corp.cn too."
	for _, tc := range []struct {
		name, lang, status, title, slug string
		resolution                      string
		want                            string   // error, "" for success
		wantPath                        string   // of the article
		wantIn, wantOut                 []string // text the article holds, and must not
	}{
		{name: "resolved, English", lang: "en", status: "resolved", resolution: "Replaced the roller. Wang Fang confirmed.",
			wantPath: "kb/printer-jams-on-every-job.md",
			wantIn: []string{"title = \"Printer jams on every job\"\n", "status = \"draft\"\n", "category = \"hardware\"\n",
				"tags = [\"printer\"]\n", "owner = \"li.si@example.com\"\n", "created = 2026-11-23T12:00:00+08:00\n", "tickets = [\"TS-20261120-1\"]\n",
				"summary = \"Replaced the roller. [requester] confirmed.\"\n",
				"## Description\n\n[requester] ([department]) reports jams", "Call her on 1*********8 or [contact]; her colleague l*************n too.",
				"## Analysis\n\nThe pickup roller is worn", "## Resolution\n\nReplaced the roller."},
			wantOut: []string{"Wang Fang", "Sales", "wang.fang", "13912345678", "li.ming@corp.cn", "Handling record", "Cleaned the roller", "wang-fang",
				"contract 4711", "ordered a new roller"}}, // the log, internal notes above all, is never copied
		{name: "archived after closing, with --slug", lang: "en", status: "archived", slug: "roller-wear", resolution: "New roller.",
			wantPath: "kb/roller-wear.md", wantIn: []string{"tickets = [\"TS-20261120-1\"]"}},
		{name: "Chinese: headings of the language, slug from the ID", lang: "zh", status: "closed", title: "打印机卡纸",
			resolution: "更换搓纸轮后恢复正常。", wantPath: "kb/ts-20261120-1.md",
			wantIn:  []string{"## 问题描述\n\n【报修人】（【部门】）", "## 问题分析", "## 处理结果\n\n更换搓纸轮后恢复正常。"},
			wantOut: []string{"王芳", "销售部", "技术处理过程"}},
		{name: "an open ticket is refused", lang: "en", status: "in_progress", resolution: "x",
			want: "refused: TS-20261120-1: the ticket is in_progress; an article is drafted from a resolved ticket (status resolved or closed"},
		{name: "a reopened ticket is refused", lang: "en", status: "reopened", resolution: "x", want: "refused: the ticket is in_progress"},
		{name: "no resolution, nothing to write up", lang: "en", status: "closed", resolution: "<!-- to do -->",
			want: "refused: the section ## Resolution of tickets/2026/11/TS-20261120-1.md is empty"},
		{name: "an existing slug names the file", lang: "en", status: "closed", slug: "taken", resolution: "x",
			want: "refused: kb/taken.md already exists"},
		{name: "a bad slug", lang: "en", status: "closed", slug: "No Good", resolution: "x", want: `usage: --slug "No Good" is not a slug`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, act := newKBRepo(t, tc.lang)
			d, name, org := desc, "Wang Fang", "Sales"
			if tc.lang == "zh" {
				d, name, org = "王芳（销售部）报修：每次打印都卡纸，电话 13912345678。", "王芳", "销售部"
			}
			text := ticketFixture(tc.status, name, org, "wang.fang@corp.cn", tc.title, d, tc.resolution)
			for _, key := range []string{"description", "analysis", "handling", "resolution"} {
				text = strings.Replace(text, "## "+config.Default("en").Heading(key)+"\n", "## "+r.Config.Heading(key)+"\n", 1)
			}
			commitFile(t, r, tpath, text)
			commitFile(t, r, "kb/taken.md", "+++\ntitle = \"Taken\"\nstatus = \"draft\"\n+++\n")
			tBefore, _ := os.ReadFile(r.Abs(tpath))
			head := gitOut(t, r, "rev-parse", "HEAD")

			art, tf, err := r.ArticleFromTicket(context.Background(), id, FromTicket{Slug: tc.slug}, act)
			if tc.want != "" {
				got := errKind(err)
				kind, text, _ := strings.Cut(tc.want, ": ")
				if !strings.HasPrefix(got, kind+":") || !strings.Contains(got, text) {
					t.Fatalf("error %q, want %q", got, tc.want)
				}
				tAfter, _ := os.ReadFile(r.Abs(tpath))
				if string(tAfter) != string(tBefore) || gitOut(t, r, "rev-parse", "HEAD") != head {
					t.Errorf("a refused draft changed something")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if art.Path != tc.wantPath {
				t.Fatalf("article at %s, want %s", art.Path, tc.wantPath)
			}
			data, _ := os.ReadFile(r.Abs(art.Path))
			for _, w := range tc.wantIn {
				if !strings.Contains(string(data), w) {
					t.Errorf("the article lacks %q:\n%s", w, data)
				}
			}
			for _, w := range tc.wantOut {
				if strings.Contains(string(data), w) {
					t.Errorf("the article holds %q:\n%s", w, data)
				}
			}
			// What desk check would report once the article is in review.
			if m := kb.FindPersonalData(data, []string{name, "wang.fang@corp.cn"}); len(m) > 0 {
				t.Errorf("personal data left: %+v", m)
			}
			// Linked both ways, in one commit of both files.
			slug := art.Slug
			if !slices.Equal(tf.Ticket.KB, []string{slug}) {
				t.Errorf("ticket kb = %v, want [%s]", tf.Ticket.KB, slug)
			}
			last := tf.Ticket.Events[len(tf.Ticket.Events)-1]
			if last.Action != "link" || last.Field != "kb" || last.Value != slug || !last.At.Equal(kbNow) || last.By != act.By {
				t.Errorf("last event %+v, want a link of %s", last, slug)
			}
			if tf.Ticket.Status != ticketStatusOf(tBefore) {
				t.Errorf("the link changed the status to %s", tf.Ticket.Status)
			}
			msg, files := lastCommit(t, r)
			if want := []string{art.Path, tpath}; !slices.Equal(files, want) {
				t.Errorf("commit holds %v, want %v", files, want)
			}
			for _, w := range []string{slug + ": draft from " + id + ": ", "\n\nDesk-Article: " + slug + "\n", "\nDesk-Ticket: " + id + "\n", "\nDesk-Action: from-ticket\n"} {
				if !strings.Contains(msg, w) {
					t.Errorf("commit message lacks %q:\n%s", w, msg)
				}
			}
			// The ticket changed only by its kb line and the new event.
			tAfter, _ := os.ReadFile(r.Abs(tpath))
			want := strings.Replace(string(tBefore), "tags = [\"printer\", \"wang-fang\"]\n", "tags = [\"printer\", \"wang-fang\"]\nkb = [\""+slug+"\"]\n", 1)
			if !strings.HasPrefix(string(tAfter), want[:strings.Index(want, "\n+++\n")]) {
				t.Errorf("the ticket changed more than its kb list and log:\n%s", tAfter)
			}
			// A second draft from the same ticket needs another slug.
			if _, _, err := r.ArticleFromTicket(context.Background(), id, FromTicket{Slug: slug}, act); !strings.Contains(errKind(err), "refused: ") {
				t.Errorf("a second draft at the same slug: %v", err)
			}
		})
	}
}

func ticketStatusOf(data []byte) string {
	f, err := ticket.Parse("t.md", data)
	if err != nil {
		return ""
	}
	return f.Ticket.Status
}

// Articles lists every article and reports the unreadable ones by path.
func TestArticles(t *testing.T) {
	r, _ := newKBRepo(t, "en")
	for name, text := range map[string]string{
		"b.md":   "+++\ntitle = \"B\"\nstatus = \"published\"\nreview_by = 2027-01-31\n+++\n",
		"a.md":   "+++\ntitle = \"A\"\nstatus = \"draft\"\n+++\n",
		"bad.md": "+++\ntitle = \n+++\n",
	} {
		if err := os.WriteFile(filepath.Join(r.Root, "kb", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, bad, err := r.Articles()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Slug != "a" || files[1].Slug != "b" {
		t.Fatalf("files %v", files)
	}
	if len(bad) != 1 || !strings.HasPrefix(bad[0].Error(), "kb/bad.md:2:") {
		t.Errorf("bad %v, want kb/bad.md with its line", bad)
	}
}
