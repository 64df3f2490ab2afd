package storage_test

import (
	"context"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

func TestResidents(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		r := newResident(t, db, "1001")
		if r.ID == 0 || r.CreatedAt.IsZero() {
			t.Fatalf("SaveResident did not set ID/CreatedAt: %+v", r)
		}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			got, err := tx.ResidentByExternal(ctx, langnghe.ChannelTelegram, "1001")
			if err != nil {
				return err
			}
			if *got != *r {
				t.Errorf("ResidentByExternal = %+v, want %+v", got, r)
			}
			r.Name, r.Language = "Trần Thị B", langnghe.LangEN
			if err := tx.SaveResident(ctx, r); err != nil {
				return err
			}
			got, err = tx.Resident(ctx, r.ID)
			if err != nil {
				return err
			}
			if got.Name != "Trần Thị B" || got.Language != langnghe.LangEN || !got.UpdatedAt.Equal(r.UpdatedAt) {
				t.Errorf("after update: %+v", got)
			}
			if _, err := tx.Resident(ctx, r.ID+100); code(err) != langnghe.ENOTFOUND {
				t.Errorf("Resident(missing) = %v, want not found", err)
			}
			dup := &langnghe.Resident{Channel: langnghe.ChannelTelegram, ExternalID: "1001"}
			if err := tx.SaveResident(ctx, dup); code(err) != langnghe.ECONFLICT {
				t.Errorf("duplicate resident: %v, want conflict", err)
			}
			// The transaction is still usable after the conflict.
			_, err = tx.Resident(ctx, r.ID)
			return err
		})
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			if err := tx.SetResidentBlocked(ctx, langnghe.ChannelTelegram, "1001", true); err != nil {
				return err
			}
			if err := tx.SetResidentBlocked(ctx, langnghe.ChannelTelegram, "no-such-chat", true); err != nil {
				return err
			}
			got, err := tx.Resident(ctx, r.ID)
			if err != nil {
				return err
			}
			if !got.Blocked {
				t.Error("SetResidentBlocked did not block")
			}
			return nil
		})
	})
}

func TestSessions(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		r := newResident(t, db, "2001")
		other := newResident(t, db, "2002")
		ctx := context.Background()
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			if _, err := tx.Session(ctx, r.ID); code(err) != langnghe.ENOTFOUND {
				t.Errorf("Session before save = %v, want not found", err)
			}
			timeout := at
			s := &langnghe.StoredSession{ResidentID: r.ID, FlowID: "report", Revision: 3, Data: []byte(`{"node":"ask_area"}`), TimeoutAt: &timeout}
			if err := tx.SaveSession(ctx, s); err != nil {
				return err
			}
			got, err := tx.Session(ctx, r.ID)
			if err != nil {
				return err
			}
			if got.FlowID != "report" || got.Revision != 3 || string(got.Data) != `{"node":"ask_area"}` ||
				got.TimeoutAt == nil || !got.TimeoutAt.Equal(at) || !got.UpdatedAt.Equal(s.UpdatedAt) {
				t.Errorf("Session = %+v, want %+v", got, s)
			}
			// Upsert: a later save replaces the session.
			s.Revision, s.TimeoutAt = 4, nil
			if err := tx.SaveSession(ctx, s); err != nil {
				return err
			}
			got, err = tx.Session(ctx, r.ID)
			if err != nil {
				return err
			}
			if got.Revision != 4 || got.TimeoutAt != nil {
				t.Errorf("after second save: %+v", got)
			}
			later := at.Add(time.Hour)
			return tx.SaveSession(ctx, &langnghe.StoredSession{ResidentID: other.ID, FlowID: "report", Data: []byte(`{}`), TimeoutAt: &later})
		})
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			s, err := tx.Session(ctx, r.ID)
			if err != nil {
				return err
			}
			s.TimeoutAt = &at
			return tx.SaveSession(ctx, s)
		})
		tests := []struct {
			name string
			now  time.Time
			want []int64
		}{
			{"before both", at.Add(-time.Nanosecond * 1000), nil},
			{"at the first", at, []int64{r.ID}},
			{"after both", at.Add(2 * time.Hour), []int64{r.ID, other.ID}},
		}
		for _, tt := range tests {
			due, err := db.DueTimeouts(ctx, tt.now, 10)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, s := range due {
				ids = append(ids, s.ResidentID)
			}
			if len(ids) != len(tt.want) || (len(ids) > 0 && (ids[0] != tt.want[0] || ids[len(ids)-1] != tt.want[len(tt.want)-1])) {
				t.Errorf("%s: DueTimeouts = %v, want %v", tt.name, ids, tt.want)
			}
		}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			if err := tx.DeleteSession(ctx, r.ID); err != nil {
				return err
			}
			if _, err := tx.Session(ctx, r.ID); code(err) != langnghe.ENOTFOUND {
				t.Errorf("Session after delete = %v, want not found", err)
			}
			return tx.DeleteSession(ctx, r.ID)
		})
	})
}

func TestConsents(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		r := newResident(t, db, "3001")
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			for _, granted := range []bool{true, false} {
				c := langnghe.Consent{ResidentID: r.ID, Purpose: "contact_by_unit", NoticeVersion: "2026-01", Granted: granted, At: at}
				if err := tx.RecordConsent(ctx, c); err != nil {
					return err
				}
			}
			if err := tx.RecordConsent(ctx, langnghe.Consent{ResidentID: r.ID}); code(err) != langnghe.EINVALID {
				t.Errorf("consent without purpose: %v, want invalid", err)
			}
			got, err := tx.Consents(ctx, r.ID)
			if err != nil {
				return err
			}
			if len(got) != 2 || !got[0].Granted || got[1].Granted || !got[1].At.Equal(at) || got[1].NoticeVersion != "2026-01" {
				t.Errorf("Consents = %+v", got)
			}
			return nil
		})
	})
}

func TestMarkUpdateDedupes(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		mark := func(source, id string) bool {
			var fresh bool
			inTx(t, db, func(ctx context.Context, tx *storage.Tx) (err error) {
				fresh, err = tx.MarkUpdate(ctx, source, id)
				return err
			})
			return fresh
		}
		tests := []struct {
			source, id string
			want       bool
		}{
			{"telegram", "100", true},
			{"telegram", "100", false},
			{"telegram", "101", true},
			{"zalo", "100", true},
		}
		for _, tt := range tests {
			if got := mark(tt.source, tt.id); got != tt.want {
				t.Errorf("MarkUpdate(%s, %s) = %t, want %t", tt.source, tt.id, got, tt.want)
			}
		}
		// BeginUpdate marks the same way (and takes the chat's lock).
		for _, tt := range []struct {
			id   string
			want bool
		}{{"100", false}, {"200", true}, {"200", false}} {
			var fresh bool
			inTx(t, db, func(ctx context.Context, tx *storage.Tx) (err error) {
				fresh, err = tx.BeginUpdate(ctx, "telegram", tt.id, "telegram:1")
				return err
			})
			if fresh != tt.want {
				t.Errorf("BeginUpdate(telegram, %s) = %t, want %t", tt.id, fresh, tt.want)
			}
		}
		// A rolled-back update was not applied: it stays fresh.
		_ = db.InTx(ctx, func(tx *storage.Tx) error {
			if _, err := tx.MarkUpdate(ctx, "telegram", "102"); err != nil {
				t.Fatal(err)
			}
			return context.Canceled
		})
		if !mark("telegram", "102") {
			t.Error("an update whose transaction rolled back is not fresh")
		}
	})
}
