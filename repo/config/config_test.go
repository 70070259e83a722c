package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/deskhq/desk/ticket/sla"
)

func TestDefaultConfigLoads(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		c := Default(lang)
		if c.Desk.IDPrefix != "TS" || c.Location.String() != "Asia/Shanghai" {
			t.Errorf("%s: prefix %q zone %v", lang, c.Desk.IDPrefix, c.Location)
		}
		if got := c.Priorities(); strings.Join(got, ",") != "high,medium,low" {
			t.Errorf("%s: priorities %v", lang, got)
		}
	}
	if h := Default("zh").Heading("handling"); h != "技术处理过程" {
		t.Errorf("zh handling heading = %q", h)
	}
	if h := Default("en").Heading("resolution"); h != "Resolution" {
		t.Errorf("en resolution heading = %q", h)
	}
}

func TestEmptyConfigTakesDefaults(t *testing.T) {
	c, err := Parse("desk.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !c.CanMove("resolved", "in_progress") || c.CanMove("archived", "new") {
		t.Error("default transitions not applied")
	}
	ts := c.Targets("complaint", "low")
	if ts.Respond.String() != "24h" || ts.Resolve.String() != "3bd" || ts.Update != nil {
		t.Errorf("complaint/low targets = %+v, want 24h (category) and 3bd (priority), no update (a desk.toml from before update targets)", ts)
	}
	ts = c.Targets("hardware", "")
	if ts.Respond.String() != "24h" || ts.Resolve.String() != "3bd" {
		t.Errorf("untriaged ticket targets = %+v, want the least urgent priority's", ts)
	}
	if ts.Resolve.Calendar != c.Cal {
		t.Error("a target without a calendar key is not on [calendar]")
	}
	if got := strings.Join(c.RequiredAt("triaged"), ","); !strings.Contains(got, "title") || !strings.Contains(got, "priority_reason") || strings.Contains(got, "feedback") {
		t.Errorf("RequiredAt(triaged) = %s", got)
	}
}

