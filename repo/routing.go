package repo

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/deskhq/desk/repo/config"
	"github.com/deskhq/desk/repo/records"
)

// route applies the [[routing]] rules to a ticket being registered or
// triaged that lacks an assignee or a priority: each comes from the first
// matching rule that gives one (for a team, round-robin); what the ticket
// already has is kept. It returns what the ticket ends up with, the rule
// that gave the priority (nil: none did) and the note its event records
// ("routed by printers: assignee li.si, priority medium").
//
// d, when not nil, is the batch of tickets drafted in one commit: a team
// is served in turn across them too, and its latest member is read once.
func (r *Repo) route(ctx context.Context, in config.Routed, assignee, priority string, d *Drafts) (gotAssignee, gotPriority string, priorityRule *config.Route, note string, err error) {
	gotAssignee, gotPriority = assignee, priority
	if assignee != "" && priority != "" {
		return gotAssignee, gotPriority, nil, "", nil
	}
	var notes []string
	for _, rule := range r.Config.Routes(in) {
		var gave []string
		if gotAssignee == "" && (rule.Assignee != "" || len(rule.Team) > 0) {
			gotAssignee = rule.Assignee
			if len(rule.Team) > 0 {
				if gotAssignee, err = r.nextInTeam(ctx, rule.Team, d); err != nil {
					return "", "", nil, "", err
				}
			}
			gave = append(gave, "assignee "+gotAssignee)
		}
		if gotPriority == "" && rule.Priority != "" {
			gotPriority, priorityRule = rule.Priority, rule
			gave = append(gave, "priority "+gotPriority)
		}
		if len(gave) > 0 {
			notes = append(notes, fmt.Sprintf("routed by %s: %s", rule.Name, strings.Join(gave, ", ")))
		}
	}
	return gotAssignee, gotPriority, priorityRule, strings.Join(notes, "; "), nil
}

// nextInTeam is the round-robin of a team: the member after the one
// assigned the team's latest ticket (by created, then ID), or the first
// member when none has a ticket yet. It reads only the heads of the record
// cache, so it decodes no record; in a batch (d), once, and then from the
// batch's own choices.
func (r *Repo) nextInTeam(ctx context.Context, team []string, d *Drafts) (string, error) {
	key := strings.Join(team, "\x00")
	latest, known := "", false
	if d != nil {
		latest, known = d.latest[key]
	}
	if !known {
		last := records.Head{}
		err := r.EachRecord(ctx, func(h *records.Head) bool {
			if slices.Contains(team, h.Assignee) && !h.Created.Before(last.Created) {
				last, latest = *h, h.Assignee
			}
			return false
		}, func(*records.Record) error { return nil })
		if err != nil {
			return "", err
		}
	}
	i := slices.Index(team, latest) // -1 when none: the first member
	next := team[(i+1)%len(team)]
	if d != nil {
		d.latest[key] = next
	}
	return next, nil
}

// template returns the body of templates/CATEGORY.md, or "" when the
// category has none. The file is read like every file of the repository,
// following no symbolic link; a category that is not a plain file name
// has no template.
func (r *Repo) template(category string) (string, error) {
	if category == "" || strings.ContainsAny(category, `/\`) || strings.HasPrefix(category, ".") {
		return "", nil
	}
	data, err := r.ReadFile("templates/"+category+".md", MaxTicketSize, "a ticket template")
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return strings.ReplaceAll(string(data), "\r\n", "\n"), nil
}

// templateBody fills a template with a new ticket's description: under the
// template's description heading, and every section heading the template
// leaves out is added after it, so the ticket has the sections
// [required] may ask for.
func templateBody(tmpl, desc string, headings []string) string {
	lines := strings.Split(strings.TrimRight(tmpl, "\n"), "\n")
	var b strings.Builder
	placed := desc == ""
	for _, l := range lines {
		b.WriteString(l + "\n")
		if !placed && strings.TrimSpace(l) == "## "+headings[0] {
			b.WriteString("\n" + desc + "\n")
			placed = true
		}
	}
	body := b.String()
	if !placed {
		body = "## " + headings[0] + "\n\n" + desc + "\n\n" + body
	}
	for _, h := range headings {
		if !hasHeading(body, h) {
			body += "\n## " + h + "\n"
		}
	}
	return "\n" + body
}

func hasHeading(body, h string) bool {
	for l := range strings.SplitSeq(body, "\n") {
		if strings.TrimSpace(l) == "## "+h {
			return true
		}
	}
	return false
}
