package highlight

import "bytes"

// yamlConstants are the plain scalars YAML 1.1 and 1.2 read as booleans and null.
var yamlConstants = set(`true false True False TRUE FALSE null Null NULL ~ yes no Yes No YES NO on off On Off ON OFF`)

// lexYAML highlights YAML line by line: keys, scalars by kind, anchors and aliases, tags,
// comments, and the bodies of block scalars (| and >) as strings.
func lexYAML(e *emitter, src []byte) {
	block := -1 // indentation of the line that opened a block scalar; -1 outside one
	for i := 0; i < len(src); {
		end := lineEnd(src, i)
		line := src[i:end]
		indent := skipBlanks(line, 0)
		if block >= 0 {
			if indent == len(line) || indent > block {
				e.emit(str, line)
				i = emitNewline(e, src, end)
				continue
			}
			block = -1
		}
		if yamlLine(e, line, indent) {
			block = indent
		}
		i = emitNewline(e, src, end)
	}
}

// emitNewline writes the newline at src[end], if any, and returns where the next line starts.
func emitNewline(e *emitter, src []byte, end int) int {
	if end < len(src) {
		e.emit(plain, src[end:end+1])
		return end + 1
	}
	return end
}

// yamlLine writes one line; it reports whether the line opens a block scalar.
func yamlLine(e *emitter, line []byte, i int) bool {
	e.emit(plain, line[:i])
	if i == 0 && (bytes.HasPrefix(line, []byte("---")) || bytes.HasPrefix(line, []byte("..."))) &&
		(len(line) == 3 || isBlank(line[3])) {
		e.emit(operator, line[:3])
		i = 3
	} else if i == 0 && len(line) > 0 && line[0] == '%' {
		e.emit(preproc, line)
		return false
	}
	for { // sequence entries: "- - a"
		j := skipBlanks(line, i)
		e.emit(plain, line[i:j])
		i = j
		if i < len(line) && line[i] == '-' && (i+1 == len(line) || isBlank(line[i+1])) {
			e.emit(operator, line[i:i+1])
			i++
			continue
		}
		break
	}
	if k := yamlKeyEnd(line, i); k > i {
		e.emit(tag, line[i:k])
		i = k
		j := skipBlanks(line, i)
		e.emit(plain, line[i:j])
		e.emit(plain, line[j:j+1]) // the colon
		i = j + 1
	}
	return yamlValue(e, line, i, 0)
}

// yamlKeyEnd returns the end of the mapping key at line[i] (before its colon), or i.
func yamlKeyEnd(line []byte, i int) int {
	if i >= len(line) {
		return i
	}
	switch c := line[i]; c {
	case '"', '\'':
		k := yamlQuoteEnd(line, i)
		j := skipBlanks(line, k)
		if k > i+1 && line[k-1] == c && j < len(line) && line[j] == ':' && (j+1 == len(line) || isBlank(line[j+1])) {
			return k
		}
		return i
	case '{', '[', '|', '>', '&', '*', '!', '#', '%', '@', '`', ',', '?':
		return i
	}
	for j := i; j < len(line); j++ {
		switch line[j] {
		case ':':
			if j+1 == len(line) || isBlank(line[j+1]) {
				k := j
				for k > i && isBlank(line[k-1]) {
					k--
				}
				return k
			}
		case '#':
			if isBlank(line[j-1]) {
				return i
			}
		}
	}
	return i
}

