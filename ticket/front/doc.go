// Package front reads and edits the front matter of desk's files textually.
//
// A desk ticket or knowledge-base article is a "file": an optional UTF-8
// byte-order mark, a line that is exactly +++, the "front matter" (TOML text),
// another line that is exactly +++ (the "closing line"; the first such line
// after line 1 closes the front matter, whatever follows), then the "body"
// (Markdown). CRLF line ends are accepted on read; everything this package
// returns and writes uses LF, and the byte-order mark is dropped.
//
// Parse checks the layout, UTF-8 and NUL bytes and validates the front matter
// with github.com/BurntSushi/toml; errors are *Error. It then indexes the
// front matter with a lexical scanner of its own, which knows where every
// "statement" (key = value, with its trailing comment and line end), "table
// header" ([a.b]) and "array-of-tables header" ([[a]]) begins and ends.
// ScanTOML indexes a whole TOML file the same way (desk.toml, which has no
// +++ lines), for the positions of its keys and tables. CheckTypes walks a
// decoded file beside the Go type it is for, as BurntSushi/toml's decoder
// does, and places each value that decoder would refuse and each key it
// would leave undecoded (a Mismatch), which BurntSushi/toml does not;
// Decode reports the first refused value that way.
//
// Terms used in this package:
//
//   - Position (Pos): a 1-based line of the whole file (the opening +++ is
//     line 1) and a 1-based column counted in runes (characters), not bytes,
//     from the start of the line. A key's position is that of its first
//     character (of the first part of a dotted key); a header's is that of
//     its '['.
//   - Path: a key or table named from the root, its parts joined by dots, a
//     part that is not a bare key quoted as a TOML basic string, and an
//     element of an array of tables given by its 0-based index in brackets:
//     id, requester.name, "问题".x, events[2].to.
//   - Section: the statements from a table header up to the next header; the
//     top-level section runs from the start of the front matter to the first
//     header. A key "of a table" is a statement in the table's section, or a
//     dotted key or inline-table member that lands in that table.
//   - Value literal: a TOML value as text, such as "in_progress" (with the
//     quotes), 2026-11-22T09:40:00+08:00 or ["a", "b"]. The edit methods take
//     values as literals; String, Strings, Time, Date, Int and Bool encode Go
//     values.
//   - Body section: the text under a level-2 ATX heading ("## Resolution")
//     up to the next heading of level 1 or 2, headings in fenced code blocks
//     excepted.
//
// Edits (Set, Delete, AppendArrayTable, SetBody) change the text in place and
// re-index it, so everything not edited is kept byte for byte: unknown keys,
// key order, comments, white space and the body. Without edits, Bytes returns
// the input exactly (less the byte-order mark, with LF line ends). Edits do
// not validate; Validate re-parses the result.
package front
