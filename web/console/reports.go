package console

import (
	"context"
	"embed"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"langnghe"
	"langnghe/report"
)

// The reports page: the figures of the follow-up issue for a period, with
// charts drawn on the server as inline SVG (no JavaScript), and exports of
// the figures and of the opinion list as .xlsx and .csv (export.go). A
// unit official's figures and lists cover only their units.

//go:embed templates/reports.html templates/chart.html
var reportsFS embed.FS

var reportsPage = Templates(reportsFS, "templates/reports.html", "templates/chart.html")

// reportRoutes mounts the reports and exports.
func (c *Console) reportRoutes() {
	r := &reports{c: c, db: c.db}
	c.mux.Handle("GET /console/reports", c.requireOfficial(r.page))
	c.mux.Handle("GET /console/reports.xlsx", c.requireOfficial(r.figuresXLSX))
	c.mux.Handle("GET /console/reports.csv", c.requireOfficial(r.figuresCSV))
	c.mux.Handle("GET /console/reports/opinions.xlsx", c.requireOfficial(r.opinionsXLSX))
	c.mux.Handle("GET /console/reports/opinions.csv", c.requireOfficial(r.opinionsCSV))
}

// reports serves the reports page and its exports.
type reports struct {
	c  *Console
	db Store
}

// catalogue names categories and areas (New sets the default).
func (rp *reports) catalogue() *langnghe.Catalogue { return rp.c.opts.Catalogue }

// The period presets.
const (
	presetThisMonth = "this-month"
	presetLastMonth = "last-month"
	presetThisYear  = "this-year"
)

// reportForm is the reports form as the official filled it: kept as typed
// so that a mistake is shown with what was written, and turned into the
// links of the presets and exports.
type reportForm struct {
	filterForm
	Preset   string
	from, to time.Time
}

// values are the form's query parameters (without the preset, whose dates
// are in From and To).
func (f reportForm) values() url.Values {
	v := url.Values{"from": {f.From}, "to": {f.To}}
	f.filterForm.set(v)
	return v
}

// Link returns path with the form's period and filters.
func (f reportForm) Link(path string) string { return path + "?" + f.values().Encode() }

// PresetLink returns the reports page for a preset period, keeping the
// filters.
func (f reportForm) PresetLink(preset string) string {
	v := f.values()
	v.Del("from")
	v.Del("to")
	v.Set("preset", preset)
	return "/console/reports?" + v.Encode()
}

// form reads the period and filters of r for the viewer (filters.go), with
// the units they were checked against. The period defaults to this month;
// a preset counts from today in the viewer's time zone.
func (rp *reports) form(r *http.Request, v *Viewer) (reportForm, []langnghe.Unit, error) {
	units, err := rp.units(r.Context())
	if err != nil {
		return reportForm{}, nil, err
	}
	l := v.Locale
	q := r.URL.Query()
	f := reportForm{filterForm: readFilterForm(q), Preset: q.Get("preset")}
	if f.Preset == "" && f.From == "" && f.To == "" {
		f.Preset = presetThisMonth
	}
	y, m, d := rp.c.opts.Now().In(l.TZ).Date()
	day := func(m time.Month, d int) string {
		return time.Date(y, m, d, 0, 0, 0, 0, l.TZ).Format(langnghe.DateLayout)
	}
	switch f.Preset {
	case "":
		for _, field := range []struct{ name, value string }{{"from", f.From}, {"to", f.To}} {
			if field.value == "" {
				return f, units, invalid(l, "write the %s date as DD/MM/YYYY, e.g. 31/03/2026", field.name)
			}
		}
	case presetThisMonth:
		f.From, f.To = day(m, 1), day(m, d)
	case presetLastMonth:
		f.From, f.To = day(m-1, 1), day(m, 0)
	case presetThisYear:
		f.From, f.To = day(1, 1), day(m, d)
	default:
		return f, units, invalid(l, "unknown period %q: choose this month, last month or this year, or write the dates", f.Preset)
	}
	read, err := f.filterForm.read(rp.catalogue(), units, false, l)
	if err != nil {
		return f, units, err
	}
	f.from, f.to = read.Since, read.Until.AddDate(0, 0, -1)
	return f, units, nil
}

