// Package search will hold desk's full-text index of tickets and articles
// (bleve, with analysis for Chinese, English and mixed text), kept under
// .git/desk/ and caught up with HEAD incrementally. It is the subject of the
// search issue; nothing uses it yet.
package search
