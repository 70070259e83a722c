package repo

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/deskhq/desk/repo/gitdb"
	"github.com/deskhq/desk/ticket"
	"github.com/deskhq/desk/ticket/front"
)

// LinkKind is a kind of link between two tickets, named by the key of the
// ticket that links: duplicate_of, parent or related.
type LinkKind string

// The kinds of link.
const (
	DuplicateOf LinkKind = "duplicate_of"
	Parent      LinkKind = "parent"
	Related     LinkKind = "related"
)

// linkSide is how a kind of link is written on each ticket: the key on the
// ticket that links (one value, or a list) and on the ticket it names (a
// list), and how the log says so on each.
type linkSide struct {
	key, reverse string
	list         bool   // key holds a list
	says, reSays string // "%s" is the other ticket
	none, reNone string // after a removal
	already      string
}

var linkSides = map[LinkKind]linkSide{
	DuplicateOf: {key: "duplicate_of", reverse: "duplicates", says: "duplicate of %s", reSays: "%s is a duplicate of this ticket",
		none: "no longer a duplicate of %s", reNone: "%s is no longer a duplicate of this ticket", already: "already a duplicate of %s"},
	Parent: {key: "parent", reverse: "children", says: "child of %s", reSays: "parent of %s",
		none: "no longer a child of %s", reNone: "no longer the parent of %s", already: "already a child of %s"},
	Related: {key: "related", reverse: "related", list: true, says: "related to %s", reSays: "related to %s",
		none: "no longer related to %s", reNone: "no longer related to %s", already: "already related to %s"},
}

