package followup_test

import (
	"context"
	"testing"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// TestEmergencyUnit: the unit holding the emergency duty; without one, the
// unit security opinions of the area route to, then the catch-all.
func TestEmergencyUnit(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		unit := func(area string) string {
			t.Helper()
			var u string
			d.must(func(ctx context.Context, tx *storage.Tx) error {
				var err error
				u, err = d.svc.EmergencyUnit(ctx, tx, area)
				return err
			})
			return u
		}
		if got := unit("minh_thanh"); got != "police" {
			t.Errorf("with the duty: %q, want police", got)
		}
		d.must(func(ctx context.Context, tx *storage.Tx) error {
			// Nobody holds the duty, and security opinions route by area.
			police, err := tx.Unit(ctx, "police")
			if err != nil {
				return err
			}
			police.Duties = nil
			if err := tx.SaveUnit(ctx, police); err != nil {
				return err
			}
			return tx.ReplaceRoutingRules(ctx, []langnghe.RoutingRule{
				{Unit: "mass_mobilisation"},
				{Category: "security", Area: "minh_thanh", Unit: "ubnd_minh_thanh"},
				{Category: "land", Unit: "land_environment"},
			})
		})
		if got := unit("minh_thanh"); got != "ubnd_minh_thanh" {
			t.Errorf("security routing in minh_thanh: %q", got)
		}
		if got := unit(""); got != "mass_mobilisation" {
			t.Errorf("no area: %q, want the catch-all", got)
		}
	})
}

// TestEmergencyScope: a unit official sees and acknowledges their units'
// emergencies only; the board every one; the first acknowledgement stands.
func TestEmergencyScope(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		police := &langnghe.Official{Name: "Công an", Role: langnghe.RoleUnit, Units: []string{"police"},
			Channel: langnghe.ChannelTelegram, ExternalID: "1", ChatID: "1"}
		land := &langnghe.Official{Name: "Đất đai", Role: langnghe.RoleUnit, Units: []string{"land_environment"},
			Channel: langnghe.ChannelTelegram, ExternalID: "2", ChatID: "2"}
		board := &langnghe.Official{Name: "Ban", Role: langnghe.RoleBoard, Channel: langnghe.ChannelTelegram, ExternalID: "3", ChatID: "3"}
		e := &langnghe.Emergency{Kind: langnghe.EmergencyFire, Text: "cháy", Unit: "police", At: d.now}
		d.must(func(ctx context.Context, tx *storage.Tx) error {
			for _, o := range []*langnghe.Official{police, land, board} {
				if err := tx.CreateOfficial(ctx, o); err != nil {
					return err
				}
			}
			return tx.RecordEmergency(ctx, e)
		})
		d.must(func(ctx context.Context, tx *storage.Tx) error {
			for _, c := range []struct {
				who  *langnghe.Official
				want int
			}{{police, 1}, {land, 0}, {board, 1}} {
				list, n, err := d.svc.Emergencies(ctx, tx, c.who, 5)
				if err != nil {
					return err
				}
				if n != c.want || len(list) != c.want {
					t.Errorf("%s sees %d (%d listed), want %d", c.who.Name, n, len(list), c.want)
				}
			}
			if _, err := d.svc.AcknowledgeEmergency(ctx, tx, land, e.ID); langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
				t.Errorf("another unit acknowledging: %v, want not found", err)
			}
			got, err := d.svc.AcknowledgeEmergency(ctx, tx, police, e.ID)
			if err != nil {
				return err
			}
			if got.AcknowledgedBy == nil || *got.AcknowledgedBy != police.ID || got.AcknowledgedAt == nil {
				t.Errorf("acknowledged: %+v", got)
			}
			got, err = d.svc.AcknowledgeEmergency(ctx, tx, board, e.ID)
			if err != nil {
				return err
			}
			if *got.AcknowledgedBy != police.ID {
				t.Errorf("the board's later acknowledgement replaced the first: %+v", got)
			}
			if _, n, err := d.svc.Emergencies(ctx, tx, board, 5); err != nil || n != 0 {
				t.Errorf("after acknowledging the board sees %d (%v)", n, err)
			}
			return nil
		})
	})
}
