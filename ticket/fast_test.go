package ticket

import (
	"os"
	"testing"
)

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("testdata/fast/bench.md")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("bench.md", data); err != nil {
			b.Fatal(err)
		}
	}
}

func TestFastSchemaTmp(t *testing.T) {
	if currentSchema() != fastSchema {
		t.Fatalf("\n%s\n%s", currentSchema(), fastSchema)
	}
}
