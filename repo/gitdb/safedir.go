package gitdb

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// checkOwnership refuses, as git does since 2.35.2, a repository that
// belongs to another user unless safe.directory names it: whoever owns it
// could have put hooks, filters or an fsmonitor in its config that would run
// as us, and we would leave files we own in a folder that is not ours.
//
// Like git's ensure_valid_ownership, the ".git" file (for a linked worktree
// or submodule), the work tree's top folder and the git dir must each be
// owned by the current user (for root: by root, or by SUDO_UID when set);
// otherwise safe.directory decides, read from the system and global config
// and GIT_CONFIG_COUNT only, never from the repository's own config. A value
// of "*" trusts every folder, an empty value forgets the values before it,
// and other values are compared with the top folder after "~/" is expanded
// and both are cleaned; a value ending in "/*" trusts the folders below it,
// as git does from 2.46 on.
func checkOwnership(gitFile, top, gitDir string) error {
	for _, p := range []string{gitFile, top, gitDir} {
		if p == "" {
			continue
		}
		owner, ok := ownedByUs(p)
		if ok {
			continue
		}
		cfg, err := loadProtectedConfig()
		if err != nil {
			return err
		}
		if safeDirectory(cfg.all("safe.directory"), top) {
			return nil
		}
		who := fmt.Sprintf("is owned by uid %d, not by uid %d that desk runs as,", owner, os.Geteuid())
		if owner < 0 {
			who = "has no owner desk can read,"
		}
		return fmt.Errorf("gitdb: repository at %s: %s %s and safe.directory does not name %s, so git refuses it too; "+
			"if you trust it: git config --global --add safe.directory %s: %w", top, p, who, top, top, ErrDubiousOwnership)
	}
	return nil
}

// ownedByUs tells whether path (not followed if a symlink) belongs to the
// user desk runs as, and otherwise who owns it.
func ownedByUs(path string) (owner int, ok bool) {
	owner, known := fileOwner(path)
	if !known {
		return -1, true // no owners on this system: nothing to compare
	}
	euid := os.Geteuid()
	if euid == 0 {
		if owner == 0 {
			return owner, true
		}
		// git under sudo: the files of the user who ran sudo are fine.
		if id, err := strconv.Atoi(os.Getenv("SUDO_UID")); err == nil {
			euid = id
		}
	}
	return owner, owner == euid
}

// safeDirectory applies the safe.directory values in order to dir.
func safeDirectory(values []string, dir string) bool {
	safe := false
	dir = filepath.Clean(dir)
	for _, v := range values {
		switch {
		case v == "":
			safe = false
		case v == "*":
			safe = true
		default:
			v = expandHome(v)
			if lead, ok := strings.CutSuffix(v, "/*"); ok {
				if strings.HasPrefix(dir, filepath.Clean(lead)+string(filepath.Separator)) {
					safe = true
				}
			} else if filepath.Clean(v) == dir {
				safe = true
			}
		}
	}
	return safe
}
