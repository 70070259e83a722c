package gitdb

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// needProgram skips a test whose signing program is missing, except in CI
// (.ci/run installs them and sets DESK_REQUIRE_SIGNERS), where a test must
// not pass by skipping itself.
func needProgram(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("DESK_REQUIRE_SIGNERS") != "" {
			t.Fatalf("%s not installed and DESK_REQUIRE_SIGNERS is set", name)
		}
		t.Skipf("%s not installed", name)
	}
}

// sshSigningRepo is a repository whose commits are to be signed with a new
// ed25519 key, and that git can verify (gpg.ssh.allowedSignersFile).
func sshSigningRepo(t *testing.T) (dir, key string) {
	t.Helper()
	needProgram(t, "ssh-keygen")
	dir = newGitRepo(t)
	keys := t.TempDir()
	key = filepath.Join(keys, "id_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "desk test", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	allowed := filepath.Join(keys, "allowed_signers")
	writeFile(t, allowed, testEmail+` namespaces="git" `+string(pub))
	git(t, dir, "config", "gpg.format", "ssh")
	git(t, dir, "config", "user.signingKey", key)
	git(t, dir, "config", "gpg.ssh.allowedSignersFile", allowed)
	git(t, dir, "config", "commit.gpgSign", "true")
	return dir, key
}

// signatureHeader returns the gpgsig header of a commit as git prints it.
func signatureHeader(t *testing.T, dir, rev string) string {
	t.Helper()
	obj := git(t, dir, "cat-file", "commit", rev)
	head, _, _ := strings.Cut(obj, "\n\n")
	_, sig, ok := strings.Cut(head, "\ngpgsig ")
	if !ok {
		t.Fatalf("%s has no gpgsig header:\n%s", rev, obj)
	}
	return "gpgsig " + sig
}

// checkSignedLikeGit checks the header of desk's commit line by line against
// the layout of one git signs in the same repository: the signature's first
// line after "gpgsig ", every other line prefixed with one space, the header
// last, before the blank line.
func checkSignedLikeGit(t *testing.T, dir string) {
	t.Helper()
	ours := signatureHeader(t, dir, "HEAD")
	writeFile(t, filepath.Join(dir, "by-git.txt"), "git\n")
	git(t, dir, "add", "by-git.txt")
	git(t, dir, "commit", "-q", "-m", "signed by git")
	theirs := signatureHeader(t, dir, "HEAD")
	shape := func(h string) []string {
		var s []string
		for _, l := range strings.Split(h, "\n") {
			switch {
			case strings.HasPrefix(l, "gpgsig -----BEGIN "):
				s = append(s, "first")
			case strings.HasPrefix(l, " -----END "):
				s = append(s, "end")
			case strings.HasPrefix(l, " "):
				if len(s) == 0 || s[len(s)-1] != "line" {
					s = append(s, "line")
				}
			default:
				s = append(s, "unexpected: "+l)
			}
		}
		return s
	}
	if a, b := strings.Join(shape(ours), ","), strings.Join(shape(theirs), ","); a != b {
		t.Errorf("desk's gpgsig header is shaped %s, git's %s\n%s", a, b, ours)
	}
	git(t, dir, "reset", "-q", "--hard", "HEAD~1")
}

func TestSignSSH(t *testing.T) {
	dir, _ := sshSigningRepo(t)
	r := open(t, dir)
	put(t, r, "first, signed", map[string]string{"tickets/T-1.md": "one\n"})
	put(t, r, "second, signed", map[string]string{"tickets/T-2.md": "two\n"})
	checkConsistent(t, dir)
	for _, rev := range []string{"HEAD", "HEAD~1"} {
		out, err := gitRun(dir, "verify-commit", "-v", rev)
		if err != nil {
			t.Fatalf("git verify-commit %s: %v", rev, err)
		}
		if !strings.Contains(out, `Good "git" signature for `+testEmail) {
			t.Errorf("git verify-commit %s:\n%s", rev, out)
		}
	}
	checkSignedLikeGit(t, dir)
}

func TestSignOpenPGP(t *testing.T) {
	needProgram(t, "gpg")
	// A short GNUPGHOME: gpg-agent's socket path must fit in a sockaddr.
	home, err := os.MkdirTemp("", "gpg")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GNUPGHOME", home)
	t.Cleanup(func() {
		exec.Command("gpgconf", "--kill", "all").Run()
		os.RemoveAll(home)
	})
	if out, err := exec.Command("gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
		"--quick-generate-key", testName+" <"+testEmail+">", "ed25519", "sign", "never").CombinedOutput(); err != nil {
		t.Fatalf("gpg --quick-generate-key: %v\n%s", err, out)
	}
	dir := newGitRepo(t)
	git(t, dir, "config", "commit.gpgSign", "true")
	r := open(t, dir)

	// No user.signingKey: gpg finds the key by the committer, as with git.
	put(t, r, "signed by committer identity", map[string]string{"a.txt": "a\n"})
	if out, err := gitRun(dir, "verify-commit", "-v", "HEAD"); err != nil || !strings.Contains(out, "Good signature from \""+testName) {
		t.Fatalf("git verify-commit: %v\n%s", err, out)
	}
	fpr := ""
	out, _ := exec.Command("gpg", "--with-colons", "--list-secret-keys").Output()
	for _, l := range strings.Split(string(out), "\n") {
		if f := strings.Split(l, ":"); f[0] == "fpr" && fpr == "" {
			fpr = f[9]
		}
	}
	git(t, dir, "config", "user.signingKey", fpr)
	put(t, r, "signed by fingerprint", map[string]string{"b.txt": "b\n"})
	if out, err := gitRun(dir, "verify-commit", "-v", "HEAD"); err != nil || !strings.Contains(out, "Good signature") {
		t.Fatalf("git verify-commit: %v\n%s", err, out)
	}
	checkConsistent(t, dir)
	checkSignedLikeGit(t, dir)
}

// TestSignFailure: a signer that fails fails the Update with what it
// printed; the branch does not move and the repository is as it was.
func TestSignFailure(t *testing.T) {
	for _, tc := range []struct {
		name   string
		config [][2]string
		want   string // in the error: the program's stderr or the setting
		early  bool   // refused before any object is written
	}{
		{name: "ssh key missing", config: [][2]string{{"user.signingKey", "/nonexistent/key"}}, want: "Couldn't load public key /nonexistent/key"},
		{name: "gpg.program fails", config: [][2]string{{"gpg.format", "openpgp"}, {"gpg.program", "@FAKE@"}}, want: "no secret key here"},
		{name: "no ssh key configured", config: [][2]string{{"user.signingKey", ""}}, want: "user.signingKey", early: true},
		{name: "bad gpg.format", config: [][2]string{{"gpg.format", "pgp"}}, want: "gpg.format", early: true},
		{name: "bad commit.gpgSign", config: [][2]string{{"commit.gpgSign", "maybe"}}, want: "commit.gpgSign", early: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, _ := sshSigningRepo(t)
			fake := filepath.Join(t.TempDir(), "fake-gpg")
			writeFile(t, fake, "#!/bin/sh\ncat >/dev/null\necho 'gpg: no secret key here' >&2\nexit 2\n")
			os.Chmod(fake, 0o755)
			r := open(t, dir)
			git(t, dir, "config", "commit.gpgSign", "false")
			put(t, r, "unsigned", map[string]string{"a.txt": "a\n"})
			git(t, dir, "config", "commit.gpgSign", "true")
			for _, kv := range tc.config {
				git(t, dir, "config", kv[0], strings.ReplaceAll(kv[1], "@FAKE@", fake))
			}
			before, objects := snapshot(t, dir), countObjects(t, dir)
			_, err := r.Update(context.Background(), func(tx *Tx) (string, error) {
				tx.Put("a.txt", []byte("changed\n"))
				tx.Put("new/b.txt", []byte("b\n"))
				return "must not land", nil
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Update = %v, want an error mentioning %q", err, tc.want)
			}
			if errors.Is(err, ErrConflict) {
				t.Errorf("a signing failure is not a conflict: %v", err)
			}
			if after := snapshot(t, dir); after != before {
				t.Error("the failed Update changed HEAD, the index, the work tree, a ref or .git/desk")
			}
			if tc.early && countObjects(t, dir) != objects {
				t.Error("objects were written before the refusal")
			}
			checkConsistent(t, dir)
		})
	}
}

func TestInsertSignature(t *testing.T) {
	obj := "tree 1\nparent 2\nauthor A <a> 1 +0000\ncommitter C <c> 1 +0000\n\nmsg\n\nbody\n"
	sig := "-----BEGIN SSH SIGNATURE-----\nabc\n\ndef\n-----END SSH SIGNATURE-----\n"
	want := "tree 1\nparent 2\nauthor A <a> 1 +0000\ncommitter C <c> 1 +0000\n" +
		"gpgsig -----BEGIN SSH SIGNATURE-----\n abc\n \n def\n -----END SSH SIGNATURE-----\n\nmsg\n\nbody\n"
	if got := string(insertSignature([]byte(obj), []byte(sig))); got != want {
		t.Errorf("insertSignature:\n%s\nwant\n%s", got, want)
	}
	if got := committerIdent([]byte(obj)); got != "C <c>" {
		t.Errorf("committerIdent = %q", got)
	}
}

func TestSplitCommandLine(t *testing.T) {
	for in, want := range map[string]string{
		`ssh-add -L`:                "ssh-add|-L",
		`sh -c 'echo "a b"'`:        `sh|-c|echo "a b"`,
		`"/opt/my tools/keys" x\ y`: "/opt/my tools/keys|x y",
	} {
		if got := strings.Join(splitCommandLine(in), "|"); got != want {
			t.Errorf("splitCommandLine(%q) = %q, want %q", in, got, want)
		}
	}
}
