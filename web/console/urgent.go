package console

import (
	"context"
	"embed"
	"fmt"
	"net/http"
	"slices"
	"time"

	"langnghe"
	"langnghe/followup"
	"langnghe/storage"
)

// The strip on top of the inbox says what needs someone now, within the
// official's scope: the open opinions overdue, due within DueSoonDays
// working days (followup.DueSoonBy, the digests' definition too), nobody
// has in hand, or reopened by a resident not satisfied; the day's
// emergencies; and the official's own. Each is a link to the inbox so
// filtered (the emergencies to the day's list), by due date.

// stripItem is one entry of the strip.
type stripItem struct {
	// Key names it in the page (id="strip-KEY"); Label says what it
	// counts.
	Key, Label, URL string
	N               int
	Count           string
	// Current marks the entry whose filter the inbox shows; Alarm those
	// that count something needing attention (N > 0, but "mine").
	Current, Alarm bool
}

// strip counts the strip's entries for off at now; form is the inbox's
// current filters.
func (c *Console) strip(ctx context.Context, tx *storage.Tx, off *langnghe.Official, form inboxForm, now time.Time, l Locale) ([]stripItem, error) {
	u, err := c.opts.Followup.Urgent(ctx, tx, off, now)
	if err != nil {
		return nil, err
	}
	_, today, err := c.opts.Followup.EmergenciesSince(ctx, tx, off, langnghe.DayStart(now, l.TZ), -1)
	if err != nil {
		return nil, err
	}
	current := form
	current.After = ""
	item := func(key, label string, n int, f inboxForm) stripItem {
		f.Sort = "due"
		return stripItem{Key: key, Label: label, N: n, Count: l.Number(n), URL: f.url(), Current: f == current, Alarm: n > 0}
	}
	items := []stripItem{
		item("overdue", l.T("Overdue"), u.Overdue, inboxForm{Due: "overdue"}),
		item("soon", fmt.Sprintf(l.T("Due within %d working days"), followup.DueSoonDays), u.DueSoon, inboxForm{Due: "soon"}),
		item("untaken", l.T("Not taken by anyone"), u.NotTaken, inboxForm{Only: "untaken"}),
		item("unsatisfied", l.T("Resident not satisfied"), u.NotSatisfied, inboxForm{Only: "unsatisfied", filterForm: filterForm{Status: "open"}}),
		{Key: "emergencies", Label: l.T("Emergencies today"), N: today, Count: l.Number(today), URL: emergenciesPath, Alarm: today > 0},
	}
	mine := item("mine", l.T("Assigned to me"), u.Mine, inboxForm{Mine: "1", filterForm: filterForm{Status: "open"}})
	mine.Alarm = false
	return append(items, mine), nil
}

// assigneeNames names the officials the listed opinions are given to.
func assigneeNames(ctx context.Context, tx *storage.Tx, list []langnghe.Opinion) (map[int64]string, error) {
	var ids []int64
	for _, o := range list {
		if o.Assignee != 0 {
			ids = append(ids, o.Assignee)
		}
	}
	slices.Sort(ids)
	return tx.OfficialNames(ctx, slices.Compact(ids))
}

// The day's emergencies: the strip's last entry opens the list of those
// reported since midnight within the official's scope, acknowledged or
// not, each with its button while nobody has taken it in.

//go:embed templates/emergencies.html
var emergenciesFS embed.FS

var emergenciesPage = Templates(emergenciesFS, "templates/emergencies.html")

// emergenciesPath lists the day's emergencies.
const emergenciesPath = "/console/emergencies"

// emergenciesLimit caps the day's list.
const emergenciesLimit = 200

// emergencyRow is an emergency as the day's list shows it.
type emergencyRow struct {
	ID                           int64
	At, Kind, Area, Unit, Text   string
	Acknowledged, AcknowledgedBy string
}

// emergenciesData is the day's list.
type emergenciesData struct {
	Day   string
	Total int
	Rows  []emergencyRow
	Back  string
}

func (c *Console) emergenciesToday(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx, l := r.Context(), v.viewer.Locale
	now := c.opts.Now()
	d := &emergenciesData{Day: l.Date(now), Back: emergenciesPath}
	err := c.db.InTx(ctx, func(tx *storage.Tx) error {
		list, total, err := c.opts.Followup.EmergenciesSince(ctx, tx, v.official, langnghe.DayStart(now, l.TZ), emergenciesLimit)
		if err != nil {
			return err
		}
		units, err := tx.Units(ctx)
		if err != nil {
			return fmt.Errorf("load units: %w", err)
		}
		var ids []int64
		for _, e := range list {
			if e.AcknowledgedBy != nil {
				ids = append(ids, *e.AcknowledgedBy)
			}
		}
		names, err := tx.OfficialNames(ctx, ids)
		if err != nil {
			return err
		}
		d.Total = total
		for _, e := range list {
			row := emergencyRow{ID: e.ID, At: l.DateTime(e.At), Kind: e.Kind.Name(l.Lang), Area: l.T("area not known"),
				Unit: unitName(units, e.Unit, l), Text: e.Text}
			if a, ok := c.opts.Catalogue.Area(e.AreaCode); ok {
				row.Area = a.Name(l.Lang)
			}
			if e.AcknowledgedAt != nil {
				row.Acknowledged = l.DateTime(*e.AcknowledgedAt)
				if e.AcknowledgedBy != nil {
					row.AcknowledgedBy = names[*e.AcknowledgedBy]
				}
			}
			d.Rows = append(d.Rows, row)
		}
		return nil
	})
	if err != nil {
		return err
	}
	Render(w, r, emergenciesPage, Page{Title: l.T("Emergencies today"), Section: "inbox", Data: d})
	return nil
}
