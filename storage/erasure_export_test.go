package storage

import (
	"context"
	"fmt"
	"strings"
)

// Column is one column of a table, as the database's catalogue lists it.
type Column struct {
	Table, Name, Type string
}

// Columns lists every column of every table of the database, from its own
// catalogue (information_schema.columns on PostgreSQL, sqlite_master and
// pragma_table_info on SQLite), so that a test reading them all sees the
// tables a later migration adds.
func (db *DB) Columns(ctx context.Context) ([]Column, error) {
	var out []Column
	if db.dialect == Postgres {
		err := selectAll(ctx, db.r, &out, `SELECT table_name AS "table", column_name AS "name", data_type AS "type"
			FROM information_schema.columns c
			WHERE table_schema = current_schema()
			AND EXISTS (SELECT 1 FROM information_schema.tables t WHERE t.table_schema = c.table_schema
				AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE')
			ORDER BY table_name, ordinal_position`)
		return out, err
	}
	var tables []string
	if err := selectAll(ctx, db.r, &tables, `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`); err != nil {
		return nil, err
	}
	for _, t := range tables {
		var cols []Column
		if err := selectAll(ctx, db.r, &cols, `SELECT ? AS "table", name, type FROM pragma_table_info(?) ORDER BY cid`, t, t); err != nil {
			return nil, err
		}
		out = append(out, cols...)
	}
	return out, nil
}

// Values returns every non-null value of column c, as the bytes the
// database stores: bytea and BLOB as they are, anything else as text.
func (db *DB) Values(ctx context.Context, c Column) ([][]byte, error) {
	expr := quoteIdent(c.Name)
	switch {
	case db.dialect == SQLite:
		expr = `CAST(` + expr + ` AS BLOB)`
	case c.Type != "bytea":
		expr = `CAST(` + expr + ` AS text)`
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+expr+` FROM `+quoteIdent(c.Table)+` WHERE `+quoteIdent(c.Name)+` IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("read %s.%s: %w", c.Table, c.Name, err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, fmt.Errorf("read %s.%s: %w", c.Table, c.Name, err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
