package campaigns_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/campaigns"
	"langnghe/flowlib"
	"langnghe/flows/catalogue"
	"langnghe/flows/classify"
	"langnghe/followup"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

var vn = time.FixedZone("ICT", 7*3600)

// fixture is a service on a real database with the default units, and
// officials of each role.
type fixture struct {
	t                    *testing.T
	db                   *storage.DB
	svc                  *campaigns.Service
	board, unit, outside *langnghe.Official
	now                  time.Time
	residents            int
}

func newFixture(t *testing.T, db *storage.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	cat := catalogue.Default()
	cal := calendar.Default(vn)
	if _, err := followup.New(cat, cal, followup.Options{TimeZone: vn}).Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	cl, err := classify.New(cat)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, db: db, now: time.Date(2026, 3, 5, 10, 0, 0, 0, vn)}
	f.svc = campaigns.New(db, flowlib.New(cat), cat, cl, cal, campaigns.Options{TimeZone: vn, Now: func() time.Time { return f.now }})
	f.board = f.official("Chị Hạnh", langnghe.RoleBoard)
	f.unit = f.official("Anh Tâm", langnghe.RoleUnit, "ubnd_minh_thanh")
	f.outside = f.official("Chị Mai", langnghe.RoleUnit, "medical_centre")
	return f
}

func (f *fixture) official(name string, role langnghe.Role, units ...string) *langnghe.Official {
	f.t.Helper()
	o := &langnghe.Official{Name: name, Role: role, Units: units, Channel: langnghe.ChannelTelegram,
		ExternalID: fmt.Sprint(9000 + len(name)*10 + len(units)), ChatID: fmt.Sprint(9000 + len(name)*10 + len(units))}
	f.tx(func(ctx context.Context, tx *storage.Tx) error { return tx.CreateOfficial(ctx, o) })
	return o
}

func (f *fixture) tx(fn func(ctx context.Context, tx *storage.Tx) error) {
	f.t.Helper()
	ctx := context.Background()
	if err := f.db.InTx(ctx, func(tx *storage.Tx) error { return fn(ctx, tx) }); err != nil {
		f.t.Fatal(err)
	}
}

// resident stores a new resident who speaks lang.
func (f *fixture) resident(lang string) *langnghe.Resident {
	f.t.Helper()
	f.residents++
	id := fmt.Sprint(100 + f.residents)
	r := &langnghe.Resident{Channel: langnghe.ChannelTelegram, ExternalID: id, ChatID: id, Language: lang}
	f.tx(func(ctx context.Context, tx *storage.Tx) error { return tx.SaveResident(ctx, r) })
	return r
}

func dialogue() *langnghe.Campaign {
	return &langnghe.Campaign{Kind: langnghe.CampaignDialogue, Title: "Hội nghị đối thoại xã Minh Thạnh năm 2026",
		Theme: "Môi trường và đất ven sông Thị Tính", Areas: []string{"minh_thanh", "long_hoa"}, Unit: "ubnd_minh_thanh",
		Opens: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Closes: time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC),
		Conference: &langnghe.Conference{At: time.Date(2026, 3, 25, 8, 0, 0, 0, vn), Place: "Hội trường UBND xã Minh Thạnh",
			Hosts: []string{"Ông Nguyễn Văn Bình, Chủ tịch UBND xã"}}}
}

// created is c as the board creates it.
func (f *fixture) created(c *langnghe.Campaign) *langnghe.Campaign {
	f.t.Helper()
	if err := f.svc.CreateCampaign(context.Background(), f.board, c); err != nil {
		f.t.Fatal(err)
	}
	return c
}

// ask records a dialogue question of r through the campaign's flow.
func (f *fixture) ask(c *langnghe.Campaign, r *langnghe.Resident, question, area string) *langnghe.CampaignResponse {
	f.t.Helper()
	resp := &langnghe.CampaignResponse{ResidentID: &r.ID, AreaCode: area, Language: r.Language, FlowID: c.FlowID, FlowRevision: 1,
		Answers: map[string]string{langnghe.DialogueQuestionKey: question, "area": area, "confirm": "send"}, CreatedAt: f.now}
	if err := f.svc.RecordResponse(context.Background(), resp); err != nil {
		f.t.Fatal(err)
	}
	return resp
}

