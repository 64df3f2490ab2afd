package storage_test

import (
	"context"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
)

// inTx runs fn in a transaction and fails the test on error.
func inTx(t *testing.T, db *storage.DB, fn func(ctx context.Context, tx *storage.Tx) error) {
	t.Helper()
	ctx := context.Background()
	if err := db.InTx(ctx, func(tx *storage.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

// newResident stores a resident of Telegram chat id and returns it.
func newResident(t *testing.T, db *storage.DB, id string) *langnghe.Resident {
	t.Helper()
	r := &langnghe.Resident{Channel: langnghe.ChannelTelegram, ExternalID: id, ChatID: id, Name: "Nguyễn Văn " + id,
		Phone: "0909" + id, Language: langnghe.LangVI}
	inTx(t, db, func(ctx context.Context, tx *storage.Tx) error { return tx.SaveResident(ctx, r) })
	return r
}

// newOpinion stores an opinion with a fresh code for resident r (nil: none).
func newOpinion(t *testing.T, db *storage.DB, r *langnghe.Resident, category string) *langnghe.Opinion {
	t.Helper()
	o := &langnghe.Opinion{Category: category, Text: "Đường ấp 3 bị ngập", Language: langnghe.LangVI,
		Channel: langnghe.ChannelTelegram, AreaCode: "minh_thanh", Confidence: 0.8, FlowID: "report", FlowRevision: 1}
	if r != nil {
		o.ResidentID = &r.ID
		o.ContactName, o.ContactPhone = r.Name, r.Phone
		o.Location = &langnghe.Location{Latitude: 11.27, Longitude: 106.37}
		o.Attachments = []langnghe.Attachment{{Kind: "photo", FileID: "f1"}}
	}
	inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
		code, err := tx.NextOpinionCode(ctx, "DT", 2026)
		if err != nil {
			return err
		}
		o.Code = code
		return tx.CreateOpinion(ctx, o)
	})
	return o
}

// code returns the application error code of err ("" for nil).
func code(err error) string { return langnghe.ErrorCode(err) }

// at is a fixed moment with sub-second digits, to catch time round-trip losses.
var at = time.Date(2026, 3, 14, 9, 26, 53, 589793000, time.UTC)
