package intake

import (
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/ticket"
)

// A reply mail is threaded under the ticket's mail and asks whether the
// problem is solved once the ticket is resolved, in the repository's
// language; a contact that is no address is refused.
func TestNewReplyMail(t *testing.T) {
	c := config.Default("en")
	c.Mail = config.Mail{SMTP: "smtps://mail.example.com:465", From: "IT 服务台 <helpdesk@example.com>"}
	f, err := ticket.Parse("tickets/2026/11/TS-20261122-1.md", []byte(`+++
id = "TS-20261122-1"
title = "打印机卡纸"
status = "new"
created = 2026-11-22T09:14:00+08:00

[requester]
name = "张三"
contact = "z@example.com"

[[events]]
at = 2026-11-22T09:14:00+08:00
by = "w@example.com"
action = "create"
to = "new"
+++
`))
	if err != nil {
		t.Fatal(err)
	}
	f.Ticket.Events[0].MessageID = "first@corp.example.cn"
	at := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		lang, status string
		want, not    []string
	}{
		{"en", "in_progress", []string{"Hello 张三,\n\n已更换硒鼓。", "IT 服务台\nTicket TS-20261122-1: 打印机卡纸"}, []string{"satisfied"}},
		{"en", "resolved", []string{"Has this solved the problem? Reply to this message with satisfied, basically satisfied or unsatisfied."}, nil},
		{"zh", "resolved", []string{"张三，您好：", "问题是否已经解决？请直接回复本邮件：满意、基本满意或不满意。", "工单 TS-20261122-1：打印机卡纸"}, []string{"Hello"}},
	} {
		c.Desk.Language = tc.lang
		f.Ticket.Status = tc.status
		m, err := NewReply(c, f, "已更换硒鼓。", at, 3)
		if err != nil {
			t.Fatal(err)
		}
		msg, err := Parse(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		text := string(m.Data) + "\n" + msg.FromName + "\n" + msg.Text
		for _, w := range append([]string{"In-Reply-To: <first@corp.example.cn>", "Message-Id: <TS-20261122-1.1795348800.3@desk.invalid>", "X-Desk-Ticket: TS-20261122-1"}, tc.want...) {
			if !strings.Contains(text, w) {
				t.Errorf("%s/%s: no %q in\n%s", tc.lang, tc.status, w, text)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(text, w) {
				t.Errorf("%s/%s: %q in\n%s", tc.lang, tc.status, w, text)
			}
		}
		if m.To != "z@example.com" {
			t.Errorf("to %q", m.To)
		}
	}
	f.Ticket.Requester.Contact = "555-0101"
	var refused *repo.RefusedError
	if _, err := NewReply(c, f, "x", at, 0); !errors.As(err, &refused) {
		t.Errorf("a phone contact: %v, want a refusal", err)
	}
}

// smtp:// to another machine needs STARTTLS: a server that does not offer
// it gets no mail (and so no password).
func TestSMTPNeedsTLS(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	got := make(chan string, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.Write([]byte("220 plain ESMTP\r\n"))
		var seen strings.Builder
		buf := make([]byte, 512)
		for {
			n, err := c.Read(buf)
			seen.Write(buf[:n])
			if err != nil || strings.Contains(seen.String(), "EHLO") {
				break
			}
		}
		c.Write([]byte("250 plain.example.com\r\n"))
		n, _ := c.Read(buf)
		got <- seen.String() + string(buf[:n])
	}()
	conn, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	u, _ := url.Parse("smtp://mail.example.com:587")
	if _, err := smtpClient(conn, u, false); err == nil || !strings.Contains(err.Error(), "needs STARTTLS") {
		t.Errorf("%v, want a refusal without STARTTLS", err)
	}
	conn.Close()
	if s := <-got; strings.Contains(s, "AUTH") || strings.Contains(s, "MAIL FROM") {
		t.Errorf("the server got %q", s)
	}
}