// The board creates a campaign: it is valid, has a payload and its flow is
// published at once, its days begin at midnight in the service's zone;
// others may not create one, and what is wrong is said.
func TestCreateCampaign(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		c := f.created(dialogue())
		if c.ID == 0 || !langnghe.IsCampaignPayload(c.Payload) || c.FlowID != langnghe.CampaignFlowID(c.ID) || c.CreatedBy != f.board.ID {
			t.Fatalf("created: %+v", c)
		}
		if want := time.Date(2026, 3, 1, 0, 0, 0, 0, vn); !c.Opens.Equal(want) || c.Opens.Location() != vn {
			t.Errorf("opens %v, want %v", c.Opens, want)
		}
		rev, src, err := db.PublishedFlow(ctx, c.FlowID)
		if err != nil || rev != 1 || !strings.Contains(string(src), "record_response") {
			t.Fatalf("published flow: revision %d, %v\n%s", rev, err, src)
		}
		if link := c.Link("langnghe_bot"); link != "https://t.me/langnghe_bot?start="+c.Payload {
			t.Errorf("link %q", link)
		}
		got, err := f.svc.CampaignByPayload(ctx, c.Payload)
		if err != nil || got.ID != c.ID || !got.Closes.Equal(c.Closes) {
			t.Errorf("by payload: %+v, %v", got, err)
		}
		for _, p := range []string{"c_zzzzzzzzzzzzzzzz", "inv_abc", ""} {
			if _, err := f.svc.CampaignByPayload(ctx, p); langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
				t.Errorf("payload %q: %v, want ENOTFOUND", p, err)
			}
		}

		for who, off := range map[string]*langnghe.Official{"a unit official": f.unit, "nobody": nil, "a stranger": {ID: 999, Role: langnghe.RoleAdmin}} {
			err := f.svc.CreateCampaign(ctx, off, dialogue())
			if want := map[bool]string{true: langnghe.EFORBIDDEN, false: langnghe.EUNAUTHORIZED}[off == f.unit]; langnghe.ErrorCode(err) != want {
				t.Errorf("%s creates a campaign: %v, want %s", who, err, want)
			}
		}
		bad := dialogue()
		bad.Unit, bad.Areas = "no_such_unit", []string{"minh_thanh", "atlantis"}
		err = f.svc.CreateCampaign(ctx, f.board, bad)
		if langnghe.ErrorCode(err) != langnghe.EINVALID || !strings.Contains(err.Error(), "atlantis") {
			t.Errorf("an unknown area: %v", err)
		}
		bad.Areas = []string{"minh_thanh"}
		if err := f.svc.CreateCampaign(ctx, f.board, bad); langnghe.ErrorCode(err) != langnghe.EINVALID || !strings.Contains(err.Error(), "no_such_unit") {
			t.Errorf("an unknown unit: %v", err)
		}
		// A conference with no closing date takes questions up to its day.
		open := dialogue()
		open.Closes = time.Time{}
		if err := f.svc.CreateCampaign(ctx, f.board, open); err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2026, 3, 25, 0, 0, 0, 0, vn); !open.Closes.Equal(want) {
			t.Errorf("a conference without a closing date closes %v, want %v", open.Closes, want)
		}
		// The operator (the command line) may.
		point := &langnghe.Campaign{Kind: langnghe.CampaignFeedbackPoint, Title: "Trạm Y tế xã Minh Thạnh", Unit: "medical_centre", Opens: c.Opens}
		if err := f.svc.CreateCampaign(ctx, campaigns.Operator, point); err != nil || point.CreatedBy != 0 {
			t.Fatalf("the operator creates a feedback point: %v, %+v", err, point)
		}

		// Each official sees the campaigns of their scope.
		for name, want := range map[string][]int64{"board": {point.ID, open.ID, c.ID}, "unit": {open.ID, c.ID}, "outside": {point.ID}} {
			off := map[string]*langnghe.Official{"board": f.board, "unit": f.unit, "outside": f.outside}[name]
			cs, err := f.svc.Campaigns(ctx, off)
			var ids []int64
			for _, x := range cs {
				ids = append(ids, x.ID)
			}
			if err != nil || !slices.Equal(ids, want) {
				t.Errorf("%s lists %v, %v; want %v", name, ids, err, want)
			}
		}
		if _, err := f.svc.Campaign(ctx, f.outside, c.ID); langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
			t.Errorf("another unit's official opens the dialogue: %v, want ENOTFOUND", err)
		}
	})
}

