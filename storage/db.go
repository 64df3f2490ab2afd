// Package storage keeps langnghe's state in PostgreSQL (lib/pq) or, by
// default, in an embedded SQLite file (modernc.org/sqlite, no cgo). One set of
// queries serves both through sqlx; the few places where the SQL differs switch
// on the dialect. It implements the root package's services and exports
// no domain types of its own: DB, Tx and Open's options.
//
// Times: PostgreSQL columns are timestamptz and every connection runs with
// timezone=UTC. SQLite columns are declared TIMESTAMP and hold INTEGER unix
// nanoseconds (UTC): the driver binds and scans time.Time itself
// (_time_integer_format=unix_nano, _inttotime=1), and comparisons such as
// "not_before <= now" are numeric. Text in RFC 3339 was rejected because
// RFC3339Nano drops trailing zeros, so "…:05Z" sorts after "…:05.5Z".
// Every time is truncated to microseconds before it is written so that both
// databases give back exactly what was stored.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"
	"modernc.org/sqlite"

	"langnghe"
)

// Dialects Dialect reports.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// DefaultSQLitePath is where the database lives when no URL is given.
const DefaultSQLitePath = "langnghe.db"

// DB is the service's database. Its methods outside a transaction are safe for
// concurrent use; the update path uses InTx.
type DB struct {
	dialect string
	// w runs transactions and writes. On SQLite it holds one connection, so
	// writers queue in Go instead of failing with SQLITE_BUSY.
	w *sqlx.DB
	// r serves reads that need no transaction. On PostgreSQL it is w; on
	// SQLite a separate read-only pool that WAL lets run beside the writer.
	r *sqlx.DB
	// out serves the sender's outbox work (claims, sent marks, retries). On
	// PostgreSQL it is a small pool of its own, so replies keep leaving
	// while residents' inputs hold every connection of w; on SQLite it is w.
	out *sqlx.DB
	// ops holds, on PostgreSQL, the sender's lease lock (HoldLeases) and
	// the readiness probe on two connections of their own, so neither waits
	// behind a busy update path; nil on SQLite.
	ops *sqlx.DB
	// health is what the service's writes say of the database (Ready).
	health writeHealth
	// sent combines concurrent MarkSent calls into one transaction.
	sent sentBatch
	// handoff, when set, leases queued messages to this process's sender.
	handoff atomic.Pointer[langnghe.Handoff]
	// redacted is the URL without its password, for error messages.
	redacted string
	// reader's queries run on r.
	reader
}

// Open connects to the database url names:
//
//	postgres://... or postgresql://...   PostgreSQL (lib/pq); timezone=UTC is added
//	sqlite:path, sqlite://path, file:...  SQLite
//	a plain path                          SQLite
//	""                                    SQLite file langnghe.db in the working directory
//
// The first connection is retried briefly while ctx allows, since the
// operator's database may still be starting. Open does not migrate: call
// Migrate. Errors never contain the password.
func Open(ctx context.Context, rawURL string) (*DB, error) {
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return openPostgres(ctx, rawURL)
	case looksLikeConninfo(rawURL):
		return nil, langnghe.Errorf(langnghe.EINVALID,
			"database URL %q: key=value connection strings are not supported; use postgres://user@host:5432/db?sslmode=disable",
			redactConninfo(rawURL))
	}
	path, params, err := sqlitePath(rawURL)
	if err != nil {
		return nil, err
	}
	return openSQLite(ctx, path, params)
}

// Connections per replica to PostgreSQL: the update path and reads, and
// the sender's outbox work. A server's max_connections (100 by default) is
// shared by every replica and whatever else uses it, so a replica keeps to
// 28 in all unless the URL's pool_max_conns says otherwise (the name pgx
// uses; it is taken out before the URL reaches lib/pq).
const (
	postgresConns       = 24
	postgresOutboxConns = 4
)

