// Package repo is a desk repository: the folder holding desk.toml (the desk
// root), its configuration, the git repository it lives in, and the operations
// that change tickets, each one commit.
//
// A desk root may be a subfolder of a larger git repository; paths inside desk
// are relative to the desk root and slash-separated, and are prefixed with the
// root's place in the git work tree only when they reach git.
//
// desk.toml is read in three steps (configparse.go). ticket/front's scanner
// indexes the file (front.ScanTOML), so that every message can name the
// line and column of the key, table or [[array]] entry at fault; it is the
// one TOML position reader of desk. BurntSushi/toml then decodes it: a
// syntax error keeps BurntSushi's message, at the position its ParseError
// gives. Before the file is decoded into Config, checkConfigTypes walks the
// decoded values beside Config's fields to find a value of the wrong type
// or an unknown key, which BurntSushi reports without a position or an
// array index. Last, one small method per table ([desk], [tickets],
// [workflow], [required], [sections], [calendar], [sla], [major], [kb],
// [site], [check.rules]), called in that order by parseConfig, fills in the
// defaults of the keys left out (IsDefined, not zero values, tells which)
// and checks the values, the later tables against the earlier ones
// (statuses, categories). The first problem is returned as a *ConfigError,
// printed path:line: message.
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
