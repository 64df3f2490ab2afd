package digest_test

import (
	"context"
	"strings"
	"testing"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// A digest never carries a resident's identity, a denouncer's least of
// all, whoever reads it: the unit's official, the board, or an official
// permitted to see denouncers. It names the denunciation by its code.
func TestDigestNeverNamesADenouncer(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := seed(t, db)
		ctx := context.Background()
		permitted := &langnghe.Official{Name: "Thanh tra", Role: langnghe.RoleUnit, Units: []string{"ubnd_minh_thanh"},
			Channel: langnghe.ChannelTelegram, ExternalID: "504", ChatID: "504", Digest: langnghe.DigestDaily,
			DigestTime: "07:30", Language: langnghe.LangVI, SeesDenouncers: true}
		secrets := []string{"Nguyễn Văn Tố", "0987654321", "987 654 321", "thu tiền trái phép"}
		var code string
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			if err := tx.CreateOfficial(ctx, permitted); err != nil {
				return err
			}
			var err error
			if code, err = tx.NextOpinionCode(ctx, "DT", 2026); err != nil {
				return err
			}
			unit := "ubnd_minh_thanh"
			o := &langnghe.Opinion{Code: code, Category: "land", AreaCode: "minh_thanh", LegalTrack: langnghe.TrackDenunciation,
				Text:        "Trưởng ấp thu tiền trái phép. Tôi là Nguyễn Văn Tố, 0987 654 321.",
				ContactName: "Nguyễn Văn Tố", ContactPhone: "0987654321", Language: langnghe.LangVI,
				Channel: langnghe.ChannelTelegram, Status: langnghe.StatusReceived,
				CreatedAt: local(2026, 9, 1, 8, 0), DueAt: local(2026, 9, 10, 23, 59)} // the oldest open one: listed
			if err := tx.CreateOpinion(ctx, o); err != nil {
				return err
			}
			return tx.UpdateOpinion(ctx, o.ID, langnghe.OpinionUpdate{Unit: &unit})
		})
		if err != nil {
			t.Fatal(err)
		}
		r := newRunner(db, newClock(local(2026, 11, 27, 7, 30)))
		for _, o := range []*langnghe.Official{f.unitOfficial, f.board, permitted} {
			text, err := r.Preview(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(text, code) {
				t.Errorf("%s's digest does not list the denunciation %s:\n%s", o.Name, code, text)
			}
			for _, s := range append(secrets, personal...) {
				if strings.Contains(text, s) {
					t.Errorf("%s's digest shows %q:\n%s", o.Name, s, text)
				}
			}
		}
	})
}
