package highlight

import "bytes"

// lexTOML highlights TOML: table headers as keywords, keys, and values by type. Arrays and
// inline tables may span lines.
func lexTOML(e *emitter, src []byte) {
	var stack []byte // open [ and {
	key := true      // a key is expected
	for i := tomlHeader(e, src, 0); i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			e.emit(plain, src[i:i+1])
			i++
			if len(stack) > 0 && tomlKeyLine(src, i) { // an array left open: start afresh
				stack = stack[:0]
			}
			key = len(stack) == 0
			if key {
				i = tomlHeader(e, src, i)
			}
			continue
		case isBlank(c):
			j := skipBlanks(src, i)
			e.emit(plain, src[i:j])
			i = j
			continue
		case c == '#':
			j := lineEnd(src, i)
			e.emit(comment, src[i:j])
			i = j
			continue
		}
		switch {
		case key && (c == '"' || c == '\''):
			j := tomlString(src, i)
			e.emit(tag, src[i:j])
			i = j
		case key && c != '=' && c != '{' && c != '[' && c != ',' && c != '}' && c != ']':
			j := i
			for j < len(src) && !isBlank(src[j]) && src[j] != '\n' && src[j] != '=' && src[j] != '"' && src[j] != '\'' && src[j] != '#' {
				j++
			}
			if j == i {
				j++
			}
			e.emit(tag, src[i:j])
			i = j
		case c == '=':
			e.emit(operator, src[i:i+1])
			key = false
			i++
		case c == '"' || c == '\'':
			j := tomlString(src, i)
			e.emit(str, src[i:j])
			i = j
		case c == '[' || c == '{':
			stack = append(stack, c)
			key = c == '{'
			e.emit(plain, src[i:i+1])
			i++
		case c == ']' || c == '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			key = false
			e.emit(plain, src[i:i+1])
			i++
		case c == ',':
			key = len(stack) > 0 && stack[len(stack)-1] == '{'
			e.emit(plain, src[i:i+1])
			i++
		default:
			j := i
			for j < len(src) && !tomlStop[src[j]] {
				j++
			}
			if j == i {
				j++
			}
			w := src[i:j]
			cls := plain
			switch {
			case string(w) == "true" || string(w) == "false":
				cls = constant
			case tomlNumber(w):
				cls = number
			}
			e.emit(cls, w)
			i = j
		}
	}
}

// tomlStop are the bytes that end a bare value.
var tomlStop = [256]bool{' ': true, '\t': true, '\r': true, '\f': true, '\v': true, '\n': true, ',': true,
	']': true, '}': true, '#': true, '=': true, '"': true, '\'': true, '[': true, '{': true}

// tomlHeader writes the [table] or [[array]] header that starts the line at src[i], if any,
// and returns where the line goes on.
func tomlHeader(e *emitter, src []byte, i int) int {
	j := skipBlanks(src, i)
	if j >= len(src) || src[j] != '[' {
		return i
	}
	end := lineEnd(src, j)
	k := bytes.IndexByte(src[j:end], ']')
	if k < 0 {
		return i
	}
	k += j + 1
	if k < end && src[k] == ']' {
		k++
	}
	e.emit(plain, src[i:j])
	e.emit(keyword, src[j:k])
	return k
}

// tomlKeyLine reports whether the line at src[i] reads "key =", which shows that an array
// before it was never closed.
func tomlKeyLine(src []byte, i int) bool {
	j := skipBlanks(src, i)
	k := j
	for k < len(src) && (isAlpha(src[k]) || isDigit(src[k]) || src[k] == '_' || src[k] == '-' || src[k] == '.') {
		k++
	}
	k2 := skipBlanks(src, k)
	return k > j && k2 < len(src) && src[k2] == '='
}

// tomlString returns the end of the string at src[i]: basic "..." with escapes, literal
// '...', and their multi-line forms opened by three quotes. A single-line string not closed
// ends at its line.
func tomlString(src []byte, i int) int {
	q := src[i]
	if i+2 < len(src) && src[i+1] == q && src[i+2] == q {
		j := i + 3
		for j < len(src) {
			if src[j] == '\\' && q == '"' {
				j += 2
				continue
			}
			if src[j] == q && j+2 < len(src) && src[j+1] == q && src[j+2] == q {
				j += 3
				for j < len(src) && src[j] == q { // """a"""" ends with a quote in the string
					j++
				}
				return j
			}
			j++
		}
		return len(src)
	}
	j := i + 1
	for j < len(src) && src[j] != '\n' {
		if src[j] == '\\' && q == '"' && j+1 < len(src) && src[j+1] != '\n' {
			j += 2
			continue
		}
		if src[j] == q {
			return j + 1
		}
		j++
	}
	return j
}

