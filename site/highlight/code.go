package highlight

import (
	"bytes"
	"strings"
)

// codeSpec describes a programming language to the one table-driven lexer that serves SQL,
// Go, Python, JavaScript, TypeScript, JSON, C, C++, Java, Groovy and C#.
type codeSpec struct {
	words      map[string]class // reserved words and well-known names; lower-case when fold
	fold       bool             // words match case-insensitively (SQL)
	line       []string         // openers of comments that run to the end of the line
	block      [2]string        // opener and closer of block comments
	quotes     []quote          // string delimiters
	triple     bool             // """ and ''' open strings closed by the same three quotes
	prefixes   string           // letters that may prefix a string: r"\d", b'', f"{x}"
	defs       map[string]bool  // the name after one of these keywords is a function or class
	calls      bool             // a name right before "(" is a function name
	tables     map[string]bool  // ...unless it follows one of these keywords: INSERT INTO t(a)
	at         class            // class of @name (decorators, SQL user variables); plain for none
	atAt       bool             // @@name and @@scope.name too (SQL system variables)
	hash       bool             // a line starting with # is a preprocessor directive (C)
	keys       bool             // a string followed by ":" is a key (JSON)
	identExtra string           // bytes allowed in names besides letters, digits, _ and non-ASCII
	ops        string           // operator bytes
	console    bool             // client prompts and result tables (SQL)
	qualified  bool             // a word before or after "." is a name, not a keyword (SQL)
	signed     bool             // a minus sign before a digit belongs to the number (JSON)
}

// quote is one kind of string delimiter.
type quote struct {
	ch      byte
	cls     class
	esc     bool // a backslash escapes the next byte
	multi   bool // the string may span lines; otherwise an unterminated one ends at the line
	doubled bool // the delimiter written twice stands for itself ('it''s')
}

// codeTables are a codeSpec compiled into per-byte tables.
type codeTables struct {
	sp          *codeSpec
	identStart  [256]bool
	identCont   [256]bool
	op          [256]bool
	lineComment [256]bool
	quote       [256]int8 // index+1 into sp.quotes; 0 for none
	lines       [][]byte  // sp.line
	open, close []byte    // sp.block
}

func codeLexer(sp *codeSpec) lexer {
	t := &codeTables{sp: sp}
	for c := 0; c < 256; c++ {
		b := byte(c)
		letter := 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || b == '_' || b >= 0x80 ||
			strings.IndexByte(sp.identExtra, b) >= 0
		t.identStart[c] = letter
		t.identCont[c] = letter || '0' <= b && b <= '9'
		t.op[c] = strings.IndexByte(sp.ops, b) >= 0
	}
	for _, l := range sp.line {
		t.lineComment[l[0]] = true
		t.lines = append(t.lines, []byte(l))
	}
	t.open, t.close = []byte(sp.block[0]), []byte(sp.block[1])
	for i, q := range sp.quotes {
		t.quote[q.ch] = int8(i + 1)
	}
	return t.lex
}

