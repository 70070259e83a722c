package tokenize

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// render gives each token as term@position, with its kind when it is not a
// word: c (CJK character), b (bigram), w (code whole), p (code part).
func render(toks []Token) []string {
	var out []string
	for _, t := range toks {
		s := fmt.Sprintf("%s@%d", t.Term, t.Position)
		switch t.Kind {
		case CJKChar:
			s += "c"
		case CJKBigram:
			s += "b"
		case CodeWhole:
			s += "w"
		case CodePart:
			s += "p"
		}
		out = append(out, s)
	}
	return out
}

var (
	body  = Options{Mode: Body}
	every = Options{Mode: Body, Chars: EveryChar}
	title = Options{Mode: Title}
	query = Options{Mode: Query}
)

func TestTokens(t *testing.T) {
	tests := []struct {
		name, text string
		opt        Options
		want       []string
	}{
		{"chinese: bigrams and the last character", "打印机卡纸", body, []string{
			"打印@1b", "印机@2b", "机卡@3b", "卡纸@4b", "纸@5c"}},
		{"chinese: every character", "打印机卡纸", every, []string{
			"打@1c", "打印@1b", "印@2c", "印机@2b", "机@3c", "机卡@3b", "卡@4c", "卡纸@4b", "纸@5c"}},
		{"chinese: query bigrams only", "打印机卡纸", query, []string{
			"打印@1b", "印机@2b", "机卡@3b", "卡纸@4b"}},
		{"one character", "卡", body, []string{"卡@1c"}},
		{"one character, query", "卡", query, []string{"卡@1c"}},
		{"japanese and korean", "カタカナ 한국어", body, []string{
			"カタ@1b", "タカ@2b", "カナ@3b", "ナ@4c", "한국@5b", "국어@6b", "어@7c"}},
		{"english: stop words and stems", "The printer's printing jobs are failing", body, []string{
			"printer@2", "print@3", "job@4", "fail@6"}},
		{"title keeps stop words", "The printer's printing jobs are failing", title, []string{
			"the@1", "printer@2", "print@3", "job@4", "are@5", "fail@6"}},
		{"query drops stop words", "how to reset my password", query, []string{"reset@3", "password@5"}},
		{"one stem for a word's forms", "caches caching cached cache", body, []string{
			"cach@1", "cach@2", "cach@3", "cach@4"}},
		{"mixed", "安装TiDB集群 failed", body, []string{
			"安装@1b", "装@2c", "tidb@3", "集群@4b", "群@5c", "fail@6"}},
		{"error code whole and in parts", "ERP 报错 ERR_1045", body, []string{
			"erp@1", "报错@2b", "错@3c", "err_1045@4w", "err@4p", "1045@5p"}},
		{"code parts stemmed", "tidb_enable_fast_create_table", body, []string{
			"tidb_enable_fast_create_table@1w", "tidb@1p", "enabl@2p", "fast@3p", "creat@4p", "tabl@5p"}},
		{"version", "升级到 v2.1 后", body, []string{
			"升级@1b", "级到@2b", "到@3c", "v2.1@4w", "2.1@4w", "v2@4p", "2@4p", "1@5p", "后@6c"}},
		{"long version", "v7.5.5", body, []string{"v7.5.5@1w", "7.5.5@1w", "v7@1p", "7@1p", "5@2p", "5@3p"}},
		{"version inside a code", "tidb-v7.5", body, []string{
			"tidb-v7.5@1w", "tidb@1p", "v7.5@2w", "7.5@2w", "v7@2p", "7@2p", "5@3p"}},
		{"hyphen and dotted group", "Enable TLS-1.2 now.", body, []string{
			"enabl@1", "tls-1.2@2w", "tls@2p", "1.2@3w", "1@3p", "2@4p", "now@5"}},
		{"hex code not stemmed", "Error 0x0000011B when printing", body, []string{
			"error@1", "0x0000011b@2", "print@4"}},
		{"sentence dot is no code", "Restart it.Reboot later", body, []string{
			"restart@1", "reboot@3", "later@4"}},
		{"trailing connectors dropped", "ERR_ _x -y", body, []string{"err@1", "x@2", "y@3"}},
		{"full-width folded", "ＴｉＤＢ　ｖ２．１ ＥＲＲ＿１０４５", body, []string{
			"tidb@1", "v2.1@2w", "2.1@2w", "v2@2p", "2@2p", "1@3p", "err_1045@4w", "err@4p", "1045@5p"}},
		{"full-width punctuation splits", "无法登录，请重试。", body, []string{
			"无法@1b", "法登@2b", "登录@3b", "录@4c", "请重@5b", "重试@6b", "试@7c"}},
		{"possessives", "Alice's O’Neil’s boss's", body, []string{"alic@1", "o’neil@2", "boss@3"}},
		{"apostrophes", "O'Reilly don't don’t rock'", body, []string{"o'reilly@1", "rock@4"}},
		{"nothing to index", "~ -- !!", body, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(Tokens(tt.text, tt.opt)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tokens(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestLongTerms(t *testing.T) {
	long := strings.Repeat("x", MaxTermLen+1)
	if got := Terms(long+" ok", body); !reflect.DeepEqual(got, []string{"ok"}) {
		t.Errorf("a word longer than %d characters: got %q, want only [ok]", MaxTermLen, got)
	}
	if got := Terms("id_"+long, body); !reflect.DeepEqual(got, []string{"id"}) {
		t.Errorf("a code with a long part: got %q, want [id]", got)
	}
	exact := strings.Repeat("z", MaxTermLen)
	if got := Terms(exact, body); !reflect.DeepEqual(got, []string{exact}) {
		t.Errorf("a word of %d characters: got %q", MaxTermLen, got)
	}
}

// TestOffsets: each token's bytes of the text as given fold to its term
// before stemming, whatever folding did to the byte lengths (full-width
// letters, the Kelvin sign, İ).
func TestOffsets(t *testing.T) {
	texts := []string{
		"报错 ERR_1045：v2.1",
		"ＴｉＤＢ　ｖ２．１ ＥＲＲ＿１０４５ 安装ＴｉＤＢ集群",
		"The printer's printing jobs, O’Neil’s caches",
		"Temperature 300\u212a (300 \u212a) İstanbul ÅNGSTRÖM",
		"tidb-v7.5.5 tidb_enable_fast_create_table TLS-1.2",
		"カタカナ 한국어 打印机卡纸",
		"bad \xff utf-8 ok",
	}
	for _, text := range texts {
		for _, opt := range []Options{body, every, title, query} {
			for _, tok := range Tokens(text, opt) {
				surface := string(FoldString(text[tok.Start:tok.End]))
				want := surface
				if tok.Kind == Word || tok.Kind == CodePart {
					want = WordTerm([]rune(surface), true)
				}
				if tok.Term != want {
					t.Errorf("%q: token %q [%d,%d) covers %q, which gives %q",
						text, tok.Term, tok.Start, tok.End, text[tok.Start:tok.End], want)
				}
			}
		}
	}
}

func TestStem(t *testing.T) {
	// Porter's examples for steps 1a to 1c, then step 5a.
	tests := map[string]string{
		"caresses": "caress", "ponies": "poni", "ties": "ti", "caress": "caress", "cats": "cat",
		"feed": "feed", "agreed": "agre", "plastered": "plaster", "bled": "bled", "motoring": "motor",
		"sing": "sing", "conflated": "conflat", "troubled": "troubl", "sized": "size", "hopping": "hop",
		"tanned": "tan", "falling": "fall", "hissing": "hiss", "fizzed": "fizz", "failing": "fail",
		"filing": "file", "happy": "happi", "sky": "sky", "make": "make", "making": "make",
		"configure": "configur", "configured": "configur", "policies": "polici", "policy": "polici",
		"ab": "ab", "über": "über", "x86": "x86",
		// Step 1a as Porter2: no s dropped after u, or without a vowel
		// before the letter before it.
		"status": "status", "statuses": "status", "gas": "gas", "tls": "tls", "https": "https",
		"keys": "kei", "key": "kei", "apis": "api",
	}
	for w, want := range tests {
		if got := Stem(w); got != want {
			t.Errorf("Stem(%q) = %q, want %q", w, got, want)
		}
	}
}
