package langnghe

import "time"

// Audit kinds: what an entry is about.
const (
	AuditFlow      = "flow"
	AuditCatalogue = SettingCatalogue
	AuditHolidays  = SettingHolidays
	AuditFAQ       = SettingFAQ
	AuditUnits     = "units"
	AuditOfficial  = "official"
)

// AuditKinds lists the kinds in the order the audit page offers them.
var AuditKinds = []string{AuditFlow, AuditCatalogue, AuditHolidays, AuditFAQ, AuditUnits, AuditOfficial}

// AuditEntry is one change.
type AuditEntry struct {
	Kind string `db:"kind"`
	// Subject names what changed: a flow id, a document, an official.
	Subject  string    `db:"subject"`
	Action   string    `db:"action"`
	Revision int       `db:"revision"` // 0 when the subject has no revisions
	Actor    string    `db:"actor"`
	Detail   string    `db:"detail"`
	At       time.Time `db:"at"`
}

// AuditQuery selects a page of the audit.
type AuditQuery struct {
	// Kind keeps one kind (AuditKinds); empty keeps all.
	Kind string
	// Limit (at most 1000; 50 when not positive) and Offset page through
	// the entries, newest first.
	Limit, Offset int
}

// FlowInfo summarises a flow for the console.
type FlowInfo struct {
	ID                string `db:"id"`
	LatestRevision    int    `db:"latest_revision"`
	PublishedRevision int    `db:"published_revision"` // 0: never published
	// UpdatedBy and UpdatedAt name the last save or publication.
	UpdatedBy string    `db:"updated_by"`
	UpdatedAt time.Time `db:"updated_at"`
}

// FlowRevisionInfo describes one revision, without its source.
type FlowRevisionInfo struct {
	Revision  int       `db:"revision"`
	Author    string    `db:"author"`
	CreatedAt time.Time `db:"created_at"`
	Size      int       `db:"size"`
	Published bool      `db:"published"`
}

// FlowAuditEntry is one save or publication of a flow: who changed what.
type FlowAuditEntry struct {
	Action   string    `db:"action"` // "save" or "publish"
	Revision int       `db:"revision"`
	Actor    string    `db:"actor"`
	At       time.Time `db:"at"`
}

// Setting names.
const (
	SettingCatalogue = "catalogue"
	SettingHolidays  = "holidays"
	SettingFAQ       = "faq"
)

// SettingRevisionInfo describes one stored revision, without its source.
type SettingRevisionInfo struct {
	Revision  int       `db:"revision"`
	Author    string    `db:"author"`
	CreatedAt time.Time `db:"created_at"`
	Size      int       `db:"size"`
}

// SettingChange is one save of a settings document.
type SettingChange struct {
	Name   string
	Source []byte
	Author string
	// Base is the revision the author edited; 0 when none was stored (they
	// edited the embedded default).
	Base int
	// Action ("save", "import", "keywords") and Detail describe the change
	// in the audit.
	Action, Detail string
}
