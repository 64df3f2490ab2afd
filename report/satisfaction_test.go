package report_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/report"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// seedFeedback stores the ratings of two units' feedback points: the
// medical centre's February (five visitors, all 4s: index 75) and March
// (five 5s and one 1-2-3: index (5×100 + 25) / 6 = 87.5), one at 23:30 on
// 31 March local time, and one just after midnight on 1 April that March
// must not count; the commune's March has two visitors, too few for an
// index. A consultation's answers under the same keys are no feedback.
func seedFeedback(t *testing.T, db *storage.DB) {
	t.Helper()
	ctx := context.Background()
	type rating struct {
		at      time.Time
		a, w, r int
	}
	points := []struct {
		unit    string
		ratings []rating
	}{
		{"trung_tam_y_te", []rating{
			{local(2, 3, 9, 0), 4, 4, 4}, {local(2, 10, 9, 0), 4, 4, 4}, {local(2, 11, 9, 0), 4, 4, 4}, {local(2, 20, 9, 0), 4, 4, 4},
			{local(2, 28, 23, 0), 4, 4, 4},
			{local(3, 1, 0, 5), 5, 5, 5}, {local(3, 2, 9, 0), 5, 5, 5}, {local(3, 9, 9, 0), 5, 5, 5}, {local(3, 15, 9, 0), 1, 2, 3},
			{local(3, 20, 9, 0), 5, 5, 5}, {local(3, 31, 23, 30), 5, 5, 5},
			{local(4, 1, 0, 10), 1, 1, 1},
		}},
		{"ubnd_minh_thanh", []rating{{local(3, 5, 9, 0), 5, 4, 5}, {local(3, 6, 9, 0), 3, 3, 3}}},
	}
	err := db.InTx(ctx, func(tx *storage.Tx) error {
		for i, p := range points {
			if err := tx.SaveUnit(ctx, langnghe.Unit{Code: p.unit, Names: map[string]string{"vi": "Đơn vị " + p.unit}}); err != nil {
				return err
			}
			c := &langnghe.Campaign{Kind: langnghe.CampaignFeedbackPoint, Title: "Điểm lấy ý kiến " + p.unit, Unit: p.unit,
				Opens: local(1, 1, 0, 0), Payload: fmt.Sprintf("c_aaaaaaaaaaaaaaa%d", i+2)}
			if err := tx.CreateCampaign(ctx, c); err != nil {
				return err
			}
			for _, r := range p.ratings {
				if err := tx.AddCampaignResponse(ctx, &langnghe.CampaignResponse{CampaignID: c.ID, CreatedAt: r.at,
					Answers: map[string]string{"attitude": fmt.Sprint(r.a), "time": fmt.Sprint(r.w), "result": fmt.Sprint(r.r)}}); err != nil {
					return err
				}
			}
		}
		c := &langnghe.Campaign{Kind: langnghe.CampaignConsultation, Title: "Dự thảo", Unit: "trung_tam_y_te",
			Opens: local(1, 1, 0, 0), Payload: "c_aaaaaaaaaaaaaaa7"}
		if err := tx.CreateCampaign(ctx, c); err != nil {
			return err
		}
		return tx.AddCampaignResponse(ctx, &langnghe.CampaignResponse{CampaignID: c.ID, CreatedAt: local(3, 4, 9, 0),
			Answers: map[string]string{"attitude": "1", "time": "1", "result": "1"}})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func show(s []report.SatisfactionIndex) string {
	var b strings.Builder
	for _, x := range s {
		fmt.Fprintf(&b, "%s %s n=%d index=%s (%s %s %s) prev=%d/%s trend=%s\n", x.Unit, x.Month, x.Ratings, num(x.Index),
			num(x.Attitude), num(x.Time), num(x.Result), x.PreviousRatings, num(x.PreviousIndex), num(x.Trend))
	}
	return b.String()
}

func num(x *float64) string {
	if x == nil {
		return "-"
	}
	return fmt.Sprint(*x)
}

// TestSatisfactionIndex checks the monthly index, its trend, the months
// cut in the local time zone, the hidden index of a month with too few
// ratings and the official's scope, on both databases.
func TestSatisfactionIndex(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		seedFeedback(t, db)
		ctx := context.Background()
		opts := report.Options{TimeZone: hcm, Units: []langnghe.Unit{
			{Code: "trung_tam_y_te", Names: map[string]string{"vi": "Trung tâm Y tế"}},
			{Code: "ubnd_minh_thanh", Names: map[string]string{"vi": "UBND xã Minh Thạnh"}}}}
		// A period inside March covers the whole month.
		got, err := report.Satisfaction(ctx, db, report.Query{From: local(3, 10, 0, 0), To: local(3, 20, 0, 0)}, opts)
		if err != nil {
			t.Fatal(err)
		}
		want := "trung_tam_y_te 2026-03 n=6 index=87.5 (4.3 4.5 4.7) prev=5/75 trend=12.5\n" +
			"ubnd_minh_thanh 2026-03 n=2 index=- (- - -) prev=0/- trend=-\n"
		if show(got) != want {
			t.Errorf("March:\n%swant\n%s", show(got), want)
		}
		if got[0].Name != "Trung tâm Y tế" || !got[1].Hidden() {
			t.Errorf("names or hidden: %+v", got)
		}
		// February to April, for the commune's official only.
		scope := langnghe.Scope{Units: []string{"ubnd_minh_thanh"}}
		got, err = report.Satisfaction(ctx, db, report.Query{From: local(2, 1, 0, 0), To: local(4, 30, 0, 0), Scope: &scope}, opts)
		if err != nil {
			t.Fatal(err)
		}
		if want := "ubnd_minh_thanh 2026-03 n=2 index=- (- - -) prev=0/- trend=-\n"; show(got) != want {
			t.Errorf("the commune's scope:\n%swant\n%s", show(got), want)
		}
		got, err = report.Satisfaction(ctx, db, report.Query{From: local(2, 1, 0, 0), To: local(4, 30, 0, 0), Unit: "trung_tam_y_te"}, opts)
		if err != nil {
			t.Fatal(err)
		}
		want = "trung_tam_y_te 2026-02 n=5 index=75 (4 4 4) prev=0/- trend=-\n" +
			"trung_tam_y_te 2026-03 n=6 index=87.5 (4.3 4.5 4.7) prev=5/75 trend=12.5\n" +
			"trung_tam_y_te 2026-04 n=1 index=- (- - -) prev=6/87.5 trend=-\n"
		if show(got) != want {
			t.Errorf("the medical centre, February to April:\n%swant\n%s", show(got), want)
		}
		// Nothing for an official without units.
		got, err = report.Satisfaction(ctx, db, report.Query{From: local(3, 1, 0, 0), To: local(3, 31, 0, 0), Scope: &langnghe.Scope{}}, opts)
		if err != nil || len(got) != 0 {
			t.Errorf("an empty scope: %v %v", got, err)
		}
	})
}

// TestSatisfactionWritten: the table and the JSON carry the index; a
// month with too few ratings says so.
func TestSatisfactionWritten(t *testing.T) {
	r := &report.Report{From: "2026-03-01", To: "2026-03-31", FeedbackPoints: []report.SatisfactionIndex{
		{Unit: "trung_tam_y_te", Name: "Trung tâm Y tế", Month: "2026-03", Ratings: 6, Index: f(87.5), Trend: f(12.5)},
		{Unit: "ubnd_minh_thanh", Name: "UBND xã", Month: "2026-03", Ratings: 2}}}
	var b strings.Builder
	if err := r.Write(&b, report.Table); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "87.5  +12.5") || !strings.Contains(b.String(), "too few") {
		t.Errorf("table:\n%s", b.String())
	}
	b.Reset()
	if err := r.Write(&b, report.JSON); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"feedback_points": [`) || !strings.Contains(b.String(), `"index": 87.5`) {
		t.Errorf("JSON:\n%s", b.String())
	}
}
