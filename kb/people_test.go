package kb

import (
	"strings"
	"testing"
)

// People finds names and contacts as people write them, and nothing else.
func TestPeopleFind(t *testing.T) {
	p := NewPeople(
		[]string{"Margaret Thornbury", "欧阳娜娜", "Li", "张三"},
		[]string{"m.thornbury@corp.example.net", "+1 555-0199"},
	)
	found := []string{
		"Confirmed with Margaret Thornbury today.",
		"confirmed with margaret thornbury",
		"Margaret  Thornbury",
		"Margaret\n   Thornbury called",
		"THORNBURY, Margaret",
		"Thornbury Margaret",
		"ＭＡＲＧＡＲＥＴ ＴＨＯＲＮＢＵＲＹ",
		"已与欧阳娜娜确认",
		"已与欧阳 娜娜确认",
		"欧阳\n娜娜",
		"mail M.Thornbury@Corp.Example.NET today",
		"call +1 555-0199",
		"张三反馈",
		`tags = ["vpn", "margaret-thornbury"]`,
		"see /tags/thornbury_margaret/",
	}
	for _, text := range found {
		got := p.Find(text)
		if len(got) != 1 {
			t.Errorf("%q: found %v; want one", text, got)
			continue
		}
		span := text[got[0].Start:got[0].End]
		if strings.TrimSpace(span) != span || span == "" {
			t.Errorf("%q: span %q", text, span)
		}
	}
	for _, text := range []string{
		"Linux", // a name never inside a longer word
		"Margaret Thatcher",
		"thornburyx",
		"+1 555-01990",
		"张四反馈",
	} {
		for _, f := range p.Find(text) {
			t.Errorf("%q: found %q", text, text[f.Start:f.End])
		}
	}
	if got := p.Find("Margaret Thornbury"); got[0].Kind != "name" {
		t.Errorf("kind %q", got[0].Kind)
	}
	if got := p.Find("+1 555-0199"); got[0].Kind != "contact" {
		t.Errorf("kind %q", got[0].Kind)
	}
	if got := p.Find("THORNBURY, Margaret!"); len(got) != 1 || got[0].Start != 0 || got[0].End != len("THORNBURY, Margaret") {
		t.Errorf("span of a reversed name: %+v", got)
	}
}
