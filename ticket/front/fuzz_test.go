package front

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

func fuzzSeeds(f *testing.F) {
	f.Add(fixture(f))
	for _, s := range []string{
		"", "+++", "+++\n+++\n", "+++\n+++", "\ufeff+++\r\na = 1\r\n+++\r\nx",
		"+++\na = [\n1, # c\n]\nb = { c = { d = 1 } }\n[t]\n\"q\\u0041\".'x' = 1\n[[e]]\n[e.f]\n[[e]]\n+++\n## A\n```\n## B\n```\n",
		"+++\nn = \"\"\"\n[x]\n\"\"\"\"\"\nl = '''\na = 1'''''\n+++\n",
		"+++\nx = 1979-05-27 07:32:00Z # c\ny = [1979-05-27 07:32:00Z, 1]\n+++\n",
		"+++\n[a.\"b.c\"]\nd = 1\n+++\n", "+++\na = [[{b=1}], [{c=2}]]\n+++\n",
		"+++\nt = {\n  a = 1,\n  b = 2, # c\n}\n+++\n",
		"+++\nid = 1\ntags.x = 1\ndue = 'x'\nrequester.name.y = 2\nevents = [{ to = 1, at = 2 }, 3, { x = 4 }]\n[extra]\na = \"b\"\nc.d = 1\n+++\n",
		"+++\n[[events]]\nto.x = 1\n[events.sub]\n[[events.more]]\n[[events]]\nat = [1]\n+++\n",
	} {
		f.Add([]byte(s))
	}
}

// FuzzParse: Parse never panics; a parsed file re-parses to the same bytes;
// every top-level name that BurntSushi decodes has a position, and so has
// every mismatch CheckTypes finds against a ticket.
func FuzzParse(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if d, err := ParseNoValidate(data); err == nil {
			exercise(d)
		}
		d, err := Parse(data)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T", err)
			}
			return
		}
		exercise(d)
		out := d.Bytes()
		d2, err := Parse(out)
		if err != nil {
			t.Fatalf("re-parse: %v\n%q", err, out)
		}
		if !bytes.Equal(d2.Bytes(), out) {
			t.Fatalf("re-parse changed the bytes")
		}
		var m map[string]any
		if _, err := d.Decode(&m); err != nil {
			t.Fatal(err)
		}
		for k, v := range m {
			if !located(d, k, v) {
				t.Errorf("no position for %q (%T)\n%s", k, v, d.FrontMatter())
			}
		}
		for _, mm := range d.checkTypes(m, reflect.TypeFor[fuzzTicket]()) {
			if mm.Pos.Line == 0 {
				t.Errorf("no position for %+v\n%s", mm, d.FrontMatter())
			}
		}
		// Edits with fresh names keep any valid file valid, and the body.
		for _, k := range []string{"zz_key", "zz_table", "zz_events"} {
			if _, ok := m[k]; ok {
				return
			}
		}
		d.Set("", "zz_key", String("x"))
		d.Set("zz_table", "k", Int(1))
		d.AppendArrayTable("zz_events", []KV{{"at", "2026-11-22T09:40:00+08:00"}, {"to", String("new")}})
		d.Set("zz_table", "k2", Strings([]string{"a"}))
		out = d.Bytes()
		d3, err := Parse(out)
		if err != nil {
			t.Fatalf("after edits: %v\n%s", err, out)
		}
		if !bytes.Equal(d3.Body(), d2.Body()) {
			t.Fatal("edits changed the body")
		}
		var m2 map[string]any
		if _, err := d3.Decode(&m2); err != nil {
			t.Fatal(err)
		}
		tb, _ := m2["zz_table"].(map[string]any)
		ev, _ := m2["zz_events"].([]map[string]any)
		if m2["zz_key"] != "x" || tb["k"] != int64(1) || len(ev) != 1 || ev[0]["to"] != "new" {
			t.Fatalf("after edits: %v\n%s", m2, out)
		}
	})
}

// fuzzTicket is a ticket for CheckTypes in FuzzParse.
type fuzzTicket struct {
	ID        string     `toml:"id"`
	Tags      []string   `toml:"tags"`
	Due       *time.Time `toml:"due"`
	Requester struct {
		Name string `toml:"name"`
	} `toml:"requester"`
	Events []struct {
		At time.Time `toml:"at"`
		To string    `toml:"to"`
	} `toml:"events"`
	Extra map[string]int `toml:"extra"`
}

func located(d *Doc, k string, v any) bool {
	name := renderPart(k) // Table and ArrayTable take dotted paths
	switch v := v.(type) {
	case map[string]any:
		_, ok := d.Table(name)
		return ok
	case []map[string]any:
		_, ok := d.ArrayTable(name, 0)
		if len(v) == 0 {
			return true
		}
		_, ok2 := d.Key(k)
		return ok || ok2
	default:
		_, ok := d.Key(k)
		return ok
	}
}

