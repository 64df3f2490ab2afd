package console_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"regexp"
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
	"langnghe/storage"
	"langnghe/storage/storagetest"
	"langnghe/web/console"
)

// newCampaignService is the campaign service cmd/langnghe wires, on db.
func newCampaignService(t *testing.T, db *storage.DB, now func() time.Time) *campaigns.Service {
	t.Helper()
	cat := catalogue.Default()
	cl, err := classify.New(cat)
	if err != nil {
		t.Fatal(err)
	}
	return campaigns.New(db, flowlib.New(cat), cat, cl, calendar.Default(officeZone), campaigns.Options{TimeZone: officeZone, Now: now})
}

// testBot is the bot's name the campaign pages make deep links with.
const testBot = "langnghe_test_bot"

// campaignOffice is the office with the campaign pages on the campaign
// service cmd/langnghe wires.
type campaignOffice struct {
	*office
	svc   langnghe.CampaignService
	board *langnghe.Official // who creates the seeded campaigns
	// residentIDs are the seeded residents', once stored.
	residentIDs []int64
}

func newCampaignOffice(t *testing.T, db *storage.DB) *campaignOffice {
	t.Helper()
	co := &campaignOffice{}
	co.office = newOffice(t, db, func(opts *console.Options) {
		co.svc = newCampaignService(t, db, opts.Now)
		opts.Campaigns, opts.BotUsername = co.svc, testBot
	})
	co.board = &langnghe.Official{Name: "Ban Dân vận xã", Role: langnghe.RoleBoard, Channel: langnghe.ChannelTelegram,
		ExternalID: "6001", ChatID: "6001"}
	err := db.InTx(context.Background(), func(tx *storage.Tx) error { return tx.CreateOfficial(context.Background(), co.board) })
	if err != nil {
		t.Fatal(err)
	}
	return co
}

// seedResident is a resident with a name and a phone the public page must
// never show.
type seedResident struct {
	name, phone, area string
}

// seededResidents take part in the seeded campaigns.
var seededResidents = []seedResident{
	{"Nguyễn Văn An", "0901234567", "minh_thanh"},
	{"Trần Thị Bích", "0912345678", "minh_thanh"},
	{"Lê Hoàng Cường", "0987654321", "long_hoa"},
	{"Phạm Thị Dung", "0933111222", "long_hoa"},
	{"Võ Minh Em", "0978000111", "minh_thanh"},
	{"Đặng Văn Phúc", "0366777888", "long_hoa"},
	{"Huỳnh Thị Giang", "0855999000", ""},
}

// residents stores the seeded residents, once, and returns their ids.
func (co *campaignOffice) residents() []int64 {
	co.t.Helper()
	if co.residentIDs != nil {
		return co.residentIDs
	}
	ctx := context.Background()
	ids := make([]int64, len(seededResidents))
	err := co.db.InTx(ctx, func(tx *storage.Tx) error {
		for i, s := range seededResidents {
			chat := fmt.Sprint(5100 + i)
			r := &langnghe.Resident{Channel: langnghe.ChannelTelegram, ExternalID: chat, ChatID: chat, Name: s.name, Phone: s.phone,
				Language: langnghe.LangVI}
			if err := tx.SaveResident(ctx, r); err != nil {
				return err
			}
			ids[i] = r.ID
		}
		return nil
	})
	if err != nil {
		co.t.Fatal(err)
	}
	co.residentIDs = ids
	return ids
}

// conferenceQuestions are a conference's questions, as residents typed
// them (with and without diacritics), and the groups they form: the same
// issue in other words together (campaign/grouping's small set).
var conferenceQuestions = []string{
	"Khi nào xã nạo vét lòng sông Thị Tính? Sông bị bồi lắng cạn quá rồi.",
	"bao gio nao vet song thi tinh vay a",
	"Bờ sông Thị Tính đoạn ấp Bến Súc sạt lở mạnh, khi nào làm kè?",
	"Đất bán ngập ven sông có được cấp sổ đỏ không?",
	"sat lo bo song gan nha toi, xin xa cho xay ke chong sat lo. Goi toi 0912 345 678",
	"dat ban ngap co duoc cap giay chung nhan quyen su dung dat khong",
	"Đề nghị nạo vét sông Thị Tính vì bùn bồi lấp lòng sông.",
	"Đường vào ấp Hòa Thuận hư hỏng nặng, ổ gà nhiều, khi nào sửa?",
	"duong ap 3 xuong cap, o ga nhieu, bao gio sua",
	"Xe tải chở cát quá tải chạy ngày đêm.",
	"Thủ tục cấp sổ đỏ lần đầu cần những giấy tờ gì?",
	"xe tai qua tai chay vao duong ap ban dem",
	"lam so do lan dau can giay to gi",
	"Chó thả rông cắn trẻ em, đề nghị phạt chủ nuôi.",
}

// conferenceGroups are the groups of conferenceQuestions, by question
// index, largest first.
var conferenceGroups = [][]int{{0, 1, 6}, {2, 4}, {3, 5}, {7, 8}, {9, 11}, {10, 12}, {13}}

