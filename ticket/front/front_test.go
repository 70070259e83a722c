package front

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

func fixture(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/ticket.md")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustParse(t testing.TB, s string) *Doc {
	t.Helper()
	d, err := Parse([]byte(s))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, s)
	}
	return d
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		line, col int
		msg       string // substring
	}{
		{"empty file", "", 1, 1, "empty file"},
		{"only a byte-order mark is empty", "\ufeff", 1, 1, "empty file"},
		{"no opening line", "id = 1\n+++\n", 1, 1, "file must start with a line +++"},
		{"opening line with trailing space is not +++", "+++ \nid = 1\n+++\n", 1, 1, "file must start with a line +++"},
		{"opening line alone", "+++", 1, 1, "file must start with a line +++"},
		{"missing closing line", "+++\nid = 1\n", 1, 1, "front matter not closed: no line +++ after line 1"},
		{"indented +++ does not close", "+++\nid = 1\n +++\nbody\n", 1, 1, "front matter not closed"},
		{"binary garbage", "+++\nid = 1\n+++\n\x7fELF\x02\x01\x01\x00\x00\x00", 4, 8, "NUL byte"},
		{"NUL in front matter", "+++\nid = \"a\x00b\"\n+++\n", 2, 8, "NUL byte"},
		{"invalid UTF-8 at the first bad byte", "+++\ntitle = \"中文\xff\"\n+++\n", 2, 12, "invalid UTF-8"},
		{"invalid UTF-8 in the body", "+++\n+++\nok\nab\xc3(\n", 4, 3, "invalid UTF-8"},
		{"invalid TOML: missing value", "+++\nid = \"x\"\ntitle = \n+++\n", 3, 9, "expected value"},
		{"invalid TOML: columns count runes", "+++\nx = \"中文\" y\n+++\n", 2, 9, "top-level item"},
		{"invalid TOML: duplicate key", "+++\na = 1\na = 2\n+++\n", 3, 1, "already been defined"},
		{"invalid TOML after CRLF and BOM", "\ufeff+++\r\nid = 1\r\nx = [1,\r\n+++\r\n", 3, 8, "unexpected EOF"},
		{"a second block is body, so its +++ does not hide an error", "+++\na = \n+++\nb = 1\n+++\n", 2, 5, "expected value"},
		{"unquoted Chinese key", "+++\n问题 = 1\n+++\n", 2, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			if e.Line != tt.line || e.Col != tt.col || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("got %q, want line %d, column %d, containing %q", e.Error(), tt.line, tt.col, tt.msg)
			}
			if !strings.HasPrefix(e.Error(), "line ") {
				t.Errorf("Error() = %q", e.Error())
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // "" = same as in
		body string
		line int // BodyLine
	}{
		{"realistic ticket is byte-identical", string(fixture(t)), "", "", 0},
		{"BOM and CRLF become plain LF", "\ufeff+++\r\nid = \"x\"\r\n+++\r\nbody\r\nline\r\n", "+++\nid = \"x\"\n+++\nbody\nline\n", "body\nline\n", 4},
		{"lone CR in the body is kept", "+++\n+++\na\rb\n", "", "a\rb\n", 3},
		{"empty front matter", "+++\n+++\nbody\n", "", "body\n", 3},
		{"closing line at end of file without newline", "+++\nid = 1\n+++", "", "", 4},
		{"doubled +++: the second is body", "+++\n+++\n+++\nid = 1\n+++\n", "", "+++\nid = 1\n+++\n", 3},
		{"second front-matter block is body", "+++\na = 1\n+++\n+++\nb = 2\n+++\n", "", "+++\nb = 2\n+++\n", 4},
		{"Chinese values and quoted keys", "+++\ntitle = \"笔记本无法开机\"\n\"问题\" = \"电源\"\n[\"处理\"]\n\"结果\" = '已解决'\n+++\n## 问题描述\n", "", "## 问题描述\n", 7},
		{"comments, odd spacing and unknown keys kept", "+++\n# top\n  id=1   # one\n\n[x]  # t\n  \"a b\" = { c = 1 ,d=[ 1,2 ] }\n+++\n", "", "", 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.in)
			want := tt.want
			if want == "" {
				want = tt.in
			}
			if got := string(d.Bytes()); got != want {
				t.Errorf("Bytes() =\n%q\nwant\n%q", got, want)
			}
			if tt.body != "" && string(d.Body()) != tt.body {
				t.Errorf("Body() = %q, want %q", d.Body(), tt.body)
			}
			if tt.line != 0 && d.BodyLine() != tt.line {
				t.Errorf("BodyLine() = %d, want %d", d.BodyLine(), tt.line)
			}
			if _, err := Parse(d.Bytes()); err != nil {
				t.Errorf("re-parse: %v", err)
			}
		})
	}
}