func (t *codeTables) lex(e *emitter, src []byte) {
	sp := t.sp
	lineStart := true
	afterDot := false // the last token was "."
	afterDef := false // the last token was a keyword of sp.defs
	afterTab := false // the last token was a keyword of sp.tables
	for i := 0; i < len(src); {
		c := src[i]
		if c == '\n' {
			e.emit(plain, src[i:i+1])
			i++
			lineStart = true
			continue
		}
		if isBlank(c) {
			j := skipBlanks(src, i)
			e.emit(plain, src[i:j])
			i = j
			continue
		}
		if lineStart {
			lineStart = false
			if sp.console {
				if n := sqlConsoleLine(e, src[i:]); n > 0 {
					i += n
					continue
				}
			}
			if sp.hash && c == '#' {
				j := directiveEnd(src, i)
				e.emit(preproc, src[i:j])
				i = j
				continue
			}
		}
		wasDot, wasDef, wasTab := afterDot, afterDef, afterTab
		afterDot, afterDef, afterTab = false, false, false

		if t.lineComment[c] {
			if j := t.lineCommentEnd(src, i); j > i {
				e.emit(comment, src[i:j])
				i = j
				continue
			}
		}
		if len(t.open) > 0 && c == t.open[0] && bytes.HasPrefix(src[i:], t.open) {
			j := len(src)
			if k := bytes.Index(src[i+len(t.open):], t.close); k >= 0 {
				j = i + len(t.open) + k + len(t.close)
			}
			e.emit(comment, src[i:j])
			i = j
			continue
		}
		if t.quote[c] != 0 {
			j, cls := t.str(src, i)
			if sp.keys && cls == str && followedByColon(src, j) {
				cls = tag
			}
			e.emit(cls, src[i:j])
			i = j
			continue
		}
		if isDigit(c) || sp.signed && c == '-' && i+1 < len(src) && isDigit(src[i+1]) || c == '.' && i+1 < len(src) && isDigit(src[i+1]) && (i == 0 || !t.identCont[src[i-1]]) {
			j := t.number(src, i)
			e.emit(number, src[i:j])
			i = j
			continue
		}
		if t.identStart[c] {
			j := i + 1
			for j < len(src) && t.identCont[src[j]] {
				j++
			}
			word := src[i:j]
			if sp.prefixes != "" && j < len(src) && t.quote[src[j]] != 0 && isPrefix(word, sp.prefixes) {
				k, cls := t.str(src, j)
				e.emit(cls, src[i:k])
				i = k
				continue
			}
			cls := plain
			if !wasDot && !(sp.qualified && j < len(src) && src[j] == '.') {
				cls = t.word(word)
			}
			if cls == plain && (wasDef || sp.calls && !wasTab && j < len(src) && src[j] == '(') {
				cls = function
			}
			afterDef = cls == keyword && sp.defs[string(word)]
			afterTab = cls == keyword && sp.tables != nil && t.tableWord(word)
			e.emit(cls, word)
			i = j
			continue
		}
		if c == '@' && sp.at != plain {
			j := i + 1
			if sp.atAt && j < len(src) && src[j] == '@' {
				j++
			}
			k := j
			for k < len(src) && (t.identCont[src[k]] || sp.atAt && src[k] == '.') {
				k++
			}
			if k > j {
				e.emit(sp.at, src[i:k])
				i = k
				continue
			}
		}
		if c == ':' && i+1 < len(src) && src[i+1] == '=' { // := in Go, SQL and Python
			e.emit(operator, src[i:i+2])
			i += 2
			continue
		}
		if t.op[c] {
			e.emit(operator, src[i:i+1])
		} else {
			e.emit(plain, src[i:i+1])
			afterDot = c == '.'
		}
		i++
	}
}

// lineCommentEnd returns the end of the line comment at src[i], or i when none starts there.
func (t *codeTables) lineCommentEnd(src []byte, i int) int {
	for _, p := range t.lines {
		if bytes.HasPrefix(src[i:], p) {
			return lineEnd(src, i)
		}
	}
	return i
}

// str returns the end of the string opening at src[i] and its class. An unterminated
// string ends at the end of the line (single-line kinds) or of the input.
func (t *codeTables) str(src []byte, i int) (int, class) {
	q := t.sp.quotes[t.quote[src[i]]-1]
	c := src[i]
	if t.sp.triple && i+2 < len(src) && src[i+1] == c && src[i+2] == c {
		for j := i + 3; j < len(src); j++ {
			if src[j] == '\\' && q.esc {
				j++
				continue
			}
			if src[j] == c && j+2 < len(src) && src[j+1] == c && src[j+2] == c {
				return j + 3, q.cls
			}
		}
		return len(src), q.cls
	}
	j := i + 1
	for j < len(src) {
		switch b := src[j]; {
		case b == '\\' && q.esc:
			j += 2
			continue
		case b == c:
			if q.doubled && j+1 < len(src) && src[j+1] == c {
				j += 2
				continue
			}
			return j + 1, q.cls
		case b == '\n' && !q.multi:
			return j, q.cls
		}
		j++
	}
	return len(src), q.cls
}

// number returns the end of the number starting at src[i]: digits, letters (0x1F, 10L,
// 1e9), dots, underscores, and the sign of an exponent.
func (t *codeTables) number(src []byte, i int) int {
	hex := src[i] == '0' && i+1 < len(src) && (src[i+1] == 'x' || src[i+1] == 'X')
	j := i + 1
	for j < len(src) {
		b := src[j]
		if t.identCont[b] && b < 0x80 || b == '.' && j+1 < len(src) && isDigit(src[j+1]) {
			j++
			continue
		}
		if (b == '+' || b == '-') && !hex && (src[j-1] == 'e' || src[j-1] == 'E') && j+1 < len(src) && isDigit(src[j+1]) {
			j++
			continue
		}
		break
	}
	return j
}