// dialogue creates a dialogue conference of Minh Thạnh and Long Hòa and
// the residents' questions; it returns the campaign and the questions'
// response ids in conferenceQuestions' order.
func (co *campaignOffice) dialogue() (*langnghe.Campaign, []int64) {
	co.t.Helper()
	ctx := context.Background()
	day := time.Date(co.now.Year(), co.now.Month(), co.now.Day(), 0, 0, 0, 0, officeZone)
	cp := &langnghe.Campaign{Kind: langnghe.CampaignDialogue, Title: "Hội nghị đối thoại xã Minh Thạnh năm 2026",
		Theme: "Môi trường và sử dụng đất bán ngập ven sông Thị Tính", Areas: []string{"minh_thanh", "long_hoa"},
		Opens: day.AddDate(0, 0, -10), Closes: day.AddDate(0, 0, 5),
		Conference: &langnghe.Conference{At: day.AddDate(0, 0, 10).Add(8 * time.Hour), Place: "Hội trường UBND xã Minh Thạnh",
			Hosts: []string{"Ông Nguyễn Văn Bình, Chủ tịch UBND xã", "Bà Lê Thị Hạnh, Phó Chủ tịch UBND xã"}}}
	if err := co.svc.CreateCampaign(ctx, co.board, cp); err != nil {
		co.t.Fatal(err)
	}
	residents := co.residents()
	var ids []int64
	for i, q := range conferenceQuestions {
		who := i % len(residents)
		r := &langnghe.CampaignResponse{CampaignID: cp.ID, ResidentID: &residents[who], AreaCode: seededResidents[who].area,
			Language: langnghe.LangVI, Answers: map[string]string{langnghe.DialogueQuestionKey: q}, FlowID: cp.FlowID, FlowRevision: 1}
		if err := co.svc.RecordResponse(ctx, r); err != nil {
			co.t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	return cp, ids
}

// consultationAnswers are a consultation's responses: the area, then the
// answers to the choice, the scale and the free text.
var consultationAnswers = []struct{ area, choice, scale, text string }{
	{"minh_thanh", "dong_y", "5", "Nên mở rộng đường ra chợ"},
	{"minh_thanh", "dong_y", "4", "nen mo rong duong ra cho"},
	{"long_hoa", "khong_dong_y", "2", "Cần bồi thường thỏa đáng cho các hộ bị giải tỏa"},
	{"long_hoa", "dong_y", "4", ""},
	{"minh_thanh", "y_kien_khac", "3", "Gọi tôi 0987654321 để trao đổi thêm"},
}

// consultation creates a consultation with a choice, a scale and a free
// text, and the seeded residents' answers.
func (co *campaignOffice) consultation() *langnghe.Campaign {
	co.t.Helper()
	ctx := context.Background()
	day := time.Date(co.now.Year(), co.now.Month(), co.now.Day(), 0, 0, 0, 0, officeZone)
	cp := &langnghe.Campaign{Kind: langnghe.CampaignConsultation, Title: "Lấy ý kiến dự thảo quy hoạch chợ Minh Thạnh",
		Theme: "Mở rộng chợ và đường vào chợ", Areas: []string{"minh_thanh", "long_hoa"}, Opens: day.AddDate(0, 0, -3), Closes: day.AddDate(0, 0, 20),
		Draft: &langnghe.Draft{Summary: "Mở rộng chợ Minh Thạnh thêm 2.000 m² và làm đường vào rộng 12 m.", Link: "https://minhthanh.example.vn/du-thao-cho"},
		Questions: []langnghe.CampaignQuestion{
			{Key: "q1", Kind: langnghe.QuestionChoice, Text: langnghe.Texts{langnghe.LangVI: "Quý vị có đồng ý với dự thảo không?"},
				Options: []langnghe.QuestionOption{{Value: "dong_y", Label: langnghe.Texts{langnghe.LangVI: "Đồng ý"}},
					{Value: "khong_dong_y", Label: langnghe.Texts{langnghe.LangVI: "Không đồng ý"}},
					{Value: "y_kien_khac", Label: langnghe.Texts{langnghe.LangVI: "Ý kiến khác"}}}},
			{Key: "q2", Kind: langnghe.QuestionScale, Text: langnghe.Texts{langnghe.LangVI: "Dự thảo cần thiết đến mức nào?"}},
			{Key: "q3", Kind: langnghe.QuestionText, Optional: true, Text: langnghe.Texts{langnghe.LangVI: "Góp ý khác"}},
		}}
	if err := co.svc.CreateCampaign(ctx, co.board, cp); err != nil {
		co.t.Fatal(err)
	}
	residents := co.residents()
	for i, a := range consultationAnswers {
		answers := map[string]string{"q1": a.choice, "q2": a.scale}
		if a.text != "" {
			answers["q3"] = a.text
		}
		r := &langnghe.CampaignResponse{CampaignID: cp.ID, ResidentID: &residents[i], AreaCode: a.area, Language: langnghe.LangVI,
			Answers: answers, FlowID: cp.FlowID, FlowRevision: 1}
		if err := co.svc.RecordResponse(ctx, r); err != nil {
			co.t.Fatal(err)
		}
	}
	return cp
}

// download gets path as the signed-in official, failing the test unless
// it answers 200, and returns its content type and body.
func (s *officeSession) download(path string) (string, []byte) {
	s.o.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.o.srv.URL+path, nil)
	req.AddCookie(s.cookie)
	resp, err := client().Do(req)
	if err != nil {
		s.o.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		s.o.t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
	}
	return resp.Header.Get("Content-Type"), body
}

// campaignID reads the campaign's id from its page's address.
func campaignIDOf(t *testing.T, location string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(location, "/console/campaigns/%d", &id); err != nil {
		t.Fatalf("%q is not a campaign's page", location)
	}
	return id
}

// The board creates a dialogue conference in the form. A refused form
// comes back with every problem in Vietnamese and what was typed; a
// complete one makes the campaign, whose page has its deep link and QR
// code. A unit official may neither open the form nor post it.
func TestCampaignForm(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		co := newCampaignOffice(t, db)
		board := co.signIn("Ban Dân vận", langnghe.RoleBoard)
		status, page := board.get("/console/campaigns/new?kind=dialogue")
		if status != http.StatusOK || !strings.Contains(page, `id="kind-dialogue" checked`) {
			t.Fatalf("new dialogue form: %d", status)
		}
		form := url.Values{"kind": {"dialogue"}, "title": {"Hội nghị đối thoại xã Minh Thạnh năm 2026"}, "theme": {"Đất bán ngập <ven sông>"},
			"opens": {"2026-11-20"}, "closes": {"2026-12-05"}, "conf_date": {"2026-11-10"}, "conf_time": {"8h00"},
			"hosts": {"Ông Nguyễn Văn Bình, Chủ tịch UBND xã\n\nBà Lê Thị Hạnh"}, "action": {"save"}}
		status, _, page = board.post("/console/campaigns", form)
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("a form without areas or place: %d, want 422", status)
		}
		problems := between(page, `id="form-problems"`, `</div>`)
		for _, want := range []string{"cần chọn ít nhất một địa bàn", "Địa điểm hội nghị", "trước ngày bắt đầu nhận câu hỏi"} {
			if !strings.Contains(strings.ToLower(problems), strings.ToLower(want)) {
				t.Errorf("the problems %q do not say %q", problems, want)
			}
		}
		for _, kept := range []string{`>Hội nghị đối thoại xã Minh Thạnh năm 2026</textarea>`, `Đất bán ngập &lt;ven sông&gt;</textarea>`,
			`value="2026-11-20"`, `value="2026-12-05"`, "Ông Nguyễn Văn Bình, Chủ tịch UBND xã\n\nBà Lê Thị Hạnh</textarea>"} {
			if !strings.Contains(page, kept) {
				t.Errorf("the refused form lost %q", kept)
			}
		}
		form.Set("conf_date", "2026-12-10")
		form.Set("conf_time", "25:00")
		form["areas"] = []string{"minh_thanh", "long_hoa"}
		form.Set("place", "Hội trường UBND xã Minh Thạnh")
		status, _, page = board.post("/console/campaigns", form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "Giờ bắt đầu: &#34;25:00&#34; không phải giờ hợp lệ") {
			t.Fatalf("an impossible hour: %d %q", status, between(page, `id="form-problems"`, `</div>`))
		}
		if !strings.Contains(page, `id="area-minh_thanh" checked`) || !strings.Contains(page, `id="area-long_hoa" checked`) {
			t.Error("the refused form lost the ticked areas")
		}
		form.Set("conf_time", "08:00")
		status, location, _ := board.post("/console/campaigns", form)
		if status != http.StatusSeeOther || !strings.HasSuffix(location, "?done=created") {
			t.Fatalf("create: %d %q", status, location)
		}
		id := campaignIDOf(t, location)
		cp, err := co.svc.Campaign(context.Background(), co.board, id)
		if err != nil {
			t.Fatal(err)
		}
		if cp.Conference == nil || !cp.Conference.At.Equal(time.Date(2026, 12, 10, 8, 0, 0, 0, officeZone)) ||
			!slices.Equal(cp.Conference.Hosts, []string{"Ông Nguyễn Văn Bình, Chủ tịch UBND xã", "Bà Lê Thị Hạnh"}) ||
			!slices.Equal(cp.Areas, []string{"minh_thanh", "long_hoa"}) || !cp.Opens.Equal(time.Date(2026, 11, 20, 0, 0, 0, 0, officeZone)) {
			t.Errorf("stored %+v with %+v", cp, cp.Conference)
		}
		_, page = board.get(location)
		link := "https://t.me/" + testBot + "?start=" + cp.Payload
		if !strings.Contains(page, `href="`+link+`" id="deep-link"`) || !strings.Contains(page, "Đã tạo đợt lấy ý kiến") {
			t.Errorf("the campaign's page has no deep link %s", link)
		}

		// The QR code, as PNG and SVG.
		kind, body := board.download(fmt.Sprintf("/console/campaigns/%d/qr.png", id))
		img, err := png.Decode(bytes.NewReader(body))
		if kind != "image/png" || err != nil || img.Bounds().Dx() < 300 || img.Bounds().Dx() != img.Bounds().Dy() {
			t.Errorf("qr.png: %s, %v", kind, err)
		}
		if kind, svg := board.download(fmt.Sprintf("/console/campaigns/%d/qr.svg", id)); kind != "image/svg+xml" || !bytes.Contains(svg, []byte("<svg")) {
			t.Errorf("qr.svg: %s", kind)
		}

		// A unit official sees no form.
		unit := co.signIn("Cán bộ UBND xã", langnghe.RoleUnit, "ubnd_minh_thanh")
		if status, _ := unit.get("/console/campaigns/new"); status != http.StatusForbidden {
			t.Errorf("a unit official opens the form: %d", status)
		}
		if status, _, _ := unit.post("/console/campaigns", form); status != http.StatusForbidden {
			t.Errorf("a unit official posts the form: %d", status)
		}
		if _, page := unit.get("/console/campaigns"); strings.Contains(page, "/console/campaigns/new") {
			t.Error("the list offers a unit official to create a campaign")
		}
	})
}