// poolSizes reads pool_max_conns from q (and removes it): the total split
// between the update path and the sender, which gets about one in seven.
func poolSizes(q url.Values, redacted string) (update, outbox int, err error) {
	v := q.Get("pool_max_conns")
	q.Del("pool_max_conns")
	if v == "" {
		return postgresConns, postgresOutboxConns, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 2 || n > 1000 {
		return 0, 0, langnghe.Errorf(langnghe.EINVALID, "database URL %s: pool_max_conns=%q must be a number from 2 to 1000", redacted, v)
	}
	outbox = max(1, n/7)
	return n - outbox, outbox, nil
}

func openPostgres(ctx context.Context, rawURL string) (*DB, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse quotes the whole URL, password included: never wrap it.
		return nil, langnghe.Errorf(langnghe.EINVALID, "database URL %s is not a valid URL", redactURL(rawURL))
	}
	redacted := redactURL(rawURL) // the password hidden in the userinfo and the query (dsn.go)
	if u.Host == "" {
		return nil, langnghe.Errorf(langnghe.EINVALID, "database URL %s names no host", redacted)
	}
	q := u.Query()
	updateConns, outboxConns, err := poolSizes(q, redacted)
	if err != nil {
		return nil, err
	}
	if q.Get("timezone") == "" {
		q.Set("timezone", "UTC")
	}
	// With binary_parameters lib/pq sends a statement and its arguments in
	// one round trip instead of two (prepare, then execute): the update path
	// runs about ten statements per input, so this halves its waiting.
	if q.Get("binary_parameters") == "" {
		q.Set("binary_parameters", "yes")
	}
	u.RawQuery = q.Encode()
	connector, err := pq.NewConnector(u.String())
	if err != nil {
		return nil, langnghe.Errorf(langnghe.EINVALID, "database URL %s: %s", redacted, scrub(err.Error(), u))
	}
	// Concurrent transactions share commit flushes (group commit), so the
	// update path gains from more connections than cores; idle ones are
	// kept, since opening a PostgreSQL connection forks a backend.
	pool := func(n int) *sqlx.DB {
		db := sqlx.NewDb(sql.OpenDB(preparingConnector{connector}), "postgres")
		db.SetMaxOpenConns(n)
		db.SetMaxIdleConns(n)
		db.SetConnMaxIdleTime(5 * time.Minute)
		return db
	}
	db, out, ops := pool(updateConns), pool(outboxConns), pool(2)
	if err := pingWithRetry(ctx, db, redacted); err != nil {
		db.Close()
		out.Close()
		ops.Close()
		return nil, &scrubbedError{msg: scrub(err.Error(), u), err: err}
	}
	return &DB{dialect: Postgres, w: db, r: db, out: out, ops: ops, redacted: redacted, reader: reader{db}}, nil
}

// sqlitePath turns the accepted SQLite spellings into a file path (or a
// file: URI) and the query parameters the caller gave.
func sqlitePath(rawURL string) (path string, params url.Values, err error) {
	s := rawURL
	if s == "" {
		s = DefaultSQLitePath
	}
	if scheme, _, ok := strings.Cut(s, "://"); ok && scheme != "sqlite" && scheme != "file" {
		return "", nil, langnghe.Errorf(langnghe.EINVALID,
			"database URL %s: unsupported scheme %q (use postgres://..., sqlite:path or a file path)", redactURL(s), scheme)
	}
	s = strings.TrimPrefix(s, "sqlite://")
	s = strings.TrimPrefix(s, "sqlite:")
	path, query, _ := strings.Cut(s, "?")
	params, err = url.ParseQuery(query)
	if err != nil {
		return "", nil, langnghe.Errorf(langnghe.EINVALID, "database URL %q: bad query: %v", redactURL(rawURL), err)
	}
	if path == "" || path == "file:" {
		return "", nil, langnghe.Errorf(langnghe.EINVALID, "database URL %q names no SQLite file", redactURL(rawURL))
	}
	return path, params, nil
}

// sqliteParams are the connection settings every SQLite connection gets:
// WAL so readers never block the writer, a busy timeout for other processes,
// foreign keys, BEGIN IMMEDIATE for every transaction (a deferred transaction
// that later writes can fail with SQLITE_BUSY instead of waiting), and
// integer unix-nano times.
func sqliteParams(user url.Values, readOnly bool) string {
	q := url.Values{}
	for k, v := range user {
		q[k] = v
	}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	}
	q.Set("_txlock", "immediate")
	q.Set("_time_integer_format", "unix_nano")
	q.Set("_inttotime", "1")
	return q.Encode()
}

func openSQLite(ctx context.Context, path string, params url.Values) (*DB, error) {
	memory := path == ":memory:" || params.Get("mode") == "memory"
	open := func(readOnly bool) (*sqlx.DB, error) {
		db, err := sqlx.Open("sqlite", path+"?"+sqliteParams(params, readOnly))
		if err != nil {
			return nil, fmt.Errorf("open sqlite %q: %w", path, err)
		}
		return db, nil
	}
	w, err := open(false)
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := pingWithRetry(ctx, w, path); err != nil {
		w.Close()
		return nil, err
	}
	if memory {
		// Every connection to :memory: is a database of its own: one pool.
		return &DB{dialect: SQLite, w: w, r: w, out: w, redacted: path, reader: reader{w}}, nil
	}
	r, err := open(true)
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	return &DB{dialect: SQLite, w: w, r: r, out: w, redacted: path, reader: reader{r}}, nil
}

