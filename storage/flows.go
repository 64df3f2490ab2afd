package storage

import (
	"context"
	"fmt"
	"time"

	"langnghe"
)

// Flow revisions: every save makes a new immutable revision (1, 2, 3 ...
// per flow); one of them is published, and sessions stay on the revision
// they started with. Rolling back is publishing an earlier revision.

// SaveFlowRevision stores source as the flow's next revision and returns
// its number. baseRevision is the revision the author edited (0 for a new
// flow); when someone saved another revision meanwhile the save is refused
// with ECONFLICT, so no edit is lost silently. Saving does not publish.
func (db *DB) SaveFlowRevision(ctx context.Context, flowID string, source []byte, author string, baseRevision int) (rev int, err error) {
	err = db.InTx(ctx, func(tx *Tx) error {
		rev, err = tx.SaveFlowRevision(ctx, flowID, source, author, baseRevision)
		return err
	})
	return rev, err
}

// SaveFlowRevision is DB.SaveFlowRevision inside a transaction (an admin's
// chat command applied with its update).
func (tx *Tx) SaveFlowRevision(ctx context.Context, flowID string, source []byte, author string, baseRevision int) (int, error) {
	if flowID == "" || len(source) == 0 || baseRevision < 0 {
		return 0, langnghe.Errorf(langnghe.EINVALID, "a flow revision needs a flow id, a source and a base revision")
	}
	at := now()
	_, err := exec(ctx, tx.tx, `INSERT INTO flows (id, updated_by, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (id) DO NOTHING`, flowID, author, at)
	if err != nil {
		return 0, fmt.Errorf("create flow %q: %w", flowID, err)
	}
	// The compare-and-set: concurrent saves on one base both reach this
	// row; the second waits for the first and then matches nothing.
	var revs []int
	err = selectAll(ctx, tx.tx, &revs, `UPDATE flows SET latest_revision = latest_revision + 1, updated_by = ?, updated_at = ?
		WHERE id = ? AND latest_revision = ? RETURNING latest_revision`, author, at, flowID, baseRevision)
	if err != nil {
		return 0, fmt.Errorf("save flow %q: %w", flowID, err)
	}
	if len(revs) == 0 {
		var latest int
		if err := get(ctx, tx.tx, &latest, `SELECT latest_revision FROM flows WHERE id = ?`, flowID); err != nil {
			return 0, notFound(err, "flow %q", flowID)
		}
		return 0, langnghe.Errorf(langnghe.ECONFLICT, "flow %s changed since revision %d (the latest is %d)",
			flowID, baseRevision, latest)
	}
	rev := revs[0]
	_, err = exec(ctx, tx.tx, `INSERT INTO flow_revisions (flow_id, revision, source, author, created_at)
		VALUES (?, ?, ?, ?, ?)`, flowID, rev, source, author, at)
	if err != nil {
		return 0, fmt.Errorf("save flow %q revision %d: %w", flowID, rev, err)
	}
	return rev, tx.auditFlow(ctx, flowID, "save", rev, author, at)
}

// PublishFlow makes revision rev the one new sessions of the flow start on.
// Publishing an earlier revision is the rollback. Sessions already running
// keep their revision.
func (db *DB) PublishFlow(ctx context.Context, flowID string, rev int, actor string) error {
	return db.InTx(ctx, func(tx *Tx) error { return tx.PublishFlow(ctx, flowID, rev, actor) })
}

// PublishFlow is DB.PublishFlow inside a transaction.
func (tx *Tx) PublishFlow(ctx context.Context, flowID string, rev int, actor string) error {
	var exists []int
	err := selectAll(ctx, tx.tx, &exists, `SELECT revision FROM flow_revisions WHERE flow_id = ? AND revision = ?`, flowID, rev)
	if err != nil {
		return fmt.Errorf("publish flow %q revision %d: %w", flowID, rev, err)
	}
	if len(exists) == 0 {
		return langnghe.Errorf(langnghe.ENOTFOUND, "flow %s revision %d not found", flowID, rev)
	}
	at := now()
	res, err := exec(ctx, tx.tx, `UPDATE flows SET published_revision = ?, updated_by = ?, updated_at = ? WHERE id = ?`,
		rev, actor, at, flowID)
	if err := oneRow(res, err, "flow %s", flowID); err != nil {
		return err
	}
	return tx.auditFlow(ctx, flowID, "publish", rev, actor, at)
}

