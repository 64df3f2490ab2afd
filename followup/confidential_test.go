package followup_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/followup"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

var residents int

// tracked stores an opinion of a legal track with a contact, as the
// conversation does, and routes it.
func (d *desk) tracked(track langnghe.LegalTrack, category, area string) *langnghe.Opinion {
	d.t.Helper()
	residents++
	r := d.resident(fmt.Sprint("t", residents))
	o := &langnghe.Opinion{Category: category, AreaCode: area, LegalTrack: track, Language: langnghe.LangVI,
		Text:    "Trưởng ấp thu tiền trái phép khi làm sổ đỏ. Tôi là Nguyễn Văn Tố, gọi 0912 345 678.",
		Channel: langnghe.ChannelTelegram, CreatedAt: d.now, ResidentID: &r.ID,
		ContactName: "Nguyễn Văn Tố", ContactPhone: "0912345678", Location: &langnghe.Location{Latitude: 11.27, Longitude: 106.37},
		Answers: map[string]string{"phone": "0912345678", "area": area},
		// The conversation gives every opinion its category's service level.
		DueAt: calendar.Default(hcm).AddWorkingDays(d.now, 3)}
	d.must(func(ctx context.Context, tx *storage.Tx) error {
		code, err := tx.NextOpinionCode(ctx, "DT", 2026)
		if err != nil {
			return err
		}
		o.Code = code
		if err := tx.CreateOpinion(ctx, o); err != nil {
			return err
		}
		_, err = d.svc.Route(ctx, tx, o)
		return err
	})
	return o
}

// A denunciation goes to the unit designated for denunciations whatever
// its category and area; without one, to the catch-all's unit. Its
// DueAt, and a complaint's, are the law's, not the category's.
func TestDenunciationRoutingAndLegalDue(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		end := func(m time.Month, day int) time.Time { return time.Date(2026, m, day, 23, 59, 59, 0, hcm) }
		for _, c := range []struct{ category, area string }{{"land", "minh_thanh"}, {"security", "tay_nam"}, {"admin_procedures", ""}, {"other", ""}} {
			o := d.tracked(langnghe.TrackDenunciation, c.category, c.area)
			stored := d.load(o.Code)
			if o.Unit != "inspectorate" || stored.Unit != "inspectorate" {
				t.Errorf("a denunciation of %q in %q went to %q (stored %q), want inspectorate", c.category, c.area, o.Unit, stored.Unit)
			}
			// Received Monday 2 March 2026: 7 working days is Wednesday 11 March.
			if !stored.DueAt.Equal(end(3, 11)) || !o.DueAt.Equal(stored.DueAt) {
				t.Errorf("a denunciation is due %s (stored %s), want 2026-03-11", o.DueAt, stored.DueAt)
			}
			if evs := d.events(o); !strings.Contains(evs[len(evs)-1].Note, "designated for denunciations") {
				t.Errorf("routing note %q", evs[len(evs)-1].Note)
			}
		}
		// A complaint: acceptance within 10 days (12 March); feedback keeps its service level.
		c := d.tracked(langnghe.TrackComplaint, "land", "minh_thanh")
		if got := d.load(c.Code); got.Unit != "land_environment" || !got.DueAt.Equal(end(3, 12)) {
			t.Errorf("a complaint: unit %s, due %s; want land_environment, 2026-03-12", got.Unit, got.DueAt)
		}
		f := d.tracked(langnghe.TrackFeedback, "land", "minh_thanh")
		if got := d.load(f.Code); !got.DueAt.Equal(f.DueAt) || got.DueAt.Equal(end(3, 12)) {
			t.Errorf("feedback's due date changed to %s", got.DueAt)
		}

		// Taking the complaint is accepting it: resolution within 30 days.
		land := d.official(langnghe.RoleUnit, "land_environment")
		d.now = time.Date(2026, 3, 4, 10, 0, 0, 0, hcm)
		if _, err := d.act(land, c.Code, followup.Action{Kind: followup.ActTake}); err != nil {
			t.Fatal(err)
		}
		if got := d.load(c.Code); !got.DueAt.Equal(end(4, 3)) { // 4 March + 30 days = Friday 3 April
			t.Errorf("a taken complaint is due %s, want 2026-04-03", got.DueAt)
		}

		// Without a designated unit, the catch-all's.
		d.must(func(ctx context.Context, tx *storage.Tx) error {
			u, err := tx.Unit(ctx, "inspectorate")
			if err != nil {
				return err
			}
			u.Duties = nil
			return tx.SaveUnit(ctx, u)
		})
		if o := d.tracked(langnghe.TrackDenunciation, "land", "minh_thanh"); o.Unit != "mass_mobilisation" {
			t.Errorf("without a designated unit a denunciation went to %q, want the catch-all mass_mobilisation", o.Unit)
		}
	})
}

