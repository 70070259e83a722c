// Package config is desk.toml: the configuration of a desk repository,
// validated, with every default applied (Config), and the questions the
// rest of desk asks it — which statuses exist and how they connect, what a
// ticket must hold at a status (Missing), which targets and calendar its
// clocks run on (Targets, Clocks), which headings its body sections have.
//
// desk.toml is read in three steps (parse.go). ticket/front's scanner
// indexes the file (front.ScanTOML), so that every message can name the
// line and column of the key, table or [[array]] entry at fault; it is the
// one TOML position reader of desk. BurntSushi/toml then decodes it: a
// syntax error keeps BurntSushi's message, at the position front gives.
// Before the file is decoded into Config, front's CheckTypes walks the
// decoded values beside Config's fields to find a value of the wrong type or
// an unknown key, which BurntSushi reports without a position or an array
// index; typeError (parse.go) words them. Last, one small method per table
// ([desk], [tickets], [workflow], [required], [sections], [calendar] and
// [calendars.NAME], [sla], [major], [kb], [site], [check.rules],
// [[routing]], [[escalation]] and [webhook], [intake], [mail]; in files of
// their own when they are more than a few lines), called in that order by Parse,
// fills in the defaults of the keys left out (IsDefined, not zero values,
// tells which) and checks the values, the later tables against the earlier
// ones (statuses, categories). The first problem is returned as an *Error,
// printed path:line: message.
//
// The package reads no file but the one Load is given, and the iCalendar
// files desk.toml names through the reader ParseWith is given (repo's, which
// follows no symbolic link); it knows nothing of git: a Config is a value,
// shared read-only by every command.
package config
