package kb

import (
	"fmt"
	"strings"
	"testing"
)

func TestFindPersonalData(t *testing.T) {
	// want: kind (the start of Match.Kind), text, line, column.
	type m struct {
		kind      string
		text      string
		line, col int
	}
	for _, tc := range []struct {
		name  string
		text  string
		names []string
		want  []m
	}{
		{"e-mail in English", "Write to zhang.san@corp.cn today.", nil,
			[]m{{"e-mail address", "zhang.san@corp.cn", 1, 10}}},
		{"e-mail in Chinese", "请联系张三的邮箱zhangsan@qq.com。", nil,
			[]m{{"e-mail address", "zhangsan@qq.com", 1, 9}}},
		{"documentation domains", "user@example.com, ops@lab.test, a@b.example, x@mail.example.org, y@host.invalid", nil, nil},
		{"mobile in English", "Call 13812345678.", nil,
			[]m{{"phone number", "13812345678", 1, 6}}},
		{"mobile in Chinese", "电话：13912345678。", nil,
			[]m{{"phone number", "13912345678", 1, 4}}},
		{"mobile in groups", "手机 138 1234 5678，或 139-1234-5678", nil,
			[]m{{"phone number", "138 1234 5678", 1, 4}, {"phone number", "139-1234-5678", 1, 20}}},
		{"country code", "Phone +86 138 1234 5678 please", nil,
			[]m{{"phone number", "+86 138 1234 5678", 1, 7}}},
		{"landline", "总机 010-12345678", nil,
			[]m{{"phone number", "010-12345678", 1, 4}}},
		{"20-digit number", "单号 12345678901234567890", nil, nil},
		{"mobile inside a longer number", "Order 2138123456789 shipped", nil, nil},
		{"dates, times and versions", "2026-11-22 09:14, version 1.2.3, port 8080, 3.1415926535", nil, nil},
		{"national ID", "身份证号 11010519491231002X", nil,
			[]m{{"national ID number", "11010519491231002X", 1, 6}}},
		{"national ID, lowercase x", "ID 11010519491231002x.", nil,
			[]m{{"national ID number", "11010519491231002x", 1, 4}}},
		{"national ID with a wrong check digit", "ID 110105194912310021 and 110105194912310020", nil, nil},
		{"requester name, every time", "Li Na called; Li Na again.", []string{"Li Na"},
			[]m{{"a requester's name", "Li Na", 1, 1}, {"a requester's name", "Li Na", 1, 15}}},
		{"requester name in Chinese", "第二天张三反映打印机卡纸", []string{"张三"},
			[]m{{"a requester's name", "张三", 1, 4}}},
		{"requester contact at a documentation domain", "Mail li.na@example.com", []string{"Li Na", "li.na@example.com"},
			[]m{{"a requester's name", "li.na@example.com", 1, 6}}},
		{"names of one character and blank names are not looked for", "王先生说 ok", []string{"王", " ", ""}, nil},
		{"front matter: owner and source are staff and origins",
			"+++\nowner = \"li.si@corp.cn\"\nsource = \"wang@corp.cn\"\ntitle = \"Mail x@corp.cn\"\n+++\nBody.\n", nil,
			[]m{{"e-mail address", "x@corp.cn", 4, 15}}},
		{"front matter after a byte-order mark", "\ufeff+++\r\nowner = \"li.si@corp.cn\"\r\n+++\r\nCall 13812345678\r\n", nil,
			[]m{{"phone number", "13812345678", 4, 6}}},
		{"CRLF line ends", "a\r\nCall 13812345678\r\n", nil,
			[]m{{"phone number", "13812345678", 2, 6}}},
		{"nothing", "Hold the power button for 30 s. 按住电源键 30 秒。", []string{"Li Na"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := FindPersonalData([]byte(tc.text), tc.names)
			var gs, ws []string
			for _, g := range got {
				gs = append(gs, fmt.Sprintf("%d:%d %q %s", g.Line, g.Col, g.Text, g.Kind))
				if strings.Contains(g.Kind, g.Text) {
					t.Errorf("Kind %q repeats the data", g.Kind)
				}
			}
			for _, w := range tc.want {
				ws = append(ws, fmt.Sprintf("%d:%d %q %s", w.line, w.col, w.text, w.kind))
			}
			if len(gs) != len(ws) {
				t.Fatalf("got %d matches, want %d:\n%s", len(gs), len(ws), strings.Join(gs, "\n"))
			}
			for i := range gs {
				// The kind is followed by the masked data; compare its start.
				if !strings.HasPrefix(gs[i], ws[i]) {
					t.Errorf("match %d: got %s, want %s", i, gs[i], ws[i])
				}
			}
		})
	}
}

func TestMask(t *testing.T) {
	for _, tc := range []struct {
		text  string
		names []string
		want  string
	}{
		{"Call 13812345678 or mail zhang.san@corp.cn", nil, "Call 1*********8 or mail z***************n"},
		{"张三的电话是13912345678", []string{"张三"}, "**的电话是1*********8"},
		{"身份证号 11010519491231002X。", nil, "身份证号 1****************X。"},
		{"Li Na called; Li Na again.\nThanks, Li Na", []string{"Li Na"}, "L***a called; L***a again.\nThanks, L***a"},
		{"Mail li.na@corp.cn", []string{"li.na@corp.cn"}, "Mail l***********n"},
		{"Phone +86 138 1234 5678", nil, "Phone +***************8"},
		{"Examples: user@example.com, 12345678901234567890", nil, "Examples: user@example.com, 12345678901234567890"},
		{"Nothing here.\n没有个人信息。", []string{"Li Na"}, "Nothing here.\n没有个人信息。"},
	} {
		if got := Mask(tc.text, NewPeople(tc.names, nil)); got != tc.want {
			t.Errorf("Mask(%q) = %q, want %q", tc.text, got, tc.want)
		}
		if got := Mask(tc.text, NewPeople(tc.names, nil)); len(FindPersonalData([]byte(got), tc.names)) > 0 {
			t.Errorf("Mask(%q) = %q still holds personal data", tc.text, got)
		}
	}
}

// Phone numbers as people write them are found; numbers reserved for
// fiction (555-01XX), dates, versions and times are not.
func TestFindPhoneForms(t *testing.T) {
	for _, text := range []string{
		"手机 １３９１２３４５６７８ 联系",
		"call 139.1234.5678",
		"call 139 1234 5678",
		"office (010) 6552-1234",
		"office 010-6552-1234",
		"office 010 6552 1234",
		"UK +44 20 7946 0958",
		"+86 139 1234 5678",
		"+1 415-555-2671",
	} {
		m := FindPersonalData([]byte(text), nil)
		if len(m) != 1 || !strings.HasPrefix(m[0].Kind, "phone number") {
			t.Errorf("%q: %+v; want one phone number", text, m)
			continue
		}
		if !strings.Contains(text, m[0].Text) {
			t.Errorf("%q: match %q is not the text's", text, m[0].Text)
		}
	}
	for _, text := range []string{
		"call 555-0142", "call (212) 555-0142", "+1 212 555 0199",
		"TiDB v7.5.1 on 2026-11-23 09:45:00", "build 20261123.1045", "port 4000, 10.29.200.79",
	} {
		if m := FindPersonalData([]byte(text), nil); len(m) != 0 {
			t.Errorf("%q: found %+v", text, m)
		}
	}
}
