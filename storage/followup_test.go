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

// The follow-up columns round-trip, and the filters by unit, openness and
// due date select what they say.
func TestOpinionFollowupColumnsAndFilters(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			for _, u := range []string{"a", "b"} {
				if err := tx.SaveUnit(ctx, langnghe.Unit{Code: u, Names: map[string]string{"vi": u}}); err != nil {
					return err
				}
			}
			return nil
		})
		late, onTime, otherUnit, answered := newOpinion(t, db, nil, "land"), newOpinion(t, db, nil, "land"),
			newOpinion(t, db, nil, "land"), newOpinion(t, db, nil, "land")
		past, future := at.Add(-48*time.Hour), at.Add(48*time.Hour)
		unitA, unitB, rating, dup := "a", "b", langnghe.RatingSatisfied, late.Code
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			for _, u := range []struct {
				o *langnghe.Opinion
				u langnghe.OpinionUpdate
			}{
				{late, langnghe.OpinionUpdate{Unit: &unitA, DueAt: &past}},
				{onTime, langnghe.OpinionUpdate{Unit: &unitA, DueAt: &future}},
				{otherUnit, langnghe.OpinionUpdate{Unit: &unitB, DueAt: &past}},
				{answered, langnghe.OpinionUpdate{Unit: &unitA, DueAt: &past, AnsweredAt: &at, Rating: &rating, DuplicateOf: &dup}},
			} {
				if err := tx.UpdateOpinion(ctx, u.o.ID, u.u); err != nil {
					return err
				}
			}
			if err := tx.UpdateOpinion(ctx, 999999, langnghe.OpinionUpdate{Unit: &unitA}); langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
				t.Errorf("updating a missing opinion: %v", err)
			}
			return tx.AddOpinionEvent(ctx, &langnghe.OpinionEvent{OpinionID: answered.ID, StatusTo: langnghe.StatusAnswered, Actor: "test"})
		})
		got, err := db.Opinion(ctx, answered.Code)
		if err != nil {
			t.Fatal(err)
		}
		if got.Unit != "a" || got.AnsweredAt == nil || !got.AnsweredAt.Equal(at.Truncate(time.Microsecond)) ||
			got.Rating != rating || got.DuplicateOf != late.Code || !got.DueAt.Equal(past.Truncate(time.Microsecond)) {
			t.Fatalf("round trip: %+v", got)
		}
		codes := func(f langnghe.OpinionFilter) []string {
			ops, err := db.ListOpinions(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, o := range ops {
				out = append(out, o.Code)
			}
			slices.Sort(out)
			return out
		}
		sorted := func(cs ...string) []string { slices.Sort(cs); return cs }
		tests := []struct {
			name string
			f    langnghe.OpinionFilter
			want []string
		}{
			{"one unit", langnghe.OpinionFilter{Unit: "b"}, []string{otherUnit.Code}},
			{"units", langnghe.OpinionFilter{Scope: &langnghe.Scope{Units: []string{"a", "b"}}}, sorted(late.Code, onTime.Code, otherUnit.Code, answered.Code)},
			{"no units", langnghe.OpinionFilter{Scope: &langnghe.Scope{}}, nil},
			{"open", langnghe.OpinionFilter{Unit: "a", Open: true}, sorted(late.Code, onTime.Code)},
			{"overdue", langnghe.OpinionFilter{OverdueAt: at}, sorted(late.Code, otherUnit.Code)},
			{"overdue in a unit", langnghe.OpinionFilter{Scope: &langnghe.Scope{Units: []string{"a"}}, OverdueAt: at}, []string{late.Code}},
		}
		for _, tt := range tests {
			if got := codes(tt.f); !slices.Equal(got, tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			}
		}
	})
}
