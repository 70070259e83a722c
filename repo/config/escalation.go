package config

import (
	"net/url"
	"slices"
	"strings"

	"github.com/deskhq/desk/ticket/front"
)

// Escalation is one [[escalation]] rule of desk escalate: which open
// tickets it takes (a clock at risk or breached, optionally of one clock,
// priorities and categories) and what it does to them. A ticket is
// escalated by a rule once; its escalate event names the rule.
type Escalation struct {
	Name     string   `toml:"name"`
	When     string   `toml:"when"`  // "at_risk" or "breached"
	Clock    string   `toml:"clock"` // "respond", "resolve", "update"; "": any
	Priority []string `toml:"priority"`
	Category []string `toml:"category"`
	Raise    bool     `toml:"raise"`    // raise the priority one step
	Assignee string   `toml:"assignee"` // hand the ticket over
	Tag      string   `toml:"tag"`      // add a tag
}

// Webhook is the [webhook] table: where desk escalate posts what it did.
type Webhook struct {
	URL       string `toml:"url"`
	SecretEnv string `toml:"secret_env"` // names the variable holding the HMAC secret
}

// Clocks names the clocks a ticket may have, for messages and [[escalation]].
var Clocks = []string{"respond", "resolve", "update"}

// escalation checks [[escalation]] and [webhook].
func (r *configReader) escalation() error {
	seen := map[string]bool{}
	for i := range r.c.Escalation {
		e := &r.c.Escalation[i]
		at := func(key string) front.Pos { return r.entryAt("escalation", i, key) }
		if strings.TrimSpace(e.Name) == "" {
			return r.fail(at("name"), "escalation %d: name is missing; events name the rule, so that a ticket is escalated by it once", i+1)
		}
		if seen[e.Name] {
			return r.fail(at("name"), "escalation: two rules are named %q", e.Name)
		}
		seen[e.Name] = true
		if e.When != "at_risk" && e.When != "breached" {
			return r.fail(at("when"), "escalation %q: when = %q; want \"at_risk\" or \"breached\"", e.Name, e.When)
		}
		if e.Clock != "" && !slices.Contains(Clocks, e.Clock) {
			return r.fail(at("clock"), "escalation %q: clock = %q; want one of %s, or leave it out for any", e.Name, e.Clock, strings.Join(Clocks, ", "))
		}
		for _, p := range e.Priority {
			if !slices.Contains(r.c.Priorities(), p) {
				return r.fail(at("priority"), "escalation %q: priority %q is not one of the [[sla.priority]] names (%s)", e.Name, p, strings.Join(r.c.Priorities(), ", "))
			}
		}
		for _, cat := range e.Category {
			if !slices.Contains(r.c.Tickets.Categories, cat) {
				return r.fail(at("category"), "escalation %q: category %q is not one of tickets.categories (%s)", e.Name, cat, strings.Join(r.c.Tickets.Categories, ", "))
			}
		}
		if strings.ContainsAny(e.Tag, " ,") {
			return r.fail(at("tag"), "escalation %q: tag %q: a tag is one word", e.Name, e.Tag)
		}
	}
	w := r.c.Webhook
	if w.URL == "" {
		if w.SecretEnv != "" {
			return r.fail(r.at("webhook", "secret_env"), "webhook.secret_env without webhook.url")
		}
		return nil
	}
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return r.fail(r.at("webhook", "url"), "webhook.url %q: want an http:// or https:// URL", w.URL)
	}
	if w.SecretEnv != "" && strings.ContainsAny(w.SecretEnv, " =$") {
		return r.fail(r.at("webhook", "secret_env"), "webhook.secret_env %q: want the name of an environment variable (DESK_WEBHOOK_SECRET), not its value", w.SecretEnv)
	}
	return nil
}

// RaisedPriority is the priority one step more urgent than p (the
// [[sla.priority]] entries go from the most urgent down), or p itself when
// it is the most urgent. A ticket without a priority is raised from the one
// its clocks use (sla.default_priority, else the least urgent).
func (c *Config) RaisedPriority(p string) string {
	ps := c.Priorities()
	eff := p
	if eff == "" {
		eff = c.SLA.DefaultPriority
		if eff == "" && len(ps) > 0 {
			eff = ps[len(ps)-1]
		}
	}
	if i := slices.Index(ps, eff); i > 0 {
		return ps[i-1]
	}
	return eff
}
