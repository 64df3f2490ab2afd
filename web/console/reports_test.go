package console_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"langnghe"
	"langnghe/flows/catalogue"
	"langnghe/report"
	"langnghe/storage"
	"langnghe/storage/storagetest"
	"langnghe/web/console"
)

var hcm = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return loc
}()

func march(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, hcm) }

// reportsFixture is a console in Hồ Chí Minh City's time zone with a board
// official (the fixture's) and a unit official of the medical centre.
type reportsFixture struct {
	*fixture
	unitOfficial int64
}

func newReportsFixture(t *testing.T, db *storage.DB, now time.Time) *reportsFixture {
	t.Helper()
	f := &reportsFixture{fixture: &fixture{db: db, now: now}}
	ctx := context.Background()
	err := db.InTx(ctx, func(tx *storage.Tx) error {
		if err := saveUnits(ctx, tx); err != nil {
			return err
		}
		board := &langnghe.Official{Name: "Ban Dân vận", Role: langnghe.RoleBoard, Channel: "telegram", ExternalID: "42", ChatID: "42"}
		unit := &langnghe.Official{Name: "Trung tâm Y tế", Role: langnghe.RoleUnit, Units: []string{"trung_tam_y_te"},
			Channel: "telegram", ExternalID: "43", ChatID: "43"}
		for _, o := range []*langnghe.Official{board, unit} {
			if err := tx.CreateOfficial(ctx, o); err != nil {
				return err
			}
		}
		f.official, f.unitOfficial = board.ID, unit.ID
		return nil
	})
	if err != nil {
		t.Fatalf("create officials: %v", err)
	}
	clock := func() time.Time { return f.now }
	f.srv = httptest.NewServer(console.New(db, console.Options{TimeZone: hcm, Now: clock, Followup: newCore(hcm, clock)}))
	t.Cleanup(f.srv.Close)
	return f
}

// saveUnits stores the two units of the tests.
func saveUnits(ctx context.Context, tx *storage.Tx) error {
	for _, u := range []langnghe.Unit{
		{Code: "ubnd_minh_thanh", Names: map[string]string{"vi": "UBND xã Minh Thạnh", "en": "Minh Thanh People's Committee"}},
		{Code: "trung_tam_y_te", Names: map[string]string{"vi": "Trung tâm Y tế", "en": "Medical centre"}},
	} {
		if err := tx.SaveUnit(ctx, u); err != nil {
			return err
		}
	}
	return nil
}

// session signs official in and returns the session cookie.
func (f *reportsFixture) session(t *testing.T, official int64) *http.Cookie {
	t.Helper()
	var token string
	err := f.db.InTx(context.Background(), func(tx *storage.Tx) (err error) {
		token, err = tx.CreateSignInToken(context.Background(), official, f.now.Add(time.Minute))
		return err
	})
	if err != nil {
		t.Fatalf("create sign-in token: %v", err)
	}
	_, cookie := f.signIn(t, token)
	if cookie == nil {
		t.Fatal("no session after signing in")
	}
	return cookie
}

// download gets path and returns the answer's status, headers and body.
func (f *reportsFixture) download(t *testing.T, path string, cookie *http.Cookie) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL+path, nil)
	req.AddCookie(cookie)
	resp, err := client().Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return resp.StatusCode, resp.Header, body
}

// seeded are the opinions seedReports stores, by what they test.
type seeded struct {
	contact, anonymous, denunciation, deleted, formula *langnghe.Opinion
}

