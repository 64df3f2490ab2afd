package storage

import "context"

// PreparedExecutions reports how often each statement prepared on the
// transaction's connection ran (PostgreSQL 14 or later), by its text.
func (tx *Tx) PreparedExecutions(ctx context.Context) (map[string]int64, error) {
	var rows []struct {
		Statement string `db:"statement"`
		Runs      int64  `db:"runs"`
	}
	err := selectAll(ctx, tx.tx, &rows, `SELECT statement, generic_plans + custom_plans AS runs FROM pg_prepared_statements`)
	out := map[string]int64{}
	for _, r := range rows {
		out[r.Statement] = r.Runs
	}
	return out, err
}
