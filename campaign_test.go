package langnghe_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"langnghe"
)

var ict = time.FixedZone("ICT", 7*3600)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, ict) }

// Valid campaigns of each kind, as the board would write them.
func dialogue() langnghe.Campaign {
	return langnghe.Campaign{Kind: langnghe.CampaignDialogue, Title: "Hội nghị đối thoại xã Minh Thạnh năm 2026",
		Theme: "Môi trường và sử dụng đất bán ngập ven sông Thị Tính", Areas: []string{"minh_thanh", "long_hoa"},
		Opens: day(2026, 3, 1), Closes: day(2026, 3, 20),
		Conference: &langnghe.Conference{At: time.Date(2026, 3, 25, 8, 0, 0, 0, ict), Place: "Hội trường UBND xã Minh Thạnh",
			Hosts: []string{"Ông Nguyễn Văn Bình, Chủ tịch UBND xã"}}}
}

func consultation() langnghe.Campaign {
	return langnghe.Campaign{Kind: langnghe.CampaignConsultation, Title: "Lấy ý kiến dự thảo quy định đổ rác đúng giờ",
		Areas: []string{"dau_tieng"}, Opens: day(2026, 4, 1), Closes: day(2026, 4, 30),
		Draft: &langnghe.Draft{Summary: "Rác sinh hoạt được để ra đường từ 17 giờ đến 19 giờ.", Link: "https://dautieng.example.vn/du-thao/rac"},
		Questions: []langnghe.CampaignQuestion{
			{Key: "agree", Kind: langnghe.QuestionScale, Text: langnghe.Texts{"vi": "Ông/bà đồng ý với dự thảo ở mức nào?"}},
			{Key: "hours", Kind: langnghe.QuestionChoice, Text: langnghe.Texts{"vi": "Giờ nào hợp lý?"}, Options: []langnghe.QuestionOption{
				{Value: "evening", Label: langnghe.Texts{"vi": "17–19 giờ"}}, {Value: "morning", Label: langnghe.Texts{"vi": "5–7 giờ"}}}},
			{Key: "other", Kind: langnghe.QuestionText, Optional: true, Text: langnghe.Texts{"vi": "Ý kiến khác"}},
		}}
}

func feedbackPoint() langnghe.Campaign {
	return langnghe.Campaign{Kind: langnghe.CampaignFeedbackPoint, Title: "Bộ phận một cửa UBND xã Minh Thạnh",
		Unit: "ubnd_minh_thanh", Opens: day(2026, 1, 1)}
}

