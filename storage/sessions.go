package storage

import (
	"context"
	"fmt"
	"time"

	"langnghe"
)

// StoredSession is a resident's conversation in progress. Data is the
// engine's JSON, opaque here; Revision pins the session to the flow
// revision it started on, so publishing a new revision never changes a
// conversation midway.
type StoredSession struct {
	ResidentID int64  `db:"resident_id"`
	FlowID     string `db:"flow_id"`
	Revision   int    `db:"revision"`
	Data       []byte `db:"data"`
	// TimeoutAt is when the session should be resumed with a timeout input;
	// nil when it waits for nothing.
	TimeoutAt *time.Time `db:"timeout_at"`
	UpdatedAt time.Time  `db:"updated_at"`
}

const sessionColumns = `resident_id, flow_id, revision, data, timeout_at, updated_at`

// Session loads the resident's session; ENOTFOUND when there is none.
func (tx *Tx) Session(ctx context.Context, residentID int64) (*StoredSession, error) {
	var s StoredSession
	if err := get(ctx, tx.tx, &s, `SELECT `+sessionColumns+` FROM sessions WHERE resident_id = ?`, residentID); err != nil {
		return nil, notFound(err, "session of resident %d", residentID)
	}
	return &s, nil
}

// SaveSession inserts or replaces the resident's session and sets UpdatedAt.
func (tx *Tx) SaveSession(ctx context.Context, s *StoredSession) error {
	if s.ResidentID == 0 || s.FlowID == "" {
		return langnghe.Errorf(langnghe.EINVALID, "a session needs a resident and a flow")
	}
	var timeout *time.Time
	if s.TimeoutAt != nil {
		t := dbTime(*s.TimeoutAt)
		timeout = &t
	}
	data := s.Data
	if data == nil {
		data = []byte{} // the column is NOT NULL
	}
	at := now()
	_, err := exec(ctx, tx.tx, `INSERT INTO sessions (`+sessionColumns+`) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (resident_id) DO UPDATE SET flow_id = excluded.flow_id, revision = excluded.revision,
			data = excluded.data, timeout_at = excluded.timeout_at, updated_at = excluded.updated_at`,
		s.ResidentID, s.FlowID, s.Revision, data, timeout, at)
	if err != nil {
		return fmt.Errorf("save session of resident %d: %w", s.ResidentID, err)
	}
	s.TimeoutAt, s.UpdatedAt = timeout, at
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
func (db *DB) DueTimeouts(ctx context.Context, now time.Time, limit int) ([]StoredSession, error) {
	var out []StoredSession
	err := selectAll(ctx, db.r, &out, `SELECT `+sessionColumns+` FROM sessions
		WHERE timeout_at IS NOT NULL AND timeout_at <= ? ORDER BY timeout_at, resident_id LIMIT ?`,
		dbTime(now), clampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("list due session timeouts: %w", err)
	}
	return out, nil
}
