// Package records is the record cache of a desk repository: a ticket file
// parsed once and kept as a Record (the decoded ticket, which configured
// body sections hold text, the keys the format does not know, or why the
// file does not parse), so that listing and checking 100,000 tickets does
// not parse every file on every run.
//
// The cache is one file under .git/desk, validated by each file's stat data
// as git validates its index (Key); entries changed within RacyWindow of
// the write are left out, as git leaves out racy entries. Its layout puts an
// index (path, stat data and Head of every record) before the record
// bodies, so a command that filters on the head (status, priority,
// category, assignee, created) maps the file and decodes only the records
// it keeps. The file is replaced by rename and never rewritten in place,
// so a reader's mapping stays valid; it can be deleted at any time.
//
// A cache is tied to the configuration that wrote it by a stamp the
// caller gives (the section headings, which decide a Record's Sections):
// a cache written under another stamp opens empty.
//
// Which files to read, and the reading itself, are the repository's
// (repo.Repo.EachRecord); this package knows the format only. Source is
// the small interface the linter and the report read records through.
package records
