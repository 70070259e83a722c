package check

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/format")

const fmtTestVersion = "v1.4.0"

// fmtFullResult has an error and a warning, a finding with Line 0, a
// Chinese path and message, and a message (and path) holding %, :, ",",
// line breaks and <script>&".
func fmtFullResult() Result {
	return Result{
		Findings: []Finding{
			{Rule: "id-format", Severity: Error, Path: "tickets/2026/11/ts-20261122-9.md", Line: 0, Column: 0,
				Message: "a ticket file is named tickets/YYYY/MM/<id>.md with an ID like TS-20261122-9"},
			{Rule: "unknown-field", Severity: Warning, Path: "tickets/2026/11/TS-20261122-1.md", Line: 4, Column: 1,
				Ticket: "TS-20261122-1", Message: `unknown key "prority": did you mean "priority"?`},
			{Rule: "required-field", Severity: Error, Path: "tickets/2026/11/TS-20261122-1.md", Line: 9, Column: 1,
				Ticket: "TS-20261122-1", Message: "resolution is required at status resolved: desk ticket set TS-20261122-1 resolution=\"…\""},
			{Rule: "personal-data", Severity: Error, Path: "kb/打印机-卡纸.md", Line: 12, Column: 7,
				Ticket: "打印机-卡纸", Message: "文章含有电话号码“138 0013 8000”，发布前请删除或遮盖。"},
			{Rule: "kb-stale", Severity: Warning, Path: "kb/vpn 100%,slow:fix.md", Line: 3, Column: 0,
				Ticket: "vpn-slow", Message: "review_by 2026-01-01 passed: 100% late, see <script>alert(1)</script> & \"quotes\"\nsecond line\r\nthird, last"},
		},
		Summary: Summary{Files: 1204, Errors: 3, Warnings: 2},
		Started: fmtStarted, Elapsed: 1234 * time.Millisecond,
	}
}

func fmtEmptyResult() Result {
	return Result{Summary: Summary{Files: 1204}, Started: fmtStarted, Elapsed: 1234 * time.Millisecond}
}

// fmtStarted is when the test results ran: 08:30 in Beijing.
var fmtStarted = time.Date(2026, 11, 22, 8, 30, 0, 0, time.FixedZone("CST", 8*3600))

func init() {
	junitHostname = func() (string, error) { return "ci-runner", nil }
}

var fmtGoldenExt = map[string]string{
	"text": "txt", "json": "json", "sarif": "sarif", "github": "github.txt", "junit": "junit.xml",
}

func fmtWrite(t *testing.T, format string, res Result) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, format, res, fmtTestVersion); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return b.Bytes()
}

func TestFormatGolden(t *testing.T) {
	cases := map[string]Result{"full": fmtFullResult(), "empty": fmtEmptyResult()}
	for name, res := range cases {
		for _, format := range Formats {
			t.Run(name+"/"+format, func(t *testing.T) {
				got := fmtWrite(t, format, res)
				path := filepath.Join("testdata", "format", name+"."+fmtGoldenExt[format])
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./repo/check/ -update)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from %s (run go test ./repo/check/ -update to accept):\n--- got\n%s", format, path, got)
				}
			})
		}
	}
}

func TestFormatsListAndUnknown(t *testing.T) {
	if got := strings.Join(Formats, ","); got != "text,json,sarif,github,junit" {
		t.Errorf("Formats = %s", got)
	}
	var b bytes.Buffer
	err := Write(&b, "xml", fmtFullResult(), fmtTestVersion)
	if err == nil {
		t.Fatal("unknown format: no error")
	}
	for _, f := range Formats {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not name %s", err, f)
		}
	}
	if b.Len() != 0 {
		t.Errorf("unknown format wrote %q", b.String())
	}
}

