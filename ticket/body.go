package ticket

import (
	"strings"
)

// AppendToSection adds text at the end of the body section under
// "## heading", after whatever it holds, creating the section at the end of
// the body when it is missing. HTML comments left by a template are kept.
func (f *File) AppendToSection(heading, text string) {
	body := string(f.Doc.Body())
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	lines := strings.SplitAfter(body, "\n")
	start, end := -1, len(lines)
	fence := ""
	for i, l := range lines {
		t := strings.TrimRight(l, "\r\n")
		if s := strings.TrimLeft(t, " "); strings.HasPrefix(s, "```") || strings.HasPrefix(s, "~~~") {
			switch {
			case fence == "":
				fence = s[:3]
			case strings.HasPrefix(s, fence):
				fence = ""
			}
			continue
		}
		if fence != "" {
			continue
		}
		if start < 0 {
			if h, ok := strings.CutPrefix(t, "## "); ok && strings.TrimSpace(h) == heading {
				start = i
			}
			continue
		}
		if strings.HasPrefix(t, "# ") || strings.HasPrefix(t, "## ") {
			end = i
			break
		}
	}
	if start < 0 {
		body = strings.TrimRight(body, "\n")
		if body != "" {
			body += "\n\n"
		}
		f.Doc.SetBody([]byte(body + "## " + heading + "\n\n" + text + "\n"))
		return
	}
	section := strings.TrimRight(strings.Join(lines[start+1:end], ""), "\n \t")
	var b strings.Builder
	b.WriteString(strings.Join(lines[:start+1], ""))
	if strings.TrimSpace(section) != "" {
		b.WriteString(section + "\n")
	}
	b.WriteString("\n" + text + "\n")
	if end < len(lines) {
		b.WriteString("\n" + strings.Join(lines[end:], ""))
	}
	f.Doc.SetBody([]byte(b.String()))
}
