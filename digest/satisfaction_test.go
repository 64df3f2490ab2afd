package digest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// The feedback points' index of the month so far is in the digest: the
// board's covers every unit, with the trend; a unit official's only their
// unit's, whose two ratings are too few for an index and say so. A
// visitor's comment never shows.
func TestDigestSatisfactionIndex(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := seed(t, db)
		ctx := context.Background()
		type rating struct {
			at      time.Time
			a, w, r int
		}
		var medical, commune []rating
		for d := 1; d <= 5; d++ {
			medical = append(medical, rating{local(2026, 10, d, 9, 0), 4, 4, 4}) // October: 75
		}
		for d := 2; d <= 6; d++ {
			medical = append(medical, rating{local(2026, 11, d, 9, 0), 5, 5, 5})
		}
		medical = append(medical, rating{local(2026, 11, 27, 9, 0), 3, 3, 3}) // November: (5×100 + 50) / 6 = 91.7
		commune = []rating{{local(2026, 11, 3, 9, 0), 5, 4, 5}, {local(2026, 11, 4, 9, 0), 2, 2, 2}}
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			for i, p := range []struct {
				unit    string
				ratings []rating
			}{{"trung_tam_y_te", medical}, {"ubnd_minh_thanh", commune}} {
				c := &langnghe.Campaign{Kind: langnghe.CampaignFeedbackPoint, Title: "Điểm lấy ý kiến", Unit: p.unit,
					Opens: local(2026, 1, 1, 0, 0), Payload: fmt.Sprintf("c_bbbbbbbbbbbbbbb%d", i+2)}
				if err := tx.CreateCampaign(ctx, c); err != nil {
					return err
				}
				for _, r := range p.ratings {
					if err := tx.AddCampaignResponse(ctx, &langnghe.CampaignResponse{CampaignID: c.ID, CreatedAt: r.at,
						Answers: map[string]string{"attitude": fmt.Sprint(r.a), "time": fmt.Sprint(r.w), "result": fmt.Sprint(r.r),
							"comment": "Tôi là " + personal[2]}}); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		r := newRunner(db, newClock(local(2026, 11, 30, 8, 0)))
		board, err := r.Preview(ctx, f.board)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			"Satisfaction index at feedback points, 11/2026 (0–100):",
			"• Medical Centre: 91.7 (6 ratings), up 16.7 from the previous month",
			"• Minh Thạnh Commune People's Committee: 2 ratings, fewer than the 5 an index needs",
		} {
			if !strings.Contains(board, want) {
				t.Errorf("the board's digest lacks %q:\n%s", want, board)
			}
		}
		unit, err := r.Preview(ctx, f.unitOfficial)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(unit, "Chỉ số hài lòng tại điểm lấy ý kiến, tháng 11/2026 (thang 0–100):\n• UBND xã Minh Thạnh: 2 lượt đánh giá, chưa đủ 5 lượt để tính chỉ số") ||
			strings.Contains(unit, "Trung tâm Y tế") {
			t.Errorf("the unit official's digest:\n%s", unit)
		}
		if none, err := r.Preview(ctx, f.noUnits); err != nil || strings.Contains(none, "Chỉ số hài lòng") {
			t.Errorf("the digest of an official without units: %q, %v", none, err)
		}
		assertNoPersonalData(t, board)
		assertNoPersonalData(t, unit)
	})
}
