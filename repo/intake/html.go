package intake

import (
	"strings"

	"golang.org/x/net/html"
)

// HTMLText is the text of an HTML message as a person reads it: the text of
// the body without script, style or head, a line break for every block,
// "- " before list items, a link's address after its text when they
// differ, and runs of blank lines collapsed.
func HTMLText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	var href string
	nl := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return collapseBlank(b.String())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			switch tag {
			case "script", "style", "head", "title":
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
				continue
			case "br":
				b.WriteByte('\n')
			case "p", "div", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "hr":
				nl()
				if tag == "p" || tag == "ul" || tag == "ol" || tag == "table" || (tag[0] == 'h' && tag != "hr") {
					b.WriteByte('\n') // a paragraph: a blank line (collapseBlank keeps one)
				}
			case "li":
				if tt == html.StartTagToken {
					nl()
					b.WriteString("- ")
				}
			case "td", "th":
				if tt == html.EndTagToken {
					b.WriteByte('\t')
				}
			case "a":
				if tt == html.StartTagToken {
					href = ""
					for hasAttr {
						var k, v []byte
						k, v, hasAttr = z.TagAttr()
						if string(k) == "href" {
							href = string(v)
						}
					}
				} else if href != "" {
					if !strings.HasSuffix(b.String(), href) && (strings.HasPrefix(href, "http:") || strings.HasPrefix(href, "https:")) {
						b.WriteString(" (" + href + ")")
					}
					href = ""
				}
			}
		case html.TextToken:
			if skip > 0 {
				continue
			}
			raw := strings.ReplaceAll(string(z.Text()), "\u00a0", " ")
			t := strings.Join(strings.Fields(raw), " ")
			space := func() {
				if s := b.String(); s != "" && !strings.HasSuffix(s, "\n") && !strings.HasSuffix(s, " ") {
					b.WriteByte(' ')
				}
			}
			if t == "" {
				space()
				continue
			}
			if raw[0] == ' ' || raw[0] == '\n' || raw[0] == '\t' || raw[0] == '\r' {
				space()
			}
			b.WriteString(t)
			if last := raw[len(raw)-1]; last == ' ' || last == '\n' || last == '\t' || last == '\r' {
				space()
			}
		}
	}
}

// collapseBlank trims every line and leaves at most one blank line between
// paragraphs.
func collapseBlank(s string) string {
	var out []string
	blank := false
	for l := range strings.SplitSeq(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		out = append(out, l)
		blank = false
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
