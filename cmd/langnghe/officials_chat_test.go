package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/bot/telegramtest"
	"langnghe/storage"
)

// Officials in Telegram, end to end through the fake Bot API, on both
// databases: an official's plain message (not a Telegram reply) is kept
// and they are asked which opinion it answers; the press sends it to the
// resident, with the office and the date, and the confirmation quotes what
// the resident read. The resident's "not satisfied" reopens the opinion at
// the press: the resident and the unit are told the new due date (the
// unit with the earlier answer too), before any reason is given; the
// reason typed after reaches the unit; "satisfied" pressed after records
// nothing.
func TestOfficialsChat(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dbURL string) {
		fake, official, db := landOffice(t, dbURL, 7501)
		ctx := context.Background()
		hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
		if err != nil {
			t.Fatal(err)
		}
		day := func(at time.Time) string { return at.In(hcm).Format("02/01/2006") }

		r := newResident(t, fake, 7601, "Lan", "vi")
		r.user.LastName = "Nguyễn Thị" // Telegram's first and last name, in Western order
		code := fileOpinionVI(r, "Gia đình tôi nộp hồ sơ cấp sổ đỏ từ tháng 3 mà đến nay vẫn chưa được cấp", photo)
		notice := official.expect(code)
		t.Logf("the notification:\n%s", notice.Text)
		if !strings.Contains(notice.Text, "Trả lời người dân") {
			t.Errorf("the notification does not say how to answer: %q", notice.Text)
		}
		for _, row := range notice.InlineKeyboard {
			for _, b := range row {
				if b.Text == "Trả lời" {
					t.Errorf("a button reads «Trả lời», like Telegram's own reply: %v", notice.InlineKeyboard)
				}
			}
		}

		// A plain message: asked which opinion it answers, then sent.
		const answer = "Chào chị, hồ sơ của gia đình đã được chuyển Văn phòng đăng ký đất đai; dự kiến trả sổ trước 30/06."
		official.say(answer)
		prompt := official.expect("chưa được gửi cho ai")
		if !strings.Contains(prompt.Text, answer) {
			t.Fatalf("the prompt does not quote the message: %q", prompt.Text)
		}
		if got := must(db.Opinion(ctx, code)); got.Status != langnghe.StatusReceived {
			t.Fatalf("the plain message changed the opinion before the official chose it: %s", got.Status)
		}
		official.press(code)
		told := r.expect("như sau")
		t.Logf("the resident:\n%s", told.Text)
		if !strings.Contains(told.Text, answer) || !strings.Contains(told.Text, "Phòng Nông nghiệp và Môi trường") ||
			!strings.Contains(told.Text, "Ngày "+day(time.Now())) || len(told.InlineKeyboard) == 0 {
			t.Fatalf("the resident was told %q (buttons %v)", told.Text, told.InlineKeyboard)
		}
		conf := official.expect("Người dân đã được báo")
		t.Logf("the confirmation:\n%s", conf.Text)
		if !strings.Contains(conf.Text, "✅") || !strings.Contains(conf.Text, "«"+told.Text+"»") {
			t.Errorf("the confirmation does not quote what the resident read: %q", conf.Text)
		}
		answered := must(db.Opinion(ctx, code))
		if answered.Status != langnghe.StatusAnswered {
			t.Fatalf("after the press: %s, want answered", answered.Status)
		}

		// "Not satisfied" reopens at the press, before any reason, with a
		// new due date: the answer came on its last day, which has passed.
		lastDay := time.Now().Add(-72 * time.Hour)
		if err := db.InTx(ctx, func(tx *storage.Tx) error {
			return tx.UpdateOpinion(ctx, answered.ID, langnghe.OpinionUpdate{DueAt: &lastDay})
		}); err != nil {
			t.Fatal(err)
		}
		answered.DueAt = lastDay
		satisfied := ""
		for _, row := range told.InlineKeyboard {
			for _, b := range row {
				if strings.Contains(b.Text, "😊") {
					satisfied = b.CallbackData
				}
			}
		}
		r.press("Chưa hài lòng")
		reopened := r.expect("mở lại")
		o := must(db.Opinion(ctx, code))
		if o.Status != langnghe.StatusReopened || o.Rating != langnghe.RatingNotSatisfied || !o.DueAt.After(answered.DueAt) {
			t.Fatalf("after the press of «Chưa hài lòng»: %s, rating %q, due %s (was %s)", o.Status, o.Rating, o.DueAt, answered.DueAt)
		}
		if !strings.Contains(reopened.Text, "chậm nhất ngày "+day(o.DueAt)) || !strings.Contains(reopened.Text, "❓") {
			t.Errorf("the resident was told %q, want the new date %s and the question", reopened.Text, day(o.DueAt))
		}
		notice = official.expect("được mở lại")
		t.Logf("the reopen notice:\n%s", notice.Text)
		if !strings.Contains(notice.Text, "Hạn trả lời mới: "+day(o.DueAt)) || !strings.Contains(notice.Text, answer) ||
			!strings.Contains(notice.Text, "câu trả lời ngày "+day(*answered.AnsweredAt)) || !strings.Contains(notice.Text, "(Hạn trước: "+day(lastDay)+".)") {
			t.Errorf("the reopen notice %q lacks the new date %s, the earlier answer or its date", notice.Text, day(o.DueAt))
		}

		// 😊 after 🙁 records nothing; the reason typed after reaches the unit.
		fake.PressButton(r.user, told.MessageID, satisfied)
		r.expect("đã được mở lại")
		if o := must(db.Opinion(ctx, code)); o.Rating != langnghe.RatingNotSatisfied || o.Status != langnghe.StatusReopened {
			t.Fatalf("😊 after 🙁: %s, rating %q", o.Status, o.Rating)
		}
		r.say("Chưa có ai xuống đo đạc cả")
		r.expect("Chúng tôi đã chuyển lý do")
		if got := official.expect("💬").Text; !strings.Contains(got, "Chưa có ai xuống đo đạc cả") {
			t.Errorf("the unit was told %q", got)
		}
	})
}

// landOffice starts the service on dbURL, polling the fake Bot API, with a
// unit official of land_environment bound to the chat account: where the
// officials' chat tests begin.
func landOffice(t *testing.T, dbURL string, account int64) (*telegramtest.Server, *resident, *storage.DB) {
	t.Helper()
	fake := telegramtest.NewServer()
	t.Cleanup(fake.Close)
	startService(t, fake, dbURL, map[string]string{"LANGNGHE_TELEGRAM_MODE": "polling"})
	cfg := testConfig(t, map[string]string{"LANGNGHE_DATABASE_URL": dbURL})
	official := inviteUnitOfficial(t, fake, cfg, account, "land_environment", "Chị Địa chính")
	return fake, official, openDB(t, dbURL)
}