func TestCampaignValidate(t *testing.T) {
	cat := &langnghe.Catalogue{Areas: []langnghe.Area{{Code: "minh_thanh"}, {Code: "long_hoa"}, {Code: "dau_tieng"}}}
	for name, c := range map[string]langnghe.Campaign{"dialogue": dialogue(), "consultation": consultation(), "feedback point": feedbackPoint()} {
		if err := c.Validate(cat); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	tests := []struct {
		name   string
		change func(*langnghe.Campaign)
		en, vi string // a part of each message
	}{
		{"unknown kind", func(c *langnghe.Campaign) { c.Kind = "survey" }, `kind "survey"`, "loại đợt"},
		{"no title", func(c *langnghe.Campaign) { c.Title = "  " }, "the title is missing", "chưa có tiêu đề"},
		{"long title", func(c *langnghe.Campaign) { c.Title = strings.Repeat("đ", 201) }, "201 characters long; the limit is 200", "tiêu đề dài 201 ký tự"},
		{"no opening date", func(c *langnghe.Campaign) { c.Opens = time.Time{} }, "opening date is missing", "chưa có ngày bắt đầu"},
		{"year 9999", func(c *langnghe.Campaign) { c.Closes = day(9999, 12, 31) }, "31/12/9999 is not an allowed date", "Ngày 31/12/9999 không hợp lệ"},
		{"closes before it opens", func(c *langnghe.Campaign) { c.Closes = day(2026, 2, 1) }, "closing date 01/02/2026 is before the opening date 01/03/2026", "ngày kết thúc 01/02/2026 trước ngày bắt đầu 01/03/2026"},
		{"no areas", func(c *langnghe.Campaign) { c.Areas = nil }, "at least one area", "ít nhất một địa bàn"},
		{"unknown area", func(c *langnghe.Campaign) { c.Areas = []string{"minh_thanh", "atlantis"} }, `no area "atlantis"`, `không có địa bàn "atlantis"`},
		{"area twice", func(c *langnghe.Campaign) { c.Areas = []string{"minh_thanh", "minh_thanh"} }, "listed twice", "bị lặp lại"},
		{"no conference", func(c *langnghe.Campaign) { c.Conference = nil }, "date, time and place", "ngày, giờ và địa điểm"},
		{"conference before opening", func(c *langnghe.Campaign) { c.Conference.At = day(2026, 2, 20) }, "conference on 20/02/2026 is before", "hội nghị ngày 20/02/2026"},
		{"no place", func(c *langnghe.Campaign) { c.Conference.Place = "" }, "the conference's place is missing", "chưa có địa điểm hội nghị"},
		{"bad payload", func(c *langnghe.Campaign) { c.Payload = "c_../../etc" }, "payload", "mã liên kết"},
		{"a dialogue with a draft", func(c *langnghe.Campaign) { c.Draft = &langnghe.Draft{Summary: "x"} }, "only a consultation has a draft", "chỉ đợt lấy ý kiến dự thảo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dialogue()
			tt.change(&c)
			checkInvalid(t, c.Validate(cat), tt.en, tt.vi)
		})
	}
	consultations := []struct {
		name   string
		change func(*langnghe.Campaign)
		en, vi string
	}{
		{"no draft", func(c *langnghe.Campaign) { c.Draft = nil }, "the draft's summary", "tóm tắt dự thảo"},
		{"link not a web address", func(c *langnghe.Campaign) { c.Draft.Link = "javascript:alert(1)" }, "not a web address", "không phải địa chỉ web"},
		{"no questions", func(c *langnghe.Campaign) { c.Questions = nil }, "at least one question", "ít nhất một câu hỏi"},
		{"key twice", func(c *langnghe.Campaign) { c.Questions[1].Key = "agree" }, `question 2: key "agree" is used twice`, `câu hỏi 2: mã "agree" bị trùng`},
		{"reserved key", func(c *langnghe.Campaign) { c.Questions[0].Key = "area" }, "reserved", "đã dành cho"},
		{"key with diacritics", func(c *langnghe.Campaign) { c.Questions[0].Key = "đồng_ý" }, "lower-case letters", "chữ thường không dấu"},
		{"one option", func(c *langnghe.Campaign) { c.Questions[1].Options = c.Questions[1].Options[:1] }, "2 to 10 options", "từ 2 đến 10 phương án"},
		{"long label", func(c *langnghe.Campaign) { c.Questions[1].Options[0].Label["vi"] = strings.Repeat("a", 41) }, "option 1's label in Vietnamese is 41 characters long", "nhãn phương án 1 của câu hỏi 2 (tiếng Việt) dài 41 ký tự"},
		{"no Vietnamese text", func(c *langnghe.Campaign) { c.Questions[0].Text = langnghe.Texts{"en": "How much do you agree?"} }, "question 1's text in Vietnamese is missing", "chưa có nội dung câu hỏi 1 (tiếng Việt)"},
		{"scale with options", func(c *langnghe.Campaign) { c.Questions[0].Options = c.Questions[1].Options }, "only a choice has options", "chỉ câu hỏi lựa chọn"},
		{"unknown question kind", func(c *langnghe.Campaign) { c.Questions[0].Kind = "ranking" }, `kind "ranking"`, `loại "ranking"`},
	}
	for _, tt := range consultations {
		t.Run("consultation: "+tt.name, func(t *testing.T) {
			c := consultation()
			tt.change(&c)
			checkInvalid(t, c.Validate(cat), tt.en, tt.vi)
		})
	}
	fp := feedbackPoint()
	fp.Unit, fp.Closes = "", day(2026, 12, 31)
	checkInvalid(t, fp.Validate(cat), "needs the unit", "cần có đơn vị")
	checkInvalid(t, fp.Validate(cat), "never closes", "không có ngày kết thúc")
}

