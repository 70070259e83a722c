package kb

import (
	"fmt"
	"os"
	"path/filepath"
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

// Find's spans are bytes of the text as written, whatever folding took
// out or changed inside them: full-width letters, spaces and line breaks
// between CJK characters, punctuation and a possessive around a word.
func TestPeopleFindSpans(t *testing.T) {
	p := NewPeople([]string{"Margaret Thornbury", "欧阳娜娜", "Zoë Ünal"}, []string{"+86 139 0001 0007"})
	for _, tc := range []struct{ name, text, want string }{
		{"full-width", "见 ＭＡＲＧＡＲＥＴ　Thornbury。", "ＭＡＲＧＡＲＥＴ　Thornbury"},
		{"possessive", "(Margaret Thornbury's laptop)", "Margaret Thornbury"},
		{"CJK across a line break", "请联系欧阳\n  娜娜处理", "欧阳\n  娜娜"},
		{"letters beyond ASCII", "ask ZOË ÜNAL.", "ZOË ÜNAL"},
		{"a number after a name", "Thornbury Margaret, +86 139-0001-0007", "Thornbury Margaret|+86 139-0001-0007"},
		{"a slug", "/tags/margaret-thornbury/", "margaret-thornbury"},
	} {
		var got []string
		for _, f := range p.Find(tc.text) {
			got = append(got, tc.text[f.Start:f.End])
		}
		if strings.Join(got, "|") != tc.want {
			t.Errorf("%s: found %q; want %q", tc.name, got, tc.want)
		}
	}
}

// benchPeople are requesters as examples/loadgen makes them, as many
// distinct values as its 100,000 tickets hold: every first name with every
// surname, in English and in Chinese, with an e-mail address or a phone
// number each.
func benchPeople() *People {
	first := strings.Fields("Alice David Emily James Laura Michael Nina Oliver Priya Robert Sophie Thomas Hannah Daniel Grace Lucas Maya Ethan Chloe Samuel Olivia Noah Zoe Ivan Fatima Kenji Sara Leo Amara Jonas")
	last := strings.Fields("Martin Chen Brown Walker Kim Patel Turner Green Wilson Clark Lewis Young Hall Allen King Wright Scott Baker Adams Nelson Carter Mitchell Perez Roberts Evans Collins Murphy Rivera Novak Okafor")
	surnames := strings.Fields("张 王 李 赵 刘 陈 杨 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 马 罗 梁 宋 郑 谢 韩 唐 冯 于 董 萧 程 曹 袁 邓 许 傅 沈 曾 彭 吕")
	given := strings.Fields("伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚 桂英 晨 浩 婷 宇 欣怡 子涵 佳 鹏 雪 建国 海燕 志强 文静")
	p := NewPeople(nil, nil)
	n := 0
	for _, f := range first {
		for _, l := range last {
			p.Add(f+" "+l, strings.ToLower(f+"."+l+"@corp.example.net"))
		}
	}
	for _, s := range surnames {
		for _, g := range given {
			n++
			p.Add(s+g, fmt.Sprintf("+86 139 %04d %04d", n, 7*n%10000))
		}
	}
	return p
}

// benchTexts are the articles under $DESK_CORPUS (kb-zh and kb-en), or,
// without it, a few paragraphs of each kind.
func benchTexts(tb testing.TB) []string {
	if root := os.Getenv("DESK_CORPUS"); root != "" {
		var texts []string
		for _, dir := range []string{"kb-zh", "kb-en"} {
			files, err := filepath.Glob(filepath.Join(root, dir, "*.md"))
			if err != nil {
				tb.Fatal(err)
			}
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					tb.Fatal(err)
				}
				texts = append(texts, string(b))
			}
		}
		return texts
	}
	return []string{
		"+++\ntitle = \"VPN error 809\"\nstatus = \"published\"\n+++\n\n## Symptoms\n\nThe VPN client stops at \"Connecting\" and reports error 809 after\nabout a minute. Grace reported it from the Shenzhen office; the same laptop\nconnects from home. Mark the ticket as a network problem, not a client one.\n\n## Fix\n\n1. Open `regedit` and go to `HKLM\\SYSTEM\\CurrentControlSet\\Services\\PolicyAgent`.\n2. Add `AssumeUDPEncapsulationContextOnSendRule` (DWORD) = 2 and restart.\n",
		"+++\ntitle = \"打印机脱机\"\nstatus = \"published\"\n+++\n\n## 现象\n\n打印机在控制面板中显示为脱机，但网络可以 ping 通。王经理所在的 3 楼东区\n所有用户都受影响，重启打印机后恢复约十分钟。\n\n## 处理\n\n1. 在打印服务器上删除端口 `IP_10.2.3.40` 并重新添加；\n2. 关闭 SNMP 状态检测（端口属性中取消勾选）。\n",
		"# tar\n\n> Archiving utility.\n> Often combined with a compression method, such as gzip or bzip2.\n\n- Create an archive and write it to a file:\n\n`tar cf {{path/to/target.tar}} {{path/to/file1 path/to/file2 ...}}`\n\n- Extract a (compressed) archive file into the current directory verbosely:\n\n`tar xvf {{path/to/source.tar[.gz|.bz2|.xz]}}`\n",
	}
}

// BenchmarkPeopleFind looks for loadgen's requesters in articles; with
// DESK_CORPUS set, in the 8,201 corpus articles desk check reads.
func BenchmarkPeopleFind(b *testing.B) {
	p, texts := benchPeople(), benchTexts(b)
	size := 0
	for _, t := range texts {
		size += len(t)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range texts {
			p.Find(t)
		}
	}
}

// BenchmarkPeopleAdd adds the requesters of 100,000 tickets (two values
// each, repeated as they are in a repository) to People.
func BenchmarkPeopleAdd(b *testing.B) {
	first := strings.Fields("Alice David Emily James Laura Michael Nina Oliver Priya Robert Sophie Thomas Hannah Daniel Grace")
	last := strings.Fields("Martin Chen Brown Walker Kim Patel Turner Green Wilson Clark Lewis Young Hall Allen King")
	names, contacts := make([]string, 100_000), make([]string, 100_000)
	for i := range names {
		f, l := first[i%len(first)], last[i/len(first)%len(last)]
		names[i], contacts[i] = f+" "+l, strings.ToLower(f+"."+l+"@corp.example.net")
	}
	b.ReportAllocs()
	for b.Loop() {
		p := NewPeople(nil, nil)
		for i := range names {
			p.Add(names[i], contacts[i])
		}
	}
}