// query is the report query of the form for the viewer: a unit official's
// is limited to their units.
func (f reportForm) query(off *langnghe.Official, by langnghe.ReportDimension) report.Query {
	q := report.Query{From: f.from, To: f.to, By: by, Category: f.Category, Area: f.Area, Unit: f.Unit,
		Status: langnghe.Status(f.Status)}
	scope := off.Scope() // the gate's
	q.Scope = &scope
	return q
}

// fileName names an export after its period: bao-cao-2026-01-01_2026-03-31.xlsx.
func (f reportForm) fileName(prefix, ext string) string {
	return prefix + "-" + f.from.Format(time.DateOnly) + "_" + f.to.Format(time.DateOnly) + "." + ext
}

// dimensions are the groupings the page and the figures' exports show.
var dimensions = []struct {
	By    langnghe.ReportDimension
	Title string // in English, translated with Locale.T
}{
	{langnghe.ReportCategory, "By category"},
	{langnghe.ReportArea, "By area"},
	{langnghe.ReportUnit, "By unit"},
	{langnghe.ReportMonth, "By month"},
}

// figures are a period's reports, one per dimension, for a viewer.
type figures struct {
	Total  report.Row
	Groups []group
	// Emergencies counts the emergencies of the period in the viewer's
	// scope; EmergencyAreas per area.
	Emergencies    int
	EmergencyAreas []report.EmergencyRow
	// Satisfaction is the monthly index of the feedback points in the
	// viewer's scope, for the months the period touches.
	Satisfaction []report.SatisfactionIndex
}

// group is the report of one dimension.
type group struct {
	By    langnghe.ReportDimension
	Title string
	Rows  []report.Row
}

