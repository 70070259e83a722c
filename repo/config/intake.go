package config

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Intake is the [intake] table: where desk intake reads mail from, and
// what it keeps of it. Credentials are never in desk.toml: UserEnv and
// PasswordEnv name the environment variables that hold them.
type Intake struct {
	IMAP          string `toml:"imap"`           // imaps://host[:port]/MAILBOX
	UserEnv       string `toml:"user_env"`       // default DESK_IMAP_USER
	PasswordEnv   string `toml:"password_env"`   // default DESK_IMAP_PASSWORD
	MaxAttachment string `toml:"max_attachment"` // "10MB"; larger attachments are not saved
	maxAttachment int64
}

// MaxAttachmentBytes is intake.max_attachment in bytes.
func (i Intake) MaxAttachmentBytes() int64 { return i.maxAttachment }

var sizeRE = regexp.MustCompile(`^(\d+)\s*(B|KB|MB)$`)

// ParseSize reads "512KB", "10MB".
func ParseSize(s string) (int64, error) {
	m := sizeRE.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(s)))
	if m == nil {
		return 0, fmt.Errorf("%q: want a size such as \"10MB\" or \"512KB\"", s)
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil || n > 1<<20 {
		return 0, fmt.Errorf("%q: too large", s)
	}
	return n << map[string]int{"B": 0, "KB": 10, "MB": 20}[m[2]], nil
}

// intake checks [intake].
func (r *configReader) intake() error {
	in := &r.c.Intake
	if r.unset("intake", "max_attachment") {
		in.MaxAttachment = "10MB"
	}
	n, err := ParseSize(in.MaxAttachment)
	if err != nil {
		return r.fail(r.at("intake", "max_attachment"), "intake.max_attachment %v", err)
	}
	in.maxAttachment = n
	if in.UserEnv == "" {
		in.UserEnv = "DESK_IMAP_USER"
	}
	if in.PasswordEnv == "" {
		in.PasswordEnv = "DESK_IMAP_PASSWORD"
	}
	for _, k := range [][2]string{{"user_env", in.UserEnv}, {"password_env", in.PasswordEnv}} {
		if strings.ContainsAny(k[1], " =$@:") {
			return r.fail(r.at("intake", k[0]), "intake.%s %q: want the name of an environment variable, not its value", k[0], k[1])
		}
	}
	if in.IMAP != "" {
		u, err := url.Parse(in.IMAP)
		if err != nil || (u.Scheme != "imaps" && u.Scheme != "imap") || u.Host == "" {
			return r.fail(r.at("intake", "imap"), "intake.imap %q: want imaps://host/MAILBOX (or imap:// for a server on this machine)", in.IMAP)
		}
		if u.User != nil {
			return r.fail(r.at("intake", "imap"), "intake.imap holds a user name or password; put them in the environment variables %s and %s instead", in.UserEnv, in.PasswordEnv)
		}
	}
	return nil
}