// seedReports stores March 2026's opinions in two units (and one not yet
// routed), and one on each side of the month, which no March report counts.
func seedReports(t *testing.T, db *storage.DB) seeded {
	t.Helper()
	type op struct {
		category, area, unit string
		track                langnghe.LegalTrack
		created, due         time.Time
		forwarded            bool
		answered             time.Time
		rating               string
		name, phone          string
		anonymous            bool
		text                 string
	}
	ops := []op{
		{"land", "minh_thanh", "ubnd_minh_thanh", "", march(2, 9, 0), march(9, 23, 59), true, march(5, 9, 0), "satisfied", "Nguyễn Văn An", "0901234567", false, "Đường ngập"},
		{"land", "minh_thanh", "ubnd_minh_thanh", "", march(3, 9, 0), march(10, 23, 59), false, march(13, 9, 0), "not_satisfied", "Ẩn Danh", "0900000001", true, "Sổ đỏ chậm"},
		{"health", "long_hoa", "trung_tam_y_te", "", march(10, 9, 0), march(20, 23, 59), false, march(11, 9, 0), "", "Trần Thị Bình", "0912345678", false, "Tiêm chủng"},
		{"health", "", "", "", march(31, 23, 30), march(31, 23, 59).AddDate(0, 0, 10), false, time.Time{}, "", "", "", false, `=HYPERLINK("http://x.example","bấm")`},
		{"land", "minh_thanh", "ubnd_minh_thanh", langnghe.TrackDenunciation, march(15, 9, 0), march(25, 23, 59), false, time.Time{}, "", "Lê Văn Cáo", "0933333333", false, "Tố cáo cán bộ"},
		{"health", "long_hoa", "trung_tam_y_te", "", march(20, 9, 0), march(30, 23, 59), false, time.Time{}, "", "Phạm Đã Xóa", "0944444444", false, "Khám bệnh"},
		{"land", "minh_thanh", "ubnd_minh_thanh", "", march(1, 0, 0).Add(-10 * time.Minute), march(9, 23, 59), true, march(3, 9, 0), "satisfied", "", "", false, "Tháng hai"},
		{"land", "minh_thanh", "ubnd_minh_thanh", "", march(31, 0, 0).AddDate(0, 0, 1).Add(10 * time.Minute), march(31, 0, 0).AddDate(0, 0, 9), false, time.Time{}, "", "", "", false, "Tháng tư"},
	}
	var s seeded
	ctx := context.Background()
	err := db.InTx(ctx, func(tx *storage.Tx) error {
		if err := saveUnits(ctx, tx); err != nil {
			return err
		}
		resident := &langnghe.Resident{Channel: "telegram", ExternalID: "777", ChatID: "777", Name: "Phạm Đã Xóa", Phone: "0944444444"}
		if err := tx.SaveResident(ctx, resident); err != nil {
			return err
		}
		for i, p := range ops {
			code, err := tx.NextOpinionCode(ctx, "DT", 2026)
			if err != nil {
				return err
			}
			o := &langnghe.Opinion{Code: code, Category: p.category, AreaCode: p.area, Text: p.text, LegalTrack: p.track,
				Channel: langnghe.ChannelTelegram, CreatedAt: p.created, DueAt: p.due, ContactName: p.name, ContactPhone: p.phone,
				Anonymous: p.anonymous}
			if i == 5 {
				o.ResidentID = &resident.ID
			}
			// The place as the resident wrote it: shown beside the area
			// when it says more, a denouncer's name concealed in it.
			o.PlaceText = map[int]string{0: "minh hoa", 1: "xã Minh Thạnh", 3: "=1+1", 4: "nhà Lê Văn Cáo, ấp 3"}[i]
			if err := tx.CreateOpinion(ctx, o); err != nil {
				return err
			}
			if err := tx.UpdateOpinion(ctx, o.ID, langnghe.OpinionUpdate{Unit: &p.unit}); err != nil {
				return err
			}
			if p.forwarded {
				if err := tx.AddOpinionEvent(ctx, &langnghe.OpinionEvent{OpinionID: o.ID, StatusFrom: langnghe.StatusReceived,
					StatusTo: langnghe.StatusForwarded, Actor: "official:1", At: p.created.Add(time.Hour)}); err != nil {
					return err
				}
			}
			if !p.answered.IsZero() {
				if err := tx.AddOpinionEvent(ctx, &langnghe.OpinionEvent{OpinionID: o.ID, StatusTo: langnghe.StatusAnswered,
					Actor: "official:1", Public: true, At: p.answered}); err != nil {
					return err
				}
				if err := tx.UpdateOpinion(ctx, o.ID, langnghe.OpinionUpdate{AnsweredAt: &p.answered, Rating: &p.rating}); err != nil {
					return err
				}
			}
			switch i {
			case 0:
				s.contact = o
			case 1:
				s.anonymous = o
			case 3:
				s.formula = o
			case 4:
				s.denunciation = o
			case 5:
				s.deleted = o
			}
		}
		// The resident of the sixth opinion asks for their data to be deleted.
		return tx.DeleteResidentData(ctx, resident.ID)
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return s
}

const marchQuery = "?from=01/03/2026&to=31/03/2026"

// expected builds the March report by dim as the page must show it.
func expected(t *testing.T, db *storage.DB, by langnghe.ReportDimension, units []string) *report.Report {
	t.Helper()
	all, err := db.Units(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	q := report.Query{From: march(1, 0, 0), To: march(31, 0, 0), By: by}
	if units != nil {
		q.Scope = &langnghe.Scope{Units: units}
	}
	r, err := report.Build(context.Background(), db, q,
		report.Options{TimeZone: hcm, Catalogue: catalogue.Default(), Units: all, Language: langnghe.LangVI})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var (
	tableRow  = regexp.MustCompile(`<tr data-key="([^"]*)"><th scope="row">([^<]*)</th>((?:\s*<td class="num">[^<]*</td>)+)</tr>`)
	tableCell = regexp.MustCompile(`<td class="num">([^<]*)</td>`)
)

// pageTable returns the rows of the page's table of a dimension: key, then
// name and cells, as shown.
func pageTable(t *testing.T, page string, by langnghe.ReportDimension) [][]string {
	t.Helper()
	start := strings.Index(page, `<table class="figures" id="table-`+string(by)+`">`)
	if start < 0 {
		t.Fatalf("no table of %s in the page", by)
	}
	table := page[start:]
	table = table[:strings.Index(table, "</table>")]
	var rows [][]string
	for _, m := range tableRow.FindAllStringSubmatch(table, -1) {
		row := []string{m[1], m[2]}
		for _, c := range tableCell.FindAllStringSubmatch(m[3], -1) {
			row = append(row, c[1])
		}
		rows = append(rows, row)
	}
	return rows
}

// shown formats a report row as the page's Vietnamese table does.
func shown(r report.Row) []string {
	pct := func(x *float64) string {
		if x == nil {
			return "–"
		}
		return strings.Replace(strconv.FormatFloat(100**x, 'f', 1, 64), ".", ",", 1) + "%"
	}
	median := "–"
	if r.MedianDaysToAnswer != nil {
		median = strings.Replace(strconv.FormatFloat(*r.MedianDaysToAnswer, 'f', 1, 64), ".", ",", 1)
	}
	return []string{r.Key, r.Name, strconv.Itoa(r.Received), strconv.Itoa(r.Forwarded), strconv.Itoa(r.AnsweredOnTime),
		strconv.Itoa(r.AnsweredLate), pct(r.OnTimeRate()), median, strconv.Itoa(r.Rated), pct(r.SatisfactionRate)}
}

func TestReportsPageShowsTheFigures(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		seedReports(t, db)
		f := newReportsFixture(t, db, time.Now())
		status, page := f.get(t, "/console/reports"+marchQuery, f.session(t, f.official))
		if status != http.StatusOK {
			t.Fatalf("GET /console/reports = %d\n%s", status, page)
		}
		for _, by := range []langnghe.ReportDimension{langnghe.ReportCategory, langnghe.ReportArea, langnghe.ReportUnit, langnghe.ReportMonth} {
			want := expected(t, db, by, nil)
			var rows [][]string
			for _, r := range want.Rows {
				rows = append(rows, shown(r))
			}
			rows = append(rows, shown(want.Total))
			if got := pageTable(t, page, by); !slices.EqualFunc(got, rows, slices.Equal) {
				t.Errorf("table by %s\n got %q\nwant %q", by, got, rows)
			}
		}
		total := expected(t, db, langnghe.ReportTotal, nil).Total
		if total.Received != 6 {
			t.Fatalf("the seed has %d opinions in March, want 6", total.Received)
		}
		for figure, want := range map[string]string{
			"received": "6", "forwarded": "1", "answered_on_time": "2", "answered_late": "1",
			"on_time_rate": "66,7%", "satisfaction_rate": "50,0%", "median_days": "3,0",
		} {
			if !strings.Contains(page, `<dd data-figure="`+figure+`">`+want+`</dd>`) {
				t.Errorf("the page lacks %s = %s", figure, want)
			}
		}
		// The charts: one bar per group, with its figure, and the rates.
		for _, c := range []struct{ chart, key, value string }{
			{"category", "land", "3"}, {"category", "health", "3"}, {"area", "minh_thanh", "3"},
			{"unit", "trung_tam_y_te", "2"}, {"unit", "", "1"}, {"month", "2026-03", "6"},
			{"rates", "on_time", "66,7%"}, {"rates", "satisfaction", "50,0%"},
		} {
			svg := chartOf(t, page, c.chart)
			if !strings.Contains(svg, `<g class="bar" data-key="`+c.key+`" data-value="`+c.value+`">`) {
				t.Errorf("chart %s lacks the bar %q = %s:\n%s", c.chart, c.key, c.value, svg)
			}
		}
		if n := strings.Count(chartOf(t, page, "category"), `<g class="bar"`); n != 2 {
			t.Errorf("the category chart has %d bars, want 2", n)
		}
		if !strings.Contains(page, `<title id="chart-category-title">Ý kiến tiếp nhận theo lĩnh vực</title>`) {
			t.Error("the category chart has no title")
		}
		if strings.Contains(page, "<script") {
			t.Error("the reports page uses JavaScript")
		}
		if !strings.Contains(page, `href="/console/reports.xlsx?from=01%2F03%2F2026&amp;to=31%2F03%2F2026"`) {
			t.Error("the page has no link to the figures' workbook of its period")
		}
	})
}

// The console speaks Chinese too: ?lang=zh, remembered like the others; a
// unit without a Chinese name is named in Vietnamese.
func TestReportsPageInChinese(t *testing.T) {
	db := storagetest.SQLite(t)
	seedReports(t, db)
	f := newReportsFixture(t, db, time.Now())
	status, page := f.get(t, "/console/reports"+marchQuery+"&lang=zh", f.session(t, f.official))
	if status != http.StatusOK {
		t.Fatalf("GET = %d", status)
	}
	for _, want := range []string{`<html lang="zh">`, `<dd data-figure="on_time_rate">66.7%</dd>`, `<th scope="row">Trung tâm Y tế</th>`,
		"按领域统计的受理意见", "意见箱", `<b>中文</b>`, `hreflang="vi">VI</a>`, `hreflang="en">EN</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the Chinese page lacks %q", want)
		}
	}
}

// chartOf returns the SVG of the page's chart.
func chartOf(t *testing.T, page, name string) string {
	t.Helper()
	start := strings.Index(page, `<figure class="chart" id="chart-`+name+`">`)
	if start < 0 {
		t.Fatalf("no chart %s in the page", name)
	}
	svg := page[start:]
	return svg[:strings.Index(svg, "</figure>")]
}

func TestReportsPageInEnglish(t *testing.T) {
	db := storagetest.SQLite(t)
	seedReports(t, db)
	f := newReportsFixture(t, db, time.Now())
	status, page := f.get(t, "/console/reports"+marchQuery+"&lang=en", f.session(t, f.official))
	if status != http.StatusOK {
		t.Fatalf("GET = %d", status)
	}
	for _, want := range []string{`<dd data-figure="on_time_rate">66.7%</dd>`, `<th scope="row">Medical centre</th>`, `<th scope="row">Land</th>`, "Opinions received by category"} {
		if !strings.Contains(page, want) {
			t.Errorf("the English page lacks %q", want)
		}
	}
}

func TestReportsPeriods(t *testing.T) {
	db := storagetest.SQLite(t)
	now := time.Date(2026, 4, 10, 8, 0, 0, 0, hcm)
	f := newReportsFixture(t, db, now)
	cookie := f.session(t, f.official)
	for _, tt := range []struct {
		query, from, to string
	}{
		{"", "01/04/2026", "10/04/2026"},
		{"?preset=this-month", "01/04/2026", "10/04/2026"},
		{"?preset=last-month", "01/03/2026", "31/03/2026"},
		{"?preset=this-year", "01/01/2026", "10/04/2026"},
		{"?from=1/2/2026&to=28/2/2026", "1/2/2026", "28/2/2026"},
	} {
		status, page := f.get(t, "/console/reports"+tt.query, cookie)
		if status != http.StatusOK || !strings.Contains(page, `name="from" value="`+tt.from+`"`) || !strings.Contains(page, `name="to" value="`+tt.to+`"`) {
			t.Errorf("%q = %d, want the period %s – %s", tt.query, status, tt.from, tt.to)
		}
	}
	// last month's export is named after its dates.
	status, h, _ := f.download(t, "/console/reports.csv?preset=last-month", cookie)
	if want := `attachment; filename="bao-cao-2026-03-01_2026-03-31.csv"`; status != http.StatusOK || h.Get("Content-Disposition") != want {
		t.Errorf("last month's CSV = %d %q, want %q", status, h.Get("Content-Disposition"), want)
	}
}

func TestReportsBadInput(t *testing.T) {
	db := storagetest.SQLite(t)
	f := newReportsFixture(t, db, time.Now())
	cookie := f.session(t, f.official)
	for _, tt := range []struct {
		query, message string
		exports        []string
	}{
		// The shared filters' messages (filters.go), in the viewer's language.
		{"?from=31/02/2026&to=31/03/2026", "không phải ngày dạng NGÀY/THÁNG/NĂM", allExports},
		{"?from=2026-03-01&to=31/03/2026", "không phải ngày dạng NGÀY/THÁNG/NĂM", allExports},
		{"?from=01/03/2026&to=", "write the to date", allExports},
		{"?from=31/03/2026&to=01/03/2026", "Ngày kết thúc trước ngày bắt đầu.", allExports},
		{"?preset=this-year&category=nothing", "nothing", allExports},
		{"?preset=next-year", "unknown period", allExports},
		// The figures by month are capped; the opinion list is not.
		{"?from=01/01/2000&to=31/03/2026", "at most 120 months", allExports[:2]},
	} {
		status, page := f.get(t, "/console/reports"+tt.query, cookie)
		if status != http.StatusBadRequest || !strings.Contains(page, tt.message) || !strings.Contains(page, `<form method="get" action="/console/reports"`) {
			t.Errorf("%q = %d, want 400 with the form and %q:\n%s", tt.query, status, tt.message, page)
		}
		for _, export := range tt.exports {
			if status, _, body := f.download(t, export+tt.query, cookie); status != http.StatusBadRequest || !strings.Contains(string(body), tt.message) {
				t.Errorf("%s%s = %d, want 400 saying %q", export, tt.query, status, tt.message)
			}
		}
	}
	// What was typed stays in the form.
	_, page := f.get(t, "/console/reports?from=31/02/2026&to=31/03/2026&category=land", cookie)
	if !strings.Contains(page, `name="from" value="31/02/2026"`) || !strings.Contains(page, `<option value="land" selected>`) {
		t.Error("the form lost what was typed")
	}
}

var allExports = []string{"/console/reports.xlsx", "/console/reports.csv", "/console/reports/opinions.xlsx", "/console/reports/opinions.csv"}

func TestReportsWithoutSession(t *testing.T) {
	f := newReportsFixture(t, storagetest.SQLite(t), time.Now())
	forged := &http.Cookie{Name: console.CookieName, Value: strings.Repeat("cd", 32)}
	for _, path := range append([]string{"/console/reports"}, allExports...) {
		for _, cookie := range []*http.Cookie{nil, forged} {
			status, body := f.get(t, path+marchQuery, cookie)
			// The refusal says how to sign in and shows nothing of the reports.
			if status != http.StatusUnauthorized || strings.Contains(body, "<table") || strings.Contains(body, "PK") || !strings.Contains(body, "/dangnhap") {
				t.Errorf("%s (cookie %v) = %d %q, want 401 with only the way to sign in", path, cookie != nil, status, body)
			}
		}
	}
}

// TestReportsUnitScope checks a unit official sees only their units, in
// the page and in every export, and never a resident's contact.
func TestReportsUnitScope(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		seedReports(t, db)
		f := newReportsFixture(t, db, time.Now())
		cookie := f.session(t, f.unitOfficial)
		status, page := f.get(t, "/console/reports"+marchQuery, cookie)
		if status != http.StatusOK {
			t.Fatalf("GET = %d", status)
		}
		mine := []string{"trung_tam_y_te"}
		want := expected(t, db, langnghe.ReportUnit, mine)
		if want.Total.Received != 2 {
			t.Fatalf("the medical centre has %d opinions in March, want 2", want.Total.Received)
		}
		rows := [][]string{shown(want.Rows[0]), shown(want.Total)}
		if got := pageTable(t, page, langnghe.ReportUnit); !slices.EqualFunc(got, rows, slices.Equal) {
			t.Errorf("a unit official's table by unit\n got %q\nwant %q", got, rows)
		}
		if !strings.Contains(page, `<dd data-figure="received">2</dd>`) || strings.Contains(page, "UBND xã Minh Thạnh") {
			t.Error("a unit official's page shows other units' figures")
		}
		// Asking for another unit gives nothing.
		_, page = f.get(t, "/console/reports"+marchQuery+"&unit=ubnd_minh_thanh", cookie)
		if !strings.Contains(page, `<dd data-figure="received">0</dd>`) {
			t.Error("a unit official got another unit's figures by asking for them")
		}

		_, _, body := f.download(t, "/console/reports.csv"+marchQuery, cookie)
		for _, rec := range readCSV(t, body)[1:] {
			if rec[1] == "ubnd_minh_thanh" || rec[1] == "land" {
				t.Errorf("a unit official's figures CSV has %q", rec)
			}
		}

		_, _, body = f.download(t, "/console/reports/opinions.xlsx"+marchQuery, cookie)
		sheet := readSheet(t, body, "Ý kiến")
		if len(sheet) != 3 {
			t.Fatalf("a unit official's opinion list has %d rows, want the header and 2", len(sheet))
		}
		if slices.Contains(sheet[0], "Họ tên người dân") || slices.Contains(sheet[0], "Số điện thoại") {
			t.Errorf("a unit official's list has contact columns: %q", sheet[0])
		}
		for _, row := range sheet[1:] {
			if row[6] != "Trung tâm Y tế" {
				t.Errorf("a unit official's list has %q", row)
			}
			if strings.Contains(strings.Join(row, " "), "0912345678") || strings.Contains(strings.Join(row, " "), "Trần Thị Bình") {
				t.Errorf("a unit official's list has a resident's contact: %q", row)
			}
		}
		_, _, body = f.download(t, "/console/reports/opinions.csv"+marchQuery, cookie)
		if recs := readCSV(t, body); len(recs) != 3 || strings.Contains(string(body), "0912345678") {
			t.Errorf("a unit official's opinion CSV = %q, want 2 opinions without contacts", recs)
		}
	})
}

func TestReportsFiguresWorkbook(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		seedReports(t, db)
		f := newReportsFixture(t, db, time.Now())
		status, h, body := f.download(t, "/console/reports.xlsx"+marchQuery, f.session(t, f.official))
		if status != http.StatusOK || h.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
			h.Get("Content-Disposition") != `attachment; filename="bao-cao-2026-03-01_2026-03-31.xlsx"` {
			t.Fatalf("GET reports.xlsx = %d %v", status, h)
		}
		book, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("open the workbook: %v", err)
		}
		defer book.Close()
		sheets := map[langnghe.ReportDimension]string{langnghe.ReportCategory: "Theo lĩnh vực", langnghe.ReportArea: "Theo địa bàn",
			langnghe.ReportUnit: "Theo đơn vị", langnghe.ReportMonth: "Theo tháng"}
		if got, want := book.GetSheetList(), []string{"Theo lĩnh vực", "Theo địa bàn", "Theo đơn vị", "Theo tháng"}; !slices.Equal(got, want) {
			t.Fatalf("sheets %q, want %q", got, want)
		}
		for by, name := range sheets {
			want := expected(t, db, by, nil)
			rows, err := book.GetRows(name)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(want.Rows)+2 {
				t.Fatalf("sheet %s has %d rows, want the header, %d groups and the total", name, len(rows), len(want.Rows))
			}
			if rows[0][0] != "Tên" || rows[0][2] != "Tiếp nhận" {
				t.Errorf("sheet %s header %q", name, rows[0])
			}
			for i, r := range append(want.Rows, want.Total) {
				got := rows[i+1]
				key := r.Key
				if i == len(want.Rows) {
					key = ""
				}
				if got[0] != r.Name || cellAt(got, 1) != key || got[2] != strconv.Itoa(r.Received) || got[3] != strconv.Itoa(r.Forwarded) {
					t.Errorf("sheet %s row %d = %q, want %s (%s) with %d received, %d forwarded", name, i+1, got, r.Name, key, r.Received, r.Forwarded)
				}
			}
		}
		// Rates are numbers shown as percentages.
		v, err := book.GetCellValue("Theo lĩnh vực", "G3", excelize.Options{RawCellValue: true})
		if err != nil || v != "0.5" {
			t.Errorf("the land on-time rate cell = %q (%v), want the number 0.5", v, err)
		}
	})
}

func cellAt(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

func TestReportsOpinionExports(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		s := seedReports(t, db)
		f := newReportsFixture(t, db, time.Now())
		cookie := f.session(t, f.official)

		status, h, body := f.download(t, "/console/reports/opinions.xlsx"+marchQuery, cookie)
		if status != http.StatusOK || h.Get("Content-Disposition") != `attachment; filename="y-kien-2026-03-01_2026-03-31.xlsx"` {
			t.Fatalf("GET opinions.xlsx = %d %v\n%s", status, h, body)
		}
		sheet := readSheet(t, body, "Ý kiến")
		header := []string{"Mã", "Thời điểm tiếp nhận", "Lĩnh vực", "Loại đơn", "Địa bàn", "Địa điểm người dân ghi", "Đơn vị", "Trạng thái", "Hạn xử lý",
			"Thời điểm trả lời", "Đúng hạn", "Đánh giá", "Nội dung", "Họ tên người dân", "Số điện thoại"}
		if !slices.Equal(sheet[0], header) {
			t.Fatalf("header %q, want %q", sheet[0], header)
		}
		if len(sheet) != 7 {
			t.Fatalf("the list has %d rows, want the header and March's 6 opinions", len(sheet))
		}
		byCode := map[string][]string{}
		for _, row := range sheet[1:] {
			byCode[row[0]] = row
		}
		first := byCode[s.contact.Code]
		if want := []string{s.contact.Code, "02/03/2026 09:00", "Đất đai", "Phản ánh, kiến nghị", "xã Minh Thạnh", "minh hoa", "UBND xã Minh Thạnh",
			"Đã trả lời", "09/03/2026 23:59", "05/03/2026 09:00", "Có", "Hài lòng", "Đường ngập", "Nguyễn Văn An", "0901234567"}; !slices.Equal(first, want) {
			t.Errorf("row of %s\n got %q\nwant %q", s.contact.Code, first, want)
		}
		for what, o := range map[string]*langnghe.Opinion{"an anonymous resident": s.anonymous, "a resident who deleted their data": s.deleted} {
			row := byCode[o.Code]
			if cellAt(row, 13) != "" || cellAt(row, 14) != "" {
				t.Errorf("the list shows the contact of %s: %q", what, row)
			}
		}
		// A denouncer reads «Bảo mật» to a board without the permission.
		if row := byCode[s.denunciation.Code]; cellAt(row, 13) != langnghe.Concealed || cellAt(row, 14) != "" ||
			cellAt(row, 5) != "nhà […], ấp 3" {
			t.Errorf("the list shows the contact of a denouncer: %q", row)
		}
		if row := byCode[s.anonymous.Code]; row[10] != "Không" || row[11] != "Chưa hài lòng" || row[5] != "" {
			t.Errorf("a late answer's row %q, want late and not satisfied", row)
		}

		status, h, body = f.download(t, "/console/reports/opinions.csv"+marchQuery, cookie)
		if status != http.StatusOK || h.Get("Content-Type") != "text/csv; charset=utf-8" ||
			h.Get("Content-Disposition") != `attachment; filename="y-kien-2026-03-01_2026-03-31.csv"` {
			t.Fatalf("GET opinions.csv = %d %v", status, h)
		}
		if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
			t.Error("the CSV has no UTF-8 BOM")
		}
		recs := readCSV(t, body)
		if len(recs) != 7 || !slices.Equal(recs[0], header) {
			t.Fatalf("CSV = %q, want the header and 6 opinions", recs)
		}
		for _, rec := range recs[1:] {
			if rec[0] == s.contact.Code && !slices.Equal(rec, first) {
				t.Errorf("CSV row %q, want as the workbook's %q", rec, first)
			}
			if rec[0] == s.formula.Code && (rec[12] != `'=HYPERLINK("http://x.example","bấm")` || rec[5] != "'=1+1") {
				t.Errorf("a resident's formula is not defused in the CSV: %q", rec)
			}
		}

		// Filters narrow the list.
		_, _, body = f.download(t, "/console/reports/opinions.csv"+marchQuery+"&category=health&status=received", cookie)
		if recs := readCSV(t, body); len(recs) != 3 {
			t.Errorf("open health opinions = %q, want 2", recs)
		}
		// A period without opinions: the header alone.
		_, _, body = f.download(t, "/console/reports/opinions.csv?from=01/05/2026&to=31/05/2026", cookie)
		if recs := readCSV(t, body); len(recs) != 1 {
			t.Errorf("May's list = %q, want the header alone", recs)
		}
		_, _, body = f.download(t, "/console/reports/opinions.xlsx?from=01/05/2026&to=31/05/2026", cookie)
		if rows := readSheet(t, body, "Ý kiến"); len(rows) != 1 {
			t.Errorf("May's workbook = %q, want the header alone", rows)
		}
	})
}

