package storage

import (
	"context"
	"fmt"
	"strings"

	"langnghe"
)

// The audit: who changed what in the studio and when. Flow saves and
// publications are in flow_audit (flows.go); everything else, settings
// documents, units and routing rules, officials, in settings_audit. Each
// entry is written in the transaction of its change, so there is no change
// without its entry and no entry without its change.

// RecordAudit writes e in the transaction of the change it describes;
// e.At defaults to now.
func (tx *Tx) RecordAudit(ctx context.Context, e langnghe.AuditEntry) error {
	if e.Kind == "" || e.Action == "" {
		return langnghe.Errorf(langnghe.EINVALID, "an audit entry needs a kind and an action")
	}
	if e.At.IsZero() {
		e.At = now()
	}
	_, err := exec(ctx, tx.tx, `INSERT INTO settings_audit (kind, subject, action, revision, actor, detail, at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, e.Kind, e.Subject, e.Action, e.Revision, e.Actor, e.Detail, dbTime(e.At))
	if err != nil {
		return fmt.Errorf("audit %s of %s %q: %w", e.Action, e.Kind, e.Subject, err)
	}
	return nil
}

// Audit lists changes to flows and settings, newest first.
func (db *DB) Audit(ctx context.Context, q langnghe.AuditQuery) ([]langnghe.AuditEntry, error) {
	var where []string
	var args []any
	if q.Kind != "" {
		where = append(where, "kind = ?")
		args = append(args, q.Kind)
	}
	query := `SELECT kind, subject, action, revision, actor, detail, at FROM (
		SELECT 'flow' AS kind, flow_id AS subject, action, revision, actor, '' AS detail, at, 0 AS source, id FROM flow_audit
		UNION ALL
		SELECT kind, subject, action, revision, actor, detail, at, 1 AS source, id FROM settings_audit
	) a`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	// Entries of one instant keep the order they were written in.
	query += " ORDER BY at DESC, source DESC, id DESC LIMIT ? OFFSET ?"
	args = append(args, clampLimit(q.Limit), max(q.Offset, 0))
	out := []langnghe.AuditEntry{}
	if err := selectAll(ctx, db.r, &out, query, args...); err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	return out, nil
}
