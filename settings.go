package langnghe

import "time"

// Settings documents: the catalogue, the holidays and the FAQ ship as files
// in the binary; once an admin edits one in the studio, each save is an
// immutable revision and the latest is current. The audit records who
// changed what in the studio, in the transaction of the change.

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
