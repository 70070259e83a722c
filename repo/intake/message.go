package intake

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"regexp"
	"strings"
	"time"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/charset"
	"github.com/emersion/go-message/mail"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

func init() {
	// Mail labelled GB2312 is written by GBK software more often than not
	// (and GBK is a superset), as browsers know (WHATWG: gb2312 → GBK);
	// Big5 likewise carries the HKSCS extensions.
	for _, name := range []string{"gb2312", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "csgb2312"} {
		charset.RegisterEncoding(name, simplifiedchinese.GBK)
	}
	charset.RegisterEncoding("gb18030", simplifiedchinese.GB18030)
	for _, name := range []string{"big5", "big5-hkscs", "x-big5", "cp950"} {
		charset.RegisterEncoding(name, traditionalchinese.Big5)
	}
}

// Message is an e-mail as intake reads it.
type Message struct {
	ID         string   // Message-ID, without angle brackets; "" when it has none
	InReplyTo  []string // the IDs of In-Reply-To
	References []string // the IDs of References, oldest first
	FromName   string
	FromAddr   string // lower case
	Subject    string
	Date       time.Time // zero when missing or unreadable
	Text       string    // the readable text: text/plain, else the HTML's text
	// Attachments are the parts with a file name, and the non-text parts.
	Attachments []Attachment
	// Auto says why the message was sent by a machine (an auto-reply, a
	// bounce, a list), "" for a person's message.
	Auto string
}

// Attachment is a file a message carries.
type Attachment struct {
	Name string
	Type string
	Data []byte
}

// ParseError is a message that cannot be read as e-mail.
type ParseError struct{ Msg string }

func (e *ParseError) Error() string { return e.Msg }

// maxParts bounds the parts of one message: a message of thousands of
// parts is an attack, not a request.
const maxParts = 200

// Parse reads a message: headers decoded (RFC 2047, any charset Chinese
// mail uses), the text part in preference to the HTML one, whose text is
// taken out of its markup, and the attachments.
func Parse(data []byte) (*Message, error) {
	mr, err := mail.CreateReader(bytes.NewReader(data))
	if err != nil && !message.IsUnknownCharset(err) {
		return nil, &ParseError{Msg: "not an e-mail message: " + err.Error()}
	}
	h := mr.Header
	if h.Len() == 0 {
		return nil, &ParseError{Msg: "not an e-mail message: no header"}
	}
	m := &Message{}
	m.ID = msgID(h.Get("Message-Id"))
	m.InReplyTo = msgIDs(h.Get("In-Reply-To"))
	m.References = msgIDs(h.Get("References"))
	if from, err := h.AddressList("From"); err == nil && len(from) > 0 {
		m.FromName, m.FromAddr = from[0].Name, strings.ToLower(from[0].Address)
	} else if raw := strings.TrimSpace(h.Get("From")); raw != "" {
		// An address the strict parser refuses, as old clients write them.
		if a := looseAddr.FindString(raw); a != "" {
			m.FromAddr = strings.ToLower(a)
		}
	}
	if s, err := h.Subject(); err == nil {
		m.Subject = strings.Join(strings.Fields(s), " ")
	} else {
		m.Subject = strings.Join(strings.Fields(h.Get("Subject")), " ")
	}
	if d, err := h.Date(); err == nil {
		m.Date = d
	}
	m.Auto = automatic(h)
	defer func() {
		if m.ID == "" {
			m.ID = syntheticID(m)
		}
	}()

	var plain, html string
	for n := 0; ; n++ {
		if n > maxParts {
			return nil, &ParseError{Msg: fmt.Sprintf("more than %d parts", maxParts)}
		}
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil && !message.IsUnknownCharset(err) {
			if plain != "" || html != "" {
				break // a damaged tail: keep what was read
			}
			return nil, &ParseError{Msg: "cannot read the message body: " + err.Error()}
		}
		body, rerr := io.ReadAll(io.LimitReader(p.Body, 64<<20))
		if rerr != nil && len(body) == 0 {
			continue
		}
		switch ph := p.Header.(type) {
		case *mail.InlineHeader:
			ct, _, _ := ph.ContentType()
			switch {
			case ct == "text/plain" || ct == "":
				if plain == "" {
					plain = string(body)
				}
			case ct == "text/html":
				if html == "" {
					html = string(body)
				}
			case strings.HasPrefix(ct, "message/"), strings.HasPrefix(ct, "multipart/"):
			default:
				m.Attachments = append(m.Attachments, Attachment{Name: partName(ph.Get("Content-Type"), ""), Type: ct, Data: body})
			}
		case *mail.AttachmentHeader:
			name, _ := ph.Filename()
			ct, _, _ := ph.ContentType()
			m.Attachments = append(m.Attachments, Attachment{Name: partName(ph.Get("Content-Type"), name), Type: ct, Data: body})
		}
	}
	switch {
	case strings.TrimSpace(plain) != "":
		m.Text = cleanText(plain)
	case html != "":
		m.Text = cleanText(HTMLText(html))
	}
	return m, nil
}

