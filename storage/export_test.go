package storage

import "context"

// WaitingAdvisoryLocks counts the advisory locks PostgreSQL sessions of this
// database are waiting for, so tests can see a transaction blocked in
// BeginUpdate instead of guessing with a sleep.
func (db *DB) WaitingAdvisoryLocks(ctx context.Context) (int, error) {
	var n int
	err := get(ctx, db.r, &n, `SELECT COUNT(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
		WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()`)
	return n, err
}
