package highlight

import (
	"bytes"
	"testing"
)

type example struct {
	name, lang, code, want string // want: the output with spans written «class:text»
}

func runExamples(t *testing.T, examples []example) {
	t.Helper()
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			got, err := render(ex.lang, []byte(ex.code))
			if err != nil {
				t.Fatal(err)
			}
			if got != ex.want {
				t.Errorf("%s %q:\n got %s\nwant %s", ex.lang, ex.code, got, ex.want)
			}
		})
	}
}

func TestWriteHTML(t *testing.T) {
	var b bytes.Buffer
	Write(&b, "sql", []byte(`SELECT '<a href="x">' & 1 > 0;`))
	want := `<span class="k">SELECT</span> <span class="s">'&lt;a href=&quot;x&quot;&gt;'</span> ` +
		`<span class="o">&amp;</span> <span class="m">1</span> <span class="o">&gt;</span> <span class="m">0</span>;`
	if b.String() != want {
		t.Errorf("got  %s\nwant %s", b.String(), want)
	}
}

func TestUnknownLanguage(t *testing.T) {
	for _, lang := range []string{"", "text", "plain", "ebnf+diagram", "mermaid", "brainfuck"} {
		var b bytes.Buffer
		if Write(&b, lang, []byte(`if x < 1 { "a" & 'b' }`)) {
			t.Errorf("Write(%q) = true, want false", lang)
		}
		if Known(lang) {
			t.Errorf("Known(%q) = true", lang)
		}
		if want := `if x &lt; 1 { &quot;a&quot; &amp; 'b' }`; b.String() != want {
			t.Errorf("Write(%q) wrote %s, want %s", lang, b.String(), want)
		}
	}
}

func TestAliases(t *testing.T) {
	for _, lang := range []string{"sh", "bash", "shell", "console", "zsh", "SQL", "MySQL", " go ", "golang",
		"python", "py", "javascript", "js", "ts", "typescript", "json", "yaml", "yml", "toml", "ini", "dotenv",
		"properties", "html", "xml", "c", "cpp", "java", "cs", "gradle"} {
		if !Known(lang) {
			t.Errorf("Known(%q) = false", lang)
		}
	}
}

func TestEmpty(t *testing.T) {
	for _, lang := range lexerLangs {
		var b bytes.Buffer
		if !Write(&b, lang, nil) || b.Len() != 0 {
			t.Errorf("%s: empty code gave %q", lang, b.String())
		}
	}
}