// The follow-up core shows a denunciation only through the gate: in scope
// for the designated unit, the denouncer concealed without the permission
// (in the opinion, the list and the history), shown with it; another unit
// does not see it at all, before or after a forward elsewhere.
func TestDenunciationThroughTheCore(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		o := d.tracked(langnghe.TrackDenunciation, "land", "minh_thanh")
		inspector := d.official(langnghe.RoleUnit, "inspectorate")
		board := d.official(langnghe.RoleBoard)
		land := d.official(langnghe.RoleUnit, "land_environment")
		commune := d.official(langnghe.RoleUnit, "ubnd_minh_thanh")
		permitted := d.official(langnghe.RoleUnit, "inspectorate")
		if err := d.svc.PermitDenouncers(context.Background(), d.db, permitted.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := d.act(permitted, o.Code, followup.Action{Kind: followup.ActNote, Note: "Đã gọi ông Nguyễn Văn Tố, số 0912.345.678"}); err != nil {
			t.Fatal(err)
		}
		secrets := []string{"Nguyễn Văn Tố", "0912", "345 678", "345.678", "11.27"}
		shows := func(who string, off *langnghe.Official, identity bool) {
			t.Helper()
			var seen *langnghe.Opinion
			var events []langnghe.OpinionEvent
			var list []langnghe.Opinion
			d.must(func(ctx context.Context, tx *storage.Tx) (err error) {
				if seen, events, err = d.svc.Opinion(ctx, tx, off, o.Code); err != nil {
					return err
				}
				list, err = d.svc.List(ctx, tx, off, langnghe.OpinionFilter{LegalTrack: langnghe.TrackDenunciation})
				return err
			})
			all := seen.Text + " " + seen.ContactName + " " + seen.ContactPhone
			for _, e := range events {
				all += " " + e.Note
			}
			for _, l := range list {
				all += " " + l.Text + " " + l.ContactName + " " + l.ContactPhone
			}
			for _, s := range secrets[:3] {
				if strings.Contains(all, s) != identity {
					t.Errorf("%s: %q shown: %v, want %v\n%s", who, s, !identity, identity, all)
				}
			}
			if !identity && (seen.ContactName != langnghe.Concealed || seen.Location != nil || seen.Answers["phone"] != "") {
				t.Errorf("%s: contact %q, location %v, answers %v", who, seen.ContactName, seen.Location, seen.Answers)
			}
		}
		hidden := func(who string, off *langnghe.Official) {
			t.Helper()
			err := d.tx(func(ctx context.Context, tx *storage.Tx) error {
				_, _, err := d.svc.Opinion(ctx, tx, off, o.Code)
				return err
			})
			if errCode(err) != langnghe.ENOTFOUND {
				t.Errorf("%s: %v, want not found", who, err)
			}
		}
		shows("the inspectorate without the permission", inspector, false)
		shows("the board without the permission", board, false)
		shows("the inspectorate with the permission", permitted, true)
		hidden("the land office", land)
		hidden("the commune", commune)

		// Forwarding stays possible; the new unit reads the same concealment.
		if _, err := d.act(inspector, o.Code, followup.Action{Kind: followup.ActForward, Unit: "ubnd_minh_thanh"}); err != nil {
			t.Fatalf("the inspectorate forwards: %v", err)
		}
		shows("the commune after the forward", commune, false)
		hidden("the inspectorate after the forward", inspector)

		// Withdrawn, the permission shows nothing more.
		if err := d.svc.PermitDenouncers(context.Background(), d.db, board.ID, true); err != nil {
			t.Fatal(err)
		}
		shows("the board once permitted", board, true)
		if err := d.svc.PermitDenouncers(context.Background(), d.db, board.ID, false); err != nil {
			t.Fatal(err)
		}
		shows("the board once the permission is withdrawn", board, false)
	})
}

