package sitesearch

import (
	"reflect"
	"testing"

	"github.com/deskhq/desk/search/tokenize"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"chinese characters and bigrams", "打印机卡纸", []string{
			"打", "打印", "印", "印机", "机", "机卡", "卡", "卡纸", "纸"}},
		{"one character", "卡", []string{"卡"}},
		{"chinese and english", "打印 printer jam", []string{"打", "打印", "印", "printer", "jam"}},
		{"cjk glued to latin", "安装TiDB集群", []string{"安", "安装", "装", "tidb", "集", "集群", "群"}},
		{"full-width punctuation splits", "无法登录，请重试。", []string{
			"无", "无法", "法", "法登", "登", "登录", "录", "请", "请重", "重", "重试", "试"}},
		{"japanese and korean", "カナ 한국", []string{"カ", "カナ", "ナ", "한", "한국", "국"}},
		{"stemming and stop words", "The printer's printing jobs are failing", []string{
			"printer", "print", "job", "fail"}},
		{"one stem for a word's forms", "caches caching cached cache", []string{"cach", "cach", "cach", "cach"}},
		{"error code whole and in parts", "ERP 报错 ERR_1045", []string{
			"erp", "报", "报错", "错", "err_1045", "err", "1045"}},
		{"version", "v2.1", []string{"v2.1", "2.1", "v2", "2", "1"}},
		{"hex code not stemmed", "Error 0x0000011B when printing", []string{
			"error", "0x0000011b", "print"}},
		{"hyphen and dotted group", "TLS-1.2", []string{"tls-1.2", "tls", "1.2", "1", "2"}},
		{"version inside a code", "tidb-v7.5", []string{"tidb-v7.5", "tidb", "v7.5", "7.5", "v7", "7", "5"}},
		{"code parts stemmed", "tidb_enable_fast_create_table", []string{
			"tidb_enable_fast_create_table", "tidb", "enabl", "fast", "creat", "tabl"}},
		{"sentence dot is no code", "Restart it.Reboot later", []string{"restart", "reboot", "later"}},
		{"trailing connectors dropped", "ERR_ _x -y", []string{"err", "x", "y"}},
		{"full-width ascii folded", "ＴｉＤＢ　ｖ２．１ ＥＲＲ＿１０４５", []string{
			"tidb", "v2.1", "2.1", "v2", "2", "1", "err_1045", "err", "1045"}},
		{"apostrophes", "O'Reilly O’Neil’s don't don’t", []string{"o'reilly", "o’neil"}},
		{"placeholder braces are punctuation", "tar {{path/to/file}}", []string{"tar", "path", "file"}},
		{"nothing to index", "~ -- !!", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Tokens(tt.text); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tokens(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestTokensLongWord(t *testing.T) {
	long := "x"
	for len(long) <= tokenize.MaxTermLen {
		long += "x"
	}
	if got := Tokens(long + " ok"); !reflect.DeepEqual(got, []string{"ok"}) {
		t.Errorf("a word longer than %d characters: got %q, want only [ok]", tokenize.MaxTermLen, got)
	}
	if got := Tokens("id_" + long); !reflect.DeepEqual(got, []string{"id"}) {
		t.Errorf("a code with a long part: got %q, want [id]", got)
	}
}
