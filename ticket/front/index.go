package front

import (
	"bytes"
	"errors"

	"github.com/BurntSushi/toml"
)

// Index is the position index of a whole TOML file, such as desk.toml, that
// has no +++ lines around it: its first line is line 1. Key, KeyIn, Table,
// ArrayTable, Len, Keys and Tables work as Doc's.
type Index struct{ d Doc }

// ScanTOML indexes src, a whole TOML file. A byte-order mark is dropped and
// CRLF line ends become LF; columns count runes as in a Doc. Scanning never
// fails: on text that is not valid TOML the index is a best effort, and
// Decode reports the error.
func ScanTOML(src []byte) *Index {
	x := &Index{d: Doc{fm: string(toLF(bytes.TrimPrefix(src, []byte(bom))))}}
	x.d.entries = scan(x.d.fm, 1, nil)
	return x
}

// Decode decodes the text into v with toml.Decode. A toml.ParseError (a
// syntax error, or a value BurntSushi/toml could not convert) becomes an
// *Error at the position the ParseError gives; other errors, such as a
// type mismatch, which BurntSushi/toml reports without a position, are
// returned as they are.
func (x *Index) Decode(v any) (toml.MetaData, error) {
	md, err := toml.Decode(x.d.fm, v)
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return md, parseError(x.d.fm, 1, pe)
	}
	return md, err
}

// Key is Doc.Key.
func (x *Index) Key(path ...string) (Pos, bool) { return x.d.Key(path...) }

// KeyIn is Doc.KeyIn.
func (x *Index) KeyIn(array string, index int, key string) (Pos, bool) {
	return x.d.KeyIn(array, index, key)
}

// Table is Doc.Table.
func (x *Index) Table(name string) (Pos, bool) { return x.d.Table(name) }

// ArrayTable is Doc.ArrayTable.
func (x *Index) ArrayTable(name string, index int) (Pos, bool) { return x.d.ArrayTable(name, index) }

// Len is Doc.Len.
func (x *Index) Len(name string) int { return x.d.Len(name) }

// Keys is Doc.Keys.
func (x *Index) Keys() []KeyInfo { return x.d.Keys() }

// Tables is Doc.Tables.
func (x *Index) Tables() []KeyInfo { return x.d.Tables() }
