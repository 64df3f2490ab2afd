package storage_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// TestRoutingReadOncePerTransaction: a transaction reads the units and
// the routing rules once (PrepareRouting before an opinion code is taken),
// and sees its own changes to either.
func TestRoutingReadOncePerTransaction(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			for _, u := range []string{"ubnd", "tram_y_te"} {
				if err := tx.SaveUnit(ctx, langnghe.Unit{Code: u, Names: map[string]string{"vi": u}}); err != nil {
					return err
				}
			}
			return tx.ReplaceRoutingRules(ctx, []langnghe.RoutingRule{{Unit: "ubnd"}})
		})
		unitCodes := func(units []langnghe.Unit) []string {
			var out []string
			for _, u := range units {
				out = append(out, u.Code)
			}
			return out
		}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			if err := tx.PrepareRouting(ctx); err != nil {
				return err
			}
			rules, err := tx.RoutingRules(ctx)
			if err != nil {
				return err
			}
			if want := []langnghe.RoutingRule{{Unit: "ubnd"}}; !reflect.DeepEqual(rules, want) {
				t.Errorf("rules %+v, want %+v", rules, want)
			}
			changed := []langnghe.RoutingRule{{Unit: "ubnd"}, {Category: "health", Unit: "tram_y_te"}} // as listed: by category, area
			if err := tx.ReplaceRoutingRules(ctx, changed); err != nil {
				return err
			}
			if rules, err = tx.RoutingRules(ctx); err != nil {
				return err
			} else if !reflect.DeepEqual(rules, changed) {
				t.Errorf("rules after the transaction replaced them: %+v, want %+v", rules, changed)
			}
			if err := tx.SaveUnit(ctx, langnghe.Unit{Code: "cong_an", Names: map[string]string{"vi": "Công an"}}); err != nil {
				return err
			}
			units, err := tx.Units(ctx)
			if err != nil {
				return err
			}
			if got, want := unitCodes(units), []string{"cong_an", "tram_y_te", "ubnd"}; !reflect.DeepEqual(got, want) {
				t.Errorf("units after the transaction saved one: %v, want %v", got, want)
			}
			return nil
		})
		rules, err := db.RoutingRules(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(rules) != 2 {
			t.Errorf("rules after the commit: %+v, want the two the transaction stored", rules)
		}
	})
}

// TestUpdateOpinionNoting: the update and the event that says why land
// together; a missing opinion is not found and gets no event, and an event
// that would change the status is refused (AddOpinionEvent checks it).
func TestUpdateOpinionNoting(t *testing.T) {
	t.Parallel()
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			return tx.SaveUnit(ctx, langnghe.Unit{Code: "ubnd", Names: map[string]string{"vi": "UBND"}})
		})
		o := newOpinion(t, db, nil, "land")
		unit, due := "ubnd", at.Add(72*time.Hour)
		e := &langnghe.OpinionEvent{Actor: "system", Note: "routed to ubnd", At: at}
		inTx(t, db, func(ctx context.Context, tx *storage.Tx) error {
			return tx.UpdateOpinionNoting(ctx, o.ID, langnghe.OpinionUpdate{Unit: &unit, DueAt: &due}, e)
		})
		got, err := db.Opinion(ctx, o.Code)
		if err != nil {
			t.Fatal(err)
		}
		if got.Unit != "ubnd" || !got.DueAt.Equal(due) {
			t.Errorf("opinion unit %q due %v, want ubnd %v", got.Unit, got.DueAt, due)
		}
		events, err := db.OpinionEvents(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(events); n != 2 || events[1].ID != e.ID || events[1].Actor != "system" || events[1].Note != "routed to ubnd" ||
			events[1].Public || events[1].StatusTo != "" || !events[1].At.Equal(at) {
			t.Errorf("events %+v, want the receipt then the routing note (id %d)", events, e.ID)
		}
		err = db.InTx(ctx, func(tx *storage.Tx) error {
			return tx.UpdateOpinionNoting(ctx, o.ID+1000, langnghe.OpinionUpdate{Unit: &unit}, &langnghe.OpinionEvent{Actor: "system"})
		})
		if code(err) != langnghe.ENOTFOUND {
			t.Errorf("missing opinion: %v, want not found", err)
		}
		err = db.InTx(ctx, func(tx *storage.Tx) error {
			return tx.UpdateOpinionNoting(ctx, o.ID, langnghe.OpinionUpdate{Unit: &unit},
				&langnghe.OpinionEvent{Actor: "system", StatusTo: langnghe.StatusRejected})
		})
		if code(err) != langnghe.EINVALID {
			t.Errorf("an event changing the status: %v, want invalid", err)
		}
		if events, err := db.OpinionEvents(ctx, o.ID); err != nil || len(events) != 2 {
			t.Errorf("events after the refused updates: %+v, %v; want the same two", events, err)
		}
	})
}
