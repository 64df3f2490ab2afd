package console_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"langnghe"
	"langnghe/calendar"
	"langnghe/flows/catalogue"
	"langnghe/flows/vntext"
	"langnghe/followup"
	"langnghe/officedesk"
	"langnghe/storage"
	"langnghe/storage/storagetest"
	"langnghe/web/console"
)

// inboxBenchNow is the "now" of the generated opinions: the newest was
// received just before it.
var inboxBenchNow = time.Date(2026, 11, 27, 7, 30, 0, 0, officeZone)

// inboxBenchTexts are what residents write, each with its category; {n}
// is a hamlet's number. About one opinion in forty shares each text.
var inboxBenchTexts = []struct{ category, text string }{
	{"land", "Gia đình tôi nộp hồ sơ cấp sổ đỏ từ tháng {n} mà đến nay vẫn chưa được cấp"},
	{"infrastructure", "Đường vào ấp {n} có nhiều ổ gà, trời mưa ngập sâu, xe máy đi rất nguy hiểm"},
	{"health", "Thẻ bảo hiểm y tế của mẹ tôi hết hạn, trạm y tế xã không gia hạn được"},
	{"health", "Con tôi chưa được tiêm vắc xin sởi đợt {n}, xin cho biết lịch tiêm bổ sung"},
	{"admin_procedures", "Làm thủ tục đăng ký thường trú ở bộ phận một cửa phải đi lại {n} lần vẫn chưa xong"},
	{"admin_procedures", "Dịch vụ công trực tuyến mức độ 4 hay bị lỗi khi nộp hồ sơ cấp phép xây dựng"},
	{"environment", "Khói bụi từ lò gạch ở ấp {n} làm cả xóm bị ho, đề nghị kiểm tra"},
	{"environment", "Rác thải đổ bừa bãi ven kênh, bốc mùi hôi thối suốt mấy tuần nay"},
	{"land", "Nhà bên cạnh xây lấn sang đất nhà tôi khoảng {n} mét, đã báo ấp nhưng chưa giải quyết"},
	{"construction", "Hàng quán lấn chiếm vỉa hè trước chợ, người đi bộ phải xuống lòng đường"},
	{"infrastructure", "Đèn đường ở ấp {n} bị hư cả tháng nay, buổi tối rất tối và nguy hiểm"},
	{"infrastructure", "Nước máy yếu, có ngày mất nước hoàn toàn từ sáng đến chiều"},
	{"security", "Thanh niên chạy xe lạng lách, bốc đầu trên đường liên xã vào ban đêm"},
	{"security", "Quán karaoke hát đến khuya làm ồn, người già và trẻ nhỏ không ngủ được"},
	{"social_policy", "Mẹ tôi là vợ liệt sĩ nhưng chưa được nhận trợ cấp tháng {n}"},
	{"social_policy", "Hộ nghèo ấp {n} chưa được xét hỗ trợ sửa nhà, đề nghị xem lại danh sách"},
	{"education", "Trường tiểu học thu thêm các khoản ngoài quy định đầu năm học"},
	{"culture_sports", "Nhà văn hóa ấp {n} xuống cấp, mái tôn bị dột khi trời mưa"},
	{"policy_opinion", "Tôi góp ý về chủ trương sáp nhập xã, cần lấy ý kiến người dân rộng rãi hơn"},
	{"land", "Bồi thường giải phóng mặt bằng đường tỉnh chưa thỏa đáng, giá đất quá thấp"},
	{"environment", "Sông Thị Tính sạt lở bờ gần nhà tôi, xin cơ quan chức năng kiểm tra"},
	{"environment", "Khai thác cát trái phép trên sông vào ban đêm gây sạt lở"},
	{"land", "Cán bộ địa chính hẹn nhiều lần mà chưa đo đạc lại thửa đất số {n}"},
	{"admin_procedures", "Chưa nhận được căn cước công dân làm từ tháng {n}"},
	{"land", "Xin hướng dẫn thủ tục tách thửa đất nông nghiệp cho con"},
	{"infrastructure", "Cống thoát nước trước chợ bị tắc, mưa xuống là ngập cả đoạn đường"},
	{"infrastructure", "Cây xanh ven đường ấp {n} nghiêng đổ, nguy cơ ngã vào nhà dân"},
	{"social_policy", "Bảo hiểm xã hội một lần chưa được chi trả dù đã nộp đủ hồ sơ"},
	{"health", "Thực phẩm bán ở cổng trường không rõ nguồn gốc, lo cho sức khỏe học sinh"},
	{"health", "Trạm y tế xã thiếu thuốc, bác sĩ chỉ khám buổi sáng"},
	{"culture_sports", "Đề nghị làm thêm sân chơi thể thao cho thiếu nhi ấp {n}"},
	{"infrastructure", "Điện chập chờn, cúp điện không báo trước làm hư đồ điện trong nhà"},
	{"security", "Người nghiện tụ tập ở bãi đất trống gần trường học"},
	{"policy_opinion", "Tôi đề nghị công khai danh sách hộ được hỗ trợ sau bão"},
	{"construction", "Con đường bê tông mới làm đã nứt, đề nghị kiểm tra chất lượng công trình"},
	{"environment", "Chủ trại heo xả nước thải ra kênh, cá chết hàng loạt"},
	{"admin_procedures", "Đăng ký khai sinh cho cháu nhưng giấy tờ bị ghi sai tên"},
	{"environment", "Xe tải chở đất làm rơi vãi, bụi mù mịt cả ngày"},
	{"other", "Trẻ em đuối nước ở hố khai thác đất bỏ hoang, cần rào chắn"},
	{"social_policy", "Xin hỏi khi nào chi trả tiền hỗ trợ người cao tuổi quý {n}"},
}

