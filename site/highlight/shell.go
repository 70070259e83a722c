package highlight

import "bytes"

// shellWords classes the words a shell gives a meaning to when they stand where a command
// is expected. Elsewhere ("git config set") they are plain words.
var shellWords = words(map[class]string{
	keyword: `if then else elif fi for while until do done case esac function select time coproc
		break continue return exit`,
	builtin: `alias bg bind builtin caller cd command compgen complete declare dirs disown echo enable
		eval exec export false fc fg getopts hash help history jobs kill let local logout popd
		printf pushd pwd read readonly set shift shopt source suspend test times trap true type
		typeset ulimit umask unalias unset wait`,
})

// shellLead are the words after which a command is still expected.
var shellLead = set("if then else elif do while until time ! exec command builtin")

// shellMeta are the bytes that end a word.
var shellMeta = [256]bool{' ': true, '\t': true, '\r': true, '\n': true, '|': true, '&': true,
	';': true, '(': true, ')': true, '<': true, '>': true}

// shellStop are the bytes a plain word stops at to let another token start.
var shellStop = func() (t [256]bool) {
	t = shellMeta
	for _, c := range []byte("'\"`$\\{") {
		t[c] = true
	}
	return t
}()

// heredoc is a here-document whose body starts on the next line.
type heredoc struct {
	delim []byte
	strip bool // <<- : the closing line may be indented
}

// shellLexer holds the state of one shell block.
type shellLexer struct {
	e       *emitter
	src     []byte
	cmd     bool // a command is expected: the next word is a command name
	in      bool // "in" is a keyword (after for, select, case)
	pending []heredoc
	// Positions from which a search for a closing delimiter failed; a later search for the
	// same delimiter fails too, which keeps unbalanced input linear.
	noQuote [3]int // for ', " and `, see quoteIndex
	noBrace int    // end of the line where no "}}" follows
	eolAt   int    // end of the line of the last position eol was asked about
}

// eol returns the end of the line that holds src[i]. The lexer only moves forward, so the
// answer for the previous position holds until i passes it.
func (l *shellLexer) eol(i int) int {
	if i > l.eolAt || l.eolAt == 0 {
		l.eolAt = lineEnd(l.src, i)
	}
	return l.eolAt
}

// lexShell highlights shell scripts and terminal sessions. A block with "$ " prompts is a
// session: its lines without a prompt are program output.
func lexShell(e *emitter, src []byte) {
	l := shellLexer{e: e, src: src, cmd: true, noBrace: -1}
	l.noQuote = [3]int{len(src) + 1, len(src) + 1, len(src) + 1}
	session := false
	for i := 0; i < len(src); i = lineEnd(src, i) + 1 {
		if promptLen(src, i) > 0 {
			session = true
			break
		}
	}
	l.run(session)
}

// promptLen returns the length of the "$ " prompt (leading blanks included) of the line
// starting at src[i], or 0.
func promptLen(src []byte, i int) int {
	j := skipBlanks(src, i)
	if j < len(src) && src[j] == '$' && (j+1 == len(src) || src[j+1] == ' ' || src[j+1] == '\n') {
		if j+1 < len(src) && src[j+1] == ' ' {
			return j + 2 - i
		}
		return j + 1 - i
	}
	return 0
}

func (l *shellLexer) run(session bool) {
	e, src := l.e, l.src
	lineStart, cont := true, false
	for i := 0; i < len(src); {
		if lineStart {
			lineStart = false
			if n := promptLen(src, i); n > 0 {
				e.emit(prompt, src[i:i+n])
				i += n
				l.cmd = true
				continue
			}
			if session && !cont {
				j := lineEnd(src, i)
				e.emit(output, src[i:j])
				i = j
				continue
			}
		}
		c := src[i]
		start := l.wordStart(i)
		switch {
		case c == '\n':
			e.emit(plain, src[i:i+1])
			i++
			lineStart, cont = true, false
			l.cmd, l.in = true, false
			if len(l.pending) > 0 {
				i = l.heredocs(i)
			}
			continue
		case isBlank(c):
			j := skipBlanks(src, i)
			e.emit(plain, src[i:j])
			i = j
			continue
		case c == '\\':
			j := min(i+2, len(src))
			e.emit(plain, src[i:j])
			if j-i == 2 && src[j-1] == '\n' {
				lineStart, cont = true, true
			}
			i = j
			continue
		case c == '#' && start:
			j := lineEnd(src, i)
			e.emit(comment, src[i:j])
			i = j
			continue
		case c == '\'' || c == '"' || c == '`':
			i = l.quoted(i)
		case c == '$':
			i = l.dollar(i)
		case c == '{' && i+1 < len(src) && src[i+1] == '{':
			if j := l.placeholderEnd(i); j > i {
				e.emit(placeholder, src[i:j])
				i = j
			} else {
				e.emit(plain, src[i:i+2])
				i += 2
			}
		case c == '<':
			if j := angleEnd(src, i); j > i {
				e.emit(placeholder, src[i:j])
				i = j
			} else {
				i = l.redirect(i)
			}
			continue // a redirection leaves the command position as it was
		case shellMeta[c]:
			e.emit(operator, src[i:i+1])
			// & in 2>&1 or &> is part of a redirection, not a separator.
			redir := c == '&' && (i > 0 && src[i-1] == '>' || i+1 < len(src) && src[i+1] == '>')
			if c != '>' && c != ')' && !redir {
				l.cmd = true
			}
			i++
			continue
		case start && c == '-' && i+1 < len(src) && (src[i+1] == '-' || isAlpha(src[i+1])):
			j := i + 1
			for j < len(src) && !shellStop[src[j]] && src[j] != '=' {
				j++
			}
			e.emit(attribute, src[i:j])
			i = j
		default:
			var keep bool
			i, keep = l.word(i, start)
			if keep {
				continue
			}
		}
		if start {
			l.cmd = false
		}
	}
}

