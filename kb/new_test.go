package kb

import (
	"reflect"
	"testing"
	"time"
)

func TestLifecycle(t *testing.T) {
	for _, tc := range []struct {
		name     string
		from, to string
		want     bool
	}{
		{"a draft goes to review", "draft", "review", true},
		{"a draft is not published unreviewed", "draft", "published", false},
		{"a draft is not archived", "draft", "archived", false},
		{"review passes", "review", "published", true},
		{"review sends it back", "review", "draft", true},
		{"review does not archive", "review", "archived", false},
		{"published is archived", "published", "archived", true},
		{"published is rewritten", "published", "draft", true},
		{"published does not go back to review", "published", "review", false},
		{"archived is rewritten", "archived", "draft", true},
		{"archived is not republished directly", "archived", "published", false},
		{"no move to the same status", "draft", "draft", false},
		{"unknown target", "draft", "done", false},
		{"an unknown status may go back to draft", "wip", "draft", true},
		{"an unknown status may not be published", "wip", "published", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CanMove(tc.from, tc.to); got != tc.want {
				t.Errorf("CanMove(%q, %q) = %v, want %v", tc.from, tc.to, got, tc.want)
			}
		})
	}
	// Every status of the lifecycle is reachable from draft and leads back to it.
	for _, s := range Statuses {
		if s != "draft" && !CanMove(s, "draft") {
			t.Errorf("%s cannot go back to draft", s)
		}
		for _, n := range Next(s) {
			if !IsStatus(n) {
				t.Errorf("%s → %s: not a status", s, n)
			}
		}
	}
}

func TestRender(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	review := time.Date(2027, 11, 23, 0, 0, 0, 0, time.UTC)
	full := &Article{
		Title: `Laptop "dead" after a drain`, Status: "draft", Category: "hardware", Tags: []string{"laptop", "电源"},
		Summary: "Hold the button 30 s.", Owner: "li.si@example.com", Created: time.Date(2026, 11, 23, 10, 0, 0, 0, loc),
		ReviewBy: &review, Tickets: []string{"TS-20261122-1"}, Source: "wiki",
	}
	for _, tc := range []struct {
		name string
		a    *Article
		body string
		want string
	}{
		{"every key, in the format's order", full, "Body.\r\n\r\nMore.\n\n",
			"+++\ntitle = \"Laptop \\\"dead\\\" after a drain\"\nstatus = \"draft\"\ncategory = \"hardware\"\n" +
				"tags = [\"laptop\", \"电源\"]\nsummary = \"Hold the button 30 s.\"\nowner = \"li.si@example.com\"\n" +
				"created = 2026-11-23T10:00:00+08:00\nreview_by = 2027-11-23\ntickets = [\"TS-20261122-1\"]\nsource = \"wiki\"\n" +
				"+++\n\nBody.\n\nMore.\n"},
		{"empty keys and an empty body are left out", &Article{Title: "打印机卡纸", Status: "draft"}, " \n",
			"+++\ntitle = \"打印机卡纸\"\nstatus = \"draft\"\n+++\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := string(Render(tc.a, tc.body))
			if got != tc.want {
				t.Fatalf("Render:\n%s\nwant:\n%s", got, tc.want)
			}
			f, err := Parse("kb/x.md", []byte(got))
			if err != nil {
				t.Fatalf("the rendered file does not parse: %v", err)
			}
			back := f.Article
			if back.ReviewBy != nil && tc.a.ReviewBy != nil && back.ReviewBy.Format("2006-01-02") == tc.a.ReviewBy.Format("2006-01-02") {
				back.ReviewBy = tc.a.ReviewBy
			}
			if !back.Created.Equal(tc.a.Created) {
				t.Errorf("created: got %v, want %v", back.Created, tc.a.Created)
			}
			back.Created = tc.a.Created
			if !reflect.DeepEqual(&back, tc.a) {
				t.Errorf("the file reads back as %+v, want %+v", back, *tc.a)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	people := []Replacement{
		{"Zhang San", "[requester]", true}, {"Finance", "[department]", false}, {"zhang.san@example.com", "[contact]", true},
		{"周杰", "【报修人】", true}, {"行政部", "【部门】", false}, {"分机 8230", "【联系方式】", true}, {"Li", "[requester]", true}, {"X", "[x]", true},
	}
	for _, tc := range []struct {
		name, text, want string
	}{
		{"name, org and contact", "Zhang San from Finance wrote from zhang.san@example.com.",
			"[requester] from [department] wrote from [contact]."},
		{"an e-mail contact in another case", "Reply to Zhang.San@Example.COM", "Reply to [contact]"},
		{"names match in any case, departments as written", "zhang san and finance stay", "[requester] and finance stay"},
		{"a name across a line break, surname first", "Ask SAN,\nZhang", "Ask [requester]"},
		{"a name with two spaces", "Zhang  San called", "[requester] called"},
		{"a Chinese name with a space", "周 杰报修", "【报修人】报修"},
		{"not inside a longer word", "Li uses Linux; Zhang Sanders is someone else", "[requester] uses Linux; Zhang Sanders is someone else"},
		{"Chinese, without word breaks", "行政部周杰到服务台报修，分机 8230。", "【部门】【报修人】到服务台报修，【联系方式】。"},
		{"other e-mails and phones are masked", "Ask wang.wu@corp.cn or 13812345678",
			"Ask w*************n or 1*********8"},
		{"one-character values are not looked for", "X marks the spot", "X marks the spot"},
		{"documentation addresses stay", "Test with user@example.com", "Test with user@example.com"},
		{"nothing to do", "Hold the power button for 30 s.", "Hold the power button for 30 s."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Redact(tc.text, people, nil)
			if got != tc.want {
				t.Errorf("Redact(%q)\n got %q\nwant %q", tc.text, got, tc.want)
			}
			var names []string
			for _, p := range people {
				if p.Person {
					names = append(names, p.Old)
				}
			}
			if m := FindPersonalData([]byte(got), names); len(m) > 0 {
				t.Errorf("still holds personal data: %+v", m)
			}
		})
	}
}

// A requester's name is personal data where it stands as a word, not inside
// another one: the rule and Redact agree, so a redacted draft is clean and
// "Linux" survives a requester called Li.
func TestFindPersonalDataWordBounds(t *testing.T) {
	for _, tc := range []struct {
		text  string
		names []string
		want  int
	}{
		{"Li uses Linux", []string{"Li"}, 1},
		{"Li Nan called", []string{"Li Na"}, 0},
		{"(Li Na) called", []string{"Li Na"}, 1},
		{"李娜说打印机卡纸", []string{"李娜"}, 1},
		{"分机8230。", []string{"8230"}, 1},
		{"分机 18230", []string{"8230"}, 0},
	} {
		if got := len(FindPersonalData([]byte(tc.text), tc.names)); got != tc.want {
			t.Errorf("FindPersonalData(%q, %q): %d matches, want %d", tc.text, tc.names, got, tc.want)
		}
	}
}
