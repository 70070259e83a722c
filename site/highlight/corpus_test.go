package highlight

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// block is one fenced code block of an article.
type block struct {
	lang string
	code []byte
}

// corpusBlocks reads the fenced code blocks of the articles under $DESK_CORPUS (kb-zh and
// kb-en), or skips the test when it is not set.
func corpusBlocks(tb testing.TB) []block {
	tb.Helper()
	root := os.Getenv("DESK_CORPUS")
	if root == "" {
		tb.Skip("DESK_CORPUS not set")
	}
	var blocks []block
	for _, dir := range []string{"kb-zh", "kb-en"} {
		files, err := filepath.Glob(filepath.Join(root, dir, "*.md"))
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			blocks = append(blocks, fencedBlocks(src)...)
		}
	}
	if len(blocks) == 0 {
		tb.Skip("no code blocks under DESK_CORPUS")
	}
	return blocks
}

// fencedBlocks returns the fenced code blocks of a Markdown document, their content
// unindented by the indentation of the opening fence, as CommonMark reads them. Indented
// fences are taken too: in the corpus they sit in list items.
func fencedBlocks(md []byte) []block {
	var out []block
	lines := strings.SplitAfter(string(md), "\n")
	for i := 0; i < len(lines); i++ {
		t := strings.TrimLeft(lines[i], " ")
		indent := len(lines[i]) - len(t)
		if !(strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~")) {
			continue
		}
		fence := t[:len(t)-len(strings.TrimLeft(t, t[:1]))]
		info := strings.Fields(t[len(fence):])
		lang := ""
		if len(info) > 0 {
			lang = info[0]
		}
		var code strings.Builder
		for i++; i < len(lines); i++ {
			l := strings.TrimLeft(lines[i], " ")
			if strings.HasPrefix(l, fence) && strings.TrimSpace(strings.TrimLeft(l, fence[:1])) == "" {
				break
			}
			n := min(indent, len(lines[i])-len(l))
			code.WriteString(lines[i][n:])
		}
		out = append(out, block{lang, []byte(code.String())})
	}
	return out
}

// TestCorpus highlights every fenced block of the corpus and checks each output.
func TestCorpus(t *testing.T) {
	blocks := corpusBlocks(t)
	known := 0
	for _, b := range blocks {
		if Known(b.lang) {
			known++
		}
		if _, err := render(b.lang, b.code); err != nil {
			t.Fatalf("%s block %.60q: %v", b.lang, b.code, err)
		}
	}
	t.Logf("%d blocks, %d in a known language", len(blocks), known)
}

// BenchmarkCorpus highlights every fenced block of the corpus in a known language and
// reports the throughput.
func BenchmarkCorpus(b *testing.B) {
	var blocks []block
	size := 0
	for _, bl := range corpusBlocks(b) {
		if Known(bl.lang) {
			blocks = append(blocks, bl)
			size += len(bl.code)
		}
	}
	b.SetBytes(int64(size))
	var out bytes.Buffer
	for b.Loop() {
		for _, bl := range blocks {
			out.Reset()
			Write(&out, bl.lang, bl.code)
		}
	}
}