// A feedback point needs its unit and never closes: a closing date typed
// before switching to it (the form then hides the field) is not held
// against it. Its poster is headed by the unit and asks for ratings.
func TestCampaignFeedbackPointForm(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		co := newCampaignOffice(t, db)
		board := co.signIn("Ban Dân vận", langnghe.RoleBoard)
		form := url.Values{"kind": {"feedback_point"}, "title": {"Điểm lấy ý kiến Bộ phận một cửa"}, "opens": {"2026-11-26"},
			"closes": {"2026-12-31"}, "conf_date": {"2026-12-01"}, "action": {"save"}}
		status, _, page := board.post("/console/campaigns", form)
		problems := between(page, `id="form-problems"`, `</div>`)
		if status != http.StatusUnprocessableEntity || !strings.Contains(problems, "Điểm lấy ý kiến cần có đơn vị được đánh giá") ||
			strings.Contains(problems, "ngày kết thúc") || strings.Contains(problems, "hội nghị") {
			t.Fatalf("a feedback point without its unit: %d %q", status, problems)
		}
		form.Set("unit", "ubnd_minh_thanh")
		status, location, page := board.post("/console/campaigns", form)
		if status != http.StatusSeeOther {
			t.Fatalf("create: %d %q", status, between(page, `id="form-problems"`, `</div>`))
		}
		id := campaignIDOf(t, location)
		cp, err := co.svc.Campaign(context.Background(), co.board, id)
		if err != nil || cp.Unit != "ubnd_minh_thanh" || !cp.Closes.IsZero() || cp.Conference != nil {
			t.Fatalf("stored %+v (%v)", cp, err)
		}
		_, page = board.get(fmt.Sprintf("/console/campaigns/%d/poster", id))
		if !strings.Contains(page, `<p class="organiser">UBND xã Minh Thạnh</p>`) || !strings.Contains(page, "Chấm điểm từ 1 đến 5") {
			t.Errorf("the feedback point's poster: %s", between(page, `<article class="poster"`, `</article>`))
		}
	})
}