// inboxBenchRare is written by about one opinion in ten thousand.
const inboxBenchRare = "Cầu khỉ bắc qua rạch Bến Súc đã gãy một nhịp, học sinh phải lội nước"

// seedInboxMillion fills db with 1,000,000 opinions received over the
// three years before inboxBenchNow (one every 94 s, ids in the order they
// came): the texts above drawn at random, so 12 categories; 6 areas, a
// former one and none; routed to the default units as the default rules
// route them; 3% complaints and 1% denunciations; about 9,500 still open
// (the latest days', and one in two thousand older ones, long overdue),
// the rest answered, closed, rejected, redirected or duplicates.
func seedInboxMillion(b *testing.B, db *sql.DB) {
	b.Helper()
	ctx := context.Background()
	start := time.Now()
	var texts, folded, categories []string
	for _, t := range inboxBenchTexts {
		texts, folded, categories = append(texts, t.text), append(folded, vntext.Fold(t.text)), append(categories, t.category)
	}
	exec := func(query string, args ...any) {
		if _, err := db.ExecContext(ctx, query, args...); err != nil {
			b.Fatalf("%v\n%s", err, query)
		}
	}
	// The trigram index is built once after the rows are in, not row by
	// row (as in migration 00006).
	exec(`DROP INDEX opinions_text_folded`)
	exec(`INSERT INTO opinions (code, category, legal_track, area_code, text, text_folded, language, channel, status,
			created_at, updated_at, due_at, unit_code, answered_at, rating)
		SELECT 'DT-' || g, cat, CASE WHEN g % 33 = 0 THEN 'complaint' WHEN g % 101 = 0 THEN 'denunciation' ELSE 'feedback' END,
			area, CASE WHEN g % 10000 = 7 THEN $4 ELSE replace(($1::text[])[1 + t], '{n}', (1 + g % 9)::text) END,
			CASE WHEN g % 10000 = 7 THEN $5 ELSE replace(($2::text[])[1 + t], '{n}', (1 + g % 9)::text) END,
			'vi', 'telegram', status, c, c, c + (5 + g % 8) * interval '1 day',
			CASE cat WHEN 'land' THEN 'land_environment' WHEN 'environment' THEN 'land_environment'
				WHEN 'health' THEN 'medical_centre' WHEN 'construction' THEN 'urban_infrastructure'
				WHEN 'infrastructure' THEN 'urban_infrastructure' WHEN 'security' THEN 'police'
				WHEN 'education' THEN 'culture_social' WHEN 'culture_sports' THEN 'culture_social'
				WHEN 'social_policy' THEN 'culture_social'
				WHEN 'admin_procedures' THEN CASE WHEN area IN ('dau_tieng', 'minh_thanh', 'long_hoa', 'thanh_an', 'tay_nam')
					THEN 'ubnd_' || area ELSE 'mass_mobilisation' END
				ELSE 'mass_mobilisation' END,
			CASE WHEN status IN ('answered', 'closed') THEN c + (1 + g % 12) * interval '1 day' END,
			CASE WHEN status = 'answered' AND g % 3 = 0 THEN 'satisfied' ELSE '' END
		FROM generate_series(1, 1000000) g,
		LATERAL (SELECT abs(hashint4(g)) % 40 AS t, $6::timestamptz - (1000000 - g) * interval '94 seconds' AS c,
			(ARRAY['dau_tieng','minh_thanh','long_hoa','thanh_an','tay_nam','former_an_lap',''])[1 + (g / 7) % 7] AS area,
			CASE WHEN g > 991000 OR g % 2000 = 0 THEN (ARRAY['received','forwarded','in_progress','extended','reopened'])[1 + g % 5]
				WHEN g % 37 = 0 THEN 'rejected' WHEN g % 53 = 0 THEN 'redirected' WHEN g % 71 = 0 THEN 'duplicate'
				WHEN g % 10 = 0 THEN 'closed' ELSE 'answered' END AS status) r,
		LATERAL (SELECT CASE WHEN g % 10000 = 7 THEN 'infrastructure' ELSE ($3::text[])[1 + t] END AS cat) k`,
		pq.Array(texts), pq.Array(folded), pq.Array(categories), inboxBenchRare, vntext.Fold(inboxBenchRare), inboxBenchNow)
	exec(`CREATE INDEX opinions_text_folded ON opinions USING gin (text_folded gin_trgm_ops)`)
	exec(`VACUUM ANALYZE opinions`)
	b.Logf("generated 1,000,000 opinions in %s", time.Since(start).Round(time.Second))
}

