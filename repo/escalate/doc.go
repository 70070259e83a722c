// Package escalate is desk escalate: the [[escalation]] rules of desk.toml
// applied to the open tickets whose clocks are at risk or breached, for a
// scheduled job. Each ticket takes the first rule that matches it and has
// not escalated it before (its escalate event names the rule), so the job
// may run any number of times; a run is one commit of the repository, and
// its JSON may be posted to a webhook, signed as GitHub signs its own.
//
// It reads the repository through repo (the open tickets from the record
// cache's index, each ticket again under the lock before it is changed)
// and asks config for the clocks; nothing in repo knows of it.
package escalate
