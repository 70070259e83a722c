// Package intake is e-mail in and out of a desk repository: desk intake and
// the mail of desk ticket reply.
//
// In: Read takes messages from .eml files, Maildirs, folders and mboxes,
// FetchIMAP from an IMAP mailbox (read-only, from the UID the last run
// stopped at), ReadMessage from standard input; Parse reads one message
// with emersion/go-message (MIME, RFC 2047, the charsets Chinese mail uses)
// into a Message, its text taken out of HTML when it has no plain part, and
// tells machines' mail apart. Run turns the messages into tickets through
// repo: a new thread opens one (repo.Repo.DraftTicket, routed), a reply is
// a mail event of its ticket, every Message-ID is kept in its event so
// nothing is taken in twice (the index of those IDs is kept in .git/desk
// for a commit, messageids.go), an unreadable message is quarantined.
//
// Out: NewReply writes the e-mail of a reply, threaded under the ticket's
// mail; Send hands it to the [mail] SMTP server with emersion/go-smtp.
//
// The package sits above repo, as the linter and the report do: repo knows
// nothing of mail.
package intake
