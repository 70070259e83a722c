package gitdb

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// Commit signing, as `git commit` does it when commit.gpgSign is true
// (git's gpg-interface.c). The commit object without a signature is the
// payload; the signature goes into a "gpgsig" header after the committer
// line, its lines after the first prefixed with a space, which is what
// `git verify-commit` and servers that require signed commits check.
//
// The signer is an external program, as in git, so desk needs no key
// handling of its own and works with whatever agent, smartcard or pinentry
// the user's git already uses:
//
//   - gpg.format "openpgp" (the default): gpg.program or gpg.openpgp.program
//     (default "gpg") run as `gpg --status-fd=2 -bsau <key>` with the payload
//     on standard input and the armoured signature on standard output;
//     success needs a "[GNUPG:] SIG_CREATED" status line.
//   - gpg.format "x509": the same with gpg.x509.program (default "gpgsm").
//   - gpg.format "ssh": gpg.ssh.program (default "ssh-keygen") run as
//     `ssh-keygen -Y sign -n git -f <key file> <payload file>`, which writes
//     <payload file>.sig. A user.signingKey of "ssh-..." or "key::..." is a
//     literal public key whose private half is in ssh-agent: it is written
//     to a temporary file and -U is added. Without user.signingKey the first
//     key printed by gpg.ssh.defaultKeyCommand is used.
//
// The key is user.signingKey; for OpenPGP and X.509 it defaults to the
// committer's "Name <email>", as in git.

// signer is a resolved signing setup.
type signer struct {
	format  string // openpgp, x509 or ssh
	program string
	key     string // user.signingKey, "" if unset
	keyCmd  string // gpg.ssh.defaultKeyCommand
}

// signerFor reads the signing settings; nil (and no error) when commits are
// not to be signed. A bad value is an error naming the setting and its file.
func signerFor(cfg *gitConfig) (*signer, error) {
	v, ok := cfg.get("commit.gpgsign")
	if !ok {
		return nil, nil
	}
	on, err := parseBool(v)
	if err != nil {
		return nil, fmt.Errorf("gitdb: %s: commit.gpgSign = %q: %w", cfg.origin("commit.gpgsign"), v, err)
	}
	if !on {
		return nil, nil
	}
	s := &signer{format: "openpgp"}
	if f, ok := cfg.get("gpg.format"); ok {
		switch f {
		case "openpgp", "x509", "ssh":
			s.format = f
		default:
			return nil, fmt.Errorf("gitdb: %s: invalid value for gpg.format: %q (want openpgp, x509 or ssh)", cfg.origin("gpg.format"), f)
		}
	}
	switch s.format {
	case "openpgp":
		s.program = lastOf(cfg, "gpg", "gpg.program", "gpg.openpgp.program")
	case "x509":
		s.program = lastOf(cfg, "gpgsm", "gpg.x509.program")
	case "ssh":
		s.program = lastOf(cfg, "ssh-keygen", "gpg.ssh.program")
		s.keyCmd, _ = cfg.get("gpg.ssh.defaultkeycommand")
	}
	s.key, _ = cfg.get("user.signingkey")
	if s.format == "ssh" && s.key == "" && s.keyCmd == "" {
		return nil, fmt.Errorf("gitdb: commit.gpgSign is true (%s) with gpg.format = ssh, but neither user.signingKey nor "+
			"gpg.ssh.defaultKeyCommand is set: git config user.signingKey ~/.ssh/id_ed25519.pub", cfg.origin("commit.gpgsign"))
	}
	return s, nil
}

// lastOf returns the last value set among keys (git lets the last of
// gpg.program and gpg.openpgp.program win), else def.
func lastOf(cfg *gitConfig, def string, keys ...string) string {
	for i := len(cfg.keys) - 1; i >= 0; i-- {
		for _, k := range keys {
			if cfg.keys[i] == k {
				return cfg.vals[i]
			}
		}
	}
	return def
}

// signCommit returns the commit object obj signed as git signs it when
// commit.gpgSign is true, else obj itself. A signer that fails gives an
// error carrying what it printed on standard error; nothing is written.
func (r *Repo) signCommit(cfg *gitConfig, obj []byte) ([]byte, error) {
	s, err := signerFor(cfg)
	if s == nil || err != nil {
		return obj, err
	}
	sig, err := s.sign(r.top, obj)
	if err != nil {
		return nil, err
	}
	return insertSignature(obj, sig), nil
}

// insertSignature puts the "gpgsig" header at the end of the commit's
// headers, as git's do_sign_commit does.
func insertSignature(obj, sig []byte) []byte {
	pos := len(obj)
	if i := bytes.Index(obj, []byte("\n\n")); i >= 0 {
		pos = i + 1
	}
	if len(sig) > 0 && sig[len(sig)-1] != '\n' {
		sig = append(sig, '\n')
	}
	var b bytes.Buffer
	b.Grow(len(obj) + len(sig) + 64)
	b.Write(obj[:pos])
	b.WriteString("gpgsig")
	for line := range bytes.Lines(sig) {
		b.WriteByte(' ')
		b.Write(line)
	}
	b.Write(obj[pos:])
	return b.Bytes()
}

