package campaign_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/campaign"
)

func resident(id int64) *int64 { return &id }

func TestAnswers(t *testing.T) {
	c := load(t, "consultation")
	got := campaign.Answers(c, map[string]string{
		"agree": "4", "hours": "morning", "other": "Nên có thùng rác có nắp", "area": "dau_tieng", "confirm": "send",
	})
	if len(got) != 3 || got["agree"] != "4" || got["hours"] != "morning" || got["other"] != "Nên có thùng rác có nắp" {
		t.Errorf("answers %v", got)
	}
	// What is not an answer to the question is dropped: a point off the
	// scale, an option the choice does not have, a skip.
	got = campaign.Answers(c, map[string]string{"agree": "6", "hours": "noon", "other": "skip"})
	if len(got) != 0 {
		t.Errorf("answers %v, want none", got)
	}
	fp := load(t, "feedback_point")
	got = campaign.Answers(fp, map[string]string{"attitude": "5", "time": "0", "result": "3", "comment": "skip"})
	if len(got) != 2 || got["attitude"] != "5" || got["result"] != "3" {
		t.Errorf("feedback answers %v", got)
	}
}

func TestResultsOfAConsultation(t *testing.T) {
	c := load(t, "consultation") // areas: dau_tieng
	day := time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC)
	rs := []langnghe.CampaignResponse{
		{ID: 1, ResidentID: resident(10), AreaCode: "dau_tieng", CreatedAt: day, Answers: map[string]string{"agree": "5", "hours": "evening", "other": "Nên đặt thùng rác có nắp ở đầu hẻm."}},
		{ID: 2, ResidentID: resident(11), AreaCode: "dau_tieng", CreatedAt: day.Add(time.Hour), Answers: map[string]string{"agree": "4", "hours": "evening"}},
		{ID: 3, ResidentID: resident(12), AreaCode: "minh_thanh", CreatedAt: day.Add(2 * time.Hour), Answers: map[string]string{"agree": "2", "hours": "morning", "other": "Đề nghị đặt thùng rác có nắp đậy ở đầu mỗi hẻm"}},
		// Resident 10 again, now from Long Hòa: counted once, there.
		{ID: 4, ResidentID: resident(10), AreaCode: "long_hoa", CreatedAt: day.Add(3 * time.Hour), Answers: map[string]string{"agree": "3", "hours": "both", "other": "Cần tuyên truyền để người dân biết quy định mới."}},
		// A resident whose data was deleted, and one who gave no area.
		{ID: 5, CreatedAt: day.Add(4 * time.Hour), AreaCode: "dau_tieng", Answers: map[string]string{"agree": "1"}},
		{ID: 6, ResidentID: resident(13), CreatedAt: day.Add(5 * time.Hour), Answers: map[string]string{"hours": "morning"}},
	}
	r, err := campaign.Results(c, rs, nil, 40)
	if err != nil {
		t.Fatal(err)
	}
	if r.Participants != 5 || r.Responses != 6 || r.Reached != 40 || r.ResponseRate != 0.125 {
		t.Errorf("participants %d, responses %d, reached %d, rate %v", r.Participants, r.Responses, r.Reached, r.ResponseRate)
	}
	areas := ""
	for _, a := range r.ByArea {
		areas += a.Area + "=" + itoa(a.Participants) + " "
	}
	if areas != "dau_tieng=2 long_hoa=1 minh_thanh=1 =1 " {
		t.Errorf("by area: %s", areas)
	}
	if len(r.Questions) != 3 {
		t.Fatalf("%d question results", len(r.Questions))
	}
	agree, hours, other := r.Questions[0], r.Questions[1], r.Questions[2]
	// 5+4+2+3+1 over five answers.
	if agree.Answered != 5 || agree.Mean != 3 || counts(agree) != "1:1 2:1 3:1 4:1 5:1" {
		t.Errorf("scale: answered %d, mean %v, counts %s", agree.Answered, agree.Mean, counts(agree))
	}
	if hours.Answered != 5 || counts(hours) != "evening:2 morning:2 both:1" || hours.Counts[0].Label != "17–19 giờ (như dự thảo)" {
		t.Errorf("choice: answered %d, counts %s", hours.Answered, counts(hours))
	}
	// The two wordings of the bin proposal are one group.
	if other.Answered != 3 || len(other.Groups) != 2 || other.Groups[0].Count != 2 {
		t.Errorf("free text: answered %d, groups %+v", other.Answered, other.Groups)
	}
	if other.Text != "Ông/bà có góp ý gì khác cho dự thảo?" {
		t.Errorf("question text %q", other.Text)
	}
}

