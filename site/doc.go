// Package site builds the static knowledge-base site of a desk repository
// (desk site build) and serves a preview of it (desk site serve).
//
// A build is one pipeline, in the order Hugo's reads: load (the articles of
// kb/, of which only the published ones go on; personal data stops the
// build), history (the last commit that changed each article, read beside
// rendering), render (goldmark, with the site's own renderers for headings,
// code, raw HTML, links and images), then write (pages from html/template,
// feeds, assets and the search index of package sitesearch) into a fresh
// folder that replaces the old one in two renames.
//
// Terms:
//
//   - A page is one HTML file: the home page, an article, a category or tag,
//     the search page, the 404 page. Every link between pages is relative
//     (data-root on <html> says the way back to the root), so a built folder
//     works on any host, under any path, or from disk.
//   - A bad link is a link in an article to an article that is not published,
//     to nothing, or of a scheme the site does not allow; it is reported with
//     its file and line and shown as text.
//   - Templates and assets are embedded; files of the same name under the
//     repository's site/templates and site/assets replace them.
package site
