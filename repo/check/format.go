package check

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Formats lists the names --format accepts, in this order.
var Formats = []string{"text", "json", "sarif", "github", "junit"}

// Write writes res to w in format: one of Formats. toolVersion is the
// version of desk; it goes into SARIF's tool.driver.version (and
// semanticVersion when it is a semantic version). Findings are written in
// the order res holds them; callers Sort them first. An unknown format is
// an error that names the allowed ones, and nothing is written.
func Write(w io.Writer, format string, res Result, toolVersion string) error {
	var buf bytes.Buffer
	var err error
	switch format {
	case "text":
		writeText(&buf, res)
	case "json":
		err = writeJSON(&buf, res)
	case "sarif":
		err = writeSARIF(&buf, res, toolVersion)
	case "github":
		writeGitHub(&buf, res)
	case "junit":
		err = writeJUnit(&buf, res)
	default:
		return fmt.Errorf("unknown format %q: the formats are %s", format, strings.Join(Formats, ", "))
	}
	if err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// ---------------------------------------------------------------- text

// writeText writes `path:line:col: severity: message (rule)` lines and a
// summary. Control characters in paths and messages (a line break, an
// ANSI escape copied from a ticket) are written as Go escapes such as \n,
// so that every finding stays on one line and file content cannot drive
// the terminal.
func writeText(b *bytes.Buffer, res Result) {
	for _, f := range res.Findings {
		b.WriteString(fmtOneLine(f.Path))
		b.WriteString(fmtPosition(f))
		fmt.Fprintf(b, ": %s: %s (%s)\n", f.Severity, fmtOneLine(f.Message), fmtOneLine(f.Rule))
	}
	b.WriteString(summaryLine(res.Summary))
	b.WriteByte('\n')
}

// summaryLine is the closing line of the text and github formats, such as
// "1204 files checked: 1 error, 0 warnings" or "1 file checked: no problems".
func summaryLine(s Summary) string {
	line := fmtCount(s.Files, "file") + " checked: "
	if s.Errors == 0 && s.Warnings == 0 {
		return line + "no problems"
	}
	return line + fmtCount(s.Errors, "error") + ", " + fmtCount(s.Warnings, "warning")
}

func fmtCount(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// fmtPosition is ":line:col", ":line" or "" for a finding.
func fmtPosition(f Finding) string {
	switch {
	case f.Line <= 0:
		return ""
	case f.Column <= 0:
		return ":" + strconv.Itoa(f.Line)
	default:
		return ":" + strconv.Itoa(f.Line) + ":" + strconv.Itoa(f.Column)
	}
}

// fmtOneLine escapes control characters other than tab (and invalid UTF-8)
// as Go does in quoted strings, leaving everything else, Chinese included,
// as it is.
func fmtOneLine(s string) string {
	clean := true
	for i, r := range s {
		if (unicode.IsControl(r) && r != '\t') || (r == utf8.RuneError && isBadRune(s[i:])) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && isBadRune(s[i:]):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsControl(r) && r != '\t':
			q := strconv.QuoteRune(r) // '\n', '\x1b', '\u0085'
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isBadRune(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	return r == utf8.RuneError && size <= 1
}

// ---------------------------------------------------------------- json

// writeJSON writes the shape of CLI.md: {"findings": [...], "summary": {...}},
// findings an empty array rather than null, indented by two spaces, with
// <, > and & left as they are.
func writeJSON(b *bytes.Buffer, res Result) error {
	if res.Findings == nil {
		res.Findings = []Finding{}
	}
	return fmtEncodeJSON(b, res)
}

func fmtEncodeJSON(b *bytes.Buffer, v any) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// ---------------------------------------------------------------- sarif

// SARIF 2.1.0 as GitHub code scanning takes it (docs.github.com, "SARIF
// support for code scanning"):
//
//   - tool.driver.rules holds every rule of Rules, found or not, with the
//     short and full description and help GitHub shows on an alert; a
//     finding whose rule is not in Rules gets a plain descriptor appended,
//     so ruleIndex always points at a descriptor.
//   - Locations are repo-relative URI references (the path's bytes
//     percent-encoded per RFC 3986, so Chinese file names become %E6%89%93…)
//     with uriBaseId %SRCROOT%; GitHub reads relative paths as relative to
//     the repository root. run.originalUriBaseIds declares %SRCROOT% with a
//     description and no uri: SARIF needs a relative reference's base to be
//     declared, but desk does not know where the repository is checked out,
//     and "file:///" would claim the file-system root. An entry without a
//     uri is allowed: the SARIF multitool's rule SARIF1018 wants a
//     top-level base's uri absolute or absent. GitHub's docs show the
//     entry in their example but do not need it.
//   - region.startLine and startColumn are at least 1: a finding about the
//     whole file (Line 0) points at its first character. Columns count
//     Unicode code points, as Finding.Column does: run.columnKind says so.
//   - partialFingerprints["deskFindingHash/v1"] is the hex SHA-256 of the
//     rule, path, ticket and message, the message with runs of digits
//     replaced by "#" and white space collapsed, and no line or column: an
//     alert keeps its identity when lines move or a duration in its message
//     grows. Findings of one run whose inputs are equal get the occurrence
//     number mixed in from the second one on, so no two results share a
//     fingerprint. GitHub's docs say code scanning only uses
//     primaryLocationLineHash, a hash of the file's text that desk cannot
//     compute here; when it is missing the upload-sarif action fills it in
//     from the checked-out files. The desk key is kept beside it for other
//     consumers.

const (
	sarifSchemaURI  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifInfoURI    = "https://github.com/deskhq/desk"
	sarifBaseID     = "%SRCROOT%"
	sarifFingerKey  = "deskFindingHash/v1"
	sarifColumnKind = "unicodeCodePoints"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                        `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds"`
	Results            []sarifResult                    `json:"results"`
	ColumnKind         string                           `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string           `json:"name"`
	InformationURI  string           `json:"informationUri"`
	Version         string           `json:"version,omitempty"`
	SemanticVersion string           `json:"semanticVersion,omitempty"`
	Rules           []sarifRuleDescr `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifTextMarkdown struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifRuleDescr struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	Help                 sarifTextMarkdown `json:"help"`
	DefaultConfiguration sarifRuleConfig   `json:"defaultConfiguration"`
	Properties           sarifRuleProps    `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags            []string `json:"tags"`
	Precision       string   `json:"precision"`
	ProblemSeverity string   `json:"problem.severity"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           sarifRegion           `json:"region"`
}

type sarifArtifactLocation struct {
	URI         string     `json:"uri,omitempty"`
	URIBaseID   string     `json:"uriBaseId,omitempty"`
	Description *sarifText `json:"description,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
}

func writeSARIF(b *bytes.Buffer, res Result, toolVersion string) error {
	rules := make([]sarifRuleDescr, 0, len(Rules))
	index := map[string]int{}
	for _, r := range Rules {
		index[r.ID] = len(rules)
		rules = append(rules, sarifDescriptor(r))
	}
	results := make([]sarifResult, 0, len(res.Findings))
	seen := map[string]int{}
	for _, f := range res.Findings {
		i, ok := index[f.Rule]
		if !ok {
			i = len(rules)
			index[f.Rule] = i
			rules = append(rules, sarifDescriptor(&Rule{ID: f.Rule, Severity: f.Severity,
				Short: "desk rule " + f.Rule + ".",
				Full:  "A finding of desk check's rule " + f.Rule + ".",
				Help:  "Follow the message; the rules are described in desk's CHECK.md."}))
		}
		msg := sarifMessage(f.Message)
		if strings.TrimSpace(msg) == "" { // GitHub rejects an empty message.text
			msg = rules[i].ShortDescription.Text
		}
		fp := sarifFingerprint(f)
		seen[fp]++
		if n := seen[fp]; n > 1 {
			fp = sarifHash(fp, strconv.Itoa(n))
		}
		results = append(results, sarifResult{
			RuleID:    f.Rule,
			RuleIndex: i,
			Level:     sarifLevel(f.Severity),
			Message:   sarifText{msg},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
				ArtifactLocation: sarifArtifactLocation{URI: sarifURI(f.Path), URIBaseID: sarifBaseID},
				Region:           sarifRegion{StartLine: max(f.Line, 1), StartColumn: max(f.Column, 1)},
			}}},
			PartialFingerprints: map[string]string{sarifFingerKey: fp},
		})
	}
	driver := sarifDriver{Name: "desk", InformationURI: sarifInfoURI, Version: toolVersion, Rules: rules}
	if v := strings.TrimPrefix(toolVersion, "v"); sarifSemver.MatchString(v) {
		driver.SemanticVersion = v
	}
	log := sarifLog{
		Schema:  sarifSchemaURI,
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: driver},
			OriginalURIBaseIDs: map[string]sarifArtifactLocation{sarifBaseID: {Description: &sarifText{
				"The top level of the git work tree that desk checked; every location is relative to it."}}},
			Results:    results,
			ColumnKind: sarifColumnKind,
		}},
	}
	return fmtEncodeJSON(b, log)
}

func sarifDescriptor(r *Rule) sarifRuleDescr {
	tags := []string{"desk"}
	if r.Git {
		tags = append(tags, "git")
	}
	level := sarifLevel(r.Severity)
	md := sarifMarkdown(r.Full) + "\n\n**What to do:** " + sarifMarkdown(r.Help)
	if r.Git {
		md += "\n\nThis rule compares the branch with its base: it runs with `desk check --base REV`."
	}
	return sarifRuleDescr{
		ID:                   r.ID,
		Name:                 sarifRuleName(r.ID),
		ShortDescription:     sarifText{r.Short},
		FullDescription:      sarifText{r.Full},
		Help:                 sarifTextMarkdown{Text: r.Help, Markdown: md},
		DefaultConfiguration: sarifRuleConfig{Level: level},
		// precision and problem.severity are GitHub's recommended properties
		// for ordering and default display; desk's rules are exact checks.
		Properties: sarifRuleProps{Tags: tags, Precision: "very-high", ProblemSeverity: level},
	}
}

func sarifLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "note"
}

// sarifMessage is a finding's message as a SARIF plain-text message. Such
// a message may hold embedded links, [text](n), to related locations; desk
// writes none, so when a message holds text that reads as one (a "](1)"),
// its backslashes and square brackets are escaped with a backslash, as
// SARIF §3.11.6 lets a producer do, and the message is shown as written.
// Otherwise the message is left as it is.
func sarifMessage(msg string) string {
	if !sarifLinkLike.MatchString(msg) {
		return msg
	}
	return sarifLinkEscaper.Replace(msg)
}

var (
	sarifLinkLike    = regexp.MustCompile(`\]\(\d+\)`)
	sarifLinkEscaper = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`)
)

// sarifRuleName is the CamelCase of a rule ID: "required-field" is
// "RequiredField".
func sarifRuleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		r, size := utf8.DecodeRuneInString(part)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(part[size:])
	}
	return b.String()
}

