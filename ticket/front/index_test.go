package front

import (
	"errors"
	"testing"
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
