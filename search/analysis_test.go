package search

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/deskhq/desk/search/tokenize"
)

// terms renders a token stream as "term@position" strings.
func terms(text string) []string {
	var out []string
	for _, tok := range NewAnalyzer().Analyze([]byte(text)) {
		out = append(out, fmt.Sprintf("%s@%d", tok.Term, tok.Position))
	}
	return out
}

func TestAnalyzer(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"chinese and english", "打印机卡纸 printer jam", []string{
			"打印@1", "印机@2", "机卡@3", "卡纸@4", "纸@5",
			"printer@6", "jam@7"}},
		{"error code", "ERP 报错 ERR_1045", []string{
			"erp@1", "报错@2", "错@3", "err_1045@4", "err@4", "1045@5"}},
		{"version", "升级到 v2.1 后无法登录", []string{
			"升级@1", "级到@2", "到@3",
			"v2.1@4", "2.1@4", "v2@4", "2@4", "1@5",
			"后无@6", "无法@7", "法登@8", "登录@9", "录@10"}},
		{"cjk glued to latin", "安装TiDB集群", []string{
			"安装@1", "装@2", "tidb@3", "集群@4", "群@5"}},
		{"one character", "卡", []string{"卡@1"}},
		// Every character starts a bigram or is a token of its own: the
		// last of each run.
		{"stemming and stop words", "The printer's printing jobs are failing", []string{
			"printer@2", "print@3", "job@4", "fail@6"}},
		{"hex code", "Error 0x0000011B when printing", []string{
			"error@1", "0x0000011b@2", "print@4"}},
		{"hyphen and dotted group", "Enable TLS-1.2 now.", []string{
			"enabl@1", "tls-1.2@2", "tls@2", "1.2@3", "1@3", "2@4", "now@5"}},
		{"sentence dot is no code", "Restart it.Reboot later", []string{
			"restart@1", "reboot@3", "later@4"}},
		{"trailing connectors dropped", "ERR_ _x -y", []string{"err@1", "x@2", "y@3"}},
		{"japanese and korean", "カタカナ 한국어", []string{
			"カタ@1", "タカ@2", "カナ@3", "ナ@4",
			"한국@5", "국어@6", "어@7"}},
		{"full-width punctuation splits", "无法登录，请重试。", []string{
			"无法@1", "法登@2", "登录@3", "录@4",
			"请重@5", "重试@6", "试@7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := terms(tt.text); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("analyze %q\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestTokenOffsets(t *testing.T) {
	text := "报错 ERR_1045：v2.1 ＴｉＤＢ"
	for _, tok := range NewTokenizer().Tokenize([]byte(text)) {
		if got := string(tokenize.FoldString(text[tok.Start:tok.End])); got != string(tok.Term) {
			t.Errorf("token %q has offsets [%d,%d) covering %q", tok.Term, tok.Start, tok.End, text[tok.Start:tok.End])
		}
	}
}
