package check

import (
	"cmp"
	"slices"
	"time"
)

// Severity of a finding.
type Severity string

// Severities, in increasing order of weight.
const (
	Warning Severity = "warning"
	Error   Severity = "error"
)

// Finding is one problem: a rule, where it is, and what to do about it.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Path     string   `json:"path"`             // slash-separated, relative to the git work tree's top level
	Line     int      `json:"line"`             // 1-based; 0 when the finding is about the whole file
	Column   int      `json:"column"`           // 1-based, in characters
	Ticket   string   `json:"ticket,omitempty"` // the ticket ID, or the article slug for articles
	Message  string   `json:"message"`
}

// Summary counts what a run looked at and found.
type Summary struct {
	Files    int `json:"files"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

// Result is the outcome of a check run.
type Result struct {
	Findings []Finding `json:"findings"`
	Summary  Summary   `json:"summary"`

	// Started and Elapsed time the run, for formats that report it
	// (JUnit); the command sets them.
	Started time.Time     `json:"-"`
	Elapsed time.Duration `json:"-"`
}

// Sort orders findings by path, line, column and rule, so output is stable.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column), cmp.Compare(a.Rule, b.Rule))
	})
}
