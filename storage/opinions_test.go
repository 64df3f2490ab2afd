package storage_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

func TestNextOpinionCode(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		next := func(prefix string, year int) (string, error) {
			var c string
			err := db.InTx(context.Background(), func(tx *storage.Tx) (err error) {
				c, err = tx.NextOpinionCode(context.Background(), prefix, year)
				return err
			})
			return c, err
		}
		tests := []struct {
			prefix   string
			year     int
			want     string
			wantCode string
		}{
			{"DT", 2026, "DT-2026-000001", ""},
			{"DT", 2026, "DT-2026-000002", ""},
			{"DT", 2027, "DT-2027-000001", ""},
			{"MT", 2026, "MT-2026-000001", ""},
			{"dt", 2026, "", langnghe.EINVALID},
			{"", 2026, "", langnghe.EINVALID},
			{"DT-X", 2026, "", langnghe.EINVALID},
			{"DT", 26, "", langnghe.EINVALID},
		}
		for _, tt := range tests {
			got, err := next(tt.prefix, tt.year)
			if got != tt.want || code(err) != tt.wantCode {
				t.Errorf("NextOpinionCode(%q, %d) = %q, %v; want %q, %q", tt.prefix, tt.year, got, err, tt.want, tt.wantCode)
			}
		}
		// A rolled-back transaction gives its number back: no gaps.
		_ = db.InTx(context.Background(), func(tx *storage.Tx) error {
			if _, err := tx.NextOpinionCode(context.Background(), "DT", 2026); err != nil {
				t.Fatal(err)
			}
			return context.Canceled
		})
		if got, _ := next("DT", 2026); got != "DT-2026-000003" {
			t.Errorf("after a rollback: %q, want DT-2026-000003", got)
		}
	})
}

func TestNextOpinionCodeConcurrent(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		const workers, each = 8, 50
		var (
			mu    sync.Mutex
			codes = map[string]bool{}
			wg    sync.WaitGroup
		)
		for range workers {
			wg.Go(func() {
				for range each {
					var c string
					err := db.InTx(context.Background(), func(tx *storage.Tx) (err error) {
						c, err = tx.NextOpinionCode(context.Background(), "DT", 2026)
						return err
					})
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					if codes[c] {
						t.Errorf("code %s handed out twice", c)
					}
					codes[c] = true
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		for i := 1; i <= workers*each; i++ {
			if c := fmt.Sprintf("DT-2026-%06d", i); !codes[c] {
				t.Errorf("gap: %s was never handed out", c)
			}
		}
		if len(codes) != workers*each {
			t.Errorf("%d codes, want %d", len(codes), workers*each)
		}
	})
}

func TestOpinionRoundTrip(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := newResident(t, db, "4001")
		due := at.Add(10 * 24 * time.Hour)
		want := &langnghe.Opinion{
			Code: "DT-2026-000042", ResidentID: &r.ID, Anonymous: true, Category: "land",
			LegalTrack: langnghe.TrackComplaint, AreaCode: "dau_tieng", PlaceText: "khu phố 4B", Text: "Xin cấp sổ đỏ đã 3 tháng chưa có",
			Language: langnghe.LangVI, Channel: langnghe.ChannelTelegram, ContactName: "Lê C", ContactPhone: "0911",
			Location:    &langnghe.Location{Latitude: 11.3, Longitude: 106.4},
			Attachments: []langnghe.Attachment{{Kind: "photo", FileID: "abc", Size: 1234}},
			Answers:     map[string]string{"area": "dau_tieng", "since": "3 tháng"},
			Confidence:  0.93, FlowID: "report", FlowRevision: 7, CreatedAt: at, DueAt: due,
		}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error { return tx.CreateOpinion(ctx, want) })
		if want.ID == 0 || want.Status != langnghe.StatusReceived {
			t.Fatalf("CreateOpinion did not set ID/Status: %+v", want)
		}
		got, err := db.Opinion(ctx, "DT-2026-000042")
		if err != nil {
			t.Fatal(err)
		}
		if _, offset := got.CreatedAt.Zone(); offset != 0 {
			t.Errorf("CreatedAt %v is not UTC", got.CreatedAt)
		}
		got.CreatedAt, got.UpdatedAt, got.DueAt = got.CreatedAt.UTC(), got.UpdatedAt.UTC(), got.DueAt.UTC()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Opinion =\n%+v\nwant\n%+v", got, want)
		}
		if _, err := db.Opinion(ctx, "DT-2026-999999"); code(err) != langnghe.ENOTFOUND {
			t.Errorf("missing opinion: %v, want not found", err)
		}
		err = db.InTx(ctx, func(tx *storage.Tx) error {
			return tx.CreateOpinion(ctx, &langnghe.Opinion{Code: "DT-2026-000042", Category: "land", Text: "again"})
		})
		if code(err) != langnghe.ECONFLICT {
			t.Errorf("duplicate code: %v, want conflict", err)
		}
		// The opinion's history starts with its receipt, once: the
		// conflicting insert added nothing.
		events, err := db.OpinionEvents(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 1 || events[0].StatusTo != langnghe.StatusReceived || events[0].Actor != "resident" ||
			!events[0].Public || !events[0].At.Equal(at) {
			t.Errorf("events after the create and a conflicting one: %+v, want one public receipt by the resident at %v", events, at)
		}
		invalid := []langnghe.Opinion{
			{Code: "X-1", Category: "land", Text: "  "},
			{Code: "X-2", Text: "no category"},
			{Code: "X-3", Category: "land", Text: "t", LegalTrack: "lawsuit"},
		}
		for _, o := range invalid {
			err := db.InTx(ctx, func(tx *storage.Tx) error { return tx.CreateOpinion(ctx, &o) })
			if code(err) != langnghe.EINVALID {
				t.Errorf("CreateOpinion(%+v) = %v, want invalid", o, err)
			}
		}
	})
}

