package site

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deskhq/desk/repo"
)

const outsideText = "+++\ntitle = \"OUTSIDE SECRET\"\nstatus = \"published\"\ncreated = 2026-11-07T10:00:00+08:00\n+++\n\nOUTSIDE SECRET\n"

// TestSymlinksAreNeverPublished: a symlink in place of an article, a
// template, an asset, a linked file, or a folder on the way to one, never
// brings the file it points to into the site. An article, template or asset
// stops the build naming the link; a linked file is a bad link.
func TestSymlinksAreNeverPublished(t *testing.T) {
	for _, tc := range []struct {
		name  string
		links map[string]string // desk path -> file or folder outside
		files map[string]string // more files of the repository
		err   string            // the build fails with this; "" builds
		warn  string            // or warns with this
	}{
		{name: "an article", links: map[string]string{"kb/outside.md": "secret.md"},
			err: "kb/outside.md: is a symbolic link"},
		{name: "the kb folder", links: map[string]string{"kb": "."},
			err: "kb: is a symbolic link"},
		{name: "a template", links: map[string]string{"site/templates/home.html": "secret.md"},
			err: "site/templates/home.html: is a symbolic link"},
		{name: "the site folder", links: map[string]string{"site": "."},
			err: "site/templates/layout.html: site is a symbolic link"},
		{name: "an asset", links: map[string]string{"site/assets/x.css": "secret.md"},
			err: "site/assets/x.css: is a symbolic link"},
		{name: "the assets folder", links: map[string]string{"site/assets": "."},
			err: "site/assets: is a symbolic link"},
		{name: "a linked file", links: map[string]string{"kb/secret.txt": "secret.md"},
			files: map[string]string{"kb/links.md": "+++\ntitle = \"Links\"\nstatus = \"published\"\ncreated = 2026-11-07T10:00:00+08:00\n+++\n\n[the file](secret.txt)\n"},
			warn:  `kb/links.md:7: link "secret.txt": is a symbolic link`},
		{name: "a linked file in a symlinked folder", links: map[string]string{"kb/sub": "."},
			files: map[string]string{"kb/links.md": "+++\ntitle = \"Links\"\nstatus = \"published\"\ncreated = 2026-11-07T10:00:00+08:00\n+++\n\n[the file](sub/secret.md)\n![img](sub/secret.txt)\n"},
			warn:  `kb/links.md:8: link "sub/secret.txt": kb/sub is a symbolic link`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range fixture {
				files[k] = v
			}
			for k, v := range tc.files {
				files[k] = v
			}
			r := newSiteRepo(t, "en", files)
			elsewhere := t.TempDir()
			for _, name := range []string{"secret.md", "secret.txt"} {
				os.WriteFile(filepath.Join(elsewhere, name), []byte(outsideText), 0o644)
			}
			for link, target := range tc.links {
				if link == "kb" {
					os.RemoveAll(r.Abs("kb"))
				}
				os.MkdirAll(filepath.Dir(r.Abs(link)), 0o755)
				if err := os.Symlink(filepath.Join(elsewhere, target), r.Abs(link)); err != nil {
					t.Fatal(err)
				}
			}
			out := filepath.Join(t.TempDir(), "public")
			var warnings []string
			_, err := Build(context.Background(), r, Options{Out: out, Warn: func(m string) { warnings = append(warnings, m) }})
			if tc.err != "" {
				var link *repo.SymlinkError
				if !errors.As(err, &link) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want a SymlinkError: %s", err, tc.err)
				}
				if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("a failed build wrote %s", out)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(strings.Join(warnings, "\n"), tc.warn) {
					t.Errorf("warnings %q, want %q", warnings, tc.warn)
				}
			}
			filepath.WalkDir(filepath.Dir(out), func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					if data, _ := os.ReadFile(p); strings.Contains(string(data), "OUTSIDE SECRET") {
						t.Errorf("%s holds the file outside", p)
					}
				}
				return err
			})
			if data, _ := os.ReadFile(filepath.Join(elsewhere, "secret.md")); string(data) != outsideText {
				t.Error("the file outside was changed")
			}
		})
	}
}
