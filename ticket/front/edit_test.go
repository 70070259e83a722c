package front

import (
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

const body = "\n## Description\n\nPower LED off.\r\n  trailing spaces  \n"

func wrap(fm string) string { return "+++\n" + fm + "+++\n" + body }

func TestEdits(t *testing.T) {
	const events = `id = "TS-1"
status = "new"   # kept

[requester]
name = "Zhang San"

# the log
[[events]]
at = 2026-11-22T09:14:00+08:00
to = "new"

[[events]]
at = 2026-11-22T09:40:00+08:00
to = "triaged"
`
	tests := []struct {
		name string
		in   string // front matter
		edit func(d *Doc)
		want string // front matter
	}{
		{
			"Set on an existing key keeps the trailing comment and everything else",
			"id = \"x\"\nstatus   =  \"new\"    # current status\nz = 1\n",
			func(d *Doc) { d.Set("", "status", String("in_progress")) },
			"id = \"x\"\nstatus   =  \"in_progress\"    # current status\nz = 1\n",
		},
		{
			"Set replaces a multi-line array with comments inside",
			"tags = [ # start\n  \"a\", # one ]\n  # [x] = 2\n  \"b\",\n] # end\nnext = 1\n",
			func(d *Doc) { d.Set("", "tags", Strings([]string{"c"})) },
			"tags = [\"c\"] # end\nnext = 1\n",
		},
		{
			"Set replaces a multi-line string holding lookalike lines",
			"note = \"\"\"\nkey = x\n[table]\n[[events]]\n +++\n\"\"\" # c\n[table2]\nkey = 1\n",
			func(d *Doc) { d.Set("", "note", String("short")) },
			"note = \"short\" # c\n[table2]\nkey = 1\n",
		},
		{
			"Set of a key whose name appears in a multi-line string sets the real key",
			"note = '''\nkey = x\n'''\n[t]\nkey = 1\n",
			func(d *Doc) { d.Set("t", "key", Int(2)) },
			"note = '''\nkey = x\n'''\n[t]\nkey = 2\n",
		},
		{
			"Set inserts a new top-level key after the last top-level key",
			"# head\nid = \"x\"\n\n# about requester\n[requester]\nname = \"a\"\n",
			func(d *Doc) { d.Set("", "major", Bool(true)) },
			"# head\nid = \"x\"\nmajor = true\n\n# about requester\n[requester]\nname = \"a\"\n",
		},
		{
			"Set inserts at the start when the top level has no keys",
			"# head\n[requester]\nname = \"a\"\n",
			func(d *Doc) { d.Set("", "id", String("x")) },
			"id = \"x\"\n# head\n[requester]\nname = \"a\"\n",
		},
		{
			"Set into an empty front matter",
			"",
			func(d *Doc) { d.Set("", "id", String("x")) },
			"id = \"x\"\n",
		},
		{
			"Set inserts a new key into an existing [feedback] before [[events]]",
			"id = 1\n\n[feedback]\nrating = \"satisfied\" # r\n\n[[events]]\nto = \"new\"\n",
			func(d *Doc) { d.Set("feedback", "via", String("email")) },
			"id = 1\n\n[feedback]\nrating = \"satisfied\" # r\nvia = \"email\"\n\n[[events]]\nto = \"new\"\n",
		},
		{
			"Set into a table with no keys inserts after its header",
			"[feedback] # c\n\n[sla]\n",
			func(d *Doc) { d.Set("feedback", "via", String("email")) },
			"[feedback] # c\nvia = \"email\"\n\n[sla]\n",
		},
		{
			"Set creating [feedback] puts it before the first [[events]] and its comment",
			events,
			func(d *Doc) { d.Set("feedback", "rating", String("satisfied")) },
			strings.Replace(events, "# the log\n", "[feedback]\nrating = \"satisfied\"\n\n# the log\n", 1),
		},
		{
			"Set creating a table right after a key adds the blank lines",
			"id = 1\n[[events]]\nto = \"new\"\n",
			func(d *Doc) { d.Set("feedback", "rating", String("satisfied")) },
			"id = 1\n\n[feedback]\nrating = \"satisfied\"\n\n[[events]]\nto = \"new\"\n",
		},
		{
			"Set creating a table without events appends it",
			"id = 1\n",
			func(d *Doc) { d.Set("sla", "breach_reason", String("")) },
			"id = 1\n\n[sla]\nbreach_reason = \"\"\n",
		},
		{
			"Set creating a nested table quotes non-bare parts",
			"id = 1\n\n",
			func(d *Doc) { d.Set(`x."问 题"`, "ok", Bool(false)) },
			"id = 1\n\n[x.\"问 题\"]\nok = false\n",
		},
		{
			"Set with a Chinese key quotes it and keeps Chinese values literal",
			"[requester]\nname = \"张三\"\n",
			func(d *Doc) { d.Set("requester", "部门", String("财务部\n二楼")) },
			"[requester]\nname = \"张三\"\n\"部门\" = \"财务部\\n二楼\"\n",
		},
		{
			"Set on an existing Chinese quoted key replaces it",
			"'部门' = \"a\"\n",
			func(d *Doc) { d.Set("", "部门", String("b")) },
			"'部门' = \"b\"\n",
		},
		{
			"Set on a table written with dotted keys adds a dotted key",
			"id = 1\nrequester.name = \"a\"\nrequester.org = \"b\" # o\nz = 2\n[t]\n",
			func(d *Doc) { d.Set("requester", "contact", String("c")) },
			"id = 1\nrequester.name = \"a\"\nrequester.org = \"b\" # o\nrequester.contact = \"c\"\nz = 2\n[t]\n",
		},
		{
			"Set replaces a dotted key in place",
			"requester.name = \"a\"\n",
			func(d *Doc) { d.Set("requester", "name", String("b")) },
			"requester.name = \"b\"\n",
		},
		{
			"Set on a sub-table written with dotted keys inside a table",
			"[a]\nb.c = 1\n",
			func(d *Doc) { d.Set("a.b", "d", Int(2)) },
			"[a]\nb.c = 1\nb.d = 2\n",
		},
		{
			"Set on an inline table adds a member",
			"requester = { name = \"a\", org = \"b\" } # c\n",
			func(d *Doc) { d.Set("requester", "contact", String("c")) },
			"requester = { name = \"a\", org = \"b\", contact = \"c\" } # c\n",
		},
		{
			"Set on an empty inline table adds a member",
			"requester = {}\n",
			func(d *Doc) { d.Set("requester", "name", String("a")) },
			"requester = { name = \"a\" }\n",
		},
		{
			"Set replaces an inline-table member in place",
			"requester = { name = \"a\", org = \"b\" }\n",
			func(d *Doc) { d.Set("requester", "name", String("z")) },
			"requester = { name = \"z\", org = \"b\" }\n",
		},
		{
			"Set on an array of tables edits its last entry",
			events,
			func(d *Doc) { d.Set("events", "note", String("n")) },
			events + "note = \"n\"\n",
		},
		{
			"Set replaces a key of the last entry",
			events,
			func(d *Doc) { d.Set("events", "to", String("closed")) },
			strings.Replace(events, "to = \"triaged\"", "to = \"closed\"", 1),
		},
		{
			"Delete removes the statement with its comment",
			"id = 1\nstatus = \"new\" # c\nz = 2\n",
			func(d *Doc) { d.Delete("", "status") },
			"id = 1\nz = 2\n",
		},
		{
			"Delete removes a multi-line value",
			"a = [\n 1, # one\n 2,\n]\n[t]\nb = \"\"\"\nx = 1\n\"\"\"\nc = 3\n",
			func(d *Doc) { d.Delete("", "a"); d.Delete("t", "b") },
			"[t]\nc = 3\n",
		},
		{
			"Delete of a missing key changes nothing",
			"a = 1 # c\n",
			func(d *Doc) { d.Delete("", "b"); d.Delete("t", "a") },
			"a = 1 # c\n",
		},
		{
			"Delete removes an inline member and its comma",
			"r = { a = 1, b = 2, c = 3 }\ns = { a = 1, b = 2 }\nu = { a = 1 }\n",
			func(d *Doc) { d.Delete("r", "b"); d.Delete("s", "b"); d.Delete("u", "a") },
			"r = { a = 1, c = 3 }\ns = { a = 1 }\nu = {  }\n",
		},
		{
			"Delete removes a dotted key",
			"requester.name = \"a\"\nrequester.org = \"b\"\n",
			func(d *Doc) { d.Delete("requester", "name") },
			"requester.org = \"b\"\n",
		},
		{
			"AppendArrayTable appends after the last entry",
			events,
			func(d *Doc) {
				d.AppendArrayTable("events", []KV{{"at", "2026-11-22T10:00:00+08:00"}, {"to", String("closed")}})
			},
			events + "\n[[events]]\nat = 2026-11-22T10:00:00+08:00\nto = \"closed\"\n",
		},
		{
			"AppendArrayTable without entries appends at the end",
			"id = 1\n",
			func(d *Doc) { d.AppendArrayTable("events", []KV{{"to", String("new")}}) },
			"id = 1\n\n[[events]]\nto = \"new\"\n",
		},
		{
			"AppendArrayTable starts a new array before the log",
			"id = 1\n\n# the log\n[[events]]\nto = \"new\"\n",
			func(d *Doc) { d.AppendArrayTable("parts", []KV{{"name", String("DDR4")}, {"qty", "1"}}) },
			"id = 1\n\n[[parts]]\nname = \"DDR4\"\nqty = 1\n\n# the log\n[[events]]\nto = \"new\"\n",
		},
		{
			"AppendArrayTable into an empty front matter",
			"",
			func(d *Doc) { d.AppendArrayTable("events", []KV{{"to", String("new")}}) },
			"[[events]]\nto = \"new\"\n",
		},
		{
			"AppendArrayTable goes after a sub-table of the last entry",
			"[[events]]\nto = 1\n[events.meta]\nx = 1\n[sla]\ny = 2\n",
			func(d *Doc) { d.AppendArrayTable("events", []KV{{"to", "2"}}) },
			"[[events]]\nto = 1\n[events.meta]\nx = 1\n\n[[events]]\nto = 2\n\n[sla]\ny = 2\n",
		},
		{
			"successive edits compose",
			"id = 1\n",
			func(d *Doc) {
				d.Set("", "status", String("new"))
				d.AppendArrayTable("events", []KV{{"to", String("new")}})
				d.Set("feedback", "rating", String("satisfied"))
				d.Set("", "status", String("closed"))
				d.Delete("", "id")
			},
			"status = \"closed\"\n\n[feedback]\nrating = \"satisfied\"\n\n[[events]]\nto = \"new\"\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, wrap(tt.in))
			tt.edit(d)
			if got := string(d.FrontMatter()); got != tt.want {
				t.Errorf("front matter =\n%s\nwant\n%s", got, tt.want)
			}
			out := d.Bytes()
			if !strings.HasSuffix(string(out), strings.ReplaceAll(body, "\r\n", "\n")) {
				t.Errorf("body changed: %q", out)
			}
			d2, err := Parse(out)
			if err != nil {
				t.Fatalf("re-parse: %v\n%s", err, out)
			}
			if string(d2.Bytes()) != string(out) {
				t.Error("re-parse changed the bytes")
			}
			if err := d.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestAppendBeforeFollowingTable(t *testing.T) {
	fm := `id = "TS-1"

[[events]]
at = 2026-11-22T09:14:00+08:00
to = "new"

[[events]]
at = 2026-11-22T09:40:00+08:00
to = "triaged"

[[events]]
at = 2026-11-22T09:50:00+08:00
note = """
[sla]
"""

# service levels
[sla]
breach_reason = ""
`
	d := mustParse(t, wrap(fm))
	at := time.Date(2026, 11, 22, 10, 0, 0, 0, time.FixedZone("", 8*3600))
	d.AppendArrayTable("events", []KV{{"at", Time(at)}, {"by", String("li.si")}, {"to", String("closed")}})
	d2, err := Parse(d.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, d.Bytes())
	}
	var v struct {
		Events []struct {
			At time.Time
			By string
			To string
		}
		SLA map[string]any `toml:"sla"`
	}
	if _, err := d2.Decode(&v); err != nil {
		t.Fatal(err)
	}
	if len(v.Events) != 4 || v.Events[3].To != "closed" || v.Events[3].By != "li.si" || !v.Events[3].At.Equal(at) {
		t.Errorf("events = %+v", v.Events)
	}
	if _, ok := v.SLA["breach_reason"]; !ok || len(v.SLA) != 1 {
		t.Errorf("sla = %v", v.SLA)
	}
	if p, ok := d2.ArrayTable("events", 3); !ok || p.Line != 18 {
		t.Errorf("new entry at %v %v\n%s", p, ok, d2.Bytes())
	}
	if !strings.Contains(string(d2.FrontMatter()), "\"\"\"\n\n[[events]]\nat = 2026-11-22T10:00:00+08:00\nby = \"li.si\"\nto = \"closed\"\n\n# service levels\n[sla]") {
		t.Errorf("got\n%s", d2.FrontMatter())
	}
}

func TestSetBody(t *testing.T) {
	d := mustParse(t, "+++\nid = 1\n+++")
	d.SetBody([]byte("## A\r\ntext\r\n"))
	if got := string(d.Bytes()); got != "+++\nid = 1\n+++\n## A\ntext\n" {
		t.Errorf("Bytes() = %q", got)
	}
	d.Set("", "id", "2")
	if got := string(d.Bytes()); got != "+++\nid = 2\n+++\n## A\ntext\n" {
		t.Errorf("Bytes() = %q", got)
	}
	if txt, ok := d.SectionText("A"); !ok || txt != "text\n" {
		t.Errorf("SectionText = %q %v", txt, ok)
	}
}

func TestEncoders(t *testing.T) {
	tests := []struct {
		name string
		lit  string
		want any
		text string // "" = not checked
	}{
		{"plain string", String("abc"), "abc", `"abc"`},
		{"Chinese kept literal", String("笔记本无法开机"), "笔记本无法开机", `"笔记本无法开机"`},
		{"quotes and backslashes escaped", String(`a"b\c`), `a"b\c`, `"a\"b\\c"`},
		{"multi-line text stays on one line", String("l1\nl2\r\n\tx"), "l1\nl2\r\n\tx", `"l1\nl2\r\n\tx"`},
		{"control characters escaped", String("a\x00b\x1bc\x7f"), "a\x00b\x1bc\x7f", `"a\u0000b\u001Bc\u007F"`},
		{"invalid UTF-8 replaced", String("a\xffb"), "a\ufffdb", ""},
		{"string array", Strings([]string{"a", "中"}), []any{"a", "中"}, `["a", "中"]`},
		{"empty array", Strings(nil), []any{}, `[]`},
		{"int", Int(-42), int64(-42), "-42"},
		{"bool", Bool(true), true, "true"},
		{"date", Date(2026, time.December, 31), nil, "2026-12-31"},
		{"date normalised", Date(2026, time.February, 30), nil, "2026-03-02"},
		{"time with offset, whole seconds", Time(time.Date(2026, 11, 22, 9, 40, 0, 999, time.FixedZone("CST", 8*3600))), nil, "2026-11-22T09:40:00+08:00"},
		{"time in UTC", Time(time.Date(2026, 11, 22, 1, 40, 5, 0, time.UTC)), nil, "2026-11-22T01:40:05Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.text != "" && tt.lit != tt.text {
				t.Errorf("literal = %s, want %s", tt.lit, tt.text)
			}
			var m map[string]any
			if _, err := toml.Decode("v = "+tt.lit, &m); err != nil {
				t.Fatalf("%s: %v", tt.lit, err)
			}
			if tt.want != nil {
				if got, want := fmtAny(m["v"]), fmtAny(tt.want); got != want {
					t.Errorf("decoded %s, want %s", got, want)
				}
			}
		})
	}
}

func fmtAny(v any) string {
	var b strings.Builder
	_ = toml.NewEncoder(&b).Encode(map[string]any{"v": v})
	return b.String()
}
