package storage_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// spec is an opinion to store for the inbox's tests.
type spec struct {
	text     string
	category string
	track    langnghe.LegalTrack
	status   langnghe.Status
	unit     string
	created  time.Time
	due      time.Time
}

// store stores the opinions in one transaction and returns them in order.
func store(t *testing.T, db *storage.DB, specs ...spec) []*langnghe.Opinion {
	t.Helper()
	var out []*langnghe.Opinion
	inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
		for _, s := range specs {
			o := &langnghe.Opinion{Text: s.text, Category: s.category, LegalTrack: s.track, Status: s.status,
				CreatedAt: s.created, DueAt: s.due, Language: langnghe.LangVI, Channel: langnghe.ChannelTelegram}
			if o.Text == "" {
				o.Text = "Đường ấp 3 bị ngập"
			}
			if o.Category == "" {
				o.Category = "land"
			}
			code, err := tx.NextOpinionCode(ctx, "DT", 2026)
			if err != nil {
				return err
			}
			o.Code = code
			if err := tx.CreateOpinion(ctx, o); err != nil {
				return err
			}
			if s.unit != "" {
				if err := tx.UpdateOpinion(ctx, o.ID, langnghe.OpinionUpdate{Unit: &s.unit}); err != nil {
					return err
				}
			}
			out = append(out, o)
		}
		return nil
	})
	return out
}

func list(t *testing.T, db *storage.DB, f langnghe.OpinionFilter) []langnghe.Opinion {
	t.Helper()
	got, err := db.ListOpinions(context.Background(), f)
	if err != nil {
		t.Fatalf("ListOpinions(%+v): %v", f, err)
	}
	return got
}

func codesOf(ops []langnghe.Opinion) []string {
	out := []string{}
	for _, o := range ops {
		out = append(out, o.Code)
	}
	return out
}

func codes(ops ...*langnghe.Opinion) []string {
	out := []string{}
	for _, o := range ops {
		out = append(out, o.Code)
	}
	return out
}

// Search matches the text with or without diacritics, in any case and in
// either Unicode form, and takes LIKE's wildcards literally.
func TestListOpinionsSearch(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ops := store(t, db,
			spec{text: "Sổ đỏ của tôi chưa được cấp"},
			spec{text: "Đường ấp 3 bị ngập nước"},
			spec{text: "Giảm 50% học phí_cho con"},
			spec{text: "So\u0302\u0309 \u0111o\u0309 (decomposed)"},
			spec{text: "ĐƯỜNG\nliên xã hư hỏng"},
		)
		tests := []struct {
			search string
			want   []string
		}{
			{"so do", codes(ops[3], ops[0])},
			{"SỔ ĐỎ", codes(ops[3], ops[0])},
			{"So\u0302\u0309 \u0111o\u0309", codes(ops[3], ops[0])},
			{"  duong  ", codes(ops[4], ops[1])},
			{"đường liên", codes(ops[4])},
			{"50%", codes(ops[2])},
			{"phi_cho", codes(ops[2])},
			{"c_p", nil},
			{"%", codes(ops[2])}, // the literal per cent sign, not a wildcard
			{"khong co dau", nil},
		}
		for _, tt := range tests {
			got := codesOf(list(t, db, langnghe.OpinionFilter{Text: tt.search}))
			if tt.want == nil {
				tt.want = []string{}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("search %q = %v, want %v", tt.search, got, tt.want)
			}
		}
	})
}

// Each order pages through every opinion exactly once with keyset
// cursors, ties broken by id, and opinions without a due date last in the
// order by due date.
func TestListOpinionsOrdersAndPages(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		t0 := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
		day := 24 * time.Hour
		ops := store(t, db,
			spec{created: t0, due: t0.Add(5 * day)},
			spec{created: t0.Add(time.Hour), due: t0.Add(2 * day)},
			spec{created: t0.Add(time.Hour)}, // same time as the one before: the id decides
			spec{created: t0.Add(3 * time.Hour), due: t0.Add(2 * day)},
			spec{created: t0.Add(2 * time.Hour), due: t0.Add(9 * day)},
			spec{created: t0.Add(4 * time.Hour)},
			spec{created: t0.Add(5 * time.Hour), due: t0.Add(1 * day)},
		)
		tests := []struct {
			sort langnghe.OpinionSort
			want []string
		}{
			{langnghe.SortNewest, codes(ops[6], ops[5], ops[3], ops[4], ops[2], ops[1], ops[0])},
			{langnghe.SortOldest, codes(ops[0], ops[1], ops[2], ops[4], ops[3], ops[5], ops[6])},
			{langnghe.SortDue, codes(ops[6], ops[1], ops[3], ops[0], ops[4], ops[2], ops[5])},
		}
		for _, tt := range tests {
			if got := codesOf(list(t, db, langnghe.OpinionFilter{Sort: tt.sort})); !slices.Equal(got, tt.want) {
				t.Errorf("order %q = %v, want %v", tt.sort, got, tt.want)
			}
			for _, size := range []int{1, 2, 3} {
				var got []string
				f := langnghe.OpinionFilter{Sort: tt.sort, Limit: size}
				for page := 0; page < 10; page++ {
					ops := list(t, db, f)
					got = append(got, codesOf(ops)...)
					if len(ops) < size {
						break
					}
					last := ops[len(ops)-1]
					f.AfterID, f.AfterDue = last.ID, last.DueAt
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("order %q in pages of %d = %v, want %v", tt.sort, size, got, tt.want)
				}
			}
		}
		if _, err := db.ListOpinions(context.Background(), langnghe.OpinionFilter{Sort: "random"}); langnghe.ErrorCode(err) != langnghe.EINVALID {
			t.Errorf("an unknown order: %v, want EINVALID", err)
		}
	})
}