func TestShell(t *testing.T) {
	runExamples(t, []example{
		{"command with options and a number", "bash", "tiup cluster display -N 10 --format=json prod",
			"tiup cluster display «na:-N» «m:10» «na:--format»=json prod"},
		{"tldr placeholders, bare and quoted", "sh", "rmmod --verbose {{module_name}} '{{pattern}}' \"{{a b}}\"",
			"rmmod «na:--verbose» «ph:{{module_name}}» «s:'»«ph:{{pattern}}»«s:' \"»«ph:{{a b}}»«s:\"»"},
		{"placeholder inside a word", "sh", "cp {{path/to/file}}.bak --dir={{dir}}",
			"cp «ph:{{path/to/file}}».bak «na:--dir»=«ph:{{dir}}»"},
		{"angle placeholders", "shell", "curl http://<pd_ip>:<pd_port>/pd",
			"curl http://«ph:<pd_ip>»:«ph:<pd_port>»/pd"},
		{"unclosed braces stay plain", "sh", "echo {{x} y\necho }}",
			"«nb:echo» {{x} y\n«nb:echo» }}"},
		{"comment only at a word start", "bash", "echo a#b # note",
			"«nb:echo» a#b «c:# note»"},
		{"variables", "bash", `echo $HOME ${PATH:-/bin} $1 $? $# "$USER x"`,
			`«nb:echo» «nv:$HOME ${PATH:-/bin} $1 $? $#» «s:"»«nv:$USER»«s: x"»`},
		{"single quotes keep $ literal", "bash", `echo '$HOME'`, `«nb:echo» «s:'$HOME'»`},
		{"escaped quote in double quotes", "bash", `echo "a\"b" c`, `«nb:echo» «s:"a\"b"» c`},
		{"assignment and export", "bash", "export TIDB_PORT='4000' A=1",
			"«nb:export» «nv:TIDB_PORT»«o:=»«s:'4000'» «nv:A»«o:=»1"},
		{"assignment keeps the command position", "bash", "LANG=C sort file",
			"«nv:LANG»«o:=»C sort file"},
		{"keywords only where a command goes", "bash", "if true; then git config set x; fi",
			"«k:if» «nb:true»«o:;» «k:then» git config set x«o:;» «k:fi»"},
		{"for in do done", "bash", "for f in *.txt; do rm \"$f\"; done",
			"«k:for» f «k:in» *.txt«o:;» «k:do» rm «s:\"»«nv:$f»«s:\"»«o:;» «k:done»"},
		{"pipes and redirections", "bash", "make 2>&1 | tee log && echo ok > /dev/null",
			"make «m:2»«o:>&»«m:1» «o:|» tee log «o:&&» «nb:echo» ok «o:>» /dev/null"},
		{"command substitution", "bash", "uid=$(id -u tidb) x=`date`",
			"«nv:uid»«o:=$(»id «na:-u» tidb«o:)» «nv:x»«o:=»«s:`date`»"},
		{"ANSI-C string", "bash", `printf $'a\'b\n'`, `«nb:printf» «s:$'a\'b\n'»`},
		{"line continuation keeps the arguments", "bash", "tiup br backup full \\\n  --pd \"${PD_IP}:2379\"",
			"tiup br backup full \\\n  «na:--pd» «s:\"»«nv:${PD_IP}»«s::2379\"»"},
		{"here-document", "bash", "cat << EOF >> /etc/limits.conf\ntidb soft nofile 1000000\nEOF\necho done",
			"cat «o:<<» «s:EOF» «o:>>» /etc/limits.conf\n«s:tidb soft nofile 1000000\nEOF»\n«nb:echo» done"},
		{"here-document, quoted and indented", "bash", "cat <<-'END'\n\t$x\n\tEND\nls",
			"cat «o:<<-»«s:'END'»\n«s:\t$x\n\tEND»\nls"},
		{"here-string is not a here-document", "bash", "cat <<< \"$x\"\nls",
			"cat «o:<<<» «s:\"»«nv:$x»«s:\"»\nls"},
		{"multi-line single quotes", "bash", "curl -d '{\n  \"a\": 1\n}' url",
			"curl «na:-d» «s:'{\n  \"a\": 1\n}'» url"},
		{"unclosed quote ends at its line", "bash", "echo \"it\nls",
			"«nb:echo» «s:\"it»\nls"},
		{"session: prompts and output", "console", "$ cat test.toml\n[log]\nlevel='warning'\n$ ls -l\ntotal 0",
			"«gp:$ »cat test.toml\n«go:[log]»\n«go:level='warning'»\n«gp:$ »ls «na:-l»\n«go:total 0»"},
		{"session: continued command is not output", "console", "$ tiup bench \\\n  -H 127.0.0.1\nok",
			"«gp:$ »tiup bench \\\n  «na:-H» «m:127.0.0.1»\n«go:ok»"},
		{"subshell and brace group", "bash", "(cd /tmp && ls); { echo a; }",
			"«o:(»«nb:cd» /tmp «o:&&» ls«o:);» { «nb:echo» a«o:;» }"},
		{"case", "bash", "case $1 in\n  start) run;;\nesac",
			"«k:case» «nv:$1» «k:in»\n  start«o:)» run«o:;;»\n«k:esac»"},
	})
}

