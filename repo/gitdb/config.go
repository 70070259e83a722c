package gitdb

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// gitConfig holds config values in the order git reads them, so that the
// last one wins as in git (including values brought in by include.path at
// the point of the include).
type gitConfig struct {
	keys, vals []string
	srcs       []string // the file each value came from, for messages
}

func (c *gitConfig) add(key, val, src string) {
	c.keys = append(c.keys, key)
	c.vals = append(c.vals, val)
	c.srcs = append(c.srcs, src)
}

// get returns the last value of key ("section.name" or
// "section.subsection.name", section and name lower-case).
func (c *gitConfig) get(key string) (string, bool) {
	v, _, ok := c.lookup(key, 0)
	return v, ok
}

// origin returns the file that set the value get returns ("" if unset), so
// that a message can name where a setting comes from.
func (c *gitConfig) origin(key string) string {
	_, src, _ := c.lookup(key, 0)
	return src
}

// lookup finds the last value of key among the values from index from on.
func (c *gitConfig) lookup(key string, from int) (val, src string, ok bool) {
	for i := len(c.keys) - 1; i >= from; i-- {
		if c.keys[i] == key {
			return c.vals[i], c.srcs[i], true
		}
	}
	return "", "", false
}

// all returns every value of a multi-valued key in order.
func (c *gitConfig) all(key string) []string {
	var vals []string
	for i, k := range c.keys {
		if k == key {
			vals = append(vals, c.vals[i])
		}
	}
	return vals
}

// normKey lower-cases the section and the variable name of a dotted key but
// keeps the subsection, which is case-sensitive in git.
func normKey(k string) string {
	first := strings.IndexByte(k, '.')
	last := strings.LastIndexByte(k, '.')
	if first < 0 {
		return strings.ToLower(k)
	}
	return strings.ToLower(k[:first]) + k[first:last] + strings.ToLower(k[last:])
}

// configCtx is what conditional includes are evaluated against.
type configCtx struct {
	gitDir string // "" outside a repository: gitdir: conditions are false
	branch string // short name of the current branch, "" if detached
}

func readConfigFile(path string) (*gitConfig, error) {
	c := &gitConfig{}
	err := c.load(path, configCtx{}, 0, true)
	return c, err
}

// loadConfig reads the config files in git's order: system, global, the
// repository's (commonDir/config), the worktree's config.worktree, then
// GIT_CONFIG_COUNT/KEY_n/VALUE_n. Missing files are skipped.
func loadConfig(commonDir, gitDir, branch string) (*gitConfig, error) {
	c := &gitConfig{}
	ctx := configCtx{gitDir: gitDir, branch: branch}
	for _, f := range userConfigFiles() {
		if err := c.load(f, ctx, 0, true); err != nil {
			return nil, err
		}
	}
	if commonDir != "" {
		mark := len(c.keys)
		if err := c.load(filepath.Join(commonDir, "config"), ctx, 0, true); err != nil {
			return nil, err
		}
		// Like git, only the repository's own config can turn the
		// extension on; config.worktree then comes right after it.
		if v, _, _ := c.lookup("extensions.worktreeconfig", mark); isTrue(v) {
			if err := c.load(filepath.Join(gitDir, "config.worktree"), ctx, 0, true); err != nil {
				return nil, err
			}
		}
	}
	c.addEnv()
	return c, nil
}

// loadProtectedConfig reads what git calls the protected config: system,
// global and command line (GIT_CONFIG_COUNT), never the repository's own,
// which whoever owns the repository could have written. safe.directory is
// read from it only.
func loadProtectedConfig() (*gitConfig, error) {
	c := &gitConfig{}
	for _, f := range userConfigFiles() {
		if err := c.load(f, configCtx{}, 0, true); err != nil {
			return nil, err
		}
	}
	c.addEnv()
	return c, nil
}

// userConfigFiles lists the system and global config files git reads, in
// order, honouring GIT_CONFIG_NOSYSTEM, GIT_CONFIG_SYSTEM and
// GIT_CONFIG_GLOBAL.
func userConfigFiles() []string {
	var files []string
	if !envBool("GIT_CONFIG_NOSYSTEM") {
		if f, ok := os.LookupEnv("GIT_CONFIG_SYSTEM"); ok {
			files = append(files, f)
		} else {
			files = append(files, "/etc/gitconfig")
		}
	}
	if f, ok := os.LookupEnv("GIT_CONFIG_GLOBAL"); ok {
		files = append(files, f)
	} else {
		home, _ := os.UserHomeDir()
		xdg := os.Getenv("XDG_CONFIG_HOME")
		if xdg == "" && home != "" {
			xdg = filepath.Join(home, ".config")
		}
		if xdg != "" {
			files = append(files, filepath.Join(xdg, "git", "config"))
		}
		if home != "" {
			files = append(files, filepath.Join(home, ".gitconfig"))
		}
	}
	out := files[:0]
	for _, f := range files {
		if f != "" && f != os.DevNull {
			out = append(out, f)
		}
	}
	return out
}

