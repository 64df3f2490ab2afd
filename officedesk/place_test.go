package officedesk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// Officials read the area as the catalogue describes it and the place as
// the resident wrote it beside it, in the notification and in /xem.
func TestOfficialsSeeThePlaceAsWritten(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		w.official("land", "land_environment")
		ctx := context.Background()
		r := &langnghe.Resident{Channel: langnghe.ChannelTelegram, ExternalID: "p1", ChatID: "p1", Language: langnghe.LangVI}
		o := &langnghe.Opinion{Anonymous: true, Category: "land", LegalTrack: langnghe.TrackFeedback, AreaCode: "ap_hoa_cuong",
			PlaceText: "hoa cuong minh hoa", Text: "Đường vào ấp bị sạt lở", Language: langnghe.LangVI,
			Channel: langnghe.ChannelTelegram, Status: langnghe.StatusReceived, DueAt: time.Now().Add(72 * time.Hour)}
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			if err := tx.SaveResident(ctx, r); err != nil {
				return err
			}
			code, err := tx.NextOpinionCode(ctx, "DT", 2026)
			if err != nil {
				return err
			}
			o.Code, o.ResidentID = code, &r.ID
			if err := tx.CreateOpinion(ctx, o); err != nil {
				return err
			}
			return w.desk.OpinionCreated(ctx, tx, o)
		})
		if err != nil {
			t.Fatal(err)
		}
		const want = "Địa bàn: ấp Hòa Cường, xã Minh Hòa cũ (nay thuộc xã Minh Thạnh) (người dân ghi: “hoa cuong minh hoa”)"
		if got := w.take("land"); len(got) != 1 || !strings.Contains(got[0], want) {
			t.Errorf("the notification (the hamlet routed through its commune) = %q, want %q", got, want)
		}
		if got := w.command("land", "xem", o.Code); !contains(got, want) {
			t.Errorf("/xem = %q, want %q", got, want)
		}
	})
}
