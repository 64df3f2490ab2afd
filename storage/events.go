package storage

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// LatestPublicNotes returns, for each of the opinions that has one, the
// note of its latest public event with a note (an answer, a public
// reason): what a resident or an outside system may read of its progress.
// One query for a whole page of opinions.
func (db *DB) LatestPublicNotes(ctx context.Context, opinionIDs []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(opinionIDs))
	if len(opinionIDs) == 0 {
		return out, nil
	}
	query, args, err := sqlx.In(`SELECT opinion_id, note FROM opinion_events WHERE id IN (
		SELECT MAX(id) FROM opinion_events
		WHERE opinion_id IN (?) AND public AND TRIM(note) <> ''
		GROUP BY opinion_id)`, opinionIDs)
	if err != nil {
		return nil, fmt.Errorf("latest public notes: %w", err)
	}
	var rows []struct {
		OpinionID int64  `db:"opinion_id"`
		Note      string `db:"note"`
	}
	if err := selectAll(ctx, db.r, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("latest public notes of %d opinions: %w", len(opinionIDs), err)
	}
	for _, r := range rows {
		out[r.OpinionID] = r.Note
	}
	return out, nil
}
