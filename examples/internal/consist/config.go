// Package consist checks that example desk repositories (examples/helpdesk and the
// output of examples/loadgen) are internally consistent with their desk.toml, as
// spec/FORMAT.md describes it. It is a test helper, deliberately independent of the
// real implementation, so that the examples guard the format and not the code.
package consist

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Shanghai on hosts without zoneinfo

	"github.com/BurntSushi/toml"
)

// Target is one [[sla.priority]] or [[sla.category]] entry.
type Target struct {
	Name    string `toml:"name"`
	Respond string `toml:"respond"`
	Resolve string `toml:"resolve"`
}

// Config is the part of desk.toml the checker and the generator use.
type Config struct {
	Desk struct {
		IDPrefix string `toml:"id_prefix"`
		Timezone string `toml:"timezone"`
		Language string `toml:"language"`
	} `toml:"desk"`
	Tickets struct {
		Categories []string `toml:"categories"`
		Channels   []string `toml:"channels"`
	} `toml:"tickets"`
	Calendar struct {
		Workdays []string    `toml:"workdays"`
		Hours    []string    `toml:"hours"`
		Holidays []time.Time `toml:"holidays"`
	} `toml:"calendar"`
	SLA struct {
		AtRisk   float64  `toml:"at_risk"`
		Pause    []string `toml:"pause"`
		Priority []Target `toml:"priority"`
		Category []Target `toml:"category"`
	} `toml:"sla"`
	Major struct {
		UpdateEvery string   `toml:"update_every"`
		Require     []string `toml:"require"`
	} `toml:"major"`
	Workflow struct {
		Statuses    []string            `toml:"statuses"`
		Initial     string              `toml:"initial"`
		Responded   []string            `toml:"responded"`
		Resolved    []string            `toml:"resolved"`
		Transitions map[string][]string `toml:"transitions"`
	} `toml:"workflow"`
	Required map[string][]string `toml:"required"`
	Sections map[string]string   `toml:"sections"`
	KB       struct {
		ReviewDays int `toml:"review_days"`
	} `toml:"kb"`
	Site struct {
		Title   string `toml:"title"`
		BaseURL string `toml:"base_url"`
	} `toml:"site"`

	Loc       *time.Location `toml:"-"`
	openMin   int            // business hours, minutes after midnight
	closeMin  int
	workdays  map[time.Weekday]bool
	holidays  map[string]bool // "2006-01-02"
	statusIdx map[string]int
}

// Default returns the documented defaults.
func Default() *Config {
	c, err := Parse([]byte(DefaultDeskTOML))
	if err != nil {
		panic(err)
	}
	return c
}

// Load reads DIR/desk.toml over the defaults.
func Load(dir string) (*Config, error) {
	data, err := os.ReadFile(filepath.Join(dir, "desk.toml"))
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// Parse decodes a desk.toml over the defaults. Keys the format does not know are errors.
func Parse(data []byte) (*Config, error) {
	c := &Config{}
	if _, err := toml.Decode(DefaultDeskTOML, c); err != nil {
		return nil, fmt.Errorf("defaults: %w", err)
	}
	// Keys in the file replace the defaults; tables merge key by key.
	md, err := toml.Decode(string(data), c)
	if err != nil {
		return nil, err
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("desk.toml: unknown keys %v", und)
	}
	return c, c.init()
}

func (c *Config) init() error {
	var err error
	if c.Loc, err = time.LoadLocation(c.Desk.Timezone); err != nil {
		return err
	}
	if len(c.Calendar.Hours) != 2 {
		return fmt.Errorf("calendar.hours: want two times")
	}
	if c.openMin, err = clock(c.Calendar.Hours[0]); err != nil {
		return err
	}
	if c.closeMin, err = clock(c.Calendar.Hours[1]); err != nil {
		return err
	}
	days := map[string]time.Weekday{"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
	c.workdays = map[time.Weekday]bool{}
	for _, d := range c.Calendar.Workdays {
		wd, ok := days[d]
		if !ok {
			return fmt.Errorf("calendar.workdays: unknown day %q", d)
		}
		c.workdays[wd] = true
	}
	c.holidays = map[string]bool{}
	for _, h := range c.Calendar.Holidays {
		c.holidays[h.Format("2006-01-02")] = true
	}
	c.statusIdx = map[string]int{}
	for i, s := range c.Workflow.Statuses {
		c.statusIdx[s] = i
	}
	for _, k := range []string{"update_every"} {
		if _, _, err := ParseDuration(c.Major.UpdateEvery); err != nil {
			return fmt.Errorf("major.%s: %w", k, err)
		}
	}
	return nil
}

func clock(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

// ParseDuration parses "30m", "4h", "2d", "8bh", "3bd". The duration of "bd" is in
// business days and must be multiplied by the length of a business day; business
// reports whether the target is measured on the calendar.
func ParseDuration(s string) (n int, unit string, err error) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, "", fmt.Errorf("duration %q: no number", s)
	}
	n, _ = strconv.Atoi(s[:i])
	unit = s[i:]
	switch unit {
	case "m", "h", "d", "bh", "bd":
		return n, unit, nil
	}
	return 0, "", fmt.Errorf("duration %q: unit must be m, h, d, bh or bd", s)
}

// Span is a parsed target: an amount of elapsed or of business time.
type Span struct {
	D        time.Duration
	Business bool
	Text     string
}

// Span converts a duration string of desk.toml.
func (c *Config) Span(s string) (Span, error) {
	n, unit, err := ParseDuration(s)
	if err != nil {
		return Span{}, err
	}
	sp := Span{Text: s}
	switch unit {
	case "m":
		sp.D = time.Duration(n) * time.Minute
	case "h":
		sp.D = time.Duration(n) * time.Hour
	case "d":
		sp.D = time.Duration(n) * 24 * time.Hour
	case "bh":
		sp.D, sp.Business = time.Duration(n)*time.Hour, true
	case "bd":
		sp.D, sp.Business = time.Duration(n*(c.closeMin-c.openMin))*time.Minute, true
	}
	return sp, nil
}

// StatusIndex is the position of a status in workflow.statuses, or -1.
func (c *Config) StatusIndex(s string) int {
	if i, ok := c.statusIdx[s]; ok {
		return i
	}
	return -1
}

// IsBusinessDay reports whether the day of t (in the desk's zone) is a working day.
func (c *Config) IsBusinessDay(t time.Time) bool {
	t = t.In(c.Loc)
	return c.workdays[t.Weekday()] && !c.holidays[t.Format("2006-01-02")]
}

// Window returns the business hours of the day of t, in the desk's zone (whether or not
// that day is a working day).
func (c *Config) Window(t time.Time) (open, close time.Time) {
	t = t.In(c.Loc)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, c.Loc)
	return day.Add(time.Duration(c.openMin) * time.Minute), day.Add(time.Duration(c.closeMin) * time.Minute)
}

// BusinessBetween is the business time between a and b on the calendar.
func (c *Config) BusinessBetween(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	a, b = a.In(c.Loc), b.In(c.Loc)
	var total time.Duration
	day := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, c.Loc)
	for !day.After(b) {
		if c.IsBusinessDay(day) {
			s, e := c.Window(day)
			if a.After(s) {
				s = a
			}
			if b.Before(e) {
				e = b
			}
			if e.After(s) {
				total += e.Sub(s)
			}
		}
		day = day.AddDate(0, 0, 1)
	}
	return total
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Heading returns the body heading of a section key ("description" → "Description").
func (c *Config) Heading(key string) string {
	if h, ok := c.Sections[key]; ok {
		return h
	}
	return strings.ToUpper(key[:1]) + key[1:]
}
