package storage_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"langnghe"
	"langnghe/redact"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

func TestPlaceText(t *testing.T) {
	long := strings.Repeat("ấp Hòa Cường ", 40)
	tests := []struct{ in, want string }{
		{"", ""},
		{"ấp Hòa Cường", "ấp Hòa Cường"},
		{norm.NFD.String("  ấp  Hòa Cường,\n xã Minh Hòa cũ "), "ấp Hòa Cường, xã Minh Hòa cũ"},
		{"nhà ông Tư 0912 345 678 ấp 3", "nhà ông Tư " + redact.Mark + " ấp 3"},
		{"minh hoa", "minh hoa"},
		{"khu phố 4B, số 12", "khu phố 4B, số 12"}, // a house number is a place
		{long, strings.TrimSpace(string([]rune(long)[:langnghe.MaxPlaceText]))},
	}
	for _, tt := range tests {
		got := storage.PlaceText(tt.in)
		if got != tt.want {
			t.Errorf("PlaceText(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if n := utf8.RuneCountInString(got); n > langnghe.MaxPlaceText || !norm.NFC.IsNormalString(got) {
			t.Errorf("PlaceText(%q) = %d runes, NFC %v", tt.in, n, norm.NFC.IsNormalString(got))
		}
	}
}

// The place as the resident wrote it is stored next to the area code,
// cleaned and redacted on write, and read back by every load.
func TestOpinionPlaceTextStored(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := newResident(t, db, "4101")
		typed := norm.NFD.String(" ấp  Hòa Cường xã Minh Hòa cũ, gọi 0912.345.678 ")
		want := "ấp Hòa Cường xã Minh Hòa cũ, gọi " + redact.Mark
		o := &langnghe.Opinion{Code: "DT-2026-000501", ResidentID: &r.ID, Category: "infrastructure",
			AreaCode: "ap_hoa_cuong", PlaceText: typed, Text: "Đường có ổ gà", Channel: langnghe.ChannelTelegram}
		plain := &langnghe.Opinion{Code: "DT-2026-000502", Category: "land", AreaCode: "minh_thanh", Text: "Sổ đỏ",
			Channel: langnghe.ChannelTelegram}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			if err := tx.CreateOpinion(ctx, o); err != nil {
				return err
			}
			return tx.CreateOpinion(ctx, plain)
		})
		if o.PlaceText != want {
			t.Errorf("after CreateOpinion PlaceText = %q, want %q", o.PlaceText, want)
		}
		got, err := db.Opinion(ctx, o.Code)
		if err != nil {
			t.Fatal(err)
		}
		if got.PlaceText != want || got.AreaCode != "ap_hoa_cuong" {
			t.Errorf("Opinion: place %q area %q, want %q ap_hoa_cuong", got.PlaceText, got.AreaCode, want)
		}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			locked, err := tx.OpinionForUpdate(ctx, o.Code)
			if err != nil {
				return err
			}
			if locked.PlaceText != want {
				t.Errorf("OpinionForUpdate: place %q", locked.PlaceText)
			}
			mine, err := tx.OpinionsByResident(ctx, r.ID, 10)
			if err != nil {
				return err
			}
			if len(mine) != 1 || mine[0].PlaceText != want {
				t.Errorf("OpinionsByResident = %+v", mine)
			}
			return nil
		})
		list, err := db.ListOpinions(ctx, langnghe.OpinionFilter{})
		if err != nil {
			t.Fatal(err)
		}
		places := map[string]string{}
		for _, l := range list {
			places[l.Code] = l.PlaceText
		}
		if places[o.Code] != want || places[plain.Code] != "" {
			t.Errorf("ListOpinions places = %v", places)
		}
		// The JSON officials' tools print (langnghe opinions list --json).
		b, _ := json.Marshal(got)
		if !strings.Contains(string(b), `"place_text":"ấp Hòa Cường xã Minh Hòa cũ`) {
			t.Errorf("JSON lacks place_text: %s", b)
		}
		b, _ = json.Marshal(plain)
		if strings.Contains(string(b), "place_text") {
			t.Errorf("JSON of an opinion without a place names one: %s", b)
		}
	})
}
