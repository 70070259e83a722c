package gitdb

import "path/filepath"

// HooksDir returns the folder git runs hooks from: core.hooksPath as git
// resolves it (from any config git reads, the global one included, with
// "~/" expanded and a relative path taken from the top level), else the
// hooks folder of the common dir, which linked worktrees share.
//
// Update itself runs no hook: a desk commit is made as `git commit
// --no-verify` makes one. desk checks a change against its own rules before
// committing it, and a pre-commit or commit-msg hook written for `git
// commit` would run here while desk holds the index lock, against an index
// that is not yet written; such hooks still run on the user's own commits,
// and `desk check --base` in CI judges what reaches the branch.
func (r *Repo) HooksDir() (string, error) {
	cfg, err := r.config()
	if err != nil {
		return "", err
	}
	p, ok := cfg.get("core.hookspath")
	if !ok || p == "" {
		return filepath.Join(r.commonDir, "hooks"), nil
	}
	p = expandHome(p)
	if !filepath.IsAbs(p) {
		p = filepath.Join(r.top, p)
	}
	return p, nil
}
