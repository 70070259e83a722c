package kb

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Replacement is personal data known by its value (a requester's name,
// department or contact, from the ticket an article is drafted from) and the
// placeholder that takes its place in the article, such as "[requester]".
type Replacement struct {
	Old, New string
}

// Redact takes the personal data out of text drafted from a ticket. Every
// occurrence of a known value becomes its placeholder: exactly as written,
// except that e-mail addresses match in any case, and never inside a longer
// word or number ("Li" is not replaced in "Linux"). Values shorter than two
// characters are not looked for. What is left that FindPersonalData would
// report (other e-mail addresses, phone numbers, national ID numbers, a
// known value inside a longer word) is then masked with Mask, so the result
// passes the personal-data rule of desk check.
func Redact(text string, known []Replacement) string {
	known = slices.Clone(known)
	// Longer values first: a contact "Zhang San <z@corp.cn>" before the name.
	slices.SortStableFunc(known, func(x, y Replacement) int { return cmp.Compare(len(y.Old), len(x.Old)) })
	var names []string
	for _, k := range known {
		old := strings.TrimSpace(k.Old)
		if utf8.RuneCountInString(old) < 2 {
			continue
		}
		names = append(names, old)
		text = replaceWord(text, old, k.New, strings.Contains(old, "@"))
	}
	return Mask(text, names)
}

// replaceWord replaces old by repl in s where old is not part of a longer
// run of ASCII letters and digits; fold compares ASCII letters in any case.
func replaceWord(s, old, repl string, fold bool) string {
	hay, needle := s, old
	if fold {
		hay, needle = asciiLower(s), asciiLower(old)
	}
	var b strings.Builder
	last := 0
	for i := 0; i <= len(hay)-len(needle); {
		j := strings.Index(hay[i:], needle)
		if j < 0 {
			break
		}
		start, end := i+j, i+j+len(needle)
		if bounded(s, start, end) {
			b.WriteString(s[last:start])
			b.WriteString(repl)
			last = end
			i = end
		} else {
			_, n := utf8.DecodeRuneInString(hay[start:])
			i = start + n
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// bounded reports whether s[i:j] does not continue a word: an ASCII letter or
// digit at either end of the match is not next to another one.
func bounded(s string, i, j int) bool {
	alnum := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }
	if i > 0 && alnum(s[i]) && alnum(s[i-1]) {
		return false
	}
	if j < len(s) && alnum(s[j-1]) && alnum(s[j]) {
		return false
	}
	return true
}

// asciiLower lowercases ASCII letters only, so byte offsets stay the same.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
