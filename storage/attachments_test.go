package storage_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

func TestAttachments(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := newResident(t, db, "6001")
		photo := bytes.Repeat([]byte{0xff, 0xd8, 0x00, 0x01}, 1000)
		var ids []int64
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			for _, name := range []string{"a.jpg", "b.jpg"} {
				id, err := tx.SaveAttachment(ctx, &langnghe.StoredAttachment{ResidentID: &r.ID, Name: name, MIME: "image/jpeg", Data: photo})
				if err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return nil
		})
		got, err := db.Attachment(ctx, ids[0])
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(photo)
		if !bytes.Equal(got.Data, photo) || got.Size != 4000 || got.Name != "a.jpg" || got.MIME != "image/jpeg" ||
			got.SHA256 != hex.EncodeToString(sum[:]) || got.OpinionID != nil || *got.ResidentID != r.ID {
			t.Errorf("Attachment = %+v", got)
		}
		o := newOpinion(t, db, r, "environment")
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error { return tx.LinkAttachments(ctx, o.ID, ids) })
		got, err = db.Attachment(ctx, ids[1])
		if err != nil {
			t.Fatal(err)
		}
		if got.OpinionID == nil || *got.OpinionID != o.ID {
			t.Errorf("after linking: opinion %v, want %d", got.OpinionID, o.ID)
		}
		tests := []struct {
			name string
			fn   func(ctx context.Context, tx *storage.Tx) error
			want string
		}{
			{"link again", func(ctx context.Context, tx *storage.Tx) error { return tx.LinkAttachments(ctx, o.ID, ids[:1]) }, langnghe.EINVALID},
			{"link missing", func(ctx context.Context, tx *storage.Tx) error {
				return tx.LinkAttachments(ctx, o.ID, []int64{ids[1] + 10})
			}, langnghe.EINVALID},
			{"link none", func(ctx context.Context, tx *storage.Tx) error { return tx.LinkAttachments(ctx, o.ID, nil) }, ""},
			{"too large", func(ctx context.Context, tx *storage.Tx) error {
				_, err := tx.SaveAttachment(ctx, &langnghe.StoredAttachment{Name: "big.pdf", Data: make([]byte, storage.MaxAttachmentSize+1)})
				return err
			}, langnghe.ETOOLARGE},
			{"empty", func(ctx context.Context, tx *storage.Tx) error {
				_, err := tx.SaveAttachment(ctx, &langnghe.StoredAttachment{Name: "empty.pdf"})
				return err
			}, langnghe.EINVALID},
		}
		for _, tt := range tests {
			err := db.InTx(ctx, func(tx *storage.Tx) error { return tt.fn(ctx, tx) })
			if code(err) != tt.want {
				t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
			}
		}
		if _, err := db.Attachment(ctx, ids[1]+10); code(err) != langnghe.ENOTFOUND {
			t.Errorf("missing attachment: %v, want not found", err)
		}
	})
}
