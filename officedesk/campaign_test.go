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

// An official who opens a campaign's deep link is told plainly that their
// account answers as an official, and where the campaign is for them; a
// link no campaign has is said to be wrong. Nothing is recorded.
func TestOfficialOpensCampaignLink(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		w.official("7", "medical_centre")
		ctx := context.Background()
		c := &langnghe.Campaign{Kind: langnghe.CampaignFeedbackPoint, Title: "Trạm Y tế xã Minh Thạnh", Unit: "medical_centre",
			Opens: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Payload: "c_abcdefghijklmnop"}
		if err := db.InTx(ctx, func(tx *storage.Tx) error { return tx.CreateCampaign(ctx, c) }); err != nil {
			t.Fatal(err)
		}
		out := w.command("7", "start", c.Payload)
		if len(out) != 1 || !strings.HasPrefix(out[0], "Đây là đường liên kết của điểm lấy ý kiến «Trạm Y tế xã Minh Thạnh» dành cho người dân.") ||
			!strings.Contains(out[0], "/dangnhap") {
			t.Errorf("an official opens the feedback point's link: %q", out)
		}
		if out := w.command("7", "start", "c_zzzzzzzzzzzzzzzz"); len(out) != 1 || !strings.Contains(out[0], "không đúng hoặc không còn hiệu lực") {
			t.Errorf("an official opens an unknown campaign link: %q", out)
		}
		if out := w.command("7", "start", ""); len(out) != 1 || strings.Contains(out[0], "đường liên kết") {
			t.Errorf("an official's plain /start: %q", out)
		}
	})
}