// sarifMarkdown escapes text for a Markdown paragraph: without it a path
// such as tickets/YYYY/MM/<id>.md would lose "<id>" as an HTML tag.
func sarifMarkdown(s string) string {
	var b strings.Builder
	for i, r := range s {
		if strings.ContainsRune("\\`*_[]<>&|~", r) || (i == 0 && strings.ContainsRune("#+-=>", r)) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// sarifURI is the path as a relative URI reference: each byte outside
// RFC 3986's unreserved set (and other than the "/" between segments) is
// percent-encoded, so "kb/打印机-卡纸.md" is
// "kb/%E6%89%93%E5%8D%B0%E6%9C%BA-%E5%8D%A1%E7%BA%B8.md".
func sarifURI(path string) string {
	path = strings.TrimPrefix(path, "./")
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		c := path[i]
		if c == '/' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// sarifFingerprint is the value of partialFingerprints["deskFindingHash/v1"]
// before duplicates in one run are told apart: the hex SHA-256 of rule,
// path, ticket and normalised message, with no line or column.
func sarifFingerprint(f Finding) string {
	return sarifHash(f.Rule, f.Path, f.Ticket, sarifNormalise(f.Message))
}

var (
	sarifDigits = regexp.MustCompile(`\p{Nd}+`)
	sarifSpace  = regexp.MustCompile(`\s+`)
	// Semantic Versioning 2.0.0, the regular expression semver.org gives.
	sarifSemver = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
		`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
		`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)
)

// sarifNormalise drops what changes while a problem stays the same: numbers
// (line numbers, counts, durations, dates in a message) and the exact
// white space.
func sarifNormalise(msg string) string {
	msg = sarifDigits.ReplaceAllString(msg, "#")
	return strings.TrimSpace(sarifSpace.ReplaceAllString(msg, " "))
}

func sarifHash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		// length-prefixed, so no two different part lists hash alike
		fmt.Fprintf(h, "%d:%s;", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ---------------------------------------------------------------- github

// writeGitHub writes one GitHub Actions workflow command per finding,
//
//	::error file=PATH,line=L,col=C,title=RULE::MESSAGE
//
// (::warning for warnings; line and col left out when 0), and then the
// summary line, which is not a command. Escaping follows @actions/core,
// packages/core/src/command.ts in github.com/actions/toolkit:
// escapeData replaces % with %25, \r with %0D and \n with %0A in the
// message; escapeProperty does the same and also : with %3A and , with %2C
// in property values.
func writeGitHub(b *bytes.Buffer, res Result) {
	for _, f := range res.Findings {
		cmd := "warning"
		if f.Severity == Error {
			cmd = "error"
		}
		b.WriteString(Annotation(cmd, f.Path, f.Line, f.Column, f.Rule, f.Message))
	}
	b.WriteString(summaryLine(res.Summary))
	b.WriteByte('\n')
}

// Annotation is one GitHub Actions workflow command, a line ending in a
// newline: kind is "error", "warning" or "notice"; line and col are left
// out when 0.
func Annotation(kind, path string, line, col int, title, message string) string {
	var b strings.Builder
	b.WriteString("::" + kind + " file=" + ghEscapeProperty(path))
	if line > 0 {
		b.WriteString(",line=" + strconv.Itoa(line))
		if col > 0 {
			b.WriteString(",col=" + strconv.Itoa(col))
		}
	}
	b.WriteString(",title=" + ghEscapeProperty(title))
	b.WriteString("::" + ghEscapeData(message) + "\n")
	return b.String()
}

// ghEscapeData escapes a workflow command's message as @actions/core's
// escapeData does.
func ghEscapeData(s string) string {
	return ghDataEscaper.Replace(s)
}

// ghEscapeProperty escapes a workflow command's property value as
// @actions/core's escapeProperty does.
func ghEscapeProperty(s string) string {
	return ghPropertyEscaper.Replace(s)
}

var (
	ghDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// ---------------------------------------------------------------- junit

// JUnit XML for GitLab's test report and Jenkins' JUnit plugin. JUnit
// has no single standard; the document is valid against the two schemas
// tools check it with, Jenkins' (xunit-plugin junit-10.xsd and its
// predecessor junit-4.xsd) and Apache Ant's (windyroad JUnit.xsd), which
// is the stricter:
//
//	<testsuites>
//	  <testsuite name="desk check" tests=… failures=… errors="0" time=…
//	             timestamp=… hostname=… id="0" package="desk">
//	    <properties><property name="files" value="1204"/></properties>
//	    <testcase classname="desk.<rule>" name="path:line:col" time="0">…
//	    <system-out>the warnings, a text-format line each</system-out>
//	    <system-err></system-err>
//
// One test case per finding, named like the text format's location.
//   - An error is a <failure type="<rule>" message="<message>"> whose text
//     is the text-format line and the rule's help: the test report turns
//     red exactly where desk check fails by default (--fail-on error).
//   - A warning is a passing test case named "path:line:col: warning:
//     message", and its line is in the suite's <system-out>. Ant's schema
//     has no <skipped> (desk wrote warnings as skipped cases before) and
//     no output per case; a passing case keeps Jenkins from marking the
//     build unstable for advice, and GitLab, which shows a case's name
//     but not a suite's output, still shows the warning's words.
//   - When no finding is an error, one passing test case classname="desk"
//     name="desk check" is added, so that a clean run shows a passed test
//     rather than an empty report.
//
// <testsuites> carries no attributes (Ant allows none); the counts are the
// suite's. The files checked are a property of the suite, not tests, so
// that tests = failures + passed holds. errors (crashes, in JUnit's sense)
// is always 0. timestamp is the run's start in UTC without a zone, as
// Ant's pattern asks; hostname is the machine's name, or "localhost" when
// it has none (Ant's own rule). encoding/xml does the escaping, and
// replaces characters XML cannot hold with U+FFFD.

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Hostname   string          `xml:"hostname,attr"`
	ID         int             `xml:"id,attr"`
	Package    string          `xml:"package,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  string          `xml:"system-out"`
	SystemErr  string          `xml:"system-err"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure"`
}

type junitProblem struct {
	Type    string `xml:"type,attr"`
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// junitHostname is os.Hostname, replaced in tests.
var junitHostname = os.Hostname

func writeJUnit(b *bytes.Buffer, res Result) error {
	host, err := junitHostname()
	if err != nil || strings.TrimSpace(host) == "" {
		host = "localhost"
	}
	started := res.Started
	if started.IsZero() {
		started = time.Now()
	}
	suite := junitSuite{
		Name:       "desk check",
		Time:       strconv.FormatFloat(res.Elapsed.Seconds(), 'f', 3, 64),
		Timestamp:  started.UTC().Format("2006-01-02T15:04:05"),
		Hostname:   host,
		Package:    "desk",
		Properties: []junitProperty{{Name: "files", Value: strconv.Itoa(res.Summary.Files)}},
		Cases:      []junitCase{},
	}
	var out strings.Builder
	for _, f := range res.Findings {
		loc := fmtOneLine(f.Path) + fmtPosition(f)
		line := loc + ": " + string(f.Severity) + ": " + fmtOneLine(f.Message) + " (" + f.Rule + ")"
		c := junitCase{Classname: "desk." + f.Rule, Name: loc, Time: "0"}
		if f.Severity == Error {
			text := line
			if r, ok := RuleByID(f.Rule); ok {
				text += "\n\n" + r.Help
			}
			c.Failure = &junitProblem{Type: f.Rule, Message: f.Message, Text: text}
			suite.Failures++
		} else {
			c.Name = loc + ": " + string(f.Severity) + ": " + fmtOneLine(f.Message)
			out.WriteString(line)
			out.WriteByte('\n')
		}
		suite.Cases = append(suite.Cases, c)
	}
	if suite.Failures == 0 {
		suite.Cases = append(suite.Cases, junitCase{Classname: "desk", Name: "desk check", Time: "0"})
	}
	suite.Tests = len(suite.Cases)
	suite.SystemOut = out.String()
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(b)
	enc.Indent("", "  ")
	if err := enc.Encode(junitSuites{Suites: []junitSuite{suite}}); err != nil {
		return err
	}
	b.WriteByte('\n')
	return nil
}
