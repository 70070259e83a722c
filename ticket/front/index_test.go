package front

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

func TestScanTOMLPositions(t *testing.T) {
	src := "\ufeff# 配置\r\n[desk]\r\nid_prefix = \"IT\"\r\n  \"语言\" = \"zh\"\r\n" +
		"[[sla.priority]]\nname = \"高\"\n[[sla.priority]]\n\"名\" = \"低\"\n respond = \"1h\"\n" +
		"[workflow.transitions]\nnew = []\n" +
		"[check]\nrules = { \"规则\" = \"off\", kb-stale = \"off\" }\n" +
		"[site]\nlinks = [{ name = \"投诉\", respond = \"24h\" }]\n"
	x := ScanTOML([]byte(src))
	at := func(p Pos, ok bool) Pos {
		t.Helper()
		if !ok {
			t.Fatal("not found")
		}
		return p
	}
	for _, tc := range []struct {
		name string
		got  Pos
		want Pos
	}{
		{"table", at(x.Table("desk")), Pos{2, 1}},
		{"key", at(x.Key("desk", "id_prefix")), Pos{3, 1}},
		{"chinese key", at(x.Key("desk", "语言")), Pos{4, 3}},
		{"array entry", at(x.ArrayTable("sla.priority", 1)), Pos{7, 1}},
		{"key of an entry", at(x.KeyIn("sla.priority", 0, "name")), Pos{6, 1}},
		{"key after a chinese key", at(x.KeyIn("sla.priority", 1, "respond")), Pos{9, 2}},
		{"sub-table", at(x.Table("workflow.transitions")), Pos{10, 1}},
		{"workflow through its sub-table", at(x.Table("workflow")), Pos{10, 1}},
		{"inline member", at(x.Key("check", "rules", "kb-stale")), Pos{13, 25}},
		{"inline chinese member", at(x.Key("check", "rules", "规则")), Pos{13, 11}},
		{"inline array element", at(x.ArrayTable("site.links", 0)), Pos{15, 10}},
		{"key in an inline array element", at(x.KeyIn("site.links", 0, "respond")), Pos{15, 25}},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if n := x.Len("sla.priority"); n != 2 {
		t.Errorf("Len = %d, want 2", n)
	}
	if _, ok := x.Key("desk", "timezone"); ok {
		t.Error("a missing key was found")
	}
	var v map[string]any
	if _, err := x.Decode(&v); err != nil {
		t.Fatal(err)
	}
	if v["desk"].(map[string]any)["语言"] != "zh" {
		t.Errorf("decoded %v", v)
	}
}

func TestScanTOMLDecodeError(t *testing.T) {
	for _, tc := range []struct {
		src       string
		line, col int
	}{
		{"[desk]\nid_prefix = = 1\n", 2, 13},
		{"\ufeff[desk]\r\n\"名称\" = = 1\r\n", 2, 8},
		{"[desk]\nx = \"未结束\n", 2, 9},
	} {
		var v map[string]any
		_, err := ScanTOML([]byte(tc.src)).Decode(&v)
		var fe *Error
		if !errors.As(err, &fe) {
			t.Fatalf("%q: err = %v, want an *Error", tc.src, err)
		}
		if fe.Line != tc.line || fe.Col != tc.col {
			t.Errorf("%q: at %d:%d, want %d:%d (%v)", tc.src, fe.Line, fe.Col, tc.line, tc.col, err)
		}
	}
}

// TestCheckTypes: every value BurntSushi/toml would refuse and every key it
// would leave undecoded, in file order, at its place: the key, else the
// [[entry]] or '{' of an array-of-tables element, else the first key below.
func TestCheckTypes(t *testing.T) {
	type entry struct {
		Name string `toml:"name"`
		N    int    `toml:"n"`
	}
	type file struct {
		Desk struct {
			Prefix string `toml:"id_prefix"`
			Major  bool
		} `toml:"desk"`
		Entries  []entry             `toml:"entry"`
		Holidays []time.Time         `toml:"holidays"`
		Pair     [2]int              `toml:"pair"`
		Rules    map[string][]string `toml:"rules"`
		Share    float64             `toml:"share"`
	}
	src := "share = \"most\"\n" + // 1
		"holidays = [2026-10-01, \"Oct 1\"]\n" + // 2: BadText at '[' (BurntSushi/toml: 2:27)
		"pair = [1]\n" + // 3
		"[desk]\n" + // 4
		"id_prefix = 1\n" + // 5
		"MAJOR = \"yes\"\n" + // 6
		"\"名\" = \"x\"\n" + // 7
		"[[entry]]\n" + // 8
		"name = \"a\"\n" + // 9
		"[[entry]]\n" + // 10
		"name = \"b\"\n" + // 11
		"n.x = 2\n" + // 12
		"[entry.sub]\n" + // 13
		"[rules]\n" + // 14
		"new = [\"a\", { b = 1 }]\n" + // 15
		"old = { c = \"d\" }\n" + // 16
		"[[rules.more]]\n" // 17
	x := ScanTOML([]byte(src))
	var data map[string]any
	if _, err := x.Decode(&data); err != nil {
		t.Fatal(err)
	}
	want := []Mismatch{
		{WrongType, Pos{1, 1}, toml.Key{"share"}, "string", "float", `share: incompatible types: TOML value has type string; destination has type float`},
		{BadText, Pos{2, 12}, toml.Key{"holidays"}, "", "", `parsing time "Oct 1" as "2006-01-02T15:04:05Z07:00": cannot parse "Oct 1" as "2006"`},
		{WrongLength, Pos{3, 1}, toml.Key{"pair"}, "", "", `pair: expected array length 2; got TOML array of length 1`},
		{WrongType, Pos{5, 1}, toml.Key{"desk", "id_prefix"}, "int64", "string", `desk.id_prefix: incompatible types: TOML value has type int64; destination has type string`},
		{WrongType, Pos{6, 1}, toml.Key{"desk", "MAJOR"}, "string", "boolean", `desk.MAJOR: incompatible types: TOML value has type string; destination has type boolean`},
		{UnknownKey, Pos{7, 1}, toml.Key{"desk", "名"}, "", "", `unknown key "desk.\"名\""`},
		{WrongType, Pos{12, 1}, toml.Key{"entry", "n"}, "map[string]any", "integer", `entry.n: incompatible types: TOML value has type map[string]any; destination has type integer`},
		{UnknownKey, Pos{13, 1}, toml.Key{"entry", "sub"}, "", "", `unknown key "entry.sub"`},
		{WrongType, Pos{15, 1}, toml.Key{"rules", "new"}, "map[string]any", "string", `rules.new: incompatible types: TOML value has type map[string]any; destination has type string`},
		{WrongType, Pos{16, 1}, toml.Key{"rules", "old"}, "map[string]any", "slice", `rules.old: incompatible types: TOML value has type map[string]any; destination has type slice`},
		{WrongType, Pos{17, 1}, toml.Key{"rules", "more"}, "map[string]any", "string", `rules.more: incompatible types: TOML value has type map[string]any; destination has type string`},
	}
	got := x.CheckTypes(data, reflect.TypeFor[file]())
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			t.Errorf("missing %+v", want[i])
		case i >= len(want):
			t.Errorf("extra %+v", got[i])
		case !reflect.DeepEqual(got[i], want[i]):
			t.Errorf("got  %+v\nwant %+v", got[i], want[i])
		}
	}
}
