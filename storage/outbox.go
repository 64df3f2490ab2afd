package storage

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"langnghe"
)

// outgoingRow is Outgoing as stored, with the message as JSON text.
type outgoingRow struct {
	ID         int64     `db:"id"`
	Channel    string    `db:"channel"`
	ChatID     string    `db:"chat_id"`
	Message    string    `db:"message"`
	ResidentID *int64    `db:"resident_id"`
	Lane       int       `db:"lane"`
	Attempts   int       `db:"attempts"`
	NotBefore  time.Time `db:"not_before"`
	CreatedAt  time.Time `db:"created_at"`
	LastError  string    `db:"last_error"`
}

const outgoingColumns = `id, channel, chat_id, message, resident_id, lane, attempts, not_before, created_at, last_error`

func (r *outgoingRow) outgoing() (langnghe.Outgoing, error) {
	m := langnghe.Outgoing{
		ID: r.ID, Channel: r.Channel, ChatID: r.ChatID, ResidentID: r.ResidentID, Lane: langnghe.Lane(r.Lane), Attempts: r.Attempts,
		NotBefore: r.NotBefore, CreatedAt: r.CreatedAt, LastError: r.LastError,
	}
	if err := json.Unmarshal([]byte(r.Message), &m.Message); err != nil {
		return m, fmt.Errorf("outgoing message %d: %w", r.ID, err)
	}
	return m, nil
}

// Enqueue adds m to its chat's queue and sets m.ID and m.CreatedAt (and
// m.NotBefore when unset: at once). Delivery order within a chat is id
// order, so on PostgreSQL Enqueue first takes a transaction lock on the
// chat's queue (for a normal message: see lockQueues) (unless this transaction holds it: BeginUpdate of the same
// chat, an earlier Enqueue): a transaction that enqueues later for the same
// chat waits, draws a higher id and commits later, and a sender can never
// see a later message before an earlier one has committed. SQLite writers
// are serial anyway.
func (tx *Tx) Enqueue(ctx context.Context, m *langnghe.Outgoing) error {
	return tx.SaveTurn(ctx, nil, []*langnghe.Outgoing{m})
}

// queueKey names the advisory lock on a chat's outgoing queue.
func queueKey(channel, chatID string) string { return "outbox\x1f" + channel + "\x1f" + chatID }

// lockedQueue records that this transaction holds the queue's lock.
func (tx *Tx) lockedQueue(key string) {
	if tx.queues == nil {
		tx.queues = map[string]bool{}
	}
	tx.queues[key] = true
}

const lockQueueSQL = prepared + `SELECT pg_advisory_xact_lock(hashtextextended(?, 0))`

// lockQueues takes the locks of the queues of ms that this transaction
// does not hold yet, in the order of their names, so that two transactions
// never wait for each other's.
//
// Bulk messages take none: a bulk send queues to thousands of chats in one
// transaction, and PostgreSQL's lock table holds a few thousand locks a
// transaction (max_locks_per_transaction × connections): 20,000 ran out of
// shared memory. Without the lock, two transactions that queue bulk
// messages to one chat at once (two announcements) may have them delivered
// in either order; a send's own messages to a chat, in one transaction,
// keep theirs, and normal messages never wait for bulk ones (langnghe.Lane).
func (tx *Tx) lockQueues(ctx context.Context, ms []*langnghe.Outgoing) error {
	if tx.dialect != Postgres {
		return nil
	}
	var keys []string
	for _, m := range ms {
		if m.Lane == langnghe.LaneBulk {
			continue
		}
		if k := queueKey(m.Channel, m.ChatID); !tx.queues[k] && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		if _, err := exec(ctx, tx.tx, lockQueueSQL, k); err != nil {
			return fmt.Errorf("lock queue %q: %w", k, err)
		}
		tx.lockedQueue(k)
	}
	return nil
}