// yamlQuoteEnd returns the end of the quoted scalar at line[i], its closing quote included,
// or the end of the line when it is not closed there.
func yamlQuoteEnd(line []byte, i int) int {
	q := line[i]
	for j := i + 1; j < len(line); j++ {
		switch line[j] {
		case '\\':
			if q == '"' {
				j++
			}
		case q:
			if q == '\'' && j+1 < len(line) && line[j+1] == '\'' {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(line)
}

// yamlValue writes the value part of a line from line[i]; flow > 0 inside [ ] or { }. It
// reports whether the value opens a block scalar.
func yamlValue(e *emitter, line []byte, i int, flow int) bool {
	for i < len(line) {
		c := line[i]
		switch {
		case isBlank(c):
			j := skipBlanks(line, i)
			e.emit(plain, line[i:j])
			i = j
		case c == '#' && (i == 0 || isBlank(line[i-1])):
			e.emit(comment, line[i:])
			return false
		case c == '"' || c == '\'':
			j := yamlQuoteEnd(line, i)
			cls := str
			if flow > 0 && followedByColon(line, j) {
				cls = tag
			}
			e.emit(cls, line[i:j])
			i = j
		case c == '&' || c == '*' || c == '!':
			j := i + 1
			for j < len(line) && !isBlank(line[j]) && (flow == 0 || !isFlowMark(line[j])) {
				j++
			}
			cls := variable
			if c == '!' {
				cls = typ
			}
			e.emit(cls, line[i:j])
			i = j
		case (c == '|' || c == '>') && flow == 0:
			j := i + 1
			for j < len(line) && (line[j] == '-' || line[j] == '+' || isDigit(line[j])) {
				j++
			}
			k := skipBlanks(line, j)
			if k < len(line) && line[k] != '#' {
				e.emit(plain, line[i:])
				return false
			}
			e.emit(operator, line[i:j])
			yamlValue(e, line, j, flow)
			return true
		case c == '[' || c == '{':
			flow++
			e.emit(plain, line[i:i+1])
			i++
		case (c == ']' || c == '}') && flow > 0:
			flow--
			e.emit(plain, line[i:i+1])
			i++
		case c == ',' && flow > 0:
			e.emit(plain, line[i:i+1])
			i++
		case c == ':' && (i+1 == len(line) || isBlank(line[i+1]) || flow > 0 && isFlowMark(line[i+1])):
			e.emit(plain, line[i:i+1])
			i++
		default:
			j := yamlScalarEnd(line, i, flow)
			s := line[i:j]
			cls := plain
			switch {
			case flow > 0 && followedByColon(line, j):
				cls = tag
			case yamlConstants[string(s)]:
				cls = constant
			case yamlNumber(s):
				cls = number
			}
			e.emit(cls, s)
			i = j
		}
	}
	return false
}

func isFlowMark(c byte) bool { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}' }

// yamlScalarEnd returns the end of the plain scalar at line[i]: before " #", ": ", and in
// flow context before , [ ] { }. Trailing blanks are left out.
func yamlScalarEnd(line []byte, i int, flow int) int {
	j := i + 1
	for j < len(line) {
		c := line[j]
		if c == '#' && isBlank(line[j-1]) ||
			c == ':' && (j+1 == len(line) || isBlank(line[j+1]) || flow > 0 && isFlowMark(line[j+1])) ||
			flow > 0 && isFlowMark(c) {
			break
		}
		j++
	}
	for j > i+1 && isBlank(line[j-1]) {
		j--
	}
	return j
}

// yamlNumber reports whether s is a YAML number: 42, -1.5, 6.8523015e+5, 0x1F, 0o17, .inf.
func yamlNumber(s []byte) bool {
	switch string(s) {
	case ".inf", "-.inf", "+.inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN":
		return true
	}
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o') {
		for _, c := range s[2:] {
			if !isDigit(c) && !('a' <= c|0x20 && c|0x20 <= 'f') {
				return false
			}
		}
		return true
	}
	digits, dot, exp := 0, false, false
	for k := 0; k < len(s); k++ {
		switch c := s[k]; {
		case isDigit(c) || c == '_':
			digits++
		case c == '.' && !dot && !exp:
			dot = true
		case (c == 'e' || c == 'E') && digits > 0 && !exp:
			exp = true
			if k+1 < len(s) && (s[k+1] == '+' || s[k+1] == '-') {
				k++
			}
			if k+1 == len(s) {
				return false
			}
		default:
			return false
		}
	}
	return digits > 0
}
