package front

import (
	"testing"

	"github.com/BurntSushi/toml"
)

func BenchmarkParse(b *testing.B) {
	data := fixture(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseNoValidate(b *testing.B) {
	data := fixture(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseNoValidate(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTOMLDecode is BurntSushi's decode of the same front matter, for
// comparison.
func BenchmarkTOMLDecode(b *testing.B) {
	d, _ := Parse(fixture(b))
	fm := string(d.FrontMatter())
	for b.Loop() {
		var m map[string]any
		if _, err := toml.Decode(fm, &m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendEvent(b *testing.B) {
	data := fixture(b)
	for b.Loop() {
		d, _ := ParseNoValidate(data)
		d.Set("", "status", String("closed"))
		d.AppendArrayTable("events", []KV{{"at", "2026-11-22T12:00:00+08:00"}, {"by", String("li.si")}, {"action", String("transition")}, {"to", String("closed")}})
		_ = d.Bytes()
	}
}

func BenchmarkKeyIn(b *testing.B) {
	d, _ := Parse(fixture(b))
	for b.Loop() {
		if _, ok := d.KeyIn("events", 7, "value"); !ok {
			b.Fatal("missing")
		}
	}
}