// syntheticID stands for the Message-ID of a message that has none: the
// hash of its sender, date, subject and text, so that the same message
// read twice is recognised.
func syntheticID(m *Message) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00%s\x00%s", m.FromAddr, m.Date.Unix(), m.Subject, m.Text)
	return hex.EncodeToString(h.Sum(nil)[:16]) + "@no-message-id.invalid"
}

var looseAddr = regexp.MustCompile(`[^\s<>"']+@[^\s<>"']+`)

// msgID is one message ID without its angle brackets.
func msgID(s string) string {
	ids := msgIDs(s)
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// msgIDs are the message IDs of a header, in order: <a@b> <c@d>, and bare
// words for the clients that leave the brackets out.
func msgIDs(s string) []string {
	var out []string
	for _, f := range strings.Fields(strings.NewReplacer(",", " ", "<", " <", ">", "> ").Replace(s)) {
		f = strings.Trim(f, "<>")
		if strings.Contains(f, "@") && len(f) <= 250 {
			out = append(out, f)
		}
	}
	return out
}

// automatic tells why a message was sent by a machine, or "".
func automatic(h mail.Header) string {
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return "Auto-Submitted: " + v
	}
	switch p := strings.ToLower(strings.TrimSpace(h.Get("Precedence"))); p {
	case "bulk", "junk", "list", "auto_reply":
		return "Precedence: " + p
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond", "X-Auto-Reply"} {
		if h.Get(k) != "" {
			return k
		}
	}
	if v := h.Get("X-Auto-Response-Suppress"); strings.Contains(strings.ToLower(v), "oof") || strings.EqualFold(v, "all") {
		return "X-Auto-Response-Suppress: " + v
	}
	if strings.TrimSpace(h.Get("Return-Path")) == "<>" {
		return "a bounce (empty Return-Path)"
	}
	if ct := h.Get("Content-Type"); strings.HasPrefix(strings.ToLower(ct), "multipart/report") {
		return "a delivery report"
	}
	from := strings.ToLower(h.Get("From"))
	for _, daemon := range []string{"mailer-daemon@", "postmaster@", "<mailer-daemon", "<postmaster"} {
		if strings.Contains(from, daemon) {
			return "a bounce (" + strings.Trim(daemon, "<@") + ")"
		}
	}
	if s, err := h.Subject(); err == nil {
		ls := strings.ToLower(s)
		for _, p := range []string{"自动回复", "自動回覆", "out of office", "automatic reply", "auto reply", "autoreply", "auto-reply"} {
			if strings.HasPrefix(ls, p) {
				return "Subject: " + s
			}
		}
	}
	return ""
}

// partName is an attachment's file name: its Content-Disposition name,
// else its Content-Type name, decoded, without a path.
func partName(contentType, name string) string {
	if name == "" {
		if _, params, err := mime.ParseMediaType(contentType); err == nil {
			name = params["name"]
			if d, err := new(mime.WordDecoder).DecodeHeader(name); err == nil {
				name = d
			}
		}
	}
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return strings.TrimSpace(name)
}

// cleanText normalises line ends and drops the trailing white space of lines
// and the blank lines at both ends.
func cleanText(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\u00a0\u3000")
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n")
}
