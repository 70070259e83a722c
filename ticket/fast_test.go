package ticket

import (
	"bytes"
	"encoding"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/BurntSushi/toml"

	"github.com/deskhq/desk/ticket/front"
)

// slowDecode is what Parse did before the fast path: BurntSushi/toml.
func slowDecode(fm string) (Ticket, error) {
	var t Ticket
	_, err := toml.Decode(fm, &t)
	return t, err
}

var timeType = reflect.TypeFor[time.Time]()

// ticketDiff describes the first difference between a and b, or returns "".
// Times must be the same instant in the same zone (name, offset and location
// name); nil and empty slices differ; then reflect.DeepEqual must agree.
func ticketDiff(a, b *Ticket) string {
	if d := valueDiff("Ticket", reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()); d != "" {
		return d
	}
	if !reflect.DeepEqual(a, b) {
		return "reflect.DeepEqual differs"
	}
	return ""
}

func valueDiff(path string, a, b reflect.Value) string {
	if a.Type() == timeType {
		ta, tb := a.Interface().(time.Time), b.Interface().(time.Time)
		na, oa := ta.Zone()
		nb, ob := tb.Zone()
		if !ta.Equal(tb) || na != nb || oa != ob || ta.Location().String() != tb.Location().String() {
			return fmt.Sprintf("%s: %s (%s %q %d) != %s (%s %q %d)", path,
				ta.Format(time.RFC3339Nano), ta.Location(), na, oa, tb.Format(time.RFC3339Nano), tb.Location(), nb, ob)
		}
		return ""
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() != b.IsNil() {
			return fmt.Sprintf("%s: nil %v != nil %v", path, a.IsNil(), b.IsNil())
		}
		if a.IsNil() {
			return ""
		}
		return valueDiff(path, a.Elem(), b.Elem())
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return fmt.Sprintf("%s: nil %v len %d != nil %v len %d", path, a.IsNil(), a.Len(), b.IsNil(), b.Len())
		}
		for i := 0; i < a.Len(); i++ {
			if d := valueDiff(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if d := valueDiff(path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i)); d != "" {
				return d
			}
		}
		return ""
	}
	if a.Interface() != b.Interface() {
		return fmt.Sprintf("%s: %#v != %#v", path, a.Interface(), b.Interface())
	}
	return ""
}

// checkFast decodes fm with both paths. It fails the test if the fast path
// answers and BurntSushi disagrees. It reports whether the fast path
// answered, and BurntSushi's result.
func checkFast(t testing.TB, name, fm string) (fast bool, slow Ticket, err error) {
	t.Helper()
	var ft Ticket
	fast, _ = decodeFastString(fm, &ft)
	slow, err = slowDecode(fm)
	if fast {
		if err != nil {
			t.Errorf("%s: fast path accepted what BurntSushi rejects: %v\n%s", name, err, fm)
		} else if d := ticketDiff(&ft, &slow); d != "" {
			t.Errorf("%s: fast path differs: %s\n%s", name, d, fm)
		}
	}
	return fast, slow, err
}

// checkParse parses a whole file with the fast path and without it: both must
// give the same error (message and position) or the same ticket. It reports
// whether the file parsed.
func checkParse(t testing.TB, name string, data []byte) bool {
	t.Helper()
	ff, ferr := parse(name, data, true)
	gf, gerr := parse(name, data, false)
	switch {
	case ferr != nil || gerr != nil:
		if !reflect.DeepEqual(ferr, gerr) {
			t.Errorf("%s: Parse errors differ:\nfast:    %v\ngeneral: %v\n%q", name, ferr, gerr, data)
		}
		return false
	case !bytes.Equal(ff.Doc.Bytes(), gf.Doc.Bytes()):
		t.Errorf("%s: Parse documents differ", name)
	default:
		if d := ticketDiff(&ff.Ticket, &gf.Ticket); d != "" {
			t.Errorf("%s: Parse differs: %s\n%q", name, d, data)
		}
	}
	checkRecord(t, name, data, gf, gerr)
	return true
}

// checkRecord: ParseRecord gives what Parse and UnknownKeys give (the
// general path's file gf, or its error gerr): the same error, ticket,
// unknown keys and body sections.
func checkRecord(t testing.TB, name string, data []byte, gf *File, gerr error) {
	t.Helper()
	rf, unknown, rerr := ParseRecord(name, data)
	if gerr != nil || rerr != nil {
		if !reflect.DeepEqual(rerr, gerr) {
			t.Errorf("%s: ParseRecord error %v, Parse %v\n%q", name, rerr, gerr, data)
		}
		return
	}
	if d := ticketDiff(&rf.Ticket, &gf.Ticket); d != "" {
		t.Errorf("%s: ParseRecord differs: %s\n%q", name, d, data)
	}
	if want := UnknownKeys(gf.Doc, Known); !slices.Equal(unknown, want) {
		t.Errorf("%s: ParseRecord unknown keys %q, want %q\n%q", name, unknown, want, data)
	}
	headings := []string{"Description", "Resolution", "描述", "处理记录", "Handling"}
	rt, rok := rf.Doc.SectionTexts(headings)
	gt, gok := gf.Doc.SectionTexts(headings)
	if !slices.Equal(rt, gt) || !slices.Equal(rok, gok) {
		t.Errorf("%s: ParseRecord sections %q %v, Parse %q %v", name, rt, rok, gt, gok)
	}
}

// TestFastSchema fails when the structs of ticket.go change (a field, tag,
// type or method) and fast.go, which would otherwise decode the old shape
// (dropping a new field's value), has not been updated with fastSchema.
func TestFastSchema(t *testing.T) {
	if got := currentSchema(); got != fastSchema {
		t.Fatalf("the structs of ticket.go changed: update the fast path of fast.go (fieldOf, fastFieldNames, the setters), then fastSchema.\nnow:  %s\nwant: %s",
			got, fastSchema)
	}
}

