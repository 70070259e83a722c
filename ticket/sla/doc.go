// Package sla computes the response, resolution and update clocks of a
// ticket on business calendars.
//
// Everything here is a pure function of its arguments: no I/O, no clock of its
// own (the caller passes now), no state kept between calls.
//
// # Durations
//
// A target is a whole non-negative number and a unit (ParseDuration): "m",
// "h" and "d" are elapsed (wall) time, a "d" being 24 hours even across a DST
// change; "bh" and "bd" are business time on the Calendar, a "bd" being one
// Calendar.DayLength (Close-Open: "3bd" with 09:00–18:00 is 27 business
// hours).
//
// # Business time
//
// Business time passes only between the opening and closing wall-clock times
// of the calendar's location, on workdays that are not holidays. See Calendar
// for DST and for calendars without business time (treated as always open).
// Workdates are make-up working days on an otherwise free weekday (调休);
// a holiday wins over both a workday and a workdate.
//
// Each Target carries its calendar (desk.toml's calendar key of the entry
// that sets it); a nil one counts on Policy.Calendar. A clock's times are
// in its calendar's location.
// BusinessBetween measures it over an interval; AddBusiness finds the earliest
// instant at which a given amount has passed, starting at the next opening
// when the start is outside the open hours.
//
// # The clocks
//
// Compute takes the ticket's created time, its changes: every event of the
// log that has a "to" (the create event and the transitions), in log order,
// and the times of its public replies (for the update clock).
// The status of the ticket is the To of the latest change; before the first
// change it is "" (no status, which is neither paused, responded nor
// resolved).
//
//   - The response and resolution clocks start at created. Time during
//     which the status is in Policy.Pause counts for no clock.
//   - The response clock stops at the first change whose To is in
//     Policy.Responded. A pause that ends in such a status is just a stop.
//   - The resolution clock is stopped when the latest status is in
//     Policy.Resolved, at the entry into the final run of resolved statuses
//     (resolved → closed: it stopped at resolved, not at closed). A ticket
//     that leaves Resolved (a reopen, e.g. resolved → in_progress) was not
//     resolved: as FORMAT.md defines the resolution time (from created to the
//     last resolution, less paused time), the time it spent resolved before
//     the reopen counts.
//   - The counted time (Clock.Elapsed) is, for elapsed units, the wall time of
//     the counting stretches; for business units, the business time of the
//     counting stretches, so business time spent paused does not count
//     either, and a ticket created outside the open hours starts counting at
//     the next opening. It runs up to the stop (Clock.At) or to now.
//   - Due is the instant at which the counted time reaches the target: if it
//     did so before the stop or now, that instant; otherwise the stop, or now,
//     plus the target's remainder (on the calendar for business units). Every
//     pause or stopped stretch before it moves it later by its length. For a
//     running clock in a pause status, Due is as if the clock resumed now, so
//     it moves on while the pause lasts.
//   - State of a stopped clock: "met" if the counted time at the stop is at
//     most the target, else "breached". State of a running clock, the first
//     that applies: "breached" if the counted time is past the target;
//     "at_risk" if it is at least Policy.AtRisk times the target (a counted
//     time exactly equal to the target is still "at_risk"); "paused" if the
//     ticket is in a pause status; else "running". AtRisk is a share, taken as
//     1 when larger; 0 makes every running clock at risk.
//
// The update (keep-in-touch) clock is the longest an open ticket may go
// without a public reply:
//
//   - It counts like the others, from created, but only in statuses that
//     are neither in Policy.Pause nor in Policy.Resolved, and it starts
//     again (Clock.Since) at every public reply and at every reopen (a
//     change out of a resolved status into another), as a new ticket
//     would. Replies are clamped like changes: not before created or the
//     reply before, not after now.
//   - It stops where the resolution clock stops; a reply after that stop
//     does not start it again.
//   - Due, Elapsed, Left and State are those of the current stretch, so a
//     reply ends a breach; Clock.Missed counts the earlier stretches that
//     ran past the target, which a report counts as breached.
//
// Because counting is in business time, a business clock that reaches its
// target exactly at a closing time stays "at_risk", with Due in the past,
// until the next opening: it has not used more than its target yet, and a
// stop before that opening is "met".
//
// # Bad logs
//
// Compute never fails and never panics; desk check reports bad logs on its
// own. A change earlier than created or than the change before it is taken to
// happen at that time instead (times are clamped forward, the log order is
// kept); a change later than now is taken to happen at now; a now earlier than
// created is taken as created. Changes at the same instant apply in the order
// given. A target with an unknown unit or a negative number gives no clock.
//
// Which targets apply to a ticket (its priority's, overridden by its
// category's, e.g. for complaints) is the caller's business, not this
// package's: Compute takes the targets as arguments.
//
// # Rendering
//
// FormatElapsed renders a counted time: "3h10m" or "2d4h" for elapsed units,
// "12bh30m" for business units; ParseElapsed reads both back. Clock's
// MarshalJSON renders the "sla" object of the command line's JSON.
package sla
