package sitesearch

import (
	"reflect"
	"strings"
	"testing"
)

func TestNumbersRoundTrip(t *testing.T) {
	var b []byte
	var want []int
	for v := 0; v < 200000; v += 1 + v/7 {
		b = appendNum(b, v)
		want = append(want, v)
	}
	s := string(b)
	if strings.ContainsAny(s, "\\\" !") {
		t.Fatalf("encoded numbers hold a character that needs escaping or separates: %q", s)
	}
	for i, w := range want {
		v, next, ok := readNum(s, 0)
		if !ok || v != w {
			t.Fatalf("number %d: got %d, %v, want %d", i, v, ok, w)
		}
		s = s[next:]
	}
	if len(appendNum(nil, 44)) != 1 || len(appendNum(nil, 45)) != 2 || len(appendNum(nil, 2024)) != 2 {
		t.Error("numbers below 45 take one character, below 2025 two")
	}
	if _, _, ok := readNum(string(sym(50)), 0); ok {
		t.Error("a number cut short decodes")
	}
}

func TestPostingsRoundTrip(t *testing.T) {
	want := []posting{{0, 0}, {1, 3}, {5, levels + 2}, {6, 3*levels + 1}, {8000, 1}, {8001, 2*levels + 3}}
	var b []byte
	last := -1
	for _, p := range want {
		b = appendPosting(b, p.doc-last, p.code%levels, p.code/levels)
		last = p.doc
	}
	got, err := decodePostings(string(b))
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("postings: got %v, %v, want %v", got, err, want)
	}
	if one := appendPosting(nil, 9, 3, 0); len(one) != 1 {
		t.Errorf("a body posting 9 documents after the previous takes %d characters, want 1", len(one))
	}
}

func TestShardOf(t *testing.T) {
	// FNV-1a reference values.
	if hash("") != 2166136261 || hash("a") != 0xe40c292c || hash("foobar") != 0xbf9cf968 {
		t.Errorf("hash: %#x %#x %#x", hash(""), hash("a"), hash("foobar"))
	}
	tests := []struct{ term, key string }{
		{"configur", "conf"}, {"con", "con"}, {"打印", "打印"}, {"tidb_enable_x", "tidb_e"}, {"1.2", "1.2"}, {"Straße", "Stra"},
	}
	for _, tt := range tests {
		if got := key(tt.term); got != tt.key {
			t.Errorf("key(%q) = %q, want %q", tt.term, got, tt.key)
		}
	}
	// All the terms a typed word extends share its shard.
	for _, typed := range []string{"conf", "configu", "tidb_e", "tidb_ena"} {
		for _, term := range []string{"configur", "config", "confirm", "tidb_enable_fast_create_table", "tidb_enable_x"} {
			if strings.HasPrefix(term, typed) && shardOf(term, 1024) != shardOf(typed, 1024) {
				t.Errorf("%q and the typed %q are in different shards", term, typed)
			}
		}
	}
}