func TestFormatText(t *testing.T) {
	out := string(fmtWrite(t, "text", fmtFullResult()))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 6 {
		t.Fatalf("want 5 findings and a summary, one line each, got %d lines:\n%s", len(lines), out)
	}
	for i, want := range []string{
		"tickets/2026/11/ts-20261122-9.md: error: a ticket file",
		"tickets/2026/11/TS-20261122-1.md:4:1: warning: unknown key",
		"tickets/2026/11/TS-20261122-1.md:9:1: error: resolution",
		"kb/打印机-卡纸.md:12:7: error: 文章含有电话号码",
		`kb/vpn 100%,slow:fix.md:3: warning: review_by 2026-01-01 passed: 100% late, see <script>alert(1)</script> & "quotes"\nsecond line\r\nthird, last (kb-stale)`,
		"1204 files checked: 3 errors, 2 warnings",
	} {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("line %d = %q, want prefix %q", i+1, lines[i], want)
		}
	}
	if !strings.HasSuffix(lines[2], "(required-field)") {
		t.Errorf("rule missing: %q", lines[2])
	}
	if s := fmtOneLine("a\x1b[31mred\x00\xffb\tc"); s != `a\x1b[31mred\x00\xffb`+"\tc" {
		t.Errorf("fmtOneLine = %q", s)
	}
}

func TestFormatSummaryLine(t *testing.T) {
	for _, c := range []struct {
		s    Summary
		want string
	}{
		{Summary{Files: 1204, Errors: 1}, "1204 files checked: 1 error, 0 warnings"},
		{Summary{Files: 1, Warnings: 1}, "1 file checked: 0 errors, 1 warning"},
		{Summary{Files: 2, Errors: 2, Warnings: 3}, "2 files checked: 2 errors, 3 warnings"},
		{Summary{Files: 1}, "1 file checked: no problems"},
		{Summary{}, "0 files checked: no problems"},
	} {
		if got := summaryLine(c.s); got != c.want {
			t.Errorf("summaryLine(%+v) = %q, want %q", c.s, got, c.want)
		}
	}
}

func TestFormatJSON(t *testing.T) {
	out := fmtWrite(t, "json", fmtFullResult())
	if !bytes.Contains(out, []byte("<script>alert(1)</script> & ")) {
		t.Errorf("HTML characters were escaped:\n%s", out)
	}
	if !bytes.HasPrefix(out, []byte("{\n  \"findings\": [\n    {\n      \"rule\"")) {
		t.Errorf("not indented by two spaces:\n%s", out)
	}
	var back Result
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Findings) != 5 || back.Findings[3] != fmtFullResult().Findings[3] || back.Summary != fmtFullResult().Summary {
		t.Errorf("round trip: %+v", back)
	}
	var raw map[string]any
	if err := json.Unmarshal(fmtWrite(t, "json", fmtEmptyResult()), &raw); err != nil {
		t.Fatal(err)
	}
	if fs, ok := raw["findings"].([]any); !ok || len(fs) != 0 {
		t.Errorf("findings of an empty result = %#v, want []", raw["findings"])
	}
}

