package highlight

import (
	"bytes"
	"strings"
)

// class is the kind of a token; it names the CSS class of its span.
type class uint8

const (
	plain       class = iota
	keyword           // k
	typ               // kt
	constant          // kc
	str               // s
	comment           // c
	preproc           // cp
	number            // m
	function          // nf
	builtin           // nb
	variable          // nv
	decorator         // nd
	operator          // o
	prompt            // gp
	output            // go
	tag               // nt
	attribute         // na
	placeholder       // ph
	nClasses
)

// openTag holds the opening tag of each class's span; plain text has none.
var openTag = [nClasses]string{
	keyword:     `<span class="k">`,
	typ:         `<span class="kt">`,
	constant:    `<span class="kc">`,
	str:         `<span class="s">`,
	comment:     `<span class="c">`,
	preproc:     `<span class="cp">`,
	number:      `<span class="m">`,
	function:    `<span class="nf">`,
	builtin:     `<span class="nb">`,
	variable:    `<span class="nv">`,
	decorator:   `<span class="nd">`,
	operator:    `<span class="o">`,
	prompt:      `<span class="gp">`,
	output:      `<span class="go">`,
	tag:         `<span class="nt">`,
	attribute:   `<span class="na">`,
	placeholder: `<span class="ph">`,
}

// lexer cuts src into tokens and hands each to e, in order and without a gap.
type lexer func(e *emitter, src []byte)

// languages maps every alias, lower-case, to its lexer.
var languages = map[string]lexer{}

func register(lx lexer, aliases ...string) {
	for _, a := range aliases {
		languages[a] = lx
	}
}

func init() {
	register(lexShell, "sh", "bash", "shell", "console", "zsh", "ksh", "shellsession", "shell-session", "terminal")
	register(codeLexer(sqlSpec), "sql", "mysql", "mariadb", "postgresql", "postgres", "pgsql", "sqlite", "plsql")
	register(codeLexer(goSpec), "go", "golang")
	register(codeLexer(pythonSpec), "python", "py", "python3", "py3")
	register(codeLexer(jsSpec), "javascript", "js", "jsx", "mjs", "cjs", "node")
	register(codeLexer(tsSpec), "typescript", "ts", "tsx")
	register(codeLexer(jsonSpec), "json", "jsonc", "json5")
	register(codeLexer(cSpec), "c", "h")
	register(codeLexer(cppSpec), "cpp", "c++", "cc", "cxx", "hpp")
	register(codeLexer(javaSpec), "java")
	register(codeLexer(groovySpec), "groovy", "gradle")
	register(codeLexer(csharpSpec), "cs", "csharp", "c#")
	register(lexYAML, "yaml", "yml")
	register(lexTOML, "toml")
	register(lexINI, "ini", "cfg", "dosini", "properties", "dotenv", "env", "gitconfig", "editorconfig")
	register(lexMarkup, "html", "htm", "xhtml", "xml", "svg", "xsd", "xsl", "xslt", "rss", "atom", "plist", "vue")
}

// lookup finds the lexer of lang: any alias, in any case, with surrounding blanks ignored.
func lookup(lang string) lexer {
	if lx, ok := languages[lang]; ok {
		return lx
	}
	return languages[strings.ToLower(strings.TrimSpace(lang))]
}

// Known reports whether lang (any alias, case-insensitive) is highlighted.
func Known(lang string) bool {
	return lookup(lang) != nil
}

// Write appends the HTML of code highlighted as lang to b: HTML-escaped text with
// <span class="..."> runs. ok is false when lang is unknown (the text is then written
// escaped, without spans).
//
// Spans never nest; a span may cross a line break only inside a multi-line token such as a
// block comment or a here-document.
func Write(b *bytes.Buffer, lang string, code []byte) (ok bool) {
	lx := lookup(lang)
	if lx == nil {
		escape(b, code)
		return false
	}
	b.Grow(len(code) + len(code)/2)
	e := emitter{b: b}
	lx(&e, code)
	e.flush()
	return true
}

// emitter writes tokens as HTML. Neighbouring tokens of one class share a span, and so do
// tokens of one class separated only by spaces or tabs ("ORDER BY" is one keyword span).
type emitter struct {
	b   *bytes.Buffer
	cur class  // class of the open span; plain when none is open
	ws  []byte // blanks after the open span, held back until the next token's class is known
}

// emit writes the token t of class c.
func (e *emitter) emit(c class, t []byte) {
	if len(t) == 0 {
		return
	}
	if c == e.cur {
		if e.ws != nil {
			e.b.Write(e.ws)
			e.ws = nil
		}
		escape(e.b, t)
		return
	}
	if c == plain && e.ws == nil && blank(t) {
		e.ws = t
		return
	}
	if e.cur != plain {
		e.b.WriteString("</span>")
	}
	if e.ws != nil {
		e.b.Write(e.ws)
		e.ws = nil
	}
	if c != plain {
		e.b.WriteString(openTag[c])
	}
	e.cur = c
	escape(e.b, t)
}

// flush closes the open span, if any.
func (e *emitter) flush() {
	if e.cur != plain {
		e.b.WriteString("</span>")
		e.cur = plain
	}
	if e.ws != nil {
		e.b.Write(e.ws)
		e.ws = nil
	}
}

func blank(t []byte) bool {
	for _, c := range t {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// special marks the bytes HTML text must not carry as is.
var special = [256]bool{'<': true, '>': true, '&': true, '"': true}

// escape writes t with <, >, & and " replaced by entities. Other bytes, invalid UTF-8
// included, pass through unchanged.
func escape(b *bytes.Buffer, t []byte) {
	last := 0
	for i, c := range t {
		if !special[c] {
			continue
		}
		b.Write(t[last:i])
		switch c {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteString("&quot;")
		}
		last = i + 1
	}
	b.Write(t[last:])
}