// An update regenerates and publishes the conversation while nobody edited
// it in the studio, and leaves an edited one alone; a consultation's
// questions change only before the first response.
func TestUpdateCampaign(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		c := &langnghe.Campaign{Kind: langnghe.CampaignConsultation, Title: "Lấy ý kiến dự thảo quy chế chợ", Areas: []string{"minh_thanh"},
			Opens: time.Date(2026, 3, 1, 0, 0, 0, 0, vn), Closes: time.Date(2026, 3, 31, 0, 0, 0, 0, vn),
			Draft: &langnghe.Draft{Summary: "Giờ họp chợ, phí vệ sinh."},
			Questions: []langnghe.CampaignQuestion{{Key: "agree", Kind: langnghe.QuestionScale,
				Text: langnghe.Texts{langnghe.LangVI: "Ông/bà đồng ý với dự thảo?"}}}}
		if err := f.svc.CreateCampaign(ctx, f.board, c); err != nil {
			t.Fatal(err)
		}
		c.Title = "Lấy ý kiến dự thảo quy chế chợ Minh Thạnh"
		if err := f.svc.UpdateCampaign(ctx, f.board, c); err != nil {
			t.Fatal(err)
		}
		rev, src, err := db.PublishedFlow(ctx, c.FlowID)
		if err != nil || rev != 2 || !strings.Contains(string(src), "quy chế chợ Minh Thạnh") {
			t.Fatalf("after the update: revision %d, %v", rev, err)
		}
		// An admin edits the conversation in the studio: updates leave it.
		edited := strings.Replace(string(src), "Xin cảm ơn ông/bà đã góp ý.", "Xin cảm ơn ông/bà rất nhiều.", 1)
		lib := flowlib.New(catalogue.Default())
		f.tx(func(ctx context.Context, tx *storage.Tx) error {
			_, r, _, err := lib.Import(ctx, tx, "official:1", c.FlowID+".yaml", []byte(edited), 0)
			if err != nil {
				return err
			}
			return lib.Publish(ctx, tx, "official:1", c.FlowID, r)
		})
		c.Theme = "Chợ"
		if err := f.svc.UpdateCampaign(ctx, f.board, c); err != nil {
			t.Fatal(err)
		}
		if rev, src, _ := db.PublishedFlow(ctx, c.FlowID); rev != 3 || !strings.Contains(string(src), "rất nhiều") {
			t.Errorf("an edited conversation was replaced: revision %d", rev)
		}
		if got, _ := f.svc.Campaign(ctx, f.board, c.ID); got.Theme != "Chợ" {
			t.Errorf("the theme was not saved: %+v", got)
		}
		if err := f.svc.UpdateCampaign(ctx, f.unit, c); langnghe.ErrorCode(err) != langnghe.EFORBIDDEN {
			t.Errorf("a unit official updates: %v", err)
		}

		r := f.resident(langnghe.LangVI)
		resp := &langnghe.CampaignResponse{ResidentID: &r.ID, FlowID: c.FlowID, Answers: map[string]string{"agree": "4"}, CreatedAt: f.now}
		if err := f.svc.RecordResponse(ctx, resp); err != nil {
			t.Fatal(err)
		}
		c.Questions = append(c.Questions, langnghe.CampaignQuestion{Key: "other", Kind: langnghe.QuestionText, Text: langnghe.Texts{langnghe.LangVI: "Ý kiến khác"}})
		if err := f.svc.UpdateCampaign(ctx, f.board, c); langnghe.ErrorCode(err) != langnghe.ECONFLICT {
			t.Errorf("new questions after a response: %v, want ECONFLICT", err)
		}
	})
}

