package storage_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"langnghe"
	"langnghe/flows/vntext"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// The resident whose data is deleted, and what identifies them.
const (
	erasedName   = "Đinh Thị Xuân Hương"
	erasedPhone  = "0912345678"
	erasedFileID = "AgACAgUAAxkBAAIFILE42"
	erasedEmail  = "huong.dinh@example.vn"
	erasedID     = "079203001234"
	erasedPoint  = "1064519" // 106.4519 as searchable writes it
)

// And a resident whose data stays.
const (
	keptName  = "Lý Văn Khôi"
	keptPhone = "0987654321"
)

// terms is what a search looks for, each as it reads in a searchable cell.
type term struct{ what, text string }

var (
	erasedTerms = []term{
		// 912345678 is in 0912345678 and 84912345678 too.
		{"phone", "912345678"}, {"name", vntext.Fold(erasedName)}, {"file id", strings.ToLower(erasedFileID)},
		{"e-mail", erasedEmail}, {"ID number", erasedID}, {"location", erasedPoint},
	}
	keptTerms = []term{{"phone", "987654321"}, {"name", vntext.Fold(keptName)}}
)

// searchable is a stored value as the search reads it: full-width digits
// made ASCII, the separators between digits taken out (0912 345 678 →
// 0912345678), lower case without diacritics.
func searchable(b []byte) string {
	s := strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return '0' + (r - '０')
		}
		return r
	}, strings.ToValidUTF8(string(b), " "))
	var out strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(" .-/()+", s[i]) >= 0 && out.Len() > 0 && isDigit(out.String()[out.Len()-1]) {
			j := i
			for j < len(s) && strings.IndexByte(" .-/()+", s[j]) >= 0 {
				j++
			}
			if j < len(s) && isDigit(s[j]) && j-i <= 4 {
				i = j - 1
				continue
			}
		}
		out.WriteByte(s[i])
	}
	return vntext.Fold(out.String())
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// findAll searches every value of every column of every table the
// catalogue lists for terms, and returns where each was found
// ("table.column: what").
func findAll(t *testing.T, db *storage.DB, terms []term) []string {
	t.Helper()
	ctx := context.Background()
	cols, err := db.Columns(ctx)
	if err != nil {
		t.Fatalf("read the catalogue: %v", err)
	}
	tables := map[string]bool{}
	var found []string
	for _, c := range cols {
		tables[c.Table] = true
		values, err := db.Values(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range values {
			s := searchable(v)
			for _, tm := range terms {
				if hit := c.Table + "." + c.Name + ": " + tm.what; strings.Contains(s, tm.text) && !slices.Contains(found, hit) {
					found = append(found, hit)
				}
			}
		}
	}
	// The catalogue must be read, not a list: every table of the first
	// migrations is in it.
	for _, want := range []string{"residents", "sessions", "opinions", "opinion_events", "attachments", "consents",
		"outbox", "outbox_dead", "officials", "settings_audit", "campaign_responses", "campaign_deliveries"} {
		if !tables[want] {
			t.Fatalf("the catalogue lists no table %s: %v", want, tables)
		}
	}
	return found
}

// A resident who chatted, sent opinions with their phone, place and photo,
// was discussed by officials and has messages waiting asks for their data
// to be deleted: afterwards no column of any table, as the catalogue lists
// them, holds their phone (in any of its forms), their name, their photo's
// file id, their point, or the e-mail and ID number they wrote. Another
// resident's data stays.
func TestDeleteResidentDataLeavesNoCopy(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if found := findAll(t, db, append(slices.Clone(erasedTerms), keptTerms...)); len(found) > 0 {
			t.Fatalf("a fresh database already holds the test's identifiers: %v", found)
		}
		r := &langnghe.Resident{Channel: langnghe.ChannelTelegram, ExternalID: "8801", ChatID: "8801", Name: erasedName,
			Phone: erasedPhone, Language: langnghe.LangVI}
		keep := &langnghe.Resident{Channel: langnghe.ChannelTelegram, ExternalID: "8802", ChatID: "8802", Name: keptName,
			Phone: keptPhone, Language: langnghe.LangVI}
		text := "Cống ấp 3 bị tắc từ 12/05/2026, gọi tôi 0912 345 678 (" + erasedName + ") hoặc " + erasedEmail
		feedback := &langnghe.Opinion{Category: "environment", Text: text, AreaCode: "minh_thanh",
			PlaceText: "nhà bà " + erasedName + ", ấp 3", Channel: langnghe.ChannelTelegram,
			Language: langnghe.LangVI, ContactName: erasedName, ContactPhone: erasedPhone,
			Location:    &langnghe.Location{Latitude: 11.2834, Longitude: 106.4519},
			Attachments: []langnghe.Attachment{{Kind: "photo", FileID: erasedFileID}},
			Answers: map[string]string{"description": text, "phone": erasedPhone, "location": "11.283400,106.451900",
				"photo": "photo:" + erasedFileID, "area": "minh_thanh", "category_confirmed": "yes", "contact_choice": "phone"}}
		denunciation := &langnghe.Opinion{Category: "land", LegalTrack: langnghe.TrackDenunciation, Anonymous: true,
			Text:    "Tố cáo trưởng ấp thu tiền, tôi là " + erasedName + ", CCCD " + erasedID,
			Channel: langnghe.ChannelTelegram, Answers: map[string]string{"sdt": "+84 912 345 678", "noi_o": "11.2834, 106.4519"}}
		other := &langnghe.Opinion{Category: "land", Text: "Đường ấp 5 lầy lội, gọi " + keptPhone, Channel: langnghe.ChannelTelegram,
			ContactName: keptName, ContactPhone: keptPhone}
		var dead int64
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			for _, res := range []*langnghe.Resident{r, keep} {
				if err := tx.SaveResident(ctx, res); err != nil {
					return err
				}
			}
			feedback.ResidentID, denunciation.ResidentID, other.ResidentID = &r.ID, &r.ID, &keep.ID
			for _, o := range []*langnghe.Opinion{feedback, denunciation, other} {
				code, err := tx.NextOpinionCode(ctx, "DT", 2026)
				if err != nil {
					return err
				}
				o.Code = code
				if err := tx.CreateOpinion(ctx, o); err != nil {
					return err
				}
			}
			photo, err := tx.SaveAttachment(ctx, &langnghe.StoredAttachment{ResidentID: &r.ID, Name: erasedName + ".jpg",
				MIME: "image/jpeg", Data: []byte("\xff\xd8\xff\xe1Exif\x00 Artist: " + erasedName + " " + erasedPhone)})
			if err != nil {
				return err
			}
			if err := tx.LinkAttachments(ctx, feedback.ID, []int64{photo}); err != nil {
				return err
			}
			if _, err := tx.SaveAttachment(ctx, &langnghe.StoredAttachment{ResidentID: &r.ID, Name: "draft.jpg",
				Data: []byte("GPS 11.2834 106.4519")}); err != nil {
				return err
			}
			if err := tx.RecordEmergency(ctx, &langnghe.Emergency{ResidentID: &r.ID, Channel: langnghe.ChannelTelegram,
				Kind: langnghe.EmergencyFire, Text: "cháy nhà, tôi là " + erasedName + " 0912 345 678", AreaCode: "minh_thanh",
				At: at}); err != nil {
				return err
			}
			// A question for a dialogue conference, with the answer sent.
			conf := &langnghe.Campaign{Kind: langnghe.CampaignDialogue, Title: "Hội nghị đối thoại", Areas: []string{"minh_thanh"},
				Opens: at, Payload: "c_eeeeeeeeeeeeeeee", Conference: &langnghe.Conference{At: at, Place: "UBND xã"}}
			if err := tx.CreateCampaign(ctx, conf); err != nil {
				return err
			}
			question := &langnghe.CampaignResponse{CampaignID: conf.ID, ResidentID: &r.ID, AreaCode: "minh_thanh",
				Answers: map[string]string{"question": "Cống ấp 3 bao giờ sửa? " + erasedName + ", 0912.345.678", "phone": erasedPhone}}
			if err := tx.AddCampaignResponse(ctx, question); err != nil {
				return err
			}
			group := &langnghe.QuestionGroup{Title: "Cống ấp 3 bao giờ sửa?", Members: []int64{question.ID}}
			if err := tx.SaveQuestionGroups(ctx, conf.ID, []*langnghe.QuestionGroup{group}, question.ID); err != nil {
				return err
			}
			if _, err := tx.QueueDeliveries(ctx, group.ID, []*langnghe.Outgoing{{Channel: langnghe.ChannelTelegram, ChatID: r.ChatID,
				ResidentID: &r.ID, Message: langnghe.Message{Text: "Trả lời câu hỏi của " + erasedName}}}); err != nil {
				return err
			}
			if err := tx.RecordConsent(ctx, langnghe.Consent{ResidentID: r.ID, Purpose: "contact", NoticeVersion: "1", Granted: true}); err != nil {
				return err
			}
			session := `{"v":1,"flow":"send_opinion","rev":1,"lang":"vi","name":"` + erasedName + `","phone":"` + erasedPhone +
				`","answers":{"description":"` + text + `","phone":"` + erasedPhone + `","photo":"photo:` + erasedFileID +
				`"},"location":{"latitude":11.2834,"longitude":106.4519}}`
			if err := tx.SaveSession(ctx, &langnghe.StoredSession{ResidentID: r.ID, FlowID: "send_opinion", Revision: 1, Data: []byte(session)}); err != nil {
				return err
			}
			// Officials discuss the case; one of them quotes the resident.
			for _, ev := range []*langnghe.OpinionEvent{
				{OpinionID: feedback.ID, Actor: "official:1", Note: "Đã gọi bà " + erasedName + " theo số 0912.345.678"},
				{OpinionID: feedback.ID, Actor: "official:1", StatusFrom: langnghe.StatusReceived, StatusTo: langnghe.StatusAnswered,
					Public: true, Note: "Đã nạo vét cống; bà Đinh Thị Xuân Hương (+84 91 234 5678) xác nhận"},
				{OpinionID: denunciation.ID, Actor: "resident", Public: true, Note: "Chưa hài lòng. " + erasedName + ", Zalo ０９１２３４５６７８"},
				{OpinionID: other.ID, Actor: "official:1", Note: "Đã gọi ông " + keptName + " số " + keptPhone},
			} {
				if err := tx.AddOpinionEvent(ctx, ev); err != nil {
					return err
				}
			}
			for _, m := range []*langnghe.Outgoing{
				{Channel: langnghe.ChannelTelegram, ChatID: r.ChatID, ResidentID: &r.ID,
					Message: langnghe.Message{Text: "Cảm ơn " + erasedName + ", ý kiến " + feedback.Code + " đã được ghi nhận"}},
				{Channel: langnghe.ChannelTelegram, ChatID: "9001", Message: langnghe.Message{
					Text:    "Ý kiến mới " + feedback.Code + ": " + text + "\nLiên hệ: " + erasedName + " " + erasedPhone,
					Buttons: [][]langnghe.Button{{{Label: "Gọi " + erasedPhone, Data: "view:" + feedback.Code}}}}},
				{Channel: langnghe.ChannelTelegram, ChatID: "9001", Message: langnghe.Message{Text: "Ý kiến mới " + other.Code +
					": " + other.Text + "\nLiên hệ: " + keptName + " " + keptPhone}},
				{Channel: langnghe.ChannelTelegram, ChatID: "9002", Message: langnghe.Message{Text: "Nhắc hạn " + denunciation.Code +
					" (người tố cáo: " + erasedName + ", 84912345678)"}},
			} {
				if err := tx.Enqueue(ctx, m); err != nil {
					return err
				}
				dead = m.ID // the last one fails: a dead letter
			}
			return nil
		})
		if err := db.FailOutgoing(ctx, dead, "Forbidden: bot was blocked by the user"); err != nil {
			t.Fatal(err)
		}

		// The search reads every kind of column that holds them: text,
		// JSON, bytes.
		before := findAll(t, db, erasedTerms)
		for _, want := range []string{"residents.name: name", "residents.phone: phone", "sessions.data: phone",
			"opinions.text: phone", "opinions.text: e-mail", "opinions.text: ID number", "opinions.contact_phone: phone",
			"opinions.place_text: name",
			"opinions.answers: phone", "opinions.answers: file id", "opinions.answers: location", "opinions.location: location",
			"opinions.attachments: file id", "opinion_events.note: phone", "opinion_events.note: name",
			"attachments.data: phone", "attachments.name: name", "outbox.message: phone", "outbox_dead.message: name", "emergencies.text: name",
			"campaign_responses.answers: phone", "campaign_responses.answers: name"} {
			if !slices.Contains(before, want) {
				t.Errorf("before the deletion the search does not find %s; it found %v", want, before)
			}
		}

		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error { return tx.DeleteResidentData(ctx, r.ID) })

		if found := findAll(t, db, erasedTerms); len(found) > 0 {
			t.Errorf("after the deletion the resident's data is still in:\n%s", strings.Join(found, "\n"))
		}
		// A table a later migration adds is searched too, without naming it
		// here: one holding the phone would fail this test.
		if err := db.Exec(ctx, `CREATE TABLE later_copies (id integer PRIMARY KEY, note text NOT NULL, data jsonb)`); err != nil {
			t.Fatal(err)
		}
		if err := db.Exec(ctx, `INSERT INTO later_copies (id, note, data) VALUES (1, ?, ?)`, "gọi 0912.345.678",
			`{"who": "`+erasedName+`"}`); err != nil {
			t.Fatal(err)
		}
		if found := findAll(t, db, erasedTerms); !slices.Equal(found, []string{"later_copies.note: phone", "later_copies.data: name"}) {
			t.Errorf("a copy in a new table: found %v", found)
		}
		if err := db.Exec(ctx, `DROP TABLE later_copies`); err != nil {
			t.Fatal(err)
		}
		kept := findAll(t, db, keptTerms)
		for _, want := range []string{"residents.phone: phone", "residents.name: name", "opinions.contact_phone: phone",
			"opinions.text: phone", "opinion_events.note: phone", "outbox.message: phone"} {
			if !slices.Contains(kept, want) {
				t.Errorf("another resident's data is gone: no %s in %v", want, kept)
			}
		}

		// The opinions stay for the board, with what names no one.
		got, err := db.Opinion(ctx, feedback.Code)
		if err != nil {
			t.Fatal(err)
		}
		wantText := "Cống ấp 3 bị tắc từ 12/05/2026, gọi tôi […] ([…]) hoặc […]"
		if got.Text != wantText || got.Category != "environment" || got.AreaCode != "minh_thanh" {
			t.Errorf("opinion after the deletion: text %q, category %s, area %s; want text %q", got.Text, got.Category, got.AreaCode, wantText)
		}
		wantAnswers := map[string]string{"description": wantText, "area": "minh_thanh", "category_confirmed": "yes", "contact_choice": "phone"}
		if !mapsEqual(got.Answers, wantAnswers) {
			t.Errorf("answers after the deletion = %v, want %v", got.Answers, wantAnswers)
		}
		b, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		var printed struct {
			Answers map[string]any `json:"answers"`
		}
		var top map[string]any
		if err := json.Unmarshal(b, &printed); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &top); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"phone", "location", "photo"} {
			if _, ok := printed.Answers[key]; ok {
				t.Errorf("the opinion's JSON (as `opinions list --json` prints it) carries answers.%s: %s", key, b)
			}
		}
		for _, key := range []string{"location", "attachments", "contact_name", "contact_phone", "resident_id"} {
			if _, ok := top[key]; ok {
				t.Errorf("the opinion's JSON (as `opinions list --json` prints it) carries %s: %s", key, b)
			}
		}
		den, err := db.Opinion(ctx, denunciation.Code)
		if err != nil {
			t.Fatal(err)
		}
		// An answer an admin's flow named "sdt" is not known to be the phone:
		// it stays, redacted; the point goes.
		if den.Text != "Tố cáo trưởng ấp thu tiền, tôi là […], CCCD […]" || !mapsEqual(den.Answers, map[string]string{"sdt": "[…]"}) {
			t.Errorf("denunciation after the deletion: %q %v", den.Text, den.Answers)
		}
		// Its search text follows its text.
		hits, err := db.ListOpinions(ctx, langnghe.OpinionFilter{Text: "cong ap 3 bi tac"})
		if err != nil || len(hits) != 1 || hits[0].Code != feedback.Code {
			t.Errorf("search after the deletion: %v, %v", hits, err)
		}
		// The official is still told, without the identity.
		depth, _, err := db.OutboxStats(ctx)
		if err != nil || depth != 2 {
			t.Errorf("queued messages after the deletion: %d, %v; want the officials' 2", depth, err)
		}
		events, err := db.OpinionEvents(ctx, feedback.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n := events[len(events)-2].Note; n != "Đã nạo vét cống; bà […] […] xác nhận" {
			t.Errorf("the official's answer after the deletion: %q", n)
		}
		if last := events[len(events)-1]; last.Note != "personal data deleted" || last.Public {
			t.Errorf("last event = %+v", last)
		}
	})
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
