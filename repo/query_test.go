package repo

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestParseQuery(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	for _, tc := range []struct {
		name, q string
		want    Selection
		usage   bool
	}{
		{"fields are all to match", "status:new category:hardware", Selection{Statuses: []string{"new"}, Categories: []string{"hardware"}}, false},
		{"commas and repeats are any of", "status:new,triaged status:pending priority:high", Selection{Statuses: []string{"new", "triaged", "pending"}, Priorities: []string{"high"}}, false},
		{"unassigned and open", "assignee:none is:open", Selection{Assignee: "none", Open: true}, false},
		{"at risk and breached", "is:at-risk is:breached", Selection{AtRisk: true, Breached: true}, false},
		{"since a day", "since:2026-11-01", Selection{Since: time.Date(2026, 11, 1, 0, 0, 0, 0, loc)}, false},
		{"an unknown field", "state:new", Selection{}, true},
		{"a bare word", "hardware", Selection{}, true},
		{"a field with no value", "status:", Selection{}, true},
		{"an unknown is", "is:closed", Selection{}, true},
		{"two assignees", "assignee:a assignee:b", Selection{}, true},
		{"a since that is no date", "since:yesterday", Selection{}, true},
		{"nothing", "  ", Selection{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseQuery(tc.q, loc)
			if tc.usage {
				if !errors.As(err, new(*UsageError)) {
					t.Fatalf("ParseQuery(%q) = %+v, %v; want a usage error", tc.q, got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !got.Since.Equal(tc.want.Since) {
				t.Fatalf("since %v, want %v", got.Since, tc.want.Since)
			}
			got.Since, tc.want.Since = time.Time{}, time.Time{}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseQuery(%q) = %+v, want %+v", tc.q, got, tc.want)
			}
		})
	}
}
