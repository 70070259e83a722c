package kb

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/deskhq/desk/ticket/front"
)

// Statuses of an article, in lifecycle order.
var Statuses = []string{"draft", "review", "published", "archived"}

// Article is the front matter of an article.
type Article struct {
	Title             string     `toml:"title" json:"title"`
	Status            string     `toml:"status" json:"status"`
	Category          string     `toml:"category" json:"category,omitempty"`
	Tags              []string   `toml:"tags" json:"tags,omitempty"`
	Summary           string     `toml:"summary" json:"summary,omitempty"`
	Owner             string     `toml:"owner" json:"owner,omitempty"`
	Created           time.Time  `toml:"created" json:"created"`
	ReviewBy          *time.Time `toml:"review_by" json:"review_by,omitempty"`
	Tickets           []string   `toml:"tickets" json:"tickets,omitempty"`
	Source            string     `toml:"source" json:"source,omitempty"`
	CheckIgnore       []string   `toml:"check_ignore" json:"check_ignore,omitempty"`
	CheckIgnoreReason string     `toml:"check_ignore_reason" json:"check_ignore_reason,omitempty"`
	// Language is the article's language as a BCP 47 tag ("zh-CN", "en"),
	// for the site's lang attribute; left out, the site tells it from the
	// text.
	Language string `toml:"language" json:"language,omitempty"`
}

// File is a parsed article file.
type File struct {
	Slug    string
	Path    string // kb/<slug>.md
	Article Article
	Doc     *front.Doc
}

// ParseError is a file that cannot be read, with the position of the fault.
type ParseError = front.FileError

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidSlug reports whether s is a slug: lowercase letters, digits and single
// hyphens.
func ValidSlug(s string) bool { return len(s) <= 200 && slugRE.MatchString(s) }

// SlugOf returns the slug of an article path (kb/<slug>.md).
func SlugOf(path string) string { return strings.TrimSuffix(filepath.Base(path), ".md") }

// Parse reads an article file; path is used for the slug and in errors.
func Parse(path string, data []byte) (*File, error) {
	doc, err := front.ParseNoValidate(data)
	f := &File{Slug: SlugOf(path), Path: path, Doc: doc}
	if err == nil {
		_, err = doc.Decode(&f.Article)
	}
	if err != nil {
		var fe *front.Error
		if errors.As(err, &fe) {
			return nil, &ParseError{Path: path, Line: fe.Line, Col: fe.Col, Msg: fe.Msg}
		}
		return nil, &ParseError{Path: path, Msg: err.Error()}
	}
	return f, nil
}

// Published reports whether the article reaches the site.
func (a *Article) Published() bool { return a.Status == "published" }

// MaxSize is the largest article file desk reads.
const MaxSize = 8 << 20

// Paths lists the article files under root/kb, sorted (kb/<slug>.md). When
// kb itself is a symbolic link, which desk does not read through, the list
// is just "kb", so that reading it reports the link.
func Paths(root string) ([]string, error) {
	dir := filepath.Join(root, "kb")
	if fi, err := os.Lstat(dir); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	} else if fi.Mode()&os.ModeSymlink != 0 {
		return []string{"kb"}, nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".md") {
			out = append(out, "kb/"+e.Name())
		}
	}
	slices.Sort(out)
	return out, nil
}

// Known lists the keys of the article format.
var Known = map[string]bool{
	"title": true, "status": true, "category": true, "tags": true, "summary": true, "owner": true,
	"created": true, "review_by": true, "tickets": true, "source": true,
	"check_ignore": true, "check_ignore_reason": true, "language": true,
}

// UnknownKeys returns the keys and tables of an article the format does not know.
func UnknownKeys(doc *front.Doc) []string {
	var out []string
	for _, list := range [][]front.KeyInfo{doc.Tables(), doc.Keys()} {
		for _, k := range list {
			if !Known[k.Path] {
				out = append(out, k.Path)
			}
		}
	}
	return out
}

// Slugify makes a slug from a title or file name: lowercase ASCII letters and
// digits joined by single hyphens. Text without any (a Chinese title) gives "".
func Slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		default:
			hyphen = true
		}
	}
	out := b.String()
	if len(out) > 80 {
		out = strings.TrimRight(out[:80], "-")
	}
	return out
}