// TestFastFieldTables checks the fast path's own tables against the structs:
// every toml key of every struct is a field fieldOf knows, fastFieldNames
// lists exactly those keys, and fieldOf knows no others.
func TestFastFieldTables(t *testing.T) {
	targets := map[uint8]reflect.Type{
		tgTicket: reflect.TypeFor[Ticket](), tgRequester: reflect.TypeFor[Requester](),
		tgFeedback: reflect.TypeFor[Feedback](), tgSLA: reflect.TypeFor[SLAInfo](),
		tgEvent: reflect.TypeFor[Event](), tgPart: reflect.TypeFor[Part](),
	}
	seen := map[int]string{}
	for tg, typ := range targets {
		var keys []string
		for i := 0; i < typ.NumField(); i++ {
			key := typ.Field(i).Tag.Get("toml")
			keys = append(keys, key)
			f := fieldOf(tg, key)
			if f == fUnknown {
				t.Errorf("%s.%s (%q): the fast path does not know it", typ.Name(), typ.Field(i).Name, key)
			} else if prev, ok := seen[f]; ok {
				t.Errorf("%s.%s (%q): the fast path decodes it into the field of %s", typ.Name(), typ.Field(i).Name, key, prev)
			}
			seen[f] = typ.Name() + "." + typ.Field(i).Name
		}
		if !reflect.DeepEqual(keys, fastFieldNames[tg]) {
			t.Errorf("fastFieldNames of %s is %q; the struct's keys are %q", typ.Name(), fastFieldNames[tg], keys)
		}
	}
	for tg, names := range fastFieldNames {
		if _, ok := targets[uint8(tg)]; !ok && names != nil {
			t.Errorf("fastFieldNames[%d] lists keys of a target that is not a struct: %q", tg, names)
		}
	}
	if len(seen) != fPublic {
		t.Errorf("the fast path knows %d fields; the structs have %d", fPublic, len(seen))
	}
}

// fastSchema is the shape of the structs the fast path was written for: field
// names, toml tags and types. TestFastSchema compares it with the real structs.
const fastSchema = `Ticket{ID string "id"; Title string "title"; Status string "status"; ` +
	`Created time.Time "created"; Channel string "channel"; Category string "category"; ` +
	`Priority string "priority"; PriorityReason string "priority_reason"; Assignee string "assignee"; ` +
	`Due *time.Time "due"; Tags []string "tags"; KB []string "kb"; ` +
	`DuplicateOf string "duplicate_of"; Duplicates []string "duplicates"; Parent string "parent"; ` +
	`Children []string "children"; Related []string "related"; Major bool "major"; Lead string "lead"; ` +
	`Requester ticket.Requester "requester"; Parts []ticket.Part "parts"; Feedback *ticket.Feedback "feedback"; ` +
	`SLA ticket.SLAInfo "sla"; Events []ticket.Event "events"; CheckIgnore []string "check_ignore"; ` +
	`CheckIgnoreReason string "check_ignore_reason"; } ` +
	`Requester{Name string "name"; Org string "org"; Contact string "contact"; } ` +
	`Part{Name string "name"; Qty int "qty"; } ` +
	`Feedback{Rating string "rating"; ConfirmedBy string "confirmed_by"; ConfirmedAt *time.Time "confirmed_at"; ` +
	`Via string "via"; Comment string "comment"; } ` +
	`SLAInfo{BreachReason string "breach_reason"; } ` +
	`Event{At time.Time "at"; By string "by"; Action string "action"; From string "from"; To string "to"; ` +
	`Note string "note"; Field string "field"; Value string "value"; Public bool "public"; MessageID string "message_id"; } `

// currentSchema describes the structs as fastSchema does, or says why the
// fast path cannot decode them at all (a struct that decodes itself with
// UnmarshalTOML or UnmarshalText, an embedded or unexported field).
func currentSchema() string {
	unmarshalers := []reflect.Type{
		reflect.TypeFor[toml.Unmarshaler](),
		reflect.TypeFor[encoding.TextUnmarshaler](),
	}
	var b strings.Builder
	for _, t := range []reflect.Type{
		reflect.TypeFor[Ticket](), reflect.TypeFor[Requester](), reflect.TypeFor[Part](),
		reflect.TypeFor[Feedback](), reflect.TypeFor[SLAInfo](), reflect.TypeFor[Event](),
	} {
		for _, u := range unmarshalers {
			if reflect.PointerTo(t).Implements(u) {
				return "self-decoding " + t.Name()
			}
		}
		b.WriteString(t.Name() + "{")
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			b.WriteString(f.Name + " " + f.Type.String() + " " + strconv.Quote(f.Tag.Get("toml")) + "; ")
			if f.Anonymous || !f.IsExported() {
				return "embedded or unexported field " + f.Name
			}
		}
		b.WriteString("} ")
	}
	return b.String()
}

// corpusFiles returns the ticket files under dir.
func corpusFiles(t *testing.T, dir string) []string {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".md") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// checkCorpus runs every file through both paths and returns how many the
// fast path took, of how many BurntSushi decodes, and which files it declined.
func checkCorpus(t *testing.T, files []string) (fast, ok int, declined map[string]bool) {
	declined = map[string]bool{}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		checkParse(t, path, data) // and fixtures that fail, through Parse
		doc, err := front.ParseNoValidate(data)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		var ft Ticket
		took, _ := decodeFast(doc, &ft)
		slow, err := slowDecode(string(doc.FrontMatter()))
		if err == nil {
			ok++
		}
		if !took {
			declined[path] = true
			if err == nil {
				t.Logf("%s: fast path fell back", path)
			}
			continue
		}
		fast++
		if err != nil {
			t.Errorf("%s: fast path accepted what BurntSushi rejects: %v", path, err)
		} else if d := ticketDiff(&ft, &slow); d != "" {
			t.Errorf("%s: %s", path, d)
		}
	}
	return fast, ok, declined
}

