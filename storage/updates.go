package storage

import (
	"context"
	"fmt"
)

// MarkUpdate records that the channel's update updateID is being applied in
// this transaction. fresh is false when it was applied before: the caller
// stops there, so an update redelivered after a crash or by a retrying
// webhook changes nothing twice. Because the mark commits with the update's
// effects, a rolled-back update stays unmarked and can be applied again.
func (tx *Tx) MarkUpdate(ctx context.Context, source, updateID string) (fresh bool, err error) {
	tx.wrote = true
	res, err := exec(ctx, tx.tx, `INSERT INTO processed_updates (source, update_id, processed_at) VALUES (?, ?, ?)
		ON CONFLICT (source, update_id) DO NOTHING`, source, updateID, now())
	if err != nil {
		return false, fmt.Errorf("mark update %s/%s: %w", source, updateID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("mark update %s/%s: %w", source, updateID, err)
	}
	return n == 1, nil
}

// beginUpdateSQL marks the update and locks the chat. The lock is in the
// select list, so it is taken after the CTE's insert (which waits for a
// concurrent insert of the same update to end).
const beginUpdateSQL = prepared + `WITH mark AS (
		INSERT INTO processed_updates (source, update_id, processed_at) VALUES (?, ?, ?)
		ON CONFLICT (source, update_id) DO NOTHING RETURNING 1)
	SELECT EXISTS (SELECT 1 FROM mark) FROM (SELECT pg_advisory_xact_lock(hashtextextended(?, 0))) AS chat_lock`

// BeginUpdate marks the update (as MarkUpdate) and locks the chat it came
// from (channel source, chatID), in one round trip on PostgreSQL: other
// transactions that begin an update of the same chat wait until this one
// ends, so one chat's updates are applied one at a time across replicas.
// The lock is a transaction-scoped advisory lock, taken even for a
// duplicate (the caller stops there). It is the lock Enqueue takes on the
// chat's outgoing queue, so the update's replies to its own chat need no
// second lock. On SQLite every transaction is BEGIN IMMEDIATE and already
// excludes all other writers.
func (tx *Tx) BeginUpdate(ctx context.Context, source, updateID, chatID string) (fresh bool, err error) {
	if tx.dialect != Postgres {
		return tx.MarkUpdate(ctx, source, updateID)
	}
	tx.wrote = true
	queue := queueKey(source, chatID)
	if err := get(ctx, tx.tx, &fresh, beginUpdateSQL, source, updateID, now(), queue); err != nil {
		return false, fmt.Errorf("begin update %s/%s: %w", source, updateID, err)
	}
	tx.lockedQueue(queue)
	return fresh, nil
}
