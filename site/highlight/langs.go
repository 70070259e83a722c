package highlight

import "strings"

// words builds a word table from space-separated lists, one per class.
func words(lists map[class]string) map[string]class {
	m := map[string]class{}
	for cls, l := range lists {
		for _, w := range strings.Fields(l) {
			m[w] = cls
		}
	}
	return m
}

// with returns a copy of base with the words of extra added.
func with(base map[string]class, extra map[class]string) map[string]class {
	m := words(extra)
	for w, c := range base {
		if _, ok := m[w]; !ok {
			m[w] = c
		}
	}
	return m
}

func set(l string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(l) {
		m[w] = true
	}
	return m
}

var (
	dq  = quote{ch: '"', cls: str, esc: true}
	sq  = quote{ch: '\'', cls: str, esc: true}
	cOp = "=+-*/%<>!&|^~?"
)

// sqlSpec covers MySQL and TiDB statements as the knowledge base writes them, with client
// prompts and result tables; other dialects share most of it.
var sqlSpec = &codeSpec{
	words: words(map[class]string{
		keyword: `select from where and or not in is like between exists as on join inner outer left
			right cross full natural using group by order having limit offset union all distinct insert
			into values value update set delete create alter drop table tables database databases schema
			index view if replace truncate rename add column columns modify change primary key keys
			foreign references unique check default constraint auto_increment auto_random comment engine
			charset character collate show variables global session explain analyze describe desc asc
			use grant grants revoke to identified user role privileges with recursive case when then else
			end begin commit rollback start transaction savepoint lock unlock for share partition
			partitions range hash less than maxvalue over window rows preceding following unbounded
			current row returns return function procedure trigger declare call do load data infile
			fields terminated lines optionally enclosed escaped ignore duplicate kill flush admin backup
			restore import placement policy binding bindings split region regions resource tiflash
			replica stats sequence prepare execute deallocate interval any some except intersect after
			before while loop repeat leave iterate temporary unsigned zerofill generated always stored
			virtual clustered nonclustered cascade restrict isolation level read write committed
			uncommitted repeatable serializable optimistic pessimistic trace separator escape div mod
			xor regexp rlike binary collation processlist warnings errors engines password require
			straight_join force cast convert of natural lateral returning conflict nothing matched
			merge materialized vacuum pragma`,
		typ: `int integer tinyint smallint mediumint bigint decimal numeric float double real bit bool
			boolean char varchar varbinary text tinytext mediumtext longtext blob tinyblob mediumblob
			longblob date time datetime timestamp year json enum vector serial uuid geometry point
			jsonb bytea`,
		constant: `null true false unknown`,
	}),
	fold:       true,
	line:       []string{"--", "#"},
	block:      [2]string{"/*", "*/"},
	quotes:     []quote{{ch: '\'', cls: str, esc: true, multi: true, doubled: true}, {ch: '"', cls: str, esc: true, multi: true, doubled: true}, {ch: '`', doubled: true}},
	calls:      true,
	tables:     set("into table references index on exists view"),
	at:         variable,
	atAt:       true,
	identExtra: "$",
	ops:        "=<>!+-*/%&|^~:",
	console:    true,
	qualified:  true,
}

var goSpec = &codeSpec{
	words: words(map[class]string{
		keyword: `break case chan const continue default defer else fallthrough for func go goto if
			import interface map package range return select struct switch type var`,
		typ: `bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune
			string uint uint8 uint16 uint32 uint64 uintptr any comparable`,
		constant: `true false nil iota`,
		builtin:  `append cap clear close complex copy delete imag len make max min new panic print println real recover`,
	}),
	line:   []string{"//"},
	block:  [2]string{"/*", "*/"},
	quotes: []quote{dq, sq, {ch: '`', cls: str, multi: true}},
	defs:   set("func"),
	calls:  true,
	ops:    "=+-*/%<>!&|^",
}

var pythonSpec = &codeSpec{
	words: words(map[class]string{
		keyword: `and as assert async await break class continue def del elif else except finally for
			from global if import in is lambda nonlocal not or pass raise return try while with yield`,
		constant: `True False None`,
		builtin: `print len range open int str float bool list dict set tuple bytes object type
			isinstance enumerate zip map filter sorted sum min max abs any all super input repr
			format iter next getattr setattr hasattr self cls Exception ValueError TypeError KeyError`,
	}),
	line:     []string{"#"},
	quotes:   []quote{dq, sq},
	triple:   true,
	prefixes: "rbfu",
	defs:     set("def class"),
	calls:    true,
	at:       decorator,
	ops:      "=+-*/%<>!&|^~@",
}