// TestDecodeFastCorpus compares both paths on the example help desk and the
// fixtures of testdata/fast (fallback-*.md must fall back, invalid-*.md too,
// with an error, the others must be taken); with DESK_FAST_CORPUS set to a
// folder, also on 2000 tickets of examples/loadgen generated there (kept for
// the next run), of which the fast path must take 99%.
func TestDecodeFastCorpus(t *testing.T) {
	files := corpusFiles(t, "../examples/helpdesk/tickets")
	fast, ok, _ := checkCorpus(t, files)
	t.Logf("helpdesk: fast path took %d of %d files (%d decode)", fast, len(files), ok)
	if fast != len(files) {
		// The fast path earns its lines on tickets like these (doc.go).
		t.Errorf("fast path took %d of %d help desk tickets, want all", fast, len(files))
	}

	fixtures := corpusFiles(t, "testdata/fast")
	_, _, declined := checkCorpus(t, fixtures)
	for _, path := range fixtures {
		base := filepath.Base(path)
		want := strings.HasPrefix(base, "fallback-") || strings.HasPrefix(base, "invalid-")
		if declined[path] != want {
			t.Errorf("%s: fast path declined %v, want %v", path, declined[path], want)
		}
		if data, err := os.ReadFile(path); err == nil {
			_, err := Parse(path, data)
			if (err != nil) != strings.HasPrefix(base, "invalid-") {
				t.Errorf("%s: Parse: %v", path, err)
			}
		}
	}

	dir := os.Getenv("DESK_FAST_CORPUS")
	if dir == "" {
		t.Log("DESK_FAST_CORPUS not set: loadgen corpus skipped")
		return
	}
	out := filepath.Join(dir, "r")
	if _, err := os.Stat(out); err != nil {
		cmd := exec.Command("go", "run", "./examples/loadgen", "-n", "2000", "-out", out)
		cmd.Dir = ".."
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("loadgen: %v\n%s", err, b)
		}
	}
	files = corpusFiles(t, filepath.Join(out, "tickets"))
	if len(files) < 2000 {
		t.Fatalf("loadgen made %d tickets", len(files))
	}
	fast, ok, _ = checkCorpus(t, files)
	t.Logf("loadgen: fast path took %d of %d files (%d decode)", fast, len(files), ok)
	if fast*100 < len(files)*99 {
		t.Errorf("fast path took %d of %d loadgen files, want >= 99%%", fast, len(files))
	}
}

// Outcomes of the table tests.
const (
	wantFast = iota // the fast path answers (and agrees with BurntSushi)
	fallback        // the fast path gives up; BurntSushi decodes
	invalid         // the fast path gives up; BurntSushi reports an error
)

