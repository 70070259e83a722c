package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/deskhq/desk/ticket/front"
)

// Route is one [[routing]] rule: which new tickets it matches and what it
// gives them. A rule matches when every key it sets matches (any of a
// list's values). A ticket takes its assignee from the first matching rule
// that gives one, and its priority likewise.
type Route struct {
	Name     string   `toml:"name"`
	Category []string `toml:"category"`
	Channel  []string `toml:"channel"`
	Tags     []string `toml:"tags"`
	Words    []string `toml:"words"` // in the title or description, in any case
	Org      []string `toml:"org"`   // the requester's org, in any case
	Assignee string   `toml:"assignee"`
	Team     []string `toml:"team"` // round-robin: the member after the one who took the team's latest ticket
	Priority string   `toml:"priority"`
}

// Routed is what the routing rules know of a ticket being registered or
// triaged.
type Routed struct {
	Category, Channel, Org, Title, Description string
	Tags                                       []string
}

// Routes returns the [[routing]] rules that match t, in the file's order.
func (c *Config) Routes(t Routed) []*Route {
	var out []*Route
	for i := range c.Routing {
		if c.Routing[i].matches(t) {
			out = append(out, &c.Routing[i])
		}
	}
	return out
}

func (rt *Route) matches(t Routed) bool {
	anyOf := func(want []string, got ...string) bool {
		if len(want) == 0 {
			return true
		}
		for _, g := range got {
			if slices.ContainsFunc(want, func(w string) bool { return strings.EqualFold(w, g) }) {
				return true
			}
		}
		return false
	}
	if !anyOf(rt.Category, t.Category) || !anyOf(rt.Channel, t.Channel) || !anyOf(rt.Org, t.Org) {
		return false
	}
	if len(rt.Tags) > 0 && (len(t.Tags) == 0 || !anyOf(rt.Tags, t.Tags...)) {
		return false
	}
	if len(rt.Words) > 0 {
		text := strings.ToLower(t.Title + "\n" + t.Description)
		return slices.ContainsFunc(rt.Words, func(w string) bool { return strings.Contains(text, strings.ToLower(w)) })
	}
	return true
}

// routing checks [[routing]]: each rule gives an assignee, a team or a
// priority, not both an assignee and a team, and names only categories,
// channels and priorities the configuration has. A rule without a name is
// called "routing rule N" (from 1), as events and messages name it.
func (r *configReader) routing() error {
	seen := map[string]bool{}
	for i := range r.c.Routing {
		rt := &r.c.Routing[i]
		at := func(key string) front.Pos { return r.entryAt("routing", i, key) }
		if rt.Name == "" {
			rt.Name = fmt.Sprintf("routing rule %d", i+1)
		}
		if seen[rt.Name] {
			return r.fail(at("name"), "routing: two rules are named %q; a name says which rule routed a ticket", rt.Name)
		}
		seen[rt.Name] = true
		switch {
		case rt.Assignee != "" && len(rt.Team) > 0:
			return r.fail(at("team"), "routing %q: give assignee or team, not both", rt.Name)
		case rt.Assignee == "" && len(rt.Team) == 0 && rt.Priority == "":
			return r.fail(at("name"), "routing %q gives nothing: set assignee, team (round-robin) or priority", rt.Name)
		}
		for _, list := range []struct {
			key, listKey  string
			vals, allowed []string
		}{
			{"category", "categories", rt.Category, r.c.Tickets.Categories},
			{"channel", "channels", rt.Channel, r.c.Tickets.Channels},
		} {
			for _, v := range list.vals {
				if !slices.Contains(list.allowed, v) {
					return r.fail(at(list.key), "routing %q: %s %q is not one of tickets.%s (%s)", rt.Name, list.key, v, list.listKey, strings.Join(list.allowed, ", "))
				}
			}
		}
		if rt.Priority != "" && !slices.Contains(r.c.Priorities(), rt.Priority) {
			return r.fail(at("priority"), "routing %q: priority %q is not one of the [[sla.priority]] names (%s)", rt.Name, rt.Priority, strings.Join(r.c.Priorities(), ", "))
		}
		for _, w := range rt.Words {
			if strings.TrimSpace(w) == "" {
				return r.fail(at("words"), "routing %q: an empty word would match every ticket", rt.Name)
			}
		}
		if slices.Contains(rt.Team, "") {
			return r.fail(at("team"), "routing %q: a team member's name is empty", rt.Name)
		}
	}
	return nil
}