// A consultation's questions are written in the form: «add a question»
// shows one more with everything kept, options become values from their
// labels, and empty questions are left out. Editing keeps the keys.
func TestCampaignConsultationForm(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		co := newCampaignOffice(t, db)
		board := co.signIn("Ban Dân vận", langnghe.RoleBoard)
		form := url.Values{"kind": {"consultation"}, "title": {"Lấy ý kiến dự thảo quy hoạch chợ"}, "areas": {"minh_thanh"},
			"opens": {"26/11/2026"}, "closes": {"2026-12-20"}, "summary": {"Mở rộng chợ thêm 2.000 m²."}, "link": {"https://example.vn/du-thao"},
			"questions": {"3"}, "q1_text": {"Quý vị có đồng ý không?"}, "q1_kind": {"choice"}, "q1_options": {"Đồng ý\r\nKhông đồng ý\r\n\r\nÝ kiến khác"},
			"q2_text": {"Mức cần thiết?"}, "q2_kind": {"scale"}, "q3_kind": {"text"}, "action": {"add-question"}}
		status, _, page := board.post("/console/campaigns", form)
		if status != http.StatusOK || !strings.Contains(page, `id="q4-text"`) || !strings.Contains(page, "Đồng ý\nKhông đồng ý\n\nÝ kiến khác</textarea>") {
			t.Fatalf("add a question: %d", status)
		}
		if n := strings.Count(page, `<fieldset class="question"`); n != 4 {
			t.Errorf("%d questions after adding one, want 4", n)
		}
		form.Set("questions", "4")
		form.Set("q4_text", "Góp ý khác")
		form.Set("q4_kind", "text")
		form.Set("q4_optional", "1")
		form.Set("action", "save")
		status, location, page := board.post("/console/campaigns", form)
		if status != http.StatusSeeOther {
			t.Fatalf("create: %d %q", status, between(page, `id="form-problems"`, `</div>`))
		}
		id := campaignIDOf(t, location)
		cp, err := co.svc.Campaign(context.Background(), co.board, id)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, q := range cp.Questions {
			s := q.Key + ":" + string(q.Kind)
			for _, o := range q.Options {
				s += " " + o.Value + "=" + o.Label[langnghe.LangVI]
			}
			if q.Optional {
				s += " optional"
			}
			got = append(got, s)
		}
		want := []string{"q1:choice dong_y=Đồng ý khong_dong_y=Không đồng ý y_kien_khac=Ý kiến khác", "q2:scale", "q3:text optional"}
		if !slices.Equal(got, want) {
			t.Errorf("questions %q, want %q", got, want)
		}

		// Editing: the kind stays, the keys stay, the title changes.
		status, page = board.get(fmt.Sprintf("/console/campaigns/%d/edit", id))
		if status != http.StatusOK || !strings.Contains(page, `name="q3_key" value="q3"`) || strings.Contains(page, `id="kind-dialogue"`) {
			t.Fatalf("edit form: %d", status)
		}
		edit := url.Values{"kind": {"dialogue"}, "title": {"Lấy ý kiến dự thảo quy hoạch chợ Minh Thạnh"}, "areas": {"minh_thanh", "long_hoa"},
			"opens": {"2026-11-26"}, "closes": {"2026-12-20"}, "summary": {"Mở rộng chợ thêm 2.000 m²."}, "link": {"https://example.vn/du-thao"},
			"questions": {"3"}, "q1_key": {"q1"}, "q1_text": {"Quý vị có đồng ý không?"}, "q1_kind": {"choice"}, "q1_options": {"Đồng ý\nKhông đồng ý\nÝ kiến khác"},
			"q2_key": {"q3"}, "q2_text": {"Góp ý khác"}, "q2_kind": {"text"}, "q2_optional": {"1"}, "q3_kind": {"choice"}}
		status, location, page = board.post(fmt.Sprintf("/console/campaigns/%d", id), edit)
		if status != http.StatusSeeOther || !strings.HasSuffix(location, "?done=updated") {
			t.Fatalf("edit: %d %q", status, between(page, `id="form-problems"`, `</div>`))
		}
		cp, err = co.svc.Campaign(context.Background(), co.board, id)
		if err != nil {
			t.Fatal(err)
		}
		if cp.Kind != langnghe.CampaignConsultation || cp.Title != "Lấy ý kiến dự thảo quy hoạch chợ Minh Thạnh" || len(cp.Questions) != 2 || cp.Questions[1].Key != "q3" {
			t.Errorf("after editing: %s %q %+v", cp.Kind, cp.Title, cp.Questions)
		}
	})
}

