package console

import (
	"archive/zip"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"langnghe"
	"langnghe/flows/catalogue"
	"langnghe/report"
)

// Exports of the reports page: the figures (one sheet per grouping) and
// the opinion list of the period, as .xlsx for Excel and .csv for other
// programs. The opinion list is streamed: opinions are read a page at a
// time, the CSV goes out as it is written, and excelize's StreamWriter
// keeps the sheet on disk beyond 16 MB, so a million opinions never sit in
// memory.

const (
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	csvType  = "text/csv; charset=utf-8"
	// bom starts every CSV so that Excel reads it as UTF-8 (Vietnamese).
	bom = "\uFEFF"
	// xlsxMaxRows is a sheet's limit, its header included.
	xlsxMaxRows = 1_048_576
)

// figureColumns are the columns of the figures' exports, after the
// group's name and code.
var figureColumns = []string{"Received", "Forwarded", "Answered on time", "Answered late", "On-time rate",
	"Median days to answer", "Rated", "Satisfied", "Satisfaction rate"}

// figuresXLSX sends the figures as a workbook: one sheet per grouping, each
// a header, one row per group and the total.
func (rp *reports) figuresXLSX(w http.ResponseWriter, r *http.Request, vis *visit) error {
	v, l := vis.viewer, vis.viewer.Locale
	f, fig, err := rp.figuresFor(r, v)
	if err != nil {
		return err
	}
	book := excelize.NewFile()
	defer func() { _ = book.Close() }()
	styles, err := newSheetStyles(book)
	if err != nil {
		return fmt.Errorf("export figures: %w", err)
	}
	err = book.SetDocProps(&excelize.DocProperties{Title: l.T("Opinion report") + " " + f.From + " – " + f.To, Language: l.Lang})
	if err != nil {
		return fmt.Errorf("export figures: %w", err)
	}
	for i, g := range fig.Groups {
		if err := writeFigureSheet(book, i, g, fig.Total, l, styles); err != nil {
			return fmt.Errorf("export figures: %w", err)
		}
	}
	sendWorkbook(w, r, book, f.fileName("bao-cao", "xlsx"))
	return nil
}

// sheetStyles are the workbook's cell styles.
type sheetStyles struct{ header, total, rate, days, dateTime int }

func newSheetStyles(book *excelize.File) (sheetStyles, error) {
	var s sheetStyles
	dateTime, oneDecimal := "dd/mm/yyyy hh:mm", "0.0"
	for _, st := range []struct {
		id    *int
		style excelize.Style
	}{
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8ECEF"}}}},
		{&s.total, excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&s.rate, excelize.Style{NumFmt: 10}}, // 0.00%
		{&s.days, excelize.Style{CustomNumFmt: &oneDecimal}},
		{&s.dateTime, excelize.Style{CustomNumFmt: &dateTime}},
	} {
		id, err := book.NewStyle(&st.style)
		if err != nil {
			return s, fmt.Errorf("cell style: %w", err)
		}
		*st.id = id
	}
	return s, nil
}

