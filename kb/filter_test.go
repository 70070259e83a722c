package kb

import "testing"

func TestFilter(t *testing.T) {
	a := &Article{Status: "draft", Category: "hardware", Tags: []string{"laptop", "power"}}
	for _, tc := range []struct {
		name string
		f    Filter
		want bool
	}{
		{"no filter", Filter{}, true},
		{"one of the statuses", Filter{Statuses: []string{"review", "draft"}}, true},
		{"another status", Filter{Statuses: []string{"published"}}, false},
		{"the category", Filter{Categories: []string{"hardware"}}, true},
		{"another category", Filter{Categories: []string{"network"}}, false},
		{"one of the tags", Filter{Tags: []string{"vpn", "power"}}, true},
		{"none of the tags", Filter{Tags: []string{"vpn"}}, false},
		{"every filter matches", Filter{Statuses: []string{"draft"}, Categories: []string{"hardware"}, Tags: []string{"laptop"}}, true},
		{"one filter does not", Filter{Statuses: []string{"draft"}, Categories: []string{"hardware"}, Tags: []string{"vpn"}}, false},
	} {
		if got := tc.f.Match(a); got != tc.want {
			t.Errorf("%s: Match = %v, want %v", tc.name, got, tc.want)
		}
	}
	files := []*File{{Slug: "a", Article: Article{Status: "draft"}}, {Slug: "b", Article: Article{Status: "published"}}, {Slug: "c", Article: Article{Status: "draft"}}}
	got := Filter{Statuses: []string{"draft"}}.Select(files)
	if len(got) != 2 || got[0].Slug != "a" || got[1].Slug != "c" {
		t.Errorf("Select kept %v", got)
	}
}
