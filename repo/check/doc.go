// Package check is desk's linter: it reads tickets and articles as a linter
// reads code and reports findings.
//
// A finding is one problem: a rule (a stable ID from CHECK.md), a severity, a
// file, a line and column, the ticket or article it concerns, and a message
// that says what to change. Rules are computed from the parsed records (the
// record cache makes a warm run cheap); positions are resolved afterwards by
// indexing only the files that have findings.
//
// A run covers the whole repository, given paths, what is staged in the
// index, or the files changed on a branch since its merge base with a base
// revision. In that last mode the git rules compare the two versions of each
// changed file, and the rules that need the whole repository (duplicate IDs,
// links) work from file names, so the cost follows the change.
package check
