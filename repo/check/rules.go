package check

// Rule is one rule of CHECK.md: what it finds, how severe a finding is by
// default, what to do about it, and the code that finds it. Each rule is one
// value below, listed once in Rules; the code reports through a pass bound to
// its rule, and the other places that report (decoding, whole-repository and
// git rules) name the rule by its value: a misspelt rule does not compile,
// and a value missing from Rules makes add panic instead of being dropped.
type Rule struct {
	ID       string   // stable: desk.toml, check_ignore and every output format use it
	Severity Severity // default severity
	Git      bool     // compares the base and head versions (needs --base)
	Short    string   // one line: what it finds
	Full     string   // what it finds and why it matters
	Help     string   // what to do about a finding

	// The rule's code, by the kind of file it reads; nil where the rule is
	// found elsewhere: parse while decoding (fileError), duplicate-id across
	// the repository (duplicates), the git rules with --base (gitRules).
	ticket  func(*ticketPass)
	article func(*articlePass)
}

// The rules, in the order of CHECK.md.
var (
	Parse = &Rule{ID: "parse", Severity: Error, Short: "The file cannot be read as a ticket or article.",
		Full: "No front matter, broken +++ delimiters, invalid TOML or invalid UTF-8. Nothing else can be checked until the file parses.",
		Help: "Fix the syntax at the reported line and column. Front matter sits between two lines that hold exactly +++; desk ticket edit refuses to save a file that does not parse.",
	}

	UnknownField = &Rule{ID: "unknown-field", Severity: Warning, Short: "A key the format does not know.",
		Full:    "Unknown keys are kept when desk rewrites a file, but usually they are typing mistakes of a known key.",
		Help:    "Rename the key to the suggested known key, or remove it. The format is in FORMAT.md.",
		ticket:  unknownTicketKeys,
		article: unknownArticleKeys,
	}

	InvalidValue = &Rule{ID: "invalid-value", Severity: Error, Short: "A value of the wrong type, or one desk.toml does not allow.",
		Full:    "Statuses, priorities, categories, channels, ratings and event actions must be the ones desk.toml lists; times must be TOML offset date-times.",
		Help:    "Use one of the allowed values named in the message, or add the value to desk.toml.",
		ticket:  ticketValues,
		article: articleValues,
	}

	IDFormat = &Rule{ID: "id-format", Severity: Error, Short: "An ID or file name that does not follow the format.",
		Full:    "A ticket ID is PREFIX-YYYYMMDD-N and its file is tickets/YYYY/MM/<id>.md; an article's file name is its slug: lowercase letters, digits and single hyphens.",
		Help:    "Move the file to the path the message names, or correct the id key.",
		ticket:  ticketID,
		article: articleSlug,
	}

	DuplicateID = &Rule{ID: "duplicate-id", Severity: Error, Short: "Two tickets with one ID, or two articles with one slug.",
		Full: "IDs and slugs are how records link to each other and how people refer to them; each must be unique.",
		Help: "Give one of them a new ID with desk ticket renumber ID.",
	}

	RequiredField = &Rule{ID: "required-field", Severity: Error, Short: "A key or section that [required] asks for at this status is missing or empty.",
		Full:    "Once a ticket has reached a status, it must hold what desk.toml's [required] asks for at that status and every earlier one: the record must be complete.",
		Help:    "Fill in the key or write the section named in the message (desk ticket set, desk ticket comment --section, desk ticket feedback).",
		ticket:  ticketRequired,
		article: articleRequired,
	}

	InvalidTransition = &Rule{ID: "invalid-transition", Severity: Error, Short: "An event moves between two statuses the workflow does not connect.",
		Full:   "Every transition in the log must be an edge of [workflow.transitions], and start from the status the previous event reached.",
		Help:   "Record the steps the workflow allows; if the workflow is wrong, change [workflow.transitions] in desk.toml.",
		ticket: transitions,
	}

	StatusMismatch = &Rule{ID: "status-mismatch", Severity: Error, Short: "status differs from the last event's to.",
		Full:   "The status of a ticket is defined by its log; a status edited by hand disagrees with the audit trail.",
		Help:   "Change the status with desk ticket move, which records the event, instead of editing the key.",
		ticket: statusMismatch,
	}

	EventOrder = &Rule{ID: "event-order", Severity: Error, Short: "Events out of time order, before created, or later than now.",
		Full:   "The log is the audit trail: oldest first, after registration, nothing recorded in the future.",
		Help:   "Correct the at of the event named in the message; record late entries with --at at the end of the log.",
		ticket: eventOrder,
	}

	SLABreached = &Rule{ID: "sla-breached", Severity: Warning, Short: "An open ticket is past a response, resolution or update target.",
		Full:   "The response, resolution or update clock of an open ticket has run past its target from [sla]; the update clock counts the time since the last public reply.",
		Help:   "Respond, resolve or reply to the requester (desk ticket reply) now, and record in sla.breach_reason why the target was missed.",
		ticket: slaBreached,
	}

	SLAAtRisk = &Rule{ID: "sla-at-risk", Severity: Warning, Short: "An open ticket is past sla.at_risk of a target.",
		Full:   "The ticket has used the at_risk share of a response, resolution or update target and is heading for a breach.",
		Help:   "Take the ticket now or escalate it.",
		ticket: slaAtRisk,
	}

	SLAUnexplained = &Rule{ID: "sla-unexplained", Severity: Error, Short: "A resolved or closed ticket missed a target without sla.breach_reason.",
		Full:   "A missed target must be explained before the ticket is closed, so the review can learn from it.",
		Help:   "Set the reason: desk ticket set ID sla.breach_reason=\"…\".",
		ticket: slaUnexplained,
	}

	MajorIncident = &Rule{ID: "major-incident", Severity: Error, Short: "A major ticket without recent updates, or closed without what major.require asks.",
		Full:   "Major incidents need progress updates at least every major.update_every while open, and a lead and a post-incident review before closing.",
		Help:   "Record progress with desk ticket comment; set lead and write the post-incident review section before closing.",
		ticket: majorIncident,
	}

	KBLink = &Rule{ID: "kb-link", Severity: Error, Short: "A ticket's kb or an article's tickets names something that does not exist.",
		Full:    "Links between tickets and knowledge-base articles must resolve.",
		Help:    "Correct the slug or ID, or remove the link.",
		ticket:  ticketKBLinks,
		article: articleTicketLinks,
	}

	TicketLink = &Rule{ID: "ticket-link", Severity: Error, Short: "A ticket's duplicate_of, duplicates, parent, children or related names a ticket that does not exist, or itself.",
		Full:   "Links between tickets (desk ticket link) must resolve: a duplicate names its original, a child its parent, and each names the other.",
		Help:   "Correct the ID, or remove the link with desk ticket link ID --duplicate-of|--parent|--related OTHER --remove.",
		ticket: ticketLinks,
	}

	KBStale = &Rule{ID: "kb-stale", Severity: Warning, Short: "A published article is past its review_by date.",
		Full:    "Published articles are reviewed regularly so that the knowledge base stays true.",
		Help:    "Review the article and move review_by forward.",
		article: kbStale,
	}

	PersonalData = &Rule{ID: "personal-data", Severity: Error, Short: "An article that is or will be published holds personal data.",
		Full:    "E-mail addresses, phone numbers, national ID numbers and the names or contacts of requesters never reach the knowledge base.",
		Help:    "Remove or mask the personal data named in the message.",
		article: personalData,
	}

	HistoryRewritten = &Rule{ID: "history-rewritten", Severity: Error, Git: true, Short: "An event present at the base was changed or removed, or a ticket file deleted.",
		Full: "The event log only grows; changing history destroys the audit trail.",
		Help: "Restore the event or the file from the base branch and record corrections as new events.",
	}

	IDTaken = &Rule{ID: "id-taken", Severity: Error, Git: true, Short: "A new ticket's ID is already used by another ticket at the base.",
		Full: "Two branches created the same ID; merging would collide.",
		Help: "Run desk ticket renumber ID on this branch.",
	}

	EventTime = &Rule{ID: "event-time", Severity: Error, Git: true, Short: "An event's time is after the commit that added it, or more than 24 h before it.",
		Full: "An event recorded before it happened is an error; one recorded more than a day late is a warning that the record was not kept as work happened.",
		Help: "Correct the event's at, or record events as work happens.",
	}
)

// Rules lists every rule, in the order of CHECK.md: the order of SARIF's
// rule descriptors, of the rules a message lists, and in which the rules of
// a file run.
var Rules = []*Rule{
	Parse, UnknownField, InvalidValue, IDFormat, DuplicateID,
	RequiredField, InvalidTransition, StatusMismatch, EventOrder, SLABreached,
	SLAAtRisk, SLAUnexplained, MajorIncident, KBLink, TicketLink, KBStale,
	PersonalData, HistoryRewritten, IDTaken, EventTime,
}

// RuleByID returns the rule with this ID.
func RuleByID(id string) (*Rule, bool) {
	for _, r := range Rules {
		if r.ID == id {
			return r, true
		}
	}
	return nil, false
}