func TestSQL(t *testing.T) {
	runExamples(t, []example{
		{"statement", "sql", "SELECT id, COUNT(*) FROM t1 WHERE name LIKE 'a%' GROUP BY id LIMIT 10;",
			"«k:SELECT» id, «nf:COUNT»(«o:*») «k:FROM» t1 «k:WHERE» name «k:LIKE» «s:'a%'» «k:GROUP BY» id «k:LIMIT» «m:10»;"},
		{"keywords in any case, types, constants", "sql", "create table t (a int not null default NULL, b varchar(20));",
			"«k:create table» t (a «kt:int» «k:not» «kc:null» «k:default» «kc:NULL», b «kt:varchar»(«m:20»));"},
		{"strings: doubled quote, backslash, double quotes", "mysql", `SELECT 'it''s', 'a\'b', "x";`,
			`«k:SELECT» «s:'it''s'», «s:'a\'b'», «s:"x"»;`},
		{"backquoted names are names", "sql", "SELECT `select`, `a``b` FROM `t`",
			"«k:SELECT» `select`, `a``b` «k:FROM» `t`"},
		{"qualified names are not keywords", "sql", "SELECT user.name FROM mysql.user",
			"«k:SELECT» user.name «k:FROM» mysql.user"},
		{"comments", "sql", "-- one\nSELECT 1 # two\n/* three\nfour */ /*T![placement] PLACEMENT POLICY=p1 */",
			"«c:-- one»\n«k:SELECT» «m:1» «c:# two»\n«c:/* three\nfour */ /*T![placement] PLACEMENT POLICY=p1 */»"},
		{"variables", "sql", "SET @a := 1; SELECT @@global.tidb_gc_enable, @@tidb_mem_quota_query;",
			"«k:SET» «nv:@a» «o::=» «m:1»; «k:SELECT» «nv:@@global.tidb_gc_enable», «nv:@@tidb_mem_quota_query»;"},
		{"numbers", "sql", "SELECT 1.5, .5, 1e10, 2e-3, 0x1F, t1.c2",
			"«k:SELECT» «m:1.5», «m:.5», «m:1e10», «m:2e-3», «m:0x1F», t1.c2"},
		{"client prompts", "sql", "mysql> SELECT 1\n    -> FROM dual;\nMySQL [test]> show warnings;",
			"«gp:mysql> »«k:SELECT» «m:1»\n    «gp:-> »«k:FROM» dual;\n«gp:MySQL [test]> »«k:show warnings»;"},
		{"result table and status lines are output", "sql",
			"+----+\n| id |\n+----+\n|  1 |\n+----+\n1 row in set (0.00 sec)\nQuery OK, 0 rows affected (0.02 sec)\nERROR 1105 (HY000): x",
			"«go:+----+»\n«go:| id |»\n«go:+----+»\n«go:|  1 |»\n«go:+----+»\n«go:1 row in set (0.00 sec)»\n«go:Query OK, 0 rows affected (0.02 sec)»\n«go:ERROR 1105 (HY000): x»"},
		{"a table before ( is not a function", "sql", "INSERT INTO items(id) VALUES (1); CREATE TABLE t(a INT REFERENCES d(id))",
			"«k:INSERT INTO» items(id) «k:VALUES» («m:1»); «k:CREATE TABLE» t(a «kt:INT» «k:REFERENCES» d(id))"},
		{"unterminated string runs to the end", "sql", "SELECT 'abc\nFROM t", "«k:SELECT» «s:'abc\nFROM t»"},
		{"unterminated comment runs to the end", "sql", "SELECT /* abc\nFROM t", "«k:SELECT» «c:/* abc\nFROM t»"},
	})
}

func TestGo(t *testing.T) {
	runExamples(t, []example{
		{"function", "go", "func (r *T) Name(s string) error {\n\treturn nil // none\n}",
			"«k:func» (r «o:*»T) «nf:Name»(s «kt:string») «kt:error» {\n\t«k:return» «kc:nil» «c:// none»\n}"},
		{"strings, runes, raw strings", "go", "x := \"a\\\"b\" + 'c' + `raw\n\"q\"`",
			"x «o::=» «s:\"a\\\"b\"» «o:+» «s:'c'» «o:+» «s:`raw\n\"q\"`»"},
		{"calls and builtins", "golang", "n := len(fmt.Sprintf(\"%d\", 0x1f))",
			"n «o::=» «nb:len»(fmt.«nf:Sprintf»(«s:\"%d\"», «m:0x1f»))"},
		{"a field named like a keyword", "go", "x.type = 1", "x.type «o:=» «m:1»"},
		{"block comment", "go", "/* a\nb */ package main", "«c:/* a\nb */» «k:package» main"},
	})
}

func TestPython(t *testing.T) {
	runExamples(t, []example{
		{"def and class", "python", "class Chunk(TableModel):\n    def f(self, x=None):\n        return True",
			"«k:class» «nf:Chunk»(TableModel):\n    «k:def» «nf:f»(«nb:self», x«o:=»«kc:None»):\n        «k:return» «kc:True»"},
		{"prefixed and triple-quoted strings", "py", "s = r'\\d' + f\"{x}\" + \"\"\"a\n\"b\"\n\"\"\"",
			"s «o:=» «s:r'\\d'» «o:+» «s:f\"{x}\"» «o:+» «s:\"\"\"a\n\"b\"\n\"\"\"»"},
		{"decorator and comment", "python", "@app.route('/')  # home\ndef home(): pass",
			"«nd:@app».«nf:route»(«s:'/'»)  «c:# home»\n«k:def» «nf:home»(): «k:pass»"},
		{"builtin call and numbers", "python", "print(len(x), 1_000, 3.5e-2, 2j)",
			"«nb:print»(«nb:len»(x), «m:1_000», «m:3.5e-2», «m:2j»)"},
	})
}

