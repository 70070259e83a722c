// Package ticket defines desk's records: a ticket, its events and its ID.
//
// A ticket is one Markdown file with TOML front matter, at
// tickets/YYYY/MM/<id>.md. Its front matter holds the fields of the record
// (requester, category, priority, feedback, …) and an append-only log of
// events; its body holds the sections found by their "##" headings
// (description, analysis, handling record, resolution, post-incident review).
//
// An event is one entry of that log: who did what, when. Every command that
// changes a ticket appends exactly one. The status of a ticket is the "to" of
// its last event that has one.
//
// An ID is PREFIX-YYYYMMDD-N: the day is the registration day in the
// repository's time zone and N counts the tickets of that day from 1.
//
// Merge is git's merge driver for ticket files (desk merge-file): two
// branches that each appended events keep both logs, in time order, and
// changed keys merge field by field (merge.go).
//
// This package parses, edits and merges ticket files; it knows nothing of
// git, of the configuration file or of the command line.
package ticket
