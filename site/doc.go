// Package site will build the static knowledge-base site from published
// articles (goldmark rendering, an in-page search index split so a query
// fetches only what it needs). It is the subject of the knowledge-base issue;
// nothing uses it yet.
package site