func exercise(d *Doc) {
	for _, k := range d.Keys() {
		d.Key(k.Path)
	}
	d.Tables()
	d.KeyIn("events", 0, "to")
	d.ArrayTable("events", 1)
	d.Table("requester")
	d.Section("Description")
	d.SectionText("A")
	d.BodyLine()
}

// FuzzSet: setting a valid key to a valid value keeps the file valid, and
// the key decodes to that value.
func FuzzSet(f *testing.F) {
	f.Add(uint8(0), "status", "in_progress", int64(0), uint8(0))
	f.Add(uint8(1), "name", "张三", int64(0), uint8(0))
	f.Add(uint8(2), "rating", "x\n+++\ny", int64(3), uint8(1))
	f.Add(uint8(3), "to", "a\"b", int64(0), uint8(2))
	f.Add(uint8(4), "问题 描述", "", int64(-7), uint8(1))
	f.Add(uint8(5), "", "q", int64(0), uint8(0))
	f.Add(uint8(6), "x.y", "q", int64(0), uint8(0))
	seed := fixture(f)
	tables := []string{"", "requester", "feedback", "events", "sla", "new.table", "parts", "r"}
	f.Fuzz(func(t *testing.T, ti uint8, key, val string, n int64, kd uint8) {
		table := tables[int(ti)%len(tables)]
		src := string(seed)
		if table == "r" {
			src = strings.Replace(src, "major = false\n", "major = false\nr = { a = 1, b.c = 2 }\nr2.x = 1\n", 1)
		}
		d, err := Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		var before map[string]any
		d.Decode(&before)
		if !isValidUTF8(key) {
			return
		}
		if cur, ok := lookup(before, table); ok {
			switch cur[key].(type) {
			case map[string]any, []map[string]any:
				return // the key is a table: not a value to set
			}
		}
		var lit string
		switch kd % 3 {
		case 0:
			lit = String(val)
		case 1:
			lit = Int(n)
		default:
			lit = Strings([]string{val, key})
		}
		d.Set(table, key, lit)
		out := d.Bytes()
		d2, err := Parse(out)
		if err != nil {
			t.Fatalf("Set(%q, %q, %s): %v\n%s", table, key, lit, err, out)
		}
		var after, want map[string]any
		if _, err := d2.Decode(&after); err != nil {
			t.Fatal(err)
		}
		if _, err := toml.Decode("v = "+lit, &want); err != nil {
			t.Fatal(err)
		}
		cur, ok := lookup(after, table)
		if !ok || !reflect.DeepEqual(cur[key], want["v"]) {
			t.Fatalf("Set(%q, %q, %s): got %#v\n%s", table, key, lit, cur[key], out)
		}
		if !bytes.HasSuffix(out, d.Body()) || !bytes.Equal(d.Body(), mustParse(t, src).Body()) {
			t.Fatal("body changed")
		}
	})
}

func isValidUTF8(s string) bool { return strings.ToValidUTF8(s, "\ufffd") == s }

// lookup finds the table at a dotted path (bare parts only) in m; an array
// of tables gives its last element.
func lookup(m map[string]any, path string) (map[string]any, bool) {
	if path == "" {
		return m, true
	}
	for _, p := range strings.Split(path, ".") {
		switch v := m[p].(type) {
		case map[string]any:
			m = v
		case []map[string]any:
			if len(v) == 0 {
				return nil, false
			}
			m = v[len(v)-1]
		default:
			return nil, false
		}
	}
	return m, true
}

// FuzzSectionTexts: SectionTexts finds what SectionText finds for each
// heading, a heading asked for twice included.
func FuzzSectionTexts(f *testing.F) {
	for _, body := range []string{
		"## A\nx\n## B\ny\n",
		"## A\n```\n## B\n```\n### C\n# D\n## A\nz\n",
		"## A ##\n~~~\n## A\n~~~\n##B\n## B #\nw",
		"  ## 描述\n内容\n## 处理记录\n- a\n## 描述\nsecond",
		"## A\n## A\n",
	} {
		f.Add([]byte("+++\nid = \"x\"\n+++\n" + body))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseNoValidate(data)
		if err != nil {
			return
		}
		headings := []string{"A", "B", " A ", "描述", "处理记录", "C", "D", "B #"}
		texts, found := d.SectionTexts(headings)
		for i, h := range headings {
			want, ok := d.SectionText(h)
			if texts[i] != want || found[i] != ok {
				t.Fatalf("heading %q: SectionTexts %q %v, SectionText %q %v\n%q", h, texts[i], found[i], want, ok, data)
			}
		}
	})
}