// sheetGroups are the groups the sheet lists: their ids and counts, in
// the sheet's order.
var sheetRow = regexp.MustCompile(`<tr id="group-(\d+)" data-group="\d+">\s*<td class="n">(?:<input[^>]*> )?<b>(\d+)</b></td>\s*<td class="count"><span class="group-count">(\d+)</span>`)

func sheetCounts(page string) []string {
	var out []string
	for _, m := range sheetRow.FindAllStringSubmatch(page, -1) {
		out = append(out, m[3])
	}
	return out
}

// The question sheet groups a conference's questions by theme and count;
// the board merges, splits and renames groups, and records an answer,
// which a refused form keeps; unanswered groups are listed as commitments.
// The Excel export has the same groups and every question, without who
// sent it.
func TestQuestionSheet(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		co := newCampaignOffice(t, db)
		cp, ids := co.dialogue()
		board := co.signIn("Ban Dân vận", langnghe.RoleBoard)
		sheet := fmt.Sprintf("/console/campaigns/%d/questions", cp.ID)
		status, page := board.get(sheet)
		if status != http.StatusOK {
			t.Fatalf("sheet: %d", status)
		}
		counts := sheetCounts(page)
		slices.Sort(counts)
		if want := []string{"1", "2", "2", "2", "2", "2", "3"}; !slices.Equal(counts, want) {
			t.Fatalf("group sizes %v, want %v", counts, want)
		}
		if got := between(page, `data-figure="questions">`, `<`); got != "14" {
			t.Errorf("%s questions on the sheet, want 14", got)
		}
		groupOf := func(q int) string { return fmt.Sprint(slices.Min(groupIDsOf(t, co, cp, ids[q]))) }
		dredging, erosion := groupOf(0), groupOf(2)

		// Merge two groups: one group of five.
		status, location, _ := board.post(fmt.Sprintf("/console/campaigns/%d/groups/merge", cp.ID), url.Values{"groups": {dredging, erosion}})
		if status != http.StatusSeeOther || !strings.Contains(location, "done=merge") {
			t.Fatalf("merge: %d %q", status, location)
		}
		_, page = board.get(location)
		if counts := sheetCounts(page); len(counts) != 6 || !slices.Contains(counts, "5") || !strings.Contains(page, "Đã gộp các nhóm") {
			t.Errorf("after merging: %v", counts)
		}
		// A merge of one group is refused, in Vietnamese.
		status, _, page = board.post(fmt.Sprintf("/console/campaigns/%d/groups/merge", cp.ID), url.Values{"groups": {dredging}})
		if status != http.StatusBadRequest || !strings.Contains(page, "Xin đánh dấu ít nhất hai nhóm để gộp") {
			t.Errorf("merging one group: %d", status)
		}
		// Split the erosion questions off again.
		merged := groupIDsOf(t, co, cp, ids[0])
		status, _, _ = board.post(fmt.Sprintf("/console/campaigns/%d/groups/%d/split", cp.ID, merged[0]),
			url.Values{"members": {fmt.Sprint(ids[2]), fmt.Sprint(ids[4])}})
		if status != http.StatusSeeOther {
			t.Fatalf("split: %d", status)
		}
		_, page = board.get(sheet)
		counts = sheetCounts(page)
		slices.Sort(counts)
		if want := []string{"1", "2", "2", "2", "2", "2", "3"}; !slices.Equal(counts, want) {
			t.Errorf("after splitting: %v, want %v", counts, want)
		}
		// Rename.
		group := groupIDsOf(t, co, cp, ids[7])[0]
		status, _, _ = board.post(fmt.Sprintf("/console/campaigns/%d/groups/%d/rename", cp.ID, group), url.Values{"title": {"Sửa đường vào các ấp"}})
		if _, page = board.get(sheet); status != http.StatusSeeOther || !strings.Contains(page, `<h4 class="group-title">Sửa đường vào các ấp</h4>`) {
			t.Errorf("rename: %d", status)
		}
		// An answer without who answered is refused with what was written.
		answer := fmt.Sprintf("/console/campaigns/%d/groups/%d/answer", cp.ID, group)
		status, _, page = board.post(answer, url.Values{"text": {"Xã sẽ sửa đường trong quý I/2027."}, "by": {""}})
		if status != http.StatusBadRequest || !strings.Contains(page, "Xin ghi người trả lời") ||
			!strings.Contains(page, "Xã sẽ sửa đường trong quý I/2027.</textarea>") || !strings.Contains(page, `class="answer-box" open`) {
			t.Errorf("an answer without who gave it: %d", status)
		}
		status, _, _ = board.post(answer, url.Values{"text": {"Xã sẽ sửa đường trong quý I/2027."}, "by": {"Ông Nguyễn Văn Bình, Chủ tịch UBND xã"},
			"at_date": {co.now.Format(time.DateOnly)}, "at_time": {"08:30"}})
		if status != http.StatusSeeOther {
			t.Fatalf("answer: %d", status)
		}
		_, page = board.get(sheet)
		if got := between(page, `id="answer-`+fmt.Sprint(group)+`"><div class="text">`, `</div>`); got != "Xã sẽ sửa đường trong quý I/2027." {
			t.Errorf("the recorded answer reads %q", got)
		}
		if got := between(page, `data-figure="waiting">`, `<`); got != "6" {
			t.Errorf("%s groups waiting, want 6", got)
		}
		if n := strings.Count(between(page, `id="commitments"`, `</section>`), "<li>"); n != 6 {
			t.Errorf("%d commitments listed, want the 6 unanswered groups", n)
		}

		// The Excel export.
		_, body := board.download(sheet + ".xlsx")
		groups := readSheet(t, body, "Nhóm câu hỏi")
		if len(groups) != 8 || groups[0][0] != "STT" || groups[0][2] != "Nhóm câu hỏi" {
			t.Fatalf("the groups sheet: %q", groups)
		}
		total := 0
		for _, row := range groups[1:] {
			var n int
			fmt.Sscan(row[3], &n)
			total += n
			if row[2] == "Sửa đường vào các ấp" && (cellAt(row, 4) != "Xã sẽ sửa đường trong quý I/2027." || cellAt(row, 5) != "Ông Nguyễn Văn Bình, Chủ tịch UBND xã") {
				t.Errorf("the answered group's row %q", row)
			}
		}
		questions := readSheet(t, body, "Số câu hỏi")
		if total != 14 || len(questions) != 15 {
			t.Errorf("the export counts %d questions and lists %d rows of questions, want 14", total, len(questions)-1)
		}
		for _, s := range seededResidents {
			if bytes.Contains(body, []byte(s.name)) {
				t.Errorf("the export names %s", s.name)
			}
		}
	})
}