var fastCases = []struct {
	name string
	fm   string
	want int
	errs string // invalid: a part of BurntSushi's message
	chk  func(*Ticket) string
}{
	{"empty", "", wantFast, "", nil},
	{"comments only", "# a\n\n  # b\n", wantFast, "", nil},
	{"escapes", `title = "q\" b\\ n\n t\t r\r u\u00e9 U\U0001F600 b\b f\f e\e x\x41"` + "\n", wantFast, "",
		func(t *Ticket) string {
			if t.Title != "q\" b\\ n\n t\t r\r u\u00e9 U\U0001F600 b\b f\f e\x1b xA" {
				return fmt.Sprintf("title %q", t.Title)
			}
			return ""
		}},
	{"uppercase hex escape", `title = "\u00E9\U0001f600"` + "\n", wantFast, "", nil},
	{"bad escape", `title = "a\q"` + "\n", invalid, "", nil},
	{"escaped space", `title = "a\ b"` + "\n", invalid, "", nil},
	{"surrogate escape", `title = "\uD800"` + "\n", invalid, "", nil},
	{"short unicode escape", `title = "\u00e"` + "\n", invalid, "", nil},
	{"escape out of range", `title = "\UFFFFFFFF"` + "\n", invalid, "", nil},
	{"raw tab in string", "title = \"a\tb\"\n", wantFast, "", nil},
	{"control character in string", "title = \"a\x01b\"\n", invalid, "", nil},
	{"DEL in comment", "id = \"x\" # a\x7f\n", invalid, "", nil},
	{"lone CR", "id = \"x\"\rtitle = \"y\"\n", invalid, "", nil},
	{"CRLF", "id = \"x\"\r\ntitle = \"y\"\r\n", fallback, "", nil},
	{"unterminated string", "id = \"x\n", invalid, "", nil},
	{"Chinese", "title = \"笔记本无法开机\"\nstatus = '已关闭'\n[requester]\nname = \"张三\" # 财务部\n", wantFast, "",
		func(t *Ticket) string {
			if t.Title != "笔记本无法开机" || t.Status != "已关闭" || t.Requester.Name != "张三" {
				return fmt.Sprintf("%q %q %q", t.Title, t.Status, t.Requester.Name)
			}
			return ""
		}},
	{"literal string keeps backslashes", `title = 'C:\temp\n'` + "\n", wantFast, "", nil},
	{"empty strings", "title = \"\"\nstatus = ''\n", wantFast, "", nil},
	{"comments after values", "id = \"x\"# c\ntitle = \"y\"   # c \"quoted\" 'x' [t]\nmajor = true#c\n[requester] # c\n", wantFast, "", nil},
	{"blanks around", "  id   =   \"x\"   \n\t title\t=\t\"y\"\t\n[ requester ]\n  name = \"n\"\n[[ events ]]\nat = 2026-11-22T09:14:00+08:00\n", wantFast, "", nil},
	{"no blanks", "id=\"x\"\n[requester]\nname='n'\n", wantFast, "", nil},
	{"no final newline", "id = \"x\"", wantFast, "", nil},
	{"dotted keys", "requester.name = \"x\"\nrequester . org = \"o\"\nsla.breach_reason = \"late\"\nfeedback.rating = \"satisfied\"\n", wantFast, "",
		func(t *Ticket) string {
			if t.Requester.Name != "x" || t.Requester.Org != "o" || t.SLA.BreachReason != "late" || t.Feedback == nil || t.Feedback.Rating != "satisfied" {
				return fmt.Sprintf("%+v", t)
			}
			return ""
		}},
	{"dotted key then its table", "requester.name = \"x\"\n[requester]\norg = \"y\"\n", fallback, "", nil},
	{"dotted key then the same key in its table", "requester.name = \"x\"\n[requester]\nname = \"y\"\n", invalid, "already been defined", nil},
	{"key defined twice", "id = \"a\"\nid = \"b\"\n", invalid, "already been defined", nil},
	{"unknown key defined twice", "x = 1\nx = 2\n", invalid, "already been defined", nil},
	{"table defined twice", "[requester]\nname = \"a\"\n[requester]\norg = \"b\"\n", invalid, "already been defined", nil},
	{"array of tables after table", "[events]\n[[events]]\n", invalid, "", nil},
	{"table after array of tables", "[[events]]\n[events]\n", invalid, "", nil},
	{"key then table", "requester = \"x\"\n[requester]\n", invalid, "", nil},
	{"table through a value", "x = 1\n[x.y]\n", invalid, "", nil},
	{"dotted key through a value", "x = 1\nx.y = 2\n", invalid, "", nil},
	{"sub-table then table", "[x.y]\na = 1\n[x]\nb = 2\n", fallback, "", nil},
	{"table then dotted sub-table", "[a]\nb.c = 1\nb.d = 2\n[a.e]\nf = 3\n", wantFast, "", nil},
	{"header through dotted table", "[a]\nb.c = 1\n[a.b.d]\n", fallback, "", nil},
	{"mixed array", "tags = [\"a\", 1]\n", invalid, "incompatible types", nil},
	{"mixed array in unknown key", "x = [\"a\", 1, true, 2026-01-01, 2026-11-22T09:14:00Z, 'b']\n", wantFast, "", nil},
	{"string for a time", "created = \"2026-11-22\"\n", invalid, "", nil},
	{"RFC 3339 string for a time", "created = \"2026-11-22T09:14:00+08:00\"\n", fallback, "", nil},
	{"integer for a string", "title = 1\n", invalid, "incompatible types", nil},
	{"string for a bool", "major = \"true\"\n", invalid, "incompatible types", nil},
	{"string for an integer", "[[parts]]\nqty = \"1\"\n", invalid, "incompatible types", nil},
	{"array for a string", "[[events]]\nvalue = [\"laptop\", \"power\"]\n", invalid, "incompatible types", nil},
	{"string for a table", "requester = \"x\"\n", invalid, "", nil},
	{"table for a string", "[title]\n", invalid, "", nil},
	{"array of tables for strings", "[[tags]]\n", invalid, "", nil},
	{"array of tables for a table", "[[requester]]\n", invalid, "", nil},
	{"table for an array of tables", "[events]\n", invalid, "", nil},
	{"empty array for an array of tables", "events = []\n", fallback, "", nil},
	{"time Z", "created = 2026-11-22T01:14:00Z\n", wantFast, "", nil},
	{"time z", "created = 2026-11-22t01:14:00z\n", wantFast, "", nil},
	{"time +08:00", "created = 2026-11-22T09:14:00+08:00\n", wantFast, "", nil},
	{"time -05:30", "created = 2026-11-22T09:14:00-05:30\n", wantFast, "", nil},
	{"time +00:00", "created = 2026-11-22T09:14:00+00:00\n", wantFast, "", nil},
	{"time -00:00", "created = 2026-11-22T09:14:00-00:00\n", wantFast, "", nil},
	{"fraction", "created = 2026-11-22T09:14:00.5+08:00\n[[events]]\nat = 2026-11-22T09:14:00.123456789Z\n", wantFast, "", nil},
	{"long fraction", "created = 2026-11-22T09:14:00.1234567891234+08:00\n", wantFast, "", nil},
	{"space separator", "created = 2026-11-22 09:14:00+08:00 # c\n", wantFast, "", nil},
	{"space separator then comment", "created = 2026-11-22 09:14:00Z# c\n", wantFast, "", nil},
	{"local date-time", "created = 2026-11-22T09:14:00\ndue = 2026-11-22 18:00:00.25\n", wantFast, "", nil},
	{"local date", "created = 2026-11-22\ndue = 2026-12-31 # c\n[feedback]\nconfirmed_at = 2026-12-01\n", wantFast, "", nil},
	{"local time", "created = 09:14:00\n", fallback, "", nil},
	{"time without seconds", "created = 2026-11-22T09:14+08:00\n", fallback, "", nil},
	{"February 30", "created = 2026-02-30T09:14:00Z\n", invalid, "", nil},
	{"month 13", "created = 2026-13-01\n", invalid, "", nil},
	{"hour 24", "created = 2026-11-22T24:00:00Z\n", invalid, "", nil},
	{"offset 24", "created = 2026-11-22T09:00:00+24:00\n", invalid, "", nil},
	{"two spaces in a date-time", "created = 2026-11-22  09:14:00Z\n", invalid, "", nil},
	{"date then garbage", "created = 2026-11-22 x\n", invalid, "", nil},
	{"date then number", "created = 2026-11-22 10\n", invalid, "", nil},
	{"date with short year", "x = 226-11-22\n", invalid, "", nil},
	{"integer", "[[parts]]\nname = \"RAM\"\nqty = 2\n[[parts]]\nqty = -3\n[[parts]]\nqty = +0\n[[parts]]\nqty = 0\n", wantFast, "", nil},
	{"integer with underscores", "[[parts]]\nqty = 1_000_000\n", wantFast, "", nil},
	{"integer with double underscore", "[[parts]]\nqty = 1__0\n", invalid, "", nil},
	{"integer with trailing underscore", "[[parts]]\nqty = 10_\n", invalid, "", nil},
	{"integer with leading zero", "[[parts]]\nqty = 01\n", invalid, "", nil},
	{"signed leading zero", "[[parts]]\nqty = -01\n", invalid, "", nil},
	{"integer too big", "[[parts]]\nqty = 9223372036854775808\n", invalid, "", nil},
	{"largest integer", "[[parts]]\nqty = 9223372036854775807\n", wantFast, "", nil},
	{"hex integer", "[[parts]]\nqty = 0x10\n", fallback, "", nil},
	{"float", "[[parts]]\nqty = 1.5\n", invalid, "", nil},
	{"float in unknown key", "x = 1.5\n", fallback, "", nil},
	{"integer then garbage", "x = 12ab\n", invalid, "", nil},
	{"booleans", "major = true\nx = false\n", wantFast, "", nil},
	{"public event", "[[events]]\naction = \"reply\"\npublic = true\n[[events]]\npublic = false\n", wantFast, "",
		func(t *Ticket) string {
			if len(t.Events) != 2 || !t.Events[0].Public || t.Events[1].Public {
				return fmt.Sprintf("%+v", t.Events)
			}
			return ""
		}},
	{"public not a boolean", "[[events]]\npublic = \"yes\"\n", invalid, "", nil},
	{"bad boolean", "x = tru\n", invalid, "", nil},
	{"boolean then garbage", "major = truex\n", invalid, "", nil},
	{"empty arrays", "tags = []\nkb = [ ]\ncheck_ignore = [\n]\n", wantFast, "",
		func(t *Ticket) string {
			if t.Tags == nil || len(t.Tags) != 0 || t.KB == nil || t.CheckIgnore == nil {
				return fmt.Sprintf("%#v %#v %#v", t.Tags, t.KB, t.CheckIgnore)
			}
			return ""
		}},
	{"absent arrays stay nil", "id = \"x\"\n", wantFast, "",
		func(t *Ticket) string {
			if t.Tags != nil || t.Events != nil || t.Feedback != nil || t.Due != nil {
				return fmt.Sprintf("%+v", t)
			}
			return ""
		}},
	{"multi-line array", "tags = [\n  \"a\", # first\n  # between\n  'b',\n  \"c\" ,\n]\n", wantFast, "",
		func(t *Ticket) string {
			if strings.Join(t.Tags, "|") != "a|b|c" {
				return fmt.Sprintf("%q", t.Tags)
			}
			return ""
		}},
	{"array leading comma", "tags = [, \"a\"]\n", invalid, "", nil},
	{"array double comma", "tags = [\"a\",, \"b\"]\n", invalid, "", nil},
	{"array missing comma", "tags = [\"a\" \"b\"]\n", invalid, "", nil},
	{"array unclosed", "tags = [\"a\"\n", invalid, "", nil},
	{"dotted table then array of tables", "[[events]]\nsub.key = true\n[[events.sub]]\n", invalid, "cannot be used as an array", nil},
	{"nested array", "x = [[1], [\"a\"]]\n", fallback, "", nil},
	{"inline table", "requester = { name = \"x\" }\n", fallback, "", nil},
	{"inline table in unknown key", "x = { a = 1 }\n", fallback, "", nil},
	{"multi-line string", "title = \"\"\"\nx\ny\"\"\"\n", fallback, "", nil},
	{"multi-line literal string", "title = '''x'''\n", fallback, "", nil},
	{"quoted key", "\"id\" = \"x\"\n", fallback, "", nil},
	{"events with unknown keys", "[[events]]\nat = 2026-11-22T09:14:00+08:00\nby = \"a\"\nactor = \"x\"\nextra = [1, 2]\nsub.key = true\n[events.detail]\nk = 'v'\n[[events.list]]\nn = 1\n[[events]]\nactor = \"y\"\nsub.key = false\n", wantFast, "",
		func(t *Ticket) string {
			if len(t.Events) != 2 || t.Events[0].By != "a" {
				return fmt.Sprintf("%+v", t.Events)
			}
			return ""
		}},
	{"unknown tables", "x_custom = \"kept\"\n[custom]\na = 1\n[custom.sub]\nb = \"x\"\n[[custom.list]]\nc = 2026-01-01\n[other.deep.er]\n", wantFast, "", nil},
	{"unknown key, malformed value", "x_custom = 1.2.3\n", invalid, "", nil},
	{"unknown key, unterminated string", "x_custom = \"abc\n", invalid, "", nil},
	{"two statements on a line", "id = \"a\" title = \"b\"\n", invalid, "", nil},
	{"key without value", "id =\n", invalid, "", nil},
	{"key without equals", "id\n", invalid, "", nil},
	{"bare keys", "-_- = 1\n1234 = 2\ntrue = 3\n", wantFast, "", nil},
	{"case-insensitive field", "Title = \"x\"\n", fallback, "", nil},
	{"case-insensitive table", "[Requester]\nname = \"x\"\n", fallback, "", nil},
	{"case-insensitive sub-field", "[requester]\nNAME = \"x\"\n", fallback, "", nil},
	{"empty feedback table", "[feedback]\n", wantFast, "",
		func(t *Ticket) string {
			if t.Feedback == nil {
				return "feedback nil"
			}
			return ""
		}},
	{"implicit feedback table", "[feedback.extra]\nx = 1\n", wantFast, "",
		func(t *Ticket) string {
			if t.Feedback == nil {
				return "feedback nil"
			}
			return ""
		}},
	{"dotted key into feedback", "feedback.x = 1\n", wantFast, "", nil},
	{"empty events", "[[events]]\n[[events]]\n[[parts]]\n", wantFast, "", nil},
	{"array-of-tables header with space", "[[events] ]\n", invalid, "", nil},
	{"empty header", "[]\n", invalid, "", nil},
	{"header then garbage", "[requester] x\n", invalid, "", nil},
	{"non-ASCII bare key", "é = 1\n", invalid, "", nil},
	{"comma after a value", "created = 2026-11-22T09:14:00+08:00,\n", invalid, "", nil},
	{"many events", strings.Repeat("[[events]]\nat = 2026-11-22T09:14:00+08:00\nby = \"a\"\nnote = \"n\\n\"\nx.y = 1\n", 300), wantFast, "",
		func(t *Ticket) string {
			if len(t.Events) != 300 || t.Events[299].Note != "n\n" {
				return fmt.Sprintf("%d events", len(t.Events))
			}
			return ""
		}},
	{"BOM inside", "\ufeffid = \"x\"\n", fallback, "", nil},
}

