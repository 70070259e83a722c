package kb

import "slices"

// Filter selects articles: an article matches when it has one of the values
// of every list that is not empty.
type Filter struct {
	Statuses, Categories, Tags []string
}

// Match reports whether a matches f.
func (f Filter) Match(a *Article) bool {
	return (len(f.Statuses) == 0 || slices.Contains(f.Statuses, a.Status)) &&
		(len(f.Categories) == 0 || slices.Contains(f.Categories, a.Category)) &&
		(len(f.Tags) == 0 || slices.ContainsFunc(a.Tags, func(t string) bool { return slices.Contains(f.Tags, t) }))
}

// Select returns the files of files whose articles match f, in their order.
func (f Filter) Select(files []*File) []*File {
	return slices.DeleteFunc(files, func(file *File) bool { return !f.Match(&file.Article) })
}
