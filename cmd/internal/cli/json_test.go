package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/deskhq/desk/kb"
)

// An article's review_by is printed as a date, not a time.
func TestArticleJSONReviewBy(t *testing.T) {
	f, err := kb.Parse("kb/b.md", []byte("+++\ntitle = \"B\"\nstatus = \"published\"\nreview_by = 2027-01-31\n+++\n"))
	if err != nil {
		t.Fatal(err)
	}
	js := articleJSON(f)
	if js.ReviewBy != "2027-01-31" || js.Path != "kb/b.md" || js.Slug != "b" {
		t.Errorf("articleJSON = %+v", js)
	}
	out, err := json.Marshal(js)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"review_by":"2027-01-31"`) {
		t.Errorf("JSON %s", out)
	}
}