// linkValues returns what a ticket's key holds, as a list.
func linkValues(t *ticket.Ticket, key string) []string {
	switch key {
	case "duplicate_of":
		return nonEmpty(t.DuplicateOf)
	case "parent":
		return nonEmpty(t.Parent)
	case "duplicates":
		return t.Duplicates
	case "children":
		return t.Children
	case "related":
		return t.Related
	}
	return nil
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// Link links ticket id to other (id is a duplicate of other, a child of
// other, or related to it) or, with remove, takes the link away. Both files
// change, each with one link event, in one commit whose trailers name both.
// It returns the summary of the change.
//
// A ticket is a duplicate of at most one other and has at most one parent;
// a duplicate of a duplicate, a ticket that already has duplicates becoming
// one, and a parent that is the ticket's own descendant are refused, so
// duplicates always name the original and the tree of parents has no cycle.
func (r *Repo) Link(ctx context.Context, id string, kind LinkKind, other string, remove bool, a Actor) (string, error) {
	side, ok := linkSides[kind]
	if !ok {
		return "", Usagef("unknown link %q; use duplicate_of, parent or related", kind)
	}
	ids, err := r.uniqueIDs([]string{id, other})
	if err != nil {
		return "", err
	}
	if len(ids) == 1 {
		return "", Usagef("%s cannot be linked to itself", id)
	}
	var summary string
	_, err = r.Git.Update(ctx, func(tx *gitdb.Tx) (string, error) {
		src, dst, err := r.readPair(id, other)
		if err != nil {
			return "", err
		}
		for _, f := range []*ticket.File{src, dst} {
			if err := r.checkEventTime(f, a.At); err != nil {
				return "", err
			}
		}
		if remove {
			err = r.unlink(src, dst, side, a)
			summary = fmt.Sprintf(side.none, other)
		} else {
			err = r.link(src, dst, kind, side, a)
			summary = fmt.Sprintf(side.says, other)
		}
		if err != nil {
			return "", err
		}
		for _, f := range []*ticket.File{src, dst} {
			if err := f.Reparse(); err != nil {
				return "", fmt.Errorf("internal error: linked ticket does not parse: %w", err)
			}
			tx.Put(r.GitPath(f.Path), f.Doc.Bytes())
		}
		return manyMessage(id+": "+summary, "", "link", src, dst), nil
	})
	return summary, err
}

func (r *Repo) readPair(id, other string) (*ticket.File, *ticket.File, error) {
	var files [2]*ticket.File
	for i, x := range []string{id, other} {
		path, _ := r.TicketPath(x)
		f, err := r.ReadTicket(path)
		if err != nil {
			return nil, nil, err
		}
		files[i] = f
	}
	return files[0], files[1], nil
}

// link adds the link of kind from src to dst, refusing what would break the
// rules of Link.
func (r *Repo) link(src, dst *ticket.File, kind LinkKind, side linkSide, a Actor) error {
	s, d := &src.Ticket, &dst.Ticket
	have := linkValues(s, side.key)
	if slices.Contains(have, d.ID) {
		return &RefusedError{ID: s.ID, Msg: fmt.Sprintf(side.already, d.ID)}
	}
	if !side.list && len(have) > 0 {
		return &RefusedError{ID: s.ID, Msg: fmt.Sprintf(side.already+"; remove that link first (desk ticket link %s --%s %s --remove)",
			have[0], s.ID, flagOf(kind), have[0])}
	}
	switch kind {
	case DuplicateOf:
		if d.DuplicateOf != "" {
			return &RefusedError{ID: s.ID, Msg: fmt.Sprintf("%s is itself a duplicate of %s; link to the original, %s", d.ID, d.DuplicateOf, d.DuplicateOf)}
		}
		if len(s.Duplicates) > 0 {
			return &RefusedError{ID: s.ID, Msg: fmt.Sprintf("%s has duplicates of its own (%s); link them to %s first", s.ID, strings.Join(s.Duplicates, ", "), d.ID)}
		}
	case Parent:
		if err := r.checkAncestry(s.ID, d); err != nil {
			return err
		}
	}
	setLink(src, side.key, side.list, append(slices.Clone(have), d.ID))
	setLink(dst, side.reverse, true, appendNew(linkValues(d, side.reverse), s.ID))
	r.linkEvents(src, dst, side.key, side.reverse, fmt.Sprintf(side.says, d.ID), fmt.Sprintf(side.reSays, s.ID), a)
	return nil
}

// unlink takes the link of side from src to dst away from both tickets.
func (r *Repo) unlink(src, dst *ticket.File, side linkSide, a Actor) error {
	s, d := &src.Ticket, &dst.Ticket
	have := linkValues(s, side.key)
	if !slices.Contains(have, d.ID) {
		return &RefusedError{ID: s.ID, Msg: fmt.Sprintf("is not "+side.says, d.ID)}
	}
	setLink(src, side.key, side.list, slices.DeleteFunc(slices.Clone(have), func(x string) bool { return x == d.ID }))
	setLink(dst, side.reverse, true, slices.DeleteFunc(slices.Clone(linkValues(d, side.reverse)), func(x string) bool { return x == s.ID }))
	r.linkEvents(src, dst, side.key, side.reverse, fmt.Sprintf(side.none, d.ID), fmt.Sprintf(side.reNone, s.ID), a)
	return nil
}

// linkEvents records one link event on each ticket: field the key, value
// the other ticket, the note what it means.
func (r *Repo) linkEvents(src, dst *ticket.File, key, reverse, note, reNote string, a Actor) {
	at := a.At.In(r.Config.Location)
	src.AppendEvent(ticket.Event{At: at, By: a.By, Action: "link", Field: key, Value: dst.Ticket.ID, Note: note})
	dst.AppendEvent(ticket.Event{At: at, By: a.By, Action: "link", Field: reverse, Value: src.Ticket.ID, Note: reNote})
}

// checkAncestry refuses parent as the parent of id when id is parent or one
// of its ancestors: the tree of parents would have a cycle.
func (r *Repo) checkAncestry(id string, parent *ticket.Ticket) error {
	seen := map[string]bool{}
	for t := parent; t != nil && t.Parent != "" && !seen[t.ID]; {
		seen[t.ID] = true
		if t.Parent == id {
			return &RefusedError{ID: id, Msg: fmt.Sprintf("%s descends from %s; a ticket cannot be the child of its own descendant", parent.ID, id)}
		}
		path, err := r.TicketPath(t.Parent)
		if err != nil {
			return nil // a broken parent is desk check's to report
		}
		f, err := r.ReadTicket(path)
		if err != nil {
			return nil
		}
		t = &f.Ticket
	}
	return nil
}

// setLink writes key: a string, a list, or nothing when ids is empty.
func setLink(f *ticket.File, key string, list bool, ids []string) {
	switch {
	case len(ids) == 0:
		f.Doc.Delete("", key)
	case list:
		f.Doc.Set("", key, front.Strings(ids))
	default:
		f.Doc.Set("", key, front.String(ids[0]))
	}
}

func appendNew(ids []string, id string) []string {
	if slices.Contains(ids, id) {
		return ids
	}
	return append(slices.Clone(ids), id)
}

func flagOf(kind LinkKind) string {
	return map[LinkKind]string{DuplicateOf: "duplicate-of", Parent: "parent", Related: "related"}[kind]
}

// DuplicateNote is what a move of t to status to adds to the event's note
// and to what desk says: "duplicate of X" when t is a duplicate and to
// stops the resolution clock, else "".
func (r *Repo) DuplicateNote(t *ticket.Ticket, to string) string {
	if t.DuplicateOf == "" || !slices.Contains(r.Config.Workflow.Resolved, to) {
		return ""
	}
	return "duplicate of " + t.DuplicateOf
}