func TestDecodeFastCases(t *testing.T) {
	for _, tc := range fastCases {
		fast, slow, err := checkFast(t, tc.name, tc.fm)
		switch {
		case tc.want == wantFast && !fast:
			t.Errorf("%s: fast path fell back (BurntSushi: %v)", tc.name, err)
		case tc.want != wantFast && fast:
			t.Errorf("%s: fast path answered, want it to fall back", tc.name)
		case tc.want == fallback && err != nil:
			t.Errorf("%s: BurntSushi: %v, want it to decode", tc.name, err)
		case tc.want == invalid && err == nil:
			t.Errorf("%s: BurntSushi decodes it, want an error", tc.name)
		case tc.want == invalid && !strings.Contains(err.Error(), tc.errs):
			t.Errorf("%s: BurntSushi: %v, want %q", tc.name, err, tc.errs)
		}
		if tc.chk != nil && err == nil {
			if d := tc.chk(&slow); d != "" {
				t.Errorf("%s: %s", tc.name, d)
			}
		}

		// Through Parse: the same ticket, or BurntSushi's error with a position.
		file := "+++\n" + tc.fm
		if tc.fm != "" && !strings.HasSuffix(tc.fm, "\n") {
			file += "\n"
		}
		file += "+++\n\n## Description\n"
		checkParse(t, tc.name, []byte(file))
		f, perr := Parse("x.md", []byte(file))
		switch {
		case err != nil && perr == nil:
			t.Errorf("%s: Parse accepted it; BurntSushi: %v", tc.name, err)
		case err != nil:
			var pe *ParseError
			if !asParseError(perr, &pe) || pe.Msg == "" {
				t.Errorf("%s: Parse error %v", tc.name, perr)
			}
		case perr != nil:
			// Parse refuses blank front matter (a doubled +++), on purpose.
			if !strings.Contains(tc.fm, "\r") && strings.TrimSpace(tc.fm) != "" {
				t.Errorf("%s: Parse: %v", tc.name, perr)
			}
		default:
			if d := ticketDiff(&f.Ticket, &slow); d != "" {
				t.Errorf("%s: Parse: %s", tc.name, d)
			}
		}
	}
}