// insertOutgoingSQL inserts n messages; RETURNING gives their ids and
// lease owners. Each row's lease (owner and end, empty for none) applies
// only when its chat has nothing queued below the row's bound (see
// Handoff and leaseOf): the NOT EXISTS reads the statement's snapshot, so
// the rows of one statement do not see each other and a turn's replies to
// a chat are leased together. Only normal messages are leased here
// (leaseOf), and a chat's bulk messages do not hold them back (Lane).
// Statements for up to maxPreparedRows
// messages (a turn rarely queues more) are prepared.
func insertOutgoingSQL(dialect, with string, n int) string {
	var b strings.Builder
	if n <= maxPreparedRows {
		b.WriteString(prepared)
	}
	until := "?"
	if dialect == Postgres {
		// A parameter alone in a CASE would be taken for text.
		until = "CAST(? AS timestamptz)"
	}
	free := `NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel = ? AND p.chat_id = ? AND p.lane = 0 AND p.id < ?)`
	b.WriteString(with)
	b.WriteString(`INSERT INTO outbox (channel, chat_id, message, resident_id, lane, attempts, not_before, created_at, last_error,
		lease_owner, lease_until) VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? <> '' AND " + free + " THEN ? ELSE '' END, " +
			"CASE WHEN ? <> '' AND " + free + " THEN " + until + " END)")
	}
	b.WriteString(" RETURNING id, lease_owner")
	return b.String()
}

const maxPreparedRows = 4

// rowArgs is how many arguments one message's row takes in insertOutgoingSQL.
const rowArgs = 19

// outgoingRows checks ms and returns the arguments of their rows in
// insertOutgoingSQL, all created at at.
func (tx *Tx) outgoingRows(ms []*langnghe.Outgoing, at time.Time) ([]any, error) {
	args := make([]any, 0, rowArgs*len(ms))
	for _, m := range ms {
		if m.Channel == "" || m.ChatID == "" {
			return nil, langnghe.Errorf(langnghe.EINVALID, "an outgoing message needs a channel and a chat")
		}
		if m.Lane != langnghe.LaneNormal && m.Lane != langnghe.LaneBulk {
			return nil, langnghe.Errorf(langnghe.EINVALID, "outgoing message to %s/%s: unknown lane %d", m.Channel, m.ChatID, m.Lane)
		}
		msg, err := json.Marshal(m.Message)
		if err != nil {
			return nil, fmt.Errorf("encode message to %s/%s: %w", m.Channel, m.ChatID, err)
		}
		notBefore := at
		if !m.NotBefore.IsZero() {
			notBefore = dbTime(m.NotBefore)
		}
		lease := tx.leaseOf(m, at)
		var until any // NULL without a lease
		if lease.owner != "" {
			until = lease.until
		}
		args = append(args, m.Channel, m.ChatID, string(msg), m.ResidentID, int(m.Lane), m.Attempts, notBefore, at, m.LastError,
			lease.owner, m.Channel, m.ChatID, lease.before, lease.owner,
			lease.owner, m.Channel, m.ChatID, lease.before, until)
	}
	return args, nil
}

// insertedRow is what insertOutgoingSQL returns of a row.
type insertedRow struct {
	ID    int64  `db:"id"`
	Owner string `db:"lease_owner"`
}

// enqueue queues ms in order with one INSERT, after with (a WITH clause
// whose arguments are withArgs, or ""). rows are outgoingRows(ms, at).
func (tx *Tx) enqueue(ctx context.Context, with string, withArgs []any, ms []*langnghe.Outgoing, rows []any, at time.Time) error {
	if len(ms) == 0 {
		return nil
	}
	tx.wrote = true
	if err := tx.lockQueues(ctx, ms); err != nil {
		return err
	}
	var inserted []insertedRow
	if err := selectAll(ctx, tx.tx, &inserted, insertOutgoingSQL(tx.dialect, with, len(ms)), append(withArgs, rows...)...); err != nil {
		return fmt.Errorf("enqueue %d messages to %s/%s: %w", len(ms), ms[0].Channel, ms[0].ChatID, err)
	}
	if len(inserted) != len(ms) {
		return fmt.Errorf("enqueue %d messages: %d ids returned", len(ms), len(inserted))
	}
	// Rows get their ids in the order of VALUES; RETURNING promises no order.
	slices.SortFunc(inserted, func(a, b insertedRow) int { return cmp.Compare(a.ID, b.ID) })
	for i, m := range ms {
		m.ID, m.CreatedAt, m.NotBefore = inserted[i].ID, at, rows[rowArgs*i+6].(time.Time)
		tx.inserted(m, inserted[i].Owner != "")
	}
	return tx.dropBlockedBulk(ctx, ms)
}

// ClaimOutgoing leases to owner for lease up to normal messages of
// channel's normal lane and up to bulk of its bulk lane (langnghe.Lane).
// Only the head of each chat in its lane is eligible, so order within a
// chat's lane holds however many senders run: the next message becomes the
// head only when MarkSent or FailOutgoing removes this one. A chat's bulk
// head is eligible only while the chat has no normal message queued, and a
// normal head does not wait for the chat's bulk messages. A head is
// eligible when NotBefore <= now and it has no live lease (a lease whose
// sender died runs out, or on PostgreSQL ends with the sender's lock:
// HoldLeases). In each lane, chats whose head is oldest come first.
func (db *DB) ClaimOutgoing(ctx context.Context, channel, owner string, normal, bulk int, lease time.Duration, now time.Time) ([]langnghe.Outgoing, error) {
	if owner == "" || lease <= 0 {
		return nil, langnghe.Errorf(langnghe.EINVALID, "claiming messages needs an owner and a lease")
	}
	if normal <= 0 && bulk <= 0 {
		return nil, nil
	}
	at := dbTime(now)
	until := dbTime(now.Add(lease))
	// On PostgreSQL a live lease ends early with its holder's lock
	// (outbox_holder.go).
	free, freeArgs := `(o.lease_until IS NULL OR o.lease_until <= ?)`, []any{at}
	if db.dialect == Postgres {
		free, freeArgs = `NOT (`+liveLeaseSQL+`)`, []any{at, owner}
	}
	// Each lane's heads in id order: the walk follows the (channel, lane,
	// id) index, and the head tests are NOT EXISTS over the (channel,
	// chat_id, lane, id) one.
	heads := func(lane langnghe.Lane) string {
		q := `SELECT o.id FROM outbox o
		WHERE o.channel = ? AND o.lane = ` + fmt.Sprint(int(lane)) + ` AND o.not_before <= ? AND ` + free + `
		AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel = o.channel AND p.chat_id = o.chat_id
			AND p.lane = o.lane AND p.id < o.id)`
		if lane == langnghe.LaneBulk {
			q += `
		AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel = o.channel AND p.chat_id = o.chat_id AND p.lane = 0)`
		}
		q += ` ORDER BY o.id LIMIT ?`
		if db.dialect == Postgres {
			// SKIP LOCKED lets concurrent claimers pass each other; a
			// head another claimer just leased is re-checked against the
			// lease condition after its lock is released, and dropped.
			q += ` FOR UPDATE SKIP LOCKED`
		}
		return q
	}
	laneArgs := func(limit int) []any {
		return append(append([]any{channel, at}, freeArgs...), min(max(limit, 0), maxLimit))
	}
	var query string
	var args []any
	if db.dialect == Postgres {
		query = `WITH normal AS (` + heads(langnghe.LaneNormal) + `), bulk AS (` + heads(langnghe.LaneBulk) + `)
			UPDATE outbox SET lease_owner = ?, lease_until = ?
			FROM (SELECT id FROM normal UNION ALL SELECT id FROM bulk) heads WHERE outbox.id = heads.id
			RETURNING outbox.id, outbox.channel, outbox.chat_id, outbox.message, outbox.resident_id, outbox.lane,
				outbox.attempts, outbox.not_before, outbox.created_at, outbox.last_error`
		args = append(append(laneArgs(normal), laneArgs(bulk)...), owner, until)
	} else {
		// One writer at a time: a single UPDATE is atomic. A compound
		// SELECT takes a LIMIT only in a subquery.
		query = `UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id IN (
			SELECT id FROM (` + heads(langnghe.LaneNormal) + `) UNION ALL SELECT id FROM (` + heads(langnghe.LaneBulk) + `))
			RETURNING ` + outgoingColumns
		args = append(append([]any{owner, until}, laneArgs(normal)...), laneArgs(bulk)...)
	}
	var rows []outgoingRow
	if err := selectAll(ctx, db.out, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("claim outgoing %s messages: %w", channel, err)
	}
	return outgoingsInOrder(rows)
}

// RetryOutgoing gives a message back to the queue after a failed attempt:
// one more attempt counted, the lease cleared, no retry before notBefore.
// It stays its chat's head, so later messages wait for it.
func (db *DB) RetryOutgoing(ctx context.Context, id int64, notBefore time.Time, lastErr string) error {
	res, err := exec(ctx, db.out, `UPDATE outbox SET attempts = attempts + 1, not_before = ?, last_error = ?,
		lease_owner = '', lease_until = NULL WHERE id = ?`, dbTime(notBefore), lastErr, id)
	return oneRow(res, err, "outgoing message %d", id)
}

// PostponeOutgoing gives a message back to the queue without counting an
// attempt: Telegram's flood control (429) or a sender that stopped says
// nothing about the message, and must not bring it closer to the dead
// letters. The lease is cleared; no retry before notBefore.
func (db *DB) PostponeOutgoing(ctx context.Context, id int64, notBefore time.Time, lastErr string) error {
	res, err := exec(ctx, db.out, `UPDATE outbox SET not_before = ?, last_error = ?,
		lease_owner = '', lease_until = NULL WHERE id = ?`, dbTime(notBefore), lastErr, id)
	return oneRow(res, err, "outgoing message %d", id)
}

// ExtendLeases keeps owner's leases on the messages ids until until. A
// sender renews the leases of the messages it holds, so leases can be short
// and a sender that died (SIGKILL, a lost machine) holds its chats' queues
// for one short lease, not minutes. A message that is gone, or whose lease
// ran out and another sender claimed, is left alone.
func (db *DB) ExtendLeases(ctx context.Context, owner string, ids []int64, until time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	query, args, err := sqlx.In(`UPDATE outbox SET lease_until = ? WHERE lease_owner = ? AND id IN (?)`,
		dbTime(until), owner, ids)
	if err != nil {
		return fmt.Errorf("extend leases of %s: %w", owner, err)
	}
	if _, err := exec(ctx, db.out, query, args...); err != nil {
		return fmt.Errorf("extend %d leases of %s: %w", len(ids), owner, err)
	}
	return nil
}

// FailOutgoing gives up on a message (a permanent error, too many
// attempts): it moves to the dead-letter table outbox_dead, which frees its
// chat's queue, and is counted as failed.
func (db *DB) FailOutgoing(ctx context.Context, id int64, lastErr string) error {
	return db.inTx(ctx, db.out, func(tx *Tx) error {
		var row outgoingRow
		err := get(ctx, tx.tx, &row, `DELETE FROM outbox WHERE id = ? RETURNING `+outgoingColumns, id)
		if err != nil {
			return notFound(err, "outgoing message %d", id)
		}
		_, err = exec(ctx, tx.tx, `INSERT INTO outbox_dead (id, channel, chat_id, message, resident_id, attempts,
			created_at, last_error, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			row.ID, row.Channel, row.ChatID, row.Message, row.ResidentID, row.Attempts+1, row.CreatedAt, lastErr, now())
		if err != nil {
			return fmt.Errorf("move outgoing message %d to the dead letters: %w", id, err)
		}
		_, err = exec(ctx, tx.tx, `INSERT INTO outbox_totals (channel, failed) VALUES (?, 1)
			ON CONFLICT (channel) DO UPDATE SET failed = outbox_totals.failed + 1`, row.Channel)
		if err != nil {
			return fmt.Errorf("count message %d as failed: %w", id, err)
		}
		return nil
	})
}

