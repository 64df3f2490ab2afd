package langnghe

import (
	"context"
	"time"
)

// DigestService keeps the officials' periodic digests (the storage
// package's DB is one). The digest runner calls it; it claims a period
// (the storage's Tx.ClaimDigestRun) in the transaction that queues the
// digest, so that a digest goes out once however many replicas try.
type DigestService interface {
	// DigestRun loads the run of (officialID, periodKey); ENOTFOUND when
	// the period has not been digested yet.
	DigestRun(ctx context.Context, officialID int64, periodKey string) (*DigestRun, error)
	// LastDigestRun loads the official's latest run; ENOTFOUND when they
	// never had a digest.
	LastDigestRun(ctx context.Context, officialID int64) (*DigestRun, error)
	// DigestFigures computes the figures of one digest: counts and codes
	// only, never a resident's text or identity.
	DigestFigures(ctx context.Context, s DigestScope) (*DigestFigures, error)
}

// DigestRun records that an official's digest for one period was enqueued.
// (OfficialID, PeriodKey) is unique: that is what makes a digest happen once
// per period however many replicas try.
type DigestRun struct {
	OfficialID int64  `db:"official_id"`
	PeriodKey  string `db:"period_key"`
	// ScheduledAt is the period's scheduled time; the digest may go out later
	// (after downtime).
	ScheduledAt time.Time `db:"scheduled_at"`
	// Since and Until bound what the digest covered; the next digest starts
	// at Until.
	Since    time.Time `db:"since"`
	Until    time.Time `db:"until"`
	OutboxID int64     `db:"outbox_id"`
}

// DigestScope says what one digest covers.
type DigestScope struct {
	// Scope is the official's (Official.Scope): every opinion,
	// or those routed to its units; a digest of a scope that covers
	// nothing counts nothing.
	Scope Scope
	// Since and Until bound "new" and "answered" opinions: [Since, Until).
	Since, Until time.Time
	// DueSoonBy is the end of the due-soon window: open opinions due in
	// [Until, DueSoonBy] are due soon, those due before Until overdue.
	DueSoonBy time.Time
	// Oldest is how many of the oldest open opinions to list.
	Oldest int
}

// DigestCount is how many new opinions one category has in one area.
type DigestCount struct {
	Category string `db:"category"`
	Area     string `db:"area_code"`
	N        int    `db:"n"`
}

// DigestItem is an open opinion as a digest lists it: its code and where it
// belongs, never the resident's text or identity.
type DigestItem struct {
	Code      string     `db:"code"`
	Category  string     `db:"category"`
	Area      string     `db:"area_code"`
	Unit      string     `db:"unit_code"`
	Status    Status     `db:"status"`
	CreatedAt time.Time  `db:"created_at"`
	DueAt     *time.Time `db:"due_at"`
}

// DigestFigures are the numbers of one digest. Nothing in them identifies
// a resident.
type DigestFigures struct {
	// New counts the opinions received in the window by category and area,
	// largest first.
	New []DigestCount
	// Overdue and DueSoon count open opinions past their due time or due
	// before DueSoonBy.
	Overdue, DueSoon int
	// Answered counts opinions answered in the window; Satisfied and
	// NotSatisfied how their residents rated them so far.
	Answered, Satisfied, NotSatisfied int
	// Oldest lists the oldest open opinions, oldest first.
	Oldest []DigestItem
}
