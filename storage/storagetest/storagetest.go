// Package storagetest gives tests real databases: a migrated SQLite file and
// a fresh, migrated PostgreSQL database per test, dropped afterwards, so the
// same test runs against both.
//
// PostgreSQL comes from LANGNGHE_TEST_POSTGRES (default
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable); that role
// must be allowed to create databases. When the server cannot be reached the
// PostgreSQL subtests are skipped with a loud message, or fail when
// LANGNGHE_REQUIRE_POSTGRES=1 (CI sets it, so CI cannot pass without them).
package storagetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lib/pq"

	"langnghe/storage"
)

// DefaultPostgres is the server used when LANGNGHE_TEST_POSTGRES is unset.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Each runs fn once per database, as the subtests "sqlite" and "postgres".
func Each(t *testing.T, fn func(t *testing.T, db *storage.DB)) {
	t.Helper()
	t.Run(storage.SQLite, func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run(storage.Postgres, func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns a migrated database in a fresh temporary file, closed when
// the test ends.
func SQLite(t testing.TB) *storage.DB {
	t.Helper()
	return openMigrated(t, "sqlite:"+filepath.Join(t.TempDir(), "langnghe.db"))
}

// Postgres returns a migrated database of its own on the test server,
// closed and dropped when the test ends.
func Postgres(t testing.TB) *storage.DB {
	t.Helper()
	return openMigrated(t, PostgresURL(t))
}

func openMigrated(t testing.TB, dbURL string) *storage.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := storage.Open(ctx, dbURL)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close test database: %v", err)
		}
	})
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return db
}

// PostgresURL creates an empty database langnghe_test_<random> and returns
// its URL, for tests that start the real binary (which migrates it). The
// database is dropped when the test ends, its connections terminated first.
func PostgresURL(t testing.TB) string {
	t.Helper()
	admin, adminURL := server(t)
	name := "langnghe_test_" + randomSuffix(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name)); err != nil {
		t.Fatalf("create test database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := admin.ExecContext(ctx,
			`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, name)
		if err != nil {
			t.Errorf("terminate connections to %s: %v", name, err)
		}
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(name)); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u := *adminURL
	u.Path = "/" + name
	// Many test services share one server (100 connections by default):
	// each keeps a small pool.
	q := u.Query()
	q.Set("pool_max_conns", "6")
	u.RawQuery = q.Encode()
	return u.String()
}

// The server connection is opened once per test binary and shared.
var (
	serverOnce sync.Once
	serverDB   *sql.DB
	serverURL  *url.URL
	serverErr  error
)

// server returns the admin connection, or ends the test when the server is
// unreachable: t.Fatal when PostgreSQL is required, t.Skip otherwise.
func server(t testing.TB) (*sql.DB, *url.URL) {
	t.Helper()
	serverOnce.Do(func() {
		raw := os.Getenv("LANGNGHE_TEST_POSTGRES")
		if raw == "" {
			raw = DefaultPostgres
		}
		serverURL, serverErr = url.Parse(raw)
		if serverErr != nil {
			serverErr = fmt.Errorf("LANGNGHE_TEST_POSTGRES is not a URL")
			return
		}
		serverDB, serverErr = sql.Open("postgres", raw)
		if serverErr != nil {
			return
		}
		serverDB.SetMaxOpenConns(4)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		serverErr = serverDB.PingContext(ctx)
	})
	if serverErr != nil {
		where := "LANGNGHE_TEST_POSTGRES"
		if serverURL != nil {
			where = serverURL.Redacted()
		}
		if os.Getenv("LANGNGHE_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL is required (LANGNGHE_REQUIRE_POSTGRES=1) but %s is unreachable: %v", where, serverErr)
		}
		t.Skipf("\n\n*** PostgreSQL tests SKIPPED: cannot reach %s: %v\n"+
			"*** Start PostgreSQL or point LANGNGHE_TEST_POSTGRES at one (postgres://user@host:5432/db?sslmode=disable).\n"+
			"*** Set LANGNGHE_REQUIRE_POSTGRES=1 to make this a failure (CI does).\n", where, serverErr)
	}
	return serverDB, serverURL
}

func randomSuffix(t testing.TB) string {
	t.Helper()
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("random database name: %v", err)
	}
	return hex.EncodeToString(b)
}