func asParseError(err error, pe **ParseError) bool {
	p, ok := err.(*ParseError)
	*pe = p
	return ok
}

// TestDecodeFastErrorPosition: a duplicate key falls back, and Parse reports
// BurntSushi's error at the right line.
func TestDecodeFastErrorPosition(t *testing.T) {
	_, err := Parse("x.md", []byte("+++\nid = \"a\"\ntitle = \"t\"\nid = \"b\"\n+++\n"))
	var pe *ParseError
	if !asParseError(err, &pe) || pe.Line != 4 || !strings.Contains(pe.Msg, "already been defined") {
		t.Fatalf("err = %#v", err)
	}
	_, err = Parse("x.md", []byte("+++\nid = \"a\"\ncreated = \"2026-11-22\"\n+++\n"))
	if !asParseError(err, &pe) || pe.Line != 3 || !strings.Contains(pe.Msg, "2026-11-22") {
		t.Fatalf("err = %#v", err)
	}
}

// TestDecodeFastDetached: the decoded strings do not point into the front
// matter (a kept Ticket must not keep it alive).
func TestDecodeFastDetached(t *testing.T) {
	data, err := os.ReadFile("testdata/fast/zh.md")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := front.ParseNoValidate(data)
	if err != nil {
		t.Fatal(err)
	}
	fm := string(doc.FrontMatter())
	var ft Ticket
	if ok, _ := decodeFastString(fm, &ft); !ok {
		t.Fatal("fell back")
	}
	lo := uintptr(unsafe.Pointer(unsafe.StringData(fm)))
	hi := lo + uintptr(len(fm))
	n := 0
	eachString(&ft, func(s *string) {
		if *s == "" {
			return
		}
		n++
		if p := uintptr(unsafe.Pointer(unsafe.StringData(*s))); p >= lo && p < hi {
			t.Errorf("%q points into the front matter", *s)
		}
	})
	if n < 20 {
		t.Errorf("only %d strings", n)
	}
}

// TestDecodeFastCRLF: a whole file with CRLF line ends and a BOM.
func TestDecodeFastCRLF(t *testing.T) {
	data, err := os.ReadFile("testdata/fast/bench.md")
	if err != nil {
		t.Fatal(err)
	}
	crlf := append([]byte("\ufeff"), bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))...)
	doc, err := front.ParseNoValidate(crlf)
	if err != nil {
		t.Fatal(err)
	}
	var ft Ticket
	if ok, _ := decodeFast(doc, &ft); !ok {
		t.Fatal("fast path fell back on CRLF")
	}
	f, err := Parse("x.md", data)
	if err != nil {
		t.Fatal(err)
	}
	if d := ticketDiff(&ft, &f.Ticket); d != "" {
		t.Fatal(d)
	}
	slow, err := slowDecode(string(doc.FrontMatter()))
	if err != nil {
		t.Fatal(err)
	}
	if d := ticketDiff(&ft, &slow); d != "" {
		t.Fatal(d)
	}
}

// TestDecodeFastZones runs the time cases with time.Local set to zones whose
// offsets match some of the inputs (time.Parse then uses Local).
func TestDecodeFastZones(t *testing.T) {
	fm := "created = 2026-11-22T09:14:00+08:00\ndue = 2026-11-22T09:14:00-05:00\n" +
		"[feedback]\nconfirmed_at = 2026-07-01T09:14:00-04:00\n" +
		"[[events]]\nat = 2026-11-22T01:14:00Z\n[[events]]\nat = 2026-11-22T01:14:00+00:00\n" +
		"[[events]]\nat = 2026-11-22T01:14:00+01:00\n[[events]]\nat = 2026-11-22 01:14:00\n" +
		"[[events]]\nat = 2026-11-22\n"
	saved := time.Local
	defer func() { time.Local = saved }()
	for _, name := range []string{"UTC", "Asia/Shanghai", "America/New_York", "Europe/London", "Europe/Paris"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Logf("%s: %v", name, err)
			continue
		}
		time.Local = loc
		if fast, _, err := checkFast(t, name, fm); !fast || err != nil {
			t.Errorf("%s: fast %v, err %v", name, fast, err)
		}
	}
}