// checkInvalid checks that err is EINVALID and says en and vi.
func checkInvalid(t *testing.T, err error, en, vi string) {
	t.Helper()
	if langnghe.ErrorCode(err) != langnghe.EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
	if msg := langnghe.ErrorMessage(err); !strings.Contains(msg, en) {
		t.Errorf("message %q does not say %q", msg, en)
	}
	if msg := langnghe.ErrorMessageIn(err, langnghe.LangVI); !strings.Contains(msg, vi) {
		t.Errorf("Vietnamese message %q does not say %q", msg, vi)
	}
}

func TestCampaignValidateListsEveryProblem(t *testing.T) {
	c := langnghe.Campaign{Kind: langnghe.CampaignDialogue}
	err := c.Validate(nil)
	for _, want := range []string{"the title is missing", "opening date is missing", "at least one area", "date, time and place"} {
		if !strings.Contains(langnghe.ErrorMessage(err), want) {
			t.Errorf("%q does not say %q", langnghe.ErrorMessage(err), want)
		}
	}
}

func TestCampaignPayload(t *testing.T) {
	// Telegram's /start payload: at most 64 of A-Z, a-z, 0-9, _ and -.
	telegram := regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	seen := map[string]bool{}
	for range 1000 {
		p, err := langnghe.NewCampaignPayload()
		if err != nil {
			t.Fatal(err)
		}
		if !telegram.MatchString(p) || !langnghe.IsCampaignPayload(p) || !strings.HasPrefix(p, langnghe.CampaignPayloadPrefix) {
			t.Fatalf("payload %q", p)
		}
		if seen[p] {
			t.Fatalf("payload %q twice in 1000", p)
		}
		seen[p] = true
	}
	for _, s := range []string{"", "c_", "inv_abcdefghijklmnop", "c_ABCDEFGHIJKLMNOP", "c_abcdefghijklmnop1", "c_abcdefghijklmno!"} {
		if langnghe.IsCampaignPayload(s) {
			t.Errorf("IsCampaignPayload(%q) = true", s)
		}
	}
	c := dialogue()
	c.Payload = "c_abcdefghijklmnop"
	if got, want := c.Link("langnghe_bot"), "https://t.me/langnghe_bot?start=c_abcdefghijklmnop"; got != want {
		t.Errorf("Link = %q, want %q", got, want)
	}
	if c.Link("") != "" {
		t.Error("a link without a bot username")
	}
}

func TestCampaignOpenAt(t *testing.T) {
	c := dialogue() // 01/03 to 20/03/2026
	for _, tt := range []struct {
		at   time.Time
		open bool
	}{
		{day(2026, 2, 28).Add(23 * time.Hour), false},
		{day(2026, 3, 1), true},
		{day(2026, 3, 20).Add(23*time.Hour + 59*time.Minute), true},
		{day(2026, 3, 21), false},
	} {
		if got := c.OpenAt(tt.at); got != tt.open {
			t.Errorf("OpenAt(%s) = %v", tt.at, got)
		}
	}
	fp := feedbackPoint()
	if !fp.OpenAt(day(2099, 1, 1)) || fp.OpenAt(day(2025, 12, 31)) {
		t.Error("a feedback point is open from its first day on, for ever")
	}
}

func TestCampaignAsked(t *testing.T) {
	keys := func(c langnghe.Campaign) string {
		var ks []string
		for _, q := range c.Asked() {
			ks = append(ks, q.Key+":"+string(q.Kind))
		}
		return strings.Join(ks, " ")
	}
	for _, tt := range []struct {
		c    langnghe.Campaign
		want string
	}{
		{dialogue(), "question:text"},
		{consultation(), "agree:scale hours:choice other:text"},
		{feedbackPoint(), "attitude:scale time:scale result:scale comment:text"},
	} {
		if got := keys(tt.c); got != tt.want {
			t.Errorf("%s asks %q, want %q", tt.c.Kind, got, tt.want)
		}
	}
	// The fixed questions are a copy: changing one changes no campaign.
	fp := feedbackPoint()
	fp.Asked()[0].Key = "changed"
	if fp.Asked()[0].Key != langnghe.FeedbackAttitude {
		t.Error("Asked shares the fixed questions")
	}
	if langnghe.CampaignFeedbackPoint.Name("vi") != "Điểm lấy ý kiến" || langnghe.CampaignKind("x").Name("en") != "x" {
		t.Error("kind names")
	}
}
