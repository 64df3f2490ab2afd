package storage

import "context"

// ForgetFoldedTexts clears every opinion's folded text, as it is for
// opinions stored before migration 00006, so tests can see Migrate fold
// them again.
func (db *DB) ForgetFoldedTexts(ctx context.Context) error {
	_, err := exec(ctx, db.w, `UPDATE opinions SET text_folded = NULL`)
	return err
}

// Exec runs a statement of a test's own, such as generating many rows.
func (db *DB) Exec(ctx context.Context, query string, args ...any) error {
	_, err := exec(ctx, db.w, query, args...)
	return err
}
