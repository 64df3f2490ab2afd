package officedesk_test

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

// messages takes what is queued for chat, whole.
func (w *world) messages(chat string) []langnghe.Message {
	w.t.Helper()
	msgs, err := w.db.TakeChat(context.Background(), langnghe.ChannelTelegram, chat)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []langnghe.Message
	for _, m := range msgs {
		out = append(out, m.Message)
	}
	return out
}

// official1 applies an official's input and returns the one message the
// desk answered with.
func (w *world) official1(user string, in langnghe.Input) langnghe.Message {
	w.t.Helper()
	w.seq++
	ctx := context.Background()
	err := w.db.InTx(ctx, func(tx *storage.Tx) error {
		_, err := w.desk.Official(ctx, tx, conversationInbound(user, w.seq, in))
		return err
	})
	if err != nil {
		w.t.Fatalf("desk: %v", err)
	}
	msgs := w.messages(user)
	if len(msgs) != 1 {
		w.t.Fatalf("official %s got %d messages, want 1: %+v", user, len(msgs), msgs)
	}
	return msgs[0]
}

func conversationInbound(user string, seq int, in langnghe.Input) langnghe.Inbound {
	return langnghe.Inbound{Channel: langnghe.ChannelTelegram, UpdateID: fmt.Sprint(seq), UserID: user,
		ChatID: user, Name: "Cán bộ " + user, Private: true, Input: in}
}

// due sets an opinion's due date.
func (w *world) due(o *langnghe.Opinion, at time.Time) {
	w.t.Helper()
	ctx := context.Background()
	if err := w.db.InTx(ctx, func(tx *storage.Tx) error { return tx.UpdateOpinion(ctx, o.ID, langnghe.OpinionUpdate{DueAt: &at}) }); err != nil {
		w.t.Fatal(err)
	}
	o.DueAt = at
}

// data is the data of the button whose label contains label.
func data(t *testing.T, m langnghe.Message, label string) string {
	t.Helper()
	for _, row := range m.Buttons {
		for _, b := range row {
			if strings.Contains(b.Label, label) {
				return b.Data
			}
		}
	}
	t.Fatalf("no button %q in %+v", label, m.Buttons)
	return ""
}

func labels(m langnghe.Message) []string {
	var out []string
	for _, row := range m.Buttons {
		for _, b := range row {
			out = append(out, b.Label)
		}
	}
	return out
}