func (tx *Tx) auditFlow(ctx context.Context, flowID, action string, rev int, actor string, at time.Time) error {
	_, err := exec(ctx, tx.tx, `INSERT INTO flow_audit (flow_id, action, revision, actor, at) VALUES (?, ?, ?, ?, ?)`,
		flowID, action, rev, actor, at)
	if err != nil {
		return fmt.Errorf("audit %s of flow %q revision %d: %w", action, flowID, rev, err)
	}
	return nil
}

// PublishedFlow returns the flow's published revision and its source;
// ENOTFOUND when the flow does not exist or was never published. In a
// transaction, a session starts on the revision published as of its own
// update.
func (r reader) PublishedFlow(ctx context.Context, flowID string) (rev int, source []byte, err error) {
	var row struct {
		Revision int    `db:"revision"`
		Source   []byte `db:"source"`
	}
	err = get(ctx, r.q, &row, `SELECT r.revision, r.source FROM flows f
		JOIN flow_revisions r ON r.flow_id = f.id AND r.revision = f.published_revision WHERE f.id = ?`, flowID)
	if err != nil {
		return 0, nil, notFound(err, "published flow %s", flowID)
	}
	return row.Revision, row.Source, nil
}

// PublishedRevision returns the number of the flow's published revision
// without its source, for callers that hold parsed revisions already;
// ENOTFOUND when the flow does not exist or was never published.
func (r reader) PublishedRevision(ctx context.Context, flowID string) (int, error) {
	var rev int
	err := get(ctx, r.q, &rev, `SELECT published_revision FROM flows WHERE id = ? AND published_revision > 0`, flowID)
	if err != nil {
		return 0, notFound(err, "published flow %s", flowID)
	}
	return rev, nil
}

// FlowRevision returns the source of one revision (a session pinned to it,
// a preview of a draft); ENOTFOUND when there is none.
func (r reader) FlowRevision(ctx context.Context, flowID string, rev int) ([]byte, error) {
	var source []byte
	err := get(ctx, r.q, &source, `SELECT source FROM flow_revisions WHERE flow_id = ? AND revision = ?`, flowID, rev)
	if err != nil {
		return nil, notFound(err, "flow %s revision %d", flowID, rev)
	}
	return source, nil
}

// Flows lists every flow, by id.
func (r reader) Flows(ctx context.Context) ([]langnghe.FlowInfo, error) {
	var out []langnghe.FlowInfo
	err := selectAll(ctx, r.q, &out, `SELECT id, latest_revision, published_revision, updated_by, updated_at
		FROM flows ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list flows: %w", err)
	}
	return out, nil
}

// FlowRevisions lists a flow's revisions, newest first; ENOTFOUND when the
// flow does not exist.
func (db *DB) FlowRevisions(ctx context.Context, flowID string) ([]langnghe.FlowRevisionInfo, error) {
	var out []langnghe.FlowRevisionInfo
	err := selectAll(ctx, db.r, &out, `SELECT r.revision, r.author, r.created_at, LENGTH(r.source) AS size,
		r.revision = f.published_revision AS published
		FROM flow_revisions r JOIN flows f ON f.id = r.flow_id WHERE r.flow_id = ? ORDER BY r.revision DESC`, flowID)
	if err != nil {
		return nil, fmt.Errorf("list revisions of flow %q: %w", flowID, err)
	}
	if len(out) == 0 {
		return nil, langnghe.Errorf(langnghe.ENOTFOUND, "flow %s not found", flowID)
	}
	return out, nil
}

// FlowAudit lists who saved and published the flow, oldest first.
func (db *DB) FlowAudit(ctx context.Context, flowID string) ([]langnghe.FlowAuditEntry, error) {
	var out []langnghe.FlowAuditEntry
	err := selectAll(ctx, db.r, &out, `SELECT action, revision, actor, at FROM flow_audit WHERE flow_id = ? ORDER BY id`, flowID)
	if err != nil {
		return nil, fmt.Errorf("audit of flow %q: %w", flowID, err)
	}
	return out, nil
}
