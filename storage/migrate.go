package storage

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql
var migrations embed.FS

// migrationLockID is the PostgreSQL advisory lock replicas take around
// migrations ("langnghe-migrate" in ASCII, shortened to fit an int64).
const migrationLockID int64 = 0x6c6e2d6d6967

// Migrate brings the schema up to date. Replicas may start at once: on
// PostgreSQL the run holds a session advisory lock, so the second waits for
// the first and then finds nothing to do; on SQLite the migration's BEGIN
// IMMEDIATE serialises them.
func (db *DB) Migrate(ctx context.Context) error {
	dir, dialect := "migrations/sqlite", goose.DialectSQLite3
	var opts []goose.ProviderOption
	if db.dialect == Postgres {
		dir, dialect = "migrations/postgres", goose.DialectPostgres
		// Probe every second, for up to five minutes.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(migrationLockID), lock.WithLockTimeout(1, 300))
		if err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return fmt.Errorf("migrations %s: %w", dir, err)
	}
	provider, err := goose.NewProvider(dialect, db.w.DB, sub, opts...)
	if err != nil {
		return fmt.Errorf("prepare migrations: %w", err)
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("migrate %s: %w", db.redacted, err)
	}
	return db.foldOpinionTexts(ctx)
}