func TestOpinionEvents(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		o := newOpinion(t, db, nil, "health")
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			return tx.AddOpinionEvent(ctx, &langnghe.OpinionEvent{OpinionID: o.ID, StatusFrom: langnghe.StatusReceived,
				StatusTo: langnghe.StatusForwarded, Actor: "official:7", Note: "to the health station", At: at})
		})
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			return tx.AddOpinionEvent(ctx, &langnghe.OpinionEvent{OpinionID: o.ID, StatusFrom: langnghe.StatusReceived,
				StatusTo: langnghe.StatusRejected, Actor: "official:8"})
		})
		if code(err) != langnghe.ECONFLICT {
			t.Errorf("event from a stale status: %v, want conflict", err)
		}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			return tx.AddOpinionEvent(ctx, &langnghe.OpinionEvent{OpinionID: o.ID, Actor: "official:7", Note: "called the station", Public: false})
		})
		events, err := db.OpinionEvents(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			from, to langnghe.Status
			actor    string
			public   bool
		}{
			{"", langnghe.StatusReceived, "resident", true},
			{langnghe.StatusReceived, langnghe.StatusForwarded, "official:7", false},
			{"", "", "official:7", false},
		}
		if len(events) != len(want) {
			t.Fatalf("%d events, want %d: %+v", len(events), len(want), events)
		}
		for i, w := range want {
			e := events[i]
			if e.StatusFrom != w.from || e.StatusTo != w.to || e.Actor != w.actor || e.Public != w.public {
				t.Errorf("event %d = %+v, want %+v", i, e, w)
			}
		}
		if !events[1].At.Equal(at) {
			t.Errorf("event time = %v, want %v", events[1].At, at)
		}
		got, err := db.Opinion(ctx, o.Code)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != langnghe.StatusForwarded {
			t.Errorf("status = %s, want forwarded", got.Status)
		}
	})
}

func TestListOpinions(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		r := newResident(t, db, "5001")
		var land []*langnghe.Opinion
		for range 5 {
			land = append(land, newOpinion(t, db, r, "land"))
		}
		health := newOpinion(t, db, nil, "health")
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			return tx.AddOpinionEvent(ctx, &langnghe.OpinionEvent{OpinionID: health.ID, StatusFrom: langnghe.StatusReceived,
				StatusTo: langnghe.StatusAnswered, Actor: "official:1"})
		})
		ids := func(os []langnghe.Opinion) []int64 {
			var out []int64
			for _, o := range os {
				out = append(out, o.ID)
			}
			return out
		}
		tests := []struct {
			name string
			f    langnghe.OpinionFilter
			want []int64
		}{
			{"all newest first", langnghe.OpinionFilter{}, []int64{health.ID, land[4].ID, land[3].ID, land[2].ID, land[1].ID, land[0].ID}},
			{"by category", langnghe.OpinionFilter{Category: "health"}, []int64{health.ID}},
			{"by status", langnghe.OpinionFilter{Status: langnghe.StatusReceived, Limit: 2}, []int64{land[4].ID, land[3].ID}},
			{"next page", langnghe.OpinionFilter{Status: langnghe.StatusReceived, Limit: 2, AfterID: land[3].ID}, []int64{land[2].ID, land[1].ID}},
			{"by area", langnghe.OpinionFilter{Area: "nowhere"}, nil},
			{"since the future", langnghe.OpinionFilter{Since: time.Now().Add(time.Hour)}, nil},
			{"since the past", langnghe.OpinionFilter{Since: time.Now().Add(-time.Hour), Category: "health"}, []int64{health.ID}},
		}
		for _, tt := range tests {
			got, err := db.ListOpinions(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(ids(got)) != fmt.Sprint(tt.want) {
				t.Errorf("%s: ids %v, want %v", tt.name, ids(got), tt.want)
			}
		}
		var byResident []langnghe.Opinion
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) (err error) {
			byResident, err = tx.OpinionsByResident(ctx, r.ID, 3)
			return err
		})
		if fmt.Sprint(ids(byResident)) != fmt.Sprint([]int64{land[4].ID, land[3].ID, land[2].ID}) {
			t.Errorf("OpinionsByResident = %v", ids(byResident))
		}
		counts, err := db.CountOpinionsByStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts[langnghe.StatusReceived] != 5 || counts[langnghe.StatusAnswered] != 1 || len(counts) != 2 {
			t.Errorf("CountOpinionsByStatus = %v", counts)
		}
	})
}
