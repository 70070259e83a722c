package repo

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// hookMarker identifies a hook desk wrote, so it may be replaced.
const hookMarker = "# installed by desk hooks install"

// HookResult says what InstallHooks did.
type HookResult struct {
	PreCommit   string // path of the pre-commit hook
	MergeDriver string // the merge.desk.driver command
}

// InstallHooks writes a pre-commit hook that runs desk check --staged and
// configures the merge driver for ticket files named in .gitattributes. An
// existing pre-commit hook that desk did not write is left alone unless force.
func (r *Repo) InstallHooks(deskBin string, force bool) (HookResult, error) {
	g := r.Git.Git()
	cfg, err := g.Config()
	if err != nil {
		return HookResult{}, err
	}
	hooksDir, err := r.Git.HooksDir()
	if err != nil {
		return HookResult{}, err
	}
	hook := filepath.Join(hooksDir, "pre-commit")
	if old, err := os.ReadFile(hook); err == nil && !bytes.Contains(old, []byte(hookMarker)) && !force {
		return HookResult{}, &RefusedError{Msg: fmt.Sprintf("%s exists and was not written by desk; add \"desk check --staged\" to it yourself, or use --force to replace it", hook)}
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return HookResult{}, err
	}
	rel, err := filepath.Rel(r.Git.TopLevel(), r.Root)
	if err != nil {
		return HookResult{}, err
	}
	script := fmt.Sprintf("#!/bin/sh\n%s\n# Checks what is about to be committed; bypass once with git commit --no-verify.\nexec %s -C %s check --staged\n",
		hookMarker, shellQuote(deskBin), shellQuote(filepath.ToSlash(rel)))
	if err := os.MkdirAll(hooksDir, 0o777); err != nil {
		return HookResult{}, err
	}
	if err := WriteFileAtomic(hook, []byte(script), 0o755); err != nil {
		return HookResult{}, err
	}
	driver := fmt.Sprintf("%s merge-file %%O %%A %%B %%P", shellQuote(deskBin))
	sec := cfg.Raw.Section("merge").Subsection("desk")
	sec.SetOption("name", "desk ticket merge (events of both sides, in time order)")
	sec.SetOption("driver", driver)
	if err := g.SetConfig(cfg); err != nil {
		return HookResult{}, err
	}
	return HookResult{PreCommit: hook, MergeDriver: driver}, nil
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// WriteFileAtomic writes a file through a temporary file beside it and a
// rename: a reader sees the old file or the new one, never part of it.
func WriteFileAtomic(name string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), name)
}
