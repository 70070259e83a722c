// Command mailgen writes a Maildir of generated support mail, for the
// benchmark of desk intake (examples/bench/intake.sh).
//
//	go run ./examples/bench/mailgen -n 10000 -out DIR [-seed 1]
//
// About seven in ten messages open a thread; the rest answer an earlier one
// (In-Reply-To and References). Half are Chinese, in GB2312/GBK base64 as
// Chinese mail clients send them, half English quoted-printable UTF-8; one
// in ten is HTML only, one in twenty carries a small attachment, one in
// fifty is an auto-reply. The same flags always give the same files.
package main

import (
	"bytes"
	"encoding/base64"
	"flag"
	"fmt"
	"math/rand/v2"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

var (
	zhSubjects = []string{"打印机无法打印", "电脑蓝屏", "VPN 连接不上", "邮箱收不到邮件", "财务系统报表乱码", "投影仪没有信号", "网络很慢", "无法登录 OA"}
	zhBodies   = []string{"今天早上开始就这样了，重启也没用。", "请尽快处理，部门月底结账要用。", "错误代码 0x0000011b，截图在附件里。", "同事的电脑是好的，只有我的不行。"}
	enSubjects = []string{"Printer offline", "Laptop will not boot", "VPN drops every hour", "Cannot open shared drive", "Outlook keeps crashing", "Projector shows no signal"}
	enBodies   = []string{"It started this morning and a restart did not help.", "Please look at it today; the team needs it for the month-end close.", "The error says access denied.", "My colleague's machine works, only mine fails."}
	names      = []string{"张伟", "李娜", "王芳", "刘洋", "陈静", "Li Si", "Zhang San", "Margaret Chen", "Tom Wu", "Anna Lee"}
)

func main() {
	n := flag.Int("n", 10000, "messages")
	out := flag.String("out", "", "Maildir to write (created)")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "mailgen: -out is required")
		os.Exit(2)
	}
	for _, d := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(*out, d), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "mailgen:", err)
			os.Exit(1)
		}
	}
	rng := rand.New(rand.NewPCG(*seed, 7))
	start := time.Date(2026, 10, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	var threads []string // message IDs that opened a thread
	for i := range *n {
		at := start.Add(time.Duration(i) * 3 * time.Minute)
		id := fmt.Sprintf("m%d.%d@mail.example.com", i, *seed)
		from := names[rng.IntN(len(names))]
		addr := fmt.Sprintf("user%d@corp.example.com", rng.IntN(2000))
		var b bytes.Buffer
		fmt.Fprintf(&b, "From: %s <%s>\r\nTo: helpdesk@example.com\r\nDate: %s\r\nMessage-ID: <%s>\r\n",
			encodeWord(from), addr, at.Format(time.RFC1123Z), id)
		reply := len(threads) > 0 && rng.IntN(10) < 3
		zh := rng.IntN(2) == 0
		subject := pick(rng, enSubjects)
		body := pick(rng, enBodies)
		if zh {
			subject, body = pick(rng, zhSubjects), pick(rng, zhBodies)
		}
		if reply {
			parent := threads[rng.IntN(len(threads))]
			fmt.Fprintf(&b, "In-Reply-To: <%s>\r\nReferences: <%s>\r\n", parent, parent)
			subject = "Re: " + subject
		} else {
			threads = append(threads, id)
		}
		if rng.IntN(50) == 0 {
			b.WriteString("Auto-Submitted: auto-replied\r\n")
		}
		fmt.Fprintf(&b, "Subject: %s\r\nMIME-Version: 1.0\r\n", encodeWord(subject))
		attach := rng.IntN(20) == 0
		if attach {
			b.WriteString("Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n")
		}
		switch {
		case rng.IntN(10) == 0:
			b.WriteString("Content-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>" + body + "</p><p>" + from + "</p></body></html>\r\n")
		case zh:
			gbk, _ := simplifiedchinese.GBK.NewEncoder().String(body + "\r\n\r\n" + from + "\r\n")
			b.WriteString("Content-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64.StdEncoding.EncodeToString([]byte(gbk)) + "\r\n")
		default:
			b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
			w := quotedprintable.NewWriter(&b)
			w.Write([]byte(body + "\r\n\r\n" + from + "\r\n"))
			w.Close()
			b.WriteString("\r\n")
		}
		if attach {
			b.WriteString("--b1\r\nContent-Type: text/plain; name=\"log.txt\"\r\nContent-Disposition: attachment; filename=\"log.txt\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
				base64.StdEncoding.EncodeToString([]byte("ERROR at "+at.Format(time.RFC3339)+"\n")) + "\r\n--b1--\r\n")
		}
		name := fmt.Sprintf("%d.M%dP1.mailgen:2,S", at.Unix(), i)
		if err := os.WriteFile(filepath.Join(*out, "cur", name), b.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "mailgen:", err)
			os.Exit(1)
		}
	}
}

func pick(rng *rand.Rand, ss []string) string { return ss[rng.IntN(len(ss))] }

// encodeWord is s as an RFC 2047 word when it is not ASCII.
func encodeWord(s string) string {
	for _, r := range s {
		if r > 127 {
			return "=?utf-8?b?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?="
		}
	}
	return s
}
