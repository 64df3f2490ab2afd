package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/flows/catalogue"
	"langnghe/report"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

var hcm = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return loc
}()

func local(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, hcm) }

// seed stores March 2026's opinions, and one on each side of the month
// (local time), which no March report may count.
func seed(t *testing.T, db *storage.DB) {
	t.Helper()
	type op struct {
		category, area, unit string
		created, due         time.Time
		forwarded            bool
		answered             time.Time
		rating               string
	}
	ops := []op{
		{"land", "minh_thanh", "ubnd_minh_thanh", local(3, 2, 9, 0), local(3, 9, 23, 59), true, local(3, 5, 9, 0), "satisfied"},        // 3 days, on time
		{"land", "minh_thanh", "ubnd_minh_thanh", local(3, 3, 9, 0), local(3, 10, 23, 59), false, local(3, 13, 9, 0), "not_satisfied"}, // 10 days, late
		{"health", "long_hoa", "trung_tam_y_te", local(3, 10, 9, 0), local(3, 20, 23, 59), false, local(3, 11, 9, 0), ""},              // 1 day, on time
		{"health", "", "", local(3, 31, 23, 30), local(4, 10, 23, 59), false, time.Time{}, ""},                                         // open
		{"land", "minh_thanh", "ubnd_minh_thanh", local(2, 28, 23, 50), local(3, 9, 23, 59), true, local(3, 1, 9, 0), "satisfied"},     // February
		{"land", "minh_thanh", "ubnd_minh_thanh", local(4, 1, 0, 10), local(4, 9, 23, 59), true, time.Time{}, ""},                      // April
	}
	ctx := context.Background()
	err := db.InTx(ctx, func(tx *storage.Tx) error {
		for _, u := range []string{"ubnd_minh_thanh", "trung_tam_y_te"} {
			if err := tx.SaveUnit(ctx, langnghe.Unit{Code: u, Names: map[string]string{"vi": "Đơn vị " + u}}); err != nil {
				return err
			}
		}
		for _, s := range ops {
			code, err := tx.NextOpinionCode(ctx, "DT", 2026)
			if err != nil {
				return err
			}
			o := &langnghe.Opinion{Code: code, Category: s.category, AreaCode: s.area, Text: "Đường ngập",
				Channel: langnghe.ChannelTelegram, CreatedAt: s.created, DueAt: s.due}
			if err := tx.CreateOpinion(ctx, o); err != nil {
				return err
			}
			if err := tx.UpdateOpinion(ctx, o.ID, langnghe.OpinionUpdate{Unit: &s.unit}); err != nil {
				return err
			}
			if s.forwarded {
				if err := tx.AddOpinionEvent(ctx, &langnghe.OpinionEvent{OpinionID: o.ID, StatusFrom: langnghe.StatusReceived,
					StatusTo: langnghe.StatusForwarded, Actor: "official:1", At: s.created.Add(time.Hour)}); err != nil {
					return err
				}
			}
			if !s.answered.IsZero() {
				if err := tx.AddOpinionEvent(ctx, &langnghe.OpinionEvent{OpinionID: o.ID, StatusTo: langnghe.StatusAnswered,
					Actor: "official:1", Public: true, At: s.answered}); err != nil {
					return err
				}
				if err := tx.UpdateOpinion(ctx, o.ID, langnghe.OpinionUpdate{AnsweredAt: &s.answered, Rating: &s.rating}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func f(x float64) *float64 { return &x }

func build(t *testing.T, db *storage.DB, by langnghe.ReportDimension) *report.Report {
	t.Helper()
	r, err := report.Build(context.Background(), db, report.Query{From: local(3, 1, 0, 0), To: local(3, 31, 0, 0), By: by},
		report.Options{TimeZone: hcm, Catalogue: catalogue.Default(), Language: langnghe.LangVI,
			Units: []langnghe.Unit{{Code: "trung_tam_y_te", Names: map[string]string{"vi": "Trung tâm Y tế"}}}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestFigures checks every figure on both databases: the median is
// percentile_cont on PostgreSQL and Go on SQLite, and they must agree.
func TestFigures(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		seed(t, db)
		total := report.Row{Key: "total", Name: "Tổng cộng", Received: 4, Forwarded: 1, AnsweredOnTime: 2, AnsweredLate: 1,
			MedianDaysToAnswer: f(3), Rated: 2, Satisfied: 1, SatisfactionRate: f(0.5)}
		tests := []struct {
			by   langnghe.ReportDimension
			rows []report.Row
		}{
			{langnghe.ReportTotal, []report.Row{}},
			{langnghe.ReportCategory, []report.Row{
				{Key: "health", Name: "Y tế", Received: 2, AnsweredOnTime: 1, MedianDaysToAnswer: f(1)},
				{Key: "land", Name: "Đất đai", Received: 2, Forwarded: 1, AnsweredOnTime: 1, AnsweredLate: 1,
					MedianDaysToAnswer: f(6.5), Rated: 2, Satisfied: 1, SatisfactionRate: f(0.5)},
			}},
			{langnghe.ReportArea, []report.Row{
				{Key: "", Name: "(chưa xác định)", Received: 1},
				{Key: "long_hoa", Name: "xã Long Hòa", Received: 1, AnsweredOnTime: 1, MedianDaysToAnswer: f(1)},
				{Key: "minh_thanh", Name: "xã Minh Thạnh", Received: 2, Forwarded: 1, AnsweredOnTime: 1, AnsweredLate: 1,
					MedianDaysToAnswer: f(6.5), Rated: 2, Satisfied: 1, SatisfactionRate: f(0.5)},
			}},
			{langnghe.ReportUnit, []report.Row{
				{Key: "", Name: "(chưa xác định)", Received: 1},
				{Key: "trung_tam_y_te", Name: "Trung tâm Y tế", Received: 1, AnsweredOnTime: 1, MedianDaysToAnswer: f(1)},
				// A unit the options do not name keeps its code.
				{Key: "ubnd_minh_thanh", Name: "ubnd_minh_thanh", Received: 2, Forwarded: 1, AnsweredOnTime: 1, AnsweredLate: 1,
					MedianDaysToAnswer: f(6.5), Rated: 2, Satisfied: 1, SatisfactionRate: f(0.5)},
			}},
			{langnghe.ReportStatus, []report.Row{
				{Key: "answered", Name: "answered", Received: 3, Forwarded: 1, AnsweredOnTime: 2, AnsweredLate: 1,
					MedianDaysToAnswer: f(3), Rated: 2, Satisfied: 1, SatisfactionRate: f(0.5)},
				{Key: "received", Name: "received", Received: 1},
			}},
		}
		for _, tt := range tests {
			r := build(t, db, tt.by)
			if r.From != "2026-03-01" || r.To != "2026-03-31" {
				t.Errorf("by %q: period %s..%s", tt.by, r.From, r.To)
			}
			if got, want := jsonOf(t, r.Rows), jsonOf(t, tt.rows); got != want {
				t.Errorf("by %q: rows\n got %s\nwant %s", tt.by, got, want)
			}
			if got, want := jsonOf(t, r.Total), jsonOf(t, total); got != want {
				t.Errorf("by %q: total\n got %s\nwant %s", tt.by, got, want)
			}
		}
	})
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEmptyPeriod(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		r, err := report.Build(context.Background(), db, report.Query{From: local(5, 1, 0, 0), To: local(5, 31, 0, 0), By: langnghe.ReportCategory},
			report.Options{TimeZone: hcm})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Rows) != 0 || r.Total.Received != 0 || r.Total.MedianDaysToAnswer != nil || r.Total.SatisfactionRate != nil {
			t.Errorf("empty period: %+v", r)
		}
	})
}

func TestBadQueries(t *testing.T) {
	db := storagetest.SQLite(t)
	for name, q := range map[string]report.Query{
		"ends before it starts": {From: local(3, 2, 0, 0), To: local(3, 1, 0, 0)},
		"unknown dimension":     {From: local(3, 1, 0, 0), To: local(3, 2, 0, 0), By: "resident"},
	} {
		if _, err := report.Build(context.Background(), db, q, report.Options{TimeZone: hcm}); langnghe.ErrorCode(err) != langnghe.EINVALID {
			t.Errorf("%s: error %v, want EINVALID", name, err)
		}
	}
	for _, s := range []string{"2026-13-01", "01/03/2026", ""} {
		if _, err := report.ParseDate(s, hcm); langnghe.ErrorCode(err) != langnghe.EINVALID {
			t.Errorf("ParseDate(%q) error %v, want EINVALID", s, err)
		}
	}
	if _, err := report.ParseFormat("xlsx"); langnghe.ErrorCode(err) != langnghe.EINVALID {
		t.Errorf("ParseFormat(xlsx) error %v, want EINVALID", err)
	}
}

func TestFormats(t *testing.T) {
	db := storagetest.SQLite(t)
	seed(t, db)
	r := build(t, db, langnghe.ReportCategory)

	var b bytes.Buffer
	if err := r.Write(&b, report.CSV); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"category", "name", "received", "forwarded", "answered_on_time", "answered_late", "median_days_to_answer", "rated", "satisfied", "satisfaction_rate"},
		{"health", "Y tế", "2", "0", "1", "0", "1.00", "0", "0", ""},
		{"land", "Đất đai", "2", "1", "1", "1", "6.50", "2", "1", "0.5000"},
		{"total", "Tổng cộng", "4", "1", "2", "1", "3.00", "2", "1", "0.5000"},
	}
	if jsonOf(t, recs) != jsonOf(t, want) {
		t.Errorf("CSV\n got %q\nwant %q", recs, want)
	}

	b.Reset()
	if err := r.Write(&b, report.JSON); err != nil {
		t.Fatal(err)
	}
	var back report.Report
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if jsonOf(t, back) != jsonOf(t, r) {
		t.Errorf("JSON does not round-trip:\n%s", b.String())
	}

	b.Reset()
	if err := r.Write(&b, report.Table); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Opinions received 2026-03-01 to 2026-03-31", "Đất đai", "50.0% of 2", "6.5", "Tổng cộng"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}

// TestByMonth checks the months are local ones (the opinion of 1 April
// 00:10 in Hồ Chí Minh City is still 31 March in UTC) and that months
// without opinions have a row.
func TestByMonth(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		seed(t, db)
		r, err := report.Build(context.Background(), db, report.Query{From: local(1, 15, 0, 0), To: local(5, 10, 0, 0), By: langnghe.ReportMonth},
			report.Options{TimeZone: hcm})
		if err != nil {
			t.Fatal(err)
		}
		type month struct {
			Key, Name string
			Received  int
		}
		var got []month
		for _, row := range r.Rows {
			got = append(got, month{row.Key, row.Name, row.Received})
		}
		want := []month{{"2026-01", "01/2026", 0}, {"2026-02", "02/2026", 1}, {"2026-03", "03/2026", 4}, {"2026-04", "04/2026", 1}, {"2026-05", "05/2026", 0}}
		if jsonOf(t, got) != jsonOf(t, want) {
			t.Errorf("months\n got %+v\nwant %+v", got, want)
		}
		if r.Total.Received != 6 {
			t.Errorf("total received %d, want 6", r.Total.Received)
		}
		// March alone: the month of the first row's median agrees with the
		// whole March report.
		march := build(t, db, langnghe.ReportTotal)
		r, err = report.Build(context.Background(), db, report.Query{From: local(3, 1, 0, 0), To: local(3, 31, 0, 0), By: langnghe.ReportMonth},
			report.Options{TimeZone: hcm})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Rows) != 1 || jsonOf(t, r.Rows[0].MedianDaysToAnswer) != jsonOf(t, march.Total.MedianDaysToAnswer) || r.Rows[0].Received != 4 {
			t.Errorf("March by month = %+v, want one row like the total %+v", r.Rows, march.Total)
		}
	})
}

func TestTooManyMonths(t *testing.T) {
	db := storagetest.SQLite(t)
	_, err := report.Build(context.Background(), db, report.Query{From: time.Date(2000, 1, 1, 0, 0, 0, 0, hcm), To: local(3, 1, 0, 0), By: langnghe.ReportMonth},
		report.Options{TimeZone: hcm})
	if langnghe.ErrorCode(err) != langnghe.EINVALID {
		t.Fatalf("26 years by month: error %v, want EINVALID", err)
	}
}

// TestFilters checks a unit official's scope and the filters narrow the
// figures.
func TestFilters(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		seed(t, db)
		tests := []struct {
			name     string
			q        report.Query
			received int
			rows     int
		}{
			{"one unit", report.Query{Scope: &langnghe.Scope{Units: []string{"trung_tam_y_te"}}, By: langnghe.ReportUnit}, 1, 1},
			{"two units", report.Query{Scope: &langnghe.Scope{Units: []string{"trung_tam_y_te", "ubnd_minh_thanh"}}, By: langnghe.ReportUnit}, 3, 2},
			{"no unit", report.Query{Scope: &langnghe.Scope{Units: []string{}}, By: langnghe.ReportCategory}, 0, 0},
			{"category", report.Query{Category: "land", By: langnghe.ReportCategory}, 2, 1},
			{"area", report.Query{Area: "long_hoa"}, 1, 0},
			{"unit", report.Query{Unit: "ubnd_minh_thanh"}, 2, 0},
			{"status", report.Query{Status: langnghe.StatusReceived}, 1, 0},
			{"unit outside the scope", report.Query{Unit: "ubnd_minh_thanh", Scope: &langnghe.Scope{Units: []string{"trung_tam_y_te"}}}, 0, 0},
		}
		for _, tt := range tests {
			q := tt.q
			q.From, q.To = local(3, 1, 0, 0), local(3, 31, 0, 0)
			r, err := report.Build(context.Background(), db, q, report.Options{TimeZone: hcm})
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if r.Total.Received != tt.received || len(r.Rows) != tt.rows {
				t.Errorf("%s: %d received in %d rows, want %d in %d", tt.name, r.Total.Received, len(r.Rows), tt.received, tt.rows)
			}
			var listed int
			err = report.EachOpinion(context.Background(), db, q, report.Options{TimeZone: hcm}, func(*langnghe.Opinion) error {
				listed++
				return nil
			})
			if err != nil || listed != tt.received {
				t.Errorf("%s: listed %d opinions (error %v), want %d", tt.name, listed, err, tt.received)
			}
		}
	})
}

