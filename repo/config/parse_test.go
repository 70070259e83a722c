package config

import (
	"errors"
	"strings"
	"testing"
)

// TestConfigErrorPositions checks each table's errors: the whole message
// and the exact position (line, and column in runes), with English and
// Chinese text.
func TestConfigErrorPositions(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       string
		col        int
	}{
		// Decoding: syntax, types, unknown keys.
		{"syntax", "[desk]\nid_prefix = = 1\n", "desk.toml:2: expected value but found '=' instead", 13},
		{"syntax after chinese", "# 配置\n[desk]\n\"名称\" = \"未结束\n", "desk.toml:3: strings cannot contain newlines", 12},
		{"wrong type", "[sla]\n  at_risk = \"most\"\n", "desk.toml:2: sla.at_risk: wrong type: TOML value has type string; destination has type float", 3},
		{"wrong type in a list", "[tickets]\ncategories = [\"硬件\", 2]\n", "desk.toml:2: tickets.categories: wrong type: TOML value has type int64; destination has type string", 1},
		{"not a table", "desk = \"工单\"\n", "desk.toml:1: desk: type mismatch: expected table but found string", 1},
		{"transitions not a table", "[workflow]\ntransitions = 3\n", "desk.toml:2: workflow.transitions: wrong type: TOML value has type int64; destination has type map", 1},
		{"bad holiday", "[calendar]\nholidays = [\"Oct 1\"]\n", `desk.toml:2: parsing time "Oct 1" as "2006-01-02T15:04:05Z07:00": cannot parse "Oct 1" as "2006"`, 13},
		{"first wrong type in the file", "[desk]\nid_prefix = \"IT\"\ntimezone = 8\nlanguage = 9\n", "desk.toml:3: desk.timezone: wrong type: TOML value has type int64; destination has type string", 1},
		{"unknown key", "[desk]\n  id_prefx = \"IT\"\n", `desk.toml:2: unknown key "desk.id_prefx"`, 3},
		{"unknown chinese key", "[site]\n\"标题\" = \"知识库\"\n", `desk.toml:2: unknown key "site.\"标题\""`, 1},
		{"unknown table", "[desk]\n[desk.sub]\nx = 1\n", `desk.toml:2: unknown key "desk.sub"`, 1},
		{"unknown key in an entry", "[[sla.priority]]\nname = \"高\"\n[[sla.priority]]\nname = \"低\"\nfoo = 1\n", `desk.toml:5: unknown key "sla.priority.foo"`, 1},
		{"unknown key inline", "[check]\nrules = { \"kb-stale\" = \"off\" }\nx = { \"规则\" = 1 }\n", `desk.toml:3: unknown key "check.x"`, 1},
		{"unknown dotted key in an entry", "[[sla.priority]]\nname = \"高\"\nx.y = 1\n", `desk.toml:3: unknown key "sla.priority.x"`, 1},
		{"unknown array below an entry", "[[sla.priority]]\nname = \"高\"\n[[sla.priority.x]]\n", `desk.toml:3: unknown key "sla.priority.x"`, 1},
		{"wrong type in an inline entry", "[sla]\npriority = [{ name = \"高\" }, { name = 1 }]\n", "desk.toml:2: sla.priority.name: wrong type: TOML value has type int64; destination has type string", 31},
		{"wrong type of a boolean", "[[escalation]]\nname = \"升级\"\nwhen = \"breached\"\nraise = \"yes\"\n", "desk.toml:4: escalation.raise: wrong type: TOML value has type string; destination has type boolean", 1},
		{"wrong type before an unknown key", "[desk]\nid_prefx = \"IT\"\n[kb]\nreview_days = \"30\"\n", "desk.toml:4: kb.review_days: wrong type: TOML value has type string; destination has type integer", 1},

		// [desk]
		{"prefix", "[desk]\nid_prefix = \"工单\"\n", `desk.toml:2: id_prefix "工单": want 1 to 16 capital letters or digits, starting with a letter (e.g. "TS")`, 1},
		{"prefix inline", "desk = { language = \"zh\", id_prefix = \"it\" }\n", `desk.toml:1: id_prefix "it": want 1 to 16 capital letters or digits, starting with a letter (e.g. "TS")`, 27},
		{"time zone", "[desk]\n\ttimezone = \"亚洲/上海\"\n", `desk.toml:2: unknown time zone "亚洲/上海": want an IANA name such as "Asia/Shanghai" or "UTC"`, 2},
		{"language", "[desk]\nlanguage = \"中文\"\n", `desk.toml:2: language "中文": want "en" or "zh"`, 1},

		// [workflow]
		{"no statuses", "[workflow]\nstatuses = []\n", "desk.toml:2: workflow.statuses is empty: list at least one status", 1},
		{"chinese status", "[workflow]\nstatuses = [\"新建\"]\n", `desk.toml:2: status "新建": want lowercase letters, digits and underscores`, 1},
		{"status twice", "[workflow]\nstatuses = [\"a\", \"a\"]\n", `desk.toml:2: status "a" is listed twice`, 1},
		{"initial", "[workflow]\nstatuses = [\"a\"]\ninitial = \"新\"\n", `desk.toml:3: workflow.initial: unknown status "新"; the statuses are a`, 1},
		{"default responded", "# 流程\n[workflow]\nstatuses = [\"a\", \"b\"]\n", `desk.toml:2: workflow.responded: unknown status "triaged"; the statuses are a, b`, 1},
		{"resolved", "[workflow]\nresolved = [\"已解决\"]\n", `desk.toml:2: workflow.resolved: unknown status "已解决"; the statuses are new, triaged, in_progress, pending, resolved, closed, archived`, 1},
		{"transition from", "[workflow.transitions]\n\"新\" = []\n", `desk.toml:2: workflow.transitions: unknown status "新"; the statuses are new, triaged, in_progress, pending, resolved, closed, archived`, 1},
		{"transition to", "[workflow]\ntransitions = { new = [\"处理中\"] }\n", `desk.toml:2: workflow.transitions.new: unknown status "处理中"; the statuses are new, triaged, in_progress, pending, resolved, closed, archived`, 17},

		// [required]
		{"required status", "[required]\n\"新建\" = [\"title\"]\n", `desk.toml:2: required: unknown status "新建"; the statuses are new, triaged, in_progress, pending, resolved, closed, archived`, 1},
		{"required section", "[required]\nresolved = [\"section:处理\"]\n", `desk.toml:2: required.resolved: unknown section "处理"; the sections are description, analysis, handling, resolution, postmortem`, 1},

		// [calendar]
		{"workday", "[calendar]\nworkdays = [\"周一\"]\n", `desk.toml:2: workday "周一": want mon, tue, wed, thu, fri, sat or sun`, 1},
		{"hours count", "[calendar]\n hours = [\"09:00\"]\n", `desk.toml:2: calendar.hours: want two times, opening and closing, e.g. ["09:00", "18:00"]`, 2},
		{"hours format", "[calendar]\nhours = [\"九点\", \"18:00\"]\n", `desk.toml:2: calendar.hours: "九点" is not a time of day HH:MM`, 1},
		{"hours order", "[calendar]\nhours = [\"18:00\", \"09:00\"]\n", "desk.toml:2: calendar.hours: closing 09:00 must be after opening 18:00", 1},

		// [calendars.NAME]
		{"calendar time zone", "[calendars.berlin]\ntimezone = \"Europe/Berlln\"\n", `desk.toml:2: calendars.berlin.timezone: unknown time zone "Europe/Berlln": want an IANA name such as "Asia/Shanghai" or "UTC"`, 1},
		{"calendar hours", "[calendars.night]\nhours = [\"22:00\", \"06:00\"]\n", "desk.toml:2: calendars.night.hours: closing 06:00 must be after opening 22:00", 1},
		{"calendar workday", "[calendars.cn]\nworkdays = [\"周六\"]\n", `desk.toml:2: workday "周六": want mon, tue, wed, thu, fri, sat or sun`, 1},
		{"calendar workdate", "[calendar]\nworkdates = [\"Sep 27\"]\n", `desk.toml:2: parsing time "Sep 27" as "2006-01-02T15:04:05Z07:00": cannot parse "Sep 27" as "2006"`, 14},
		{"always is built in", "[calendars.always]\nhours = [\"00:00\", \"23:00\"]\n", `desk.toml:1: calendars.always: "always" is the built-in calendar that is always open; give this one another name`, 1},
		{"ics without a reader", "[calendars.cn]\nholidays_ics = [\"calendars/cn.ics\"]\n", `desk.toml:2: calendars.cn.holidays_ics: "calendars/cn.ics": iCalendar files are not read here`, 1},
		{"unknown calendar key", "[calendars.cn]\nholiday_ics = []\n", `desk.toml:2: unknown key "calendars.cn.holiday_ics"`, 1},
		{"unknown calendar", "[[sla.priority]]\nname = \"高\"\nresolve = \"4h\"\ncalendar = \"24x7\"\n", `desk.toml:4: sla.priority "高": unknown calendar "24x7"; the calendars are always, or leave calendar out for [calendar]`, 1},
		{"calendar without targets", "[[sla.category]]\nname = \"complaint\"\ncalendar = \"always\"\n", `desk.toml:3: sla.category "complaint": calendar applies to the respond, resolve and update targets of its entry, and this one has none`, 1},
		{"update duration", "[[sla.priority]]\nname = \"低\"\nupdate = \"每天\"\n", `desk.toml:3: sla.priority "低": "每天": want a whole number and a unit: m, h, d (elapsed) or bh, bd (business time), e.g. "4h" or "3bd"`, 1},

		// [sla]
		{"at risk", "[sla]\nat_risk = 2\n", "desk.toml:2: sla.at_risk 2: want a share between 0 and 1, e.g. 0.75", 1},
		{"pause", "[sla]\npause = [\"等待\"]\n", `desk.toml:2: sla.pause: unknown status "等待"; the statuses are new, triaged, in_progress, pending, resolved, closed, archived`, 1},
		{"priority duration", "[[sla.priority]]\nname = \"高\"\nrespond = \"1小时\"\n", `desk.toml:3: sla.priority "高": "1小时": want a whole number and a unit: m, h, d (elapsed) or bh, bd (business time), e.g. "4h" or "3bd"`, 1},
		{"second entry", "[[sla.priority]]\nname = \"a\"\n[[sla.priority]]\nname = \"b\"\n  resolve = \"3x\"\n", `desk.toml:5: sla.priority "b": "3x": want a whole number and a unit: m, h, d (elapsed) or bh, bd (business time), e.g. "4h" or "3bd"`, 3},
		{"no name", "[[sla.priority]]\nname = \"a\"\n[[sla.priority]]\nrespond = \"1h\"\n", `desk.toml:3: sla.priority "": name is missing`, 1},
		{"inline entry", "[sla]\npriority = [{ name = \"高\", respond = \"1x\" }]\n", `desk.toml:2: sla.priority "高": "1x": want a whole number and a unit: m, h, d (elapsed) or bh, bd (business time), e.g. "4h" or "3bd"`, 27},
		{"category", "[tickets]\ncategories = [\"硬件\"]\n[[sla.category]]\nname = \"软件\"\n", `desk.toml:4: sla.category "软件" is not one of tickets.categories (硬件)`, 1},
		{"default priority", "[sla]\ndefault_priority = \"紧急\"\n", `desk.toml:2: sla.default_priority "紧急" is not one of the [[sla.priority]] names (high, medium, low)`, 1},

		// [major]
		{"update every", "[major]\nupdate_every = \"两小时\"\n", `desk.toml:2: major.update_every: "两小时": want a whole number and a unit: m, h, d (elapsed) or bh, bd (business time), e.g. "4h" or "3bd"`, 1},
		{"require", "[major]\nrequire = [\"负责人\"]\n", `desk.toml:2: major.require: unknown field "负责人"; use one of title, status, created, channel, category, priority, priority_reason, assignee, due, tags, kb, lead, requester.name, requester.org, requester.contact, feedback.rating, feedback.confirmed_by, feedback.confirmed_at, feedback.via, feedback.comment, sla.breach_reason, parts, or section:NAME`, 1},

		// [kb], [site]
		{"review days", "[kb]\nreview_days = -1\n", "desk.toml:2: kb.review_days -1: want a number of days, 0 or more", 1},
		{"base URL", "[site]\ntitle = \"知识库\"\nbase_url = \"知识库/\"\n", `desk.toml:3: site.base_url "知识库/": a relative path is not allowed; want an absolute http:// or https:// URL (https://kb.example.com/) or a path starting with / (/kb/)`, 1},
		{"edit URL", "[site]\nedit_url = \"/编辑 {path}\"\n", `desk.toml:2: site.edit_url "/编辑 {path}": the character ' ' is not allowed in a URL here; want an absolute http:// or https:// URL (https://git.example.com/kb/edit/main/{path}) or a path starting with /`, 1},

		// [[routing]]
		{"routing gives nothing", "[[routing]]\nname = \"打印机\"\nwords = [\"打印机\"]\n", `desk.toml:2: routing "打印机" gives nothing: set assignee, team (round-robin) or priority`, 1},
		{"routing assignee and team", "[[routing]]\nassignee = \"a\"\nteam = [\"b\"]\n", `desk.toml:3: routing "routing rule 1": give assignee or team, not both`, 1},
		{"routing category", "[[routing]]\npriority = \"low\"\n[[routing]]\n  category = [\"打印机\"]\n  priority = \"low\"\n", `desk.toml:4: routing "routing rule 2": category "打印机" is not one of tickets.categories (hardware, software, question, request, complaint, other)`, 3},
		{"routing priority", "[[routing]]\npriority = \"紧急\"\n", `desk.toml:2: routing "routing rule 1": priority "紧急" is not one of the [[sla.priority]] names (high, medium, low)`, 1},
		{"routing empty word", "[[routing]]\nwords = [\" \"]\npriority = \"low\"\n", `desk.toml:2: routing "routing rule 1": an empty word would match every ticket`, 1},
		{"routing same name", "[[routing]]\nname = \"a\"\npriority = \"low\"\n[[routing]]\nname = \"a\"\npriority = \"low\"\n", `desk.toml:5: routing: two rules are named "a"; a name says which rule routed a ticket`, 1},

		// [check.rules]
		{"unknown rule", "[check.rules]\n\"规则\" = \"off\"\n", `desk.toml:2: check.rules: unknown rule "规则"; the rules are parse, unknown-field, invalid-value, id-format, duplicate-id, required-field, invalid-transition, status-mismatch, event-order, sla-breached, sla-at-risk, sla-unexplained, major-incident, kb-link, ticket-link, kb-stale, personal-data, history-rewritten, id-taken, event-time`, 1},
		{"rule level", "[check]\nrules = { \"kb-link\" = \"off\", \"kb-stale\" = \"关闭\" }\n", `desk.toml:2: check.rules.kb-stale = "关闭": want "error", "warning" or "off"`, 30},

		// The file as a whole.
		{"byte-order mark and CRLF", "\ufeff[desk]\r\nid_prefix = \"x\"\r\n", `desk.toml:2: id_prefix "x": want 1 to 16 capital letters or digits, starting with a letter (e.g. "TS")`, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("desk.toml", []byte(tc.text))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a Error", err)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n%s\nwant\n%s", err, tc.want)
			}
			if ce.Col != tc.col {
				t.Errorf("column %d, want %d", ce.Col, tc.col)
			}
		})
	}
}