func TestFrontMatterAndDecode(t *testing.T) {
	d := mustParse(t, "+++\nid = \"x\"\nn = 3\n+++\nbody\n")
	if got := string(d.FrontMatter()); got != "id = \"x\"\nn = 3\n" {
		t.Errorf("FrontMatter() = %q", got)
	}
	var v struct {
		ID string `toml:"id"`
		N  int    `toml:"n"`
	}
	if _, err := d.Decode(&v); err != nil || v.ID != "x" || v.N != 3 {
		t.Errorf("Decode = %+v, %v", v, err)
	}
	// A type mismatch is reported at the key, in file lines.
	var bad struct {
		N string `toml:"n"`
	}
	_, err := d.Decode(&bad)
	var e *Error
	if !errors.As(err, &e) || e.Line != 3 || e.Col != 1 || !strings.Contains(e.Msg, "incompatible") {
		t.Errorf("Decode mismatch: %v", err)
	}
	// Decode of unvalidated invalid TOML gives file positions.
	d2, err := ParseNoValidate([]byte("+++\na = 1\nb = [\n+++\n"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_, err = d2.Decode(&m)
	if !errors.As(err, &e) || e.Line != 3 || e.Col != 6 {
		t.Errorf("Decode invalid: %v", err)
	}
}

func TestPositions(t *testing.T) {
	ticket := fixture(t)
	crlf := "\ufeff" + strings.ReplaceAll(string(ticket), "\n", "\r\n")
	tricky := `+++
id = "x"
requester.name = "Zhang San"
requester.org = "Finance"
"问题" = "电源"
note = """
key = x
[table]
[[events]]
 +++ 
"""
lit = '''
[feedback]
'''
arr = [ # comment with ] and [x]
  "a", # one
  # two = 2
  "b",
]
inline = { a = 1, b = { c = "中" }, "d e" = [1, 2] }
logs = [{ at = 1, to = "new" }, { at = 2, to = "done" }]

  [feedback]   # table comment
  rating = "satisfied"

[[events]]
to = "new"

[[events]]
  to   = "triaged" # second
+++
## Description
`
	tests := []struct {
		name string
		src  string
		get  func(d *Doc) (Pos, bool)
		want Pos
		ok   bool
	}{
		{"top-level key", string(ticket), func(d *Doc) (Pos, bool) { return d.Key("id") }, Pos{2, 1}, true},
		{"key in a table", string(ticket), func(d *Doc) (Pos, bool) { return d.Key("requester", "name") }, Pos{18, 1}, true},
		{"key in the 2nd [[events]] entry", string(ticket), func(d *Doc) (Pos, bool) { return d.KeyIn("events", 1, "to") }, Pos{40, 1}, true},
		{"note in the 2nd [[events]] entry", string(ticket), func(d *Doc) (Pos, bool) { return d.KeyIn("events", 1, "note") }, Pos{41, 1}, true},
		{"missing key in an entry", string(ticket), func(d *Doc) (Pos, bool) { return d.KeyIn("events", 0, "note") }, Pos{}, false},
		{"entry out of range", string(ticket), func(d *Doc) (Pos, bool) { return d.KeyIn("events", 8, "to") }, Pos{}, false},
		{"key after a multi-line string", string(ticket), func(d *Doc) (Pos, bool) { return d.KeyIn("events", 5, "at") }, Pos{67, 1}, true},
		{"table header", string(ticket), func(d *Doc) (Pos, bool) { return d.Table("requester") }, Pos{17, 1}, true},
		{"array-table header", string(ticket), func(d *Doc) (Pos, bool) { return d.ArrayTable("events", 1) }, Pos{35, 1}, true},
		{"array is not a table", string(ticket), func(d *Doc) (Pos, bool) { return d.Table("events") }, Pos{}, false},
		{"missing table", string(ticket), func(d *Doc) (Pos, bool) { return d.Table("feedback") }, Pos{}, false},
		{"BOM and CRLF do not shift positions", crlf, func(d *Doc) (Pos, bool) { return d.KeyIn("events", 1, "to") }, Pos{40, 1}, true},
		{"section heading", string(ticket), func(d *Doc) (Pos, bool) { return d.Section("Analysis") }, Pos{94, 1}, true},
		{"dotted key", tricky, func(d *Doc) (Pos, bool) { return d.Key("requester", "org") }, Pos{4, 1}, true},
		{"table defined by dotted keys", tricky, func(d *Doc) (Pos, bool) { return d.Table("requester") }, Pos{3, 1}, true},
		{"quoted Chinese key", tricky, func(d *Doc) (Pos, bool) { return d.Key("问题") }, Pos{5, 1}, true},
		{"key = x inside a multi-line string is not a key", tricky, func(d *Doc) (Pos, bool) { return d.Key("key") }, Pos{}, false},
		{"[table] inside a multi-line string is not a table", tricky, func(d *Doc) (Pos, bool) { return d.Table("table") }, Pos{}, false},
		{"[[events]] inside a multi-line string is not an entry", tricky, func(d *Doc) (Pos, bool) { return d.KeyIn("events", 0, "to") }, Pos{27, 1}, true},
		{"key after a multi-line array with comments", tricky, func(d *Doc) (Pos, bool) { return d.Key("inline") }, Pos{20, 1}, true},
		{"comment line in an array is not a key", tricky, func(d *Doc) (Pos, bool) { return d.Key("two") }, Pos{}, false},
		{"inline-table member, columns in runes", tricky, func(d *Doc) (Pos, bool) { return d.Key("inline", "b", "c") }, Pos{20, 25}, true},
		{"inline-table member with a quoted key", tricky, func(d *Doc) (Pos, bool) { return d.Key("inline", "d e") }, Pos{20, 36}, true},
		{"table written inline", tricky, func(d *Doc) (Pos, bool) { return d.Table("inline.b") }, Pos{20, 19}, true},
		{"array of inline tables", tricky, func(d *Doc) (Pos, bool) { return d.KeyIn("logs", 1, "to") }, Pos{21, 43}, true},
		{"element of an array of inline tables", tricky, func(d *Doc) (Pos, bool) { return d.ArrayTable("logs", 1) }, Pos{21, 33}, true},
		{"indented header", tricky, func(d *Doc) (Pos, bool) { return d.Table("feedback") }, Pos{23, 3}, true},
		{"indented key", tricky, func(d *Doc) (Pos, bool) { return d.Key("feedback", "rating") }, Pos{24, 3}, true},
		{"second entry with odd spacing", tricky, func(d *Doc) (Pos, bool) { return d.KeyIn("events", 1, "to") }, Pos{30, 3}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.src)
			got, ok := tt.get(d)
			if got != tt.want || ok != tt.ok {
				t.Errorf("got %v %v, want %v %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestKeys(t *testing.T) {
	d := mustParse(t, "+++\nid = 1 # c\n\"a b\".c = [\n 1,\n]\n[t]\nx = { y = 2 }\n[[e]]\nz = 'q'\n+++\n")
	var got []string
	for _, k := range d.Keys() {
		got = append(got, k.Path+"@"+itoa(k.Pos.Line)+":"+itoa(k.Pos.Col)+"="+k.Value)
	}
	want := []string{"id@2:1=1", "\"a b\".c@3:1=[\n 1,\n]", "t.x@7:1={ y = 2 }", "t.x.y@7:7=2", "e[0].z@9:1='q'"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Keys() =\n%q\nwant\n%q", got, want)
	}
	var tables []string
	for _, k := range d.Tables() {
		tables = append(tables, k.Path)
	}
	if strings.Join(tables, ",") != "t,e[0]" {
		t.Errorf("Tables() = %v", tables)
	}
	if n := d.Len("e"); n != 1 {
		t.Errorf("Len = %d", n)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestSections(t *testing.T) {
	d := mustParse(t, string(fixture(t)))
	tests := []struct {
		heading string
		ok      bool
		text    string // prefix
		line    int
	}{
		{"Description", true, "\nPower LED", 89},
		{"Analysis", true, "\nBattery drained", 94},
		{"  Analysis  ", true, "\nBattery drained", 94},
		{"not a heading", false, "", 0},
		{"Handling record", true, "\n1. Held", 104},
		{"Resolution", true, "\nReplaced", 109},
		{"Missing", false, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.heading, func(t *testing.T) {
			txt, ok := d.SectionText(tt.heading)
			p, ok2 := d.Section(tt.heading)
			if ok != tt.ok || ok2 != tt.ok || !strings.HasPrefix(txt, tt.text) || p.Line != tt.line {
				t.Errorf("got %v %v %q %v", ok, ok2, txt, p)
			}
		})
	}
	// The Analysis section holds the fenced block, ending before ## Handling record.
	txt, _ := d.SectionText("Analysis")
	if !strings.Contains(txt, "## not a heading") || strings.Contains(txt, "Handling") {
		t.Errorf("Analysis = %q", txt)
	}
	b := mustParse(t, "+++\n+++\n# Title\n## A ##\ntext\n### sub\nmore\n## B\n   ## C\nc\n# End\nx\n")
	for _, tt := range []struct{ h, want string }{{"A", "text\n### sub\nmore\n"}, {"B", ""}, {"C", "c\n"}} {
		if got, ok := b.SectionText(tt.h); !ok || got != tt.want {
			t.Errorf("SectionText(%q) = %q, %v; want %q", tt.h, got, ok, tt.want)
		}
	}
	if p, _ := b.Section("C"); p != (Pos{9, 4}) {
		t.Errorf("Section(C) = %v", p)
	}
}

func TestValidate(t *testing.T) {
	d := mustParse(t, "+++\na = 1\n+++\n")
	d.Set("", "b", "\"\"\"\n+++\n\"\"\"")
	if err := d.Validate(); err == nil {
		t.Errorf("Validate accepted a value with a +++ line:\n%s", d.Bytes())
	}
	d = mustParse(t, "+++\na = 1\n+++\n")
	d.Set("", "b", "nope")
	if err := d.Validate(); err == nil {
		t.Error("Validate accepted a malformed value")
	}
	d = mustParse(t, "+++\na = 1\n+++\n")
	d.Set("", "b", "2")
	if err := d.Validate(); err != nil {
		t.Error(err)
	}
}

func TestBodyIsACopy(t *testing.T) {
	in := []byte("+++\n+++\nbody\n")
	d := mustParse(t, string(in))
	b := d.Body()
	b[0] = 'X'
	in[8] = 'Y'
	if !bytes.Equal(d.Body(), []byte("body\n")) {
		t.Errorf("Body changed: %q", d.Body())
	}
}

func TestToLF(t *testing.T) {
	for in, want := range map[string]string{
		"":              "",
		"a\r\nb":        "a\nb",
		"a\r\r\nb":      "a\nb",
		"a\rb\r":        "a\rb\r",
		"\r\r\rx\r\r\n": "\r\r\rx\n",
		"a\n\r":         "a\n\r",
	} {
		if got := string(toLF([]byte(in))); got != want {
			t.Errorf("toLF(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDecodeMismatch: a value Decode refuses is reported at its place, the
// first in the file when there are several, with BurntSushi/toml's message,
// the same on every run (BurntSushi/toml picks one by map order).
func TestDecodeMismatch(t *testing.T) {
	type event struct {
		At time.Time `toml:"at"`
		N  int       `toml:"n"`
	}
	type doc struct {
		Title  string                `toml:"title"`
		When   *time.Time            `toml:"when"`
		Tags   []string              `toml:"tags"`
		Major  bool                  `toml:"major"`
		Person struct{ Name string } `toml:"person"`
		Events []event               `toml:"events"`
		Extra  map[string]int        `toml:"extra"`
	}
	tests := []struct {
		name, fm  string
		line, col int
		msg       string
	}{
		{"integer for a string", "  title = 1\n", 2, 3, `title: incompatible types: TOML value has type int64; destination has type string`},
		{"string for a bool", "title = \"t\"\nmajor = \"yes\"\n", 3, 1, `major: incompatible types: TOML value has type string; destination has type boolean`},
		{"in a list", "tags = [\"a\",\n  2]\n", 2, 1, `tags: incompatible types: TOML value has type int64; destination has type string`},
		{"not a table", "person = \"x\"\n", 2, 1, `person: type mismatch for struct { Name string }: expected table but found string`},
		{"field by case", "[person]\nNAME = 1\n", 3, 1, `person.NAME: incompatible types: TOML value has type int64; destination has type string`},
		{"table for a list", "[tags]\nx = 1\n", 2, 1, `tags: incompatible types: TOML value has type map[string]any; destination has type slice`},
		{"dotted keys for a list", "tags.x = 1\n", 2, 1, `tags: incompatible types: TOML value has type map[string]any; destination has type slice`},
		{"a time, at its value", "when = \"soon\"\n", 2, 9, `parsing time "soon" as "2006-01-02T15:04:05Z07:00": cannot parse "soon" as "2006"`},
		{"the element at fault", "[[events]]\nn = \"1\"\n[[events]]\nn = 2\n", 3, 1, `events.n: incompatible types: TOML value has type string; destination has type integer`},
		{"a time in the first element", "[[events]]\nat = 'x'\n[[events]]\nat = 2026-11-22\n", 3, 7, `parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"`},
		{"first of several", "major = 1\ntitle = 2\n[[events]]\nn = true\n[extra]\na = \"b\"\n", 2, 1, `major: incompatible types: TOML value has type int64; destination has type boolean`},
		{"first of several, a time", "when = 1\ntitle = 2\n", 2, 8, `parsing time "1" as "2006-01-02T15:04:05Z07:00": cannot parse "1" as "2006"`},
		{"map value", "[extra]\na = 1\nb = \"c\"\n", 4, 1, `extra.b: incompatible types: TOML value has type string; destination has type integer`},
		{"in an inline array of tables", "events = [{ n = 1 }, { n = \"2\" }]\n", 2, 24, `events.n: incompatible types: TOML value has type string; destination has type integer`},
		{"a dotted key in an element", "[[events]]\nn = 1\n[[events]]\nat = 2026-11-22\nn.x = 2\n", 6, 1, `events.n: incompatible types: TOML value has type map[string]any; destination has type integer`},
		{"a table at its header, not a sub-table's", "[tags.x]\ny = 1\n[tags]\nz = 2\n", 4, 1, `tags: incompatible types: TOML value has type map[string]any; destination has type slice`},
		{"not an unknown key", "titel = 1\nmajor = 2\n", 3, 1, `major: incompatible types: TOML value has type int64; destination has type boolean`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, "+++\n"+tt.fm+"+++\n")
			for range 20 { // map order changes from run to run
				var v doc
				_, err := d.Decode(&v)
				var e *Error
				if !errors.As(err, &e) || e.Line != tt.line || e.Col != tt.col || e.Msg != tt.msg {
					t.Fatalf("Decode: %#v\nwant %d:%d: %s", err, tt.line, tt.col, tt.msg)
				}
			}
		})
	}
}