// pingWithRetry waits for the database to answer, retrying errors that
// mean "not up yet" with backoff for up to 15 seconds or until ctx ends.
func pingWithRetry(ctx context.Context, db *sqlx.DB, name string) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	delay := 100 * time.Millisecond
	for {
		err := db.PingContext(ctx)
		if err == nil {
			return nil
		}
		if !transientConnectError(err) {
			return fmt.Errorf("connect to %s: %w", name, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("connect to %s: %w (gave up: %v)", name, err, ctx.Err())
		case <-time.After(delay):
		}
		delay = min(2*delay, 2*time.Second)
	}
}

// transientConnectError reports whether a failed connection may succeed
// later: the server is unreachable or still starting. Bad passwords and
// missing databases are not retried.
func transientConnectError(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	return pq.As(err, pqerror.CannotConnectNow, pqerror.TooManyConnections) != nil
}

// Close closes the pools.
func (db *DB) Close() error {
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	if db.out != db.w {
		err = errors.Join(err, db.out.Close())
	}
	if db.ops != nil {
		err = errors.Join(err, db.ops.Close())
	}
	return err
}

// Dialect returns Postgres or SQLite.
func (db *DB) Dialect() string { return db.dialect }

// Ping checks that the database answers (Ready checks that it can write).
func (db *DB) Ping(ctx context.Context) error {
	if err := db.w.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s: %w", db.redacted, err)
	}
	return nil
}

// Tx is one transaction. The update path runs one per resident input.
type Tx struct {
	tx      *sqlx.Tx
	dialect string
	// queues are the chat queues this transaction has locked (BeginUpdate,
	// Enqueue); a transaction-scoped lock needs taking only once.
	queues map[string]bool
	// notOfficial is the account (channel and external id) that
	// ResidentState found no active official for, so that ActiveOfficial
	// need not ask again in the same transaction.
	notOfficial string
	// handed collects what the transaction queued under a handoff.
	handed handed
	// wrote is set by the update path's writes (an update marked, messages
	// queued or sent), whose commit tells readiness the database writes.
	wrote bool
	// countedOpinion is set once NextOpinionCode has taken a number: the
	// transaction holds the counter's row lock until it ends, and every
	// other transaction that takes a code waits for it (HoldsOpinionCounter).
	countedOpinion bool
	// units and rules are the units and routing rules as this transaction
	// read them (Units, RoutingRules), until it changes either: routing a
	// new opinion reads them twice (the receipt names the unit, then
	// Route stores it), and they are read before the opinion code is taken
	// (PrepareRouting), so that neither read runs while the transaction
	// holds the code counter's lock.
	units *[]langnghe.Unit
	rules *[]langnghe.RoutingRule
	// reader's queries run in the transaction.
	reader
}

// reader holds the reads that are the same outside a transaction (DB, on
// the read pool) and inside one (Tx, which sees its own writes and reads
// as of its update): each is written once, and DB and Tx both have it.
type reader struct{ q sqlx.ExtContext }

// The root's services storage implements.
var (
	_ langnghe.OpinionReader = (*DB)(nil)
	_ langnghe.OpinionReader = (*Tx)(nil)
	_ langnghe.FlowStore     = (*DB)(nil)
	_ langnghe.FlowStore     = (*Tx)(nil)
	_ langnghe.ReportService = (*DB)(nil)
	_ langnghe.DigestService = (*DB)(nil)
)

// txAttempts bounds how often InTx runs fn when the database asks for a retry.
const txAttempts = 5

// InTx runs fn in a transaction: it commits when fn returns nil and rolls
// back otherwise. When the database reports a serialization failure, a
// deadlock (40001/40P01) or SQLITE_BUSY, the whole fn runs again, a few times,
// with backoff; fn must therefore have no effects outside the transaction.
// Do not call DB methods from fn: on SQLite the one writer connection is fn's.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.inTx(ctx, db.w, fn)
}

// inTx is InTx on one of the pools.
func (db *DB) inTx(ctx context.Context, pool *sqlx.DB, fn func(tx *Tx) error) error {
	delay := 10 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := db.runTx(ctx, pool, fn)
		if err == nil || attempt == txAttempts || !retryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(delay + rand.N(delay)):
		}
		delay *= 2
	}
}

