package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/jmoiron/sqlx"

	"langnghe"
)

// MaxAttachmentSize is the largest file kept in the database: what the
// Telegram Bot API lets a bot download (20 MB).
const MaxAttachmentSize = 20 << 20

// SaveAttachment stores a.Data and returns its id; Size, SHA256 and
// CreatedAt are computed here. Files over MaxAttachmentSize are ETOOLARGE.
func (tx *Tx) SaveAttachment(ctx context.Context, a *langnghe.StoredAttachment) (id int64, err error) {
	if len(a.Data) == 0 {
		return 0, langnghe.Errorf(langnghe.EINVALID, "attachment %q is empty", a.Name)
	}
	if len(a.Data) > MaxAttachmentSize {
		return 0, langnghe.Errorf(langnghe.ETOOLARGE, "attachment %q is larger than %d MB", a.Name, MaxAttachmentSize>>20)
	}
	sum := sha256.Sum256(a.Data)
	a.Size, a.SHA256, a.CreatedAt = int64(len(a.Data)), hex.EncodeToString(sum[:]), now()
	err = get(ctx, tx.tx, &id, `INSERT INTO attachments (opinion_id, resident_id, name, mime, size, sha256, data, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.OpinionID, a.ResidentID, a.Name, a.MIME, a.Size, a.SHA256, a.Data, a.CreatedAt)
	if err != nil {
		return 0, fmt.Errorf("save attachment %q: %w", a.Name, err)
	}
	a.ID = id
	return id, nil
}

// LinkAttachments gives the attachments ids to the opinion. Each must exist
// and not belong to another opinion, else EINVALID and nothing is linked
// (the caller's transaction rolls back).
func (tx *Tx) LinkAttachments(ctx context.Context, opinionID int64, ids []int64) error {
	if len(ids) == 0 {
		return nil // sqlx.In rejects empty lists
	}
	query, args, err := sqlx.In(`UPDATE attachments SET opinion_id = ? WHERE opinion_id IS NULL AND id IN (?)`, opinionID, ids)
	if err != nil {
		return fmt.Errorf("link attachments to opinion %d: %w", opinionID, err)
	}
	res, err := exec(ctx, tx.tx, query, args...)
	if err != nil {
		return fmt.Errorf("link attachments to opinion %d: %w", opinionID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("link attachments to opinion %d: %w", opinionID, err)
	}
	if n != int64(len(ids)) {
		return langnghe.Errorf(langnghe.EINVALID, "attachments %v: %d of them are missing or belong to another opinion",
			ids, int64(len(ids))-n)
	}
	return nil
}

// Attachment loads an attachment with its bytes; ENOTFOUND when there is none.
func (db *DB) Attachment(ctx context.Context, id int64) (*langnghe.StoredAttachment, error) {
	var a langnghe.StoredAttachment
	err := get(ctx, db.r, &a, `SELECT id, opinion_id, resident_id, name, mime, size, sha256, data, created_at
		FROM attachments WHERE id = ?`, id)
	if err != nil {
		return nil, notFound(err, "attachment %d", id)
	}
	return &a, nil
}

// SniffLen is how many bytes of each file OpinionAttachments returns:
// what content sniffing (http.DetectContentType) reads.
const SniffLen = 512

// OpinionAttachments lists an opinion's attachments, oldest first, each
// with only the first SniffLen bytes of its data, enough to tell what the
// file really is.
func (tx *Tx) OpinionAttachments(ctx context.Context, opinionID int64) ([]langnghe.StoredAttachment, error) {
	var out []langnghe.StoredAttachment
	err := selectAll(ctx, tx.tx, &out, `SELECT id, opinion_id, resident_id, name, mime, size, sha256,
		substr(data, 1, ?) AS data, created_at FROM attachments WHERE opinion_id = ? ORDER BY id`, SniffLen, opinionID)
	if err != nil {
		return nil, fmt.Errorf("list attachments of opinion %d: %w", opinionID, err)
	}
	return out, nil
}

// OpinionAttachment loads attachment id with its bytes when it belongs to
// the opinion; ENOTFOUND otherwise, so an attachment is only ever reached
// through an opinion its reader may see.
func (tx *Tx) OpinionAttachment(ctx context.Context, opinionID, id int64) (*langnghe.StoredAttachment, error) {
	var a langnghe.StoredAttachment
	err := get(ctx, tx.tx, &a, `SELECT id, opinion_id, resident_id, name, mime, size, sha256, data, created_at
		FROM attachments WHERE id = ? AND opinion_id = ?`, id, opinionID)
	if err != nil {
		return nil, notFound(err, "attachment %d of opinion %d", id, opinionID)
	}
	return &a, nil
}