func TestJavaScript(t *testing.T) {
	runExamples(t, []example{
		{"module", "js", "import { a } from 'b'\nconst f = async (x) => await g(x) // c",
			"«k:import» { a } «k:from» «s:'b'»\n«k:const» f «o:=» «k:async» (x) «o:=>» «k:await» «nf:g»(x) «c:// c»"},
		{"template string and constants", "javascript", "let s = `a ${b}\nc`, n = null, u = undefined",
			"«k:let» s «o:=» «s:`a ${b}\nc`», n «o:=» «kc:null», u «o:=» «kc:undefined»"},
		{"typescript types", "ts", "interface P { id: number; name?: string }",
			"«k:interface» «nf:P» { id: «kt:number»; name«o:?»: «kt:string» }"},
		{"json keys, values, negative numbers", "json", `{"a": "b", "n": -1.5e3, "t": [true, null]}`,
			`{«nt:"a"»: «s:"b"», «nt:"n"»: «m:-1.5e3», «nt:"t"»: [«kc:true», «kc:null»]}`},
		{"json key before a blank and colon", "json", "{\"a\" : 1}", "{«nt:\"a\"» : «m:1»}"},
	})
}

func TestCFamily(t *testing.T) {
	runExamples(t, []example{
		{"c preprocessor", "c", "#include <stdio.h>\nint main(void) {\n  printf(\"hi\\n\");\n}",
			"«cp:#include <stdio.h>»\n«kt:int» «nf:main»(«kt:void») {\n  «nf:printf»(«s:\"hi\\n\"»);\n}"},
		{"continued macro", "cpp", "#define X(a) \\\n  (a)\nclass A : public B {};",
			"«cp:#define X(a) \\\n  (a)»\n«k:class» «nf:A» : «k:public» B {};"},
		{"java annotation", "java", "@Override\npublic String toString() { return \"\"; }",
			"«nd:@Override»\n«k:public» String «nf:toString»() { «k:return» «s:\"\"»; }"},
		{"gradle", "gradle", "implementation 'mysql:mysql-connector-java:8.0.28'",
			"implementation «s:'mysql:mysql-connector-java:8.0.28'»"},
		{"c#", "cs", "using var conn = new MySqlConnection(s);",
			"«k:using var» conn «o:=» «k:new» «nf:MySqlConnection»(s);"},
	})
}

func TestYAML(t *testing.T) {
	runExamples(t, []example{
		{"keys and scalars", "yaml", "server-id: 101 # note\nname: \"a: b\"\nok: true\nnone: ~\nip: 10.0.1.4",
			"«nt:server-id»: «m:101» «c:# note»\n«nt:name»: «s:\"a: b\"»\n«nt:ok»: «kc:true»\n«nt:none»: «kc:~»\n«nt:ip»: 10.0.1.4"},
		{"sequences", "yml", "tidb_servers:\n  - host: 10.0.1.5\n    port: 4000\n  - plain text",
			"«nt:tidb_servers»:\n  «o:-» «nt:host»: 10.0.1.5\n    «nt:port»: «m:4000»\n  «o:-» plain text"},
		{"block scalar", "yaml", "run: |\n  echo a: b\n  # not a comment\n\nnext: 1",
			"«nt:run»: «o:|»\n«s:  echo a: b»\n«s:  # not a comment»\n\n«nt:next»: «m:1»"},
		{"anchors, aliases, tags, flow", "yaml", "base: &b {a: 1, 'c': [x, y]}\nuse: *b\nv: !!str 1",
			"«nt:base»: «nv:&b» {«nt:a»: «m:1», «nt:'c'»: [x, y]}\n«nt:use»: «nv:*b»\n«nt:v»: «kt:!!str» «m:1»"},
		{"document marker and url values", "yaml", "---\nurl: http://x:80/a\n'quoted key': v",
			"«o:---»\n«nt:url»: http://x:80/a\n«nt:'quoted key'»: v"},
	})
}

