package followup_test

import (
	"context"
	"fmt"
	"testing"

	"langnghe"
	"langnghe/followup"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// An official corrects an opinion's category from any status; the
// correction is an internal event naming the old and the new category, and
// the resident hears nothing of it. Wrong categories are refused.
func TestRecategorize(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		board := d.official(langnghe.RoleBoard)
		for _, from := range allStatuses {
			o := d.opinion(nil, "land", "minh_thanh")
			d.setStatus(o, from)
			c, err := d.act(board, o.Code, followup.Action{Kind: followup.ActRecategorize, Category: "health", Note: " xếp nhầm "})
			if err != nil {
				t.Fatalf("recategorize from %s: %v", from, err)
			}
			if c.Public || c.Note != "" || c.From != from || c.To != from || c.Opinion.Category != "health" {
				t.Errorf("recategorize from %s: change %+v", from, c)
			}
			evs := d.events(o)
			last := evs[len(evs)-1]
			if last.Note != "category: land → health\nxếp nhầm" || last.Public || last.StatusTo != "" ||
				last.Actor != board.Actor() {
				t.Errorf("recategorize from %s: event %+v", from, last)
			}
			if got := d.load(o.Code); got.Category != "health" || got.Status != from {
				t.Errorf("recategorize from %s: stored %s, %s", from, got.Category, got.Status)
			}
		}

		o := d.opinion(nil, "land", "minh_thanh")
		before := len(d.events(o))
		for _, tt := range []struct{ name, category string }{
			{"no category", ""}, {"the same category", "land"}, {"an unknown category", "astrology"},
		} {
			if _, err := d.act(board, o.Code, followup.Action{Kind: followup.ActRecategorize, Category: tt.category}); errCode(err) != langnghe.EINVALID {
				t.Errorf("%s: %v, want EINVALID", tt.name, err)
			}
		}
		if got := d.load(o.Code); got.Category != "land" || len(d.events(o)) != before {
			t.Errorf("refused corrections changed the opinion: %+v", got)
		}
		health := d.official(langnghe.RoleUnit, "medical_centre")
		if _, err := d.act(health, o.Code, followup.Action{Kind: followup.ActRecategorize, Category: "health"}); errCode(err) != langnghe.ENOTFOUND {
			t.Errorf("another unit's official corrects the category: %v, want ENOTFOUND", err)
		}
	})
}

// Count keeps to the actor's scope as List does.
func TestCountScope(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		land := d.official(langnghe.RoleUnit, "land_environment")
		board := d.official(langnghe.RoleBoard)
		for range 3 {
			d.opinion(nil, "land", "minh_thanh")
		}
		d.opinion(nil, "health", "long_hoa")
		count := func(actor *langnghe.Official, f langnghe.OpinionFilter) string {
			var got map[langnghe.Status]langnghe.OpinionCount
			err := d.tx(func(ctx context.Context, tx *storage.Tx) (err error) {
				got, err = d.svc.Count(ctx, tx, actor, f, 100)
				return err
			})
			if err != nil {
				return err.Error()
			}
			return fmt.Sprint(got[langnghe.StatusReceived].N)
		}
		for _, tt := range []struct {
			name  string
			actor *langnghe.Official
			f     langnghe.OpinionFilter
			want  string
		}{
			{"unit official", land, langnghe.OpinionFilter{}, "3"},
			{"unit official asking for another unit", land, langnghe.OpinionFilter{Unit: "medical_centre"}, "0"},
			{"board", board, langnghe.OpinionFilter{}, "4"},
			{"board, one unit", board, langnghe.OpinionFilter{Unit: "medical_centre"}, "1"},
		} {
			if got := count(tt.actor, tt.f); got != tt.want {
				t.Errorf("%s counts %s, want %s", tt.name, got, tt.want)
			}
		}
		if err := d.svc.Revoke(context.Background(), db, land.ID, "test"); err != nil {
			t.Fatal(err)
		}
		err := d.tx(func(ctx context.Context, tx *storage.Tx) error {
			_, err := d.svc.Count(ctx, tx, land, langnghe.OpinionFilter{}, 100)
			return err
		})
		if errCode(err) != langnghe.EUNAUTHORIZED {
			t.Errorf("a revoked official counts: %v", err)
		}
	})
}
