package followup_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/followup"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// An invitation binds one account once; used, expired and unknown codes
// are refused alike, and an account that is already an official leaves
// the invitation for its rightful owner.
func TestInvitations(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		ctx := context.Background()
		inv, err := d.svc.Invite(ctx, db, langnghe.RoleUnit, []string{"medical_centre", "ubnd_long_hoa"}, "Lê Văn Bác sĩ", 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if link := inv.Link("langnghe_bot"); link != "https://t.me/langnghe_bot?start=inv_"+inv.Code || len("inv_"+inv.Code) > 64 {
			t.Fatalf("link %q", link)
		}
		accept := func(code, account string) (*langnghe.Official, error) {
			var o *langnghe.Official
			err := d.tx(func(ctx context.Context, tx *storage.Tx) error {
				var err error
				o, err = d.svc.Accept(ctx, tx, code, langnghe.ChannelTelegram, account, account, "Telegram name")
				return err
			})
			return o, err
		}
		existing := d.official(langnghe.RoleBoard)
		if _, err := accept(inv.Code, existing.ExternalID); errCode(err) != langnghe.ECONFLICT {
			t.Fatalf("an official's account accepts another invitation: %v", err)
		}
		o, err := accept(langnghe.InvitePrefix+inv.Code, "111")
		if err != nil {
			t.Fatal(err)
		}
		if o.Role != langnghe.RoleUnit || !slices.Equal(o.Units, []string{"medical_centre", "ubnd_long_hoa"}) ||
			o.Name != "Lê Văn Bác sĩ" || !o.Notify || !o.Active() {
			t.Fatalf("official %+v", o)
		}
		_, used := accept(inv.Code, "222")
		_, unknown := accept("nosuchcode", "222")
		d.now = d.now.Add(-time.Hour) // invite now; accept after expiry
		late, err := d.svc.Invite(ctx, db, langnghe.RoleBoard, nil, "", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		d.now = d.now.Add(time.Hour)
		_, expired := accept(late.Code, "222")
		for name, err := range map[string]error{"used": used, "unknown": unknown, "expired": expired} {
			if errCode(err) != langnghe.EINVALID || langnghe.ErrorMessage(err) != langnghe.ErrorMessage(used) {
				t.Errorf("%s invitation: %v", name, err)
			}
		}
		err = d.tx(func(ctx context.Context, tx *storage.Tx) error {
			got, err := d.svc.Official(ctx, tx, langnghe.ChannelTelegram, "111")
			if err == nil && got.ID != o.ID {
				t.Errorf("found official %d, want %d", got.ID, o.ID)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		for name, call := range map[string]func() error{
			"unit role without units": func() error {
				_, err := d.svc.Invite(ctx, db, langnghe.RoleUnit, nil, "", time.Hour)
				return err
			},
			"unknown role": func() error { _, err := d.svc.Invite(ctx, db, "mayor", nil, "", time.Hour); return err },
			"no time":      func() error { _, err := d.svc.Invite(ctx, db, langnghe.RoleBoard, nil, "", 0); return err },
			"unknown unit": func() error {
				_, err := d.svc.Invite(ctx, db, langnghe.RoleUnit, []string{"nasa"}, "", time.Hour)
				return err
			},
		} {
			if err := call(); errCode(err) != langnghe.EINVALID && errCode(err) != langnghe.ENOTFOUND {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
}

// A revoked account may be invited again and becomes a new official.
func TestReinviteAfterRevoke(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		ctx := context.Background()
		first := d.official(langnghe.RoleUnit, "police")
		if err := d.svc.Revoke(ctx, db, first.ID, "test"); err != nil {
			t.Fatal(err)
		}
		inv, err := d.svc.Invite(ctx, db, langnghe.RoleUnit, []string{"culture_social"}, "", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		d.must(func(ctx context.Context, tx *storage.Tx) error {
			o, err := d.svc.Accept(ctx, tx, inv.Code, first.Channel, first.ExternalID, first.ChatID, "")
			if err == nil && (o.ID == first.ID || !slices.Equal(o.Units, []string{"culture_social"})) {
				t.Errorf("re-invited official %+v", o)
			}
			return err
		})
		all, err := db.Officials(ctx)
		if err != nil || len(all) != 2 || all[0].RevokedAt == nil || all[1].RevokedAt != nil {
			t.Fatalf("officials after re-inviting: %+v, %v", all, err)
		}
	})
}

// The officials told of a new opinion: the unit's and the board, active,
// with notifications on.
func TestWatchers(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		ctx := context.Background()
		land := d.official(langnghe.RoleUnit, "land_environment", "ubnd_dau_tieng")
		quiet := d.official(langnghe.RoleUnit, "land_environment")
		quiet.Notify = false
		d.must(func(ctx context.Context, tx *storage.Tx) error { return tx.SaveOfficialSettings(ctx, quiet) })
		revoked := d.official(langnghe.RoleUnit, "land_environment")
		if err := d.svc.Revoke(ctx, db, revoked.ID, "test"); err != nil {
			t.Fatal(err)
		}
		d.official(langnghe.RoleUnit, "medical_centre")
		board := d.official(langnghe.RoleBoard)
		d.official(langnghe.RoleAdmin)
		d.must(func(ctx context.Context, tx *storage.Tx) error {
			ws, err := d.svc.Watchers(ctx, tx, "land_environment")
			var ids []int64
			for _, w := range ws {
				ids = append(ids, w.ID)
			}
			if !slices.Equal(ids, []int64{land.ID, board.ID}) {
				t.Errorf("watchers %v, want %d and %d", ids, land.ID, board.ID)
			}
			return err
		})
	})
}

// The routing table: most specific rule first, former communes through
// the commune that replaced them, the catch-all for the rest.
func TestRoute(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		tests := []struct{ category, area, want string }{
			{"land", "minh_thanh", "land_environment"},
			{"health", "", "medical_centre"},
			{"security", "tay_nam", "police"},
			{"admin_procedures", "minh_thanh", "ubnd_minh_thanh"},
			{"admin_procedures", "former_minh_tan", "ubnd_minh_thanh"}, // replaced by Minh Thạnh
			{"admin_procedures", "former_an_lap", "ubnd_thanh_an"},
			{"admin_procedures", "thanh_an_can_gio", "mass_mobilisation"}, // not Thanh An: another commune
			{"admin_procedures", "", "mass_mobilisation"},
			{"policy_opinion", "dau_tieng", "mass_mobilisation"},
			{"other", "long_hoa", "mass_mobilisation"},
		}
		for _, tt := range tests {
			o := d.opinion(nil, tt.category, tt.area)
			got := d.load(o.Code)
			if o.Unit != tt.want || got.Unit != tt.want {
				t.Errorf("%s in %q: routed to %q (stored %q), want %q", tt.category, tt.area, o.Unit, got.Unit, tt.want)
			}
			evs := d.events(o)
			if last := evs[len(evs)-1]; last.Actor != followup.ActorSystem || last.Public || !strings.Contains(last.Note, tt.want) {
				t.Errorf("%s in %q: routing event %+v", tt.category, tt.area, last)
			}
		}
	})
}

// Match's precedence, without a database.
func TestMatch(t *testing.T) {
	rules := []langnghe.RoutingRule{
		{Unit: "all"}, {Category: "land", Unit: "land"}, {Area: "a", Unit: "area-a"},
		{Category: "land", Area: "a", Unit: "land-a"}, {Category: "land", Area: "parent", Unit: "land-parent"},
	}
	tests := []struct {
		category string
		areas    []string
		want     string
	}{
		{"land", []string{"a"}, "land-a"},
		{"land", []string{"child", "parent"}, "land-parent"},
		{"land", []string{"b"}, "land"},
		{"health", []string{"a"}, "area-a"},
		{"health", []string{"child", "a"}, "area-a"},
		{"health", nil, "all"},
		{"", nil, "all"},
	}
	for _, tt := range tests {
		if got := followup.Match(rules, tt.category, tt.areas); got != tt.want {
			t.Errorf("%s in %v: %q, want %q", tt.category, tt.areas, got, tt.want)
		}
	}
	if got := followup.Match(nil, "land", []string{"a"}); got != "" {
		t.Errorf("no rules: %q", got)
	}
}
