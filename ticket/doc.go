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
// Parse decodes the front matter with a fast path of its own (fast.go), a
// strict decoder of the TOML that tickets are written in, beside
// BurntSushi/toml, which decodes whatever the fast path declines and gives
// every error. It earns its 1,265 lines on a cold read of the repository (a
// fresh clone, as in CI, has no record cache in .git/desk and parses every
// file). Measured on 2 shared, busy cores (load 8 to 14; ratios of medians
// of paired runs, absolute figures are inflated):
//
//   - per ticket, 2,000 loadgen tickets: Parse 37 µs with the fast path,
//     273 µs with BurntSushi/toml alone (7.3×; 5.2× in a busier run); the
//     scan that both start with takes 20 µs, so the decoding itself is about
//     15× faster. Allocations: 17 a ticket instead of 604, 23 KB instead of
//     62 KB. On testdata/fast/bench.md: 47 µs and 21 allocations against
//     307 µs and 715.
//   - cold desk ticket list --open on the 100,000 tickets of examples/loadgen:
//     7.1 s of user CPU with the fast path, 24.7 s with BurntSushi/toml alone
//     (3.5×, medians of 5 paired runs); wall 20 s against 74 s, git status
//     0.9 s; cold desk check, 9.5 s against 22.4 s. In a CPU profile of the fast run, the fast path is 13% of the
//     samples, all of Parse 31%: BurntSushi/toml would make decoding the
//     largest cost of a cold run, where the aim is 3× git status.
//
// To reproduce:
//
//	DESK_FAST_CORPUS=/tmp/c go test -run TestDecodeFastCorpus ./ticket
//	DESK_FAST_CORPUS=/tmp/c go test -run X -bench 'Parse$|ParseCorpus' -count 5 ./ticket
//	go run ./examples/loadgen -n 100000 -out /tmp/r; cd /tmp/r && git status
//	rm -rf .git/desk; DESK_CPUPROFILE=cold.prof desk ticket list --open
//
// with a second desk built with Parse calling parse(path, data, false) for
// the general path. The differential tests of fast_test.go hold the two
// paths to the same tickets and the same errors.
//
// This package parses, edits and merges ticket files; it knows nothing of
// git, of the configuration file or of the command line.
package ticket
