package intake

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Item is one message of a source: where it came from (a file, a mailbox
// and the message's place in it), its bytes, and the message read from them
// or why it could not be read.
type Item struct {
	Source string // "mail/new/1700000000.M1P2.host", "inbox.mbox#3"
	Data   []byte
	Msg    *Message
	Err    error
}

// maxMessage bounds one message; larger ones are quarantined unread.
const maxMessage = 64 << 20

// Read reads the messages of path: a .eml file, a Maildir (a folder with
// cur and new), a folder of .eml files, or any other file as an mbox. The
// messages come in their source's order; one that cannot be read is an
// Item with Err set, never dropped.
func Read(path string) ([]Item, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		if strings.EqualFold(filepath.Ext(path), ".eml") {
			return []Item{readFile(path, path)}, nil
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return readMbox(f, path)
	}
	if isMaildir(path) {
		var items []Item
		for _, sub := range []string{"new", "cur"} {
			names, err := dirFiles(filepath.Join(path, sub), func(string) bool { return true })
			if err != nil {
				return nil, err
			}
			for _, n := range names {
				items = append(items, readFile(filepath.Join(path, sub, n), filepath.Join(path, sub, n)))
			}
		}
		return items, nil
	}
	names, err := dirFiles(path, func(n string) bool { return strings.EqualFold(filepath.Ext(n), ".eml") })
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no .eml files, and not a Maildir (no cur and new folders)", path)
	}
	items := make([]Item, len(names))
	for i, n := range names {
		items[i] = readFile(filepath.Join(path, n), filepath.Join(path, n))
	}
	return items, nil
}

func isMaildir(path string) bool {
	for _, sub := range []string{"cur", "new"} {
		if fi, err := os.Stat(filepath.Join(path, sub)); err != nil || !fi.IsDir() {
			return false
		}
	}
	return true
}

// dirFiles lists the regular files of dir that keep selects, sorted, leaving
// out hidden files and symbolic links.
func dirFiles(dir string, keep func(string) bool) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") && keep(e.Name()) {
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	return out, nil
}

func readFile(path, source string) Item {
	it := Item{Source: source}
	fi, err := os.Lstat(path)
	switch {
	case err != nil:
		it.Err = err
	case !fi.Mode().IsRegular():
		it.Err = errors.New("not a regular file")
	case fi.Size() > maxMessage:
		it.Err = fmt.Errorf("%d MB; a message may be at most %d MB", fi.Size()>>20, maxMessage>>20)
	default:
		it.Data, it.Err = os.ReadFile(path)
	}
	if it.Err == nil {
		it.Msg, it.Err = Parse(it.Data)
	}
	return it
}

// ReadMessage reads one message from r (standard input).
func ReadMessage(r io.Reader, source string) Item {
	it := Item{Source: source}
	it.Data, it.Err = io.ReadAll(io.LimitReader(r, maxMessage+1))
	if it.Err == nil && len(it.Data) > maxMessage {
		it.Err = fmt.Errorf("larger than %d MB", maxMessage>>20)
	}
	if it.Err == nil {
		it.Msg, it.Err = Parse(it.Data)
	}
	return it
}

// readMbox splits an mbox at its "From " lines (mboxo and mboxrd: a quoted
// ">From " line loses one ">").
func readMbox(r io.Reader, name string) ([]Item, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	var items []Item
	var cur *bytes.Buffer
	flush := func() {
		if cur == nil {
			return
		}
		it := Item{Source: fmt.Sprintf("%s#%d", name, len(items)+1), Data: bytes.TrimSuffix(cur.Bytes(), []byte("\n"))}
		if len(it.Data) > maxMessage {
			it.Err = fmt.Errorf("larger than %d MB", maxMessage>>20)
		} else {
			it.Msg, it.Err = Parse(it.Data)
		}
		items = append(items, it)
		cur = nil
	}
	first := true
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			switch {
			case bytes.HasPrefix(line, []byte("From ")):
				flush()
				cur = &bytes.Buffer{}
			case first:
				return nil, fmt.Errorf("%s: not an mbox (it does not start with a \"From \" line) and not a .eml file", name)
			default:
				if q := bytes.TrimLeft(line, ">"); len(q) < len(line) && bytes.HasPrefix(q, []byte("From ")) {
					line = line[1:]
				}
				if cur.Len() < maxMessage+1 {
					cur.Write(line)
				}
			}
			first = false
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	flush()
	return items, nil
}
