package config

import (
	"net/url"
	"strings"
)

// Mail is the [mail] table: how desk ticket reply reaches the requester.
// Credentials are never in desk.toml: UserEnv and PasswordEnv name the
// environment variables that hold them.
type Mail struct {
	SMTP        string `toml:"smtp"` // smtps://host:465, or smtp://host:587 (STARTTLS when offered)
	From        string `toml:"from"` // helpdesk@example.com, or "IT 服务台 <helpdesk@example.com>"
	UserEnv     string `toml:"user_env"`
	PasswordEnv string `toml:"password_env"`
}

// Enabled reports whether replies are sent by mail.
func (m Mail) Enabled() bool { return m.SMTP != "" }

// mail checks [mail].
func (r *configReader) mail() error {
	m := &r.c.Mail
	if m.UserEnv == "" {
		m.UserEnv = "DESK_SMTP_USER"
	}
	if m.PasswordEnv == "" {
		m.PasswordEnv = "DESK_SMTP_PASSWORD"
	}
	for _, k := range [][2]string{{"user_env", m.UserEnv}, {"password_env", m.PasswordEnv}} {
		if strings.ContainsAny(k[1], " =$@:") {
			return r.fail(r.at("mail", k[0]), "mail.%s %q: want the name of an environment variable, not its value", k[0], k[1])
		}
	}
	if m.SMTP == "" {
		if m.From != "" {
			return r.fail(r.at("mail", "from"), "mail.from without mail.smtp: give the server replies are sent through")
		}
		return nil
	}
	u, err := url.Parse(m.SMTP)
	if err != nil || (u.Scheme != "smtps" && u.Scheme != "smtp") || u.Hostname() == "" || u.Port() == "" {
		return r.fail(r.at("mail", "smtp"), "mail.smtp %q: want smtps://host:465 or smtp://host:587", m.SMTP)
	}
	if u.User != nil {
		return r.fail(r.at("mail", "smtp"), "mail.smtp holds a user name or password; put them in the environment variables %s and %s instead", m.UserEnv, m.PasswordEnv)
	}
	if !strings.Contains(m.From, "@") {
		return r.fail(r.at("mail", "from"), "mail.from %q: want the address replies come from, e.g. \"helpdesk@example.com\"", m.From)
	}
	return nil
}