// addEnv adds the GIT_CONFIG_COUNT/KEY_n/VALUE_n settings (what `git -c`
// passes to child processes), which come last.
func (c *gitConfig) addEnv() {
	if n, err := strconv.Atoi(os.Getenv("GIT_CONFIG_COUNT")); err == nil {
		for i := range n {
			k := os.Getenv(fmt.Sprintf("GIT_CONFIG_KEY_%d", i))
			if k != "" {
				c.add(normKey(k), os.Getenv(fmt.Sprintf("GIT_CONFIG_VALUE_%d", i)), fmt.Sprintf("GIT_CONFIG_KEY_%d", i))
			}
		}
	}
}

func envBool(name string) bool { return isTrue(os.Getenv(name)) }

// parseBool reads a boolean setting as git_config_bool does: true, yes, on
// and non-zero numbers are true; false, no, off, 0 and "" are false; anything
// else is an error (on which git dies).
func parseBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on":
		return true, nil
	case "false", "no", "off", "":
		return false, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 0, 64)
	if err != nil {
		return false, fmt.Errorf("bad boolean value %q", v)
	}
	return n != 0, nil
}

func isTrue(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on", "1":
		return true
	}
	return false
}

// load parses one config file (git's syntax: [section "sub"], key = value,
// quotes, backslash escapes and continuations, # and ; comments) and follows
// include.path and includeIf.<cond>.path as git does.
func (c *gitConfig) load(path string, ctx configCtx, depth int, optional bool) error {
	if depth > 10 {
		return fmt.Errorf("gitdb: config %s: include depth exceeded", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if optional && (errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) || isNotDir(err)) {
			return nil
		}
		return fmt.Errorf("gitdb: read config: %w", err)
	}
	p := &cfgParser{src: string(data), file: path}
	return p.parse(func(key, val string) error {
		c.add(key, val, path)
		inc := ""
		switch {
		case key == "include.path":
			inc = val
		case strings.HasPrefix(key, "includeif.") && strings.HasSuffix(key, ".path"):
			cond := key[len("includeif.") : len(key)-len(".path")]
			if ctx.matches(cond, path) {
				inc = val
			}
		}
		if inc == "" {
			return nil
		}
		inc = expandHome(inc)
		if !filepath.IsAbs(inc) {
			inc = filepath.Join(filepath.Dir(path), inc)
		}
		return c.load(inc, ctx, depth+1, true)
	})
}

func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}

// matches evaluates an includeIf condition; unknown kinds are false, as in
// git.
func (ctx configCtx) matches(cond, file string) bool {
	switch {
	case strings.HasPrefix(cond, "gitdir:"), strings.HasPrefix(cond, "gitdir/i:"):
		if ctx.gitDir == "" {
			return false
		}
		kind, pat, _ := strings.Cut(cond, ":")
		if rest, ok := strings.CutPrefix(pat, "./"); ok {
			pat = filepath.Join(filepath.Dir(file), rest)
		}
		pat = expandHome(pat)
		if !strings.HasPrefix(pat, "/") {
			pat = "**/" + pat
		}
		if strings.HasSuffix(pat, "/") {
			pat += "**"
		}
		dir := filepath.ToSlash(ctx.gitDir)
		return globMatch(pat, dir, kind == "gitdir/i") || globMatch(pat, dir+"/", kind == "gitdir/i")
	case strings.HasPrefix(cond, "onbranch:"):
		if ctx.branch == "" {
			return false
		}
		pat := strings.TrimPrefix(cond, "onbranch:")
		if strings.HasSuffix(pat, "/") {
			pat += "**"
		}
		return globMatch(pat, ctx.branch, false)
	}
	return false
}

