package storage

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"langnghe"
)

// Leases that end with their holder. A sender's leases are timed
// (lease_until) and renewed while it lives, so a sender that dies holds
// its chats until the lease runs out. On PostgreSQL a sender also holds a
// session-level advisory lock named after it (HoldLeases) on a connection
// of its own, which the server drops with the connection when the process
// dies; a claim takes a leased head whose owner's lock is free at once.
// The timed lease remains for SQLite and for owners without a lock.

// heldPrefix starts the name of an owner that holds its lock.
const heldPrefix = langnghe.HeldOwnerPrefix

// holderKey is the advisory lock's name; the claim computes the same from
// lease_owner.
func holderKey(owner string) string { return "outbox-holder:" + owner }

// liveLeaseSQL is true for a head that a claim by owner (the second
// argument) must leave alone: leased until after now (the first), and
// either to owner or to a holder whose lock is taken. The CASE fixes the
// order, so the lock is tried only for other owners' live leases; a lock
// that is free is taken for the claim's transaction alone.
const liveLeaseSQL = `CASE WHEN o.lease_until IS NULL OR o.lease_until <= ? THEN false
		WHEN o.lease_owner = ? OR o.lease_owner NOT LIKE '` + heldPrefix + `%' THEN true
		ELSE NOT pg_try_advisory_xact_lock(hashtextextended('outbox-holder:' || o.lease_owner, 0)) END`

// holdCheck is how often the lock's connection is checked: a lost one
// means the lock is gone, and is taken again on a new connection.
const holdCheck = time.Second

// HoldLeases holds owner's lock until ctx ends (nil) or its connection
// fails or cannot be had (an error: call again after a pause). held is
// called once the lock is taken. On SQLite, where leases stay timed, it
// calls held and waits for ctx.
func (db *DB) HoldLeases(ctx context.Context, owner string, held func()) error {
	if db.dialect != Postgres {
		held()
		<-ctx.Done()
		return nil
	}
	if !strings.HasPrefix(owner, heldPrefix) {
		return fmt.Errorf("hold leases of %s: not a HeldOwner name", owner)
	}
	conn, err := db.ops.Conn(ctx)
	if err != nil {
		return fmt.Errorf("hold leases of %s: %w", owner, err)
	}
	// The connection is closed, never pooled again: closing the session is
	// what gives the lock back.
	defer func() {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		_ = conn.Close()
	}()
	var taken bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(hashtextextended($1, 0))`, holderKey(owner)).Scan(&taken); err != nil {
		return fmt.Errorf("hold leases of %s: %w", owner, err)
	}
	if !taken {
		return fmt.Errorf("hold leases of %s: the lock is held by another session", owner)
	}
	held()
	return langnghe.Every(ctx, holdCheck, func() error {
		pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := conn.PingContext(pingCtx)
		cancel()
		if err != nil && ctx.Err() == nil {
			return fmt.Errorf("hold leases of %s: the lock's connection failed: %w", owner, err)
		}
		return nil
	})
}
