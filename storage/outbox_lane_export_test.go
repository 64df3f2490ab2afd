package storage

import "context"

// DeadLetters maps the ids of a chat's dead letters to their last errors.
func (db *DB) DeadLetters(ctx context.Context, channel, chatID string) (map[int64]string, error) {
	var rows []struct {
		ID        int64  `db:"id"`
		LastError string `db:"last_error"`
	}
	if err := selectAll(ctx, db.r, &rows, `SELECT id, last_error FROM outbox_dead WHERE channel = ? AND chat_id = ?`,
		channel, chatID); err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for _, r := range rows {
		out[r.ID] = r.LastError
	}
	return out, nil
}
