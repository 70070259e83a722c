package kb

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Match is personal data found in a text, with its 1-based position.
type Match struct {
	Kind      string // "e-mail address", "phone number", "national ID number", "requester's name", "requester's contact"
	Text      string
	Line, Col int
}

var (
	emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	// Mainland mobile numbers (also written 138 1234 5678 or 138-1234-5678),
	// numbers written with a country code, and landlines with an area code.
	phoneRE = regexp.MustCompile(`\+\d{1,3}[ \-]?\(?\d{1,4}\)?[ \-]?\d{3,4}[ \-]?\d{3,4}|1[3-9]\d[ \-]?\d{4}[ \-]?\d{4}|0\d{2,3}-\d{7,8}`)
	cnIDRE  = regexp.MustCompile(`[1-9]\d{5}(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dXx]`)
)

// reservedDomains are the domains RFC 2606 and RFC 6761 set aside for
// documentation: addresses in them belong to nobody.
var reservedDomains = []string{"example.com", "example.org", "example.net", ".example", ".test", ".invalid", ".localhost", "localhost"}

func reservedEmail(addr string) bool {
	domain := strings.ToLower(addr[strings.LastIndexByte(addr, '@')+1:])
	for _, d := range reservedDomains {
		if domain == strings.TrimPrefix(d, ".") || strings.HasSuffix(domain, "."+strings.TrimPrefix(d, ".")) {
			return true
		}
	}
	return false
}

// validCNID checks the ISO 7064 check digit of an 18-digit national ID.
func validCNID(s string) bool {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	return "10X98765432"[sum%11] == strings.ToUpper(s[17:])[0]
}

// digitBounded reports whether the match at [i, j) of line is not part of a
// longer run of digits (a number inside an ID or a hash is not a phone).
func digitBounded(line string, i, j int) bool {
	isDigit := func(b byte) bool { return b >= '0' && b <= '9' }
	return (i == 0 || !isDigit(line[i-1])) && (j >= len(line) || !isDigit(line[j]))
}

// FindPersonalData scans a file for e-mail addresses (outside documentation
// domains), phone numbers, national ID numbers, and any of names (requesters'
// names and contacts of linked tickets, where they are not part of a longer
// word or number). Front-matter lines that name staff or origins (owner,
// source) are skipped.
func FindPersonalData(data []byte, names []string) []Match {
	var out []Match
	inFront := false
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	for n, raw := range bytes.Split(data, []byte("\n")) {
		line := strings.TrimRight(string(raw), "\r")
		if n == 0 && strings.TrimSpace(line) == "+++" {
			inFront = true
			continue
		}
		if inFront {
			if line == "+++" {
				inFront = false
				continue
			}
			key := strings.TrimSpace(strings.SplitN(line, "=", 2)[0])
			if key == "owner" || key == "source" || key == "tickets" {
				continue
			}
		}
		add := func(kind string, i, j int) {
			out = append(out, Match{Kind: kind, Text: line[i:j], Line: n + 1, Col: utf8.RuneCountInString(line[:i]) + 1})
		}
		// Cheap tests first: most lines have no @ and no run of seven
		// digits, and the regular expressions are the cost of this scan.
		if strings.IndexByte(line, '@') >= 0 {
			for _, m := range emailRE.FindAllStringIndex(line, -1) {
				if !reservedEmail(line[m[0]:m[1]]) {
					add("e-mail address "+mask(line[m[0]:m[1]]), m[0], m[1])
				}
			}
		}
		if digits := maxDigitRun(line); digits >= 17 {
			for _, m := range cnIDRE.FindAllStringIndex(line, -1) {
				if digitBounded(line, m[0], m[1]) && validCNID(line[m[0]:m[1]]) {
					add("national ID number "+mask(line[m[0]:m[1]]), m[0], m[1])
				}
			}
		}
		if digitCount(line) >= 7 {
			for _, m := range phoneRE.FindAllStringIndex(line, -1) {
				if digitBounded(line, m[0], m[1]) && !cnIDRE.MatchString(line[max(0, m[0]-8):min(len(line), m[1]+8)]) {
					add("phone number "+mask(line[m[0]:m[1]]), m[0], m[1])
				}
			}
		}
		for _, name := range names {
			name = strings.TrimSpace(name)
			if utf8.RuneCountInString(name) < 2 {
				continue
			}
			for i := 0; ; i += len(name) {
				j := strings.Index(line[i:], name)
				if j < 0 {
					break
				}
				i += j
				// "Li" is a name, not part of "Linux": a name never continues
				// a run of ASCII letters or digits.
				if bounded(line, i, i+len(name)) {
					add("a requester's name or contact ("+mask(name)+")", i, i+len(name))
				}
			}
		}
	}
	return out
}

// mask shows the shape of personal data without repeating it: the first and
// last character, the rest as asterisks. Messages and logs never carry it.
func mask(s string) string {
	r := []rune(s)
	if len(r) <= 2 {
		return strings.Repeat("*", len(r))
	}
	return string(r[0]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1])
}

// Mask replaces the personal data in text with asterisks of the same shape,
// for articles drafted from tickets.
func Mask(text string, names []string) string {
	matches := FindPersonalData([]byte(text), names)
	if len(matches) == 0 {
		return text
	}
	lines := strings.Split(text, "\n")
	for _, m := range matches {
		l := lines[m.Line-1]
		lines[m.Line-1] = strings.Replace(l, m.Text, mask(m.Text), 1)
	}
	return strings.Join(lines, "\n")
}

// maxDigitRun is the length of the longest run of ASCII digits in s.
func maxDigitRun(s string) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}

// digitCount is the number of ASCII digits in s.
func digitCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}
