package tokenize

// Stem is a light English stemmer: steps 1a, 1b, 1c and 5a of Porter's
// algorithm (plurals, -ed, -ing, y to i, a final e), so "caches", "cache",
// "caching" and "cached" all give "cach"; step 1a drops an s as Porter2
// (Snowball English) does, so that "status" and "gas" keep theirs. Only words of 3 or more letters a
// to z are stemmed. The site's search.js (package sitesearch) has the same
// function, line for line.
func Stem(w string) string { return string(stemBytes([]byte(w))) }

// stemBytes stems b in place.
func stemBytes(b []byte) []byte {
	if len(b) < 3 {
		return b
	}
	for _, c := range b {
		if c < 'a' || c > 'z' {
			return b
		}
	}
	// Step 1a.
	switch {
	case hasSuffix(b, "sses"), hasSuffix(b, "ies"):
		b = b[:len(b)-2]
	case hasSuffix(b, "ss"), hasSuffix(b, "us"):
	case hasSuffix(b, "s") && hasVowel(b[:len(b)-2]):
		// As Porter2 (Snowball English): status, gas, tls and https keep
		// their s; a vowel must come before the letter before it.
		b = b[:len(b)-1]
	}
	// Step 1b.
	switch {
	case hasSuffix(b, "eed"):
		if measure(b[:len(b)-3]) > 0 {
			b = b[:len(b)-1]
		}
	case hasSuffix(b, "ed") && hasVowel(b[:len(b)-2]):
		b = step1b2(b[:len(b)-2])
	case hasSuffix(b, "ing") && hasVowel(b[:len(b)-3]):
		b = step1b2(b[:len(b)-3])
	}
	// Step 1c.
	if hasSuffix(b, "y") && hasVowel(b[:len(b)-1]) {
		b[len(b)-1] = 'i'
	}
	// Step 5a.
	if hasSuffix(b, "e") {
		s := b[:len(b)-1]
		if m := measure(s); m > 1 || m == 1 && !cvc(s) {
			b = s
		}
	}
	return b
}

// step1b2 tidies a stem whose -ed or -ing was removed.
func step1b2(b []byte) []byte {
	switch {
	case hasSuffix(b, "at"), hasSuffix(b, "bl"), hasSuffix(b, "iz"):
		return append(b, 'e')
	case doubleC(b):
		if c := b[len(b)-1]; c != 'l' && c != 's' && c != 'z' {
			return b[:len(b)-1]
		}
	case measure(b) == 1 && cvc(b):
		return append(b, 'e')
	}
	return b
}

func hasSuffix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s
}

// consonant reports whether b[i] is a consonant in Porter's sense: not a
// vowel, and a y only when it follows a vowel or starts the word.
func consonant(b []byte, i int) bool {
	switch b[i] {
	case 'a', 'e', 'i', 'o', 'u':
		return false
	case 'y':
		return i == 0 || !consonant(b, i-1)
	}
	return true
}

// measure counts the vowel-consonant sequences of b.
func measure(b []byte) int {
	m := 0
	vowel := false
	for i := range b {
		if consonant(b, i) {
			if vowel {
				m++
			}
			vowel = false
		} else {
			vowel = true
		}
	}
	return m
}

func hasVowel(b []byte) bool {
	for i := range b {
		if !consonant(b, i) {
			return true
		}
	}
	return false
}

// doubleC reports whether b ends with a double consonant.
func doubleC(b []byte) bool {
	n := len(b)
	return n >= 2 && b[n-1] == b[n-2] && consonant(b, n-1)
}

// cvc reports whether b ends consonant-vowel-consonant, the last not w, x
// or y (hop, not how).
func cvc(b []byte) bool {
	n := len(b)
	if n < 3 || !consonant(b, n-1) || consonant(b, n-2) || !consonant(b, n-3) {
		return false
	}
	c := b[n-1]
	return c != 'w' && c != 'x' && c != 'y'
}