// BenchmarkInboxMillion measures the inbox page — the session check, the
// list, the counts per status and the rendering, as the console serves it —
// with typical filters over 1,000,000 opinions on PostgreSQL, for the board
// and for a unit official. The goal is p95 ≤ 100 ms server time. It only
// runs when asked:
//
//	go test -run '^$' -bench InboxMillion -benchtime 20x ./web/console
//
// LANGNGHE_BENCH_POSTGRES names a database to keep the generated data in
// between runs; otherwise a throwaway one is generated (a few minutes).
func BenchmarkInboxMillion(b *testing.B) {
	m := openMillion(b)
	c, board, unit, raw := m.console, m.board, m.unit, m.raw
	ctx := context.Background()

	// A page deep in the list: the cursor of the 10,000th opinion newest first.
	var deep int64
	if err := raw.QueryRowContext(ctx, `SELECT id FROM opinions ORDER BY created_at DESC, id DESC OFFSET 10000 LIMIT 1`).Scan(&deep); err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name    string
		session *http.Cookie
		query   string
	}{
		{"board/all", board, ""},
		{"board/open", board, "status=open"},
		{"board/overdue", board, "due=overdue"},
		{"board/due-soon", board, "due=soon"},
		{"board/open-by-due-date", board, "status=open&sort=due"},
		{"board/answered", board, "status=answered"},
		{"board/category+area", board, "category=land&area=minh_thanh"},
		{"board/unit+open", board, "unit=medical_centre&status=open"},
		{"board/complaints", board, "track=complaint"},
		{"board/denunciations-one-month", board, "track=denunciation&from=01/10/2026&to=31/10/2026"},
		{"board/one-month", board, "from=01/10/2026&to=31/10/2026"},
		{"board/category+status+year", board, "category=health&status=answered&from=01/01/2025&to=31/12/2025"},
		{"board/oldest", board, "sort=oldest"},
		{"board/page-200", board, fmt.Sprintf("after=%d", deep)},
		{"board/search-common", board, "q=" + url.QueryEscape("sổ đỏ")},
		{"board/search-common-no-diacritics", board, "q=so+do"},
		{"board/search-rare", board, "q=" + url.QueryEscape("cầu khỉ")},
		{"board/search+category+open", board, "q=ngap&category=infrastructure&status=open"},
		{"unit/all", unit, ""},
		{"unit/open", unit, "status=open"},
		{"unit/overdue", unit, "due=overdue"},
		{"unit/search", unit, "q=" + url.QueryEscape("đo đạc")},
	}
	var all []time.Duration
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/console/?"+tc.query, nil)
				req.AddCookie(tc.session)
				rec := httptest.NewRecorder()
				start := time.Now()
				c.ServeHTTP(rec, req)
				times = append(times, time.Since(start))
				if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `class="error"`) {
					b.Fatalf("GET /console/?%s = %d\n%s", tc.query, rec.Code, rec.Body.String())
				}
			}
			all = append(all, times...)
			p50, p95 := percentiles(times)
			b.ReportMetric(p50, "p50-ms")
			b.ReportMetric(p95, "p95-ms")
		})
	}
	if len(all) > 0 {
		p50, p95 := percentiles(all)
		b.Logf("all %d requests: p50 %.1f ms, p95 %.1f ms", len(all), p50, p95)
	}
}