// word returns the class of a name: its entry in the word table, or plain.
func (t *codeTables) word(w []byte) class {
	if !t.sp.fold {
		return t.sp.words[string(w)]
	}
	var buf [32]byte
	if len(w) > len(buf) {
		return plain
	}
	for i, c := range w {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return t.sp.words[string(buf[:len(w)])]
}

// tableWord reports whether the keyword w is one of sp.tables, in any case.
func (t *codeTables) tableWord(w []byte) bool {
	var buf [16]byte
	if len(w) > len(buf) {
		return false
	}
	for i, c := range w {
		buf[i] = c | 0x20 // keywords are letters and _, which this leaves alone
	}
	return t.sp.tables[string(buf[:len(w)])]
}

// isPrefix reports whether w, at most two letters, is made of string-prefix letters.
func isPrefix(w []byte, letters string) bool {
	if len(w) > 2 {
		return false
	}
	for _, c := range w {
		if strings.IndexByte(letters, c|0x20) < 0 {
			return false
		}
	}
	return true
}

// followedByColon reports whether src[j:] starts with blanks and a colon.
func followedByColon(src []byte, j int) bool {
	j = skipBlanks(src, j)
	return j < len(src) && src[j] == ':'
}

// directiveEnd returns the end of the preprocessor line at src[i], continued by trailing
// backslashes.
func directiveEnd(src []byte, i int) int {
	for {
		j := lineEnd(src, i)
		if j == len(src) || j == i || src[j-1] != '\\' {
			return j
		}
		i = j + 1
	}
}

// lineEnd returns the index of the newline ending the line that holds src[i], or len(src).
func lineEnd(src []byte, i int) int {
	if k := bytes.IndexByte(src[i:], '\n'); k >= 0 {
		return i + k
	}
	return len(src)
}

func skipBlanks(src []byte, i int) int {
	for i < len(src) && isBlank(src[i]) {
		i++
	}
	return i
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isAlpha(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// sqlConsoleLine recognises, at the start of a line, what a SQL client prints: a result
// table, a status line such as "Query OK" (the whole line is output), or a prompt such as
// "mysql> " or "    -> ". It writes it and returns its length, or returns 0.
func sqlConsoleLine(e *emitter, rest []byte) int {
	if sqlOutput(rest) {
		n := lineEnd(rest, 0)
		e.emit(output, rest[:n])
		return n
	}
	if n := sqlPrompt(rest); n > 0 {
		e.emit(prompt, rest[:n])
		return n
	}
	return 0
}

var sqlStatus = []string{"+-", "+=", "| ", "***", "Query OK", "Empty set", "ERROR ", "ERROR:", "Records:",
	"Rows matched:", "Warning (Code", "Warnings:", "Database changed"}

// sqlOutput reports whether the line at the start of l is printed by the client.
func sqlOutput(l []byte) bool {
	for _, p := range sqlStatus {
		if bytes.HasPrefix(l, []byte(p)) {
			return true
		}
	}
	// "1 row in set (0.00 sec)", "3 rows in set"
	j := 0
	for j < len(l) && isDigit(l[j]) {
		j++
	}
	return j > 0 && bytes.HasPrefix(l[j:], []byte(" row"))
}

var sqlClients = []string{"mysql", "tidb", "mariadb", "sqlite", "postgres"}

// sqlPrompt returns the length of the client prompt the line at the start of l begins with,
// its trailing blank included, or 0.
func sqlPrompt(l []byte) int {
	j := skipBlanks(l, 0)
	if bytes.HasPrefix(l[j:], []byte("->")) {
		j += 2
	} else {
		k := j
		for k < len(l) && isAlpha(l[k]) {
			k++
		}
		known := false
		for _, c := range sqlClients {
			if k-j == len(c) && bytes.EqualFold(l[j:k], []byte(c)) {
				known = true
			}
		}
		if !known {
			return 0
		}
		j = k
		if j+1 < len(l) && l[j] == ' ' && l[j+1] == '[' { // MySQL [test]>
			end := bytes.IndexByte(l[j:min(len(l), j+80)], ']')
			if end < 0 || bytes.IndexByte(l[j:j+end], '\n') >= 0 {
				return 0
			}
			j += end + 1
		}
		switch {
		case j < len(l) && l[j] == '>':
			j++
		case j+1 < len(l) && l[j] == '=' && (l[j+1] == '#' || l[j+1] == '>'):
			j += 2
		default:
			return 0
		}
	}
	if j < len(l) && l[j] != ' ' && l[j] != '\t' && l[j] != '\n' {
		return 0
	}
	return skipBlanks(l, j)
}