// globMatch implements the wildmatch subset used by includeIf: "**" crosses
// slashes, "*" and "?" do not, [...] is a character class.
func globMatch(pat, s string, fold bool) bool {
	var b strings.Builder
	b.WriteString("^")
	if fold {
		b.WriteString("(?i)")
	}
	for i := 0; i < len(pat); i++ {
		switch c := pat[i]; c {
		case '*':
			if i+1 < len(pat) && pat[i+1] == '*' {
				i++
				if i+1 < len(pat) && pat[i+1] == '/' {
					i++
					b.WriteString("(?:.*/)?")
				} else {
					b.WriteString(".*")
				}
			} else {
				b.WriteString("[^/]*")
			}
		case '?':
			b.WriteString("[^/]")
		case '[':
			end := strings.IndexByte(pat[i+1:], ']')
			if end < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := pat[i+1 : i+1+end]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += end + 1
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	return err == nil && re.MatchString(s)
}

type cfgParser struct {
	src  string
	pos  int
	line int
	file string
}

func (p *cfgParser) errf(format string, a ...any) error {
	return fmt.Errorf("gitdb: bad config line %d in %s: %s", p.line+1, p.file, fmt.Sprintf(format, a...))
}

func (p *cfgParser) peek() int {
	if p.pos >= len(p.src) {
		return -1
	}
	return int(p.src[p.pos])
}

func (p *cfgParser) parse(emit func(key, val string) error) error {
	section := ""
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '\n':
			p.line++
			p.pos++
		case c == ' ' || c == '\t' || c == '\r':
			p.pos++
		case c == '#' || c == ';':
			p.skipLine()
		case c == '[':
			s, err := p.sectionHeader()
			if err != nil {
				return err
			}
			section = s
		case isAlpha(c):
			if section == "" {
				return p.errf("variable outside a section")
			}
			start := p.pos
			for p.pos < len(p.src) && (isAlpha(p.src[p.pos]) || isDigit(p.src[p.pos]) || p.src[p.pos] == '-') {
				p.pos++
			}
			name := strings.ToLower(p.src[start:p.pos])
			for p.peek() == ' ' || p.peek() == '\t' {
				p.pos++
			}
			val := "true" // a bare key is boolean true
			if p.peek() == '=' {
				p.pos++
				v, err := p.value()
				if err != nil {
					return err
				}
				val = v
			} else if c := p.peek(); c != -1 && c != '\n' && c != '\r' && c != '#' && c != ';' {
				return p.errf("bad variable name")
			}
			if err := emit(section+"."+name, val); err != nil {
				return err
			}
		default:
			return p.errf("unexpected %q", c)
		}
	}
	return nil
}

func (p *cfgParser) skipLine() {
	for p.pos < len(p.src) && p.src[p.pos] != '\n' {
		p.pos++
	}
}

// sectionHeader parses [name], [name "subsection"] or the old [name.sub].
func (p *cfgParser) sectionHeader() (string, error) {
	p.pos++ // '['
	start := p.pos
	for p.pos < len(p.src) && (isAlpha(p.src[p.pos]) || isDigit(p.src[p.pos]) || p.src[p.pos] == '-' || p.src[p.pos] == '.') {
		p.pos++
	}
	name := strings.ToLower(p.src[start:p.pos])
	if name == "" {
		return "", p.errf("empty section name")
	}
	switch p.peek() {
	case ']':
		p.pos++
		return name, nil // [name] or [name.sub] (old syntax, lower-cased by git too)
	case ' ', '\t':
		for p.peek() == ' ' || p.peek() == '\t' {
			p.pos++
		}
		if p.peek() != '"' {
			return "", p.errf("bad section header")
		}
		p.pos++
		var sub strings.Builder
		for {
			c := p.peek()
			switch c {
			case -1, '\n':
				return "", p.errf("unterminated subsection")
			case '\\':
				p.pos++
				if n := p.peek(); n == -1 || n == '\n' {
					return "", p.errf("bad escape in subsection")
				}
				sub.WriteByte(p.src[p.pos])
				p.pos++
				continue
			case '"':
				p.pos++
				if p.peek() != ']' {
					return "", p.errf("bad section header")
				}
				p.pos++
				return name + "." + sub.String(), nil
			}
			sub.WriteByte(byte(c))
			p.pos++
		}
	}
	return "", p.errf("bad section header")
}

