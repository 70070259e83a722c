package site

import (
	"bytes"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/deskhq/desk/site/highlight"
)

// Heading is an entry of an article's table of contents.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// BadLink is a link in an article that points nowhere.
type BadLink struct {
	Line int // in the Markdown body, from 1
	Dest string
	Why  string
}

// Rendered is the HTML of an article body and what was learnt rendering it.
type Rendered struct {
	HTML     []byte
	Headings []Heading // h2 and h3, for the table of contents
	Text     string    // plain text, for the search index
	BadLinks []BadLink
	Assets   []string // repository paths of local images the page shows
}

// linkResolver turns a link destination into a site URL. It is given the
// destination and returns the URL to write, or ok=false with a reason.
type linkResolver func(dest string) (href string, why string, ok bool)

// markdown renders article bodies: CommonMark with GFM tables, task lists,
// strikethrough and autolinks, footnotes, heading anchors that work for any
// script, highlighted code, and raw HTML shown as text.
type markdown struct {
	md goldmark.Markdown
}

func newMarkdown() *markdown {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{}, 100)),
		),
	)
	return &markdown{md: md}
}

// render turns body into HTML. resolve rewrites links between articles.
func (m *markdown) render(body []byte, resolve linkResolver) *Rendered {
	ctx := parser.NewContext(parser.WithIDs(newHeadingIDs()))
	doc := m.md.Parser().Parse(text.NewReader(body), parser.WithContext(ctx))
	out := &Rendered{}
	dropTitle(doc)
	lines := lineStarts(body)
	var plain strings.Builder
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock {
				plain.WriteByte('\n')
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 2 || n.Level == 3 {
				id, _ := n.AttributeString("id")
				idb, _ := id.([]byte)
				out.Headings = append(out.Headings, Heading{Level: n.Level, ID: string(idb), Text: nodeText(n, body)})
			}
		case *ast.Link:
			m.link(n, body, lines, resolve, out)
		case *ast.Image:
			m.image(n, body, lines, resolve, out)
		case *ast.Text:
			plain.Write(n.Segment.Value(body))
			if n.SoftLineBreak() || n.HardLineBreak() {
				plain.WriteByte(' ')
			}
		case *ast.String:
			plain.Write(n.Value)
		case *ast.AutoLink:
			plain.Write(n.Label(body))
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			ls := n.Lines()
			for i := range ls.Len() {
				s := ls.At(i)
				plain.Write(s.Value(body))
			}
		}
		return ast.WalkContinue, nil
	})
	out.Text = plain.String()
	var b bytes.Buffer
	b.Grow(len(body) * 2)
	if err := m.md.Renderer().Render(&b, body, doc); err != nil {
		// The renderers write to memory and do not fail; keep the text visible.
		b.Reset()
		b.WriteString("<pre>")
		b.WriteString(htmlEscape(string(body)))
		b.WriteString("</pre>")
	}
	// Table headers name their columns (WCAG H63): goldmark writes a bare
	// <th>. Raw HTML in an article is shown as text, so every <th> here is
	// goldmark's.
	out.HTML = []byte(thScope.Replace(b.String()))
	return out
}

var thScope = strings.NewReplacer("<th>", `<th scope="col">`, "<th style=", `<th scope="col" style=`)

// dropTitle removes a first-level heading that opens the body: the page shows
// the title itself.
func dropTitle(doc ast.Node) {
	first := doc.FirstChild()
	if h, ok := first.(*ast.Heading); ok && h.Level == 1 {
		doc.RemoveChild(doc, first)
	}
}

// link rewrites the destination of a link to another article, and marks
// links that are unsafe or point nowhere.
func (m *markdown) link(n *ast.Link, body []byte, lines []int, resolve linkResolver, out *Rendered) {
	dest := string(n.Destination)
	if !safeURL(dest) {
		n.SetAttributeString("data-drop", true)
		out.BadLinks = append(out.BadLinks, BadLink{Line: lineOf(n, lines), Dest: dest, Why: "a link of this scheme is not allowed; it was removed"})
		return
	}
	href, why, ok := resolve(dest)
	if !ok {
		n.SetAttributeString("data-drop", true)
		out.BadLinks = append(out.BadLinks, BadLink{Line: lineOf(n, lines), Dest: dest, Why: why})
		return
	}
	n.Destination = []byte(href)
}

