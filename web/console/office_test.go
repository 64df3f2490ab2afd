package console_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/flows/catalogue"
	"langnghe/followup"
	"langnghe/officedesk"
	"langnghe/storage"
	"langnghe/web/console"
)

// office is the console wired as serve wires it — the follow-up core for
// scope, the desk for actions — on a real database with the default units.
type office struct {
	t   *testing.T
	db  *storage.DB
	now time.Time
	srv *httptest.Server
	seq int
}

// officeZone is where the office's dates are read and shown.
var officeZone = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return loc
}()

// newOffice wires the console; with, when given, adds to its options
// (the campaign pages' service).
func newOffice(t *testing.T, db *storage.DB, with ...func(*console.Options)) *office {
	t.Helper()
	o := &office{t: t, db: db, now: time.Date(2026, 11, 26, 9, 0, 0, 0, officeZone)} // a Thursday
	now := func() time.Time { return o.now }
	cat, cal := catalogue.Default(), calendar.Default(officeZone)
	core := followup.New(cat, cal, followup.Options{TimeZone: officeZone, Now: now})
	if _, err := core.Seed(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	discard := slog.New(slog.NewTextHandler(io.Discard, nil))
	desk := officedesk.New(core, cat, officedesk.Options{TimeZone: officeZone, Now: now}, discard)
	opts := console.Options{TimeZone: officeZone, Now: now, Catalogue: cat, Calendar: cal, Followup: core,
		Desk: desk, Log: discard}
	for _, w := range with {
		w(&opts)
	}
	c := console.New(db, opts)
	o.srv = httptest.NewServer(c)
	t.Cleanup(o.srv.Close)
	return o
}

// officeSession is a signed-in official's browser: the cookie and the CSRF token.
type officeSession struct {
	o      *office
	id     int64
	cookie *http.Cookie
	csrf   string
}

// signIn creates an official with role and units and signs them in through
// a one-time link.
func (o *office) signIn(name string, role langnghe.Role, units ...string) *officeSession {
	o.t.Helper()
	o.seq++
	account := fmt.Sprint(7000 + o.seq)
	off := &langnghe.Official{Name: name, Role: role, Units: units, Channel: langnghe.ChannelTelegram,
		ExternalID: account, ChatID: account}
	var token string
	err := o.db.InTx(context.Background(), func(tx *storage.Tx) (err error) {
		if err := tx.CreateOfficial(context.Background(), off); err != nil {
			return err
		}
		token, err = tx.CreateSignInToken(context.Background(), off.ID, o.now.Add(time.Minute))
		return err
	})
	if err != nil {
		o.t.Fatal(err)
	}
	f := &fixture{db: o.db, srv: o.srv}
	resp, cookie := f.signIn(o.t, token)
	if resp.StatusCode != http.StatusSeeOther || cookie == nil {
		o.t.Fatalf("sign in: %d", resp.StatusCode)
	}
	s := &officeSession{o: o, id: off.ID, cookie: cookie}
	_, page := s.get("/console/")
	if s.csrf = between(page, `name="csrf" value="`, `"`); s.csrf == "" {
		o.t.Fatalf("no CSRF token in %q", page)
	}
	return s
}

func (s *officeSession) get(path string) (int, string) {
	s.o.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.o.srv.URL+path, nil)
	req.AddCookie(s.cookie)
	return do(s.o.t, req)
}

// post posts form (with the CSRF token unless it is set) and returns the
// status, the redirect's target and the body.
func (s *officeSession) post(path string, form url.Values) (int, string, string) {
	s.o.t.Helper()
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", s.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, s.o.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(s.cookie)
	resp, err := client().Do(req)
	if err != nil {
		s.o.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(body)
}

// officeFile is an attachment a resident sent.
type officeFile struct {
	name, mime string
	data       []byte
}

// officeOpinion is an opinion to store as the conversation does.
type officeOpinion struct {
	category, area, text string
	track                langnghe.LegalTrack
	// resident is the resident's chat ("" for none); contact keeps their
	// name and phone on the opinion unless anonymous.
	resident  string
	anonymous bool
	age       time.Duration // received this long before now
	due       time.Time     // the category's service level from receipt when zero
	location  *langnghe.Location
	files     []officeFile
	place     string // the place as the resident wrote it
}

// opinion stores an opinion, links its files and routes it through the
// follow-up core, as a resident's conversation does.
func (o *office) opinion(s officeOpinion) *langnghe.Opinion {
	o.t.Helper()
	ctx := context.Background()
	op := &langnghe.Opinion{Category: s.category, AreaCode: s.area, Text: s.text, LegalTrack: s.track,
		Anonymous: s.anonymous, Language: langnghe.LangVI, Channel: langnghe.ChannelTelegram,
		CreatedAt: o.now.Add(-s.age), DueAt: s.due, Location: s.location, PlaceText: s.place}
	if op.Text == "" {
		op.Text = "Đường ấp 3 bị ngập"
	}
	if op.DueAt.IsZero() {
		cat, _ := catalogue.Default().Category(s.category)
		op.DueAt = calendar.Default(officeZone).AddWorkingDays(op.CreatedAt, cat.ServiceDays)
	}
	core := followup.New(catalogue.Default(), calendar.Default(officeZone), followup.Options{TimeZone: officeZone})
	err := o.db.InTx(ctx, func(tx *storage.Tx) error {
		if s.resident != "" {
			r := &langnghe.Resident{Channel: langnghe.ChannelTelegram, ExternalID: s.resident, ChatID: s.resident,
				Name: "Nguyễn Văn Kín", Phone: "0909123456", Language: langnghe.LangVI}
			if err := tx.SaveResident(ctx, r); err != nil {
				return err
			}
			op.ResidentID = &r.ID
			if !s.anonymous {
				op.ContactName, op.ContactPhone = r.Name, r.Phone
			}
		}
		code, err := tx.NextOpinionCode(ctx, "DT", 2026)
		if err != nil {
			return err
		}
		op.Code = code
		if err := tx.CreateOpinion(ctx, op); err != nil {
			return err
		}
		var ids []int64
		for _, f := range s.files {
			id, err := tx.SaveAttachment(ctx, &langnghe.StoredAttachment{ResidentID: op.ResidentID, Name: f.name, MIME: f.mime, Data: f.data})
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		if err := tx.LinkAttachments(ctx, op.ID, ids); err != nil {
			return err
		}
		op.Unit, err = core.Route(ctx, tx, op)
		return err
	})
	if err != nil {
		o.t.Fatal(err)
	}
	return op
}

// told returns the texts queued for a resident's chat.
func (o *office) told(chat string) []string {
	o.t.Helper()
	msgs, err := o.db.TakeChat(context.Background(), langnghe.ChannelTelegram, chat)
	if err != nil {
		o.t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		out = append(out, m.Message.Text)
	}
	return out
}
