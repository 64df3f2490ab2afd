package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"langnghe"
)

// Officials' drafts (00013): the desk's memory between two inputs of an
// official in Telegram. A draft with text and no opinion is a plain
// message waiting for the official to choose the opinion it answers; a
// draft with an opinion and no text is a press of «Trả lời người dân»
// waiting for the answer. Each belongs to one official: every read names
// the official, so a forged button cannot reach another's draft.

// draftsKept is how long a draft is kept when nobody uses or discards it.
const draftsKept = 48 * time.Hour

// SaveDraft stores d and sets d.ID; the official's drafts older than two
// days go at the same time. A draft waiting for text replaces the
// official's earlier one: only the last «Trả lời người dân» pressed waits.
func (tx *Tx) SaveDraft(ctx context.Context, d *langnghe.OfficialDraft) error {
	if d.OfficialID == 0 || (d.Text == "") == (d.OpinionCode == "") {
		return langnghe.Errorf(langnghe.EINVALID, "a draft is an official's text or the opinion they answer, one of the two")
	}
	if d.CreatedAt.IsZero() {
		d.CreatedAt = now()
	}
	d.CreatedAt = dbTime(d.CreatedAt)
	d.Text = strings.ToValidUTF8(d.Text, "")
	drop := `DELETE FROM official_drafts WHERE official_id = ? AND created_at < ?`
	if d.Text == "" {
		drop = `DELETE FROM official_drafts WHERE official_id = ? AND (created_at < ? OR text = '')`
	}
	if _, err := exec(ctx, tx.tx, drop, d.OfficialID, d.CreatedAt.Add(-draftsKept)); err != nil {
		return fmt.Errorf("drop old drafts of official %d: %w", d.OfficialID, err)
	}
	err := get(ctx, tx.tx, &d.ID, `INSERT INTO official_drafts (official_id, opinion_code, text, created_at)
		VALUES (?, ?, ?, ?) RETURNING id`, d.OfficialID, d.OpinionCode, d.Text, d.CreatedAt)
	if err != nil {
		return fmt.Errorf("save a draft of official %d: %w", d.OfficialID, err)
	}
	return nil
}

// Draft loads the official's draft id; ENOTFOUND when it is not theirs,
// was used or discarded.
func (tx *Tx) Draft(ctx context.Context, officialID, id int64) (*langnghe.OfficialDraft, error) {
	var d langnghe.OfficialDraft
	err := get(ctx, tx.tx, &d, `SELECT id, official_id, opinion_code, text, created_at FROM official_drafts
		WHERE id = ? AND official_id = ?`, id, officialID)
	if err != nil {
		return nil, notFound(err, "draft %d", id)
	}
	return &d, nil
}

// AwaitingDraft is the official's latest «Trả lời người dân» press made
// at or after since and still waiting for text; ENOTFOUND when there is
// none.
func (tx *Tx) AwaitingDraft(ctx context.Context, officialID int64, since time.Time) (*langnghe.OfficialDraft, error) {
	var d langnghe.OfficialDraft
	err := get(ctx, tx.tx, &d, `SELECT id, official_id, opinion_code, text, created_at FROM official_drafts
		WHERE official_id = ? AND text = '' AND created_at >= ? ORDER BY id DESC LIMIT 1`, officialID, dbTime(since))
	if err != nil {
		return nil, notFound(err, "awaited answer of official %d", officialID)
	}
	return &d, nil
}

// DeleteDraft removes the official's draft id; removing one that is gone
// already is not an error.
func (tx *Tx) DeleteDraft(ctx context.Context, officialID, id int64) error {
	if _, err := exec(ctx, tx.tx, `DELETE FROM official_drafts WHERE id = ? AND official_id = ?`, id, officialID); err != nil {
		return fmt.Errorf("delete draft %d: %w", id, err)
	}
	return nil
}

// DeleteAwaitingDrafts removes the official's presses of «Trả lời người
// dân» that wait for text: they changed their mind.
func (tx *Tx) DeleteAwaitingDrafts(ctx context.Context, officialID int64) (int64, error) {
	res, err := exec(ctx, tx.tx, `DELETE FROM official_drafts WHERE official_id = ? AND text = ''`, officialID)
	if err != nil {
		return 0, fmt.Errorf("cancel the awaited answers of official %d: %w", officialID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("cancel the awaited answers of official %d: %w", officialID, err)
	}
	return n, nil
}

// PendingReason is the code of the resident's opinion that they reopened
// by pressing "not satisfied" at or after since, that is still open, and
// whose reason they have not given yet, and when they pressed it: their
// next words may be that reason. "" when there is none.
func (tx *Tx) PendingReason(ctx context.Context, residentID int64, since time.Time) (string, time.Time, error) {
	var open []string
	for _, s := range langnghe.Statuses {
		if s.Open() {
			open = append(open, "'"+string(s)+"'")
		}
	}
	var rows []struct {
		Code string    `db:"code"`
		At   time.Time `db:"at"`
	}
	err := selectAll(ctx, tx.tx, &rows, `SELECT o.code, e.at FROM opinions o
		JOIN opinion_events e ON e.opinion_id = o.id
		WHERE o.resident_id = ? AND o.rating = ? AND o.status IN (`+strings.Join(open, ", ")+`)
		AND e.actor = 'resident' AND e.status_to = ? AND e.at >= ?
		AND NOT EXISTS (SELECT 1 FROM opinion_events r WHERE r.opinion_id = o.id AND r.id >= e.id
			AND r.actor = 'resident' AND r.note <> '')
		ORDER BY e.id DESC LIMIT 1`, residentID, langnghe.RatingNotSatisfied, string(langnghe.StatusReopened), dbTime(since))
	if err != nil {
		return "", time.Time{}, fmt.Errorf("reason awaited from resident %d: %w", residentID, err)
	}
	if len(rows) == 0 {
		return "", time.Time{}, nil
	}
	return rows[0].Code, rows[0].At, nil
}
