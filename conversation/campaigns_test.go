package conversation_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/campaigns"
	"langnghe/conversation"
	"langnghe/flows"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// withCampaigns is the conversation service with the campaign service, as
// cmd/langnghe wires them, and a dialogue conference open in March 2026
// and a feedback point that opens in April.
func withCampaigns(t *testing.T, db *storage.DB) (*conversation.Service, *campaigns.Service, *langnghe.Campaign, *langnghe.Campaign) {
	t.Helper()
	ctx := context.Background()
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	cat, cl, lib := parts(t, db)
	cal := calendar.New(loc)
	camps := campaigns.New(db, lib, cat, cl, cal, campaigns.Options{TimeZone: loc})
	conf := &langnghe.Campaign{Kind: langnghe.CampaignDialogue, Title: "Hội nghị đối thoại xã Minh Thạnh năm 2026",
		Areas: []string{"minh_thanh", "long_hoa"}, Opens: time.Date(2026, 3, 1, 0, 0, 0, 0, loc), Closes: time.Date(2026, 3, 20, 0, 0, 0, 0, loc),
		Conference: &langnghe.Conference{At: time.Date(2026, 3, 25, 8, 0, 0, 0, loc), Place: "Hội trường UBND xã Minh Thạnh"}}
	point := &langnghe.Campaign{Kind: langnghe.CampaignFeedbackPoint, Title: "Trạm Y tế xã Minh Thạnh", Unit: "medical_centre",
		Opens: time.Date(2026, 4, 1, 0, 0, 0, 0, loc)}
	if err := db.InTx(ctx, func(tx *storage.Tx) error {
		return tx.SaveUnit(ctx, langnghe.Unit{Code: "medical_centre", Names: map[string]string{langnghe.LangVI: "Trung tâm Y tế"}})
	}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*langnghe.Campaign{conf, point} {
		if err := camps.CreateCampaign(ctx, campaigns.Operator, c); err != nil {
			t.Fatal(err)
		}
	}
	svc := conversation.New(db, lib, cat, cl, cal, conversation.Options{OpinionPrefix: "DT", TimeZone: loc, Campaigns: camps},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	return svc, camps, conf, point
}

func (c *chat) deepLink(payload string) []langnghe.Message {
	return c.send(langnghe.Input{Kind: langnghe.InputCommand, Command: flows.CommandStart, Text: payload})
}

// A first-time resident who opens the conference's deep link chooses the
// language and answers the consent, then is in the conference's
// conversation; their question is stored with their area and category.
// A returning resident goes straight in.
func TestDeepLink(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		svc, camps, conf, _ := withCampaigns(t, db)
		c := &chat{t: t, svc: svc, db: db, user: "601", now: time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)}
		if got := joined(c.deepLink(conf.Payload)); !strings.Contains(got, "chọn ngôn ngữ") || strings.Contains(got, "Hội nghị") {
			t.Fatalf("the deep link, first time: %q", got)
		}
		c.press("Tiếng Việt")
		got := joined(c.press("Tôi đồng ý"))
		if !strings.Contains(got, "Kính chào ông/bà. Hội nghị đối thoại xã Minh Thạnh năm 2026 được tổ chức") ||
			!strings.Contains(got, "gõ câu hỏi hoặc kiến nghị") || strings.Contains(got, "Ông/bà cần gì") {
			t.Fatalf("after the consent: %q", got)
		}
		c.text("Khi nào xã nạo vét lòng sông Thị Tính? Sông bồi lắng cạn quá.")
		c.text("minh thanh")
		if got := joined(c.press("Gửi")); !strings.Contains(got, "Chúng tôi đã ghi nhận câu hỏi") {
			t.Fatalf("sent: %q", got)
		}
		c.press("Không, cảm ơn")

		// A returning resident, in the middle of the menu, goes straight in.
		r := &chat{t: t, svc: svc, db: db, user: "602", now: c.now}
		r.send(langnghe.Input{Kind: langnghe.InputCommand, Command: flows.CommandStart})
		r.press("English")
		r.press("I do not agree")
		if got := joined(r.deepLink(conf.Payload)); !strings.HasPrefix(got, "Hello. Hội nghị đối thoại xã Minh Thạnh năm 2026 takes place on") {
			t.Fatalf("a returning resident's deep link: %q", got)
		}
		r.text("duong vao ap 3 bi ngap nuoc khi nao lam lai")
		r.press("Skip")
		r.press("Send")

		qs, err := camps.CampaignQuestions(ctx, campaigns.Operator, conf.ID)
		if err != nil || len(qs) != 2 {
			t.Fatalf("questions: %+v, %v", qs, err)
		}
		if qs[0].AreaCode != "minh_thanh" || qs[0].Language != langnghe.LangVI || qs[0].Category != "environment" ||
			qs[1].AreaCode != "" || qs[1].Language != langnghe.LangEN || qs[1].Answers["question"] != "duong vao ap 3 bi ngap nuoc khi nao lam lai" {
			t.Errorf("stored questions: %+v", qs)
		}
		res, err := camps.Results(ctx, conf.ID)
		if err != nil || res.Participants != 2 || len(res.Groups) != 2 {
			t.Errorf("results: %+v, %v", res, err)
		}
	})
}

