package console

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"langnghe"
	"langnghe/flows/vntext"
	"langnghe/storage"
)

// The emergency strip: every console page of an official whose scope
// covers the unit alerted of an emergency (the board and admins: every
// one) shows, above everything, how many emergencies nobody acknowledged
// yet and the latest one, with a button that acknowledges it. It goes once
// someone has (here or with the Telegram alert's button).

// EmergencyKeeper lists and acknowledges the emergencies within an
// official's scope; followup.Service is one.
type EmergencyKeeper interface {
	Emergencies(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, limit int) ([]langnghe.Emergency, int, error)
	AcknowledgeEmergency(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, id int64) (*langnghe.Emergency, error)
}

// EmergencyStrip is what the layout shows of the unacknowledged emergencies.
type EmergencyStrip struct {
	// ID is the latest emergency's, which the button acknowledges.
	ID int64
	// Title says how many wait ("2 tin khẩn cấp chưa xác nhận").
	Title string
	// When, Kind and Area describe the latest; Text is its words, cut.
	When, Kind, Area, Text string
}

// emergencyPath is where the strip's button posts.
const emergencyPath = "/console/emergencies/"

func (c *Console) emergencyRoutes() {
	c.mux.Handle("POST "+emergencyPath+"{id}/acknowledge", c.requireOfficial(c.acknowledgeEmergency))
}

// emergencyStrip loads the strip for off in locale l; nil when nothing
// waits (or the console has no EmergencyKeeper).
func (c *Console) emergencyStrip(ctx context.Context, off *langnghe.Official, l Locale) (*EmergencyStrip, error) {
	if c.opts.Emergencies == nil {
		return nil, nil
	}
	var list []langnghe.Emergency
	var n int
	err := c.db.InTx(ctx, func(tx *storage.Tx) error {
		var err error
		list, n, err = c.opts.Emergencies.Emergencies(ctx, tx, off, 1)
		return err
	})
	if err != nil || n == 0 || len(list) == 0 {
		return nil, err
	}
	e := list[0]
	s := &EmergencyStrip{ID: e.ID, When: l.DateTime(e.At), Kind: e.Kind.Name(l.Lang), Area: l.T("area not known"),
		Text: vntext.Cut(strings.Join(strings.Fields(e.Text), " "), 160)}
	if n == 1 {
		s.Title = l.T("1 unacknowledged emergency")
	} else {
		s.Title = fmt.Sprintf(l.T("%d unacknowledged emergencies"), n)
	}
	if a, ok := c.opts.Catalogue.Area(e.AreaCode); ok {
		s.Area = a.Name(l.Lang)
	}
	return s, nil
}

// stripFor is the strip of the request's viewer, or nil; a failure to load
// it is logged and the page shown without it.
func stripFor(r *http.Request, v *Viewer) *EmergencyStrip {
	if v.emergencies == nil {
		return nil
	}
	s, err := v.emergencies(r.Context())
	if err != nil {
		logFrom(r.Context()).Error("load the emergency strip", "official", v.Official.ID, "err", err)
		return nil
	}
	return s
}

// acknowledgeEmergency records that the viewer took an emergency in and
// goes back to the page the strip was on. An emergency outside the
// viewer's scope is "not found", as one that does not exist; one that
// someone else acknowledged first stays theirs.
func (c *Console) acknowledgeEmergency(w http.ResponseWriter, r *http.Request, v *visit) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 || c.opts.Emergencies == nil {
		return langnghe.Errorf(langnghe.ENOTFOUND, "there is no such emergency")
	}
	err = c.db.InTx(r.Context(), func(tx *storage.Tx) error {
		_, err := c.opts.Emergencies.AcknowledgeEmergency(r.Context(), tx, v.official, id)
		return err
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, backTo(r.PostFormValue("back")), http.StatusSeeOther)
	return nil
}

// backTo is the console page to return to: back when it is a path of the
// console (never another site), else the inbox.
func backTo(back string) string {
	u, err := url.Parse(back)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/console/") ||
		strings.ContainsAny(back, "\\\r\n") || strings.HasPrefix(back, "//") {
		return "/console/"
	}
	return back
}

// cut shortens s to about n characters at a word, with an ellipsis.
func cut(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	out := string(r[:n])
	if i := strings.LastIndex(out, " "); i > n/2 {
		out = out[:i]
	}
	return out + "…"
}