func TestResultsOfADialogue(t *testing.T) {
	c := load(t, "dialogue")
	at := time.Date(2026, 3, 25, 10, 0, 0, 0, time.UTC)
	groups := []langnghe.QuestionGroup{
		{ID: 3, Title: "Sạt lở bờ sông", Members: []int64{3, 5}},
		{ID: 1, Title: "Nạo vét sông Thị Tính", Members: []int64{1, 2, 7}, Category: "environment",
			Answer: &langnghe.GroupAnswer{Text: "Xã đã đề nghị huyện bố trí vốn nạo vét trong năm 2026.", AnsweredBy: "Bà Trần Thị Hoa, Chủ tịch UBND xã", RecordedBy: 7, At: at}},
		{ID: 4, Title: "Sổ đỏ đất bán ngập", Members: []int64{4, 6}},
	}
	var rs []langnghe.CampaignResponse
	for i := int64(1); i <= 7; i++ {
		rs = append(rs, langnghe.CampaignResponse{ID: i, ResidentID: resident(100 + i%5), AreaCode: "minh_thanh", Answers: map[string]string{"question": "…"}})
	}
	r, err := campaign.Results(c, rs, groups, 0)
	if err != nil {
		t.Fatal(err)
	}
	if r.Participants != 5 || r.ResponseRate != 0 || len(r.Questions) != 0 {
		t.Errorf("participants %d, rate %v, questions %d", r.Participants, r.ResponseRate, len(r.Questions))
	}
	var titles []string
	for _, g := range r.Groups {
		titles = append(titles, g.Title+"="+itoa(g.Count))
	}
	if got := strings.Join(titles, ", "); got != "Nạo vét sông Thị Tính=3, Sạt lở bờ sông=2, Sổ đỏ đất bán ngập=2" {
		t.Errorf("groups %s", got)
	}
	// The results are public: the answer says who answered, not which
	// official typed it in, and nothing names a resident.
	js, _ := json.Marshal(r)
	if strings.Contains(string(js), "recorded_by") || strings.Contains(string(js), "resident") {
		t.Errorf("results carry personal or internal data: %s", js)
	}
	if groups[1].Answer.RecordedBy != 7 {
		t.Error("Results changed the groups it was given")
	}
	// The contract: participants, and groups with count and title.
	var contract struct {
		Participants *int `json:"participants"`
		Groups       []struct {
			Count *int    `json:"count"`
			Title *string `json:"title"`
		} `json:"groups"`
	}
	if err := json.Unmarshal(js, &contract); err != nil || contract.Participants == nil || len(contract.Groups) != 3 || contract.Groups[0].Count == nil || contract.Groups[0].Title == nil {
		t.Errorf("results JSON %s", js)
	}
	empty, _ := campaign.Results(c, nil, nil, 0)
	if js, _ := json.Marshal(empty); !strings.Contains(string(js), `"groups":[]`) || !strings.Contains(string(js), `"participants":0`) {
		t.Errorf("no responses: %s", js)
	}
}

func TestResultsOfAFeedbackPoint(t *testing.T) {
	c := load(t, "feedback_point")
	rs := []langnghe.CampaignResponse{
		{ID: 1, ResidentID: resident(1), Answers: map[string]string{"attitude": "5", "time": "4", "result": "5"}},
		{ID: 2, ResidentID: resident(2), Answers: map[string]string{"attitude": "4", "time": "2", "result": "4", "comment": "Phải chờ lâu."}},
		{ID: 3, ResidentID: resident(3), Answers: map[string]string{"attitude": "4", "time": "3", "result": "4"}},
	}
	r, err := campaign.Results(c, rs, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var means []string
	for _, q := range r.Questions {
		means = append(means, q.Key+"="+strconv.FormatFloat(q.Mean, 'f', -1, 64))
	}
	if got := strings.Join(means, " "); got != "attitude=4.33 time=3 result=4.33 comment=0" {
		t.Errorf("means %s", got)
	}
	if len(r.ByArea) != 1 || r.ByArea[0].Area != "" || r.ByArea[0].Participants != 3 {
		t.Errorf("by area %+v", r.ByArea)
	}
}

func counts(q langnghe.QuestionResult) string {
	var parts []string
	for _, c := range q.Counts {
		parts = append(parts, c.Value+":"+itoa(c.Count))
	}
	return strings.Join(parts, " ")
}

func itoa(n int) string { return strconv.Itoa(n) }