// fmtSARIFSchema compiles the OASIS schema in testdata.
func fmtSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	const url = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func fmtValidate(sch *jsonschema.Schema, doc []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

func TestFormatSARIFSchema(t *testing.T) {
	sch := fmtSARIFSchema(t)
	for name, res := range map[string]Result{"full": fmtFullResult(), "empty": fmtEmptyResult()} {
		for _, version := range []string{fmtTestVersion, "", "(devel)"} {
			var b bytes.Buffer
			if err := Write(&b, "sarif", res, version); err != nil {
				t.Fatal(err)
			}
			if err := fmtValidate(sch, b.Bytes()); err != nil {
				t.Errorf("%s, version %q: not valid SARIF 2.1.0: %v", name, version, err)
			}
		}
	}

	// The validation has teeth: take required parts away, or break a type,
	// and the schema must refuse the log.
	for _, c := range []struct {
		name   string
		break_ func(log map[string]any)
	}{
		{"result without message", func(log map[string]any) { delete(fmtSARIFResult(log, 0), "message") }},
		{"driver without name", func(log map[string]any) {
			delete(fmtSARIFRun(log)["tool"].(map[string]any)["driver"].(map[string]any), "name")
		}},
		{"run without tool", func(log map[string]any) { delete(fmtSARIFRun(log), "tool") }},
		{"log without version", func(log map[string]any) { delete(log, "version") }},
		{"startLine 0", func(log map[string]any) {
			loc := fmtSARIFResult(log, 0)["locations"].([]any)[0].(map[string]any)
			loc["physicalLocation"].(map[string]any)["region"].(map[string]any)["startLine"] = 0
		}},
		{"unknown level", func(log map[string]any) { fmtSARIFResult(log, 0)["level"] = "fatal" }},
		{"informationUri not absolute", func(log map[string]any) {
			fmtSARIFRun(log)["tool"].(map[string]any)["driver"].(map[string]any)["informationUri"] = "deskhq/desk"
		}},
	} {
		var log map[string]any
		if err := json.Unmarshal(fmtWrite(t, "sarif", fmtFullResult()), &log); err != nil {
			t.Fatal(err)
		}
		c.break_(log)
		doc, _ := json.Marshal(log)
		if err := fmtValidate(sch, doc); err == nil {
			t.Errorf("%s: the schema accepted it", c.name)
		}
	}
}

func fmtSARIFRun(log map[string]any) map[string]any {
	return log["runs"].([]any)[0].(map[string]any)
}

func fmtSARIFResult(log map[string]any, i int) map[string]any {
	return fmtSARIFRun(log)["results"].([]any)[i].(map[string]any)
}

// fmtSARIF is the part of the log the tests look at.
type fmtSARIF struct {
	Schema string `json:"$schema"`
	Runs   []struct {
		Tool struct {
			Driver struct {
				Name, Version, SemanticVersion string
				Rules                          []struct {
					ID, Name                          string
					ShortDescription, FullDescription struct{ Text string }
					Help                              struct{ Text, Markdown string }
					DefaultConfiguration              struct{ Level string }
					Properties                        struct{ Tags []string }
				}
			}
		}
		OriginalURIBaseIDs map[string]json.RawMessage `json:"originalUriBaseIds"`
		ColumnKind         string
		Results            []struct {
			RuleID    string
			RuleIndex int
			Level     string
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI, URIBaseID string }
					Region           struct{ StartLine, StartColumn int }
				}
			}
			PartialFingerprints map[string]string
		}
	}
}

func fmtParseSARIF(t *testing.T, res Result, version string) fmtSARIF {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, "sarif", res, version); err != nil {
		t.Fatal(err)
	}
	var log fmtSARIF
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	return log
}