// TestPlainMessageAsksWhichOpinion: an official's plain message is never
// dropped. It is kept and the official is asked which of their open
// opinions it answers (at most 5, the earliest due first, the one it
// names first); the press sends it as the answer and the confirmation
// quotes what the resident read; the prompt's other buttons go stale;
// another official cannot use it; «Không gửi» drops it; with nothing open
// the official is told how to answer; a photo is said to go nowhere.
func TestPlainMessageAsksWhichOpinion(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		w.official("land", "land_environment")
		w.official("land2", "land_environment")
		w.official("health", "medical_centre")
		hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
		day := time.Date(2026, 12, 20, 23, 59, 59, 0, hcm)
		var ops []*langnghe.Opinion
		for i := 1; i <= 7; i++ {
			o := w.opinion(i, "land")
			w.due(o, day.AddDate(0, 0, 8-i)) // the last one is due first
			ops = append(ops, o)
		}
		w.take("land")
		w.take("land2")

		m := w.official1("land", text("Đơn vị đã cho san lấp ổ gà, xin cảm ơn ông/bà."))
		t.Logf("the prompt:\n%s\n%v", m.Text, labels(m))
		if !strings.Contains(m.Text, "chưa được gửi cho ai") || !strings.Contains(m.Text, "«Đơn vị đã cho san lấp ổ gà, xin cảm ơn ông/bà.»") ||
			!strings.Contains(m.Text, "/traloi") {
			t.Fatalf("the plain message got %q", m.Text)
		}
		got := labels(m)
		if len(got) != 6 || !strings.HasPrefix(got[0], ops[6].Code) || !strings.HasPrefix(got[4], ops[2].Code) || got[5] != "Không gửi" {
			t.Fatalf("buttons %q, want the 5 earliest due (%s first) and «Không gửi»", got, ops[6].Code)
		}
		if !strings.Contains(got[0], "hạn 21/12") {
			t.Errorf("the button does not show the due date: %q", got[0])
		}
		for i := 1; i <= 7; i++ {
			if told := w.take(fmt.Sprint("r", i)); len(told) != 0 {
				t.Fatalf("a resident was told %q before the official chose", told)
			}
		}

		// The press sends it; the confirmation quotes what the resident read.
		conf := w.official1("land", press(data(t, m, ops[5].Code)))
		t.Logf("the confirmation:\n%s", conf.Text)
		if !strings.Contains(conf.Text, "✅ "+ops[5].Code+": Đã tiếp nhận → Đã trả lời") || !strings.Contains(conf.Text, "Người dân đã được báo (bằng tiếng Anh):") {
			t.Errorf("the confirmation: %q", conf.Text)
		}
		if again := w.official1("land", press(data(t, m, ops[5].Code))); !strings.Contains(again.Text, "đã được gửi hoặc đã bỏ") {
			t.Errorf("the same button again said %q", again.Text)
		}
		if got := w.status(ops[5].Code); got != langnghe.StatusAnswered {
			t.Fatalf("status %s after the press, want answered", got)
		}
		told := w.take("r6")
		if len(told) != 1 || !strings.Contains(told[0], "Đơn vị đã cho san lấp ổ gà") || !strings.Contains(told[0], "Agriculture and Environment Office") {
			t.Fatalf("the resident was told %q", told)
		}
		if !strings.Contains(conf.Text, told[0]) {
			t.Errorf("the confirmation does not quote what the resident read: %q", conf.Text)
		}
		// The prompt's other buttons are stale: the draft was used.
		if c := w.official1("land", press(data(t, m, ops[6].Code))); !strings.Contains(c.Text, "đã được gửi hoặc đã bỏ") {
			t.Errorf("another button of the used prompt said %q", c.Text)
		}
		if got := w.status(ops[6].Code); got != langnghe.StatusReceived {
			t.Errorf("a stale button answered %s: %s", ops[6].Code, got)
		}

		// Naming a code puts it first; another official cannot send the
		// draft; «Không gửi» drops it.
		m = w.official1("land", text(ops[0].Code+": đã có lịch khảo sát"))
		if got := labels(m); !strings.HasPrefix(got[0], ops[0].Code) || len(got) != 6 {
			t.Errorf("a message naming %s offered %q", ops[0].Code, got)
		}
		if c := w.official1("land2", press(data(t, m, ops[0].Code))); !strings.Contains(c.Text, "đã được gửi hoặc đã bỏ") {
			t.Errorf("another official pressing the draft's button: %q", c.Text)
		}
		if c := w.official1("land", press(data(t, m, "Không gửi"))); !strings.Contains(c.Text, "Đã bỏ") {
			t.Errorf("«Không gửi» said %q", c.Text)
		}
		if c := w.official1("land", press(data(t, m, ops[0].Code))); !strings.Contains(c.Text, "đã được gửi hoặc đã bỏ") {
			t.Errorf("a discarded draft's button said %q", c.Text)
		}
		if got := w.status(ops[0].Code); got != langnghe.StatusReceived {
			t.Errorf("a discarded draft answered %s: %s", ops[0].Code, got)
		}

		// Nothing open: how to answer. A photo: it goes nowhere.
		if c := w.official1("health", text("Đã xong")); !strings.Contains(c.Text, "không có ý kiến nào đang mở") || len(c.Buttons) != 0 {
			t.Errorf("with nothing open: %q %v", c.Text, c.Buttons)
		}
		if c := w.official1("land", langnghe.Input{Kind: langnghe.InputAttachment, Attachment: &langnghe.Attachment{Kind: "photo"}}); !strings.Contains(c.Text, "chưa được chuyển cho ai") {
			t.Errorf("a photo from an official: %q", c.Text)
		}
	})
}