// An invitation carries the permission to the official it makes; no role
// implies it.
func TestInvitationGrantsDenouncers(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db)
		ctx := context.Background()
		inv, err := d.svc.Invite(ctx, d.db, langnghe.RoleUnit, []string{"inspectorate"}, "Thanh tra viên", time.Hour, followup.WithDenouncers)
		if err != nil || !inv.SeesDenouncers {
			t.Fatalf("invite: %+v, %v", inv, err)
		}
		var off *langnghe.Official
		d.must(func(ctx context.Context, tx *storage.Tx) (err error) {
			off, err = d.svc.Accept(ctx, tx, inv.Code, langnghe.ChannelTelegram, "777", "777", "")
			return err
		})
		if !off.SeesDenouncers {
			t.Fatal("the invitation's permission was lost")
		}
		d.must(func(ctx context.Context, tx *storage.Tx) (err error) {
			off, err = tx.Official(ctx, off.ID)
			return err
		})
		if !off.SeesDenouncers {
			t.Fatal("the permission is not stored")
		}
		for _, role := range []langnghe.Role{langnghe.RoleBoard, langnghe.RoleAdmin} {
			if o := d.official(role); o.SeesDenouncers {
				t.Errorf("a %s official sees denouncers without the permission", role)
			}
		}
	})
}

func TestLegalDeadlines(t *testing.T) {
	cal := calendar.Default(hcm)
	end := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 23, 59, 59, 0, hcm) }
	created := time.Date(2026, 3, 2, 9, 0, 0, 0, hcm) // a Monday
	for _, c := range []struct {
		name string
		o    langnghe.Opinion
		want followup.Deadlines
	}{
		{"feedback", langnghe.Opinion{LegalTrack: langnghe.TrackFeedback, CreatedAt: created, DueAt: end(2026, 3, 5)},
			followup.Deadlines{ForwardBy: end(2026, 3, 9), FirstNoticeBy: end(2026, 3, 16), ResultBy: end(2026, 3, 5)}},
		{"a complaint not yet accepted", langnghe.Opinion{LegalTrack: langnghe.TrackComplaint, CreatedAt: created, DueAt: end(2026, 3, 12)},
			followup.Deadlines{AcceptBy: end(2026, 3, 12), ResolveBy: end(2026, 4, 13), ResultBy: end(2026, 3, 12)}}, // 11/4 is a Saturday
		{"a complaint accepted on 4 March", langnghe.Opinion{LegalTrack: langnghe.TrackComplaint, CreatedAt: created, DueAt: end(2026, 4, 3)},
			followup.Deadlines{AcceptBy: end(2026, 3, 12), ResolveBy: end(2026, 4, 3), ResultBy: end(2026, 4, 3)}},
		{"a denunciation", langnghe.Opinion{LegalTrack: langnghe.TrackDenunciation, CreatedAt: created, DueAt: end(2026, 3, 11)},
			followup.Deadlines{VerifyBy: end(2026, 3, 11), ForwardBy: end(2026, 3, 9), ResolveBy: end(2026, 4, 10), ResultBy: end(2026, 3, 11)}},
	} {
		if got := followup.DeadlinesOf(c.o, cal); got != c.want {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, got, c.want)
		}
	}
	// The tenth day falling on a holiday ends the period on the next
	// working day: received 20 April 2026, the tenth day is 30 April.
	if got, _ := followup.LegalDue(langnghe.TrackComplaint, time.Date(2026, 4, 20, 9, 0, 0, 0, hcm), cal); !got.Equal(end(2026, 5, 4)) {
		t.Errorf("a complaint of 20 April 2026 is due %s, want 2026-05-04", got)
	}
	if _, ok := followup.LegalDue(langnghe.TrackFeedback, created, cal); ok {
		t.Error("feedback has a legal due date")
	}
}
