package console

import (
	"fmt"
	"time"

	"langnghe"
	"langnghe/followup"
)

// An opinion's dates, each labelled with what it is and what sets it: the
// day it was received, its due date (the category's service level, an
// extension, a reopening, or the law's step for a complaint or a
// denunciation), the legal deadlines of its track (followup.DeadlinesOf),
// and the day it was answered. The opinion page and the case sheet show
// the same rows.

// dateRow is one date: ID names its row, Label what it is, Basis what
// sets it ("" for none).
type dateRow struct{ ID, Label, Basis, Date string }

// dates are o's dates in order: received, due, the legal deadlines (legal:
// the page shows them for open opinions only, the sheet always), answered.
func (c *Console) dates(o *langnghe.Opinion, events []langnghe.OpinionEvent, legal bool, l Locale) []dateRow {
	out := []dateRow{{ID: "received-at", Label: l.T("Received on"), Basis: fmt.Sprintf(l.T("through %s"), channelName(o.Channel, l)),
		Date: l.DateTime(o.CreatedAt)}}
	if !o.DueAt.IsZero() {
		label, basis := c.dueBasis(o, events, l)
		out = append(out, dateRow{ID: "due", Label: label, Basis: basis, Date: l.Date(o.DueAt)})
	}
	if legal && c.opts.Calendar != nil {
		out = append(out, legalDates(followup.DeadlinesOf(*o, c.opts.Calendar), o.LegalTrack, l)...)
	}
	if o.AnsweredAt != nil {
		out = append(out, dateRow{ID: "answered-at", Label: l.T("Answered on"), Date: l.DateTime(*o.AnsweredAt)})
	}
	return out
}

// dueBasis names o's due date and what set it: the latest extension or
// reopening in its history, else its track's rule.
func (c *Console) dueBasis(o *langnghe.Opinion, events []langnghe.OpinionEvent, l Locale) (label, basis string) {
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		switch {
		case e.StatusTo == langnghe.StatusExtended && e.StatusFrom != e.StatusTo:
			return l.T("Extended due date"), fmt.Sprintf(l.T("extended on %s, the resident told why"), l.Date(e.At))
		case e.StatusTo == langnghe.StatusReopened && e.StatusFrom != e.StatusTo && e.Actor == followup.ActorResident:
			return l.T("Due date of the new review"), fmt.Sprintf(l.T("%s from the resident's dissatisfaction on %s"),
				c.serviceLevel(o.Category, l), l.Date(e.At))
		}
	}
	switch o.LegalTrack {
	case langnghe.TrackComplaint, langnghe.TrackDenunciation:
		return l.T("Due date of the current step"), l.T("set by law: see the legal deadlines")
	}
	return l.T("Due date for the category"), fmt.Sprintf(l.T("%s from receipt, the service level of %s"),
		c.serviceLevel(o.Category, l), categoryName(c.opts.Catalogue, o.Category, l))
}

// serviceLevel is a category's service level in words ("5 ngày làm việc").
func (c *Console) serviceLevel(category string, l Locale) string {
	if cat, ok := c.opts.Catalogue.Category(category); ok && cat.ServiceDays > 0 {
		return fmt.Sprintf(l.T("%d working days"), cat.ServiceDays)
	}
	return l.T("the service level")
}

// legalDates are an opinion's legal deadlines in the order they fall due,
// each named with the law that sets it.
func legalDates(dl followup.Deadlines, track langnghe.LegalTrack, l Locale) []dateRow {
	var out []dateRow
	add := func(id, label, basis string, t time.Time) {
		if !t.IsZero() {
			out = append(out, dateRow{ID: id, Label: l.T(label), Basis: l.T(basis), Date: l.Date(t)})
		}
	}
	switch track {
	case langnghe.TrackComplaint:
		add("accept-by", "Acceptance notice by", "10 days, Law on Complaints 2011, art. 27", dl.AcceptBy)
		add("resolve-by", "First resolution by", "30 days from acceptance, Law on Complaints 2011, art. 28", dl.ResolveBy)
	case langnghe.TrackDenunciation:
		add("forward-by", "Forward by when not competent", "5 working days, Law on Denunciations 2018, art. 24", dl.ForwardBy)
		add("verify-by", "Classify and verify by", "7 working days, Law on Denunciations 2018, art. 24", dl.VerifyBy)
		add("resolve-by", "Resolution by", "30 days from acceptance, Law on Denunciations 2018, art. 30", dl.ResolveBy)
	default:
		add("forward-by", "Forward by, when outside the unit's competence", "5 working days, Decree 20/2008, art. 9", dl.ForwardBy)
		add("first-notice-by", "Tell the resident by whether it is accepted, forwarded or refused", "10 working days, Law on Citizen Reception 2013, art. 28", dl.FirstNoticeBy)
	}
	return out
}