// genFragments are the pieces a generated document is made of: realistic
// lines, mostly, and the tricky ones.
var (
	genHeaders = []string{
		"[requester]", "[feedback]", "[sla]", "[[events]]", "[[events]]", "[[events]]", "[[parts]]", "[x]",
		"[x.y]", "[[x]]", "[events.x]", "[[events.y]]", "[requester.x]", "[feedback.extra]", "[ requester . x ]",
		"[a]", "[a.b]", "[a.b.c]", "[[a.b]]", "[sla.x.y]", "[[parts.x]]", "[[ events ]]",
	}
	genBadHeaders = []string{
		"[Requester]", "[tags]", "[[tags]]", "[events]", "[title]", "[[requester]]", "[\"q\"]", "[a.\"b\"]",
		"[[events] ]", "[]", "[a..b]", "[requester", "[[feedback]]",
	}
	genKeys = []string{
		"id", "title", "status", "created", "due", "tags", "kb", "major", "lead", "check_ignore", "name", "org",
		"contact", "qty", "rating", "confirmed_at", "confirmed_by", "breach_reason", "at", "by", "action",
		"note", "value", "from", "to", "field", "requester.name", "requester.org", "feedback.rating",
		"feedback.confirmed_at", "sla.breach_reason", "a.b", "a", "b.c", "a.b.c", "x", "y", "x.y", "a . b",
	}
	genBadKeys = []string{
		"Title", "NAME", "events", "requester", "parts", "feedback", "parts.x", "events.x", "\"id\"", "'x'",
		"a..b", ".a", "a.", "=",
	}
	genValues = []string{
		`"str"`, `"esc \" \\ \n \t \u00e9 \U0001F600 \x41 \e"`, `'lit\'`, `"中文 说明"`, `""`, `''`, `1`, `-2`,
		`1_000`, `true`, `false`, `2026-11-22T09:14:00+08:00`, `2026-11-22T01:14:00Z`,
		`2026-11-22 09:14:00.123+08:00`, `2026-11-22`, `2026-11-22T09:14:00`, `2026-11-22t09:14:00z`, `[]`,
		`["a", "b"]`, "[\n \"a\", # c\n \"b\",\n]", `["a", 1]`, `[1, 2]`, `2026-11-22 # c`,
	}
	genBadValues = []string{
		`01`, `1__0`, `0x1F`, `tru`, `09:14:00`, `2026-02-30T00:00:00Z`, `2026-11-22T09:14+08:00`, `[[1]]`, `1.5`,
		`{a = 1}`, `"""m"""`, `'''m'''`, `"unterminated`, `"\q"`, `"\uD800"`, `[,]`, `[1,,2]`, "\"a\x01\"",
		`nan`, `+inf`, `2026-11-22 x`, `"a" "b"`, `1 2`, ``, `[`, `"\u12"`,
	}
	genTails    = []string{"", "", "", "", " # c", "\t#", "  ", " # 中文"}
	genBadTails = []string{" x", "# \x7f", "\r", " ]", ","}
)

// genDoc builds front matter from the choices of pick (pick(n) is in
// [0, n)); about one fragment in sixteen is a bad one.
func genDoc(pick func(n int) int) string {
	from := func(good, bad []string) string {
		if pick(16) == 0 {
			return bad[pick(len(bad))]
		}
		return good[pick(len(good))]
	}
	var b strings.Builder
	n := pick(24)
	for i := 0; i < n; i++ {
		switch pick(8) {
		case 0, 1:
			b.WriteString(from(genHeaders, genBadHeaders))
		case 2:
			b.WriteString("# comment")
		case 3:
		default:
			b.WriteString(from(genKeys, genBadKeys))
			b.WriteString([]string{" = ", "=", " =\t"}[pick(3)])
			b.WriteString(from(genValues, genBadValues))
		}
		b.WriteString(from(genTails, genBadTails))
		b.WriteByte('\n')
	}
	return b.String()
}

// TestDecodeFastGenerated compares both paths on many generated documents.
func TestDecodeFastGenerated(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	fast, valid := 0, 0
	for i := 0; i < n; i++ {
		fm := genDoc(func(n int) int { return r.IntN(n) })
		name := fmt.Sprint("generated ", i)
		f, _, err := checkFast(t, name, fm)
		if i%4 == 0 { // Parse twice more: a sample is enough
			checkParse(t, name, []byte("+++\n"+fm+"+++\n\n## Description\n"))
		}
		if f {
			fast++
		}
		if err == nil {
			valid++
		}
		if t.Failed() {
			return
		}
	}
	t.Logf("%d documents: %d valid for BurntSushi, %d taken by the fast path", n, valid, fast)
	if fast < n/50 {
		t.Errorf("the generator hardly exercises the fast path: %d of %d", fast, n)
	}
}

// fuzzSeeds adds the corpus, the table cases and the kept crashers, those of
// front's FuzzParse too.
func fuzzSeeds(f *testing.F) {
	for _, dir := range []string{"../examples/helpdesk/tickets", "testdata/fast"} {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if data, err := os.ReadFile(path); err == nil {
					f.Add(data)
				}
			}
			return nil
		})
	}
	for _, tc := range fastCases {
		if len(tc.fm) < 4096 { // big inputs slow the fuzzer down
			f.Add([]byte("+++\n" + tc.fm + "\n+++\n"))
		}
	}
	crashers, _ := filepath.Glob("front/testdata/fuzz/FuzzParse/*")
	for _, path := range crashers {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		// go test fuzz v1, then one line: []byte("…").
		_, arg, _ := strings.Cut(strings.TrimSpace(string(data)), "\n")
		v, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(arg, "[]byte("), ")"))
		if err != nil {
			f.Fatalf("%s: %v", path, err)
		}
		f.Add([]byte(v))
	}
}

// spoilers are the edits TestParseSpoiled makes to a ticket: insert one of
// these, or delete a byte, or double or drop a line.
var spoilers = []string{"\"", "'", "[", "]", "[[", "=", "#", ".", ",", "\n", " ", "\\", "x", "0", "-", ":", "{", "\r", "+++\n", "é"}

// spoil applies one edit to data at a place chosen by r.
func spoil(r *rand.Rand, data []byte) []byte {
	i := r.IntN(len(data) + 1)
	out := bytes.Clone(data[:i])
	switch k := r.IntN(len(spoilers) + 3); {
	case k < len(spoilers):
		return append(append(out, spoilers[k]...), data[i:]...)
	case k == len(spoilers) && i < len(data):
		return append(out, data[i+1:]...)
	default: // the line at i: doubled or dropped
		ls := bytes.LastIndexByte(data[:i], '\n') + 1
		le := len(data)
		if j := bytes.IndexByte(data[i:], '\n'); j >= 0 {
			le = i + j + 1
		}
		out = bytes.Clone(data[:ls])
		if k == len(spoilers)+1 {
			out = append(out, data[ls:le]...)
		}
		return append(append(out, data[ls:le]...), data[le:]...)
	}
}

// TestParseSpoiled: tickets of the help desk, each spoiled by one to three
// edits, parse the same with the fast path and without it, the broken ones
// to the same error at the same position.
func TestParseSpoiled(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	n := 50
	if testing.Short() {
		n = 5
	}
	var failed, total int
	for _, path := range corpusFiles(t, "../examples/helpdesk/tickets") {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < n; i++ {
			m := data
			for j := r.IntN(3); j >= 0; j-- {
				m = spoil(r, m)
			}
			total++
			if !checkParse(t, fmt.Sprintf("%s edit %d", path, i), m) {
				failed++
			}
			if t.Failed() {
				return
			}
		}
	}
	t.Logf("%d edited tickets, %d do not parse", total, failed)
	if failed < total/10 {
		t.Errorf("the edits hardly break tickets: %d of %d", failed, total)
	}
}