func TestReportsFiguresCSV(t *testing.T) {
	db := storagetest.SQLite(t)
	seedReports(t, db)
	f := newReportsFixture(t, db, time.Now())
	_, _, body := f.download(t, "/console/reports.csv"+marchQuery, f.session(t, f.official))
	if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
		t.Error("the CSV has no UTF-8 BOM")
	}
	recs := readCSV(t, body)
	var groups int
	for _, by := range []langnghe.ReportDimension{langnghe.ReportCategory, langnghe.ReportArea, langnghe.ReportUnit, langnghe.ReportMonth} {
		groups += len(expected(t, db, by, nil).Rows)
	}
	if len(recs) != 1+groups+1 {
		t.Fatalf("figures CSV has %d lines, want the header, %d groups and the total:\n%q", len(recs), groups, recs)
	}
	want := []string{"Theo lĩnh vực", "land", "Đất đai", "3", "1", "1", "1", "0.5000", "6.50", "2", "1", "0.5000"}
	if !slices.ContainsFunc(recs, func(r []string) bool { return slices.Equal(r, want) }) {
		t.Errorf("figures CSV lacks %q:\n%q", want, recs)
	}
	if last := recs[len(recs)-1]; last[0] != "Tổng cộng" || last[3] != "6" {
		t.Errorf("the last line %q, want the total of 6", last)
	}
}