// OutboxStats reports the queue for /metrics: how many messages wait, and
// when the oldest reply (normal lane) was enqueued (zero when none waits):
// a bulk send's backlog waits by design and is not a late reply.
func (db *DB) OutboxStats(ctx context.Context) (depth int, oldest time.Time, err error) {
	if err := get(ctx, db.r, &depth, `SELECT COUNT(*) FROM outbox`); err != nil {
		return 0, time.Time{}, fmt.Errorf("count outbox: %w", err)
	}
	if depth == 0 {
		return 0, time.Time{}, nil
	}
	// ORDER BY rather than MIN(): SQLite loses the column's TIMESTAMP type
	// in an aggregate and would return a bare integer.
	var created []time.Time
	if err := selectAll(ctx, db.r, &created, `SELECT created_at FROM outbox WHERE lane = 0 ORDER BY id LIMIT 1`); err != nil {
		return 0, time.Time{}, fmt.Errorf("oldest outbox message: %w", err)
	}
	if len(created) > 0 {
		oldest = created[0]
	}
	return depth, oldest, nil
}

// OutboxTotals reports how many messages were delivered and given up, over
// all channels, for /metrics counters.
func (db *DB) OutboxTotals(ctx context.Context) (langnghe.OutboxTotals, error) {
	var t langnghe.OutboxTotals
	var sums struct {
		Sent   int64 `db:"sent"`
		Failed int64 `db:"failed"`
	}
	err := get(ctx, db.r, &sums, `SELECT COALESCE(SUM(sent), 0) AS sent, COALESCE(SUM(failed), 0) AS failed FROM outbox_totals`)
	if err != nil {
		return t, fmt.Errorf("outbox totals: %w", err)
	}
	var last []time.Time
	err = selectAll(ctx, db.r, &last, `SELECT last_sent_at FROM outbox_totals WHERE last_sent_at IS NOT NULL
		ORDER BY last_sent_at DESC LIMIT 1`)
	if err != nil {
		return t, fmt.Errorf("outbox last delivery: %w", err)
	}
	t.Sent, t.Failed = sums.Sent, sums.Failed
	if len(last) > 0 {
		t.LastSentAt = last[0]
	}
	return t, nil
}

// TakeChat removes and returns every queued message of one chat, in order.
// It is for channels that deliver at once in the same process (the
// terminal chat), where there is no sender, no lease and nothing to retry.
func (db *DB) TakeChat(ctx context.Context, channel, chatID string) ([]langnghe.Outgoing, error) {
	var rows []outgoingRow
	err := db.InTx(ctx, func(tx *Tx) error {
		rows = rows[:0]
		return selectAll(ctx, tx.tx, &rows, `DELETE FROM outbox WHERE channel = ? AND chat_id = ? RETURNING `+outgoingColumns,
			channel, chatID)
	})
	if err != nil {
		return nil, fmt.Errorf("take messages of chat %s/%s: %w", channel, chatID, err)
	}
	return outgoingsInOrder(rows)
}

// outgoingsInOrder decodes rows in id order (RETURNING gives no order).
func outgoingsInOrder(rows []outgoingRow) ([]langnghe.Outgoing, error) {
	slices.SortFunc(rows, func(a, b outgoingRow) int { return cmp.Compare(a.ID, b.ID) })
	return decodeRows(rows, (*outgoingRow).outgoing)
}