// groupIDsOf returns the ids of the groups that hold the response id.
func groupIDsOf(t *testing.T, co *campaignOffice, cp *langnghe.Campaign, response int64) []int64 {
	t.Helper()
	groups, err := co.svc.Groups(context.Background(), co.board, cp.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, g := range groups {
		if slices.Contains(g.Members, response) {
			out = append(out, g.ID)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no group holds response %d", response)
	}
	return out
}

// A consultation's results: participation by area, each option's count,
// the scale's mean and the free text grouped, as the answers give them.
func TestCampaignResults(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		co := newCampaignOffice(t, db)
		cp := co.consultation()
		board := co.signIn("Ban Dân vận", langnghe.RoleBoard)
		status, page := board.get(fmt.Sprintf("/console/campaigns/%d/results", cp.ID))
		if status != http.StatusOK {
			t.Fatalf("results: %d", status)
		}
		for figure, want := range map[string]string{"participants": "5", "responses": "5"} {
			if got := between(page, `data-figure="`+figure+`">`, `<`); got != want {
				t.Errorf("%s: %s, want %s", figure, got, want)
			}
		}
		for area, want := range map[string]string{"minh_thanh": "3", "long_hoa": "2"} {
			if got := between(between(page, `data-area="`+area+`">`, `</tr>`), `<td class="num">`, `<`); got != want {
				t.Errorf("participants of %s: %s, want %s", area, got, want)
			}
		}
		bars := regexp.MustCompile(`<g class="bar" data-key="([^"]*)" data-value="([^"]*)">`)
		q1 := between(page, `id="result-q1"`, `</section>`)
		var got []string
		for _, m := range bars.FindAllStringSubmatch(q1, -1) {
			got = append(got, m[1]+"="+m[2])
		}
		if want := []string{"dong_y=3", "khong_dong_y=1", "y_kien_khac=1"}; !slices.Equal(got, want) {
			t.Errorf("the choice's bars %v, want %v", got, want)
		}
		// (5+4+2+4+3)/5 = 3.6
		if mean := between(page, `data-mean="`, `"`); mean != "3,60" {
			t.Errorf("the scale's mean %q, want 3,60", mean)
		}
		q3 := between(page, `id="result-q3"`, `</section>`)
		if !strings.Contains(q3, `data-count="2"`) || !strings.Contains(q3, "4 lượt trả lời") {
			t.Errorf("the free text is not grouped: the two wordings of widening the road are one group of 2: %s", q3)
		}
	})
}