// image keeps local images and turns images on other hosts into links: the
// site never loads anything from another host.
func (m *markdown) image(n *ast.Image, body []byte, lines []int, resolve linkResolver, out *Rendered) {
	dest := string(n.Destination)
	if !safeURL(dest) {
		n.SetAttributeString("data-drop", true)
		out.BadLinks = append(out.BadLinks, BadLink{Line: lineOf(n, lines), Dest: dest, Why: "an image of this scheme is not allowed; it was removed"})
		return
	}
	if isRemote(dest) {
		n.SetAttributeString("data-remote", true)
		return
	}
	href, why, ok := resolve(dest)
	if !ok {
		n.SetAttributeString("data-drop", true)
		out.BadLinks = append(out.BadLinks, BadLink{Line: lineOf(n, lines), Dest: dest, Why: why})
		return
	}
	n.Destination = []byte(href)
}

// safeURL allows relative URLs and the schemes a knowledge base links to.
// Browsers ignore tabs and newlines inside a scheme ("java\tscript:"), so
// they are removed before looking at it.
func safeURL(dest string) bool {
	clean := strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, dest)
	i := strings.IndexAny(clean, ":/?#")
	if i < 0 || clean[i] != ':' {
		return true // no scheme: a relative URL
	}
	switch strings.ToLower(clean[:i]) {
	case "http", "https", "mailto", "ftp", "tel":
		return true
	}
	return false
}

// isRemote reports whether dest names another host.
func isRemote(dest string) bool {
	u, err := url.Parse(strings.TrimSpace(dest))
	return err != nil || u.Scheme != "" || u.Host != ""
}

// lineStarts returns the offset of the start of each line of src.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineOf returns the line (from 1) where an inline node's text starts, or
// that of its block when it has no text.
func lineOf(n ast.Node, lines []int) int {
	off := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			off = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if off < 0 {
		for p := n.Parent(); p != nil; p = p.Parent() {
			if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
				off = p.Lines().At(0).Start
				break
			}
		}
	}
	if off < 0 {
		return 0
	}
	lo, hi := 0, len(lines)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if lines[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + 1
}

// nodeText is the plain text of an inline tree.
func nodeText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if s, ok := t.(*ast.Text); ok {
					b.Write(s.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// headingIDs makes heading anchors from the heading text in any script:
// letters and digits of every language are kept (a Chinese heading keeps
// its characters), everything else becomes single hyphens. Repeats get -1,
// -2, … as GitHub does.
type headingIDs struct{ used map[string]bool }

func newHeadingIDs() *headingIDs { return &headingIDs{used: map[string]bool{}} }

func (h *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	var b strings.Builder
	hyphen := false
	for len(value) > 0 {
		r, size := utf8.DecodeRune(value)
		value = value[size:]
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(unicode.ToLower(r))
		case r == '_' || r == '-' || unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r):
			hyphen = true
		}
	}
	base := b.String()
	if base == "" {
		base = "section"
	}
	id := base
	for i := 1; h.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	h.used[id] = true
	return []byte(id)
}

func (h *headingIDs) Put(value []byte) { h.used[string(value)] = true }

// nodeRenderer overrides goldmark's HTML for the nodes where the site differs:
// headings get an anchor link, code is highlighted, raw HTML is shown as
// text, and links marked by the walk are dropped or turned into plain links.
type nodeRenderer struct{}

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, r.heading)
	reg.Register(ast.KindFencedCodeBlock, r.fenced)
	reg.Register(ast.KindCodeBlock, r.indented)
	reg.Register(ast.KindRawHTML, r.rawHTML)
	reg.Register(ast.KindHTMLBlock, r.htmlBlock)
	reg.Register(ast.KindLink, r.link)
	reg.Register(ast.KindImage, r.image)
	reg.Register(extast.KindTaskCheckBox, r.taskCheckBox)
}

