package console

import (
	"embed"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"langnghe"
	"langnghe/flows/catalogue"
	"langnghe/storage"
)

// The case sheet (phiếu theo dõi xử lý): one opinion on paper, laid out as
// an administrative document — the unit's heading and the national motto,
// the code, its dates with what sets each (dates, the opinion page's
// rows), what the resident wrote and where, the history in words, the
// answer, and room for signatures. It is the opinion page's data through
// the same gate (followup's Opinion): a denouncer reads «Bảo mật» on paper
// as on screen. A print stylesheet (console.css, @media print) drops the
// console's frame and sets the page as A4.

//go:embed templates/casesheet.html
var caseSheetFS embed.FS

var caseSheetPage = Templates(caseSheetFS, "templates/casesheet.html")

// caseSheet is the sheet's data.
type caseSheet struct {
	// Heading heads the sheet (the handling unit, upper case); Printed is
	// the day it was printed.
	Heading, Unit, Printed              string
	Code, Category, Track, Area, Status string
	Place, Coordinates, Assignee        string
	// Contact is how the resident may be reached, or why not.
	Contact    string
	Dates      []dateRow
	Text       string
	History    []opinionEvent
	Answer     string
	AnsweredAt string
	Rating     string
	BackURL    string
}

func (c *Console) caseSheet(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx, l := r.Context(), v.viewer.Locale
	code := strings.ToUpper(r.PathValue("code"))
	var s *caseSheet
	err := c.db.InTx(ctx, func(tx *storage.Tx) error {
		rec, err := c.opinionRecord(ctx, tx, v, code, l)
		if err != nil {
			return err
		}
		s = c.caseSheetData(rec.o, rec.events, rec.units, rec.names, l)
		return nil
	})
	if err != nil {
		return err
	}
	Render(w, r, caseSheetPage, Page{Title: fmt.Sprintf(l.T("Case sheet %s"), s.Code), Section: "inbox", Data: s})
	return nil
}

func (c *Console) caseSheetData(o *langnghe.Opinion, events []langnghe.OpinionEvent, units []langnghe.Unit, names historyNames, l Locale) *caseSheet {
	s := &caseSheet{
		Unit: unitName(units, o.Unit, l), Printed: l.Date(c.opts.Now()),
		Code: o.Code, Category: categoryName(c.opts.Catalogue, o.Category, l), Track: trackName(o.LegalTrack, l),
		Area: areaName(c.opts.Catalogue, o.AreaCode, l), Status: o.Status.Name(l.Lang),
		Dates: c.dates(o, events, true, l), Text: o.Text, History: c.history(o, events, units, names, l),
		Rating: ratingName(o.Rating, l), BackURL: opinionURL(o.Code),
		Place: catalogue.AsWritten(c.opts.Catalogue, o.AreaCode, o.PlaceText),
	}
	if o.Unit == "" {
		s.Unit = l.T("Not yet given to a unit")
	}
	s.Heading = strings.ToUpper(s.Unit)
	if s.Area == "" {
		s.Area = l.T("area not known")
	}
	if p := o.Location; p != nil {
		s.Coordinates = strconv.FormatFloat(p.Latitude, 'f', 6, 64) + ", " + strconv.FormatFloat(p.Longitude, 'f', 6, 64)
	}
	if o.Assignee != 0 {
		s.Assignee = names.official(o.Assignee, l)
	}
	switch contact := strings.TrimSpace(o.ContactName + " " + o.ContactPhone); {
	case o.ContactName == langnghe.Concealed:
		s.Contact = langnghe.Concealed + " (" + l.T("Law on Denunciations 2018, art. 9") + ")"
	case contact != "":
		s.Contact = contact
	default:
		s.Contact = l.T("Not given: the answer reaches the resident through the bot")
	}
	for i := len(events) - 1; i >= 0; i-- {
		if e := events[i]; e.StatusTo == langnghe.StatusAnswered && e.StatusFrom != e.StatusTo {
			s.Answer, s.AnsweredAt = e.Note, l.DateTime(e.At)
			break
		}
	}
	return s
}