// The public results page needs no sign-in and carries no personal data:
// no resident's name or phone — not even one a resident typed into a
// question — and no console link. It shows what was asked, how many, and
// the leaders' answers. An unknown or malformed address is a 404.
func TestPublicResults(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		co := newCampaignOffice(t, db)
		cp, ids := co.dialogue()
		cons := co.consultation()
		// A resident who signs their question with their own name.
		residents := co.residents()
		signed := &langnghe.CampaignResponse{CampaignID: cp.ID, ResidentID: &residents[1], AreaCode: "minh_thanh", Language: langnghe.LangVI,
			Answers: map[string]string{langnghe.DialogueQuestionKey: "Tôi là Trần Thị Bích ở ấp Hòa Thuận, xin hỏi khi nào có nước sạch về ấp?"},
			FlowID:  cp.FlowID, FlowRevision: 1}
		if err := co.svc.RecordResponse(context.Background(), signed); err != nil {
			t.Fatal(err)
		}
		group := groupIDsOf(t, co, cp, ids[3])[0]
		err := co.svc.AnswerGroup(context.Background(), co.board, group, langnghe.GroupAnswer{Text: "Đất bán ngập được xem xét cấp giấy chứng nhận theo Luật Đất đai 2024.",
			AnsweredBy: "Ông Nguyễn Văn Bình, Chủ tịch UBND xã", RecordedBy: co.board.ID, At: co.now})
		if err != nil {
			t.Fatal(err)
		}
		// Its askers rate the answer: counts only, on every page.
		rater := co.svc.(*campaigns.Service)
		for i, rating := range []string{langnghe.RatingSatisfied, langnghe.RatingSatisfied, langnghe.RatingNotSatisfied} {
			err := db.InTx(context.Background(), func(tx *storage.Tx) error {
				askers, err := tx.CampaignResponse(context.Background(), ids[[]int{3, 5, 3}[i]])
				if err != nil {
					return err
				}
				_, err = rater.RateAnswer(context.Background(), tx, *askers.ResidentID, langnghe.LangVI, langnghe.CampaignRatingData(group, rating))
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		board := co.signIn("Ban Dân vận", langnghe.RoleBoard)
		_, sheet := board.get(fmt.Sprintf("/console/campaigns/%d/questions", cp.ID))
		_, results := board.get(fmt.Sprintf("/console/campaigns/%d/results", cp.ID))
		_, public := (&fixture{srv: co.srv}).get(t, console.PublicResultsPrefix+cp.Payload, nil)
		for name, page := range map[string]string{"sheet": sheet, "results": results, "public page": public} {
			if !strings.Contains(page, `data-satisfied="2" data-not-satisfied="0"`) || !strings.Contains(page, "Người hỏi đánh giá câu trả lời: 👍 2 hài lòng · 👎 0 chưa hài lòng") {
				t.Errorf("the %s does not show the askers' ratings", name)
			}
		}
		for _, c := range []*langnghe.Campaign{cp, cons} {
			status, page := (&fixture{srv: co.srv}).get(t, console.PublicResultsPrefix+c.Payload, nil)
			if status != http.StatusOK || !strings.Contains(page, c.Title) {
				t.Fatalf("public page of %q: %d", c.Title, status)
			}
			for _, s := range seededResidents {
				for _, secret := range []string{s.name, s.phone, s.phone[1:], s.phone[:4] + " " + s.phone[4:7]} {
					if strings.Contains(page, secret) {
						t.Errorf("the public page of %q shows %q (%s)", c.Title, secret, s.name)
					}
				}
			}
			for _, leak := range []string{"0912 345 678", "0987654321", co.board.Name, "csrf", "/console/campaigns/"} {
				if strings.Contains(page, leak) {
					t.Errorf("the public page of %q shows %q", c.Title, leak)
				}
			}
			if c == cp && (!strings.Contains(page, "Đất bán ngập được xem xét cấp giấy chứng nhận") || !strings.Contains(page, "Ông Nguyễn Văn Bình, Chủ tịch UBND xã") ||
				!strings.Contains(page, "Đề nghị nạo vét sông Thị Tính") && !strings.Contains(page, "nạo vét lòng sông Thị Tính")) {
				t.Errorf("the public page does not show what was asked and answered")
			}
		}
		for _, path := range []string{console.PublicResultsPrefix + "c_aaaaaaaaaaaaaaaa", console.PublicResultsPrefix + "1", console.PublicResultsPrefix + "x%27"} {
			if status, _ := (&fixture{srv: co.srv}).get(t, path, nil); status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, status)
			}
		}
	})
}

