package storage

import (
	"context"
	"database/sql/driver"
	"strings"

	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"
)

// prepared starts the text of a query that PostgreSQL should parse and plan
// once per connection instead of at every execution: the update path's few
// statements run on every input, and parsing and planning them took about
// as much of the server's time as executing them. Only marked queries are
// prepared, so rarely run ones (reports, exports) keep their plans made for
// the values at hand and the server holds no statement it seldom uses.
const prepared = "/* prepared */ "

// pqConn is what database/sql uses of a lib/pq connection.
type pqConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.NamedValueChecker
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// preparingConnector hands out connections that keep their prepared
// statements.
type preparingConnector struct {
	driver.Connector
}

func (c preparingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	if pc, ok := conn.(pqConn); ok {
		return &preparingConn{pqConn: pc, stmts: map[string]driver.Stmt{}}, nil
	}
	return conn, nil
}

// preparingConn runs queries marked prepared through statements prepared
// on first use and kept for the connection's life. database/sql uses a
// connection from one goroutine at a time, so stmts needs no lock. With
// lib/pq's binary_parameters an execution is one round trip (bind and
// execute), as an unprepared query is.
type preparingConn struct {
	pqConn
	stmts map[string]driver.Stmt
}

func (c *preparingConn) statement(ctx context.Context, query string) (driver.Stmt, error) {
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	st, err := c.pqConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = st
	return st, nil
}

// forget drops a statement the server no longer accepts, e.g. after a
// migration changed a table it reads ("cached plan must not change result
// type"): the next use prepares it again.
func (c *preparingConn) forget(query string, err error) {
	if pq.As(err, pqerror.FeatureNotSupported, pqerror.InvalidSQLStatementName) == nil {
		return
	}
	if st, ok := c.stmts[query]; ok {
		delete(c.stmts, query)
		_ = st.Close()
	}
}

func (c *preparingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return run(ctx, c, query, args, c.pqConn.QueryContext, func(st driver.Stmt) (driver.Rows, error) {
		return st.(driver.StmtQueryContext).QueryContext(ctx, args)
	})
}

func (c *preparingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return run(ctx, c, query, args, c.pqConn.ExecContext, func(st driver.Stmt) (driver.Result, error) {
		return st.(driver.StmtExecContext).ExecContext(ctx, args)
	})
}

// run runs query directly, or, for a query marked prepared that has
// arguments, as the connection's prepared statement (forgotten when the
// server no longer knows it).
func run[T any](ctx context.Context, c *preparingConn, query string, args []driver.NamedValue,
	direct func(context.Context, string, []driver.NamedValue) (T, error), onStatement func(driver.Stmt) (T, error)) (T, error) {
	if !strings.HasPrefix(query, prepared) || len(args) == 0 {
		return direct(ctx, query, args)
	}
	st, err := c.statement(ctx, query)
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := onStatement(st)
	if err != nil {
		c.forget(query, err)
	}
	return v, err
}
