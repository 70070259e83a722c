package highlight

import (
	"bytes"
	"fmt"
	"strings"
)

// classOf maps each class name Write may emit to its class.
var classOf = func() map[string]class {
	m := map[string]class{}
	for c := class(1); c < nClasses; c++ {
		name := strings.TrimSuffix(strings.TrimPrefix(openTag[c], `<span class="`), `">`)
		m[name] = c
	}
	return m
}()

var entities = []struct {
	name []byte
	c    byte
}{{[]byte("&lt;"), '<'}, {[]byte("&gt;"), '>'}, {[]byte("&amp;"), '&'}, {[]byte("&quot;"), '"'}}

// parse checks that out is what Write may produce and returns its text and its spans written
// as «class:text», with the text unescaped. Write's output must be escaped text with
// <span class="X"> runs of known classes: no other tag, no nesting, no empty span, no raw <,
// >, " or & outside the tags and entities.
func parse(out []byte) (text []byte, marked string, err error) {
	var mk strings.Builder
	open := false
	spanStart := 0
	for i := 0; i < len(out); {
		c := out[i]
		switch c {
		case '<':
			if bytes.HasPrefix(out[i:], []byte("</span>")) {
				if !open {
					return nil, "", fmt.Errorf("offset %d: </span> without a span", i)
				}
				if len(text) == spanStart {
					return nil, "", fmt.Errorf("offset %d: empty span", i)
				}
				open = false
				mk.WriteString("»")
				i += len("</span>")
				continue
			}
			rest := out[i:]
			if !bytes.HasPrefix(rest, []byte(`<span class="`)) {
				return nil, "", fmt.Errorf("offset %d: raw < or unknown tag: %.20q", i, rest)
			}
			end := bytes.Index(rest, []byte(`">`))
			if end < 0 {
				return nil, "", fmt.Errorf("offset %d: unterminated tag", i)
			}
			name := string(rest[len(`<span class="`):end])
			if _, ok := classOf[name]; !ok {
				return nil, "", fmt.Errorf("offset %d: unknown class %q", i, name)
			}
			if open {
				return nil, "", fmt.Errorf("offset %d: nested span", i)
			}
			open = true
			spanStart = len(text)
			mk.WriteString("«" + name + ":")
			i += end + 2
		case '&':
			var r byte
			n := 0
			for _, ent := range entities {
				if bytes.HasPrefix(out[i:], ent.name) {
					r, n = ent.c, len(ent.name)
				}
			}
			if n == 0 {
				return nil, "", fmt.Errorf("offset %d: raw & or unknown entity: %.10q", i, out[i:])
			}
			text = append(text, r)
			mk.WriteByte(r)
			i += n
		case '>', '"':
			return nil, "", fmt.Errorf("offset %d: raw %q", i, c)
		default:
			text = append(text, c)
			mk.WriteByte(c)
			i++
		}
	}
	if open {
		return nil, "", fmt.Errorf("span left open")
	}
	return text, mk.String(), nil
}

// render highlights code as lang and checks the output; it returns the marked form.
func render(lang string, code []byte) (string, error) {
	var b bytes.Buffer
	b.WriteString("<pre>") // Write appends: what the buffer held stays
	ok := Write(&b, lang, code)
	if ok != Known(lang) {
		return "", fmt.Errorf("Write returned %v, Known %v", ok, Known(lang))
	}
	out, found := bytes.CutPrefix(b.Bytes(), []byte("<pre>"))
	if !found {
		return "", fmt.Errorf("Write overwrote the buffer")
	}
	text, marked, err := parse(out)
	if err != nil {
		return "", err
	}
	if !bytes.Equal(text, code) {
		return "", fmt.Errorf("text changed:\n got %q\nwant %q", text, code)
	}
	if !ok && bytes.Contains(out, []byte("<span")) {
		return "", fmt.Errorf("unknown language %q highlighted", lang)
	}
	return marked, nil
}

// lexerLangs holds one alias of each lexer, for tests that run them all.
var lexerLangs = []string{"sh", "sql", "go", "python", "js", "ts", "json", "c", "cpp", "java", "groovy",
	"cs", "yaml", "toml", "ini", "html"}
