// The default configuration, copied verbatim from the desk.toml block of spec/FORMAT.md.

package consist

// DefaultDeskTOML is the desk.toml that desk init writes: every documented default.
const DefaultDeskTOML = `[desk]
id_prefix = "TS"                 # ticket IDs are PREFIX-YYYYMMDD-N
timezone = "Asia/Shanghai"       # IANA name: the day of an ID, calendars, reports
language = "en"                  # "en" or "zh": headings and wording of new files and the site

[tickets]
categories = ["hardware", "software", "question", "request", "complaint", "other"]
channels = ["phone", "email", "chat", "portal", "onsite"]

[calendar]                       # business time, for targets in "bh" and "bd"
workdays = ["mon", "tue", "wed", "thu", "fri"]
hours = ["09:00", "18:00"]
holidays = [2026-10-01, 2026-10-02]

[sla]
at_risk = 0.75                   # an open ticket is at risk once this share of a target has passed
pause = ["pending"]              # statuses during which both clocks stop

[[sla.priority]]
name = "high"
respond = "1h"
resolve = "4h"

[[sla.priority]]
name = "medium"
respond = "4h"
resolve = "24h"

[[sla.priority]]
name = "low"
respond = "24h"
resolve = "3bd"

[[sla.category]]                 # optional: a category whose targets override the priority's
name = "complaint"
respond = "24h"

[major]                          # tickets with major = true (the emergency mechanism)
update_every = "2h"              # an open major ticket needs an event at least this often
require = ["lead", "section:postmortem"]   # before it may be closed

[workflow]
statuses = ["new", "triaged", "in_progress", "pending", "resolved", "closed", "archived"]
initial = "new"
responded = ["triaged", "in_progress", "pending", "resolved", "closed"]  # reaching one of these is the first response
resolved = ["resolved", "closed"]                                     # reaching one of these stops the resolution clock

[workflow.transitions]
new = ["triaged", "in_progress", "closed"]
triaged = ["in_progress", "pending", "closed"]
in_progress = ["pending", "resolved"]
pending = ["in_progress", "resolved", "closed"]
resolved = ["closed", "in_progress"]          # back to in_progress = reopened
closed = ["archived", "in_progress"]
archived = []

[required]                       # what a ticket must hold once it has reached a status, and ever after
new = ["title", "requester.name", "requester.contact", "channel", "section:description"]
triaged = ["category", "priority", "priority_reason", "assignee"]
resolved = ["section:handling", "section:resolution"]
closed = ["feedback.rating", "feedback.confirmed_by", "feedback.confirmed_at"]

[sections]                       # body headings by key; language = "zh" defaults to the Chinese names
description = "Description"      # 问题描述
analysis = "Analysis"            # 问题分析
handling = "Handling record"     # 技术处理过程
resolution = "Resolution"        # 处理结果
postmortem = "Post-incident review"  # 故障总结

[kb]
review_days = 365                # published articles without review_by get this review interval

[site]
title = "Knowledge base"
base_url = "/"
`