func (db *DB) runTx(ctx context.Context, pool *sqlx.DB, fn func(tx *Tx) error) (err error) {
	var tx *Tx
	defer func() {
		// Only a commit that wrote says the database takes writes; any
		// failure may say it does not.
		if err != nil || (tx != nil && tx.wrote) {
			db.health.recordWrite(err)
		}
	}()
	stx, err := pool.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer func() {
		if err != nil {
			// The transaction's error matters; a failed rollback of a
			// broken connection adds nothing.
			_ = stx.Rollback()
		}
	}()
	tx = &Tx{tx: stx, dialect: db.dialect, handed: handed{h: db.handoff.Load()}, reader: reader{stx}}
	if err := fn(tx); err != nil {
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	tx.afterCommit()
	return nil
}

// retryable reports whether running the transaction again may succeed.
func retryable(err error) bool {
	if pq.As(err, pqerror.TRSerializationFailure, pqerror.TRDeadlockDetected) != nil {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // extended codes carry the primary code in the low byte
		case sqliteBusy, sqliteLocked:
			return true
		}
	}
	return false
}

// SQLite primary result codes (sqlite3.h).
const (
	sqliteBusy   = 5
	sqliteLocked = 6
)

// uniqueViolation reports whether err is a broken UNIQUE or PRIMARY KEY.
func uniqueViolation(err error) bool {
	if pq.As(err, pqerror.UniqueViolation) != nil {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		const constraintUnique, constraintPrimaryKey = 2067, 1555
		return se.Code() == constraintUnique || se.Code() == constraintPrimaryKey
	}
	return false
}

// dbTime is how every time is written: UTC, microseconds (what timestamptz
// keeps), so both databases return exactly the value that was stored.
func dbTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// now is the current time as dbTime writes it.
func now() time.Time { return dbTime(time.Now()) }

// Query helpers: queries are written with ? and rebound for the dialect.

func get(ctx context.Context, q sqlx.ExtContext, dest any, query string, args ...any) error {
	return sqlx.GetContext(ctx, q, dest, q.Rebind(query), args...)
}

// decodeRows decodes rows, in order, with decode (a row type's method:
// (*opinionRow).opinion); one row that does not decode fails them all.
func decodeRows[R, T any](rows []R, decode func(*R) (T, error)) ([]T, error) {
	out := make([]T, 0, len(rows))
	for i := range rows {
		v, err := decode(&rows[i])
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func selectAll(ctx context.Context, q sqlx.ExtContext, dest any, query string, args ...any) error {
	return sqlx.SelectContext(ctx, q, dest, q.Rebind(query), args...)
}

func exec(ctx context.Context, q sqlx.ExtContext, query string, args ...any) (sql.Result, error) {
	return q.ExecContext(ctx, q.Rebind(query), args...)
}

// notFound turns sql.ErrNoRows into an application error that says what was
// missing; other errors are wrapped with what was being done.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return langnghe.Errorf(langnghe.ENOTFOUND, format+" not found", args...)
	}
	return fmt.Errorf("load "+format+": %w", append(args, err)...)
}

// looksLikeConninfo reports whether s is a libpq key=value string such as
// "host=db user=x password=y", which would otherwise be taken for a file name.
func looksLikeConninfo(s string) bool {
	for _, key := range []string{"host=", "dbname=", "user=", "password="} {
		if strings.HasPrefix(s, key) || strings.Contains(s, " "+key) {
			return true
		}
	}
	return false
}

// scrubbedError shows a message with the password removed and still lets
// errors.As reach the driver's error.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// oneRow checks that an UPDATE or DELETE hit its row: ENOTFOUND otherwise.
func oneRow(res sql.Result, err error, format string, args ...any) error {
	if err != nil {
		return fmt.Errorf("write "+format+": %w", append(args, err)...)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("write "+format+": %w", append(args, err)...)
	}
	if n == 0 {
		return langnghe.Errorf(langnghe.ENOTFOUND, format+" not found", args...)
	}
	return nil
}

// Limits on how many rows one list call returns.
const (
	defaultLimit = 50
	maxLimit     = 1000
)

// clampLimit turns a caller's limit into one the database can serve:
// non-positive means the default.
func clampLimit(n int) int {
	if n <= 0 {
		return defaultLimit
	}
	return min(n, maxLimit)
}
