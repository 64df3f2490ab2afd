package campaigns_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// A question that is really a concern for a unit becomes an opinion: the
// board only; the next code, the category's due date, the question linked
// to it, the resident told its code; the resident's name and phone only
// with their contact consent (the latest answer counts), anonymous
// otherwise; a question once only; none of another campaign.
func TestQuestionToOpinion(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		c := f.created(dialogue())
		consenting, withdrawn := f.resident(langnghe.LangVI), f.resident(langnghe.LangEN)
		f.tx(func(ctx context.Context, tx *storage.Tx) error {
			for _, r := range []*langnghe.Resident{consenting, withdrawn} {
				r.Name, r.Phone = "Nguyễn Văn An", "0901234567"
				if err := tx.SaveResident(ctx, r); err != nil {
					return err
				}
				if err := tx.RecordConsent(ctx, langnghe.Consent{ResidentID: r.ID, Purpose: "contact", NoticeVersion: "1", Granted: true,
					At: f.now.Add(-2 * time.Hour)}); err != nil {
					return err
				}
			}
			return tx.RecordConsent(ctx, langnghe.Consent{ResidentID: withdrawn.ID, Purpose: "contact", NoticeVersion: "1", At: f.now.Add(-time.Hour)})
		})
		drain := f.ask(c, consenting, "Mương thoát nước trước nhà tôi ở ấp Hòa Lộc bị nghẹt, mưa là ngập.", "minh_thanh")
		light := f.ask(c, withdrawn, "The street light in hamlet 5 has been broken for a month.", "long_hoa")

		if _, err := f.svc.QuestionToOpinion(ctx, f.unit, c.ID, drain.ID, "environment", ""); langnghe.ErrorCode(err) != langnghe.EFORBIDDEN {
			t.Errorf("a unit official turns a question: %v", err)
		}
		if _, err := f.svc.QuestionToOpinion(ctx, f.board, c.ID, drain.ID, "nonsense", ""); langnghe.ErrorCode(err) != langnghe.EINVALID {
			t.Errorf("an unknown category: %v", err)
		}
		other := dialogue()
		if err := f.svc.CreateCampaign(ctx, f.board, other); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.QuestionToOpinion(ctx, f.board, other.ID, drain.ID, "environment", ""); langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
			t.Errorf("a question through another campaign: %v", err)
		}

		o, err := f.svc.QuestionToOpinion(ctx, f.board, c.ID, drain.ID, "environment", "")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(o.Code, "DT-2026-") || o.Anonymous || o.ContactPhone != "0901234567" || o.ContactName != "Nguyễn Văn An" ||
			o.AreaCode != "minh_thanh" || o.Category != "environment" || o.DueAt.IsZero() || o.ResidentID == nil || *o.ResidentID != consenting.ID ||
			!strings.Contains(o.Text, "Mương thoát nước") {
			t.Errorf("the consenting resident's opinion: %+v", o)
		}
		if _, err := f.svc.QuestionToOpinion(ctx, f.board, c.ID, drain.ID, "environment", ""); langnghe.ErrorCode(err) != langnghe.ECONFLICT {
			t.Errorf("a question turned twice: %v", err)
		}
		lo, err := f.svc.QuestionToOpinion(ctx, f.board, c.ID, light.ID, "infrastructure", "minh_thanh")
		if err != nil {
			t.Fatal(err)
		}
		if !lo.Anonymous || lo.ContactPhone != "" || lo.ContactName != "" || lo.AreaCode != "minh_thanh" || lo.Code == o.Code {
			t.Errorf("the withdrawn resident's opinion: %+v", lo)
		}
		stored, err := db.Opinion(ctx, lo.Code)
		if err != nil || !stored.Anonymous || stored.ContactPhone != "" {
			t.Errorf("stored: %+v, %v", stored, err)
		}
		qs, err := f.svc.CampaignQuestions(ctx, f.board, c.ID)
		if err != nil || len(qs) != 2 || qs[0].OpinionCode != o.Code || qs[1].OpinionCode != lo.Code {
			t.Errorf("the questions keep their opinions: %+v, %v", qs, err)
		}
		for r, want := range map[*langnghe.Resident]string{
			consenting: "Câu hỏi ông/bà gửi hội nghị đối thoại «Hội nghị đối thoại xã Minh Thạnh năm 2026» (“Mương thoát nước",
			withdrawn:  "Your question for the dialogue conference «",
		} {
			msgs, err := db.TakeChat(ctx, langnghe.ChannelTelegram, r.ChatID)
			if err != nil || len(msgs) != 1 || !strings.HasPrefix(msgs[0].Message.Text, want) {
				t.Fatalf("resident %s was told %+v (%v), want %q…", r.ChatID, msgs, err, want)
			}
			code := map[*langnghe.Resident]string{consenting: o.Code, withdrawn: lo.Code}[r]
			if !strings.Contains(msgs[0].Message.Text, code) {
				t.Errorf("resident %s was not told the code %s: %q", r.ChatID, code, msgs[0].Message.Text)
			}
		}
	})
}
