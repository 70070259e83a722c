package search

import (
	"context"
	"math"
	"strings"
	"testing"
)

// similarIndex is a repository with two answered problems (one Chinese, one
// English), tickets that are like them, and tickets that are like nothing
// but share the everyday words of a ticket with the others.
func similarIndex(t *testing.T) *Index {
	t.Helper()
	r := deskRepo(t)
	writeRepoFile(t, r, "kb/vpn-809.md", articleText("VPN 连接失败：错误 809",
		"酒店或客户现场的网络屏蔽了 UDP 500 和 4500。",
		"错误 809 表示 IPsec 协商没有响应，多为当地网络屏蔽了 UDP 500 和 4500 端口。先用手机热点测试；热点下能连接，就安装 SSL VPN 客户端，改走 TCP 443。"))
	writeRepoFile(t, r, "kb/outlook-calendar-crash.md", articleText("Outlook crashes when opening a shared calendar",
		"A damaged calendar cache after the November update.",
		"After the November update Outlook crashes when a shared calendar is opened. Close Outlook, delete the calendar cache, then repair the Office installation."))
	writeRepoFile(t, r, ticketPath(1), ticketText(1, "出差时 VPN 连接失败，错误 809",
		"从今天早上开始在酒店连接公司 VPN 失败，提示错误 809，手机热点下可以连接，请尽快处理。", ""))
	writeRepoFile(t, r, ticketPath(2), ticketText(2, "Outlook crashes on the shared calendar",
		"Since this morning Outlook crashes whenever I open the team's shared calendar. Please help.", ""))
	writeRepoFile(t, r, ticketPath(3), ticketText(3, "茶水间咖啡机漏水",
		"三楼茶水间的咖啡机从今天早上开始一直漏水，地毯已经湿了，请尽快处理。", ""))
	writeRepoFile(t, r, ticketPath(4), ticketText(4, "The coffee machine on the third floor leaks",
		"Since this morning water is dripping from the coffee machine onto the carpet. Please help.", ""))
	writeRepoFile(t, r, ticketPath(5), ticketText(5, "三楼打印机卡纸",
		"三楼打印机从今天早上开始每次打印都卡纸，请尽快处理。", ""))
	// Everyday tickets: the phrasing of the others is common, as it is.
	for n, tt := range [][2]string{
		{"Second monitor flickers", "Since this morning my second monitor flickers every few seconds. Please help."},
		{"Cannot print to the colour printer", "Since this morning the colour printer in the east wing rejects my print jobs. Please help."},
		{"键盘部分按键失灵", "从今天早上开始键盘部分按键没有反应，请尽快处理。"},
		{"会议室投影仪无信号", "从今天早上开始二楼会议室的投影仪没有信号，请尽快处理。"},
	} {
		writeRepoFile(t, r, ticketPath(6+n), ticketText(6+n, tt[0], tt[1], ""))
	}
	commitAll(t, r, "similar fixture")
	ix, _ := openIndex(t, r)
	return ix
}

func TestSimilarFloor(t *testing.T) {
	ix := similarIndex(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name        string
		n           int    // the ticket, TS-20261122-n
		title, text string // as the ticket has them
		want        string // the one hit; "" for none at all
	}{
		{"a chinese ticket finds its article", 1, "出差时 VPN 连接失败，错误 809",
			"从今天早上开始在酒店连接公司 VPN 失败，提示错误 809，手机热点下可以连接，请尽快处理。", "vpn-809"},
		{"an english ticket finds its article", 2, "Outlook crashes on the shared calendar",
			"Since this morning Outlook crashes whenever I open the team's shared calendar. Please help.", "outlook-calendar-crash"},
		{"an unrelated chinese ticket finds nothing", 3, "茶水间咖啡机漏水",
			"三楼茶水间的咖啡机从今天早上开始一直漏水，地毯已经湿了，请尽快处理。", ""},
		{"an unrelated english ticket finds nothing", 4, "The coffee machine on the third floor leaks",
			"Since this morning water is dripping from the coffee machine onto the carpet. Please help.", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := ticketID(tc.n)
			res, err := ix.Similar(ctx, tc.title, tc.text, SimilarOptions{Exclude: id})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				if h.ID == id {
					t.Errorf("the ticket is its own hit")
				}
				if h.Share < SimilarFloor {
					t.Errorf("%s is shown with share %.2f, under the floor", h.ID, h.Share)
				}
			}
			if tc.want == "" {
				if len(res.Hits) != 0 || res.Total != 0 {
					t.Errorf("hits %v, want none", similarIDs(res))
				}
				// It did share words with others: the floor, not the
				// query, left them out.
				if res.Below == 0 || res.BestBelow <= 0 || res.BestBelow >= SimilarFloor {
					t.Errorf("below the floor: %d documents, best share %.2f", res.Below, res.BestBelow)
				}
				return
			}
			// The article, and none of the tickets that only share the
			// everyday words.
			if ids := similarIDs(res); len(ids) != 1 || ids[0] != tc.want || res.Total != 1 {
				t.Errorf("hits %v (total %d), want only %s", ids, res.Total, tc.want)
			}
		})
	}
}

// TestSimilarShare: the share is relative to the text's best possible
// score; a document that is the text scores 1, whatever the engine's score.
func TestSimilarShare(t *testing.T) {
	ix := similarIndex(t)
	ctx := context.Background()
	res, err := ix.Similar(ctx, "三楼打印机卡纸", "三楼打印机从今天早上开始每次打印都卡纸，请尽快处理。", SimilarOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Hits[0].ID != ticketID(5) || math.Abs(res.Hits[0].Share-1) > 1e-9 {
		t.Errorf("the ticket itself: %+v, want %s first with share 1", res.Hits, ticketID(5))
	}
	// --text with a type: the article only.
	res, err = ix.Similar(ctx, "", "VPN 报错 809", SimilarOptions{Type: "kb"})
	if err != nil {
		t.Fatal(err)
	}
	if ids := similarIDs(res); len(ids) != 1 || ids[0] != "vpn-809" {
		t.Errorf("--text --type kb: %v, want [vpn-809]", ids)
	}
	if p := res.Hits[0].Path; p != "kb/vpn-809.md" {
		t.Errorf("path %q", p)
	}
}

func ticketID(n int) string { return "TS-20261122-" + string(rune('0'+n)) }

func similarIDs(res *Results) []string {
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestTicketText(t *testing.T) {
	r := deskRepo(t)
	seed(t, r)
	self, title, text, err := TicketText(r, ticketID(3))
	if err != nil || self != ticketID(3) || title != "VPN drops every hour" || strings.TrimSpace(text) != "The VPN client disconnects hourly with ERR_1045." {
		t.Errorf("TicketText = %q, %q, %q, %v", self, title, text, err)
	}
	if _, _, _, err := TicketText(r, ticketID(4)); err == nil {
		t.Error("TicketText of a ticket that does not exist: no error")
	}
}