// million is a console on a PostgreSQL database of a million opinions, with
// a board and a unit official signed in.
type million struct {
	console     *console.Console
	raw         *sql.DB
	board, unit *http.Cookie
}

// openMillion opens (and on first use generates) the million-opinion
// database: LANGNGHE_BENCH_POSTGRES keeps it between runs.
func openMillion(b *testing.B) *million {
	b.Helper()
	ctx := context.Background()
	dbURL, keep := os.LookupEnv("LANGNGHE_BENCH_POSTGRES")
	if !keep {
		dbURL = storagetest.PostgresURL(b)
	}
	db, err := storage.Open(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	cat, cal := catalogue.Default(), calendar.Default(officeZone)
	now := func() time.Time { return inboxBenchNow }
	core := followup.New(cat, cal, followup.Options{TimeZone: officeZone, Now: now})
	if _, err := core.Seed(ctx, db); err != nil {
		b.Fatal(err)
	}
	// The generator writes plain SQL on a connection of its own; lib/pq
	// does not know storage's pool_max_conns.
	u, err := url.Parse(dbURL)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Del("pool_max_conns")
	u.RawQuery = q.Encode()
	raw, err := sql.Open("postgres", u.String())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { raw.Close() })
	var stored int
	if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM opinions`).Scan(&stored); err != nil {
		b.Fatal(err)
	}
	if stored == 0 {
		seedInboxMillion(b, raw)
	}

	discard := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := console.New(db, console.Options{TimeZone: officeZone, Now: now, Catalogue: cat, Calendar: cal, Followup: core,
		Desk: officedesk.New(core, cat, officedesk.Options{TimeZone: officeZone, Now: now}, discard), Log: discard})
	return &million{console: c, raw: raw,
		board: inboxBenchSession(b, db, c, langnghe.RoleBoard),
		unit:  inboxBenchSession(b, db, c, langnghe.RoleUnit, "land_environment")}

}

// BenchmarkReportsMillion measures the reports page (every grouping, with
// its charts) at a million opinions, for a month and a year:
//
//	go test -run '^$' -bench ReportsMillion -benchtime 5x ./web/console
func BenchmarkReportsMillion(b *testing.B) {
	m := openMillion(b)
	for _, tc := range []struct {
		name    string
		session *http.Cookie
		query   string
	}{
		{"board/month", m.board, "from=01/10/2026&to=31/10/2026"},
		{"board/year", m.board, "from=01/01/2026&to=31/12/2026"},
		{"unit/year", m.unit, "from=01/01/2026&to=31/12/2026"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/console/reports?"+tc.query, nil)
				req.AddCookie(tc.session)
				rec := httptest.NewRecorder()
				start := time.Now()
				m.console.ServeHTTP(rec, req)
				times = append(times, time.Since(start))
				if rec.Code != http.StatusOK {
					b.Fatalf("GET /console/reports?%s = %d\n%s", tc.query, rec.Code, rec.Body.String())
				}
			}
			p50, p95 := percentiles(times)
			b.ReportMetric(p50, "p50-ms")
			b.ReportMetric(p95, "p95-ms")
		})
	}
}

// inboxBenchSession signs a new official in and returns their cookie.
func inboxBenchSession(b *testing.B, db *storage.DB, c *console.Console, role langnghe.Role, units ...string) *http.Cookie {
	b.Helper()
	ctx := context.Background()
	account := fmt.Sprintf("bench-%s-%d", role, time.Now().UnixNano())
	off := &langnghe.Official{Name: "Bench " + string(role), Role: role, Units: units, Channel: langnghe.ChannelTelegram,
		ExternalID: account, ChatID: account}
	var token string
	err := db.InTx(ctx, func(tx *storage.Tx) (err error) {
		if err := tx.CreateOfficial(ctx, off); err != nil {
			return err
		}
		token, err = tx.CreateSignInToken(ctx, off.ID, inboxBenchNow.Add(time.Minute))
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/signin", strings.NewReader(url.Values{"token": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	c.ServeHTTP(rec, req)
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == console.CookieName {
			return ck
		}
	}
	b.Fatalf("sign in: %d %s", rec.Code, rec.Body.String())
	return nil
}

// percentiles returns the median and the 95th percentile, in milliseconds.
func percentiles(times []time.Duration) (p50, p95 float64) {
	if len(times) == 0 {
		return 0, 0
	}
	s := slices.Clone(times)
	slices.Sort(s)
	at := func(q float64) float64 {
		return float64(s[int(q*float64(len(s)-1)+0.5)]) / float64(time.Millisecond)
	}
	return at(0.50), at(0.95)
}
