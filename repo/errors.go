package repo

import (
	"fmt"
	"strings"
)

// UsageError is a value the user gave that is not allowed. The command line
// maps it to exit status 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef returns a UsageError.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// RefusedError is a change the workflow or [required] forbids. Nothing was
// written. The command line maps it to exit status 1.
type RefusedError struct {
	ID      string
	Msg     string
	Missing []string // requirements not met, as [required] names them
}

func (e *RefusedError) Error() string {
	var b strings.Builder
	if e.ID != "" {
		b.WriteString(e.ID + ": ")
	}
	b.WriteString(e.Msg)
	if len(e.Missing) > 0 {
		b.WriteString("; missing: " + strings.Join(e.Missing, ", "))
	}
	return b.String()
}

// NotFoundError is a ticket or article that does not exist.
type NotFoundError struct{ What, Path string }

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("no %s: %s does not exist", e.What, e.Path)
}
