package report_test

import (
	"context"
	"database/sql"
	"log/slog"
	"os"
	"testing"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/digest"
	"langnghe/flows/catalogue"
	"langnghe/report"
	"langnghe/storage"
	"langnghe/storage/storagetest"

	_ "github.com/lib/pq" // the generator's own connection
)

// benchNow is the "now" of the generated data: the newest opinion was
// received just before it.
var benchNow = time.Date(2026, 11, 27, 7, 30, 0, 0, hcm)

// seedMillion fills db (PostgreSQL) with 1,000,000 opinions received over
// the three years before benchNow (one every 95 s), with their events, in a
// few INSERT ... SELECT generate_series statements: 12 categories, 6 areas,
// 8 units; 4,160 still open (mostly recent, some overdue), the rest answered
// or closed, a third of the answers rated; a quarter forwarded.
func seedMillion(b *testing.B, sql func(query string)) {
	b.Helper()
	start := time.Now()
	sql(`INSERT INTO units (code, names, created_at) SELECT 'unit_' || u, '{}', now() FROM generate_series(0, 7) u`)
	sql(`INSERT INTO opinions (code, category, legal_track, area_code, text, language, channel, status,
			created_at, updated_at, due_at, unit_code, answered_at, rating)
		SELECT 'BM-' || g,
			(ARRAY['land','health','admin_procedures','environment','construction','infrastructure','security',
				'social_policy','education','culture_sports','policy_opinion','other'])[1 + g % 12],
			'feedback',
			(ARRAY['dau_tieng','minh_thanh','long_hoa','thanh_an','tay_nam',''])[1 + (g / 12) % 6],
			'Ý kiến số ' || g, 'vi', 'telegram',
			CASE WHEN g % 50 = 0 AND g < 200000 OR g % 5000 = 0 THEN
					(ARRAY['received','forwarded','in_progress','extended','reopened'])[1 + (g / 50) % 5]
				WHEN g % 7 = 0 THEN 'closed' ELSE 'answered' END,
			c, c, c + interval '10 days', 'unit_' || (g % 8),
			CASE WHEN g % 50 = 0 AND g < 200000 OR g % 5000 = 0 OR g % 7 = 0 THEN NULL
				ELSE c + (g % 15) * interval '1 day' + (g % 24) * interval '1 hour' END,
			CASE WHEN g % 50 = 0 AND g < 200000 OR g % 5000 = 0 OR g % 7 = 0 THEN ''
				WHEN g % 3 = 0 THEN 'satisfied' WHEN g % 9 = 1 THEN 'not_satisfied' ELSE '' END
		FROM generate_series(1, 1000000) g, LATERAL (SELECT timestamptz '2026-11-27 07:29:00+07' - g * interval '95 seconds' AS c) t`)
	sql(`INSERT INTO opinion_events (opinion_id, status_from, status_to, actor, public, at)
		SELECT id, '', 'received', 'resident', true, created_at FROM opinions`)
	sql(`INSERT INTO opinion_events (opinion_id, status_from, status_to, actor, public, at)
		SELECT id, 'received', 'forwarded', 'official:1', true, created_at + interval '1 day' FROM opinions WHERE id % 4 = 0`)
	sql(`INSERT INTO opinion_events (opinion_id, status_from, status_to, actor, note, public, at)
		SELECT id, 'in_progress', 'answered', 'official:1', 'Đã xử lý', true, answered_at FROM opinions WHERE answered_at IS NOT NULL`)
	sql(`VACUUM ANALYZE opinions`)
	sql(`VACUUM ANALYZE opinion_events`)
	b.Logf("generated 1,000,000 opinions and their events in %s", time.Since(start).Round(time.Second))
}

// BenchmarkMillion measures the daily digest and the period report over
// 1,000,000 stored opinions on PostgreSQL; the goal is ≤ 1 s each. Run:
//
//	go test -run '^$' -bench Million -benchtime 10x ./report
func BenchmarkMillion(b *testing.B) {
	ctx := context.Background()
	// LANGNGHE_BENCH_POSTGRES names a database to keep between runs: the
	// data is generated into it once. Otherwise a throwaway database.
	url, keep := os.LookupEnv("LANGNGHE_BENCH_POSTGRES")
	if !keep {
		url = storagetest.PostgresURL(b)
	}
	db, err := storage.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	// The generator writes plain SQL on a connection of its own.
	raw, err := sql.Open("postgres", url)
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	var stored int
	if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM opinions`).Scan(&stored); err != nil {
		b.Fatal(err)
	}
	if stored == 0 {
		seedMillion(b, func(query string) {
			if _, err := raw.ExecContext(ctx, query); err != nil {
				b.Fatalf("%v\n%s", err, query)
			}
		})
	}
	if _, err := raw.ExecContext(ctx, `DELETE FROM officials`); err != nil {
		b.Fatal(err)
	}

	officials := map[string]*langnghe.Official{
		"board": {Name: "board", Role: langnghe.RoleBoard, Channel: langnghe.ChannelTelegram, ExternalID: "1", ChatID: "1",
			Digest: langnghe.DigestDaily, DigestTime: "07:30"},
		"unit": {Name: "unit", Role: langnghe.RoleUnit, Units: []string{"unit_3"}, Channel: langnghe.ChannelTelegram,
			ExternalID: "2", ChatID: "2", Digest: langnghe.DigestDaily, DigestTime: "07:30"},
	}
	for _, o := range officials {
		o.CreatedAt = benchNow.AddDate(-1, 0, 0)
		if err := db.InTx(ctx, func(tx *storage.Tx) error { return tx.CreateOfficial(ctx, o) }); err != nil {
			b.Fatal(err)
		}
	}
	runner := digest.New(db, catalogue.Default(), calendar.Default(hcm), digest.Options{
		TimeZone: hcm, Now: func() time.Time { return benchNow }, Log: slog.New(slog.DiscardHandler)})
	for _, name := range []string{"board", "unit"} {
		b.Run("digest/daily/"+name, func(b *testing.B) {
			for b.Loop() {
				if _, err := runner.Preview(ctx, officials[name]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}

	periods := []struct {
		name     string
		from, to time.Time
	}{
		{"month", time.Date(2026, 10, 1, 0, 0, 0, 0, hcm), time.Date(2026, 10, 31, 0, 0, 0, 0, hcm)},
		{"year", time.Date(2025, 1, 1, 0, 0, 0, 0, hcm), time.Date(2025, 12, 31, 0, 0, 0, 0, hcm)},
		{"all", time.Date(2023, 1, 1, 0, 0, 0, 0, hcm), time.Date(2026, 12, 31, 0, 0, 0, 0, hcm)},
	}
	for _, p := range periods {
		for _, by := range []langnghe.ReportDimension{langnghe.ReportTotal, langnghe.ReportCategory, langnghe.ReportUnit, langnghe.ReportMonth} {
			name := string(by)
			if name == "" {
				name = "total"
			}
			b.Run("report/"+p.name+"/"+name, func(b *testing.B) {
				for b.Loop() {
					r, err := report.Build(ctx, db, report.Query{From: p.from, To: p.to, By: by}, report.Options{TimeZone: hcm})
					if err != nil {
						b.Fatal(err)
					}
					if r.Total.Received == 0 {
						b.Fatal("the report counted nothing")
					}
				}
			})
		}
	}
}
