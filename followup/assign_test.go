package followup_test

import (
	"context"
	"testing"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/followup"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// An opinion is given to an official of its unit and nobody else; the
// history says who gave it to whom; it goes back when the opinion leaves
// the unit, or the official does.
func TestAssign(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		land := d.official(langnghe.RoleUnit, "land_environment")
		colleague := d.official(langnghe.RoleUnit, "land_environment")
		medic := d.official(langnghe.RoleUnit, "medical_centre")
		board := d.official(langnghe.RoleBoard)
		o := d.opinion(d.resident("601"), "land", "minh_thanh")
		if o.Unit != "land_environment" {
			t.Fatalf("routed to %s", o.Unit)
		}
		assign := func(actor *langnghe.Official, to int64, note string) error {
			_, err := d.act(actor, o.Code, followup.Action{Kind: followup.ActAssign, Assignee: to, Note: note})
			return err
		}
		// Whom it may go to: the land office's two, not the board, not
		// the medical centre's.
		var listed []int64
		d.must(func(ctx context.Context, tx *storage.Tx) error {
			list, err := d.svc.Assignees(ctx, tx, board, o.Code)
			for _, off := range list {
				listed = append(listed, off.ID)
			}
			return err
		})
		if len(listed) != 2 || !(listed[0] == land.ID || listed[1] == land.ID) || !(listed[0] == colleague.ID || listed[1] == colleague.ID) {
			t.Errorf("assignees %v, want %d and %d", listed, land.ID, colleague.ID)
		}
		for _, tc := range []struct {
			name  string
			actor *langnghe.Official
			to    int64
			code  string
		}{
			{"outside the unit", board, medic.ID, langnghe.EINVALID},
			{"to the board", land, board.ID, langnghe.EINVALID},
			{"nobody there", land, 999999, langnghe.EINVALID},
			{"nobody to take back", land, 0, langnghe.EINVALID},
			{"by another unit's official", medic, land.ID, langnghe.ENOTFOUND},
		} {
			if err := assign(tc.actor, tc.to, ""); errCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
			}
		}
		if got := d.load(o.Code); got.Assignee != 0 {
			t.Fatalf("refused assignments stored %d", got.Assignee)
		}

		if err := assign(board, colleague.ID, "Anh xem giúp hồ sơ này"); err != nil {
			t.Fatal(err)
		}
		if err := assign(board, colleague.ID, ""); errCode(err) != langnghe.EINVALID {
			t.Errorf("the same assignment twice: %v", err)
		}
		got := d.load(o.Code)
		evs := d.events(o)
		last := evs[len(evs)-1]
		n := followup.ReadNote(last.Note)
		if got.Assignee != colleague.ID || got.Status != langnghe.StatusReceived || last.Public ||
			last.Actor != board.Actor() || n.Kind != followup.NoteAssigned || n.Official != colleague.ID || n.Text != "Anh xem giúp hồ sơ này" {
			t.Fatalf("after assigning: %+v, event %+v (%+v)", got, last, n)
		}
		// "Mine" and the strip's count.
		mine := func(off *langnghe.Official) (list []langnghe.Opinion, u langnghe.Urgent) {
			d.must(func(ctx context.Context, tx *storage.Tx) (err error) {
				if list, err = d.svc.List(ctx, tx, off, langnghe.OpinionFilter{Assignee: off.ID}); err != nil {
					return err
				}
				u, err = d.svc.Urgent(ctx, tx, off, d.now)
				return err
			})
			return list, u
		}
		if list, u := mine(colleague); len(list) != 1 || list[0].Code != o.Code || u.Mine != 1 || u.NotTaken != 0 {
			t.Errorf("the colleague's own: %d opinions, strip %+v", len(list), u)
		}
		if list, u := mine(land); len(list) != 0 || u.Mine != 0 {
			t.Errorf("the other land official's own: %d, strip %+v", len(list), u)
		}

		// The official leaves the land office: the opinion goes back.
		d.must(func(ctx context.Context, tx *storage.Tx) error {
			return tx.SetOfficialAccess(ctx, colleague.ID, langnghe.RoleUnit, []string{"medical_centre"})
		})
		if got := d.load(o.Code); got.Assignee != 0 {
			t.Errorf("after the assignee left the unit it is still given to %d", got.Assignee)
		}
		// Given to the other; forwarded to a commune: it goes back too.
		if err := assign(land, land.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := d.act(land, o.Code, followup.Action{Kind: followup.ActForward, Unit: "ubnd_minh_thanh"}); err != nil {
			t.Fatal(err)
		}
		if got := d.load(o.Code); got.Assignee != 0 {
			t.Errorf("after the forward it is still given to %d", got.Assignee)
		}

		// Revoked: what they were given goes back; taking it back is recorded.
		other := d.opinion(nil, "land", "long_hoa")
		if _, err := d.act(board, other.Code, followup.Action{Kind: followup.ActAssign, Assignee: land.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.act(board, other.Code, followup.Action{Kind: followup.ActAssign}); err != nil {
			t.Fatal(err)
		}
		evs = d.events(other)
		if n := followup.ReadNote(evs[len(evs)-1].Note); n.Kind != followup.NoteUnassigned || n.Official != land.ID {
			t.Errorf("taking it back recorded %+v", n)
		}
		if _, err := d.act(board, other.Code, followup.Action{Kind: followup.ActAssign, Assignee: land.ID}); err != nil {
			t.Fatal(err)
		}
		if err := d.svc.Revoke(context.Background(), d.db, land.ID, "test"); err != nil {
			t.Fatal(err)
		}
		if got := d.load(other.Code); got.Assignee != 0 {
			t.Errorf("a revoked official still holds %s", other.Code)
		}
		// A closed opinion is given to nobody.
		d.setStatus(other, langnghe.StatusClosed)
		if _, err := d.act(board, other.Code, followup.Action{Kind: followup.ActAssign, Assignee: colleague.ID}); errCode(err) != langnghe.EINVALID {
			t.Errorf("assigning a closed opinion: %v", err)
		}
	})
}

// The strip's counts agree with the filters they link to.
func TestUrgentCounts(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db) // Monday 2 March 2026, 09:00
		land := d.official(langnghe.RoleUnit, "land_environment")
		medic := d.official(langnghe.RoleUnit, "medical_centre")
		overdue := d.opinion(nil, "land", "minh_thanh")
		soon := d.opinion(nil, "land", "minh_thanh")
		later := d.opinion(nil, "land", "minh_thanh")
		taken := d.opinion(nil, "land", "minh_thanh")
		health := d.opinion(nil, "health", "long_hoa")
		due := func(o *langnghe.Opinion, at time.Time) {
			d.must(func(ctx context.Context, tx *storage.Tx) error {
				return tx.UpdateOpinion(ctx, o.ID, langnghe.OpinionUpdate{DueAt: &at})
			})
		}
		due(overdue, d.now.Add(-time.Hour))
		due(soon, time.Date(2026, 3, 4, 17, 0, 0, 0, hcm)) // Wednesday: the second working day
		due(later, time.Date(2026, 3, 5, 9, 0, 0, 0, hcm)) // Thursday: the third
		due(health, d.now.Add(-time.Hour))
		if _, err := d.act(land, taken.Code, followup.Action{Kind: followup.ActTake}); err != nil {
			t.Fatal(err)
		}
		d.must(func(ctx context.Context, tx *storage.Tx) error {
			no := langnghe.RatingNotSatisfied
			return tx.UpdateOpinion(ctx, later.ID, langnghe.OpinionUpdate{Rating: &no})
		})
		var u langnghe.Urgent
		counts := map[string]int{}
		d.must(func(ctx context.Context, tx *storage.Tx) (err error) {
			if u, err = d.svc.Urgent(ctx, tx, land, d.now); err != nil {
				return err
			}
			for name, f := range map[string]langnghe.OpinionFilter{
				"overdue":     {OverdueAt: d.now},
				"soon":        {DueFrom: d.now, DueBy: followup.DueSoonBy(d.now, calendar.Default(hcm))},
				"untaken":     {NotTaken: true},
				"unsatisfied": {Rating: langnghe.RatingNotSatisfied, Open: true},
			} {
				list, err := d.svc.List(ctx, tx, land, f)
				if err != nil {
					return err
				}
				counts[name] = len(list)
			}
			return nil
		})
		want := langnghe.Urgent{Overdue: 1, DueSoon: 1, NotTaken: 3, NotSatisfied: 1}
		if u != want {
			t.Errorf("the land office's strip %+v, want %+v", u, want)
		}
		if counts["overdue"] != u.Overdue || counts["soon"] != u.DueSoon || counts["untaken"] != u.NotTaken || counts["unsatisfied"] != u.NotSatisfied {
			t.Errorf("the filters list %v, the strip counts %+v", counts, u)
		}
		d.must(func(ctx context.Context, tx *storage.Tx) (err error) {
			u, err = d.svc.Urgent(ctx, tx, medic, d.now)
			return err
		})
		if u != (langnghe.Urgent{Overdue: 1, NotTaken: 1}) {
			t.Errorf("the medical centre's strip %+v: another unit's counted", u)
		}
	})
}

