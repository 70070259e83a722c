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
// A Person value (a name or contact, not a department) is also found as
// People finds it: in any case and width, across spaces and line breaks,
// in either name order.
type Replacement struct {
	Old, New string
	Person   bool
}

// Redact takes the personal data out of text drafted from a ticket. Every
// occurrence of a known value becomes its placeholder, never inside a
// longer word or number ("Li" is not replaced in "Linux"); a department
// only as written, e-mail addresses in any case, and names and contacts
// also as people write them (see People). Values shorter than two
// characters are not looked for. What is left that FindPersonal would
// report with others (the other requesters of the repository; nil for
// none) — their names and contacts, other e-mail addresses, phone numbers,
// national ID numbers — is then masked with Mask, so the result passes
// the personal-data rule of desk check.
func Redact(text string, known []Replacement, others *People) string {
	return RedactCount(text, known, others, nil)
}

// RedactCount is Redact, adding to counts (when not nil) how many of each
// it took out: by placeholder for the known values ("[requester]"), by
// kind for the rest ("phone number", "another requester's name").
func RedactCount(text string, known []Replacement, others *People, counts map[string]int) string {
	count := func(what string, n int) {
		if counts != nil && n > 0 {
			counts[what] += n
		}
	}
	known = slices.Clone(known)
	// Longer values first: a contact "Zhang San <z@corp.cn>" before the name.
	slices.SortStableFunc(known, func(x, y Replacement) int { return cmp.Compare(len(y.Old), len(x.Old)) })
	var names, repls []string
	for _, k := range known {
		old := strings.TrimSpace(k.Old)
		if utf8.RuneCountInString(old) < 2 {
			continue
		}
		before := strings.Count(text, k.New)
		text = replaceWord(text, old, k.New, strings.Contains(old, "@"))
		count(k.New, strings.Count(text, k.New)-before)
		if k.Person {
			names, repls = append(names, old), append(repls, k.New)
		}
	}
	// The same people as written otherwise.
	if found := NewPeople(names, nil).Find(text); len(found) > 0 {
		var b strings.Builder
		last := 0
		for _, f := range found {
			b.WriteString(text[last:f.Start])
			b.WriteString(repls[f.Of])
			count(repls[f.Of], 1)
			last = f.End
		}
		b.WriteString(text[last:])
		text = b.String()
	}
	if counts != nil {
		for _, m := range FindPersonal([]byte(text), others) {
			kind := m.Kind
			if i := strings.IndexAny(kind, "(0123456789+"); i > 0 {
				kind = strings.TrimSpace(kind[:i])
			}
			kind = strings.Replace(kind, "a requester's", "another requester's", 1)
			count(kind, 1)
		}
	}
	return Mask(text, others)
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
