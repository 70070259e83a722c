package search_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/deskhq/desk/search"
	"github.com/deskhq/desk/search/tokenize"
	"github.com/deskhq/desk/site/sitesearch"
)

// agreeTexts are texts on which desk search and the site must make the same
// terms.
var agreeTexts = []string{
	"打印机卡纸 printer jam",
	"ERP 报错 ERR_1045，升级到 v2.1 后无法登录",
	"安装TiDB集群 with tiup; TLS-1.2 only",
	"The printer's printing jobs are failing since v7.5.5 (tidb-v7.5.5)",
	"ＴｉＤＢ　ｖ２．１ ＥＲＲ＿１０４５ 全角！",
	"Alice's O’Neil’s don't don’t caches caching cached",
	"Error 0x0000011B when printing; tidb_enable_fast_create_table = ON",
	"カタカナ 한국어 卡 一二",
	"Restart it.Reboot later ERR_ _x -y ~ -- !!",
}

// TestSiteAgrees: desk search's bleve analyzer and the site's Tokens make
// the same terms in the same order, except for the one option that differs
// (tokenize.Chars): the site also indexes every CJK character, desk search
// only the last of each run. With DESK_CORPUS set, the corpus articles are
// compared too.
func TestSiteAgrees(t *testing.T) {
	texts := slices.Clone(agreeTexts)
	if root := os.Getenv("DESK_CORPUS"); root != "" {
		for _, sub := range []string{"kb-zh", "kb-en"} {
			paths, _ := filepath.Glob(filepath.Join(root, sub, "*.md"))
			for i, p := range paths {
				if i%40 != 0 {
					continue
				}
				data, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				texts = append(texts, string(data))
			}
		}
	}
	an := search.NewAnalyzer()
	for _, text := range texts {
		var desk []string
		for _, tok := range an.Analyze([]byte(text)) {
			desk = append(desk, string(tok.Term))
		}
		site := sitesearch.Tokens(text)
		// desk search's characters are among the site's ...
		for _, c := range chars(desk) {
			if !slices.Contains(site, c) {
				t.Errorf("%.60q: desk search has the character %q, the site has not", text, c)
			}
		}
		// ... and apart from characters both make the same terms.
		if d, s := noChars(desk), noChars(site); !slices.Equal(d, s) {
			i := 0
			for i < min(len(d), len(s)) && d[i] == s[i] {
				i++
			}
			t.Errorf("%.60q: terms differ from the %dth on\ndesk search %q\n       site %q",
				text, i, d[i:min(len(d), i+8)], s[i:min(len(s), i+8)])
		}
	}
}

func isChar(term string) bool {
	r, n := utf8.DecodeRuneInString(term)
	return n == len(term) && tokenize.IsCJK(r)
}

func chars(terms []string) []string {
	return slices.DeleteFunc(slices.Clone(terms), func(t string) bool { return !isChar(t) })
}

func noChars(terms []string) []string {
	return slices.DeleteFunc(slices.Clone(terms), isChar)
}
