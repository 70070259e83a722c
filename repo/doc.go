// Package repo is a desk repository: the folder holding desk.toml (the desk
// root), its configuration, the git repository it lives in, and the operations
// that change tickets, each one commit.
//
// A desk root may be a subfolder of a larger git repository; paths inside desk
// are relative to the desk root and slash-separated, and are prefixed with the
// root's place in the git work tree only when they reach git.
//
// Its configuration is package config (desk.toml), its record cache package
// records (.git/desk), its git engine package gitdb. Above it, the report
// (report) reads tickets through records.Source alone; the linter (check)
// reads the repository itself: files, records and git history.
//
// Repo.EachRecord is the one way records are read: it lists the ticket
// files with their stat data (files.go, on all cores, following no link),
// takes unchanged ones from the record cache and parses the rest, and
// rewrites the cache when it would change.
//
// No symbolic link below the desk root is followed: every read of a ticket,
// an article or a file of the site goes through Repo.ReadFile or Repo.Stat,
// which refuse a symlink at the file or at any folder on its way with a
// SymlinkError (nofollow.go), so a link committed into the repository
// cannot make desk show, index, publish or commit a file from elsewhere.
package repo
