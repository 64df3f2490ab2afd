// Package report computes the period figures officials report upward
// ("3,628 opinions collected in 2022"): for the opinions received in a
// period, how many were forwarded, answered on time and late, the median
// days to answer and the satisfaction rate, in total and by category, area,
// unit, status or month. The CLI prints them; the console serves the same
// Report, with charts and exports.
package report

import (
	"context"
	"fmt"
	"time"

	"langnghe"
	"langnghe/wording"
)

// ParseDimension reads a --by value; "" is the total alone.
func ParseDimension(s string) (langnghe.ReportDimension, error) {
	switch d := langnghe.ReportDimension(s); d {
	case langnghe.ReportTotal, langnghe.ReportCategory, langnghe.ReportArea, langnghe.ReportUnit, langnghe.ReportStatus,
		langnghe.ReportMonth:
		return d, nil
	}
	return "", langnghe.Errorf(langnghe.EINVALID, "cannot group a report by %q: use category, area, unit, status or month", s)
}

// Query asks for the opinions received from From to To, both local dates
// and both included, optionally narrowed.
type Query struct {
	From, To time.Time
	By       langnghe.ReportDimension
	// Category, Area, Unit and Status keep the opinions with that value;
	// empty ones do not filter.
	Category, Area, Unit string
	Status               langnghe.Status
	// Scope is the official's (langnghe.Official.Scope): only the opinions
	// it covers count. Nil is the service's own report (the CLI), every
	// opinion.
	Scope *langnghe.Scope
}

// instants turns q into the database's query: the local dates become the
// instants [From 00:00, To+1 00:00) in loc.
func (q Query) instants(loc *time.Location) (langnghe.ReportQuery, error) {
	from, to := langnghe.DayStart(q.From, loc), langnghe.DayStart(q.To, loc)
	if to.Before(from) {
		return langnghe.ReportQuery{}, langnghe.Errorf(langnghe.EINVALID, "the report period ends (%s) before it starts (%s)",
			to.Format(time.DateOnly), from.Format(time.DateOnly))
	}
	if _, err := ParseDimension(string(q.By)); err != nil {
		return langnghe.ReportQuery{}, err
	}
	return langnghe.ReportQuery{From: from, To: to.AddDate(0, 0, 1), By: q.By, TimeZone: loc,
		Category: q.Category, Area: q.Area, Unit: q.Unit, Status: q.Status, Scope: q.Scope}, nil
}

// ParseDate reads a YYYY-MM-DD date in loc, within the years officials
// may enter (langnghe.CheckDate).
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return time.Time{}, langnghe.Errorf(langnghe.EINVALID, "%q is not a date: write YYYY-MM-DD, e.g. 2026-01-31", s)
	}
	if err := langnghe.CheckDate(t); err != nil {
		return time.Time{}, err
	}
	return t, nil
}

// Row is one line of a report. Counts are over the opinions received in
// the period, as they stand when the report is made.
type Row struct {
	// Key is the code grouped by (a category, area or unit code, a status);
	// "" groups the opinions without one. The total's key is "total".
	Key            string `json:"key"`
	Name           string `json:"name"`
	Received       int    `json:"received"`
	Forwarded      int    `json:"forwarded"`
	AnsweredOnTime int    `json:"answered_on_time"`
	AnsweredLate   int    `json:"answered_late"`
	// MedianDaysToAnswer is nil when none was answered.
	MedianDaysToAnswer *float64 `json:"median_days_to_answer"`
	Rated              int      `json:"rated"`
	Satisfied          int      `json:"satisfied"`
	// SatisfactionRate is Satisfied / Rated, nil when none was rated.
	SatisfactionRate *float64 `json:"satisfaction_rate"`
}

// OnTimeRate is the share of the answered opinions answered on time, nil
// when none was answered.
func (r Row) OnTimeRate() *float64 {
	answered := r.AnsweredOnTime + r.AnsweredLate
	if answered == 0 {
		return nil
	}
	rate := float64(r.AnsweredOnTime) / float64(answered)
	return &rate
}

// Report is the figures of one period.
type Report struct {
	From  string                   `json:"from"` // YYYY-MM-DD
	To    string                   `json:"to"`
	By    langnghe.ReportDimension `json:"by,omitempty"`
	Rows  []Row                    `json:"rows"`
	Total Row                      `json:"total"`
	// Emergencies counts the emergencies residents reported in the period,
	// within the report's area, unit and scope (by the unit alerted).
	// Emergencies have no category and no status: those filters do not
	// apply to them.
	Emergencies int `json:"emergencies"`
	// EmergenciesBy counts them per area or per unit when the report is
	// grouped by area or unit (only the groups that had some).
	EmergenciesBy []EmergencyRow `json:"emergencies_by,omitempty"`
	// FeedbackPoints is the monthly satisfaction index of units' feedback
	// points (Satisfaction), when the report was asked with it.
	FeedbackPoints []SatisfactionIndex `json:"feedback_points,omitempty"`
}

