// Package check is desk's linter: it reads tickets and articles as a linter
// reads code and reports findings.
//
// Its one concept is the rule: a [Rule] is one check of CHECK.md, with a
// stable ID, a default severity, the texts the output formats show, and the
// code that finds its problems. Every rule is one value listed in [Rules],
// and the code names a rule only by that value. A run applies the rules
// that are on to the files it covers, and each problem found is a
// [Finding]: the rule, a severity, a file, a line and column, the ticket or
// article it concerns, and a message that says what to change. Rules are
// computed from the parsed records (the record cache makes a warm run
// cheap); positions are resolved afterwards by indexing only the files that
// have findings.
//
// A run covers the whole repository, given paths, what is staged in the
// index, or the files changed on a branch since its merge base with a base
// revision. In that last mode the git rules compare the two versions of each
// changed file, and the rules that need the whole repository (duplicate IDs,
// links) work from file names, so the cost follows the change.
//
// # Adding a rule
//
//  1. Describe it in rules.go: a *Rule variable with its ID, severity and
//     texts, listed in Rules in the order of CHECK.md; add the ID to
//     config.KnownRules, which validates [check.rules] in desk.toml.
//  2. Write its code: a func(*ticketPass) or func(*articlePass), set as the
//     rule's ticket or article field, that reports with p.report; the
//     pass is bound to the rule, so the code cannot report for another.
//     A rule that needs the whole repository or git history reports from
//     duplicates or gitRules with c.add and the rule's value.
//  3. Add a case testdata/rules/<id>.txtar whose want lists what it finds,
//     and a row to the rule table in README.md's "desk check" section.
//     TestRegistry, TestEveryRuleHasAFixture and TestREADMERuleTable fail
//     until the registry, the fixtures, the README and config.KnownRules
//     agree.
package check
