// Package kb defines knowledge-base articles: Markdown files with TOML front
// matter at kb/<slug>.md, with a lifecycle of draft → review → published →
// archived. A slug is lowercase letters, digits and single hyphens; it names
// the file and is how tickets link to an article.
package kb
