// Package repo is a desk repository: the folder holding desk.toml (the desk
// root), its configuration, the git repository it lives in, and the operations
// that change tickets, each one commit.
//
// A desk root may be a subfolder of a larger git repository; paths inside desk
// are relative to the desk root and slash-separated, and are prefixed with the
// root's place in the git work tree only when they reach git.
//
// The record cache keeps parsed tickets under .git/desk/ so that listing and
// checking a repository of 100,000 tickets does not parse every file on every
// run; it is validated by file stat data as git validates its index, and can be
// deleted at any time.
//
// No symbolic link below the desk root is followed: every read of a ticket,
// an article or a file of the site goes through Repo.ReadFile or Repo.Stat,
// which refuse a symlink at the file or at any folder on its way with a
// SymlinkError (nofollow.go), so a link committed into the repository
// cannot make desk show, index, publish or commit a file from elsewhere.
package repo
