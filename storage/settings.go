package storage

import (
	"context"
	"fmt"
	"log/slog"

	"langnghe"
)

// Settings documents: the catalogue, the holidays and the FAQ ship as files in the
// binary; once an admin edits one in the studio, each save is an immutable
// revision (1, 2, 3 ... per document) and the latest is current. A
// document without a stored revision is the embedded default. Going back
// to an earlier revision is saving its text again.

// SaveSetting stores c.Source as the document's next revision and makes it
// current, and records the change in the audit, in the transaction. When
// someone saved another revision since c.Base the save is refused with
// ECONFLICT, so no edit is lost silently.
func (tx *Tx) SaveSetting(ctx context.Context, c langnghe.SettingChange) (int, error) {
	if c.Name == "" || len(c.Source) == 0 || c.Base < 0 || c.Action == "" {
		return 0, langnghe.Errorf(langnghe.EINVALID, "a settings revision needs a name, a source, a base revision and an action")
	}
	at := now()
	_, err := exec(ctx, tx.tx, `INSERT INTO settings (name, updated_by, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO NOTHING`, c.Name, c.Author, at)
	if err != nil {
		return 0, fmt.Errorf("create setting %q: %w", c.Name, err)
	}
	// The compare-and-set: of two saves on one base, the second waits for
	// the first's row lock and then matches nothing.
	var revs []int
	err = selectAll(ctx, tx.tx, &revs, `UPDATE settings SET revision = revision + 1, updated_by = ?, updated_at = ?
		WHERE name = ? AND revision = ? RETURNING revision`, c.Author, at, c.Name, c.Base)
	if err != nil {
		return 0, fmt.Errorf("save setting %q: %w", c.Name, err)
	}
	if len(revs) == 0 {
		var current int
		if err := get(ctx, tx.tx, &current, `SELECT revision FROM settings WHERE name = ?`, c.Name); err != nil {
			return 0, notFound(err, "setting %q", c.Name)
		}
		return 0, langnghe.Errorf(langnghe.ECONFLICT, "the %s changed since revision %d: revision %d was saved meanwhile",
			c.Name, c.Base, current)
	}
	rev := revs[0]
	_, err = exec(ctx, tx.tx, `INSERT INTO setting_revisions (name, revision, source, author, created_at)
		VALUES (?, ?, ?, ?, ?)`, c.Name, rev, c.Source, c.Author, at)
	if err != nil {
		return 0, fmt.Errorf("save setting %q revision %d: %w", c.Name, rev, err)
	}
	err = tx.RecordAudit(ctx, langnghe.AuditEntry{Kind: c.Name, Subject: c.Name, Action: c.Action, Revision: rev,
		Actor: c.Author, Detail: c.Detail, At: at})
	return rev, err
}

// Setting returns the current revision of a document and its source;
// ENOTFOUND when none was stored and the embedded default applies.
func (db *DB) Setting(ctx context.Context, name string) (int, []byte, error) {
	var row struct {
		Revision int    `db:"revision"`
		Source   []byte `db:"source"`
	}
	err := get(ctx, db.r, &row, `SELECT r.revision, r.source FROM settings s
		JOIN setting_revisions r ON r.name = s.name AND r.revision = s.revision WHERE s.name = ?`, name)
	if err != nil {
		return 0, nil, notFound(err, "stored %s", name)
	}
	return row.Revision, row.Source, nil
}

// CurrentSetting is what the service runs on for the setting name: its
// current stored revision read with parse, or def (revision 0) where none
// is stored. A stored revision that no longer parses (it was checked when
// saved, so only a newer binary's stricter parser can cause this) stands
// for def too, logged as broken, so the service still starts and the
// studio still works to fix it.
func CurrentSetting[T any](ctx context.Context, db *DB, name string, parse func([]byte) (T, error), def T,
	log *slog.Logger, broken string) (T, int, error) {
	rev, src, err := db.Setting(ctx, name)
	switch {
	case langnghe.ErrorCode(err) == langnghe.ENOTFOUND:
		return def, 0, nil
	case err != nil:
		return def, 0, fmt.Errorf("load setting %s: %w", name, err)
	}
	v, err := parse(src)
	if err != nil {
		log.Error(broken, "revision", rev, "err", err)
		return def, 0, nil
	}
	return v, rev, nil
}

// SettingRevision returns the source of one revision; ENOTFOUND when there
// is none.
func (db *DB) SettingRevision(ctx context.Context, name string, rev int) ([]byte, error) {
	var source []byte
	err := get(ctx, db.r, &source, `SELECT source FROM setting_revisions WHERE name = ? AND revision = ?`, name, rev)
	if err != nil {
		return nil, notFound(err, "%s revision %d", name, rev)
	}
	return source, nil
}

// SettingRevisions lists a document's stored revisions, newest first; none
// when the embedded default was never changed.
func (db *DB) SettingRevisions(ctx context.Context, name string) ([]langnghe.SettingRevisionInfo, error) {
	out := []langnghe.SettingRevisionInfo{}
	err := selectAll(ctx, db.r, &out, `SELECT revision, author, created_at, LENGTH(source) AS size
		FROM setting_revisions WHERE name = ? ORDER BY revision DESC`, name)
	if err != nil {
		return nil, fmt.Errorf("list revisions of %s: %w", name, err)
	}
	return out, nil
}
