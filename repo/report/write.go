package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// Formats are the output formats of Write.
var Formats = []string{"md", "json", "html"}

// Write renders rep in format: "md", "json" or "html".
func Write(w io.Writer, format string, rep *Report) error {
	switch format {
	case "md":
		return writeMarkdown(w, rep)
	case "json":
		return writeJSON(w, rep)
	case "html":
		return writeHTML(w, rep)
	}
	return fmt.Errorf("unknown report format %q", format)
}

// writeJSON renders every figure, two-space indented, keys in the order of
// the Report type.
func writeJSON(w io.Writer, rep *Report) error {
	b := bufio.NewWriter(w)
	enc := json.NewEncoder(b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		return err
	}
	return b.Flush()
}