// A response keeps only the answers to the campaign's questions, a
// dialogue question gets its category, and a closed campaign takes none.
func TestRecordResponse(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		c := f.created(dialogue())
		r := f.resident(langnghe.LangVI)
		resp := f.ask(c, r, "Sổ đỏ đất bán ngập ven sông bao giờ được cấp?", "minh_thanh")
		if resp.CampaignID != c.ID || resp.Category != "land" || len(resp.Answers) != 1 || resp.ID == 0 {
			t.Errorf("recorded: %+v", resp)
		}
		late := &langnghe.CampaignResponse{ResidentID: &r.ID, FlowID: c.FlowID, CreatedAt: time.Date(2026, 3, 21, 0, 30, 0, 0, vn),
			Answers: map[string]string{langnghe.DialogueQuestionKey: "Hỏi muộn một chút"}}
		if err := f.svc.RecordResponse(ctx, late); langnghe.ErrorCode(err) != langnghe.ECONFLICT {
			t.Errorf("a response after the closing day: %v, want ECONFLICT", err)
		}
		lastDay := &langnghe.CampaignResponse{ResidentID: &r.ID, FlowID: c.FlowID, CreatedAt: time.Date(2026, 3, 20, 23, 30, 0, 0, vn),
			Answers: map[string]string{langnghe.DialogueQuestionKey: "Hỏi vào ngày cuối"}}
		if err := f.svc.RecordResponse(ctx, lastDay); err != nil {
			t.Errorf("a response on the closing day: %v", err)
		}
		unknown := &langnghe.CampaignResponse{FlowID: "send_opinion", CreatedAt: f.now}
		if err := f.svc.RecordResponse(ctx, unknown); langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
			t.Errorf("a response through a flow of no campaign: %v", err)
		}
	})
}

// The small set of grouping's tests, as residents send them.
var questions = []string{
	"Khi nào xã nạo vét lòng sông Thị Tính? Sông bị bồi lắng cạn quá rồi.",
	"bao gio nao vet song thi tinh vay a",
	"Bờ sông Thị Tính đoạn ấp Bến Súc sạt lở mạnh, khi nào làm kè?",
	"Đất bán ngập ven sông có được cấp sổ đỏ không?",
	"sat lo bo song gan nha toi, xin xa cho xay ke chong sat lo",
	"dat ban ngap co duoc cap giay chung nhan quyen su dung dat khong",
	"Đề nghị nạo vét sông Thị Tính vì bùn bồi lấp lòng sông.",
	"Đường vào ấp Hòa Thuận hư hỏng nặng, ổ gà nhiều, khi nào sửa?",
	"duong ap 3 xuong cap, o ga nhieu, bao gio sua",
}

// layout writes groups as question numbers (1-based positions in asked),
// "1 2 7 | 3 5 | …", largest first.
func layout(groups []*langnghe.QuestionGroup, asked []*langnghe.CampaignResponse) string {
	var parts []string
	for _, g := range groups {
		var ns []string
		for _, m := range g.Members {
			for i, a := range asked {
				if a.ID == m {
					ns = append(ns, fmt.Sprint(i+1))
				}
			}
		}
		parts = append(parts, strings.Join(ns, " "))
	}
	return strings.Join(parts, " | ")
}