// TestAnswerButtonTakesTheNextMessage: «Trả lời người dân» (not
// Telegram's own «Trả lời») makes the next message the answer; «Hủy»
// cancels it; a closed opinion cannot be answered so.
func TestAnswerButtonTakesTheNextMessage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		w.official("land", "land_environment")
		o := w.opinion(1, "land")
		note := w.messages("land")
		if len(note) != 1 || !strings.Contains(note[0].Text, "bấm «Trả lời người dân»") {
			t.Fatalf("the notification: %+v", note)
		}
		if got := labels(note[0]); strings.Join(got, "|") != "Nhận xử lý|Chuyển đơn vị|Trả lời người dân" {
			t.Errorf("the notification's buttons are %q", got)
		}

		m := w.official1("land", press(data(t, note[0], "Trả lời người dân")))
		if !strings.Contains(m.Text, "✍️") || !strings.Contains(m.Text, o.Code) || labels(m)[0] != "Hủy" {
			t.Fatalf("«Trả lời người dân» said %q %v", m.Text, labels(m))
		}
		conf := w.official1("land", text("Ngày mai đơn vị sẽ cử người xuống kiểm tra."))
		t.Logf("the confirmation:\n%s", conf.Text)
		if !strings.Contains(conf.Text, "✅") || !strings.Contains(conf.Text, "Đã trả lời") ||
			!strings.Contains(conf.Text, "Người dân đã được báo (bằng tiếng Anh):") ||
			!strings.Contains(conf.Text, "«On ") || !strings.Contains(conf.Text, "Ngày mai đơn vị sẽ cử người xuống kiểm tra.") {
			t.Fatalf("the confirmation: %q", conf.Text)
		}
		told := w.messages("r1")
		if len(told) != 1 || !strings.Contains(conf.Text, told[0].Text) || len(told[0].Buttons) != 1 {
			t.Fatalf("the resident got %+v; the confirmation quotes %q", told, conf.Text)
		}
		// Answered: the button asks no more, and the next message is asked about.
		if c := w.official1("land", press("o:a:"+o.Code)); !strings.Contains(c.Text, "không thể trả lời lúc này") {
			t.Errorf("«Trả lời người dân» on an answered opinion: %q", c.Text)
		}

		o2 := w.opinion(2, "land")
		w.take("land")
		w.official1("land", press("o:a:"+o2.Code))
		if c := w.official1("land", press("o:c:"+o2.Code)); !strings.Contains(c.Text, "Đã hủy") {
			t.Errorf("«Hủy» said %q", c.Text)
		}
		if c := w.official1("land", text("Đã xong")); !strings.Contains(c.Text, "chưa được gửi cho ai") {
			t.Errorf("after «Hủy» the next message said %q", c.Text)
		}
		if got := w.status(o2.Code); got != langnghe.StatusReceived {
			t.Errorf("a cancelled answer was sent: %s", got)
		}
	})
}