// FuzzDecodeFast: whenever the fast path answers, BurntSushi decodes the same
// front matter without error into the same ticket; and Parse gives the same
// ticket or the same error with the fast path as without.
func FuzzDecodeFast(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, "fuzz", data)
		doc, err := front.ParseNoValidate(data)
		if err != nil {
			return
		}
		var ft Ticket
		if ok, _ := decodeFast(doc, &ft); !ok {
			return
		}
		fm := string(doc.FrontMatter())
		slow, err := slowDecode(fm)
		if err != nil {
			t.Fatalf("fast path accepted what BurntSushi rejects: %v\n%q", err, fm)
		}
		if d := ticketDiff(&ft, &slow); d != "" {
			t.Fatalf("%s\n%q", d, fm)
		}
	})
}

// FuzzDecodeFastGenerated is FuzzDecodeFast on documents built from
// fragments chosen by the fuzzer's bytes, which reach the structural cases
// (redefinitions, tables against dotted keys) far more often.
func FuzzDecodeFastGenerated(f *testing.F) {
	fuzzGenerated(f, func(t *testing.T, fm string) {
		data := []byte("+++\n" + fm + "\n+++\n## Description\nx\n")
		gf, gerr := parse("generated", data, false)
		checkRecord(t, "generated", data, gf, gerr)
		var ft Ticket
		if ok, _ := decodeFastString(fm, &ft); !ok {
			return
		}
		slow, err := slowDecode(fm)
		if err != nil {
			t.Fatalf("fast path accepted what BurntSushi rejects: %v\n%q", err, fm)
		}
		if d := ticketDiff(&ft, &slow); d != "" {
			t.Fatalf("%s\n%q", d, fm)
		}
	})
}

// fuzzGenerated fuzzes check with front matter built by genDoc from
// fragments the fuzzer's bytes choose.
func fuzzGenerated(f *testing.F, check func(t *testing.T, fm string)) {
	for _, s := range []string{"", "\x05\x00\x03\x04\x01\x02", "\x10\x04\x13\x00\x00\x04\x0f\x01\x00\x00\x05\x03\x14\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		i := 0
		check(t, genDoc(func(n int) int {
			if i >= len(data) {
				return 0
			}
			i++
			return int(data[i-1]) % n
		}))
	})
}

func benchData(b *testing.B) []byte {
	data, err := os.ReadFile("testdata/fast/bench.md")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	return data
}

// BenchmarkParse is Parse on a realistic ticket (8 events, feedback, a part)
// with the fast path, and with BurntSushi/toml alone (general): doc.go quotes
// them.
func BenchmarkParse(b *testing.B) {
	for _, fast := range []bool{true, false} {
		b.Run(pathName(fast), func(b *testing.B) {
			data := benchData(b)
			for b.Loop() {
				if _, err := parse("bench.md", data, fast); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func pathName(fast bool) string {
	if fast {
		return "fast"
	}
	return "general"
}

// BenchmarkDecodeFast is the fast path alone, on the scanned document.
func BenchmarkDecodeFast(b *testing.B) {
	data := benchData(b)
	doc, err := front.ParseNoValidate(data)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var t Ticket
		if ok, _ := decodeFast(doc, &t); !ok {
			b.Fatal("fell back")
		}
	}
}

// BenchmarkParseNoValidate is the scan alone, for reference.
func BenchmarkParseNoValidate(b *testing.B) {
	data := benchData(b)
	for b.Loop() {
		if _, err := front.ParseNoValidate(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseCorpus is Parse over the loadgen tickets of DESK_FAST_CORPUS
// (see TestDecodeFastCorpus), per ticket: with the fast path, with
// BurntSushi/toml alone (general), and the scan (front.ParseNoValidate) that
// both start with.
func BenchmarkParseCorpus(b *testing.B) {
	dir := os.Getenv("DESK_FAST_CORPUS")
	if dir == "" {
		b.Skip("DESK_FAST_CORPUS not set")
	}
	var files [][]byte
	_ = filepath.WalkDir(filepath.Join(dir, "r", "tickets"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".md") {
			if data, err := os.ReadFile(path); err == nil {
				files = append(files, data)
			}
		}
		return nil
	})
	if len(files) == 0 {
		b.Skip("no tickets: run TestDecodeFastCorpus first")
	}
	for _, name := range []string{"fast", "general", "scan-only"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, data := range files {
					var err error
					if name == "scan-only" {
						_, err = front.ParseNoValidate(data)
					} else {
						_, err = parse("x.md", data, name == "fast")
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			}
			n := float64(b.N * len(files))
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n/1000, "µs/ticket")
		})
	}
}

// TestParseRecordUnknown: ParseRecord reports the unknown keys Parse and
// UnknownKeys report, wherever they are.
func TestParseRecordUnknown(t *testing.T) {
	base := "id = \"TS-20261122-1\"\nstatus = \"new\"\ncreated = 2026-11-22T09:14:00+08:00\n"
	for name, fm := range map[string]string{
		"none":          base + "[requester]\nname = \"张三\"\n",
		"top":           base + "prority = \"high\"\n",
		"dotted":        base + "x.y = 1\n",
		"table":         base + "[extra]\na = 1\n",
		"requester":     base + "[requester]\nnmae = \"张三\"\n",
		"event":         base + "[[events]]\nat = 2026-11-22T09:14:00+08:00\nactor = \"a\"\n",
		"nested table":  base + "[requester.address]\ncity = \"x\"\n",
		"case":          base + "Status = \"new\"\n",
		"array element": base + "[[events]]\nat = 2026-11-22T09:14:00+08:00\n[[events]]\nat = 2026-11-22T09:15:00+08:00\nwho = 1\n",
	} {
		data := []byte("+++\n" + fm + "+++\n\n## Description\n\nx\n")
		gf, gerr := parse(name, data, false)
		checkRecord(t, name, data, gf, gerr)
		if _, unknown, err := ParseRecord(name, data); err == nil && (name == "none") != (len(unknown) == 0) {
			t.Errorf("%s: unknown keys %q", name, unknown)
		}
	}
}