var jsWords = words(map[class]string{
	keyword: `break case catch class const continue debugger default delete do else export extends
		finally for function if import in instanceof let new return super switch this throw try
		typeof var void while with yield async await of static from as`,
	constant: `true false null undefined NaN Infinity`,
	builtin:  `console JSON Math Object Array Promise String Number Boolean Date Error Map Set require module exports process window document`,
})

var jsSpec = &codeSpec{
	words:      jsWords,
	line:       []string{"//"},
	block:      [2]string{"/*", "*/"},
	quotes:     []quote{dq, sq, {ch: '`', cls: str, esc: true, multi: true}},
	defs:       set("function class"),
	calls:      true,
	identExtra: "$",
	ops:        cOp,
}

var tsSpec = &codeSpec{
	words: with(jsWords, map[class]string{
		keyword: `interface type enum implements namespace declare abstract private protected public
			readonly as keyof satisfies is infer`,
		typ: `string number boolean any unknown never void object bigint symbol`,
	}),
	line:       []string{"//"},
	block:      [2]string{"/*", "*/"},
	quotes:     jsSpec.quotes,
	defs:       set("function class interface type enum"),
	calls:      true,
	at:         decorator,
	identExtra: "$",
	ops:        cOp,
}

// jsonSpec also accepts the comments of JSONC and JSON5.
var jsonSpec = &codeSpec{
	words:  words(map[class]string{constant: `true false null`}),
	line:   []string{"//"},
	block:  [2]string{"/*", "*/"},
	quotes: []quote{dq, sq},
	keys:   true,
	signed: true,
}

var cWords = map[class]string{
	keyword: `auto break case const continue default do else enum extern for goto if inline register
		restrict return sizeof static struct switch typedef union volatile while`,
	typ: `char double float int long short signed unsigned void size_t ssize_t int8_t int16_t int32_t
		int64_t uint8_t uint16_t uint32_t uint64_t bool _Bool FILE`,
	constant: `NULL true false`,
}

var cSpec = &codeSpec{
	words:  words(cWords),
	line:   []string{"//"},
	block:  [2]string{"/*", "*/"},
	quotes: []quote{dq, sq},
	defs:   set("struct union enum"),
	calls:  true,
	hash:   true,
	ops:    cOp,
}

var cppSpec = &codeSpec{
	words: with(words(cWords), map[class]string{
		keyword: `class namespace template typename public private protected virtual override new
			delete this throw try catch using operator friend explicit constexpr auto decltype
			noexcept static_cast dynamic_cast reinterpret_cast const_cast mutable final`,
		typ:      `wchar_t char16_t char32_t`,
		constant: `nullptr`,
	}),
	line:   []string{"//"},
	block:  [2]string{"/*", "*/"},
	quotes: []quote{dq, sq},
	defs:   set("class struct union enum namespace"),
	calls:  true,
	hash:   true,
	ops:    cOp,
}

var javaWords = map[class]string{
	keyword: `abstract assert break case catch class continue default do else enum extends final
		finally for if implements import instanceof interface native new package private protected
		public return static strictfp super switch synchronized this throw throws transient try
		volatile while var record yield sealed permits`,
	typ:      `boolean byte char double float int long short void`,
	constant: `true false null`,
}

var javaSpec = &codeSpec{
	words:  words(javaWords),
	line:   []string{"//"},
	block:  [2]string{"/*", "*/"},
	quotes: []quote{dq, sq},
	triple: true,
	defs:   set("class interface enum record"),
	calls:  true,
	at:     decorator,
	ops:    cOp,
}

// groovySpec serves Gradle build scripts too.
var groovySpec = &codeSpec{
	words:  with(words(javaWords), map[class]string{keyword: `def in as trait`}),
	line:   []string{"//"},
	block:  [2]string{"/*", "*/"},
	quotes: []quote{dq, sq},
	triple: true,
	defs:   set("class interface enum trait"),
	calls:  true,
	at:     decorator,
	ops:    cOp,
}

var csharpSpec = &codeSpec{
	words: words(map[class]string{
		keyword: `abstract as base break case catch checked class const continue default delegate do
			else enum event explicit extern finally fixed for foreach goto if implicit in interface
			internal is lock namespace new operator out override params private protected public
			readonly ref return sealed sizeof stackalloc static struct switch this throw try typeof
			unchecked unsafe using virtual volatile while var async await partial record get set
			init where`,
		typ: `bool byte char decimal double float int long object sbyte short string uint ulong
			ushort void dynamic`,
		constant: `true false null`,
	}),
	line:   []string{"//"},
	block:  [2]string{"/*", "*/"},
	quotes: []quote{dq, sq},
	triple: true,
	defs:   set("class interface enum struct record"),
	calls:  true,
	at:     decorator,
	ops:    cOp,
}
