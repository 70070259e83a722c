package consist

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Event is one entry of a ticket's log.
type Event struct {
	At     time.Time `toml:"at"`
	By     string    `toml:"by"`
	Action string    `toml:"action"`
	From   string    `toml:"from"`
	To     string    `toml:"to"`
	Note   string    `toml:"note"`
	Field  string    `toml:"field"`
	Value  string    `toml:"value"`
}

// Ticket is a ticket's front matter and body.
type Ticket struct {
	ID             string     `toml:"id"`
	Title          string     `toml:"title"`
	Status         string     `toml:"status"`
	Created        time.Time  `toml:"created"`
	Channel        string     `toml:"channel"`
	Category       string     `toml:"category"`
	Priority       string     `toml:"priority"`
	PriorityReason string     `toml:"priority_reason"`
	Assignee       string     `toml:"assignee"`
	Due            *time.Time `toml:"due"`
	Tags           []string   `toml:"tags"`
	KB             []string   `toml:"kb"`
	Major          bool       `toml:"major"`
	Lead           string     `toml:"lead"`
	Requester      struct {
		Name    string `toml:"name"`
		Org     string `toml:"org"`
		Contact string `toml:"contact"`
	} `toml:"requester"`
	Parts []struct {
		Name string `toml:"name"`
		Qty  int    `toml:"qty"`
	} `toml:"parts"`
	Feedback struct {
		Rating      string     `toml:"rating"`
		ConfirmedBy string     `toml:"confirmed_by"`
		ConfirmedAt *time.Time `toml:"confirmed_at"`
		Via         string     `toml:"via"`
		Comment     string     `toml:"comment"`
	} `toml:"feedback"`
	SLA struct {
		BreachReason string `toml:"breach_reason"`
	} `toml:"sla"`
	Events []Event `toml:"events"`

	Path string         `toml:"-"` // slash-separated, relative to the repository
	Body string         `toml:"-"`
	Raw  map[string]any `toml:"-"`
}

// Article is a knowledge-base article.
type Article struct {
	Title    string     `toml:"title"`
	Status   string     `toml:"status"`
	Category string     `toml:"category"`
	Tags     []string   `toml:"tags"`
	Summary  string     `toml:"summary"`
	Owner    string     `toml:"owner"`
	Created  time.Time  `toml:"created"`
	ReviewBy *time.Time `toml:"review_by"`
	Tickets  []string   `toml:"tickets"`
	Source   string     `toml:"source"`

	Slug string `toml:"-"`
	Path string `toml:"-"`
	Body string `toml:"-"`
}

// SplitFrontMatter separates the TOML between the two +++ lines from the body.
// A byte-order mark and CRLF line endings are accepted.
func SplitFrontMatter(data []byte) (front, body string, err error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	if !strings.HasPrefix(s, "+++\n") {
		return "", "", errors.New("no front matter: the first line must be +++")
	}
	rest := s[4:]
	i := strings.Index(rest, "\n+++\n")
	switch {
	case i >= 0:
		return rest[:i+1], rest[i+5:], nil
	case strings.HasSuffix(rest, "\n+++"):
		return rest[:len(rest)-3], "", nil
	}
	return "", "", errors.New("front matter not closed by a +++ line")
}

// ParseTicket decodes a ticket file. Unknown keys are errors.
func ParseTicket(path string, data []byte) (*Ticket, error) {
	front, body, err := SplitFrontMatter(data)
	if err != nil {
		return nil, err
	}
	t := &Ticket{Path: path, Body: body}
	md, err := toml.Decode(front, t)
	if err != nil {
		return nil, err
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("unknown keys %v", und)
	}
	if _, err := toml.Decode(front, &t.Raw); err != nil {
		return nil, err
	}
	return t, nil
}

// ParseArticle decodes an article file. Unknown keys are errors.
func ParseArticle(path, slug string, data []byte) (*Article, error) {
	front, body, err := SplitFrontMatter(data)
	if err != nil {
		return nil, err
	}
	a := &Article{Slug: slug, Path: path, Body: body}
	md, err := toml.Decode(front, a)
	if err != nil {
		return nil, err
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("unknown keys %v", und)
	}
	return a, nil
}

var htmlComment = regexp.MustCompile(`(?s)<!--.*?-->`)

// Sections maps each "## " heading of a Markdown body to the text under it. Headings
// inside fenced code blocks do not count.
func Sections(body string) map[string]string {
	out := map[string]string{}
	cur, fence := "", ""
	var buf strings.Builder
	flush := func() {
		if cur != "" {
			out[cur] += buf.String()
		}
		buf.Reset()
	}
	for _, line := range strings.Split(body, "\n") {
		trim := strings.TrimSpace(line)
		if fence != "" {
			if strings.HasPrefix(trim, fence) {
				fence = ""
			}
		} else if strings.HasPrefix(trim, "```") || strings.HasPrefix(trim, "~~~") {
			fence = trim[:3]
		} else if strings.HasPrefix(line, "## ") || strings.HasPrefix(line, "# ") {
			flush()
			cur = ""
			if strings.HasPrefix(line, "## ") {
				cur = strings.TrimSpace(line[3:])
			}
			continue
		}
		buf.WriteString(line)
		buf.WriteByte('\n')
	}
	flush()
	return out
}

// EmptySection reports whether a section holds nothing but white space or HTML comments.
func EmptySection(text string) bool {
	return strings.TrimSpace(htmlComment.ReplaceAllString(text, "")) == ""
}

// Lookup finds a dotted key ("requester.name") in decoded TOML.
func Lookup(m map[string]any, key string) (any, bool) {
	var cur any = m
	for _, part := range strings.Split(key, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = mm[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}
