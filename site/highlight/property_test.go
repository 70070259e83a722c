package highlight

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// pieces are fragments that open, close or break tokens in some language; random code made
// of them reaches the unusual paths: unterminated strings and comments, heredocs without an
// end, placeholders cut by a newline, invalid UTF-8.
var pieces = []string{
	"\n", " ", "\t", "\r\n", "\\", "\\\n", "'", "\"", "`", "''", "\"\"\"", "'''", "#", "--", "//", "/*", "*/",
	"<!--", "-->", "<", ">", "</", "/>", "&", "&amp;", "<<", "<<EOF\n", "<<-'X'", "\nEOF\n", "\tX", "<<<",
	"{{", "}}", "{", "}", "[", "]", "[[", "]]", "(", ")", "$", "${", "$(", "$'", "$1", "$ ", "\n$ ", "@", "@@",
	"=", ":", ": ", "- ", "|", "|\n", ">-", "&&", ";", ",", ".", "-x", "--opt=", "0x1F", "1e", "1.5", "-2",
	"select", "SELECT", "from", "if", "fi", "then", "for", "in", "do", "def", "func", "class", "true", "null",
	"mysql> ", "    -> ", "+---+", "| a |", "1 row in set", "Query OK", "ERROR ", "<script>", "</script>",
	"<style>", "<a b=", "<?", "?>", "<![CDATA[", "]]>", "<!D", "x", "name", "key", "é", "中文", "\xff", "\xe4\xb8",
	"\x00", "r\"", "f'", "&b", "*b", "!!str", "---", "%YAML", "export ", "[sec]", "<pd_ip>", "<a-b",
}

func randomCode(r *rand.Rand) []byte {
	var b bytes.Buffer
	for n := r.IntN(40); n > 0; n-- {
		if r.IntN(8) == 0 {
			b.WriteByte(byte(r.IntN(256)))
		} else {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
	}
	return b.Bytes()
}

// TestRandomCode checks on random code in every language that the output is well formed
// and gives back the input, byte for byte.
func TestRandomCode(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		code := randomCode(r)
		for _, lang := range lexerLangs {
			if _, err := render(lang, code); err != nil {
				t.Fatalf("%s %q: %v", lang, code, err)
			}
		}
	}
}

// TestHugeInput checks that long unbalanced input takes linear time: a lexer that searched
// to the end for each unclosed quote or placeholder would not finish 256 KiB of them in time.
func TestHugeInput(t *testing.T) {
	for _, unit := range []string{"\"a'", "{{a ", "'x\n", "<a ", "$'", "${", "/*", "<<EOF\n", "\"\\", "[a\n", "\"\"\"", "<x y='"} {
		code := bytes.Repeat([]byte(unit), 1<<18/len(unit))
		for _, lang := range lexerLangs {
			if _, err := render(lang, code); err != nil {
				t.Fatalf("%s %q...: %v", lang, unit, err)
			}
		}
	}
}

func FuzzWrite(f *testing.F) {
	seeds := []string{
		"SELECT 'a''b', `c` FROM t -- x\nmysql> SELECT 1;\n+--+\n",
		"$ echo \"$HOME ${A:-b}\" {{path}} <<EOF\nbody\nEOF\n$ ls\nout",
		"cat <<-'E'\n\tx\n\tE\nfor f in *; do echo $'a\\'b'; done # c",
		"def f(x=r'\\d'):\n    \"\"\"doc\n\"\"\"\n@dec\nclass A: pass",
		"{\"a\": [1, -2.5e3, true, null], \"b\": {\"c\": \"d\"}}",
		"key: &a {b: [1, 'c']}\nrun: |\n  x: y\n--- !!str\n- - z # c",
		"[t]\na = [\n  \"x\",\n]\nb = { c = '''y''' }\n; ini\n[s]\nk = v # c",
		"<?xml?><!DOCTYPE x><a b=\"c\" d=e/><!-- c --><script>let x = '</a>'</script><![CDATA[<]]>",
		"#include <x.h>\nint main() { /* c */ return 0x1F; }\n@Override public void f() {}",
		"\xff\xfe\x00<&>\"'",
	}
	for i, s := range seeds {
		f.Add([]byte(s), uint8(i))
	}
	f.Fuzz(func(t *testing.T, code []byte, lang uint8) {
		l := lexerLangs[int(lang)%len(lexerLangs)]
		if _, err := render(l, code); err != nil {
			t.Fatalf("%s %q: %v", l, code, err)
		}
	})
}
