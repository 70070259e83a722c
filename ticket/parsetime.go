package ticket

import (
	"fmt"
	"time"
)

// ParseTime reads a time as a user types it: RFC 3339, or "2026-11-22 09:14"
// and "2026-11-22T09:14" in loc (a repository's time zone), or a date.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time; write 2026-11-22T09:14:00+08:00, \"2026-11-22 09:14\" or 2026-11-22", s)
}
