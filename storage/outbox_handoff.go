package storage

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/jmoiron/sqlx"

	"langnghe"
)

// SetHandoff starts handing queued messages to h's sender (one per
// process) until stop is called. A transaction uses the handoff set when
// it began, so Take may still be called after stop.
func (db *DB) SetHandoff(h *langnghe.Handoff) (stop func()) {
	db.handoff.Store(h)
	return func() { db.handoff.CompareAndSwap(h, nil) }
}

// handed is what a transaction queued under a handoff, for after its
// commit.
type handed struct {
	h      *langnghe.Handoff
	leased []langnghe.Outgoing
	queued bool
	// chats are the chats this transaction queued for: the id of the
	// first message it leased, or 0 once it queued one unleased.
	chats map[string]int64
}

// rowLease is how a message's row is leased in insertOutgoingSQL: to owner
// (none when "") until until, when its chat has no message below before.
type rowLease struct {
	owner  string
	until  time.Time
	before int64
}

// leaseOf returns the lease for m's row in an insert at at. A chat's later
// messages in the same transaction are leased only if all its earlier ones
// in the transaction were: they are handed over together, in order. Bulk
// messages are never leased here.
func (tx *Tx) leaseOf(m *langnghe.Outgoing, at time.Time) rowLease {
	h := tx.handed.h
	if h == nil || m.Channel != h.Channel {
		return rowLease{}
	}
	if tx.handed.chats == nil {
		tx.handed.chats = map[string]int64{}
	}
	first, seen := tx.handed.chats[m.ChatID]
	switch {
	case seen && first == 0:
		return rowLease{}
	case m.Lane != langnghe.LaneNormal:
		// A bulk send is thousands of messages at once: claims bring them
		// in a batch at a time (langnghe.Lane). The chat's later messages
		// in this transaction wait for a claim too.
		tx.handed.chats[m.ChatID] = 0
		return rowLease{}
	case !m.NotBefore.IsZero() && m.NotBefore.After(at):
		tx.handed.chats[m.ChatID] = 0 // later messages must wait behind it
		return rowLease{}
	case !seen:
		first = math.MaxInt64
	}
	return rowLease{owner: h.Owner, until: dbTime(at.Add(h.Lease)), before: first}
}

// inserted records how m's row was queued.
func (tx *Tx) inserted(m *langnghe.Outgoing, leased bool) {
	h := tx.handed.h
	if h == nil || m.Channel != h.Channel {
		return
	}
	if !leased {
		tx.handed.queued = true
		tx.handed.chats[m.ChatID] = 0
		return
	}
	tx.handed.leased = append(tx.handed.leased, *m)
	if _, seen := tx.handed.chats[m.ChatID]; !seen {
		tx.handed.chats[m.ChatID] = m.ID
	}
}

// afterCommit hands the transaction's leased messages over.
func (tx *Tx) afterCommit() {
	if tx.handed.h == nil {
		return
	}
	if len(tx.handed.leased) > 0 {
		tx.handed.h.Take(tx.handed.leased)
	}
	if tx.handed.queued {
		tx.handed.h.Queued()
	}
}

// ReleaseOutgoing gives messages leased to owner back to the queue without
// counting an attempt: a sender that gave back its chat's head releases
// the messages it held behind it, which a claim then hands out in order.
func (db *DB) ReleaseOutgoing(ctx context.Context, owner string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	query, args, err := sqlx.In(`UPDATE outbox SET lease_owner = '', lease_until = NULL WHERE lease_owner = ? AND id IN (?)`,
		owner, ids)
	if err != nil {
		return fmt.Errorf("release %d outgoing messages: %w", len(ids), err)
	}
	if _, err := exec(ctx, db.out, query, args...); err != nil {
		return fmt.Errorf("release %d outgoing messages: %w", len(ids), err)
	}
	return nil
}