// value parses a value up to the end of the line as git does: whitespace
// outside quotes is trimmed at the ends and kept as single spaces inside.
func (p *cfgParser) value() (string, error) {
	var b strings.Builder
	quoted := false
	spaces := 0
	started := false
	for {
		c := p.peek()
		if c == -1 {
			break
		}
		if c == '\n' {
			if quoted {
				return "", p.errf("unterminated quote")
			}
			break
		}
		p.pos++
		if !quoted && (c == ' ' || c == '\t' || c == '\r') {
			if started {
				spaces++
			}
			continue
		}
		if !quoted && (c == '#' || c == ';') {
			p.skipLine()
			break
		}
		for ; spaces > 0; spaces-- {
			b.WriteByte(' ')
		}
		started = true
		switch c {
		case '"':
			quoted = !quoted
		case '\\':
			n := p.peek()
			p.pos++
			switch n {
			case '\n':
				p.line++ // continuation
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'b':
				if s := b.String(); len(s) > 0 {
					b.Reset()
					b.WriteString(s[:len(s)-1])
				}
			case '\\', '"':
				b.WriteByte(byte(n))
			default:
				return "", p.errf("bad escape")
			}
		default:
			b.WriteByte(byte(c))
		}
	}
	return b.String(), nil
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// Identity is who made a commit and when, as written in its author and
// committer lines.
type Identity struct {
	Name  string
	Email string
	When  time.Time
}

// config reads the repository's effective config (system, global, local,
// worktree), fresh each time so a user fixing user.email between two
// commands is seen.
func (r *Repo) config() (*gitConfig, error) {
	branch := ""
	if ref, _, err := r.readHead(); err == nil {
		branch = strings.TrimPrefix(ref, "refs/heads/")
		if ref == "HEAD" {
			branch = ""
		}
	}
	return loadConfig(r.commonDir, r.gitDir, branch)
}

// Identity resolves the author and committer as git does: the
// GIT_AUTHOR_NAME/EMAIL/DATE and GIT_COMMITTER_NAME/EMAIL/DATE variables, then
// author.* / committer.* and user.* from the repository, global and system
// config, then the EMAIL variable for the address. The time is r.Now (or the
// current time) unless a *_DATE variable gives one. With no name or email it
// fails with an error wrapping ErrNoIdentity that says how to set them.
func (r *Repo) Identity() (author, committer Identity, err error) {
	cfg, err := r.config()
	if err != nil {
		return Identity{}, Identity{}, err
	}
	now := time.Now()
	if r.Now != nil {
		now = r.Now()
	}
	author, err = resolveIdent(cfg, "author", now)
	if err != nil {
		return Identity{}, Identity{}, err
	}
	committer, err = resolveIdent(cfg, "committer", now)
	return author, committer, err
}

func resolveIdent(cfg *gitConfig, role string, now time.Time) (Identity, error) {
	env := "GIT_" + strings.ToUpper(role) + "_"
	first := func(cands ...func() string) string {
		for _, f := range cands {
			if v := strings.TrimSpace(f()); v != "" {
				return v
			}
		}
		return ""
	}
	conf := func(k string) func() string { return func() string { v, _ := cfg.get(k); return v } }
	envv := func(k string) func() string { return func() string { return os.Getenv(k) } }
	id := Identity{
		Name:  sanitizeIdent(first(envv(env+"NAME"), conf(role+".name"), conf("user.name"))),
		Email: sanitizeIdent(first(envv(env+"EMAIL"), conf(role+".email"), conf("user.email"), envv("EMAIL"))),
		When:  now,
	}
	if id.Name == "" || id.Email == "" {
		return Identity{}, fmt.Errorf("gitdb: %s identity unknown: set user.name and user.email: "+
			"git config --global user.email you@example.com; git config --global user.name \"Your Name\": %w", role, ErrNoIdentity)
	}
	if d := os.Getenv(env + "DATE"); d != "" {
		t, err := parseGitDate(d)
		if err != nil {
			return Identity{}, fmt.Errorf("gitdb: %sDATE: %w", env, err)
		}
		id.When = t
	}
	return id, nil
}

// sanitizeIdent drops the characters git drops from names and emails, which
// would break the "Name <email>" syntax of commit headers.
func sanitizeIdent(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '<', '>', '\n', 0:
			return -1
		}
		return r
	}, s)
	return strings.Trim(s, " \t.,:;\"'\\")
}

var rawDate = regexp.MustCompile(`^@?(\d+)(?:\s+([+-]\d{4}))?$`)

// parseGitDate accepts the formats of GIT_AUTHOR_DATE that git documents:
// raw ("@1700000000 +0100" or "1700000000 +0100"), RFC 2822 and ISO 8601.
func parseGitDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if m := rawDate.FindStringSubmatch(s); m != nil {
		sec, err := strconv.ParseInt(m[1], 10, 64)
		if err == nil {
			t := time.Unix(sec, 0).UTC()
			if m[2] != "" {
				t = t.In(zoneOf(m[2]))
			}
			return t, nil
		}
	}
	layouts := []string{
		time.RFC1123Z, "Mon, 2 Jan 2006 15:04:05 -0700", "2 Jan 2006 15:04:05 -0700",
		time.RFC3339Nano, "2006-01-02T15:04:05-0700", "2006-01-02 15:04:05 -0700",
		"2006-01-02 15:04:05-07:00", "2006-01-02T15:04:05", "2006-01-02 15:04:05",
		"Mon Jan 2 15:04:05 2006 -0700",
	}
	for _, l := range layouts {
		if t, err := time.ParseInLocation(l, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid date format: %s", s)
}

func zoneOf(tz string) *time.Location {
	h, _ := strconv.Atoi(tz[1:3])
	m, _ := strconv.Atoi(tz[3:5])
	off := h*3600 + m*60
	if tz[0] == '-' {
		off = -off
	}
	return time.FixedZone("", off)
}

// gitTime formats t as git does in commit headers and reflogs:
// "<unix seconds> <+hhmm>".
func gitTime(t time.Time) string {
	_, off := t.Zone()
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%d %c%02d%02d", t.Unix(), sign, off/3600, off%3600/60)
}