// A campaign that is closed, or not open yet, says so politely and the
// start goes on as usual; a payload no campaign has says the link is not
// right; a resident who answers after the close is told it was not
// recorded.
func TestDeepLinkClosed(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		svc, camps, conf, point := withCampaigns(t, db)
		c := &chat{t: t, svc: svc, db: db, user: "611", now: time.Date(2026, 3, 21, 9, 0, 0, 0, time.UTC)}
		got := joined(c.deepLink(conf.Payload))
		if !strings.HasPrefix(got, "Đợt lấy ý kiến «Hội nghị đối thoại xã Minh Thạnh năm 2026» đã kết thúc ngày 20/03/2026. Xin cảm ơn ông/bà đã quan tâm.") ||
			!strings.Contains(got, "chọn ngôn ngữ") {
			t.Fatalf("a closed conference, first time: %q", got)
		}
		c.press("Tiếng Việt")
		c.press("Không đồng ý")
		got = joined(c.deepLink(point.Payload))
		if !strings.HasPrefix(got, "Đợt lấy ý kiến «Trạm Y tế xã Minh Thạnh» bắt đầu nhận ý kiến từ ngày 01/04/2026.") || !strings.Contains(got, "Ông/bà cần gì") {
			t.Fatalf("a feedback point not open yet: %q", got)
		}
		if got := joined(c.deepLink("c_aaaaaaaaaaaaaaaa")); !strings.HasPrefix(got, "Xin lỗi ông/bà, đường liên kết này không đúng") || !strings.Contains(got, "Ông/bà cần gì") {
			t.Fatalf("an unknown payload: %q", got)
		}
		// Any other /start text is the plain start.
		if got := joined(c.deepLink("hello")); !strings.HasPrefix(got, "Ông/bà cần gì") {
			t.Fatalf("/start hello: %q", got)
		}

		// Answering across the close: the answer is not recorded, and the
		// resident hears it.
		a := &chat{t: t, svc: svc, db: db, user: "612", now: time.Date(2026, 3, 20, 16, 0, 0, 0, time.UTC)}
		a.send(langnghe.Input{Kind: langnghe.InputCommand, Command: flows.CommandStart})
		a.press("Tiếng Việt")
		a.press("Không đồng ý")
		a.deepLink(conf.Payload)
		a.text("Đèn đường ấp 5 hư lâu rồi chưa sửa")
		a.press("Bỏ qua")
		a.now = time.Date(2026, 3, 20, 17, 30, 0, 0, time.UTC) // 00:30 on the 21st in Vietnam
		// Only that: not the flow's thanks and "another question?" as
		// well, and nothing waits for an answer to it.
		if got := joined(a.press("Gửi")); got != "Xin lỗi ông/bà, đợt lấy ý kiến này vừa kết thúc nên ý kiến vừa rồi không được ghi nhận.\n" {
			t.Fatalf("sent after the close: %q", got)
		}
		if got := joined(a.text("có")); strings.Contains(got, "gõ câu hỏi") || strings.Contains(got, "vừa kết thúc") {
			t.Errorf("after the close, «có» is taken as wanting another question: %q", got)
		}
		if qs, err := camps.CampaignQuestions(ctx, campaigns.Operator, conf.ID); err != nil || len(qs) != 0 {
			t.Errorf("questions recorded: %+v, %v", qs, err)
		}
	})
}
