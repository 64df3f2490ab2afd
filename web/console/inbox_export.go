package console

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"langnghe"
	"langnghe/followup"
	"langnghe/storage"
)

// The inbox's Excel export: exactly what the inbox shows — the same
// filters (inboxFilter, the viewer's defaults included), the same order,
// every page of it — as one sheet. The inbox's link carries its filters;
// each opinion passes the gate as on the page (followup's List), and the
// contact columns are there only for those whose exports carry them
// (langnghe.Official.ExportsContacts), filled only where Reveal leaves them.

// inboxExportPath downloads the inbox's list; the inbox's filters follow
// as its query.
const inboxExportPath = "/console/export.xlsx"

// inboxExportPage is how many opinions each read fetches.
const inboxExportPage = 1000

// inboxColumns are the export's columns (English; translated), before the
// contact columns.
var inboxColumns = []string{"Code", "Received at", "Category", "Legal track", "Area", "Unit", "Status", "Due",
	"Deadline", "Assigned to", "Answered at", "Rating", "Text"}

// inboxColumnWidths are their widths, the contact columns' after.
var inboxColumnWidths = []float64{16, 17, 24, 14, 20, 28, 16, 12, 14, 22, 17, 14, 70, 24, 16}

func (c *Console) inboxExport(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx, l := r.Context(), v.viewer.Locale
	form := inboxDefaults(r.URL.Query(), v.official)
	form.After = ""
	now := c.opts.Now()
	book := excelize.NewFile()
	defer func() { _ = book.Close() }()
	err := c.db.InTx(ctx, func(tx *storage.Tx) error {
		units, err := tx.Units(ctx)
		if err != nil {
			return fmt.Errorf("load units: %w", err)
		}
		f, err := c.inboxFilter(form, units, v.official, now, l)
		if err != nil {
			return err
		}
		contact := v.official.ExportsContacts()
		sw, st, err := inboxSheet(book, l.T("Opinions"), contact, l)
		if err != nil {
			return err
		}
		row := 1
		for {
			f.Limit = inboxExportPage
			list, err := c.opts.Followup.List(ctx, tx, v.official, f)
			if err != nil {
				return err
			}
			names, err := assigneeNames(ctx, tx, list)
			if err != nil {
				return err
			}
			for i := range list {
				o := &list[i]
				row++
				if row > xlsxMaxRows {
					return langnghe.Errorf(langnghe.ETOOLARGE, "the list has more opinions than an Excel sheet holds (%s); narrow the filters",
						l.Number(xlsxMaxRows-1))
				}
				if err := sw.SetRow("A"+strconv.Itoa(row), c.inboxCells(o, units, names, contact, now, st, l)); err != nil {
					return err
				}
			}
			if len(list) < inboxExportPage {
				break
			}
			last := list[len(list)-1]
			f.AfterID, f.AfterDue = last.ID, time.Time{}
			if f.Sort == langnghe.SortDue {
				f.AfterDue = last.DueAt
			}
		}
		return sw.Flush()
	})
	if err != nil {
		return fmt.Errorf("export the inbox: %w", err)
	}
	sendWorkbook(w, r, book, "y-kien-"+now.In(l.TZ).Format("20060102-1504")+".xlsx")
	return nil
}

// inboxSheet names the workbook's one sheet and writes its header.
func inboxSheet(book *excelize.File, name string, contact bool, l Locale) (*excelize.StreamWriter, sheetStyles, error) {
	cols := inboxColumns
	if contact {
		cols = append(cols[:len(cols):len(cols)], "Resident's name", "Phone")
	}
	header := make([]string, len(cols))
	for i, h := range cols {
		header[i] = l.T(h)
	}
	return newSheet(book, name, header, inboxColumnWidths)
}

// inboxCells are an opinion's cells, as the inbox shows it: o comes
// through the gate already (followup's List).
func (c *Console) inboxCells(o *langnghe.Opinion, units []langnghe.Unit, names map[int64]string, contact bool, now time.Time,
	st sheetStyles, l Locale) []any {
	at := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return cell(wallClock(t, l.TZ), st.dateTime)
	}
	deadline := ""
	switch {
	case followup.Overdue(*o, now):
		deadline = l.T("Overdue")
	case followup.DueSoon(*o, now, c.opts.Calendar):
		deadline = l.T("Due soon")
	}
	var answered time.Time
	if o.AnsweredAt != nil {
		answered = *o.AnsweredAt
	}
	out := []any{o.Code, at(o.CreatedAt), categoryName(c.opts.Catalogue, o.Category, l), trackName(o.LegalTrack, l),
		areaName(c.opts.Catalogue, o.AreaCode, l), unitName(units, o.Unit, l), o.Status.Name(l.Lang), at(o.DueAt),
		deadline, names[o.Assignee], at(answered), ratingName(o.Rating, l), o.Text}
	if contact {
		out = append(out, o.ContactName, o.ContactPhone)
	}
	return out
}