// writeFigureSheet writes group g as sheet number i (the first renames
// the workbook's default sheet).
func writeFigureSheet(book *excelize.File, i int, g group, total report.Row, l Locale, st sheetStyles) error {
	name := g.Title
	if i == 0 {
		if err := book.SetSheetName(book.GetSheetName(0), name); err != nil {
			return err
		}
	} else if _, err := book.NewSheet(name); err != nil {
		return err
	}
	sw, err := book.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, 32); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 2+len(figureColumns), 14); err != nil {
		return err
	}
	header := []any{cell(l.T("Name"), st.header), cell(l.T("Code"), st.header)}
	for _, c := range figureColumns {
		header = append(header, cell(l.T(c), st.header))
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	lines := append(append([]report.Row(nil), g.Rows...), total)
	for j, row := range lines {
		values := figureCells(row, st)
		if j == len(lines)-1 {
			values[0] = cell(l.T("Total"), st.total)
			values[1] = nil
		}
		if err := sw.SetRow("A"+strconv.Itoa(j+2), values); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// figureCells are a row's cells: the name, the code and figureColumns.
func figureCells(r report.Row, st sheetStyles) []any {
	return []any{r.Name, r.Key, r.Received, r.Forwarded, r.AnsweredOnTime, r.AnsweredLate,
		optional(r.OnTimeRate(), st.rate), optional(r.MedianDaysToAnswer, st.days), r.Rated, r.Satisfied,
		optional(r.SatisfactionRate, st.rate)}
}

func cell(v any, style int) excelize.Cell { return excelize.Cell{Value: v, StyleID: style} }

// optional is a figure's cell, empty when there is no figure.
func optional(x *float64, style int) any {
	if x == nil {
		return nil
	}
	return cell(*x, style)
}

// figuresCSV sends the figures as one CSV table: a row per group of each
// grouping, then the total. Numbers are plain (a dot for decimals, rates as
// fractions) so that programs read them.
func (rp *reports) figuresCSV(w http.ResponseWriter, r *http.Request, vis *visit) error {
	v, l := vis.viewer, vis.viewer.Locale
	f, fig, err := rp.figuresFor(r, v)
	if err != nil {
		return err
	}
	startDownload(w, csvType, f.fileName("bao-cao", "csv"))
	out := newCSV(w)
	header := []string{l.T("Group"), l.T("Code"), l.T("Name")}
	for _, c := range figureColumns {
		header = append(header, l.T(c))
	}
	_ = out.write(header) // errors stick: close reports them
	for _, g := range fig.Groups {
		for _, row := range g.Rows {
			_ = out.write(append([]string{g.Title, row.Key, row.Name}, figureStrings(row)...))
		}
	}
	_ = out.write(append([]string{l.T("Total"), "", l.T("Total")}, figureStrings(fig.Total)...))
	if err := out.close(); err != nil {
		abortDownload(r, "export figures", err)
	}
	return nil
}

func figureStrings(r report.Row) []string {
	return []string{strconv.Itoa(r.Received), strconv.Itoa(r.Forwarded), strconv.Itoa(r.AnsweredOnTime),
		strconv.Itoa(r.AnsweredLate), plain(r.OnTimeRate(), 4), plain(r.MedianDaysToAnswer, 2), strconv.Itoa(r.Rated),
		strconv.Itoa(r.Satisfied), plain(r.SatisfactionRate, 4)}
}

func plain(x *float64, prec int) string {
	if x == nil {
		return ""
	}
	return strconv.FormatFloat(*x, 'f', prec, 64)
}

// figuresFor reads the form and builds the figures.
func (rp *reports) figuresFor(r *http.Request, v *Viewer) (reportForm, *figures, error) {
	f, units, err := rp.form(r, v)
	if err != nil {
		return f, nil, err
	}
	fig, err := rp.build(r.Context(), f, v, units)
	return f, fig, err
}

// opinionList turns opinions into export rows in the viewer's language,
// each as the viewer may see it (the gate: langnghe.Official.Reveal).
type opinionList struct {
	l      Locale
	cat    *langnghe.Catalogue
	units  map[string]string
	viewer *langnghe.Official
	// contact: the list has the contact columns (ExportsContacts).
	contact bool
}

func newOpinionList(cat *langnghe.Catalogue, units []langnghe.Unit, v *Viewer) *opinionList {
	ol := &opinionList{l: v.Locale, cat: cat, units: map[string]string{}, viewer: v.Official,
		contact: v.Official.ExportsContacts()}
	for _, u := range units {
		ol.units[u.Code] = u.Name(v.Locale.Lang)
	}
	return ol
}

// header is the list's first row; the contact columns only for viewers
// who may see contacts.
func (ol *opinionList) header() []string {
	cols := []string{"Code", "Received at", "Category", "Legal track", "Area", "Place as the resident wrote it", "Unit",
		"Status", "Due", "Answered at", "On time", "Rating", "Text"}
	if ol.contact {
		cols = append(cols, "Resident's name", "Phone")
	}
	for i, c := range cols {
		cols[i] = ol.l.T(c)
	}
	return cols
}

// fields are an opinion's values in header's order, as the viewer may see
// them: times as times (the writer formats them), the rest as text. A
// denunciation's contact reads «Bảo mật», and its text loses the
// denouncer's name and phone, unless the viewer holds the permission.
func (ol *opinionList) fields(raw *langnghe.Opinion) []any {
	seen := ol.viewer.Reveal(*raw)
	o := &seen
	unit := o.Unit
	if n, ok := ol.units[o.Unit]; ok {
		unit = n
	}
	onTime := ""
	if o.AnsweredAt != nil {
		onTime = ol.l.T("Yes")
		if !o.DueAt.IsZero() && o.AnsweredAt.After(o.DueAt) {
			onTime = ol.l.T("No")
		}
	}
	var answered any
	if o.AnsweredAt != nil {
		answered = *o.AnsweredAt
	}
	var due any
	if !o.DueAt.IsZero() {
		due = o.DueAt
	}
	out := []any{o.Code, o.CreatedAt, categoryName(ol.cat, o.Category, ol.l), trackName(o.LegalTrack, ol.l),
		areaName(ol.cat, o.AreaCode, ol.l), catalogue.AsWritten(ol.cat, o.AreaCode, o.PlaceText), unit, o.Status.Name(ol.l.Lang),
		due, answered, onTime, ratingName(o.Rating, ol.l), o.Text}
	if ol.contact {
		out = append(out, o.ContactName, o.ContactPhone)
	}
	return out
}

// opinionsXLSX sends the opinion list of the period as a workbook. The
// file is only sent once every row is written, so a failure, or a list
// longer than a sheet holds, is a clean error.
func (rp *reports) opinionsXLSX(w http.ResponseWriter, r *http.Request, vis *visit) error {
	v := vis.viewer
	f, units, err := rp.form(r, v)
	if err != nil {
		return err
	}
	ol := newOpinionList(rp.catalogue(), units, v)
	book := excelize.NewFile()
	defer func() { _ = book.Close() }()
	sheet := v.Locale.T("Opinions")
	sw, styles, err := opinionSheet(book, sheet, ol)
	if err != nil {
		return fmt.Errorf("export opinions: %w", err)
	}
	row := 1
	err = report.EachOpinion(r.Context(), rp.db, f.query(v.Official, langnghe.ReportTotal), report.Options{TimeZone: v.Locale.TZ},
		func(o *langnghe.Opinion) error {
			if !v.Official.MaySee(o) { // the query kept to the scope already; the gate has the last word
				return nil
			}
			row++
			if row > xlsxMaxRows {
				return langnghe.Errorf(langnghe.ETOOLARGE, "the period has more opinions than an Excel sheet holds (%s); choose a shorter period or export CSV",
					v.Locale.Number(xlsxMaxRows-1))
			}
			values := ol.fields(o)
			for i, x := range values {
				if t, ok := x.(time.Time); ok {
					values[i] = cell(wallClock(t, v.Locale.TZ), styles.dateTime)
				}
			}
			return sw.SetRow("A"+strconv.Itoa(row), values)
		})
	if err == nil {
		err = sw.Flush()
	}
	if err != nil {
		return fmt.Errorf("export opinions: %w", err)
	}
	sendWorkbook(w, r, book, f.fileName("y-kien", "xlsx"))
	return nil
}

// opinionSheet names the workbook's sheet and writes the list's header.
func opinionSheet(book *excelize.File, name string, ol *opinionList) (*excelize.StreamWriter, sheetStyles, error) {
	return newSheet(book, name, ol.header(), []float64{16, 17, 24, 16, 20, 24, 24, 16, 17, 17, 9, 14, 60, 24, 16})
}

// newSheet names the book's sheet and starts writing it (writeHeader).
func newSheet(book *excelize.File, name string, header []string, widths []float64) (*excelize.StreamWriter, sheetStyles, error) {
	styles, err := newSheetStyles(book)
	if err != nil {
		return nil, styles, err
	}
	if err := book.SetSheetName(book.GetSheetName(0), name); err != nil {
		return nil, styles, err
	}
	sw, err := book.NewStreamWriter(name)
	if err != nil {
		return nil, styles, err
	}
	return sw, styles, writeHeader(sw, header, widths, styles)
}

// writeHeader starts a sheet: the columns as wide as widths, the header
// row (translated already) in bold and frozen above the rows that follow.
func writeHeader(sw *excelize.StreamWriter, header []string, widths []float64, st sheetStyles) error {
	cells := make([]any, len(header))
	for i, h := range header {
		if err := sw.SetColWidth(i+1, i+1, widths[i]); err != nil {
			return err
		}
		cells[i] = cell(h, st.header)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return sw.SetRow("A1", cells)
}

// wallClock is t's local time written as if it were UTC: a spreadsheet's
// dates have no time zone, and excelize counts from UTC.
func wallClock(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// opinionsCSV streams the opinion list of the period as CSV, one opinion
// per line as it is read. The download starts with the first opinion, so
// a failure before it is still a clean error.
func (rp *reports) opinionsCSV(w http.ResponseWriter, r *http.Request, vis *visit) error {
	v, l := vis.viewer, vis.viewer.Locale
	f, units, err := rp.form(r, v)
	if err != nil {
		return err
	}
	ol := newOpinionList(rp.catalogue(), units, v)
	var out *csvOut
	start := func() error {
		startDownload(w, csvType, f.fileName("y-kien", "csv"))
		out = newCSV(w)
		return out.write(ol.header())
	}
	err = report.EachOpinion(r.Context(), rp.db, f.query(v.Official, langnghe.ReportTotal), report.Options{TimeZone: l.TZ},
		func(o *langnghe.Opinion) error {
			if !v.Official.MaySee(o) {
				return nil
			}
			if out == nil {
				if err := start(); err != nil {
					return err
				}
			}
			values := ol.fields(o)
			rec := make([]string, len(values))
			for i, x := range values {
				switch x := x.(type) {
				case time.Time:
					rec[i] = l.DateTime(x)
				case string:
					rec[i] = x
				}
			}
			return out.write(rec)
		})
	if err == nil && out == nil {
		err = start() // no opinion: the header alone
	}
	if err == nil {
		err = out.close()
	}
	switch {
	case err != nil && out == nil:
		return fmt.Errorf("export opinions: %w", err)
	case err != nil:
		abortDownload(r, "export opinions", err)
	}
	return nil
}

// startDownload sends the headers of a file download named name.
func startDownload(w http.ResponseWriter, contentType, name string) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
}

// sendWorkbook writes book as the download name. excelize's Write builds
// the whole .xlsx in a memory buffer first (75 MB for a million opinions);
// its zip writer hook is handed the response instead of that buffer, so the
// file goes out as it is compressed. (The buffer is then left empty; the
// one thing excelize does to it afterwards is patch entries over 4 GB,
// which a sheet of at most a million opinions never reaches.)
func sendWorkbook(w http.ResponseWriter, r *http.Request, book *excelize.File, name string) {
	startDownload(w, xlsxType, name)
	book.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	if err := book.Write(io.Discard); err != nil {
		abortDownload(r, "send workbook", err)
	}
}

// abortDownload ends a download that failed after its first bytes were
// sent. The status cannot change any more, and a download that simply ends
// would look complete; aborting the response (net/http's documented
// ErrAbortHandler) makes the browser report it failed.
func abortDownload(r *http.Request, what string, err error) {
	if r.Context().Err() == nil { // not the browser going away
		logFrom(r.Context()).Error("console download failed", "what", what, "path", r.URL.Path, "err", err)
	}
	panic(http.ErrAbortHandler)
}

// csvOut writes CSV with the BOM Excel needs, defusing cells a spreadsheet
// would run as formulas. Its first error sticks.
type csvOut struct {
	w      *csv.Writer
	failed error
}

func newCSV(w io.Writer) *csvOut {
	_, err := io.WriteString(w, bom)
	return &csvOut{w: csv.NewWriter(w), failed: err}
}

func (c *csvOut) write(rec []string) error {
	if c.failed != nil {
		return c.failed
	}
	for i, s := range rec {
		rec[i] = Defuse(s)
	}
	c.failed = c.w.Write(rec)
	return c.failed
}

func (c *csvOut) close() error {
	if c.failed != nil {
		return c.failed
	}
	c.w.Flush()
	return c.w.Error()
}

// Defuse prefixes a cell that starts like a formula (=, +, -, @, a tab or
// a carriage return) with an apostrophe, so that a resident's text such as
// "=HYPERLINK(...)" stays text when the CSV is opened in a spreadsheet.
func Defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