func TestConfigErrorsNameTheLine(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line       int
		msg        string
	}{
		{"unknown status in a transition", "[workflow.transitions]\nnew = [\"doing\"]\n", 2, `unknown status "doing"`},
		{"bad duration", "[[sla.priority]]\nname = \"high\"\nrespond = \"1 hour\"\n", 3, `"1 hour"`},
		{"bad duration in the second entry", "[[sla.priority]]\nname = \"a\"\nrespond = \"1h\"\n[[sla.priority]]\nname = \"b\"\nresolve = \"3x\"\n", 6, `"3x"`},
		{"unknown time zone", "[desk]\nid_prefix = \"IT\"\ntimezone = \"Mars/Olympus\"\n", 3, "unknown time zone"},
		{"unknown key", "[desk]\nid_prefx = \"IT\"\n", 2, `unknown key "desk.id_prefx"`},
		{"bad prefix", "[desk]\nid_prefix = \"it-\"\n", 2, "capital letters"},
		{"bad hours", "[calendar]\nhours = [\"18:00\", \"09:00\"]\n", 2, "must be after opening"},
		{"unknown workday", "[calendar]\nworkdays = [\"monday\"]\n", 2, "mon, tue"},
		{"unknown pause status", "[sla]\npause = [\"waiting\"]\n", 2, `unknown status "waiting"`},
		{"unknown required field", "[required]\nnew = [\"titel\"]\n", 2, `unknown field "titel"`},
		{"unknown section", "[required]\nresolved = [\"section:fix\"]\n", 2, `unknown section "fix"`},
		{"unknown rule", "[check.rules]\nkb-stail = \"off\"\n", 2, `unknown rule "kb-stail"`},
		{"javascript base URL", "[site]\ntitle = \"KB\"\nbase_url = \"javascript:alert(1)//\"\n", 3, `site.base_url "javascript:alert(1)//": the scheme javascript: is not allowed; want an absolute http:// or https:// URL`},
		{"scheme-relative base URL", "[site]\nbase_url = \"//evil.example\"\n", 2, "without a scheme"},
		{"ftp base URL", "[site]\nbase_url = \"ftp://x\"\n", 2, "the scheme ftp: is not allowed"},
		{"data base URL", "[site]\nbase_url = \"data:text/html,<b>x</b>\"\n", 2, "not allowed"},
		{"relative base URL", "[site]\nbase_url = \"kb/\"\n", 2, "a relative path is not allowed"},
		{"javascript edit URL", "[site]\nedit_url = \"javascript:alert(1)//{path}\"\n", 2, `site.edit_url "javascript:alert(1)//{path}": the scheme javascript: is not allowed`},
		{"invalid TOML", "[desk]\nid_prefix = = 1\n", 2, ""},
		{"wrong type", "[sla]\nat_risk = \"most\"\n", 2, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("desk.toml", []byte(tc.text))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a Error", err)
			}
			if ce.Line != tc.line {
				t.Errorf("line = %d, want %d (%v)", ce.Line, tc.line, err)
			}
			if !strings.Contains(ce.Msg, tc.msg) {
				t.Errorf("message %q does not contain %q", ce.Msg, tc.msg)
			}
			if !strings.HasPrefix(err.Error(), "desk.toml:") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

// TestDefaultUpdateTargets: desk init's desk.toml sets update targets, and
// a category entry overrides them key by key, each on its entry's calendar.
func TestDefaultUpdateTargets(t *testing.T) {
	c := Default("en")
	for p, want := range map[string]string{"high": "2h", "medium": "1bd", "low": "2bd"} {
		if u := c.Targets("hardware", p).Update; u == nil || u.String() != want {
			t.Errorf("%s: update %v, want %s", p, u, want)
		}
	}
	if !c.HasUpdateTargets() {
		t.Error("HasUpdateTargets is false")
	}
	c, err := Parse("desk.toml", []byte(`[calendars.cn]
holidays = [2026-10-01]
[[sla.priority]]
name = "high"
respond = "1h"
resolve = "4bh"
update = "2h"
calendar = "always"
[[sla.category]]
name = "complaint"
update = "1bd"
calendar = "cn"
`))
	if err != nil {
		t.Fatal(err)
	}
	ts := c.Targets("complaint", "high")
	if ts.Respond.String() != "1h" || ts.Update.String() != "1bd" {
		t.Fatalf("targets %+v", ts)
	}
	if ts.Resolve.Calendar != c.cals[Always] || ts.Update.Calendar != c.cals["cn"] || ts.Update.Calendar.Holidays[sla.Date{Year: 2026, Month: 10, Day: 1}] != true {
		t.Errorf("calendars: resolve %+v, update %+v", ts.Resolve.Calendar, ts.Update.Calendar)
	}
	if got := c.CalendarNames(); strings.Join(got, ",") != "always,cn" {
		t.Errorf("calendar names %v", got)
	}
}

func TestCheckBaseURL(t *testing.T) {
	for _, ok := range []string{"/", "/kb/", "/帮助/", "https://kb.example.com/", "HTTPS://KB.EXAMPLE.COM", "http://127.0.0.1:8080/kb", "http://[::1]:8080/"} {
		if err := CheckBaseURL(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{
		"javascript:alert(1)//", "JavaScript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "vbscript:x", "ftp://x", "file:///etc/",
		"//evil.example", "/\\evil.example", "\\\\evil.example", "kb/", "evil.example", "https:evil.example", "https:/kb", "https://",
		"https://user:pw@kb.example.com/", "/kb/?a=1", "/kb/#top", "https://kb.example.com/?", "/kb/\nSitemap: https://evil.example/",
		"/kb/\"onmouseover=\"alert(1)", "/k b/", "/kb/<script>", " https://kb.example.com/",
	} {
		err := CheckBaseURL(bad)
		if err == nil {
			t.Errorf("%q accepted", bad)
		} else if !strings.Contains(err.Error(), "want an absolute http:// or https:// URL") {
			t.Errorf("%q: the message does not say what is allowed: %v", bad, err)
		}
	}
}
