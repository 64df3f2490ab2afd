package storage_test

import (
	"context"
	"testing"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// A page of opinions gets each one's latest public note in one query;
// internal notes and opinions without a public note give nothing.
func TestLatestPublicNotes(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		answered, internalOnly, silent := newOpinion(t, db, nil, "land"), newOpinion(t, db, nil, "land"), newOpinion(t, db, nil, "land")
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			for _, e := range []langnghe.OpinionEvent{
				{OpinionID: answered.ID, Actor: "official:1", Public: true, Note: "Đã chuyển phòng Tài nguyên"},
				{OpinionID: answered.ID, Actor: "official:1", Public: true, StatusTo: langnghe.StatusAnswered, Note: "Đã cấp sổ"},
				{OpinionID: answered.ID, Actor: "official:1", Note: "internal remark"},
				{OpinionID: answered.ID, Actor: "official:1", Public: true, Note: "   "},
				{OpinionID: internalOnly.ID, Actor: "official:1", Note: "internal only"},
			} {
				if err := tx.AddOpinionEvent(ctx, &e); err != nil {
					return err
				}
			}
			return nil
		})
		notes, err := db.LatestPublicNotes(context.Background(), []int64{answered.ID, internalOnly.ID, silent.ID})
		if err != nil {
			t.Fatalf("latest public notes: %v", err)
		}
		if len(notes) != 1 || notes[answered.ID] != "Đã cấp sổ" {
			t.Fatalf("notes = %v, want only the answer of %d", notes, answered.ID)
		}
	})
}
