package storage_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

func TestOpenURLs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name, url string
	}{
		{"plain path", filepath.Join(dir, "a.db")},
		{"sqlite: prefix", "sqlite:" + filepath.Join(dir, "b.db")},
		{"sqlite:// prefix", "sqlite://" + filepath.Join(dir, "c.db")},
		{"file: URI", "file:" + filepath.Join(dir, "d.db") + "?cache=private"},
		{"in memory", "sqlite::memory:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db, err := storage.Open(ctx, tt.url)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if db.Dialect() != storage.SQLite {
				t.Errorf("dialect = %q, want sqlite", db.Dialect())
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := db.Ping(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestOpenDefaultPath(t *testing.T) {
	t.Chdir(t.TempDir())
	db, err := storage.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(storage.DefaultSQLitePath); err != nil {
		t.Fatalf("no database in the working directory: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-pa55"
	tests := []struct {
		name string
		url  string
		want string // in the message
	}{
		{"unknown scheme", "mysql://u:" + secret + "@db/x", `unsupported scheme "mysql"`},
		{"port out of range", "postgres://u:" + secret + "@127.0.0.1:99999999/x?sslmode=disable", `wrong value for "port"`},
		{"port not a number", "postgres://u:" + secret + "@127.0.0.1:abc/x", "not a valid URL"},
		{"no host", "postgres://u:" + secret + "@/x", "names no host"},
		{"conninfo", "host=db user=u password=" + secret, "not supported"},
		{"refused", "postgres://u:" + secret + "@127.0.0.1:1/x?sslmode=disable&connect_timeout=1", "connect to"},
		{"unknown role", "postgres://nosuchuser:" + secret + "@127.0.0.1:5432/x?sslmode=disable", "nosuchuser:xxxxx@"},
		{"empty sqlite path", "sqlite:", "names no SQLite file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			db, err := storage.Open(ctx, tt.url)
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q) succeeded", tt.url)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error leaks the password: %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}

func TestInTxCommitsAndRollsBack(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		failure := errors.New("flow failed")
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			if err := tx.SaveResident(ctx, &langnghe.Resident{Channel: "telegram", ExternalID: "1"}); err != nil {
				return err
			}
			return failure
		})
		if !errors.Is(err, failure) {
			t.Fatalf("InTx = %v, want the fn's error", err)
		}
		err = db.InTx(ctx, func(tx *storage.Tx) error {
			_, err := tx.ResidentByExternal(ctx, "telegram", "1")
			return err
		})
		if code(err) != langnghe.ENOTFOUND {
			t.Fatalf("after rollback: %v, want not found", err)
		}
	})
}

func TestInTxRetriesSerializationFailures(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		tests := []struct {
			name     string
			err      error
			attempts int
		}{
			{"serialization failure", &pq.Error{Code: pqerror.TRSerializationFailure}, 2},
			{"deadlock", &pq.Error{Code: pqerror.TRDeadlockDetected}, 2},
			{"unique violation is final", &pq.Error{Code: pqerror.UniqueViolation}, 1},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				attempts := 0
				external := "retry-" + tt.name
				err := db.InTx(ctx, func(tx *storage.Tx) error {
					attempts++
					if err := tx.SaveResident(ctx, &langnghe.Resident{Channel: "telegram", ExternalID: external}); err != nil {
						return err
					}
					if attempts == 1 {
						return tt.err
					}
					return nil
				})
				if attempts != tt.attempts {
					t.Errorf("fn ran %d times, want %d", attempts, tt.attempts)
				}
				if tt.attempts == 1 && err == nil {
					t.Error("InTx succeeded after a final error")
				}
				if tt.attempts > 1 && err != nil {
					t.Errorf("InTx = %v after retry", err)
				}
			})
		}
	})
}

func TestMigrateConcurrentlyOnFreshPostgres(t *testing.T) {
	t.Parallel()
	dbURL := storagetest.PostgresURL(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		db, err := storage.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		wg.Go(func() { errs[i] = db.Migrate(ctx) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: %v", i, err)
		}
	}
	db, err := storage.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrating an up-to-date database: %v", err)
	}
	if _, err := db.Flows(ctx); err != nil {
		t.Fatalf("schema missing after concurrent migrations: %v", err)
	}
}
