package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	_ "github.com/lib/pq" // the "postgres" driver for the throwaway database
)

// database is where the service keeps its state during one run.
type database struct {
	url     string
	dialect string // sqlite or postgres
	// drop removes a database the run created; nil for one it was given.
	drop func(context.Context) error
}

// prepareDatabase turns the -db flag into a database URL:
//
//	sqlite     a fresh SQLite file in dir
//	postgres   a throwaway database created on the server adminURL names,
//	           dropped after the run
//	a URL      postgres://... or sqlite:..., used as it is and kept
func prepareDatabase(ctx context.Context, spec, adminURL, dir string) (*database, error) {
	switch {
	case spec == "sqlite":
		return &database{url: "sqlite:" + filepath.Join(dir, "langnghe.db"), dialect: "sqlite"}, nil
	case spec == "postgres":
		return createPostgres(ctx, adminURL)
	case strings.HasPrefix(spec, "postgres://"), strings.HasPrefix(spec, "postgresql://"):
		return &database{url: spec, dialect: "postgres"}, nil
	case strings.HasPrefix(spec, "sqlite:"):
		return &database{url: spec, dialect: "sqlite"}, nil
	}
	return nil, fmt.Errorf("-db %q: want sqlite, postgres, a postgres:// URL or a sqlite: URL", spec)
}

// createPostgres creates an empty database named loadgen_<random> next to
// the one adminURL names.
func createPostgres(ctx context.Context, adminURL string) (*database, error) {
	u, err := url.Parse(adminURL)
	if err != nil {
		return nil, fmt.Errorf("-pg-admin is not a URL")
	}
	admin, err := sql.Open("postgres", adminURL)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", u.Redacted(), err)
	}
	var suffix [6]byte
	_, _ = rand.Read(suffix[:])
	name := "loadgen_" + hex.EncodeToString(suffix[:])
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return nil, fmt.Errorf("create database %s on %s: %w", name, u.Redacted(), err)
	}
	u.Path = "/" + name
	return &database{
		url:     u.String(),
		dialect: "postgres",
		drop: func(ctx context.Context) error {
			defer admin.Close()
			if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
				return fmt.Errorf("drop database %s: %w", name, err)
			}
			return nil
		},
	}, nil
}