func TestFormatSARIFContent(t *testing.T) {
	res := fmtFullResult()
	log := fmtParseSARIF(t, res, fmtTestVersion)
	if log.Schema != "https://json.schemastore.org/sarif-2.1.0.json" || len(log.Runs) != 1 {
		t.Fatalf("schema %q, %d runs", log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	d := run.Tool.Driver
	if d.Name != "desk" || d.Version != "v1.4.0" || d.SemanticVersion != "1.4.0" {
		t.Errorf("driver %q %q %q", d.Name, d.Version, d.SemanticVersion)
	}
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind %q", run.ColumnKind)
	}
	if _, ok := run.OriginalURIBaseIDs["%SRCROOT%"]; !ok {
		t.Errorf("%%SRCROOT%% not declared: %v", run.OriginalURIBaseIDs)
	}
	if len(d.Rules) != len(Rules) {
		t.Fatalf("%d rules, want every one of the %d", len(d.Rules), len(Rules))
	}
	for i, r := range d.Rules {
		want := Rules[i]
		if r.ID != want.ID || r.ShortDescription.Text != want.Short || r.FullDescription.Text != want.Full ||
			r.Help.Text != want.Help || r.Help.Markdown == "" || r.DefaultConfiguration.Level != string(want.Severity) {
			t.Errorf("rule %d: %+v", i, r)
		}
		if r.Properties.Tags[0] != "desk" || (len(r.Properties.Tags) == 2) != want.Git {
			t.Errorf("rule %s: tags %v", r.ID, r.Properties.Tags)
		}
	}
	if d.Rules[5].Name != "RequiredField" || d.Rules[0].Name != "Parse" {
		t.Errorf("names %q %q", d.Rules[5].Name, d.Rules[0].Name)
	}
	if md := d.Rules[3].Help.Markdown; !strings.Contains(md, `tickets/YYYY/MM/\<id\>.md`) {
		t.Errorf("id-format markdown not escaped: %s", md)
	}
	if len(run.Results) != len(res.Findings) {
		t.Fatalf("%d results", len(run.Results))
	}
	for i, r := range run.Results {
		f := res.Findings[i]
		if r.RuleID != f.Rule || d.Rules[r.RuleIndex].ID != f.Rule || r.Level != string(f.Severity) || r.Message.Text != f.Message {
			t.Errorf("result %d: %+v", i, r)
		}
		loc := r.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || loc.Region.StartLine < 1 || loc.Region.StartColumn < 1 {
			t.Errorf("result %d: location %+v", i, loc)
		}
		for _, c := range loc.ArtifactLocation.URI {
			if c > 0x7e || c <= ' ' {
				t.Errorf("result %d: uri %q is not ASCII", i, loc.ArtifactLocation.URI)
				break
			}
		}
		if fp := r.PartialFingerprints["deskFindingHash/v1"]; len(fp) != 64 {
			t.Errorf("result %d: fingerprint %q", i, fp)
		}
	}
	if got := run.Results[0].Locations[0].PhysicalLocation.Region; got.StartLine != 1 || got.StartColumn != 1 {
		t.Errorf("Line 0: region %+v, want 1:1", got)
	}
	if got := run.Results[3].Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "kb/%E6%89%93%E5%8D%B0%E6%9C%BA-%E5%8D%A1%E7%BA%B8.md" {
		t.Errorf("Chinese path: uri %q", got)
	}
	if got := run.Results[4].Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "kb/vpn%20100%25%2Cslow%3Afix.md" {
		t.Errorf("path with %%,: and space: uri %q", got)
	}

	for _, c := range []struct{ version, semantic string }{
		{"v1.4.0", "1.4.0"}, {"1.4.0-rc.1+build.5", "1.4.0-rc.1+build.5"},
		{"v0.0.0-20261122093000-abcdef012345", "0.0.0-20261122093000-abcdef012345"},
		{"(devel)", ""}, {"", ""}, {"1.4", ""}, {"v01.4.0", ""},
	} {
		if got := fmtParseSARIF(t, fmtEmptyResult(), c.version).Runs[0].Tool.Driver.SemanticVersion; got != c.semantic {
			t.Errorf("semanticVersion for %q = %q, want %q", c.version, got, c.semantic)
		}
	}
}

func TestFormatSARIFUnknownRule(t *testing.T) {
	res := Result{Findings: []Finding{{Rule: "no-such-rule", Severity: Warning, Path: "a.md", Line: 2, Message: ""}}}
	log := fmtParseSARIF(t, res, fmtTestVersion)
	d, r := log.Runs[0].Tool.Driver, log.Runs[0].Results[0]
	if len(d.Rules) != len(Rules)+1 || d.Rules[r.RuleIndex].ID != "no-such-rule" || r.Message.Text == "" {
		t.Errorf("unknown rule: index %d of %d rules, message %q", r.RuleIndex, len(d.Rules), r.Message.Text)
	}
	var b bytes.Buffer
	if err := Write(&b, "sarif", res, ""); err != nil {
		t.Fatal(err)
	}
	if err := fmtValidate(fmtSARIFSchema(t), b.Bytes()); err != nil {
		t.Error(err)
	}
}

func TestFormatSARIFFingerprint(t *testing.T) {
	base := Finding{Rule: "sla-breached", Severity: Warning, Path: "tickets/2026/11/TS-20261122-1.md", Line: 9, Column: 1,
		Ticket: "TS-20261122-1", Message: "resolution target 4h passed 3h10m ago"}
	fp := func(f Finding) string {
		return fmtParseSARIF(t, Result{Findings: []Finding{f}}, "").Runs[0].Results[0].PartialFingerprints["deskFindingHash/v1"]
	}
	same := func(change func(*Finding)) bool {
		f := base
		change(&f)
		return fp(f) == fp(base)
	}
	for name, change := range map[string]func(*Finding){
		"moved lines":       func(f *Finding) { f.Line, f.Column = 30, 5 },
		"whole file":        func(f *Finding) { f.Line, f.Column = 0, 0 },
		"time went on":      func(f *Finding) { f.Message = "resolution target 4h passed 27h5m ago" },
		"white space":       func(f *Finding) { f.Message = "  resolution target 4h\npassed  3h10m ago " },
		"severity override": func(f *Finding) { f.Severity = Error },
	} {
		if !same(change) {
			t.Errorf("%s: fingerprint changed", name)
		}
	}
	for name, change := range map[string]func(*Finding){
		"other rule":    func(f *Finding) { f.Rule = "sla-at-risk" },
		"other path":    func(f *Finding) { f.Path = "tickets/2026/11/TS-20261122-2.md" },
		"other ticket":  func(f *Finding) { f.Ticket = "TS-20261122-2" },
		"other message": func(f *Finding) { f.Message = "response target 4h passed 3h10m ago" },
	} {
		if same(change) {
			t.Errorf("%s: fingerprint did not change", name)
		}
	}
	if got, want := fp(base), sarifHash("sla-breached", base.Path, base.Ticket, "resolution target #h passed #h#m ago"); got != want {
		t.Errorf("fingerprint %s, want %s", got, want)
	}

	// Two findings equal but for their numbers get different fingerprints,
	// the first keeping its plain one.
	other := base
	other.Line, other.Message = 20, "resolution target 8h passed 1h ago"
	rs := fmtParseSARIF(t, Result{Findings: []Finding{base, other}}, "").Runs[0].Results
	a, b := rs[0].PartialFingerprints["deskFindingHash/v1"], rs[1].PartialFingerprints["deskFindingHash/v1"]
	if a == b || a != fp(base) || len(b) != 64 {
		t.Errorf("duplicates: %s %s", a, b)
	}
}

func TestFormatGitHubEscape(t *testing.T) {
	for _, c := range []struct{ in, data, property string }{
		{"plain", "plain", "plain"},
		{"100%", "100%25", "100%25"},
		{"%0A stays literal", "%250A stays literal", "%250A stays literal"},
		{"a\nb", "a%0Ab", "a%0Ab"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"key: value", "key: value", "key%3A value"},
		{"a,b", "a,b", "a%2Cb"},
		{"::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"},
		{`<script>&"`, `<script>&"`, `<script>&"`},
		{"kb/打印机-卡纸.md", "kb/打印机-卡纸.md", "kb/打印机-卡纸.md"},
		{"x=1;y]", "x=1;y]", "x=1;y]"},
	} {
		if got := ghEscapeData(c.in); got != c.data {
			t.Errorf("ghEscapeData(%q) = %q, want %q", c.in, got, c.data)
		}
		if got := ghEscapeProperty(c.in); got != c.property {
			t.Errorf("ghEscapeProperty(%q) = %q, want %q", c.in, got, c.property)
		}
	}
}

func TestFormatGitHub(t *testing.T) {
	out := string(fmtWrite(t, "github", fmtFullResult()))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := []string{
		"::error file=tickets/2026/11/ts-20261122-9.md,title=id-format::a ticket file is named tickets/YYYY/MM/<id>.md with an ID like TS-20261122-9",
		`::warning file=tickets/2026/11/TS-20261122-1.md,line=4,col=1,title=unknown-field::unknown key "prority": did you mean "priority"?`,
		"::error file=tickets/2026/11/TS-20261122-1.md,line=9,col=1,title=required-field::resolution is required at status resolved: desk ticket set TS-20261122-1 resolution=\"…\"",
		"::error file=kb/打印机-卡纸.md,line=12,col=7,title=personal-data::文章含有电话号码“138 0013 8000”，发布前请删除或遮盖。",
		`::warning file=kb/vpn 100%25%2Cslow%3Afix.md,line=3,title=kb-stale::review_by 2026-01-01 passed: 100%25 late, see <script>alert(1)</script> & "quotes"%0Asecond line%0D%0Athird, last`,
		"1204 files checked: 3 errors, 2 warnings",
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, lines[i], want[i])
		}
	}
	if got := string(fmtWrite(t, "github", fmtEmptyResult())); got != "1204 files checked: no problems\n" {
		t.Errorf("empty: %q", got)
	}
}

