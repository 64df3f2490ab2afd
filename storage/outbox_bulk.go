package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"langnghe"
)

// Bulk messages to chats that blocked the bot (langnghe.Lane): Telegram
// refuses each with a 403 that no retry changes, so they are dropped as
// failed, with the reason, rather than sent one by one into the refusal.

// BlockedBulkReason is the last error of a bulk message dropped because
// its chat blocked the bot.
const BlockedBulkReason = "not sent: the chat blocked the bot (bulk message dropped)"

// MarkUnreachable records that a chat blocked the bot ("bot was blocked by
// the user"); the sender calls it outside any update's transaction. The
// chat's queued bulk messages that no sender holds are dropped with it.
func (db *DB) MarkUnreachable(ctx context.Context, channel, chatID string) error {
	return db.inTx(ctx, db.out, func(tx *Tx) error {
		if err := tx.SetResidentBlocked(ctx, channel, chatID, true); err != nil {
			return err
		}
		return tx.dropBulk(ctx, `channel = ? AND chat_id = ? AND lease_owner = ''`, channel, chatID)
	})
}

// dropBlockedBulk drops the bulk messages among ms, just queued, whose
// chat's resident blocked the bot.
func (tx *Tx) dropBlockedBulk(ctx context.Context, ms []*langnghe.Outgoing) error {
	var lo, hi int64
	for _, m := range ms {
		if m.Lane != langnghe.LaneBulk {
			continue
		}
		if lo == 0 || m.ID < lo {
			lo = m.ID
		}
		hi = max(hi, m.ID)
	}
	if lo == 0 {
		return nil
	}
	// Any bulk message in the range to a blocked chat may go, whoever
	// queued it.
	return tx.dropBulk(ctx, `id BETWEEN ? AND ? AND EXISTS (SELECT 1 FROM residents r
		WHERE r.channel = outbox.channel AND r.chat_id = outbox.chat_id AND r.blocked = ?)`, lo, hi, true)
}

// dropBulk moves the bulk messages that match where (over outbox) to the
// dead letters with BlockedBulkReason, counted as failed.
func (tx *Tx) dropBulk(ctx context.Context, where string, args ...any) error {
	var rows []outgoingRow
	err := selectAll(ctx, tx.tx, &rows, `DELETE FROM outbox WHERE lane = ? AND `+where+` RETURNING `+outgoingColumns,
		append([]any{int(langnghe.LaneBulk)}, args...)...)
	if err != nil {
		return fmt.Errorf("drop bulk messages to blocked chats: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	tx.wrote = true
	at := now()
	failed := map[string]int{}
	for page := range slices.Chunk(rows, deliveryPage) {
		var b strings.Builder
		b.WriteString(`INSERT INTO outbox_dead (id, channel, chat_id, message, resident_id, attempts, created_at, last_error, failed_at) VALUES `)
		vals := make([]any, 0, 9*len(page))
		for i, r := range page {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
			vals = append(vals, r.ID, r.Channel, r.ChatID, r.Message, r.ResidentID, r.Attempts, r.CreatedAt, BlockedBulkReason, at)
			failed[r.Channel]++
		}
		if _, err := exec(ctx, tx.tx, b.String(), vals...); err != nil {
			return fmt.Errorf("move %d bulk messages to blocked chats to the dead letters: %w", len(page), err)
		}
	}
	for channel, n := range failed {
		_, err := exec(ctx, tx.tx, `INSERT INTO outbox_totals (channel, failed) VALUES (?, ?)
			ON CONFLICT (channel) DO UPDATE SET failed = outbox_totals.failed + excluded.failed`, channel, n)
		if err != nil {
			return fmt.Errorf("count %d bulk messages to %s as failed: %w", n, channel, err)
		}
	}
	return nil
}

// DeadLetters maps the ids of a chat's dead letters (messages given up) to
// why each was given up.
func (db *DB) DeadLetters(ctx context.Context, channel, chatID string) (map[int64]string, error) {
	var rows []struct {
		ID        int64  `db:"id"`
		LastError string `db:"last_error"`
	}
	if err := selectAll(ctx, db.r, &rows, `SELECT id, last_error FROM outbox_dead WHERE channel = ? AND chat_id = ?`,
		channel, chatID); err != nil {
		return nil, fmt.Errorf("dead letters of chat %s/%s: %w", channel, chatID, err)
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.LastError
	}
	return out, nil
}
