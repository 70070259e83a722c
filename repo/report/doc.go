// Package report computes the weekly and monthly review of a desk
// repository (desk report): how many tickets came and went, how fast, how
// well, by whom, and how that compares with the period before.
//
// # Periods
//
// A Period is a stretch of time in the repository's time zone ([desk]
// timezone), from its Start up to, not including, its End: a calendar month
// ("2026-11"), an ISO 8601 week, Monday to Sunday ("2026-W47"), or a range
// given by --since and --until (dates take in the whole --until day). Without
// one, desk report covers the last complete month: the review of November is
// made in the first days of December.
//
// The figures of a period are taken at its cut: its End, or now when the
// period is not over yet (the report is then marked partial). Only the
// events before the cut are read, so the report of a past period is the
// same whenever it is made: what happened in December changes nothing in
// November's figures. --now fixes now for a repeatable run.
//
// The previous period is the one of the same kind just before (the month,
// the week, or as many days); the trend is the last six periods, the
// report's own included, oldest first.
//
// # Figures
//
// Everything is read from the tickets' event logs, through the record cache
// (repo.Repo.EachRecord), in one pass.
//
//   - Opened: tickets created in the period.
//   - Resolved: tickets that moved to a resolved status (workflow.resolved,
//     or a final status such as archived) from one that is not, in the
//     period; closing or archiving a resolved ticket is not another
//     resolution.
//   - Closed: tickets that reached the status "closed" in the period.
//   - Reopened: tickets that moved from a status that is not open (resolved,
//     closed) back to an open one in the period.
//   - Backlog: tickets open at the cut, and their age (wall time since
//     created): median, 90th percentile, oldest.
//   - Shares: the tickets opened in the period by category, channel and
//     priority; the most frequent tags; the problem titles that came up at
//     least twice, compared without case and extra spaces.
//   - SLA attainment, per priority and in all: met ÷ (met + breached) over
//     the clocks of ticket/sla (config.Config.Clocks: the same clocks as desk
//     sla and desk check, with the category's targets where desk.toml sets
//     them). A clock is counted in the period in which its outcome changed:
//     met in the one in which it stopped within its target; breached in the
//     one in which its counted time passed the target, stopped or still
//     running, so an open ticket that breached in October is not counted
//     again in November. A clock still running within its target is not
//     counted. A reopen can turn a met resolution into a breached one: that
//     breach counts in the period of the reopen. The update clock, where
//     desk.toml sets an update target (SLA.Update, "update" in JSON, no
//     times), is breached once any of its stretches between public replies
//     ran past the target, and met when it stopped at a resolution with
//     none that did.
//   - Times: the median and 90th percentile of the clocks that stopped in
//     the period, per priority, in the clock's own units: elapsed time for
//     targets in m, h or d; business hours ("bh") for targets in bh or bd.
//     The median of an even number of values is the mean of the two middle
//     ones; the 90th percentile is the nearest rank, the ⌈0.9·n⌉-th value.
//   - Satisfaction: the feedback confirmed in the period (feedback.
//     confirmed_at, or the feedback event), by rating; the rate is
//     (satisfied + basically_satisfied) ÷ rated.
//   - Assignees (the ticket's assignee): handled, tickets with an event in
//     the period; resolved, as above; open at the cut; on time, the
//     attainment of their resolution clocks settled in the period;
//     satisfaction of the feedback confirmed in it.
//   - Major incidents: tickets with major = true opened in the period or
//     open at its start, with their status and resolution clock at the cut.
//   - Spare parts: the [[parts]] of the tickets resolved in the period,
//     quantities summed by name.
//
// A rate with nothing to divide is null in JSON and "—" elsewhere: an empty
// period is a report of zeros, not an error.
//
// # Formats
//
// Write renders a Report as "md" (GitHub-flavoured Markdown for a pull
// request comment or a wiki: a summary table with the change from the
// previous period, then short tables), "json" or "html". Labels follow
// [desk] language ("en" or "zh"); JSON keys and values do not.
//
// The JSON is the Report type, keys in the order of its fields: language,
// timezone, generated (now), period {name, kind, start, end, as_of,
// partial}, tickets {opened, resolved, closed, reopened}, backlog {open,
// median, p90, oldest, median_minutes, p90_minutes, oldest_minutes,
// oldest_id}, shares {category, channel, priority: [{name, count, share}]},
// tags, titles, sla {respond, resolve: {priorities: [{priority, target, met,
// breached, rate, times: [{unit, count, median, p90, median_minutes,
// p90_minutes}]}], total {met, breached, rate}}}, satisfaction {rated,
// ratings, rate}, assignees [{name, handled, resolved, open, met, breached,
// on_time, rated, positive, satisfaction}], major [{id, title, status,
// priority, lead, created, resolved, elapsed, state}], parts [{name, qty,
// tickets}], previous and trend [{period, start, end, opened, resolved,
// closed, reopened, backlog, respond, resolve, satisfaction}], delta (this
// period less the previous; rates as differences of shares), skipped (paths
// of ticket files that do not parse). Shares and rates are fractions
// rounded to four decimals (0.6667); times are RFC 3339 in the repository's
// time zone; durations are strings as desk writes them ("3h10m", "21bh")
// with the same value in minutes beside them.
//
// The html format is one self-contained page: inline CSS with a dark
// variant (prefers-color-scheme), no script, nothing fetched from anywhere;
// three charts drawn as inline SVG (tickets by category, SLA attainment by
// priority, the trend), each with a <title> and a <desc> that reads its
// numbers, and a table of the same numbers beside it.
package report