// build computes the figures of f for the viewer.
func (rp *reports) build(ctx context.Context, f reportForm, v *Viewer, units []langnghe.Unit) (*figures, error) {
	opts := report.Options{TimeZone: v.Locale.TZ, Catalogue: rp.catalogue(), Units: units, Language: v.Locale.Lang}
	// The groupings are independent queries over the same period: run at
	// once, a year at a million opinions takes the slowest one's time, not
	// the sum (each is a full pass over the period's rows).
	built := make([]*report.Report, len(dimensions))
	g, gctx := errgroup.WithContext(ctx)
	for i, d := range dimensions {
		g.Go(func() error {
			r, err := report.Build(gctx, rp.db, f.query(v.Official, d.By), opts)
			built[i] = r
			return err
		})
	}
	var satisfaction []report.SatisfactionIndex
	g.Go(func() (err error) {
		satisfaction, err = report.Satisfaction(gctx, rp.db, f.query(v.Official, langnghe.ReportTotal), opts)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := &figures{Total: built[0].Total, Emergencies: built[0].Emergencies, Satisfaction: satisfaction}
	for i, d := range dimensions {
		out.Groups = append(out.Groups, group{By: d.By, Title: v.Locale.T(d.Title), Rows: built[i].Rows})
		if d.By == langnghe.ReportArea {
			out.EmergencyAreas = built[i].EmergenciesBy
		}
	}
	return out, nil
}

// figuresView are the figures as the page shows them, formatted for the
// viewer's locale.
type figuresView struct {
	Total  figureRow
	Tables []figureTable
	// Emergencies is the period's count; EmergencyAreas name the areas
	// that had some, with their counts.
	Emergencies    string
	EmergencyAreas []option
	// Satisfaction are the feedback points' monthly index rows.
	Satisfaction []satisfactionRow
	// MinRatings is the fewest ratings a month needs for its index.
	MinRatings string
}

// figureTable is one grouping's table.
type figureTable struct {
	By    langnghe.ReportDimension
	Title string
	Rows  []figureRow
	Total figureRow
}

// figureRow is one row of figures, formatted.
type figureRow struct {
	Key, Name                                           string
	Received, Forwarded, OnTime, Late, Rated, Satisfied string
	OnTimeRate, Median, Satisfaction                    string
}

func viewFigures(l Locale, fig *figures) *figuresView {
	out := &figuresView{Total: viewRow(l, fig.Total), Emergencies: l.Number(fig.Emergencies), MinRatings: l.Number(report.MinFeedbackRatings)}
	out.Satisfaction = viewSatisfaction(l, fig.Satisfaction)
	for _, e := range fig.EmergencyAreas {
		out.EmergencyAreas = append(out.EmergencyAreas, option{Value: l.Number(e.Count), Name: e.Name})
	}
	for _, g := range fig.Groups {
		t := figureTable{By: g.By, Title: g.Title, Total: out.Total}
		for _, r := range g.Rows {
			t.Rows = append(t.Rows, viewRow(l, r))
		}
		out.Tables = append(out.Tables, t)
	}
	return out
}

func viewRow(l Locale, r report.Row) figureRow {
	return figureRow{
		Key: r.Key, Name: r.Name, Received: l.Number(r.Received), Forwarded: l.Number(r.Forwarded),
		OnTime: l.Number(r.AnsweredOnTime), Late: l.Number(r.AnsweredLate), Rated: l.Number(r.Rated),
		Satisfied: l.Number(r.Satisfied), OnTimeRate: percent(l, r.OnTimeRate()), Median: optDecimal(l, r.MedianDaysToAnswer),
		Satisfaction: percent(l, r.SatisfactionRate),
	}
}

// option is one entry of a filter's list.
type option struct{ Value, Name string }

// reportsData is what templates/reports.html shows.
type reportsData struct {
	Form    reportForm
	Error   string
	Figures *figuresView
	Charts  []chart
	// Filters' choices.
	Categories, Areas, Units, Statuses []option
	// Contact says whether the viewer's opinion lists carry residents'
	// contact details.
	Contact bool
}

// page shows the reports form, the figures with their charts, and the
// export links.
func (rp *reports) page(w http.ResponseWriter, r *http.Request, vis *visit) error {
	v, l := vis.viewer, vis.viewer.Locale
	data := &reportsData{Contact: v.Official.ExportsContacts()}
	status := http.StatusOK
	f, units, err := rp.form(r, v)
	data.Form = f
	var fig *figures
	if err == nil {
		fig, err = rp.build(r.Context(), f, v, units)
	}
	if err != nil {
		status = statusOf(err)
		if status == http.StatusInternalServerError {
			return err
		}
		data.Error = langnghe.ErrorMessageIn(err, l.Lang)
	}
	rp.choices(v, units, data)
	if fig != nil {
		data.Figures, data.Charts = viewFigures(l, fig), charts(l, f, fig)
	}
	Render(w, r, reportsPage, Page{Title: l.T("Reports"), Section: "reports", Data: data, Status: status})
	return nil
}

// choices fills the filters' lists: a unit official chooses among their
// own units only.
func (rp *reports) choices(v *Viewer, units []langnghe.Unit, d *reportsData) {
	lang := v.Locale.Lang
	cat := rp.catalogue()
	for _, c := range cat.Categories {
		d.Categories = append(d.Categories, option{c.Code, c.Name(lang)})
	}
	for _, a := range cat.Areas {
		d.Areas = append(d.Areas, option{a.Code, a.Name(lang)})
	}
	for _, u := range units {
		if v.Official.Scope().Covers(u.Code) {
			d.Units = append(d.Units, option{u.Code, u.Name(lang)})
		}
	}
	for _, s := range langnghe.Statuses {
		d.Statuses = append(d.Statuses, option{string(s), s.Name(lang)})
	}
}

// units are the units, for the figures' names and the filters.
func (rp *reports) units(ctx context.Context) ([]langnghe.Unit, error) {
	units, err := rp.db.Units(ctx)
	if err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	return units, nil
}

// percent formats a rate as a percentage with one decimal in the
// locale's way ("87,5%" / "87.5%"); "–" when there is none.
func percent(l Locale, rate *float64) string {
	if rate == nil {
		return "–"
	}
	return decimal(l, 100**rate, 1) + "%"
}

// optDecimal formats a figure with one decimal (a median's days, a
// satisfaction score); "–" when there is none.
func optDecimal(l Locale, x *float64) string {
	if x == nil {
		return "–"
	}
	return decimal(l, *x, 1)
}

// decimal formats x with prec decimals and the locale's decimal mark.
func decimal(l Locale, x float64, prec int) string {
	s := strconv.FormatFloat(x, 'f', prec, 64)
	if l.Lang == langnghe.LangVI {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
