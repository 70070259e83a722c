package check

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/deskhq/desk/repo/config"
	"github.com/rogpeppe/go-internal/txtar"
)

// foundElsewhere are the rules without ticket or article code: parse is
// found while decoding, duplicate-id across the repository, the git rules
// with --base.
var foundElsewhere = []*Rule{Parse, DuplicateID, HistoryRewritten, IDTaken, EventTime}

// TestRegistry: IDs are unique, every rule is described, and every rule has
// code for tickets or articles or is one of those found elsewhere.
func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules {
		if seen[r.ID] {
			t.Errorf("%s is registered twice", r.ID)
		}
		seen[r.ID] = true
		if r.Short == "" || r.Full == "" || r.Help == "" || (r.Severity != Error && r.Severity != Warning) {
			t.Errorf("%s: incomplete: %+v", r.ID, r)
		}
		if got, ok := RuleByID(r.ID); !ok || got != r {
			t.Errorf("RuleByID(%q) = %v, %v", r.ID, got, ok)
		}
		hasCode := r.ticket != nil || r.article != nil
		if elsewhere := slices.Contains(foundElsewhere, r); hasCode == elsewhere {
			t.Errorf("%s: has ticket or article code: %v; listed as found elsewhere: %v", r.ID, hasCode, elsewhere)
		}
		if r.Git && hasCode {
			t.Errorf("%s is a git rule with code for every run", r.ID)
		}
	}
	if ids := strings.Join(config.KnownRules, ", "); ids != ruleIDs() {
		t.Errorf("config.KnownRules, which validates [check.rules], is\n%s\nwant the registry's\n%s", ids, ruleIDs())
	}
}

// TestUnregisteredRulePanics: a rule value that is not in Rules is a
// mistake that stops the run, not a finding dropped as if turned off.
func TestUnregisteredRulePanics(t *testing.T) {
	c := &checker{severity: map[*Rule]Severity{Parse: Error}}
	defer func() {
		if recover() == nil {
			t.Error("a finding of an unregistered rule did not panic")
		}
	}()
	c.add(&Rule{ID: "parse"}, "tickets/x.md", "x", noLoc, "never recorded")
}

// checkRegistered fails the test for a finding whose rule is not in Rules;
// TestRules and TestRuleMessages call it on every finding.
func checkRegistered(t *testing.T, fs []Finding) {
	t.Helper()
	for _, f := range fs {
		if _, ok := RuleByID(f.Rule); !ok {
			t.Errorf("%s:%d:%d: finding of rule %q, which is not in Rules", f.Path, f.Line, f.Column, f.Rule)
		}
	}
}

// TestEveryRuleHasAFixture: every rule is triggered by a case of
// testdata/rules (TestRules checks that the case's want is what the run
// finds), and the cases want no rule that is not registered.
func TestEveryRuleHasAFixture(t *testing.T) {
	files, _ := filepath.Glob("testdata/rules/*.txtar")
	wanted := map[string][]string{} // rule -> cases
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if f.Name != "want" {
				continue
			}
			for _, line := range strings.Split(strings.TrimSpace(string(f.Data)), "\n") {
				if fields := strings.Fields(line); len(fields) == 3 {
					wanted[fields[2]] = append(wanted[fields[2]], filepath.Base(file))
				}
			}
		}
	}
	for _, r := range Rules {
		if len(wanted[r.ID]) == 0 {
			t.Errorf("%s: no case in testdata/rules finds it", r.ID)
		}
	}
	for rule, cases := range wanted {
		if _, ok := RuleByID(rule); !ok {
			t.Errorf("%v want rule %q, which is not in Rules", cases, rule)
		}
	}
}

// TestREADMERuleTable: the rule table of README.md's "desk check" section
// lists the registry's rules, in its order, with their default severities
// and the git rules marked *git*.
func TestREADMERuleTable(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## desk check\n")
	if !ok {
		t.Fatal(`README.md has no section "## desk check"`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	row := regexp.MustCompile("(?m)^\\| `([^`]*)` \\| ([^|]*) \\|")
	var got []string
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		got = append(got, m[1]+" "+strings.TrimSpace(m[2]))
	}
	var want []string
	var table strings.Builder
	table.WriteString("| rule | severity | finds |\n| --- | --- | --- |\n")
	for _, r := range Rules {
		sev := string(r.Severity)
		if r.Git {
			sev += ", *git*"
		}
		want = append(want, r.ID+" "+sev)
		fmt.Fprintf(&table, "| `%s` | %s | %s |\n", r.ID, sev, r.Short)
	}
	if !slices.Equal(got, want) {
		t.Errorf("README.md's rule table lists\n%s\nwant the registry's\n%s\na table from the registry:\n%s",
			strings.Join(got, "\n"), strings.Join(want, "\n"), table.String())
	}
}
