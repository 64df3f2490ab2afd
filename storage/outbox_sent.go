package storage

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"langnghe"
)

// maxSentBatch bounds how many deliveries one transaction records.
const maxSentBatch = 500

// sentBatch combines concurrent MarkSent calls into one transaction. Every
// delivery adds to one counter row (outbox_totals), so separate
// transactions would queue on that row's lock, one commit flush each; here
// the first caller records its own delivery and every delivery that
// arrived meanwhile, and the others wait for that commit. No goroutine
// runs in the background: a batch is flushed by a caller.
type sentBatch struct {
	mu       sync.Mutex
	pending  []sentMark
	flushing bool
}

// sentMark is one MarkSent call waiting for its batch's commit.
type sentMark struct {
	id      int64
	at      time.Time
	targets []langnghe.ReplyTarget
	done    chan sentResult
}

// sentResult is a MarkSent call's outcome.
type sentResult struct {
	next bool
	err  error
}

// MarkSent removes a delivered message from the queue (its chat's next
// message becomes the head) and counts it, with the time of the last
// delivery, for /metrics. targets are the ids the message was sent as
// that a reply can name, when it regards an opinion: they are recorded in
// the same transaction (ReplyTarget reads them). next reports that the
// chat's next message is unleased, for a claim to find now. It returns
// once that is committed; concurrent calls share one transaction (see
// sentBatch).
func (db *DB) MarkSent(ctx context.Context, id int64, sentAt time.Time, targets ...langnghe.ReplyTarget) (next bool, err error) {
	mark := sentMark{id: id, at: dbTime(sentAt), targets: targets, done: make(chan sentResult, 1)}
	b := &db.sent
	b.mu.Lock()
	b.pending = append(b.pending, mark)
	lead := !b.flushing
	b.flushing = true
	b.mu.Unlock()
	if lead {
		// The batch holds other callers' deliveries: it must not end with
		// this caller's context.
		flushCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		db.flushSent(flushCtx)
		cancel()
	}
	select {
	case r := <-mark.done:
		return r.next, r.err
	case <-ctx.Done():
		// The batch may still commit; the message then counts as sent.
		return false, fmt.Errorf("mark outgoing message %d sent: %w", id, ctx.Err())
	}
}

// flushSent records pending deliveries, batch after batch, until none wait.
func (db *DB) flushSent(ctx context.Context) {
	b := &db.sent
	for {
		b.mu.Lock()
		n := min(len(b.pending), maxSentBatch)
		if n == 0 {
			b.flushing = false
			b.mu.Unlock()
			return
		}
		batch := b.pending[:n:n]
		b.pending = b.pending[n:]
		b.mu.Unlock()

		deleted, err := db.recordSent(ctx, batch)
		for _, m := range batch {
			next, found := deleted[m.id]
			switch {
			case err != nil:
				m.done <- sentResult{err: err}
			case !found:
				m.done <- sentResult{err: langnghe.Errorf(langnghe.ENOTFOUND, "outgoing message %d not found", m.id)}
			default:
				m.done <- sentResult{next: next}
			}
		}
	}
}

// recordSent deletes a batch of delivered messages, records their reply
// targets and adds them to their channels' totals in one transaction; it
// returns the ids it deleted, each with whether its chat's next message is
// unleased.
func (db *DB) recordSent(ctx context.Context, batch []sentMark) (map[int64]bool, error) {
	ids := make([]int64, len(batch))
	last := batch[0].at
	for i, m := range batch {
		ids[i] = m.id
		if m.at.After(last) {
			last = m.at
		}
	}
	var deleted map[int64]bool // id → next
	err := db.inTx(ctx, db.out, func(tx *Tx) error {
		tx.wrote = true
		// next: the chat's following message is unleased (a message held
		// by a sender, this batch's included, needs no claim).
		query, args, err := sqlx.In(`DELETE FROM outbox WHERE id IN (?) RETURNING id, channel,
			COALESCE((SELECT n.lease_owner = '' FROM outbox n WHERE n.channel = outbox.channel
				AND n.chat_id = outbox.chat_id AND n.id > outbox.id ORDER BY n.id LIMIT 1), false) AS next`, ids)
		if err != nil {
			return fmt.Errorf("mark %d outgoing messages sent: %w", len(ids), err)
		}
		var rows []struct {
			ID      int64  `db:"id"`
			Channel string `db:"channel"`
			Next    bool   `db:"next"`
		}
		if err := selectAll(ctx, tx.tx, &rows, query, args...); err != nil {
			return fmt.Errorf("mark %d outgoing messages sent: %w", len(ids), err)
		}
		deleted = make(map[int64]bool, len(rows))
		perChannel := map[string]int{}
		for _, r := range rows {
			deleted[r.ID] = r.Next
			perChannel[r.Channel]++
		}
		for _, m := range batch {
			if err := recordReplyTargets(ctx, tx, m.at, m.targets); err != nil {
				return err
			}
		}
		for channel, n := range perChannel {
			_, err = exec(ctx, tx.tx, `INSERT INTO outbox_totals (channel, sent, last_sent_at) VALUES (?, ?, ?)
				ON CONFLICT (channel) DO UPDATE SET sent = outbox_totals.sent + excluded.sent, last_sent_at = excluded.last_sent_at`,
				channel, n, last)
			if err != nil {
				return fmt.Errorf("count %d messages to %s as sent: %w", n, channel, err)
			}
		}
		return nil
	})
	return deleted, err
}