func readCSV(t *testing.T, body []byte) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatalf("parse CSV: %v\n%s", err, body)
	}
	return recs
}

func readSheet(t *testing.T, body []byte, sheet string) [][]string {
	t.Helper()
	book, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("open the workbook: %v\n%.300s", err, body)
	}
	defer book.Close()
	rows, err := book.GetRows(sheet)
	if err != nil {
		t.Fatalf("sheet %s: %v (sheets %q)", sheet, err, book.GetSheetList())
	}
	return rows
}

// BenchmarkOpinionsExport measures exporting 20,000 opinions (SQLite)
// as .xlsx and as .csv through the handler, download included.
func BenchmarkOpinionsExport(b *testing.B) {
	db := storagetest.SQLite(b)
	ctx := context.Background()
	const n = 20000
	var token string
	err := db.InTx(ctx, func(tx *storage.Tx) error {
		for i := range n {
			o := &langnghe.Opinion{Code: fmt.Sprintf("BX-2026-%06d", i), Category: "land", AreaCode: "minh_thanh",
				Text: "Đường liên ấp bị ngập sau mưa, đề nghị nạo vét mương thoát nước", CreatedAt: march(1, 0, 0).Add(time.Duration(i) * time.Minute)}
			if err := tx.CreateOpinion(ctx, o); err != nil {
				return err
			}
		}
		board := &langnghe.Official{Name: "Ban", Role: langnghe.RoleBoard, Channel: "telegram", ExternalID: "1", ChatID: "1"}
		if err := tx.CreateOfficial(ctx, board); err != nil {
			return err
		}
		var err error
		token, err = tx.CreateSignInToken(ctx, board.ID, time.Now().Add(time.Minute))
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(console.New(db, console.Options{TimeZone: hcm, Followup: newCore(hcm, nil)}))
	defer srv.Close()
	resp, err := client().PostForm(srv.URL+"/signin", url.Values{"token": {token}})
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	cookies := resp.Cookies()
	if len(cookies) != 1 {
		b.Fatalf("sign in = %d, cookies %v", resp.StatusCode, cookies)
	}
	for _, ext := range []string{"xlsx", "csv"} {
		b.Run(ext, func(b *testing.B) {
			for b.Loop() {
				req, _ := http.NewRequest(http.MethodGet, srv.URL+"/console/reports/opinions."+ext+"?from=01/03/2026&to=31/03/2026", nil)
				req.AddCookie(cookies[0])
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				size, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || size < n*20 {
					b.Fatalf("export = %d, %d bytes", resp.StatusCode, size)
				}
			}
		})
	}
}
