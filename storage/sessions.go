package storage

import (
	"context"
	"fmt"
	"time"

	"langnghe"
)

const sessionColumns = `resident_id, flow_id, revision, data, timeout_at, updated_at`

// Session loads the resident's session; ENOTFOUND when there is none.
func (tx *Tx) Session(ctx context.Context, residentID int64) (*langnghe.StoredSession, error) {
	var s langnghe.StoredSession
	if err := get(ctx, tx.tx, &s, `SELECT `+sessionColumns+` FROM sessions WHERE resident_id = ?`, residentID); err != nil {
		return nil, notFound(err, "session of resident %d", residentID)
	}
	return &s, nil
}

// upsertSessionSQL inserts or replaces a session.
const upsertSessionSQL = `INSERT INTO sessions (` + sessionColumns + `) VALUES (?, ?, ?, ?, ?, ?)
	ON CONFLICT (resident_id) DO UPDATE SET flow_id = excluded.flow_id, revision = excluded.revision,
		data = excluded.data, timeout_at = excluded.timeout_at, updated_at = excluded.updated_at`

// sessionRow is a session as upsertSessionSQL writes it.
type sessionRow struct {
	s       *langnghe.StoredSession
	timeout *time.Time
	at      time.Time
}

// sessionRowOf checks s and prepares its row.
func sessionRowOf(s *langnghe.StoredSession) (sessionRow, error) {
	if s.ResidentID == 0 || s.FlowID == "" {
		return sessionRow{}, langnghe.Errorf(langnghe.EINVALID, "a session needs a resident and a flow")
	}
	row := sessionRow{s: s, at: now()}
	if s.TimeoutAt != nil {
		t := dbTime(*s.TimeoutAt)
		row.timeout = &t
	}
	return row, nil
}

func (r sessionRow) args() []any {
	data := r.s.Data
	if data == nil {
		data = []byte{} // the column is NOT NULL
	}
	return []any{r.s.ResidentID, r.s.FlowID, r.s.Revision, data, r.timeout, r.at}
}

// saved sets what the database stored on the session.
func (r sessionRow) saved() { r.s.TimeoutAt, r.s.UpdatedAt = r.timeout, r.at }

// SaveSession inserts or replaces the resident's session and sets UpdatedAt.
func (tx *Tx) SaveSession(ctx context.Context, s *langnghe.StoredSession) error {
	row, err := sessionRowOf(s)
	if err != nil {
		return err
	}
	if _, err := exec(ctx, tx.tx, prepared+upsertSessionSQL, row.args()...); err != nil {
		return fmt.Errorf("save session of resident %d: %w", s.ResidentID, err)
	}
	row.saved()
	return nil
}

// SaveTurn ends a resident's turn: it saves the session s (as SaveSession;
// nil saves none) and queues replies in order (as Enqueue). On PostgreSQL
// that is one statement, and one round trip when the replies go to the chat
// whose update the transaction began (BeginUpdate holds that chat's queue
// already). Invalid input is EINVALID before anything is written.
func (tx *Tx) SaveTurn(ctx context.Context, s *langnghe.StoredSession, replies []*langnghe.Outgoing) error {
	at := now()
	rows, err := tx.outgoingRows(replies, at)
	if err != nil {
		return err
	}
	if s == nil {
		return tx.enqueue(ctx, "", nil, replies, rows, at)
	}
	session, err := sessionRowOf(s)
	if err != nil {
		return err
	}
	if tx.dialect != Postgres || len(replies) == 0 {
		// SQLite has no INSERT inside WITH, and its round trips cost nothing.
		if _, err := exec(ctx, tx.tx, prepared+upsertSessionSQL, session.args()...); err != nil {
			return fmt.Errorf("save session of resident %d: %w", s.ResidentID, err)
		}
		session.saved()
		return tx.enqueue(ctx, "", nil, replies, rows, at)
	}
	// A data-modifying WITH runs whether or not the INSERT reads it.
	if err := tx.enqueue(ctx, `WITH session AS (`+upsertSessionSQL+`) `, session.args(), replies, rows, at); err != nil {
		return fmt.Errorf("save session of resident %d: %w", s.ResidentID, err)
	}
	session.saved()
	return nil
}

// DeleteSession ends the resident's session; deleting none is not an error.
func (tx *Tx) DeleteSession(ctx context.Context, residentID int64) error {
	if _, err := exec(ctx, tx.tx, `DELETE FROM sessions WHERE resident_id = ?`, residentID); err != nil {
		return fmt.Errorf("delete session of resident %d: %w", residentID, err)
	}
	return nil
}

// DueTimeouts lists up to limit sessions whose TimeoutAt has come, earliest
// first. The caller resumes each in its own transaction (after BeginUpdate) and
// must check there that the timeout is still due: the resident may have
// answered in between.
func (db *DB) DueTimeouts(ctx context.Context, now time.Time, limit int) ([]langnghe.StoredSession, error) {
	var out []langnghe.StoredSession
	err := selectAll(ctx, db.r, &out, `SELECT `+sessionColumns+` FROM sessions
		WHERE timeout_at IS NOT NULL AND timeout_at <= ? ORDER BY timeout_at, resident_id LIMIT ?`,
		dbTime(now), clampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("list due session timeouts: %w", err)
	}
	return out, nil
}