// wordStart reports whether a word starts at src[i].
func (l *shellLexer) wordStart(i int) bool {
	return i == 0 || shellMeta[l.src[i-1]]
}

// word writes the word, or the part of a word up to the next quote, expansion or
// placeholder, at src[i]. keep is true when the command position must not change: after an
// assignment, and after a keyword that a command follows.
func (l *shellLexer) word(i int, start bool) (next int, keep bool) {
	src, e := l.src, l.e
	j := i
	for j < len(src) && !shellStop[src[j]] {
		j++
	}
	if j == i { // a lone { or } that opens no placeholder
		j++
	}
	w := src[i:j]
	if !start {
		e.emit(plain, w)
		return j, true
	}
	if n := assignment(w); n > 0 {
		e.emit(variable, w[:n])
		e.emit(operator, w[n:n+1])
		e.emit(plain, w[n+1:])
		return j, true
	}
	if numeric(w) && (j == len(src) || shellMeta[src[j]]) {
		e.emit(number, w)
		return j, false
	}
	cls := plain
	switch {
	case l.cmd:
		cls = shellWords[string(w)]
	case l.in && string(w) == "in":
		cls, l.in = keyword, false
	}
	if cls == keyword {
		switch string(w) {
		case "for", "select", "case":
			l.in = true
		}
	}
	e.emit(cls, w)
	if shellLead[string(w)] && l.cmd || string(w) == "{" {
		return j, true
	}
	return j, false
}

// assignment returns the length of the variable name of NAME=value, or 0.
func assignment(w []byte) int {
	if len(w) == 0 || !(isAlpha(w[0]) || w[0] == '_') {
		return 0
	}
	for n := 1; n < len(w); n++ {
		switch c := w[n]; {
		case c == '=':
			return n
		case !(isAlpha(c) || isDigit(c) || c == '_'):
			return 0
		}
	}
	return 0
}

func numeric(w []byte) bool {
	if len(w) == 0 || !isDigit(w[0]) {
		return false
	}
	for _, c := range w {
		if !isDigit(c) && c != '.' {
			return false
		}
	}
	return true
}

// quoted writes the '...', "..." or `...` string at src[i] and returns its end. Variables in
// double quotes and placeholders in either stay visible. A quote never closed runs to the
// end of its line.
func (l *shellLexer) quoted(i int) int {
	src, e := l.src, l.e
	q := src[i]
	end := l.closing(i)
	j := i + 1
	from := i // start of the string run not yet written
	for j < end {
		c := src[j]
		switch {
		case c == '\\' && q != '\'':
			j += 2
			continue
		case c == '{' && j+1 < end && src[j+1] == '{':
			if k := l.placeholderEnd(j); k > j && k <= end {
				e.emit(str, src[from:j])
				e.emit(placeholder, src[j:k])
				j, from = k, k
				continue
			}
		case c == '$' && q == '"':
			if k := l.expansionEnd(j, end); k > j+1 {
				e.emit(str, src[from:j])
				e.emit(variable, src[j:k])
				j, from = k, k
				continue
			}
		}
		j++
	}
	if end < len(src) && src[end] == q {
		end++
	}
	e.emit(str, src[from:end])
	return end
}

// closing returns the index of the quote that closes the one at src[i], or the end of its
// line when there is none.
func (l *shellLexer) closing(i int) int {
	src, q := l.src, l.src[i]
	n := quoteIndex(q)
	if i < l.noQuote[n] {
		for j := i + 1; j < len(src); j++ {
			switch src[j] {
			case q:
				return j
			case '\\':
				if q != '\'' {
					j++
				}
			}
		}
		l.noQuote[n] = i
	}
	return l.eol(i)
}

func quoteIndex(q byte) int {
	switch q {
	case '\'':
		return 0
	case '"':
		return 1
	}
	return 2
}

