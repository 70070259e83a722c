package sitesearch

import (
	"strings"
	"unicode/utf8"
)

// Postings are written as text, in a string of a script: each number is a
// little-endian variable-length sequence of base-45 digits, a digit d being
// the character sym(d) when it is the last one and sym(45+d) when more
// follow. sym uses the 90 printable ASCII characters from '#' to '}' but
// the backslash, so no character needs escaping in a JavaScript string and
// none is a space or '!', the separators of a shard.
const base = 45

// sym is the character of digit d (0 to 89).
func sym(d int) byte {
	if d < 57 {
		return byte('#' + d)
	}
	return byte('#' + d + 1) // skip '\\'
}

// appendNum appends the digits of v.
func appendNum(b []byte, v int) []byte {
	for v >= base {
		b = append(b, sym(base+v%base))
		v /= base
	}
	return append(b, sym(v))
}

// A posting is a document number, the quantized BM25 weight of the term in
// the document's body (its level, 0 to levels-1) and whether the term is in
// the document's tags or title, and how much of the title it is (the title
// level: 0 no, 1 in the tags or in a title of three or more words, 2 in a
// title of two words, 3 the title's only word). It is written as the number
// (gap-1)*(levels+1) + level, where gap is the distance to the previous
// document number (to -1 for the first), when the title level is 0, and
// otherwise as (gap-1)*(levels+1) + levels followed by the number
// (title-1)*levels + level: most postings are one character.
const (
	levels      = 4
	titleLevels = 4
)

// appendPosting appends a posting.
func appendPosting(b []byte, gap, level, title int) []byte {
	if title == 0 {
		return appendNum(b, (gap-1)*(levels+1)+level)
	}
	b = appendNum(b, (gap-1)*(levels+1)+levels)
	return appendNum(b, (title-1)*levels+level)
}

// key is the part of a term that picks its shard: its first four characters,
// six for a code (a term with '_', '-' or '.'), so that all terms that start
// with a word being typed lie in the shard of that word.
func key(term string) string {
	n := keyLen(term)
	i := 0
	for k := 0; k < n && i < len(term); k++ {
		_, size := utf8.DecodeRuneInString(term[i:])
		i += size
	}
	return term[:i]
}

// keyLen is the length in characters of the key of term.
func keyLen(term string) int {
	if strings.ContainsAny(term, "_-.") {
		return 6
	}
	return 4
}

// hash is 32-bit FNV-1a over the UTF-8 bytes of s.
func hash(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// shardOf returns the shard of term among n shards (n a power of two).
func shardOf(term string, n int) int { return int(hash(key(term)) & uint32(n-1)) }