// TestNotSatisfiedReopensAtThePress: "not satisfied" reopens at the
// press; the resident is told with the new date and asked why; the unit
// is told with the dates and the earlier answer; "satisfied" after it
// records nothing; the next words are the reason (an emergency is not);
// once the opinion is answered again the first answer's buttons rate
// nothing.
func TestNotSatisfiedReopensAtThePress(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
		w.at = time.Date(2026, 3, 4, 9, 0, 0, 0, hcm) // Wednesday
		w.official("land", "land_environment")
		o := w.opinion(1, "land")
		w.take("land")
		w.command("land", "traloi", o.Code+" Đã san lấp ổ gà.")
		answer := w.messages("r1")[0]
		satisfied, notSatisfied := data(t, answer, "Satisfied"), data(t, answer, "Not satisfied")

		w.at = time.Date(2026, 3, 6, 10, 0, 0, 0, hcm) // Friday
		_, out := w.rate("r1", press(notSatisfied), "")
		t.Logf("the resident after the press:\n%s", strings.Join(out, "\n"))
		if got := w.status(o.Code); got != langnghe.StatusReopened {
			t.Fatalf("status %s after the press, want reopened at once", got)
		}
		if !contains(out, "reopened your opinion "+o.Code+" on 6 March 2026") || !contains(out, "by 20 March 2026") || !contains(out, "❓") {
			t.Fatalf("the resident was told %q", out)
		}
		unit := w.take("land")
		t.Logf("the unit:\n%s", strings.Join(unit, "\n"))
		if !contains(unit, "🔁 Ý kiến "+o.Code+" được mở lại ngày 06/03/2026") || !contains(unit, "câu trả lời ngày 04/03/2026") ||
			!contains(unit, "Hạn trả lời mới: 20/03/2026") || !contains(unit, "«Đã san lấp ổ gà.»") || !contains(unit, "chưa nêu lý do") {
			t.Fatalf("the unit was told %q", unit)
		}

		// 🙁 then 😊: nothing recorded, the resident told what stands.
		if _, out := w.rate("r1", press(satisfied), ""); !contains(out, "already been reopened") || !contains(out, "20 March 2026") {
			t.Errorf("'satisfied' after the reopening said %q", out)
		}
		if _, out := w.rate("r1", press(notSatisfied), ""); !contains(out, "already been reopened") {
			t.Errorf("'not satisfied' twice said %q", out)
		}
		stored, err := db.Opinion(context.Background(), o.Code)
		if err != nil || stored.Rating != langnghe.RatingNotSatisfied || stored.Status != langnghe.StatusReopened {
			t.Fatalf("after 🙁 then 😊: %+v, %v", stored, err)
		}

		// An emergency is not a reason; the next words are.
		if handled, _ := w.rate("r1", text("cháy nhà, cứu với"), ""); handled {
			t.Error("an emergency was taken as the reason")
		}
		if _, out := w.rate("r1", text("Ổ gà vẫn còn nguyên"), ""); !contains(out, "“Ổ gà vẫn còn nguyên”") {
			t.Fatalf("the reason said %q", out)
		}
		if got := w.take("land"); !contains(got, "💬") || !contains(got, "«Ổ gà vẫn còn nguyên»") || !contains(got, "20/03/2026") {
			t.Fatalf("the unit was told %q", got)
		}
		if handled, _ := w.rate("r1", text("xin chào"), ""); handled {
			t.Error("words after the reason were taken as another reason")
		}

		// /xem tells the history in words with names.
		view := strings.Join(w.command("land", "xem", o.Code), "\n")
		t.Logf("/xem:\n%s", view)
		for _, want := range []string{"Phân về Phòng Nông nghiệp và Môi trường", "04/03 09:00 · Đã trả lời (Cán bộ land): Đã san lấp ổ gà.",
			"06/03 10:00 · Xem xét lại (người dân)", "Lý do người dân chưa hài lòng: Ổ gà vẫn còn nguyên"} {
			if !strings.Contains(view, want) {
				t.Errorf("/xem lacks %q", want)
			}
		}

		// Answered again: the first answer's buttons are stale.
		w.at = time.Date(2026, 3, 9, 9, 0, 0, 0, hcm)
		w.command("land", "traloi", o.Code+" Đã thảm lại nhựa.")
		w.take("r1")
		if _, out := w.rate("r1", press(satisfied), ""); !contains(out, "earlier answer") || !contains(out, "9 March 2026") {
			t.Errorf("the first answer's button after the second said %q", out)
		}
		if stored, _ := db.Opinion(context.Background(), o.Code); stored.Rating != "" {
			t.Errorf("a stale button rated the second answer %q", stored.Rating)
		}
	})
}

// TestNotificationCarriesPlaceAndMap: a new opinion's notification has a
// map link of the shared location, when it was received and is due, and
// the contact's name family name first (the place as the resident wrote
// it: place_test.go); a denunciation's location reaches only an official
// with the permission.
func TestNotificationCarriesPlaceAndMap(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		w.official("land", "land_environment")
		w.invite("insp", langnghe.RoleUnit, false, "inspectorate")
		w.invite("inspok", langnghe.RoleUnit, true, "inspectorate")
		ctx := context.Background()
		r := &langnghe.Resident{Channel: langnghe.ChannelTelegram, ExternalID: "rp", ChatID: "rp", Language: langnghe.LangVI}
		o := &langnghe.Opinion{Category: "land", LegalTrack: langnghe.TrackFeedback, AreaCode: "minh_thanh", PlaceText: "xã Minh Hòa cũ, gần chợ",
			Text: "Đường vào chợ ngập sâu", Language: langnghe.LangVI, Channel: langnghe.ChannelTelegram, Status: langnghe.StatusReceived,
			ContactName: "Lan Nguyễn Thị", ContactPhone: "0912000111", Location: &langnghe.Location{Latitude: 11.2834, Longitude: 106.4519},
			DueAt: time.Now().Add(72 * time.Hour)}
		if err := db.InTx(ctx, func(tx *storage.Tx) error {
			if err := tx.SaveResident(ctx, r); err != nil {
				return err
			}
			o.Code, o.ResidentID = "DT-2026-000900", &r.ID
			if err := tx.CreateOpinion(ctx, o); err != nil {
				return err
			}
			return w.desk.OpinionCreated(ctx, tx, o)
		}); err != nil {
			t.Fatal(err)
		}
		got := strings.Join(w.take("land"), "\n")
		t.Logf("the notification:\n%s", got)
		for _, want := range []string{"https://maps.google.com/?q=11.2834,106.4519",
			"Liên hệ: Nguyễn Thị Lan 0912000111", "Hạn xử lý: ", "Tiếp nhận: "} {
			if !strings.Contains(got, want) {
				t.Errorf("the notification lacks %q", want)
			}
		}

		d := w.denunciation()
		if got := strings.Join(w.take("insp"), "\n"); strings.Contains(got, "maps.google.com") || strings.Contains(got, "11.27") {
			t.Errorf("the denouncer's location reached an official without the permission: %q", got)
		}
		if got := strings.Join(w.take("inspok"), "\n"); !strings.Contains(got, "https://maps.google.com/?q=11.27,106.37") || !strings.Contains(got, d.Code) {
			t.Errorf("the permitted official's notification: %q", got)
		}
	})
}

