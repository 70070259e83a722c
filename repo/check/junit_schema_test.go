package check

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// fmtJUnitResults are the reports the schema tests validate: errors and
// warnings, a clean run, warnings only, and characters XML cannot hold.
func fmtJUnitResults() map[string]Result {
	return map[string]Result{
		"full":          fmtFullResult(),
		"empty":         fmtEmptyResult(),
		"warnings-only": {Findings: fmtFullResult().Findings[1:2], Summary: Summary{Files: 3, Warnings: 1}},
		"bad-bytes": {Findings: []Finding{{Rule: "parse", Severity: Error, Path: "a\x00 b.md", Line: 1, Column: 1,
			Message: "bad byte \x01\xff here ]]>"}}},
	}
}

// TestJUnitSchemas validates the JUnit reports with xmllint against the
// schemas listed in DESK_JUNIT_SCHEMAS (paths separated like PATH). .ci/run
// lists Jenkins' junit-4.xsd and Apache Ant's JUnit.xsd, which it takes
// from the npm registry (they are not ours to copy into testdata). Without
// the variable the test is skipped, unless DESK_REQUIRE_SCHEMAS is set.
func TestJUnitSchemas(t *testing.T) {
	list := os.Getenv("DESK_JUNIT_SCHEMAS")
	xmllint, lintErr := exec.LookPath("xmllint")
	if list == "" || lintErr != nil {
		if os.Getenv("DESK_REQUIRE_SCHEMAS") != "" {
			t.Fatalf("DESK_REQUIRE_SCHEMAS is set but DESK_JUNIT_SCHEMAS is %q and xmllint: %v", list, lintErr)
		}
		t.Skip("set DESK_JUNIT_SCHEMAS to JUnit XSD files and install xmllint (libxml2-utils)")
	}
	dir := t.TempDir()
	for name, res := range fmtJUnitResults() {
		doc := filepath.Join(dir, name+".xml")
		if err := os.WriteFile(doc, fmtWrite(t, "junit", res), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, xsd := range filepath.SplitList(list) {
			out, err := exec.Command(xmllint, "--noout", "--schema", xsd, doc).CombinedOutput()
			if err != nil {
				t.Errorf("%s against %s: %v\n%s", name, filepath.Base(xsd), err, out)
			}
		}
	}
}

// TestJUnitJenkins10 checks the reports against what the Jenkins xunit
// plugin's junit-10.xsd allows, which this machine's registries do not
// carry: the attributes of each element (testsuites takes no skipped),
// the required ones, the children of a test case, and the time pattern.
func TestJUnitJenkins10(t *testing.T) {
	allowed := map[string]string{
		"testsuites": "name time tests failures errors",
		"testsuite":  "name tests failures errors group time skipped timestamp hostname id package file log url",
		"testcase":   "name time classname group",
		"properties": "",
		"property":   "name value",
		"failure":    "type message",
		"error":      "type message",
		"skipped":    "type message",
		"system-out": "",
		"system-err": "",
	}
	required := map[string]string{"testsuite": "name tests failures errors", "testcase": "name", "property": "name value"}
	children := map[string]string{
		"testsuites": "testsuite",
		"testsuite":  "testsuite properties testcase system-out system-err",
		"testcase":   "skipped error failure system-out system-err",
		"properties": "property",
	}
	surefireTime := regexp.MustCompile(`^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$`)
	for name, res := range fmtJUnitResults() {
		d := xml.NewDecoder(strings.NewReader(string(fmtWrite(t, "junit", res))))
		var stack []string
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			switch e := tok.(type) {
			case xml.StartElement:
				el := e.Name.Local
				attrs, ok := allowed[el]
				if !ok {
					t.Errorf("%s: element <%s> is not in junit-10.xsd", name, el)
				}
				if len(stack) == 0 && el != "testsuites" {
					t.Errorf("%s: root <%s>", name, el)
				}
				if len(stack) > 0 && !slices.Contains(strings.Fields(children[stack[len(stack)-1]]), el) {
					t.Errorf("%s: <%s> inside <%s>", name, el, stack[len(stack)-1])
				}
				have := map[string]bool{}
				for _, a := range e.Attr {
					have[a.Name.Local] = true
					if !slices.Contains(strings.Fields(attrs), a.Name.Local) {
						t.Errorf("%s: <%s %s=…> is not allowed", name, el, a.Name.Local)
					}
					if a.Name.Local == "time" && (el == "testsuite" || el == "testsuites") && !surefireTime.MatchString(a.Value) {
						t.Errorf("%s: <%s time=%q> does not match SUREFIRE_TIME", name, el, a.Value)
					}
				}
				for _, r := range strings.Fields(required[el]) {
					if !have[r] {
						t.Errorf("%s: <%s> lacks %s", name, el, r)
					}
				}
				stack = append(stack, el)
			case xml.EndElement:
				stack = stack[:len(stack)-1]
			}
		}
	}
}
