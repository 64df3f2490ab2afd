package followup_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/flows/catalogue"
	"langnghe/followup"
	"langnghe/storage"
)

var hcm = mustLocation("Asia/Ho_Chi_Minh")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// desk is one test's world: a seeded database and the service on a clock
// the test moves.
type desk struct {
	t   *testing.T
	db  *storage.DB
	svc *followup.Service
	now time.Time
}

func newDesk(t *testing.T, db *storage.DB) *desk {
	t.Helper()
	d := &desk{t: t, db: db, now: time.Date(2026, 3, 2, 9, 0, 0, 0, hcm)} // a Monday
	d.svc = followup.New(catalogue.Default(), calendar.Default(hcm), followup.Options{
		TimeZone: hcm, Now: func() time.Time { return d.now },
	})
	seeded, err := d.svc.Seed(context.Background(), db)
	if err != nil || !seeded {
		t.Fatalf("seed: %v, %v", seeded, err)
	}
	return d
}

// tx runs fn in a transaction and returns its error.
func (d *desk) tx(fn func(ctx context.Context, tx *storage.Tx) error) error {
	ctx := context.Background()
	return d.db.InTx(ctx, func(tx *storage.Tx) error { return fn(ctx, tx) })
}

// must runs fn in a transaction and fails the test on error.
func (d *desk) must(fn func(ctx context.Context, tx *storage.Tx) error) {
	d.t.Helper()
	if err := d.tx(fn); err != nil {
		d.t.Fatal(err)
	}
}

var accounts int

// official invites and binds a new official through the real invitation path.
func (d *desk) official(role langnghe.Role, units ...string) *langnghe.Official {
	d.t.Helper()
	inv, err := d.svc.Invite(context.Background(), d.db, role, units, "Cán bộ", time.Hour)
	if err != nil {
		d.t.Fatal(err)
	}
	accounts++
	var o *langnghe.Official
	d.must(func(ctx context.Context, tx *storage.Tx) error {
		id := strconv.Itoa(9000 + accounts)
		o, err = d.svc.Accept(ctx, tx, langnghe.InvitePrefix+inv.Code, langnghe.ChannelTelegram, id, id, "")
		return err
	})
	return o
}

// resident stores a resident.
func (d *desk) resident(id string) *langnghe.Resident {
	d.t.Helper()
	r := &langnghe.Resident{Channel: langnghe.ChannelTelegram, ExternalID: id, ChatID: id, Name: "Trần Thị " + id,
		Phone: "0912" + id, Language: langnghe.LangVI}
	d.must(func(ctx context.Context, tx *storage.Tx) error { return tx.SaveResident(ctx, r) })
	return r
}

// opinion stores a routed opinion of r (nil: none) as the conversation does.
func (d *desk) opinion(r *langnghe.Resident, category, area string) *langnghe.Opinion {
	d.t.Helper()
	o := &langnghe.Opinion{Category: category, AreaCode: area, Text: "Đường ấp 3 bị ngập", Language: langnghe.LangVI,
		Channel: langnghe.ChannelTelegram, CreatedAt: d.now}
	if r != nil {
		o.ResidentID = &r.ID
		o.ContactName, o.ContactPhone = r.Name, r.Phone
	}
	cat, _ := catalogue.Default().Category(category)
	o.DueAt = calendar.Default(hcm).AddWorkingDays(d.now, cat.ServiceDays)
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

// setStatus puts an opinion in status directly, to start a rule's test there.
func (d *desk) setStatus(o *langnghe.Opinion, s langnghe.Status) {
	d.t.Helper()
	d.must(func(ctx context.Context, tx *storage.Tx) error {
		return tx.AddOpinionEvent(ctx, &langnghe.OpinionEvent{OpinionID: o.ID, StatusTo: s, Actor: "test"})
	})
	o.Status = s
}

func (d *desk) act(actor *langnghe.Official, code string, a followup.Action) (*followup.Change, error) {
	var c *followup.Change
	err := d.tx(func(ctx context.Context, tx *storage.Tx) error {
		var err error
		c, err = d.svc.Act(ctx, tx, actor, code, a)
		return err
	})
	return c, err
}

func (d *desk) load(code string) *langnghe.Opinion {
	d.t.Helper()
	o, err := d.db.Opinion(context.Background(), code)
	if err != nil {
		d.t.Fatal(err)
	}
	return o
}

func (d *desk) events(o *langnghe.Opinion) []langnghe.OpinionEvent {
	d.t.Helper()
	evs, err := d.db.OpinionEvents(context.Background(), o.ID)
	if err != nil {
		d.t.Fatal(err)
	}
	return evs
}

func errCode(err error) string { return langnghe.ErrorCode(err) }