// "Due soon" is one window, DueSoonDays working days ahead on the
// service's calendar: a Friday looks to Tuesday across the weekend.
func TestDueSoonBy(t *testing.T) {
	cal := calendar.Default(hcm)
	friday := time.Date(2026, 3, 6, 16, 0, 0, 0, hcm)
	if got, want := followup.DueSoonBy(friday, cal), time.Date(2026, 3, 10, 23, 59, 59, 0, hcm); !got.Equal(want) {
		t.Errorf("due soon by %s, want %s", got, want)
	}
	tuesday := langnghe.Opinion{Status: langnghe.StatusReceived, DueAt: time.Date(2026, 3, 10, 17, 0, 0, 0, hcm)}
	wednesday := langnghe.Opinion{Status: langnghe.StatusReceived, DueAt: time.Date(2026, 3, 11, 17, 0, 0, 0, hcm)}
	if !followup.DueSoon(tuesday, friday, cal) || followup.DueSoon(wednesday, friday, cal) {
		t.Error("the window is not two working days")
	}
}

// The history's notes read back as what they record, old ones too.
func TestReadNote(t *testing.T) {
	for _, tt := range []struct {
		note string
		want followup.Note
	}{
		{"routed to land_environment", followup.Note{Kind: followup.NoteRouted, Unit: "land_environment"}},
		{"denunciation: routed to inspectorate, the unit designated for denunciations",
			followup.Note{Kind: followup.NoteRoutedDenunciation, Unit: "inspectorate"}},
		{"denunciation: no unit is designated for denunciations; routed to the catch-all mass_mobilisation",
			followup.Note{Kind: followup.NoteRoutedDenunciation, Unit: "mass_mobilisation"}},
		{"no routing rule matched; left to the board", followup.Note{Kind: followup.NoteUnrouted}},
		{followup.ForwardedNote("medical_centre", "nhờ xem"), followup.Note{Kind: followup.NoteForwarded, Unit: "medical_centre", Text: "nhờ xem"}},
		{"category: land → health\nlý do", followup.Note{Kind: followup.NoteRecategorized, From: "land", To: "health", Text: "lý do"}},
		{followup.AssignedNote(12, 0, ""), followup.Note{Kind: followup.NoteAssigned, Official: 12}},
		{followup.AssignedNote(0, 12, "nghỉ phép"), followup.Note{Kind: followup.NoteUnassigned, Official: 12, Text: "nghỉ phép"}},
		{"rated: satisfied", followup.Note{Kind: followup.NoteSatisfied}},
		{"routed to Phòng A", followup.Note{Kind: followup.NoteText, Text: "routed to Phòng A"}},
		{"Gọi trưởng ấp", followup.Note{Kind: followup.NoteText, Text: "Gọi trưởng ấp"}},
	} {
		if got := followup.ReadNote(tt.note); got != tt.want {
			t.Errorf("ReadNote(%q) = %+v, want %+v", tt.note, got, tt.want)
		}
	}
}