// The board sends a campaign's announcement from its page: it goes to
// the residents of its communes who agreed to announcements, once; the
// page says how many; a unit official sees no button and may not post.
func TestCampaignAnnounce(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		co := newCampaignOffice(t, db)
		cp, _ := co.dialogue()
		ids := co.residents()
		err := db.InTx(context.Background(), func(tx *storage.Tx) error {
			for i, s := range seededResidents {
				if s.area == "" {
					continue
				}
				c := langnghe.Consent{ResidentID: ids[i], Purpose: langnghe.ConsentAnnouncements, NoticeVersion: "2026-12",
					Granted: i != 0, AreaCode: s.area} // the first declined
				if err := tx.RecordConsent(context.Background(), c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		board := co.signIn("Ban Dân vận", langnghe.RoleBoard)
		path := fmt.Sprintf("/console/campaigns/%d", cp.ID)
		if _, page := board.get(path); !strings.Contains(page, `id="announce"`) {
			t.Fatal("the campaign's page has no button to send the announcement")
		}
		for _, want := range []string{"5", "0"} {
			status, location, _ := board.post(path+"/announce", url.Values{})
			if status != http.StatusSeeOther {
				t.Fatalf("announce: %d", status)
			}
			_, page := board.get(location)
			if flash := "Đã đưa thông báo vào hàng gửi cho " + want + " người dân"; !strings.Contains(page, flash) {
				t.Errorf("after announcing, the page does not say %q", flash)
			}
		}
		if depth, _, err := db.OutboxStats(context.Background()); err != nil || depth != 5 {
			t.Errorf("%d messages queued (%v), want the 5 announcements", depth, err)
		}
		unit := co.signIn("UBND xã Minh Thạnh", langnghe.RoleUnit, "ubnd_minh_thanh")
		if _, page := unit.get(path); strings.Contains(page, `id="announce"`) {
			t.Error("a unit official is offered the announcement")
		}
		if status, _, _ := unit.post(path+"/announce", url.Values{}); status != http.StatusForbidden && status != http.StatusNotFound {
			t.Errorf("a unit official's announcement: %d", status)
		}
	})
}

// The board turns a question that is really a unit's concern into an
// opinion from the sheet: it becomes an opinion of the chosen category,
// the sheet links the question to it, and a second time is refused with
// the reason; a unit official's sheet offers no such form, and a forged
// post of theirs is refused.
func TestQuestionSheetFilesAnOpinion(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		co := newCampaignOffice(t, db)
		cp, ids := co.dialogue()
		board := co.signIn("Ban Dân vận", langnghe.RoleBoard)
		sheet := fmt.Sprintf("/console/campaigns/%d/questions", cp.ID)
		dogs := ids[13]
		group := groupIDsOf(t, co, cp, dogs)[0]
		_, page := board.get(sheet)
		if !strings.Contains(page, fmt.Sprintf(`id="file-%d"`, dogs)) || !strings.Contains(page, "Chuyển thành ý kiến phản ánh") {
			t.Fatalf("the board's sheet offers no form to turn question %d into an opinion:\n%s", dogs, between(page, `class="members"`, `</ul>`))
		}
		action := fmt.Sprintf("/console/campaigns/%d/groups/%d/opinion", cp.ID, group)
		// A question of another group is refused.
		status, _, _ := board.post(action, url.Values{"question": {fmt.Sprint(ids[0])}, "category": {"security"}, "area": {""}})
		if status != http.StatusNotFound {
			t.Errorf("a question of another group: %d", status)
		}
		status, location, _ := board.post(action, url.Values{"question": {fmt.Sprint(dogs)}, "category": {"security"}, "area": {"long_hoa"}})
		if status != http.StatusSeeOther || !strings.Contains(location, "done=opinion") {
			t.Fatalf("turn into an opinion: %d %q", status, location)
		}
		_, page = board.get(location)
		code := between(page, `class="opinion-link" href="/console/opinions/`, `"`)
		if code == "" || !strings.Contains(page, "người dân đã được báo mã ý kiến") {
			t.Fatalf("the sheet does not link the question to its opinion")
		}
		o, err := db.Opinion(context.Background(), code)
		if err != nil || o.Category != "security" || o.AreaCode != "long_hoa" || !strings.Contains(o.Text, "Chó thả rông") || !o.Anonymous {
			t.Errorf("the opinion %s: %+v, %v", code, o, err)
		}
		status, _, page = board.post(action, url.Values{"question": {fmt.Sprint(dogs)}, "category": {"security"}})
		if status != http.StatusConflict || !strings.Contains(page, "đã được chuyển thành ý kiến "+code) {
			t.Errorf("a second time: %d", status)
		}
		unit := co.signIn("UBND xã Minh Thạnh", langnghe.RoleUnit, "ubnd_minh_thanh")
		if _, page := unit.get(sheet); strings.Contains(page, `class="file-box`) {
			t.Errorf("a unit official's sheet offers to turn questions into opinions")
		}
		status, _, _ = unit.post(action, url.Values{"question": {fmt.Sprint(ids[12])}, "category": {"land"}})
		if status != http.StatusForbidden && status != http.StatusNotFound {
			t.Errorf("a unit official turns a question: %d", status)
		}
	})
}
