package langnghe

import "time"

// The outbox: every message to a resident or an official is queued in the
// transaction that decided it and delivered by a channel's sender.

// Outgoing is a message waiting in the outbox for its chat. Messages of one
// chat are delivered in id order.
type Outgoing struct {
	ID         int64
	Channel    string
	ChatID     string
	Message    Message
	ResidentID *int64
	Attempts   int
	// NotBefore is the earliest time to (re)try the delivery.
	NotBefore time.Time
	CreatedAt time.Time
	LastError string
}

// OutboxTotals are the outbox's counters since the database was created.
type OutboxTotals struct {
	Sent   int64
	Failed int64
	// LastSentAt is the latest delivery; zero before the first.
	LastSentAt time.Time
}

// Handoff gives this process's sender the messages the process queues for
// Channel as soon as their transaction commits, so that they need no claim.
// A message is leased to Owner for Lease when it is inserted, if nothing
// else is queued for its chat at that moment: it is then its chat's head,
// and the messages the same statement queues for the chat follow it. A
// message queued behind another one is not leased and waits for a claim,
// so a chat's order never depends on which sender holds what.
//
// Without a handoff every message is found by ClaimOutgoing, which scans the
// queue; under load that scan was the largest single cost in PostgreSQL.
type Handoff struct {
	Channel string
	Owner   string
	Lease   time.Duration
	// Take receives each committed transaction's messages leased to
	// Owner, in id order. It runs on the committing goroutine and must not
	// block.
	Take func(msgs []Outgoing)
	// Queued is called after a commit that queued messages for Channel
	// that were not leased (they wait behind their chat's head for a
	// claim).
	Queued func()
}

// HeldOwner names a lease owner whose leases end with its lock, for a
// sender that holds its lock (the storage's DB.HoldLeases) before it takes
// any lease. Other owners (a replica of an older version during a rolling
// upgrade) keep their timed leases, since nobody would hold their lock.
func HeldOwner(name string) string { return HeldOwnerPrefix + name }

// HeldOwnerPrefix starts every name HeldOwner makes.
const HeldOwnerPrefix = "held:"