// tomlNumber reports whether w is a TOML number or date-time: 42, +1_000, 3.14, 5e+22, 0xff,
// inf, nan, 1979-05-27, 07:32:00, 1979-05-27T07:32:00Z.
func tomlNumber(w []byte) bool {
	switch string(w) {
	case "inf", "+inf", "-inf", "nan", "+nan", "-nan":
		return true
	}
	if len(w) > 0 && (w[0] == '+' || w[0] == '-') {
		w = w[1:]
	}
	if len(w) == 0 || !isDigit(w[0]) {
		return false
	}
	for _, c := range w {
		if !(isDigit(c) || c == '_' || c == '.' || c == '-' || c == '+' || c == ':' || 'a' <= c|0x20 && c|0x20 <= 'f' ||
			c == 'x' || c == 'o' || c == 'T' || c == 'Z' || c == 'z' || c == 't') {
			return false
		}
	}
	return true
}

// iniConstants are the values INI-like files read as booleans.
var iniConstants = set(`true false yes no on off True False Yes No On Off TRUE FALSE YES NO ON OFF`)

// lexINI highlights INI files and their relatives (.properties, .env, .gitconfig): [section]
// headers as keywords, keys, quoted values as strings, numbers, booleans, and comments.
func lexINI(e *emitter, src []byte) {
	for i := 0; i < len(src); {
		end := lineEnd(src, i)
		iniLine(e, src[i:end])
		i = emitNewline(e, src, end)
	}
}

func iniLine(e *emitter, line []byte) {
	i := skipBlanks(line, 0)
	e.emit(plain, line[:i])
	if i == len(line) {
		return
	}
	switch line[i] {
	case '#', ';', '!':
		e.emit(comment, line[i:])
		return
	case '[':
		if k := bytes.IndexByte(line[i:], ']'); k > 0 {
			e.emit(keyword, line[i:i+k+1])
			iniValue(e, line, i+k+1)
			return
		}
	}
	if bytes.HasPrefix(line[i:], []byte("export ")) { // .env files written for the shell
		e.emit(keyword, line[i:i+6])
		i += 6
		j := skipBlanks(line, i)
		e.emit(plain, line[i:j])
		i = j
	}
	k := i
	for k < len(line) && line[k] != '=' && line[k] != ':' {
		k++
	}
	if k == len(line) || k == i {
		iniValue(e, line, i)
		return
	}
	name := k
	for name > i && isBlank(line[name-1]) {
		name--
	}
	e.emit(tag, line[i:name])
	e.emit(plain, line[name:k])
	e.emit(operator, line[k:k+1])
	iniValue(e, line, k+1)
}

// iniValue writes the value at line[i]: one quoted string or number or boolean, or plain text,
// then an inline comment started by a blank and # or ;.
func iniValue(e *emitter, line []byte, i int) {
	j := skipBlanks(line, i)
	e.emit(plain, line[i:j])
	i = j
	if i == len(line) {
		return
	}
	if q := line[i]; q == '"' || q == '\'' {
		if k := bytes.IndexByte(line[i+1:], q); k >= 0 {
			e.emit(str, line[i:i+k+2])
			i += k + 2
		}
	}
	end := len(line)
	for k := i; k < len(line); k++ {
		if (line[k] == '#' || line[k] == ';') && (k == 0 || isBlank(line[k-1])) {
			end = k
			break
		}
	}
	v := line[i:end]
	t := bytes.TrimRight(v, " \t\r")
	cls := plain
	switch {
	case iniConstants[string(t)]:
		cls = constant
	case tomlNumber(t) && !bytes.ContainsAny(t, "xoTZzt"):
		cls = number
	}
	e.emit(cls, t)
	e.emit(plain, v[len(t):])
	e.emit(comment, line[end:])
}
