package intake

import (
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func parseFile(t *testing.T, name string) *Message {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "mail", name))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

// Each message of the corpus reads as a person wrote it: the charsets
// Chinese mail uses, quoted-printable and base64, HTML-only mail as text,
// nested multipart with attachments, machines' mail told apart.
func TestParseCorpus(t *testing.T) {
	for _, tc := range []struct {
		file, from, name, subject, id, text, auto string
		attachments                               []string
		inReplyTo                                 string
	}{
		{file: "01-gb2312.eml", from: "zhang.wei@corp.example.cn", name: "张伟", subject: "打印机无法打印", id: "20261123091400.1@corp.example.cn",
			text: "三楼的打印机从早上开始无法打印，显示脱机。\n\n张伟\n财务部"},
		{file: "02-gbk-qp.eml", from: "wang.zhe@corp.example.cn", name: "王喆", subject: "电脑蓝屏", id: "qp-2@corp.example.cn",
			text: "王喆的电脑开机后蓝屏，错误代码 0x0000007B。"},
		{file: "03-gb18030.eml", from: "ji@corp.example.cn", name: "吉𠮷", subject: "姓名里有生僻字𠮷，系统显示乱码", id: "gb18030-3@corp.example.cn",
			text: "人事系统里我的名字“吉𠮷”显示成问号。"},
		{file: "04-big5.eml", from: "chen@branch.example.tw", name: "陳小明", subject: "印表機卡紙", id: "big5-4@branch.example.tw",
			text: "二樓的印表機一直卡紙，請協助處理。"},
		{file: "05-html-only.eml", from: "li.na@example.com", name: "Li, Na", subject: "VPN drops every hour", id: "html-5@example.com",
			text: "Hello,\n\nThe VPN drops every hour since Monday:\n\n- client 5.2\n- Windows 11\n\nDetails: status page (https://status.example.com/vpn)\nLi Na"},
		{file: "06-nested.eml", from: "zhao.liu@example.com", name: "Zhao Liu", subject: "Disk full on the file server", id: "nested-6@example.com",
			text: "The file server says the disk is full. Log attached.", attachments: []string{"server.log", "错误截图.png"}},
		{file: "07-auto-reply.eml", from: "zhang.wei@corp.example.cn", name: "张伟", subject: "自动回复: [TS-20261123-1] 打印机无法打印", id: "auto-7@corp.example.cn",
			text: "我正在休假，11月30日回来。", auto: "Auto-Submitted: auto-replied", inReplyTo: "TS-20261123-1.1@desk.example.com"},
		{file: "08-bounce.eml", from: "mailer-daemon@mx.example.com", name: "Mail Delivery System", subject: "Undelivered Mail Returned to Sender", id: "bounce-8@mx.example.com",
			text: "The mail could not be delivered.", auto: "a bounce (empty Return-Path)"},
		{file: "09-reply.eml", from: "zhang.wei@corp.example.cn", name: "张伟", subject: "回复：打印机无法打印", id: "20261123130000.2@corp.example.cn",
			text: "补充：换了一根网线也不行。\n\n> 原邮件\n> 三楼的打印机从早上开始无法打印", inReplyTo: "20261123091400.1@corp.example.cn"},
		{file: "11-no-id.eml", from: "qian.qi@example.com", subject: "Keyboard missing keys", text: "The Q key is gone."},
	} {
		t.Run(tc.file, func(t *testing.T) {
			m := parseFile(t, tc.file)
			if tc.id == "" { // no Message-ID: one made of the message, the same every time
				if again := parseFile(t, tc.file); !strings.HasSuffix(m.ID, "@no-message-id.invalid") || again.ID != m.ID {
					t.Errorf("made-up ID %q, then %q", m.ID, again.ID)
				}
				tc.id = m.ID
			}
			if m.FromAddr != tc.from || m.FromName != tc.name || m.Subject != tc.subject || m.ID != tc.id || m.Text != tc.text || m.Auto != tc.auto {
				t.Errorf("got from %q %q, subject %q, id %q, auto %q, text\n%q\nwant %q %q, %q, %q, %q,\n%q",
					m.FromAddr, m.FromName, m.Subject, m.ID, m.Auto, m.Text, tc.from, tc.name, tc.subject, tc.id, tc.auto, tc.text)
			}
			var names []string
			for _, a := range m.Attachments {
				names = append(names, a.Name)
			}
			if strings.Join(names, ",") != strings.Join(tc.attachments, ",") {
				t.Errorf("attachments %q, want %q", names, tc.attachments)
			}
			if tc.inReplyTo != "" && (len(m.InReplyTo) != 1 || m.InReplyTo[0] != tc.inReplyTo) {
				t.Errorf("In-Reply-To %q, want %q", m.InReplyTo, tc.inReplyTo)
			}
			if m.Date.IsZero() {
				t.Error("no date")
			}
		})
	}
	if m := parseFile(t, "06-nested.eml"); string(m.Attachments[0].Data) != "2026-11-23 11:40 ERROR disk full\n" {
		t.Errorf("server.log: %q", m.Attachments[0].Data)
	}
}

// Mail labelled GB2312 that holds GBK characters (as GBK software writes
// it) reads right; bytes that are no e-mail are a ParseError.
func TestParseQuirks(t *testing.T) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("王喆报修")
	msg := "From: a@example.com\r\nSubject: x\r\nContent-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString([]byte(gbk)) + "\r\n"
	m, err := Parse([]byte(msg))
	if err != nil || m.Text != "王喆报修" {
		t.Errorf("GBK in gb2312: %q %v", m.Text, err)
	}
	data, _ := os.ReadFile("testdata/mail/12-broken.eml")
	var pe *ParseError
	if _, err := Parse(data); !errors.As(err, &pe) {
		t.Errorf("broken message: %v, want a ParseError", err)
	}
	if _, err := Parse(nil); !errors.As(err, &pe) {
		t.Errorf("empty message: %v, want a ParseError", err)
	}
}
