package storage

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"
	"modernc.org/sqlite"

	"langnghe"
)

// writeHealth is what the service's own writes say about the database:
// the last one that committed and the last one the database could not
// take. A ping answers on a full disk, so readiness needs both.
type writeHealth struct {
	mu       sync.Mutex
	okAt     time.Time
	failedAt time.Time
	failure  error
	// probe caches the last readiness probe, so that a busy health checker
	// does not queue writes behind the update path.
	probedAt time.Time
	probeErr error
}

// recordWrite notes a transaction's outcome; errors that are the
// transaction's own (a constraint, a conflict) say nothing of the database.
func (h *writeHealth) recordWrite(err error) {
	if err != nil && !unwritable(err) {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err == nil {
		h.okAt = time.Now()
		return
	}
	h.failedAt, h.failure = time.Now(), err
}

// failingFor is how long after a failed write the database counts as
// unable to write unless a write commits since: long enough for a health
// checker to see it, short enough that an idle replica (its balancer sends
// it nothing while it is not ready) recovers on the probe alone.
const failingFor = 15 * time.Second

// probeEvery bounds how often Ready writes.
const probeEvery = 500 * time.Millisecond

// Ready reports whether the database can take a write now: a tiny write
// that commits (a full disk or a read-only database fails it, where a ping
// would answer), and no write of the service's own failed that way since
// the last one that committed. The error's message (langnghe.ErrorMessage)
// is safe to show; its text has the cause for the log.
func (db *DB) Ready(ctx context.Context) error {
	h := &db.health
	h.mu.Lock()
	probe, err := h.probedAt, h.probeErr
	h.mu.Unlock()
	if time.Since(probe) > probeEvery {
		err = db.probe(ctx)
		h.mu.Lock()
		h.probedAt, h.probeErr = time.Now(), err
		h.mu.Unlock()
	}
	if err != nil {
		return fmt.Errorf("%w: %w", langnghe.Errorf(langnghe.EINTERNAL, "the database cannot take a write"), err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.failedAt.After(h.okAt) && time.Since(h.failedAt) < failingFor {
		return fmt.Errorf("%w: %w", langnghe.Errorf(langnghe.EINTERNAL, "the database's writes are failing"), h.failure)
	}
	return nil
}

// probe commits one write. It does not count as the service's own write:
// a probe that fits in space freed earlier must not hide turns that fail.
func (db *DB) probe(ctx context.Context) error {
	pool := db.w
	if db.ops != nil {
		pool = db.ops // not behind the update path's queue for connections
	}
	tx, err := pool.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it does nothing
	_, err = exec(ctx, tx, `INSERT INTO readiness (id, probed_at) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at`, now())
	if err != nil {
		return fmt.Errorf("write: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// SQLite primary result codes that say the file cannot be written.
const (
	sqliteReadOnly = 8
	sqliteIOErr    = 10
	sqliteCorrupt  = 11
	sqliteFull     = 13
	sqliteCantOpen = 14
	sqliteNotADB   = 26
)

// unwritable reports whether err says the database cannot take writes at
// all, rather than that one transaction was wrong: a full disk, an I/O
// error, a read-only database, a lost connection, a server shutting down.
func unwritable(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqliteReadOnly, sqliteIOErr, sqliteCorrupt, sqliteFull, sqliteCantOpen, sqliteNotADB:
			return true
		}
		return false
	}
	var pe *pq.Error
	if errors.As(err, &pe) {
		switch pe.Code.Class() {
		case "08", "53", "58", "XX": // connection, resources (disk full), system, internal
			return true
		case "57": // operator intervention: a shutdown, but not a cancelled query
			return pe.Code != pqerror.QueryCanceled
		}
		return pe.Code == pqerror.ReadOnlySQLTransaction
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}