func (r *nodeRenderer) heading(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	level := "0123456"[n.Level]
	id, _ := n.AttributeString("id")
	idb, _ := id.([]byte)
	if entering {
		w.WriteString("<h")
		w.WriteByte(level)
		if len(idb) > 0 {
			w.WriteString(` id="`)
			w.WriteString(htmlEscape(string(idb)))
			w.WriteByte('"')
		}
		w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	if len(idb) > 0 {
		w.WriteString(`<a class="anchor" href="#`)
		w.WriteString(htmlEscape(url.PathEscape(string(idb))))
		w.WriteString(`" aria-hidden="true" tabindex="-1">#</a>`)
	}
	w.WriteString("</h")
	w.WriteByte(level)
	w.WriteString(">\n")
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) fenced(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.FencedCodeBlock)
	lang := strings.ToLower(string(n.Language(src)))
	var code bytes.Buffer
	for i := range n.Lines().Len() {
		s := n.Lines().At(i)
		code.Write(s.Value(src))
	}
	var b bytes.Buffer
	if highlight.Known(lang) {
		b.WriteString(`<pre class="code"><code class="language-`)
		b.WriteString(htmlEscape(lang))
		b.WriteString(`">`)
	} else {
		b.WriteString(`<pre class="code"><code>`)
	}
	highlight.Write(&b, lang, code.Bytes())
	b.WriteString("</code></pre>\n")
	w.Write(b.Bytes())
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) indented(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	w.WriteString(`<pre class="code"><code>`)
	for i := range node.Lines().Len() {
		s := node.Lines().At(i)
		w.WriteString(htmlEscape(string(s.Value(src))))
	}
	w.WriteString("</code></pre>\n")
	return ast.WalkSkipChildren, nil
}

// rawHTML shows inline HTML as the text it is. A line break (<br>) is the
// one tag kept: tables in real articles use it, and it cannot run anything.
func (r *nodeRenderer) rawHTML(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	var raw []byte
	for i := range n.Segments.Len() {
		s := n.Segments.At(i)
		raw = append(raw, s.Value(src)...)
	}
	if isBreak(raw) {
		w.WriteString("<br>")
	} else {
		w.WriteString(`<code class="raw-html">`)
		w.WriteString(htmlEscape(string(raw)))
		w.WriteString("</code>")
	}
	return ast.WalkSkipChildren, nil
}

func isBreak(raw []byte) bool {
	s := strings.ToLower(strings.ReplaceAll(string(raw), " ", ""))
	return s == "<br>" || s == "<br/>"
}

func (r *nodeRenderer) htmlBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.HTMLBlock)
	var raw strings.Builder
	for i := range n.Lines().Len() {
		s := n.Lines().At(i)
		raw.Write(s.Value(src))
	}
	if n.HasClosure() {
		raw.Write(n.ClosureLine.Value(src))
	}
	text := strings.TrimRight(raw.String(), "\n")
	if isBreak([]byte(strings.TrimSpace(text))) {
		w.WriteString("<br>\n")
		return ast.WalkSkipChildren, nil
	}
	w.WriteString(`<pre class="raw-html">`)
	w.WriteString(htmlEscape(text))
	w.WriteString("</pre>\n")
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) link(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if _, drop := n.AttributeString("data-drop"); drop {
		if entering {
			w.WriteString(`<span class="broken-link">`)
		} else {
			w.WriteString(`</span>`)
		}
		return ast.WalkContinue, nil
	}
	if entering {
		w.WriteString(`<a href="`)
		w.WriteString(htmlEscape(string(util.URLEscape(n.Destination, true))))
		w.WriteByte('"')
		if len(n.Title) > 0 {
			w.WriteString(` title="`)
			w.WriteString(htmlEscape(string(n.Title)))
			w.WriteByte('"')
		}
		w.WriteByte('>')
	} else {
		w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) image(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	alt := nodeText(n, src)
	if _, drop := n.AttributeString("data-drop"); drop {
		w.WriteString(htmlEscape(alt))
		return ast.WalkSkipChildren, nil
	}
	dest := htmlEscape(string(util.URLEscape(n.Destination, true)))
	if _, remote := n.AttributeString("data-remote"); remote {
		// An image on another host is a link the reader may follow, never
		// something the page loads by itself.
		if alt == "" {
			alt = path.Base(string(n.Destination))
		}
		w.WriteString(`<a class="remote-image" href="` + dest + `">` + htmlEscape(alt) + `</a>`)
		return ast.WalkSkipChildren, nil
	}
	w.WriteString(`<img src="` + dest + `" alt="` + htmlEscape(alt) + `" loading="lazy">`)
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) taskCheckBox(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*extast.TaskCheckBox)
	if n.IsChecked {
		w.WriteString(`<input type="checkbox" checked disabled aria-label="done"> `)
	} else {
		w.WriteString(`<input type="checkbox" disabled aria-label="to do"> `)
	}
	return ast.WalkContinue, nil
}

var escaper = strings.NewReplacer(`&`, "&amp;", `<`, "&lt;", `>`, "&gt;", `"`, "&#34;", `'`, "&#39;")

func htmlEscape(s string) string { return escaper.Replace(s) }

// Compile-time check that headingIDs satisfies goldmark's interface.
var _ parser.IDs = (*headingIDs)(nil)
