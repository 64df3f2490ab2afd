package storage_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// newEmergency records an emergency of kind for unit in area at when.
func newEmergency(t *testing.T, db *storage.DB, r *langnghe.Resident, kind langnghe.EmergencyKind, area, unit string, when time.Time) *langnghe.Emergency {
	t.Helper()
	e := &langnghe.Emergency{Channel: langnghe.ChannelTelegram, Kind: kind, Text: "cháy nhà ở ấp 3, cứu với",
		AreaCode: area, Unit: unit, At: when}
	if r != nil {
		e.ResidentID = &r.ID
	}
	inTx(t, db, func(ctx context.Context, tx *storage.Tx) error { return tx.RecordEmergency(ctx, e) })
	return e
}

func TestEmergencies(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		r := newResident(t, db, "2001")
		police := &langnghe.Official{Name: "Công an", Role: langnghe.RoleUnit, Units: []string{"police"},
			Channel: langnghe.ChannelTelegram, ExternalID: "91", ChatID: "91"}
		other := &langnghe.Official{Name: "Khác", Role: langnghe.RoleUnit, Units: []string{"health_office"},
			Channel: langnghe.ChannelTelegram, ExternalID: "92", ChatID: "92"}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			for _, u := range []string{"police", "health_office"} {
				if err := tx.SaveUnit(ctx, langnghe.Unit{Code: u, Names: map[string]string{"vi": u}}); err != nil {
					return err
				}
			}
			if err := tx.CreateOfficial(ctx, police); err != nil {
				return err
			}
			return tx.CreateOfficial(ctx, other)
		})

		first := newEmergency(t, db, r, langnghe.EmergencyFire, "minh_thanh", "", at)
		if first.ID == 0 {
			t.Fatal("RecordEmergency did not set the id")
		}
		second := newEmergency(t, db, nil, langnghe.EmergencyMedical, "", "police", at.Add(time.Minute))
		third := newEmergency(t, db, nil, langnghe.EmergencyCrime, "long_hoa", "health_office", at.Add(2*time.Minute))

		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			if err := tx.SetEmergencyUnit(ctx, first.ID, "police"); err != nil {
				return err
			}
			if err := tx.SetEmergencyUnit(ctx, first.ID+100, "police"); code(err) != langnghe.ENOTFOUND {
				t.Errorf("SetEmergencyUnit(missing) = %v, want not found", err)
			}
			got, err := tx.Emergency(ctx, first.ID)
			if err != nil {
				return err
			}
			want := *first
			want.Unit = "police"
			if got.ID != want.ID || *got.ResidentID != r.ID || got.Kind != want.Kind || got.Text != want.Text ||
				got.AreaCode != want.AreaCode || got.Unit != "police" || !got.At.Equal(at.Truncate(time.Microsecond)) ||
				got.Channel != langnghe.ChannelTelegram || got.AcknowledgedAt != nil || got.AcknowledgedBy != nil {
				t.Errorf("Emergency = %+v, want %+v", got, want)
			}
			if _, err := tx.Emergency(ctx, first.ID+100); code(err) != langnghe.ENOTFOUND {
				t.Errorf("Emergency(missing) = %v, want not found", err)
			}

			// Newest first, with the count; a nil scope is every
			// emergency, an empty one none.
			ids := func(es []langnghe.Emergency) []int64 {
				var out []int64
				for _, e := range es {
					out = append(out, e.ID)
				}
				return out
			}
			list, n, err := tx.UnacknowledgedEmergencies(ctx, nil, 0)
			if err != nil {
				return err
			}
			if n != 3 || !slices.Equal(ids(list), []int64{third.ID, second.ID, first.ID}) {
				t.Errorf("every unit: %d %v", n, ids(list))
			}
			list, n, err = tx.UnacknowledgedEmergencies(ctx, &langnghe.Scope{Units: []string{"police"}}, 1)
			if err != nil {
				return err
			}
			if n != 2 || !slices.Equal(ids(list), []int64{second.ID}) {
				t.Errorf("police, limit 1: %d %v", n, ids(list))
			}
			list, n, err = tx.UnacknowledgedEmergencies(ctx, &langnghe.Scope{}, 0)
			if err != nil {
				return err
			}
			if n != 0 || len(list) != 0 {
				t.Errorf("no units: %d %v", n, ids(list))
			}

			// The first acknowledgement stands.
			if err := tx.AcknowledgeEmergency(ctx, second.ID, police.ID, at.Add(3*time.Minute)); err != nil {
				return err
			}
			if err := tx.AcknowledgeEmergency(ctx, second.ID, other.ID, at.Add(4*time.Minute)); err != nil {
				t.Errorf("second acknowledgement: %v", err)
			}
			if err := tx.AcknowledgeEmergency(ctx, third.ID+100, police.ID, at); code(err) != langnghe.ENOTFOUND {
				t.Errorf("AcknowledgeEmergency(missing) = %v, want not found", err)
			}
			got, err = tx.Emergency(ctx, second.ID)
			if err != nil {
				return err
			}
			if got.AcknowledgedBy == nil || *got.AcknowledgedBy != police.ID || got.AcknowledgedAt == nil ||
				!got.AcknowledgedAt.Equal(at.Add(3*time.Minute).Truncate(time.Microsecond)) {
				t.Errorf("acknowledged: %+v", got)
			}
			list, n, err = tx.UnacknowledgedEmergencies(ctx, &langnghe.Scope{Units: []string{"police"}}, 0)
			if err != nil {
				return err
			}
			if n != 1 || !slices.Equal(ids(list), []int64{first.ID}) {
				t.Errorf("police after acknowledging: %d %v", n, ids(list))
			}

			// Alerts go to the unit and the board, notifications or not,
			// never to a revoked official nor one without a chat.
			board := &langnghe.Official{Name: "Ban", Role: langnghe.RoleBoard, Channel: langnghe.ChannelTelegram,
				ExternalID: "93", ChatID: "93", Notify: false}
			revoked := &langnghe.Official{Name: "Cũ", Role: langnghe.RoleUnit, Units: []string{"police"},
				Channel: langnghe.ChannelTelegram, ExternalID: "94", ChatID: "94"}
			for _, o := range []*langnghe.Official{board, revoked} {
				if err := tx.CreateOfficial(ctx, o); err != nil {
					return err
				}
			}
			if err := tx.RevokeOfficial(ctx, revoked.ID, at); err != nil {
				return err
			}
			watchers, err := tx.EmergencyWatchers(ctx, "police")
			if err != nil {
				return err
			}
			var names []string
			for _, w := range watchers {
				names = append(names, w.Name)
			}
			if !slices.Equal(names, []string{"Công an", "Ban"}) {
				t.Errorf("EmergencyWatchers(police) = %v", names)
			}
			return nil
		})

		// Reports count by period, area and unit, within a scope.
		day := langnghe.ReportQuery{From: at.Add(-time.Hour), To: at.Add(time.Hour)}
		count := func(q langnghe.ReportQuery) ([]langnghe.EmergencyCount, int) {
			t.Helper()
			rows, total, err := db.CountEmergencies(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			return rows, total
		}
		if _, n := count(day); n != 3 {
			t.Errorf("total = %d, want 3", n)
		}
		q := day
		q.By = langnghe.ReportArea
		rows, n := count(q)
		want := []langnghe.EmergencyCount{{Key: "", N: 1}, {Key: "long_hoa", N: 1}, {Key: "minh_thanh", N: 1}}
		if n != 3 || !slices.Equal(rows, want) {
			t.Errorf("by area = %v %d, want %v", rows, n, want)
		}
		q = day
		q.By, q.Scope = langnghe.ReportUnit, &langnghe.Scope{Units: []string{"police"}}
		rows, n = count(q)
		if n != 2 || !slices.Equal(rows, []langnghe.EmergencyCount{{Key: "police", N: 2}}) {
			t.Errorf("police by unit = %v %d", rows, n)
		}
		q = day
		q.Scope = &langnghe.Scope{}
		if _, n := count(q); n != 0 {
			t.Errorf("no units: %d", n)
		}
		q = day
		q.Area = "long_hoa"
		if _, n := count(q); n != 1 {
			t.Errorf("area long_hoa: %d", n)
		}
		if _, n := count(langnghe.ReportQuery{From: at.Add(time.Minute), To: at.Add(2 * time.Minute)}); n != 1 {
			t.Errorf("[+1m, +2m): %d, want 1 (the end is excluded)", n)
		}
		if _, _, err := db.CountEmergencies(context.Background(), langnghe.ReportQuery{From: at, To: at}); code(err) != langnghe.EINVALID {
			t.Errorf("empty period: %v", err)
		}

		// Deleting the reporter's data keeps the record without them.
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			if err := tx.ForgetEmergencyReporter(ctx, r.ID); err != nil {
				return err
			}
			got, err := tx.Emergency(ctx, first.ID)
			if err != nil {
				return err
			}
			if got.ResidentID != nil || got.Text != "" || got.Kind != langnghe.EmergencyFire || got.AreaCode != "minh_thanh" {
				t.Errorf("after forgetting the reporter: %+v", got)
			}
			return nil
		})
	})
}

// TestRecordEmergencyKeepsACutText: the engine cuts a long text by bytes,
// which may split a rune; the emergency must still be stored.
func TestRecordEmergencyKeepsACutText(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		text := "cháy"[:3] // "ch" and half of "á"
		e := newEmergency(t, db, nil, langnghe.EmergencyFire, "", "", at)
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			cut := &langnghe.Emergency{Kind: langnghe.EmergencyFire, Text: text, At: at}
			if err := tx.RecordEmergency(ctx, cut); err != nil {
				return err
			}
			if cut.ID <= e.ID || cut.Text != "ch" {
				t.Errorf("cut text stored as %q (id %d)", cut.Text, cut.ID)
			}
			if err := tx.RecordEmergency(ctx, &langnghe.Emergency{Text: "x", At: at}); code(err) != langnghe.EINVALID {
				t.Errorf("no kind: %v", err)
			}
			return nil
		})
	})
}