func (s *signer) sign(dir string, payload []byte) ([]byte, error) {
	if s.format == "ssh" {
		return s.signSSH(dir, payload)
	}
	key := s.key
	if key == "" {
		key = committerIdent(payload)
	}
	var out, status bytes.Buffer
	cmd := exec.Command(s.program, "--status-fd=2", "-bsau", key)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(payload)
	cmd.Stdout, cmd.Stderr = &out, &status
	err := cmd.Run()
	created := bytes.HasPrefix(status.Bytes(), []byte("[GNUPG:] SIG_CREATED ")) ||
		bytes.Contains(status.Bytes(), []byte("\n[GNUPG:] SIG_CREATED "))
	if err != nil || !created {
		return nil, signError(s.program, "commit.gpgSign is true, signing key "+quoteKey(key), err, status.Bytes())
	}
	return stripCR(out.Bytes()), nil
}

func (s *signer) signSSH(dir string, payload []byte) ([]byte, error) {
	key := s.key
	if key == "" {
		k, err := s.defaultSSHKey(dir)
		if err != nil {
			return nil, err
		}
		key = k
	}
	args := []string{"-Y", "sign", "-n", "git", "-f"}
	literal, isLiteral := literalSSHKey(key)
	if isLiteral {
		f, err := tempFile(".desk_signing_key_", []byte(literal))
		if err != nil {
			return nil, err
		}
		defer os.Remove(f)
		args = append(args, f, "-U")
	} else {
		args = append(args, expandHome(key))
	}
	buf, err := tempFile(".desk_signing_buffer_", payload)
	if err != nil {
		return nil, err
	}
	defer os.Remove(buf)
	defer os.Remove(buf + ".sig")
	var stderr bytes.Buffer
	cmd := exec.Command(s.program, append(args, buf)...)
	cmd.Dir = dir
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		why := "commit.gpgSign is true, gpg.format = ssh, user.signingKey = " + quoteKey(key)
		if bytes.Contains(stderr.Bytes(), []byte("usage:")) {
			why += "; ssh-keygen -Y sign is needed (OpenSSH 8.2p1 or later)"
		}
		return nil, signError(s.program, why, err, stderr.Bytes())
	}
	sig, err := os.ReadFile(buf + ".sig")
	if err != nil {
		return nil, fmt.Errorf("gitdb: sign commit: %w", err)
	}
	return stripCR(sig), nil
}

// defaultSSHKey runs gpg.ssh.defaultKeyCommand and takes the first line it
// prints, which must be a literal ssh key.
func (s *signer) defaultSSHKey(dir string) (string, error) {
	argv := splitCommandLine(s.keyCmd)
	if len(argv) == 0 {
		return "", fmt.Errorf("gitdb: gpg.ssh.defaultKeyCommand is empty")
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", signError(argv[0], "gpg.ssh.defaultKeyCommand failed", err, stderr.Bytes())
	}
	first, _, _ := strings.Cut(stdout.String(), "\n")
	if _, ok := literalSSHKey(first); !ok {
		return "", fmt.Errorf("gitdb: gpg.ssh.defaultKeyCommand %q printed no ssh key", s.keyCmd)
	}
	return first, nil
}

// literalSSHKey tells whether key is a public key itself rather than a
// file name, and returns it without a "key::" prefix.
func literalSSHKey(key string) (string, bool) {
	if k, ok := strings.CutPrefix(key, "key::"); ok {
		return k, true
	}
	return key, strings.HasPrefix(key, "ssh-")
}

func signError(program, why string, err error, stderr []byte) error {
	msg := strings.TrimSpace(string(stderr))
	if msg == "" {
		msg = "(no output)"
	}
	if err == nil {
		err = errors.New("no signature created")
	}
	return fmt.Errorf("gitdb: %s failed to sign the commit (%s): %v:\n%s", program, why, err, msg)
}

func quoteKey(k string) string {
	if len(k) > 60 {
		k = k[:57] + "..."
	}
	return fmt.Sprintf("%q", k)
}

// committerIdent returns "Name <email>" from the committer line of a commit
// object: the key gpg looks up when user.signingKey is not set.
func committerIdent(obj []byte) string {
	for line := range bytes.Lines(obj) {
		if len(bytes.TrimSpace(line)) == 0 {
			break
		}
		if rest, ok := bytes.CutPrefix(line, []byte("committer ")); ok {
			if i := bytes.LastIndexByte(rest, '>'); i >= 0 {
				return string(rest[:i+1])
			}
		}
	}
	return ""
}

func stripCR(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\r"), nil) }

// tempFile writes data to a new private file in the temporary folder, as git
// does for the payload and a literal key, and returns its name.
func tempFile(prefix string, data []byte) (string, error) {
	f, err := os.CreateTemp("", prefix+"*")
	if err != nil {
		return "", fmt.Errorf("gitdb: sign commit: %w", err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("gitdb: sign commit: %w", err)
	}
	return f.Name(), nil
}

// splitCommandLine splits a command as git's split_cmdline does: on blanks,
// with single and double quotes and backslash escapes, no shell.
func splitCommandLine(s string) []string {
	var args []string
	var cur strings.Builder
	in := false
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == 0 && (c == ' ' || c == '\t' || c == '\n'):
			if in {
				args = append(args, cur.String())
				cur.Reset()
				in = false
			}
			continue
		case c == '\\' && quote != '\'' && i+1 < len(s):
			i++
			c = s[i]
		case quote == 0 && (c == '\'' || c == '"'):
			quote, in = c, true
			continue
		case c == quote:
			quote = 0
			continue
		}
		cur.WriteByte(c)
		in = true
	}
	if in {
		args = append(args, cur.String())
	}
	return args
}