// dollar writes what starts with $ at src[i]: $'...', ${...}, $(, $name or a lone $.
func (l *shellLexer) dollar(i int) int {
	src, e := l.src, l.e
	if i+1 < len(src) {
		switch src[i+1] {
		case '\'': // $'...' with C escapes, on one line
			j := i + 2
			for j < len(src) && src[j] != '\'' && src[j] != '\n' {
				if src[j] == '\\' && j+1 < len(src) && src[j+1] != '\n' {
					j++
				}
				j++
			}
			if j < len(src) && src[j] == '\'' {
				j++
			}
			e.emit(str, src[i:j])
			return j
		case '(':
			e.emit(operator, src[i:i+2])
			l.cmd = true
			return i + 2
		}
	}
	if j := l.expansionEnd(i, len(src)); j > i+1 {
		e.emit(variable, src[i:j])
		return j
	}
	e.emit(plain, src[i:i+1])
	return i + 1
}

// expansionEnd returns the end of the expansion $name, $1, $?, ${...} or $(...) at src[i],
// before limit, or i+1 when none starts there. An unclosed ${ or $( ends at the line.
func (l *shellLexer) expansionEnd(i, limit int) int {
	src := l.src
	j := i + 1
	if j >= limit {
		return j
	}
	switch c := src[j]; {
	case c == '{' || c == '(':
		closer := byte('}')
		if c == '(' {
			closer = ')'
		}
		depth := 0
		for k := j; k < limit; k++ {
			switch src[k] {
			case c:
				depth++
			case closer:
				depth--
				if depth == 0 {
					return k + 1
				}
			case '\n':
				return k
			}
		}
		return limit
	case isAlpha(c) || c == '_':
		for j < limit && (isAlpha(src[j]) || isDigit(src[j]) || src[j] == '_') {
			j++
		}
		return j
	case isDigit(c) || c == '@' || c == '*' || c == '#' || c == '?' || c == '$' || c == '!' || c == '-':
		return j + 1
	}
	return j
}

// placeholderEnd returns the end of the tldr placeholder {{...}} at src[i], which closes on
// its line, or i.
func (l *shellLexer) placeholderEnd(i int) int {
	if i < l.noBrace {
		return i
	}
	end := l.eol(i)
	if k := bytes.Index(l.src[i+2:end], []byte("}}")); k >= 0 {
		j := i + 2 + k + 2
		for j < end && l.src[j] == '}' { // {{a{b}}} keeps its last braces
			j++
		}
		return j
	}
	l.noBrace = end
	return i
}

// angleEnd returns the end of a documentation placeholder such as <cluster-name> or
// <pd_ip> at src[i], or i: a letter, then letters, digits and _.-:/ up to ">".
func angleEnd(src []byte, i int) int {
	j := i + 1
	if j >= len(src) || !isAlpha(src[j]) {
		return i
	}
	for j < len(src) {
		switch c := src[j]; {
		case c == '>':
			return j + 1
		case isAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == ':' || c == '/':
			j++
		default:
			return i
		}
	}
	return i
}

// redirect writes the < at src[i]; a here-document (<<EOF, <<-'EOF') is noted so that its
// body is read after this line.
func (l *shellLexer) redirect(i int) int {
	src, e := l.src, l.e
	j := i + 1
	if j >= len(src) || src[j] != '<' {
		e.emit(operator, src[i:j])
		return j
	}
	j++
	if j < len(src) && src[j] == '<' { // <<< here-string
		e.emit(operator, src[i:j+1])
		return j + 1
	}
	strip := j < len(src) && src[j] == '-'
	if strip {
		j++
	}
	e.emit(operator, src[i:j])
	k := skipBlanks(src, j)
	e.emit(plain, src[j:k])
	d, end := k, k
	if k < len(src) && (src[k] == '\'' || src[k] == '"') {
		q := src[k]
		n := bytes.IndexByte(src[k+1:l.eol(k)], q)
		if n < 0 {
			return k
		}
		d, end = k+1, k+1+n
	} else if k < len(src) && src[k] == '\\' {
		d, end = k+1, k+1
	}
	for end < len(src) && (isAlpha(src[end]) || isDigit(src[end]) || src[end] == '_' || src[end] == '-') {
		end++
	}
	if end == d {
		return k
	}
	delim := src[d:end]
	if end < len(src) && (src[end] == '\'' || src[end] == '"') && d > k {
		end++
	}
	e.emit(str, src[k:end])
	l.pending = append(l.pending, heredoc{delim: delim, strip: strip})
	return end
}

// heredocs writes the bodies of the pending here-documents, which start at src[i], each with
// its closing line, and returns where the script goes on.
func (l *shellLexer) heredocs(i int) int {
	src := l.src
	for n, h := range l.pending {
		start := i
		for i < len(src) {
			end := lineEnd(src, i)
			line := src[i:end]
			if h.strip {
				line = line[skipBlanks(line, 0):]
			}
			line = bytes.TrimSuffix(line, []byte("\r"))
			i = end
			if bytes.Equal(line, h.delim) {
				break
			}
			if i < len(src) {
				i++
			}
		}
		l.e.emit(str, src[start:i])
		if i < len(src) && n < len(l.pending)-1 {
			l.e.emit(plain, src[i:i+1])
			i++
		}
	}
	l.pending = l.pending[:0]
	return i
}