func TestConfig(t *testing.T) {
	runExamples(t, []example{
		{"toml tables, keys and values", "toml", "[sink.csv]\ndelimiter = ',' # c\nquote = '\"'\nn = 3_000\nt = 1979-05-27T07:32:00Z\n[[arr]]\nok = false",
			"«k:[sink.csv]»\n«nt:delimiter» «o:=» «s:','» «c:# c»\n«nt:quote» «o:=» «s:'\"'»\n«nt:n» «o:=» «m:3_000»\n«nt:t» «o:=» «m:1979-05-27T07:32:00Z»\n«k:[[arr]]»\n«nt:ok» «o:=» «kc:false»"},
		{"toml arrays over lines and inline tables", "toml", "a = [\n  \"x\",\n  1,\n]\nb = { c = 1, \"d\" = 'e' }",
			"«nt:a» «o:=» [\n  «s:\"x\"»,\n  «m:1»,\n]\n«nt:b» «o:=» { «nt:c» «o:=» «m:1», «nt:\"d\"» «o:=» «s:'e'» }"},
		{"toml multi-line strings", "toml", "s = \"\"\"\na \"b\"\n\"\"\"\nl = '''x'''",
			"«nt:s» «o:=» «s:\"\"\"\na \"b\"\n\"\"\"»\n«nt:l» «o:=» «s:'''x'''»"},
		{"toml array left open", "toml", "a = [1,\nb = 2\n[t]", "«nt:a» «o:=» [«m:1»,\n«nt:b» «o:=» «m:2»\n«k:[t]»"},
		{"ini", "ini", "; comment\n[section]\nkey = value ; note\nport=3306\nflag = yes\nname = \"x y\"",
			"«c:; comment»\n«k:[section]»\n«nt:key» «o:=» value «c:; note»\n«nt:port»«o:=»«m:3306»\n«nt:flag» «o:=» «kc:yes»\n«nt:name» «o:=» «s:\"x y\"»"},
		{"dotenv", "dotenv", "# db\nexport TIDB_HOST='{host}'\nTIDB_PORT=4000\nURL=mysql://u:p@h:4000/db?ssl=true",
			"«c:# db»\n«k:export» «nt:TIDB_HOST»«o:=»«s:'{host}'»\n«nt:TIDB_PORT»«o:=»«m:4000»\n«nt:URL»«o:=»mysql://u:p@h:4000/db?ssl=true"},
		{"properties", "properties", "a.b: c\n! note", "«nt:a.b»«o::» c\n«c:! note»"},
	})
}

func TestMarkup(t *testing.T) {
	runExamples(t, []example{
		{"xml", "xml", "<?xml version=\"1.0\"?>\n<dependency scope=test>\n  <version>8.0</version>\n</dependency>",
			"«cp:<?xml version=\"1.0\"?>»\n<«nt:dependency» «na:scope»«o:=»«s:test»>\n  <«nt:version»>8.0</«nt:version»>\n</«nt:dependency»>"},
		{"html comment, doctype, entity, self-closing", "html", "<!DOCTYPE html><!-- c --><br/><a href='x' hidden>&amp;</a>",
			"«cp:<!DOCTYPE html>»«c:<!-- c -->»<«nt:br»/><«nt:a» «na:href»«o:=»«s:'x'» «na:hidden»>&amp;</«nt:a»>"},
		{"script content is javascript", "html", "<script>let a = \"</b>\";</script><p>let</p>",
			"<«nt:script»>«k:let» a «o:=» «s:\"</b>\"»;</«nt:script»><«nt:p»>let</«nt:p»>"},
		{"cdata and stray <", "xml", "<a><![CDATA[<x>]]> 1 < 2</a>",
			"<«nt:a»>«s:<![CDATA[<x>]]>» 1 < 2</«nt:a»>"},
		{"unclosed tag", "html", "<a href=\"x\n<b>", "<«nt:a» «na:href»«o:=»«s:\"x\n<b>»"},
	})
}

// TestSpanMerging shows that neighbouring tokens of one class share a span, across blanks
// but not across other text.
func TestSpanMerging(t *testing.T) {
	runExamples(t, []example{
		{"keywords across blanks", "sql", "ORDER  BY\tx", "«k:ORDER  BY»\tx"},
		{"not across a newline", "sql", "ORDER\nBY", "«k:ORDER»\n«k:BY»"},
		{"trailing blanks stay outside", "sql", "SELECT  ", "«k:SELECT»  "},
	})
}