// TestEachOpinionPages lists more opinions than one page holds, many of
// them received at the same instant, so pages end inside such a group:
// every opinion comes once, oldest first.
func TestEachOpinionPages(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		const n = 2100
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			for i := range n {
				// Three instants, 700 opinions each, stored newest first.
				at := local(6, 3-i/700, 8, 0)
				o := &langnghe.Opinion{Code: fmt.Sprintf("PG-2026-%06d", i), Category: "land", Text: "Đường ngập", CreatedAt: at}
				if err := tx.CreateOpinion(ctx, o); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int64]bool{}
		var last *langnghe.Opinion
		err = report.EachOpinion(ctx, db, report.Query{From: local(6, 1, 0, 0), To: local(6, 30, 0, 0)}, report.Options{TimeZone: hcm},
			func(o *langnghe.Opinion) error {
				if seen[o.ID] {
					return fmt.Errorf("opinion %s listed twice", o.Code)
				}
				seen[o.ID] = true
				if last != nil && (o.CreatedAt.Before(last.CreatedAt) || o.CreatedAt.Equal(last.CreatedAt) && o.ID < last.ID) {
					return fmt.Errorf("%s (%s) listed after %s (%s)", o.Code, o.CreatedAt, last.Code, last.CreatedAt)
				}
				last = o
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) != n {
			t.Fatalf("listed %d opinions, want %d", len(seen), n)
		}
	})
}

func TestOnTimeRate(t *testing.T) {
	for _, tt := range []struct {
		row  report.Row
		want *float64
	}{
		{report.Row{}, nil},
		{report.Row{AnsweredOnTime: 3, AnsweredLate: 1}, f(0.75)},
		{report.Row{AnsweredLate: 2}, f(0)},
	} {
		if got := tt.row.OnTimeRate(); jsonOf(t, got) != jsonOf(t, tt.want) {
			t.Errorf("%+v: on-time rate %v, want %v", tt.row, jsonOf(t, got), jsonOf(t, tt.want))
		}
	}
}