// The inbox's filters select what they say, alone and together.
func TestListOpinionsInboxFilters(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			return tx.SaveUnit(ctx, langnghe.Unit{Code: "a", Names: map[string]string{"vi": "A"}})
		})
		ops := store(t, db,
			spec{category: "land", created: now.Add(-72 * time.Hour), due: now.Add(-time.Hour), unit: "a"},                                                      // overdue
			spec{category: "land", created: now.Add(-48 * time.Hour), due: now.Add(20 * time.Hour)},                                                             // due soon
			spec{category: "health", created: now.Add(-24 * time.Hour), due: now.Add(30 * 24 * time.Hour)},                                                      // later
			spec{category: "land", track: langnghe.TrackComplaint, created: now.Add(-2 * time.Hour), status: langnghe.StatusAnswered, due: now.Add(-time.Hour)}, // closed, past due
			spec{category: "health", track: langnghe.TrackDenunciation, created: now.Add(-time.Hour), status: langnghe.StatusRejected, unit: "a"},
		)
		tests := []struct {
			name string
			f    langnghe.OpinionFilter
			want []string
		}{
			{"complaints", langnghe.OpinionFilter{LegalTrack: langnghe.TrackComplaint}, codes(ops[3])},
			{"feedback", langnghe.OpinionFilter{LegalTrack: langnghe.TrackFeedback}, codes(ops[2], ops[1], ops[0])},
			{"closed", langnghe.OpinionFilter{Closed: true}, codes(ops[4], ops[3])},
			{"open", langnghe.OpinionFilter{Open: true}, codes(ops[2], ops[1], ops[0])},
			{"open and closed", langnghe.OpinionFilter{Open: true, Closed: true}, codes()},
			{"overdue", langnghe.OpinionFilter{OverdueAt: now}, codes(ops[0])},
			{"due soon", langnghe.OpinionFilter{DueFrom: now, DueBy: now.Add(24 * time.Hour)}, codes(ops[1])},
			{"status", langnghe.OpinionFilter{Status: langnghe.StatusRejected}, codes(ops[4])},
			{"status and open", langnghe.OpinionFilter{Status: langnghe.StatusRejected, Open: true}, codes()},
			{"received in a period", langnghe.OpinionFilter{Since: now.Add(-50 * time.Hour), Until: now.Add(-2 * time.Hour)}, codes(ops[2], ops[1])},
			{"category, unit and closed", langnghe.OpinionFilter{Category: "health", Unit: "a", Closed: true}, codes(ops[4])},
			{"units and search", langnghe.OpinionFilter{Scope: &langnghe.Scope{Units: []string{"a"}}, Text: "duong ap"}, codes(ops[4], ops[0])},
			{"overdue by due date", langnghe.OpinionFilter{OverdueAt: now, Sort: langnghe.SortDue}, codes(ops[0])},
		}
		for _, tt := range tests {
			if got := codesOf(list(t, db, tt.f)); !slices.Equal(got, tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			}
		}
	})
}

