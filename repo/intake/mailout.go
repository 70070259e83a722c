package intake

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/ticket"
)

// OutMail is a reply as it goes to the requester by e-mail.
type OutMail struct {
	ID   string // its Message-ID, without angle brackets
	To   string // the requester's address
	Data []byte // the message, CRLF line ends
}

// MailError is a reply the mail server did not take, or could not be
// reached: its words, or the network's.
type MailError struct {
	Server string
	Err    error
}

func (e *MailError) Error() string { return fmt.Sprintf("mail server %s: %v", e.Server, e.Err) }
func (e *MailError) Unwrap() error { return e.Err }

// NewReply writes the e-mail of a reply to ticket f, sent at at: to the
// requester's contact (an e-mail address), threaded under the ticket's
// mail (In-Reply-To the requester's last message, References all of them,
// [ID] in the subject), in the repository's language, with the
// satisfaction question once the ticket is resolved. n numbers the
// messages of one ticket sent in one second.
func NewReply(c *config.Config, f *ticket.File, text string, at time.Time, n int) (*OutMail, error) {
	t := &f.Ticket
	to, err := mail.ParseAddress(t.Requester.Contact)
	if err != nil || !strings.Contains(to.Address, "@") {
		return nil, &repo.RefusedError{ID: t.ID, Msg: fmt.Sprintf("the requester's contact %q is not an e-mail address; the reply cannot be sent by mail", t.Requester.Contact)}
	}
	from, err := mail.ParseAddress(c.Mail.From)
	if err != nil {
		return nil, fmt.Errorf("mail.from %q: %w", c.Mail.From, err)
	}
	id := OwnMessageID(t.ID, at, n)
	var refs []string
	for _, e := range t.Events {
		if e.MessageID != "" && !slices.Contains(refs, e.MessageID) {
			refs = append(refs, e.MessageID)
		}
	}
	var h mail.Header
	h.SetDate(at)
	h.SetAddressList("From", []*mail.Address{from})
	h.SetAddressList("To", []*mail.Address{{Name: t.Requester.Name, Address: to.Address}})
	subject := fmt.Sprintf("[%s] %s", t.ID, t.Title)
	if len(refs) > 0 {
		subject = "Re: " + subject
		h.SetMsgIDList("In-Reply-To", refs[len(refs)-1:])
		h.SetMsgIDList("References", refs)
	}
	h.SetSubject(subject)
	h.SetMessageID(id)
	h.Set("X-Desk-Ticket", t.ID)
	h.Set("Auto-Submitted", "no")
	h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	var b bytes.Buffer
	w, err := mail.CreateSingleInlineWriter(&b, h)
	if err != nil {
		return nil, err
	}
	fmt.Fprint(w, strings.ReplaceAll(replyText(c, t, text), "\n", "\r\n"))
	if err := w.Close(); err != nil {
		return nil, err
	}
	return &OutMail{ID: id, To: to.Address, Data: b.Bytes()}, nil
}

// replyText is the body of a reply mail, in the repository's language.
func replyText(c *config.Config, t *ticket.Ticket, text string) string {
	desk := c.Site.Title // signed with the name of mail.from, else the site's title
	if from, err := mail.ParseAddress(c.Mail.From); err == nil && from.Name != "" {
		desk = from.Name
	}
	resolved := slices.Contains(c.Workflow.Resolved, t.Status)
	var b strings.Builder
	if c.Desk.Language == "zh" {
		fmt.Fprintf(&b, "%s，您好：\n\n%s\n\n", t.Requester.Name, strings.TrimSpace(text))
		if resolved {
			b.WriteString("问题是否已经解决？请直接回复本邮件：满意、基本满意或不满意。\n\n")
		}
		fmt.Fprintf(&b, "%s\n工单 %s：%s\n", desk, t.ID, t.Title)
		return b.String()
	}
	fmt.Fprintf(&b, "Hello %s,\n\n%s\n\n", t.Requester.Name, strings.TrimSpace(text))
	if resolved {
		b.WriteString("Has this solved the problem? Reply to this message with satisfied, basically satisfied or unsatisfied.\n\n")
	}
	fmt.Fprintf(&b, "%s\nTicket %s: %s\n", desk, t.ID, t.Title)
	return b.String()
}

// Send sends m through [mail] smtp: implicit TLS for smtps://, STARTTLS
// for smtp:// (required unless the server is on this machine), so a user
// and password, from the variables [mail] names, never go in clear.
func Send(ctx context.Context, mc config.Mail, m *OutMail) error {
	u, err := url.Parse(mc.SMTP)
	if err != nil {
		return err
	}
	fail := func(err error) error { return &MailError{Server: u.Host, Err: err} }
	from, err := mail.ParseAddress(mc.From)
	if err != nil {
		return fail(err)
	}
	dialer := &net.Dialer{Timeout: 30 * time.Second}
	conn, err := dialer.DialContext(ctx, "tcp", u.Host)
	if err != nil {
		return fail(err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	} else {
		conn.SetDeadline(time.Now().Add(2 * time.Minute))
	}
	ip := net.ParseIP(u.Hostname())
	local := u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback())
	c, err := smtpClient(conn, u, local)
	if err != nil {
		conn.Close()
		return fail(err)
	}
	defer c.Close()
	if user := os.Getenv(mc.UserEnv); user != "" {
		if err := c.Auth(sasl.NewPlainClient("", user, os.Getenv(mc.PasswordEnv))); err != nil {
			return fail(err)
		}
	}
	if err := c.SendMail(from.Address, []string{m.To}, bytes.NewReader(m.Data)); err != nil {
		return fail(err)
	}
	return c.Quit()
}

// smtpClient starts SMTP on conn: implicit TLS for smtps://; for smtp://,
// STARTTLS, which a server on another machine must offer (local: on this
// machine, where plain SMTP to a relay is fine).
func smtpClient(conn net.Conn, u *url.URL, local bool) (*smtp.Client, error) {
	tlsConf := &tls.Config{ServerName: u.Hostname()}
	switch {
	case u.Scheme == "smtps":
		return smtp.NewClient(tls.Client(conn, tlsConf)), nil
	case local:
		return smtp.NewClient(conn), nil
	}
	c, err := smtp.NewClientStartTLS(conn, tlsConf)
	if err != nil {
		return nil, fmt.Errorf("%w (smtp:// to another machine needs STARTTLS; desk sends no mail in clear)", err)
	}
	return c, nil
}