// EmergencyRow is how many emergencies one area or unit had.
type EmergencyRow struct {
	Key   string `json:"key"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Options say how to name what the rows group by.
type Options struct {
	// TimeZone is where the period's dates are read (Asia/Ho_Chi_Minh).
	TimeZone *time.Location
	// Catalogue names categories and areas; Units name units.
	Catalogue *langnghe.Catalogue
	Units     []langnghe.Unit
	// Language of the names; Vietnamese when empty.
	Language string
}

func (o Options) location() *time.Location {
	if o.TimeZone == nil {
		return time.UTC
	}
	return o.TimeZone
}

// Build computes the report of q.
func Build(ctx context.Context, src langnghe.ReportService, q Query, opts Options) (*Report, error) {
	sq, err := q.instants(opts.location())
	if err != nil {
		return nil, err
	}
	from, to := sq.From.Format(time.DateOnly), sq.To.AddDate(0, 0, -1).Format(time.DateOnly)
	rows, total, err := src.ReportFigures(ctx, sq)
	if err != nil {
		return nil, fmt.Errorf("report %s to %s: %w", from, to, err)
	}
	if q.By == langnghe.ReportMonth {
		rows = everyMonth(rows, sq)
	}
	n := namer{opts: opts}
	r := &Report{From: from, To: to, By: q.By, Rows: make([]Row, len(rows))}
	for i, fr := range rows {
		r.Rows[i] = row(fr, n.name(q.By, fr.Key))
	}
	r.Total = row(total, n.total())
	r.Total.Key = "total"
	counts, emergencies, err := src.CountEmergencies(ctx, sq)
	if err != nil {
		return nil, fmt.Errorf("report %s to %s: %w", from, to, err)
	}
	r.Emergencies = emergencies
	for _, c := range counts {
		r.EmergenciesBy = append(r.EmergenciesBy, EmergencyRow{Key: c.Key, Name: n.name(q.By, c.Key), Count: c.N})
	}
	return r, nil
}

// EachOpinion calls each with the opinions q counts (By aside), oldest
// first, one at a time: exports stream them.
func EachOpinion(ctx context.Context, src langnghe.ReportService, q Query, opts Options, each func(*langnghe.Opinion) error) error {
	sq, err := q.instants(opts.location())
	if err != nil {
		return err
	}
	return src.ReportOpinions(ctx, sq, each)
}

// everyMonth returns a row for each month of q's period, in order: the
// database's rows and an empty one for a month without opinions, so that
// a chart of the months has no gaps.
func everyMonth(rows []langnghe.ReportRow, q langnghe.ReportQuery) []langnghe.ReportRow {
	byKey := make(map[string]langnghe.ReportRow, len(rows))
	for _, r := range rows {
		byKey[r.Key] = r
	}
	var all []langnghe.ReportRow
	for m := time.Date(q.From.Year(), q.From.Month(), 1, 0, 0, 0, 0, q.TimeZone); m.Before(q.To); m = m.AddDate(0, 1, 0) {
		key := m.Format("2006-01")
		r, ok := byKey[key]
		if !ok {
			r = langnghe.ReportRow{Key: key}
		}
		all = append(all, r)
	}
	return all
}

func row(f langnghe.ReportRow, name string) Row {
	r := Row{
		Key: f.Key, Name: name, Received: f.Received, Forwarded: f.Forwarded, AnsweredOnTime: f.AnsweredOnTime,
		AnsweredLate: f.AnsweredLate, MedianDaysToAnswer: f.MedianDaysToAnswer, Rated: f.Rated, Satisfied: f.Satisfied,
	}
	if f.Rated > 0 {
		rate := float64(f.Satisfied) / float64(f.Rated)
		r.SatisfactionRate = &rate
	}
	return r
}

// namer turns a row's key into a name in the report's language.
type namer struct{ opts Options }

func (n namer) total() string { return wording.Text(n.opts.Language, "report.total") }

func (n namer) name(by langnghe.ReportDimension, key string) string {
	lang, cat := n.opts.Language, n.opts.Catalogue
	switch {
	case key == "":
		return wording.Text(n.opts.Language, "report.none")
	case by == langnghe.ReportCategory && cat != nil:
		if c, ok := cat.Category(key); ok {
			return c.Name(lang)
		}
	case by == langnghe.ReportArea && cat != nil:
		if a, ok := cat.Area(key); ok {
			return a.Name(lang)
		}
	case by == langnghe.ReportUnit:
		for _, u := range n.opts.Units {
			if u.Code == key {
				return u.Name(lang)
			}
		}
	case by == langnghe.ReportMonth:
		if m, err := time.Parse("2006-01", key); err == nil {
			return m.Format(langnghe.MonthLayout)
		}
	}
	return key
}
