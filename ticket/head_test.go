package ticket

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// headOf is the head Parse gives.
func headOf(f *File) Head {
	t := &f.Ticket
	return Head{Status: t.Status, Priority: t.Priority, Category: t.Category, Assignee: t.Assignee, Created: t.Created}
}

// checkHead: when ScanHead answers and Parse accepts the file, both give
// the same head.
func checkHead(t *testing.T, name string, data []byte) (answered bool) {
	t.Helper()
	h, ok := ScanHead(data)
	if !ok {
		return false
	}
	f, err := Parse(name, data)
	if err != nil {
		return true // a file Parse refuses may have a head: see ScanHead
	}
	if want := headOf(f); h.Status != want.Status || h.Priority != want.Priority || h.Category != want.Category ||
		h.Assignee != want.Assignee || !h.Created.Equal(want.Created) {
		t.Fatalf("%s: ScanHead %+v, Parse %+v\n%q", name, h, want, data)
	}
	return true
}

func TestScanHead(t *testing.T) {
	const base = "id = \"TS-20260327-9\"\ntitle = \"会议中频繁掉线 # not a comment\"\nstatus = \"in_progress\"\n" +
		"created = 2026-03-27T08:40:31+08:00\npriority = 'high' # why\ncategory = \"software\"\nassignee = \"liu.min\"\n" +
		"tags = [\"meeting\", \"a]b\"]  # two\n\n[requester]\nname = \"韩勇\"\nstatus = \"not the ticket's\"\n"
	h, ok := ScanHead([]byte("+++\n" + base + "+++\n\n## 描述\n"))
	want := Head{Status: "in_progress", Priority: "high", Category: "software", Assignee: "liu.min",
		Created: time.Date(2026, 3, 27, 8, 40, 31, 0, time.FixedZone("", 8*3600))}
	if !ok || h.Status != want.Status || h.Priority != want.Priority || h.Category != want.Category ||
		h.Assignee != want.Assignee || !h.Created.Equal(want.Created) {
		t.Fatalf("ScanHead = %+v, %v; want %+v", h, ok, want)
	}
	checkHead(t, "base", []byte("+++\n"+base+"+++\n"))

	// Each of these must be left to the parser.
	for name, fm := range map[string]string{
		"no status":             strings.Replace(base, "status = \"in_progress\"\n", "", 1),
		"escape":                strings.Replace(base, `"in_progress"`, `"in\u005fprogress"`, 1),
		"twice":                 base[:strings.Index(base, "\n[")] + "\nstatus = \"closed\"\n",
		"case":                  strings.Replace(base, "status =", "Status =", 1),
		"other case":            strings.Replace(base, "assignee =", "ASSIGNEE =", 1),
		"dotted":                strings.Replace(base, "status =", "status.x = 1\nstatus =", 1),
		"quoted key":            strings.Replace(base, "status =", "\"status\" =", 1),
		"multi-line title":      strings.Replace(base, "title = \"会议中频繁掉线 # not a comment\"", "title = \"\"\"\nstatus = \"closed\"\n\"\"\"", 1),
		"multi-line array":      strings.Replace(base, "tags = [\"meeting\", \"a]b\"]  # two", "tags = [\n\"x\",\n]", 1),
		"array with comment":    strings.Replace(base, "tags = [\"meeting\", \"a]b\"]  # two", "tags = [\"x\", # c\n]", 1),
		"local datetime":        strings.Replace(base, "2026-03-27T08:40:31+08:00", "2026-03-27T08:40:31", 1),
		"space datetime":        strings.Replace(base, "2026-03-27T08:40:31+08:00", "2026-03-27 08:40:31+08:00", 1),
		"fraction":              strings.Replace(base, "2026-03-27T08:40:31+08:00", "2026-03-27T08:40:31.5+08:00", 1),
		"crlf":                  strings.ReplaceAll(base, "\n", "\r\n"),
		"not a string":          strings.Replace(base, `"in_progress"`, `1`, 1),
		"trailing junk":         strings.Replace(base, `"in_progress"`, `"in_progress" x`, 1),
		"multi-line status":     strings.Replace(base, `"in_progress"`, `"""in_progress"""`, 1),
		"control in status":     strings.Replace(base, `"in_progress"`, "\"in\x01progress\"", 1),
		"unterminated":          strings.Replace(base, `"in_progress"`, `"in_progress`, 1),
		"not toml":              "status = \"new\"\njust words\n",
		"table first":           "[requester]\nname = \"x\"\n",
		"inline table unclosed": strings.Replace(base, "tags = [\"meeting\", \"a]b\"]  # two", "x = {a = 1", 1),
	} {
		data := []byte("+++\n" + fm + "+++\n")
		if h, ok := ScanHead(data); ok {
			t.Errorf("%s: ScanHead answered %+v; want it left to the parser", name, h)
		}
	}
	for name, data := range map[string]string{
		"no front matter": "status = \"new\"\n",
		"unclosed":        "+++\nstatus = \"new\"\n",
		"empty":           "+++\n+++\nstatus = \"new\"\n+++\n",
		"bad closing":     "+++\nstatus = \"new\"\n++++\n",
	} {
		if h, ok := ScanHead([]byte(data)); ok {
			t.Errorf("%s: ScanHead answered %+v", name, h)
		}
	}
}

// TestScanHeadCorpus: on the example's tickets and the fast path's
// fixtures, ScanHead agrees with Parse, and answers for every ticket desk
// wrote.
func TestScanHeadCorpus(t *testing.T) {
	for _, dir := range []string{"../examples/helpdesk/tickets", "testdata/fast"} {
		answered := 0
		files := corpusFiles(t, dir)
		for _, path := range files {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if checkHead(t, filepath.Base(path), data) {
				answered++
			}
		}
		t.Logf("%s: ScanHead answered for %d of %d files", dir, answered, len(files))
		if dir == "../examples/helpdesk/tickets" && answered != len(files) {
			t.Errorf("ScanHead answered for %d of %d help desk tickets, want all", answered, len(files))
		}
	}
}

// FuzzScanHead: whenever ScanHead answers for a file Parse accepts, the
// heads agree.
func FuzzScanHead(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkHead(t, "fuzz", data) })
}

// FuzzScanHeadGenerated is FuzzScanHead on documents built from fragments.
func FuzzScanHeadGenerated(f *testing.F) {
	fuzzGenerated(f, func(t *testing.T, fm string) { checkHead(t, "generated", []byte("+++\n"+fm+"\n+++\n")) })
}

func BenchmarkScanHead(b *testing.B) {
	data := benchData(b)
	for b.Loop() {
		if _, ok := ScanHead(data); !ok {
			b.Fatal("no head")
		}
	}
}
