package highlight

import "bytes"

// lexMarkup highlights HTML and XML: tag names, attribute names and values, comments,
// declarations (<?xml ...?>, <!DOCTYPE ...>) and CDATA sections. The content of <script> is
// highlighted as JavaScript; that of <style> is left plain.
func lexMarkup(e *emitter, src []byte) {
	js := languages["javascript"]
	for i := 0; i < len(src); {
		if src[i] != '<' {
			j := bytes.IndexByte(src[i:], '<')
			if j < 0 {
				j = len(src) - i
			}
			e.emit(plain, src[i:i+j])
			i += j
			continue
		}
		rest := src[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			i = emitUntil(e, comment, src, i, 4, "-->")
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			i = emitUntil(e, str, src, i, 9, "]]>")
		case bytes.HasPrefix(rest, []byte("<?")):
			i = emitUntil(e, preproc, src, i, 2, "?>")
		case bytes.HasPrefix(rest, []byte("<!")):
			i = emitUntil(e, preproc, src, i, 2, ">")
		default:
			j := i + 1
			if j < len(src) && src[j] == '/' {
				j++
			}
			if j == len(src) || !isAlpha(src[j]) {
				e.emit(plain, src[i:i+1])
				i++
				continue
			}
			e.emit(plain, src[i:j])
			k := j
			for k < len(src) && !isBlank(src[k]) && src[k] != '\n' && src[k] != '>' && src[k] != '/' {
				k++
			}
			name := src[j:k]
			e.emit(tag, name)
			end, closed := markupAttrs(e, src, k)
			i = end
			if !closed || src[j-1] == '/' || src[i-2] == '/' { // a closing or self-closing tag
				continue
			}
			switch {
			case bytes.EqualFold(name, []byte("script")):
				body := markupRaw(src, i, "</script")
				js(e, src[i:body])
				i = body
			case bytes.EqualFold(name, []byte("style")):
				body := markupRaw(src, i, "</style")
				e.emit(plain, src[i:body])
				i = body
			}
		}
	}
}

// emitUntil writes src[i:] up to and including closer, searched from i+skip, as one token of
// class cls, and returns its end; an unclosed token runs to the end.
func emitUntil(e *emitter, cls class, src []byte, i, skip int, closer string) int {
	j := len(src)
	if k := bytes.Index(src[i+skip:], []byte(closer)); k >= 0 {
		j = i + skip + k + len(closer)
	}
	e.emit(cls, src[i:j])
	return j
}

// markupAttrs writes the attributes of a tag from src[i] to its closing > (or />) and
// returns the end of the tag; closed is false when the input ends first.
func markupAttrs(e *emitter, src []byte, i int) (end int, closed bool) {
	for i < len(src) {
		c := src[i]
		switch {
		case c == '>':
			e.emit(plain, src[i:i+1])
			return i + 1, true
		case c == '/' && i+1 < len(src) && src[i+1] == '>':
			e.emit(plain, src[i:i+2])
			return i + 2, true
		case isBlank(c) || c == '\n':
			j := i + 1
			for j < len(src) && (isBlank(src[j]) || src[j] == '\n') {
				j++
			}
			e.emit(plain, src[i:j])
			i = j
		case c == '=':
			e.emit(operator, src[i:i+1])
			i++
			j := skipBlanks(src, i)
			e.emit(plain, src[i:j])
			i = j
			if i < len(src) && (src[i] == '"' || src[i] == '\'') {
				k := bytes.IndexByte(src[i+1:], src[i])
				end := len(src)
				if k >= 0 {
					end = i + 1 + k + 1
				}
				e.emit(str, src[i:end])
				i = end
			} else {
				j := i
				for j < len(src) && !isBlank(src[j]) && src[j] != '\n' && src[j] != '>' {
					j++
				}
				e.emit(str, src[i:j])
				i = j
			}
		case c == '<': // a tag never closed: let the next one start
			return i, false
		default:
			j := i + 1
			for j < len(src) && !isBlank(src[j]) && src[j] != '\n' && src[j] != '=' && src[j] != '>' && src[j] != '<' &&
				!(src[j] == '/' && j+1 < len(src) && src[j+1] == '>') {
				j++
			}
			cls := attribute
			if c == '/' || c == '"' || c == '\'' {
				cls = plain
			}
			e.emit(cls, src[i:j])
			i = j
		}
	}
	return i, false
}

// markupRaw returns where the raw text that starts at src[i] ends: at the closing tag, matched
// case-insensitively, or at the end of the input.
func markupRaw(src []byte, i int, closer string) int {
	for j := i; j < len(src); {
		k := bytes.IndexByte(src[j:], '<')
		if k < 0 {
			break
		}
		j += k
		if len(src)-j >= len(closer) && bytes.EqualFold(src[j:j+len(closer)], []byte(closer)) {
			return j
		}
		j++
	}
	return len(src)
}
