package langnghe

import (
	"context"
	"time"
)

// The opinion's follow-up vocabulary: how officials' lists are narrowed and
// counted, how an opinion's follow-up columns change, its history, and the
// files a resident sent with it.

// OpinionReader reads opinions and their history, in a transaction or
// outside one (the storage package's DB and Tx are both one).
//
// Nothing here checks who is asking. Whoever reads for an official goes
// through the follow-up core (followup.Service), which sets
// OpinionFilter.Scope to the official's, refuses an opinion they may not
// see (Official.MaySee) and conceals a denouncer (Official.Reveal). A nil
// Scope is the service's own read: the CLI, and Open311's public view,
// which redacts what it shows and shows no words of complaints and
// denunciations.
type OpinionReader interface {
	// ListOpinions lists the opinions f keeps, a page at a time
	// (OpinionFilter.Limit, AfterID).
	ListOpinions(ctx context.Context, f OpinionFilter) ([]Opinion, error)
	// Opinion loads an opinion by its code, without locking it;
	// ENOTFOUND when there is none.
	Opinion(ctx context.Context, code string) (*Opinion, error)
	// OpinionEvents returns an opinion's history, oldest first, public and
	// internal events alike.
	OpinionEvents(ctx context.Context, opinionID int64) ([]OpinionEvent, error)
}

// UrgentQuery is what the inbox's strip counts: the open opinions within
// Scope (nil: all) at Now.
type UrgentQuery struct {
	Scope *Scope
	Now   time.Time
	// SoonBy ends the due-soon window (followup.DueSoonBy).
	SoonBy time.Time
	// Official is whose "mine" is counted (0: nobody's).
	Official int64
}

// Urgent are the strip's counts, each the number of open opinions the
// matching OpinionFilter keeps with Open set: OverdueAt Now; DueFrom Now
// and DueBy SoonBy; NotTaken; Rating not satisfied; Assignee Official.
type Urgent struct {
	Overdue      int `db:"overdue"`
	DueSoon      int `db:"due_soon"`
	NotTaken     int `db:"not_taken"`
	NotSatisfied int `db:"not_satisfied"`
	Mine         int `db:"mine"`
}

// StoredAttachment is a photo or document a resident sent, kept in the
// database. OpinionID is nil until the opinion it belongs to is created.
type StoredAttachment struct {
	ID         int64     `db:"id"`
	OpinionID  *int64    `db:"opinion_id"`
	ResidentID *int64    `db:"resident_id"`
	Name       string    `db:"name"`
	MIME       string    `db:"mime"`
	Size       int64     `db:"size"`
	SHA256     string    `db:"sha256"` // hex
	Data       []byte    `db:"data"`
	CreatedAt  time.Time `db:"created_at"`
}

// OpinionEvent is one step in an opinion's history: a status change, a
// note, an answer. Public events may be shown to the resident; internal ones
// only to officials.
type OpinionEvent struct {
	ID         int64     `db:"id" json:"id"`
	OpinionID  int64     `db:"opinion_id" json:"opinion_id"`
	StatusFrom Status    `db:"status_from" json:"status_from,omitempty"`
	StatusTo   Status    `db:"status_to" json:"status_to,omitempty"`
	Actor      string    `db:"actor" json:"actor"`
	Note       string    `db:"note" json:"note,omitempty"`
	Public     bool      `db:"public" json:"public"`
	At         time.Time `db:"at" json:"at"`
}

// OpinionFilter narrows ListOpinions and CountOpinions. Zero fields do not
// filter.
type OpinionFilter struct {
	Status   Status
	Category string
	Area     string
	// Unit keeps the opinions routed to this unit.
	Unit string
	// Scope keeps the opinions an official may see (Scope.Covers, the one
	// rule: All, or the units listed, none when it lists none). Nil is the
	// service's own read (the CLI, Open311), which no scope narrows;
	// officials' reads set it through the follow-up core.
	Scope *Scope
	// LegalTrack keeps the opinions of one legal track.
	LegalTrack LegalTrack
	// Open keeps the opinions still waiting for the board (Status.Open);
	// Closed keeps the others.
	Open, Closed bool
	// OverdueAt keeps open opinions whose due date passed before it.
	OverdueAt time.Time
	// DueFrom and DueBy keep open opinions due at or after DueFrom and at
	// or before DueBy; either may be zero. Together: "due soon".
	DueFrom, DueBy time.Time
	// Since keeps opinions created at or after it, Until those created
	// before it.
	Since, Until time.Time
	// Assignee keeps the opinions given to this official ("mine").
	Assignee int64
	// NotTaken keeps the open opinions nobody has in hand: received or
	// forwarded, nobody took them, nobody was given them.
	NotTaken bool
	// Rating keeps the opinions whose latest answer the resident rated so
	// (RatingNotSatisfied: "the resident is not satisfied").
	Rating string
	// Text keeps the opinions whose text contains it, with or without
	// diacritics: both sides are compared folded (vntext.Fold).
	Text string
	// Sort orders the list; newest first by default.
	Sort OpinionSort
	// Limit caps the page (default 50, at most 1000).
	Limit int
	// AfterID continues a listing after the opinion with this id, the last
	// one of the previous page (keyset paging: deep pages cost what the
	// first does). With SortDue, AfterDue is that opinion's due date as the
	// page showed it (zero when it had none): a due date can change between
	// pages, the time an opinion was received cannot.
	AfterID  int64
	AfterDue time.Time
}

// OpinionSort orders ListOpinions.
type OpinionSort string

const (
	// SortNewest lists the most recently received first.
	SortNewest OpinionSort = ""
	// SortOldest lists the longest waiting first.
	SortOldest OpinionSort = "oldest"
	// SortDue lists by due date, the earliest (the most overdue) first,
	// then the opinions without a due date.
	SortDue OpinionSort = "due"
)

// OpinionCount is how many opinions of one status a filter keeps.
type OpinionCount struct {
	N int
	// AtLeast reports that counting stopped: there are N or more.
	AtLeast bool
	// Estimate reports that N is PostgreSQL's estimate of a count well
	// beyond the cap, which would take too long to make exact.
	Estimate bool
}

// OpinionUpdate sets an opinion's follow-up columns; nil fields are left
// as they are. The status changes only through AddOpinionEvent, so that
// every change of status is in the history.
type OpinionUpdate struct {
	Category    *string
	Unit        *string
	DueAt       *time.Time
	AnsweredAt  *time.Time
	Rating      *string
	DuplicateOf *string
	// Assignee gives the opinion to an official (0: to nobody). The
	// follow-up core checks they belong to its unit.
	Assignee *int64
}