// fmtJUnit is what GitLab and Jenkins read of a report.
type fmtJUnit struct {
	XMLName xml.Name   `xml:"testsuites"`
	Attrs   []xml.Attr `xml:",any,attr"`
	Suites  []struct {
		Name       string `xml:"name,attr"`
		Tests      int    `xml:"tests,attr"`
		Failures   int    `xml:"failures,attr"`
		Errors     int    `xml:"errors,attr"`
		Time       string `xml:"time,attr"`
		Timestamp  string `xml:"timestamp,attr"`
		Hostname   string `xml:"hostname,attr"`
		Properties []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []struct {
			Classname string `xml:"classname,attr"`
			Name      string `xml:"name,attr"`
			Time      string `xml:"time,attr"`
			Failure   *struct {
				Type    string `xml:"type,attr"`
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Skipped *struct{} `xml:"skipped"`
		} `xml:"testcase"`
		SystemOut *string `xml:"system-out"`
		SystemErr *string `xml:"system-err"`
	} `xml:"testsuite"`
}

func fmtParseJUnit(t *testing.T, res Result) fmtJUnit {
	t.Helper()
	var j fmtJUnit
	if err := xml.Unmarshal(fmtWrite(t, "junit", res), &j); err != nil {
		t.Fatalf("junit does not parse: %v", err)
	}
	return j
}

func TestFormatJUnit(t *testing.T) {
	for _, c := range []struct {
		name            string
		res             Result
		tests, failures int
		out             string
	}{
		{"full", fmtFullResult(), 5, 3, "tickets/2026/11/TS-20261122-1.md:4:1: warning: unknown key \"prority\": did you mean \"priority\"? (unknown-field)\n" +
			"kb/vpn 100%,slow:fix.md:3: warning: review_by 2026-01-01 passed: 100% late, see <script>alert(1)</script> & \"quotes\"\\nsecond line\\r\\nthird, last (kb-stale)\n"},
		{"empty", fmtEmptyResult(), 1, 0, ""},
		{"warnings only", Result{Findings: fmtFullResult().Findings[1:2], Summary: Summary{Files: 3, Warnings: 1}}, 2, 0,
			"tickets/2026/11/TS-20261122-1.md:4:1: warning: unknown key \"prority\": did you mean \"priority\"? (unknown-field)\n"},
	} {
		j := fmtParseJUnit(t, c.res)
		if len(j.Attrs) != 0 {
			t.Errorf("%s: <testsuites> has attributes %v: Ant's schema allows none", c.name, j.Attrs)
		}
		if len(j.Suites) != 1 {
			t.Fatalf("%s: %d suites", c.name, len(j.Suites))
		}
		s := j.Suites[0]
		if s.Name != "desk check" || s.Tests != c.tests || len(s.Cases) != c.tests || s.Failures != c.failures || s.Errors != 0 {
			t.Errorf("%s: counts %+v", c.name, s)
		}
		failures := 0
		for _, tc := range s.Cases {
			if tc.Failure != nil {
				failures++
			}
			if tc.Skipped != nil {
				t.Errorf("%s: a skipped case (Ant's schema has none): %+v", c.name, tc)
			}
			if tc.Time != "0" {
				t.Errorf("%s: case time %q", c.name, tc.Time)
			}
		}
		if failures != c.failures {
			t.Errorf("%s: %d failure elements", c.name, failures)
		}
		if s.SystemOut == nil || *s.SystemOut != c.out || s.SystemErr == nil || *s.SystemErr != "" {
			t.Errorf("%s: system-out %q, system-err %v", c.name, fmtDeref(s.SystemOut), s.SystemErr)
		}
		if len(s.Properties) != 1 || s.Properties[0].Name != "files" || s.Properties[0].Value != "1204" && c.name != "warnings only" {
			t.Errorf("%s: properties %+v", c.name, s.Properties)
		}
		if s.Hostname != "ci-runner" {
			t.Errorf("%s: hostname %q", c.name, s.Hostname)
		}
	}

	s := fmtParseJUnit(t, fmtFullResult()).Suites[0]
	if s.Time != "1.234" || s.Timestamp != "2026-11-22T00:30:00" {
		t.Errorf("time %q, timestamp %q: want the run's, in UTC", s.Time, s.Timestamp)
	}
	tc := s.Cases[4]
	if tc.Classname != "desk.kb-stale" || tc.Failure != nil ||
		tc.Name != `kb/vpn 100%,slow:fix.md:3: warning: review_by 2026-01-01 passed: 100% late, see <script>alert(1)</script> & "quotes"\nsecond line\r\nthird, last` {
		t.Errorf("warning case %+v", tc)
	}
	tc = s.Cases[3]
	if tc.Classname != "desk.personal-data" || tc.Name != "kb/打印机-卡纸.md:12:7" || tc.Failure == nil ||
		tc.Failure.Type != "personal-data" || tc.Failure.Message != fmtFullResult().Findings[3].Message ||
		!strings.Contains(tc.Failure.Text, "Remove or mask") {
		t.Errorf("error case %+v", tc)
	}
	if e := fmtParseJUnit(t, fmtEmptyResult()).Suites[0].Cases[0]; e.Name != "desk check" || e.Failure != nil {
		t.Errorf("clean run case %+v", e)
	}
	// Characters XML cannot hold do not break the document.
	bad := Result{Findings: []Finding{{Rule: "parse", Severity: Error, Path: "a\x00.md", Line: 1, Column: 1, Message: "bad byte \x01\xff here ]]>"}}}
	fmtParseJUnit(t, bad)

	// A machine without a name is "localhost", as Ant's schema says.
	defer func(h func() (string, error)) { junitHostname = h }(junitHostname)
	junitHostname = func() (string, error) { return "", errors.New("no name") }
	if h := fmtParseJUnit(t, fmtEmptyResult()).Suites[0].Hostname; h != "localhost" {
		t.Errorf("hostname %q without a name", h)
	}
}

func fmtDeref(s *string) string {
	if s == nil {
		return "<none>"
	}
	return *s
}

func TestFormatSARIFMessage(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a key that [required] asks for", "a key that [required] asks for"},
		{`C:\temp [x]`, `C:\temp [x]`},
		{"callbacks[42](0) is out of range", `callbacks\[42\](0) is out of range`},
		{`see [here](1) and a\b`, `see \[here\](1) and a\\b`},
	} {
		if got := sarifMessage(c.in); got != c.want {
			t.Errorf("sarifMessage(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
