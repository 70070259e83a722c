package intake

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// IMAPState is how far a mailbox has been read: its UIDVALIDITY and the
// highest UID taken in. A mailbox whose UIDVALIDITY changed is read again
// from the start (Message-IDs keep that from taking anything in twice).
type IMAPState struct {
	UIDValidity uint32 `json:"uid_validity"`
	LastUID     uint32 `json:"last_uid"`
}

// IMAPError is a mailbox that could not be reached or read: the server's
// words, or the network's.
type IMAPError struct {
	Server string
	Err    error
}

func (e *IMAPError) Error() string { return fmt.Sprintf("IMAP server %s: %v", e.Server, e.Err) }
func (e *IMAPError) Unwrap() error { return e.Err }

// IsIMAP reports whether s is an imap:// or imaps:// URL.
func IsIMAP(s string) bool {
	return strings.HasPrefix(s, "imaps://") || strings.HasPrefix(s, "imap://")
}

// FetchIMAP logs in to the mailbox of rawURL (imaps://host[:993]/MAILBOX;
// imap:// with STARTTLS, or plain to a server on this machine) and returns
// the messages after st, read-only (EXAMINE, BODY.PEEK: nothing is marked
// or moved), with the state to save once they are taken in.
func FetchIMAP(ctx context.Context, rawURL, user, password string, st IMAPState) ([]Item, IMAPState, error) {
	u, err := url.Parse(rawURL)
	if err != nil || !IsIMAP(rawURL) || u.Hostname() == "" {
		return nil, st, fmt.Errorf("%q is not an imaps://host/MAILBOX URL", rawURL)
	}
	mailbox := strings.TrimPrefix(u.Path, "/")
	if mailbox == "" {
		mailbox = "INBOX"
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), map[string]string{"imaps": "993", "imap": "143"}[u.Scheme])
	}
	fail := func(err error) error { return &IMAPError{Server: host, Err: err} }
	if user == "" || password == "" {
		return nil, st, fail(fmt.Errorf("no user name or password: set the variables [intake] user_env and password_env name"))
	}
	opts := &imapclient.Options{Dialer: &net.Dialer{Timeout: 30 * time.Second}}
	ip := net.ParseIP(u.Hostname())
	local := u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback())
	var c *imapclient.Client
	switch {
	case u.Scheme == "imaps":
		c, err = imapclient.DialTLS(host, opts)
	case local:
		c, err = imapclient.DialInsecure(host, opts)
	default:
		c, err = imapclient.DialStartTLS(host, opts)
	}
	if err != nil {
		return nil, st, fail(err)
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := c.Login(user, password).Wait(); err != nil {
		return nil, st, fail(fmt.Errorf("login as %s: %w", user, err))
	}
	sel, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return nil, st, fail(fmt.Errorf("cannot select %s: %w", mailbox, err))
	}
	from := imap.UID(1)
	if sel.UIDValidity == st.UIDValidity {
		from = imap.UID(st.LastUID + 1)
	}
	next := IMAPState{UIDValidity: sel.UIDValidity, LastUID: st.LastUID}
	if sel.UIDValidity != st.UIDValidity {
		next.LastUID = 0
	}
	if sel.NumMessages == 0 {
		return nil, next, c.Logout().Wait()
	}
	var set imap.UIDSet
	set.AddRange(from, 0) // from:*
	section := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(set, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		return nil, st, fail(err)
	}
	var items []Item
	for _, m := range msgs {
		// from:* always answers with the last message, even one taken in.
		if m.UID < from {
			continue
		}
		it := Item{Source: fmt.Sprintf("%s#%d", rawURL, m.UID), Data: m.FindBodySection(section)}
		if len(it.Data) > maxMessage {
			it.Err = fmt.Errorf("larger than %d MB", maxMessage>>20)
		} else {
			it.Msg, it.Err = Parse(it.Data)
		}
		items = append(items, it)
		if uint32(m.UID) > next.LastUID {
			next.LastUID = uint32(m.UID)
		}
	}
	return items, next, c.Logout().Wait()
}