// Questions are grouped when the groups are read; the board's merge, split
// and rename hold when more questions come; an answered group is final, and
// its answer reaches every asker once, in their language.
func TestGroupsAndAnswers(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		c := f.created(dialogue())
		var asked []*langnghe.CampaignResponse
		var askers []*langnghe.Resident
		for i, q := range questions {
			lang := langnghe.LangVI
			if i == 6 {
				lang = langnghe.LangEN
			}
			r := f.resident(lang)
			askers = append(askers, r)
			asked = append(asked, f.ask(c, r, q, []string{"minh_thanh", "long_hoa"}[i%2]))
		}
		// The first asker asks again, in other words.
		asked = append(asked, f.ask(c, askers[0], "Xin hỏi bao giờ nạo vét sông Thị Tính?", "minh_thanh"))

		groups, err := f.svc.Groups(ctx, f.board, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := layout(groups, asked), "1 2 7 10 | 3 5 | 4 6 | 8 9"; got != want {
			t.Fatalf("groups\n got %s\nwant %s", got, want)
		}
		river, bank, land, road := groups[0], groups[1], groups[2], groups[3]
		if river.Title != questions[0] || river.Category != "environment" || river.DueAt.IsZero() {
			t.Errorf("the river group: %+v", river)
		}
		if again, err := f.svc.Groups(ctx, f.unit, c.ID); err != nil || layout(again, asked) != layout(groups, asked) || again[0].ID != river.ID {
			t.Errorf("read again by the unit: %v, %v", again, err)
		}
		if _, err := f.svc.Groups(ctx, f.outside, c.ID); langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
			t.Errorf("another unit's official reads the groups: %v", err)
		}

		// The board: the road questions are about two roads; the bank and
		// the land are one issue at the conference; the river gets a name.
		if _, err := f.svc.SplitGroup(ctx, f.unit, road.ID, []int64{asked[8].ID}); langnghe.ErrorCode(err) != langnghe.EFORBIDDEN {
			t.Errorf("a unit official splits: %v", err)
		}
		split, err := f.svc.SplitGroup(ctx, f.board, road.ID, []int64{asked[8].ID})
		if err != nil || !slices.Equal(split.Members, []int64{asked[8].ID}) || split.ID == road.ID || !split.Fixed {
			t.Fatalf("split: %+v, %v", split, err)
		}
		merged, err := f.svc.MergeGroups(ctx, f.board, c.ID, []int64{bank.ID, land.ID})
		if err != nil || merged.ID != bank.ID || len(merged.Members) != 4 {
			t.Fatalf("merge: %+v, %v", merged, err)
		}
		if err := f.svc.RenameGroup(ctx, f.board, river.ID, "Nạo vét sông Thị Tính"); err != nil {
			t.Fatal(err)
		}
		// More questions come: one joins the river, one the merged group,
		// one stands alone; the board's groups hold.
		late := f.resident(langnghe.LangZH)
		asked = append(asked, f.ask(c, late, "nao vet song thi tinh khi nao lam", "long_hoa"))
		asked = append(asked, f.ask(c, f.resident(langnghe.LangVI), "Chó thả rông cắn trẻ em, đề nghị phạt chủ nuôi.", "minh_thanh"))
		groups, err = f.svc.Groups(ctx, f.board, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := layout(groups, asked), "1 2 7 10 11 | 3 4 5 6 | 8 | 9 | 12"; got != want {
			t.Fatalf("groups after the board's edits and two more questions\n got %s\nwant %s", got, want)
		}
		if groups[0].ID != river.ID || groups[0].Title != "Nạo vét sông Thị Tính" || !groups[0].Renamed || groups[1].ID != bank.ID ||
			groups[2].ID != road.ID || groups[3].ID != split.ID {
			t.Errorf("the board's groups lost their ids or names: %+v", groups)
		}

		// The answer: each asker once (the first asked twice), in their
		// language; the group is final.
		answer := langnghe.GroupAnswer{Text: "Quý II năm 2026 UBND xã sẽ nạo vét đoạn sông qua ấp Bến Súc.",
			AnsweredBy: "Ông Nguyễn Văn Bình, Chủ tịch UBND xã", At: time.Date(2026, 3, 25, 10, 0, 0, 0, vn)}
		if err := f.svc.AnswerGroup(ctx, f.outside, river.ID, answer); langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
			t.Errorf("another unit's official answers: %v", err)
		}
		if err := f.svc.AnswerGroup(ctx, f.unit, river.ID, answer); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.AnswerGroup(ctx, f.board, river.ID, answer); langnghe.ErrorCode(err) != langnghe.ECONFLICT {
			t.Errorf("a second answer: %v, want ECONFLICT", err)
		}
		sent := map[string][]string{}
		for _, r := range []*langnghe.Resident{askers[0], askers[1], askers[6], late} {
			msgs, err := db.TakeChat(ctx, langnghe.ChannelTelegram, r.ChatID)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range msgs {
				sent[r.Language] = append(sent[r.Language], m.Message.Text)
				if b := m.Message.Buttons; len(b) != 1 || len(b[0]) != 2 || b[0][0].Data != langnghe.CampaignRatingData(river.ID, langnghe.RatingSatisfied) ||
					b[0][1].Data != langnghe.CampaignRatingData(river.ID, langnghe.RatingNotSatisfied) {
					t.Errorf("the answer's rating buttons: %+v", b)
				}
			}
			if len(msgs) != 1 {
				t.Errorf("resident %s got %d messages: %v", r.ChatID, len(msgs), msgs)
			}
		}
		if depth, _, _ := db.OutboxStats(ctx); depth != 0 {
			t.Errorf("%d more messages queued: only the four askers are told", depth)
		}
		vi := "Chúng tôi xin gửi ông/bà câu trả lời cho câu hỏi ông/bà gửi hội nghị đối thoại «Hội nghị đối thoại xã Minh Thạnh năm 2026»:\n" +
			"“Khi nào xã nạo vét lòng sông Thị Tính? Sông bị bồi lắng cạn quá rồi.”\n\n" +
			"Quý II năm 2026 UBND xã sẽ nạo vét đoạn sông qua ấp Bến Súc.\n\n— Ông Nguyễn Văn Bình, Chủ tịch UBND xã, ngày 25/03/2026\n\n" +
			"Xin cảm ơn ông/bà đã tham gia. Khi cần, ông/bà gõ /menu."
		if len(sent[langnghe.LangVI]) != 2 || sent[langnghe.LangVI][0] != vi {
			t.Errorf("in Vietnamese:\n%q\nwant first\n%q", sent[langnghe.LangVI], vi)
		}
		if en := sent[langnghe.LangEN]; len(en) != 1 || !strings.HasPrefix(en[0], "The answer to your question for the dialogue conference «") {
			t.Errorf("in English: %q", en)
		}
		if zh := sent[langnghe.LangZH]; len(zh) != 1 || !strings.HasPrefix(zh[0], "您向对话会议") || !strings.Contains(zh[0], "2026年3月25日") {
			t.Errorf("in Chinese: %q", zh)
		}
		// The askers rate the answer once each; forged data and a group
		// whose answer was not sent to the presser record nothing.
		rate := func(r *langnghe.Resident, data string) string {
			t.Helper()
			var m langnghe.Message
			f.tx(func(ctx context.Context, tx *storage.Tx) (err error) {
				m, err = f.svc.RateAnswer(ctx, tx, r.ID, r.Language, data)
				return err
			})
			return m.Text
		}
		satisfied, notSatisfied := langnghe.CampaignRatingData(river.ID, langnghe.RatingSatisfied), langnghe.CampaignRatingData(river.ID, langnghe.RatingNotSatisfied)
		for _, p := range []struct {
			r          *langnghe.Resident
			data, want string
		}{
			{askers[0], satisfied, "Xin cảm ơn ông/bà đã đánh giá câu trả lời"},
			{askers[0], notSatisfied, "Ông/bà đã đánh giá câu trả lời này: hài lòng."},
			{askers[1], notSatisfied, "Chúng tôi đã ghi nhận ông/bà chưa hài lòng"},
			{askers[6], satisfied, "Thank you for rating the answer"},
			{askers[2], satisfied, "Không tìm thấy câu trả lời này"}, // asked of another group
			{askers[2], langnghe.CampaignRatingData(bank.ID, langnghe.RatingSatisfied), "Không tìm thấy câu trả lời này"},
			{askers[2], "ca:s:", "Không tìm thấy"},
			{askers[2], "ca:x:" + strings.TrimPrefix(satisfied, "ca:s:"), "Không tìm thấy"},
			{askers[2], "ca:s:-1", "Không tìm thấy"},
			{askers[2], "ca:s:zzzzzzzzzzzzzzzzzzzz", "Không tìm thấy"},
			{askers[2], satisfied + ":1", "Không tìm thấy"},
		} {
			if got := rate(p.r, p.data); !strings.HasPrefix(got, p.want) {
				t.Errorf("resident %s presses %q: %q, want %q…", p.r.ChatID, p.data, got, p.want)
			}
		}
		if _, err := f.svc.MergeGroups(ctx, f.board, c.ID, []int64{bank.ID, river.ID}); langnghe.ErrorCode(err) != langnghe.ECONFLICT {
			t.Errorf("merging an answered group: %v, want ECONFLICT", err)
		}
		// A new question on the answered issue is grouped apart from it.
		asked = append(asked, f.ask(c, f.resident(langnghe.LangVI), "Bao giờ nạo vét sông Thị Tính vậy?", "minh_thanh"))
		groups, err = f.svc.Groups(ctx, f.board, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := layout(groups, asked); !strings.HasPrefix(got, "1 2 7 10 11 | 3 4 5 6 |") || !strings.Contains(got, "| 13") {
			t.Errorf("after a question on the answered issue: %s", got)
		}

		res, err := f.svc.Results(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if res.Participants != 12 || res.Responses != 13 || len(res.Groups) != len(groups) || res.Groups[0].Count != 5 ||
			res.Groups[0].Answer == nil || res.Groups[0].Answer.RecordedBy != 0 ||
			res.Groups[0].Ratings == nil || *res.Groups[0].Ratings != (langnghe.AnswerRatings{Satisfied: 2, NotSatisfied: 1}) || res.Groups[1].Ratings != nil {
			t.Errorf("results: %+v", res)
		}
		qs, err := f.svc.CampaignQuestions(ctx, f.unit, c.ID)
		if err != nil || len(qs) != 13 || qs[0].ResidentID != nil || qs[0].GroupID != river.ID {
			t.Errorf("the question sheet: %+v, %v", qs, err)
		}
	})
}