// TestReasonOnlyRightAfterThePress: once the resident has gone on in the
// conversation after pressing "not satisfied" (the menu, a new opinion),
// what they type belongs to the conversation, not to the reason; a reply
// to the question is still the reason.
func TestReasonOnlyRightAfterThePress(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		w.official("land", "land_environment")
		o := w.opinion(1, "land")
		w.command("land", "traloi", o.Code+" Đã xong.")
		answer := w.messages("r1")[0]
		_, out := w.rate("r1", press(data(t, answer, "Not satisfied")), "")
		if !contains(out, "❓") {
			t.Fatalf("the press said %q", out)
		}
		time.Sleep(10 * time.Millisecond)
		if err := db.InTx(ctx, func(tx *storage.Tx) error {
			r, err := tx.ResidentByExternal(ctx, langnghe.ChannelTelegram, "r1")
			if err != nil {
				return err
			}
			return tx.SaveSession(ctx, &langnghe.StoredSession{ResidentID: r.ID, FlowID: "menu", Revision: 1, Data: []byte(`{"v":1,"flow":"menu","rev":1}`)})
		}); err != nil {
			t.Fatal(err)
		}
		if handled, got := w.rate("r1", text("Đèn đường ấp 2 bị hỏng"), ""); handled {
			t.Fatalf("words typed in the conversation after the press were taken as the reason: %q", got)
		}
		if _, got := w.rate("r1", text("Chưa xong"), out[0]); !contains(got, "“Chưa xong”") {
			t.Fatalf("a reply to the question said %q", got)
		}
	})
}

// TestExtensionConfirmation: the official who extends reads the due date
// before and after, and what the resident was told (the new date, the
// earlier one and the reason).
func TestExtensionConfirmation(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		w.official("land", "land_environment")
		o := w.opinion(1, "land")
		hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
		w.due(o, time.Date(2026, 12, 28, 23, 59, 59, 0, hcm))
		w.take("land")
		out := strings.Join(w.command("land", "giahan", o.Code+" 15/01/2027 cần khảo sát thực địa"), "\n")
		t.Logf("the confirmation:\n%s", out)
		for _, want := range []string{"✅ " + o.Code + ": Đã tiếp nhận → Gia hạn", "Hạn trả lời: 28/12/2026 → 15/01/2027",
			"Người dân đã được báo (bằng tiếng Anh):", "extended to 15 January 2027 (it was 28 December 2026)", "Reason: cần khảo sát thực địa"} {
			if !strings.Contains(out, want) {
				t.Errorf("the confirmation lacks %q", want)
			}
		}
		if strings.Contains(out, "chặn") {
			t.Errorf("a resident who did not block the bot is said to have: %q", out)
		}

		// A resident who blocked the bot: the official is warned.
		ctx := context.Background()
		if err := db.InTx(ctx, func(tx *storage.Tx) error { return tx.SetResidentBlocked(ctx, langnghe.ChannelTelegram, "r1", true) }); err != nil {
			t.Fatal(err)
		}
		if out := w.command("land", "traloi", o.Code+" Đã khảo sát xong."); !contains(out, "đã chặn tin nhắn của hệ thống") {
			t.Errorf("answering a resident who blocked the bot: %q", out)
		}
	})
}
