package campaigns_test

import (
	"context"
	"strings"
	"testing"

	"langnghe"
	"langnghe/campaigns"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// agree records r's yes to the announcements notice for area.
func (f *fixture) agree(r *langnghe.Resident, area string, granted bool) {
	f.t.Helper()
	f.tx(func(ctx context.Context, tx *storage.Tx) error {
		return tx.RecordConsent(ctx, langnghe.Consent{ResidentID: r.ID, Purpose: langnghe.ConsentAnnouncements,
			NoticeVersion: "2026-12", Granted: granted, AreaCode: area})
	})
}

// The board announces a dialogue conference to the residents who agreed
// for one of its communes, a hamlet in one, or a former commune merged
// into one; in each one's language, with the link and the stop button,
// once. Others may not announce; a campaign without areas cannot be.
func TestAnnounce(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		c := f.created(dialogue())
		commune, hamlet, former, english := f.resident("vi"), f.resident("vi"), f.resident("vi"), f.resident("en")
		other, declined, silent := f.resident("vi"), f.resident("vi"), f.resident("vi")
		f.agree(commune, "minh_thanh", true)
		f.agree(hamlet, "ap_minh_hung", true)
		f.agree(former, "former_long_tan", true)
		f.agree(english, "long_hoa", true)
		f.agree(other, "dau_tieng", true)
		f.agree(declined, "minh_thanh", false)

		for who, off := range map[string]*langnghe.Official{"a unit official": f.unit, "nobody": nil} {
			if _, err := f.svc.Announce(ctx, off, c.ID, "langnghe_bot"); err == nil {
				t.Errorf("%s announced the campaign", who)
			}
		}
		a, err := f.svc.Announce(ctx, f.board, c.ID, "langnghe_bot")
		if err != nil || a.Queued != 4 || a.Before != 0 {
			t.Fatalf("announce: %+v, %v; want 4 queued", a, err)
		}
		if a, err := f.svc.Announce(ctx, campaigns.Operator, c.ID, "langnghe_bot"); err != nil || a.Queued != 0 || a.Before != 4 {
			t.Fatalf("announce again: %+v, %v; want 0 queued, 4 before", a, err)
		}
		for r, head := range map[*langnghe.Resident]string{commune: "THÔNG BÁO: Hội nghị đối thoại «", english: "ANNOUNCEMENT: Dialogue conference «"} {
			msgs, err := db.TakeChat(ctx, langnghe.ChannelTelegram, r.ChatID)
			if err != nil || len(msgs) != 1 {
				t.Fatalf("resident %d: %d messages (%v)", r.ID, len(msgs), err)
			}
			m := msgs[0].Message
			if !strings.HasPrefix(m.Text, head) || !strings.Contains(m.Text, "https://t.me/langnghe_bot?start="+c.Payload) ||
				m.Consent != langnghe.ConsentAnnouncements || len(m.Buttons) != 1 || m.Buttons[0][0].Data != "cmd:stop_announcements" {
				t.Errorf("resident %d's announcement: %+v", r.ID, m)
			}
		}
		for _, r := range []*langnghe.Resident{other, declined, silent} {
			if msgs, _ := db.TakeChat(ctx, langnghe.ChannelTelegram, r.ChatID); len(msgs) != 0 {
				t.Errorf("resident %d was sent %q", r.ID, msgs[0].Message.Text)
			}
		}

		point := &langnghe.Campaign{Kind: langnghe.CampaignFeedbackPoint, Title: "Bộ phận một cửa xã Minh Thạnh",
			Unit: "ubnd_minh_thanh", Opens: c.Opens}
		if err := f.svc.CreateCampaign(ctx, f.board, point); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Announce(ctx, f.board, point.ID, ""); langnghe.ErrorCode(err) != langnghe.EINVALID {
			t.Errorf("a campaign without areas announced: %v", err)
		}
	})
}