// Counts per status keep every other filter; the pass that counts them
// stops after reading twenty times the cap, and says so.
func TestCountOpinions(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		var specs []spec
		for i := range 5 {
			specs = append(specs, spec{category: "land", text: fmt.Sprint("Sổ đỏ ", i)})
		}
		for range 20 {
			specs = append(specs, spec{category: "education"})
		}
		specs = append(specs,
			spec{category: "land", status: langnghe.StatusAnswered},
			spec{category: "land", status: langnghe.StatusAnswered, text: "sổ đỏ đã có"},
			spec{category: "health", status: langnghe.StatusClosed})
		store(t, db, specs...)
		// count shows the counts as "status:n" ("n+" when counting stopped).
		count := func(f langnghe.OpinionFilter, upTo int) string {
			t.Helper()
			var got map[langnghe.Status]langnghe.OpinionCount
			inTx(t, db, func(ctx context.Context, tx *storage.Tx) (err error) {
				got, err = tx.CountOpinions(ctx, f, upTo)
				return err
			})
			var out []string
			for s, n := range got {
				if n.Estimate {
					t.Errorf("%s: a count of a few opinions was estimated: %+v", s, n)
				}
				if n.N > 0 || n.AtLeast {
					out = append(out, fmt.Sprintf("%s:%d", s, n.N)+map[bool]string{true: "+"}[n.AtLeast])
				}
			}
			slices.Sort(out)
			return strings.Join(out, " ") + fmt.Sprintf(" (%d statuses)", len(got))
		}
		tests := []struct {
			name string
			f    langnghe.OpinionFilter
			upTo int
			want string
		}{
			{"all", langnghe.OpinionFilter{}, 100, "answered:2 closed:1 received:25 (10 statuses)"},
			{"a category", langnghe.OpinionFilter{Category: "land"}, 100, "answered:2 received:5 (10 statuses)"},
			{"searched", langnghe.OpinionFilter{Text: "so do"}, 100, "answered:1 received:5 (10 statuses)"},
			{"open only", langnghe.OpinionFilter{Open: true}, 100, "received:25 (5 statuses)"},
			{"one status", langnghe.OpinionFilter{Status: langnghe.StatusClosed}, 100, "closed:1 (1 statuses)"},
			{"counting stops", langnghe.OpinionFilter{Status: langnghe.StatusReceived}, 1, "received:20+ (1 statuses)"},
			{"no units", langnghe.OpinionFilter{Scope: &langnghe.Scope{}}, 100, " (0 statuses)"},
		}
		for _, tt := range tests {
			if got := count(tt.f, tt.upTo); got != tt.want {
				t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
			}
		}
		err := db.InTx(context.Background(), func(tx *storage.Tx) error {
			_, err := tx.CountOpinions(context.Background(), langnghe.OpinionFilter{}, 0)
			return err
		})
		if langnghe.ErrorCode(err) != langnghe.EINVALID {
			t.Errorf("a count without a cap: %v, want EINVALID", err)
		}
	})
}

// Opinions stored without a folded text (before migration 00006) are
// folded when the database is migrated, in batches, and then found.
func TestMigrateFoldsStoredTexts(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		const n = 1001 // more than two batches
		specs := make([]spec, n)
		for i := range specs {
			specs[i] = spec{text: fmt.Sprintf("Ý kiến số %d: Sổ ĐỎ", i)}
		}
		store(t, db, specs...)
		if err := db.ForgetFoldedTexts(ctx); err != nil {
			t.Fatal(err)
		}
		searched := func() int {
			var got map[langnghe.Status]langnghe.OpinionCount
			inTx(t, db, func(ctx context.Context, tx *storage.Tx) (err error) {
				got, err = tx.CountOpinions(ctx, langnghe.OpinionFilter{Text: "so do"}, 2*n)
				return err
			})
			return got[langnghe.StatusReceived].N
		}
		if got := searched(); got != 0 {
			t.Fatalf("before folding, search found %d", got)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if got := searched(); got != n {
			t.Errorf("after migrating, search found %d of %d", got, n)
		}
		if got := list(t, db, langnghe.OpinionFilter{Text: "SO SO 1000: so"}); len(got) != 0 {
			t.Errorf("a search for text that is not there found %d", len(got))
		}
		if got := list(t, db, langnghe.OpinionFilter{Text: strings.ToUpper("số 1000: sổ")}); len(got) != 1 {
			t.Errorf("search for one opinion found %d", len(got))
		}
	})
}

// On PostgreSQL, a status expected to hold far more matches than the cap
// gets the planner's estimate; the others are counted.
func TestCountOpinionsEstimates(t *testing.T) {
	t.Parallel()
	db := storagetest.Postgres(t)
	ctx := context.Background()
	store(t, db, spec{status: langnghe.StatusClosed}, spec{status: langnghe.StatusClosed})
	err := db.Exec(ctx, `INSERT INTO opinions (code, category, legal_track, text, text_folded, status, created_at, updated_at)
		SELECT 'BULK-' || g, CASE WHEN g % 2 = 0 THEN 'land' ELSE 'health' END, 'feedback', 'Sổ đỏ', 'so do',
			'answered', now(), now() FROM generate_series(1, 60000) g`)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(ctx, `ANALYZE opinions`); err != nil {
		t.Fatal(err)
	}
	var got map[langnghe.Status]langnghe.OpinionCount
	inTx(t, db, func(ctx context.Context, tx *storage.Tx) (err error) {
		got, err = tx.CountOpinions(ctx, langnghe.OpinionFilter{Category: "land"}, 100)
		return err
	})
	if a := got[langnghe.StatusAnswered]; !a.Estimate || a.N < 20000 || a.N > 40000 {
		t.Errorf("30,000 answered land opinions: %+v, want an estimate near 30,000", a)
	}
	if c := got[langnghe.StatusClosed]; c.Estimate || c.N != 2 {
		t.Errorf("2 closed land opinions: %+v, want counted", c)
	}
	if r := got[langnghe.StatusReceived]; r.Estimate || r.N != 0 {
		t.Errorf("no received opinions: %+v, want counted", r)
	}
}