// The commented examples of desk init's desk.toml are valid once the comment
// marks are taken away.
func TestDefaultExamples(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		var b strings.Builder
		for l := range strings.SplitSeq(DefaultText("TS", "Asia/Shanghai", lang), "\n") {
			if s, ok := strings.CutPrefix(l, "# "); ok && (strings.HasPrefix(s, "[") || strings.Contains(s, " = ")) {
				l = s
			}
			b.WriteString(l + "\n")
		}
		ics := func(string) ([]byte, error) {
			return []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//desk//test//EN\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260101T000000Z\r\n" +
				"DTSTART;VALUE=DATE:20261001\r\nSUMMARY:National Day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"), nil
		}
		c, err := ParseWith("desk.toml", []byte(b.String()), ics)
		if err != nil {
			t.Fatalf("%s: %v\n%s", lang, err, b.String())
		}
		if len(c.Routing) == 0 {
			t.Errorf("%s: the [[routing]] example is not in desk.toml", lang)
		}
	}
}

// FuzzParseConfig checks that no desk.toml makes parse panic, and that
// every error is a Error.
func FuzzParseConfig(f *testing.F) {
	f.Add(DefaultText("TS", "Asia/Shanghai", "zh"))
	f.Add("[[sla.priority]]\nname = \"高\"\n[sla.priority.x]\ny = 1\n")
	f.Add("sla = { priority = [{ name = \"a\", x = { y = 1 } }] }\n")
	f.Fuzz(func(t *testing.T, text string) {
		_, err := Parse("desk.toml", []byte(text))
		var ce *Error
		if err != nil && !errors.As(err, &ce) {
			t.Fatalf("%v is not a Error", err)
		}
	})
}
