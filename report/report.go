// Package report computes the period figures officials report upward
// ("3,628 opinions collected in 2022"): for the opinions received in a
// period, how many were forwarded, answered on time and late, the median
// days to answer and the satisfaction rate, in total and by category, area,
// unit or status. The CLI prints them; the console will serve the same
// Report.
package report

import (
	"context"
	"fmt"
	"time"

	"langnghe"
	"langnghe/storage"
)

// Dimension is what a report's rows group by.
type Dimension string

// The dimensions; ByTotal gives the total row alone.
const (
	ByTotal    Dimension = storage.ReportTotal
	ByCategory Dimension = storage.ReportCategory
	ByArea     Dimension = storage.ReportArea
	ByUnit     Dimension = storage.ReportUnit
	ByStatus   Dimension = storage.ReportStatus
)

// ParseDimension reads a --by value; "" is the total alone.
func ParseDimension(s string) (Dimension, error) {
	switch d := Dimension(s); d {
	case ByTotal, ByCategory, ByArea, ByUnit, ByStatus:
		return d, nil
	}
	return "", langnghe.Errorf(langnghe.EINVALID, "cannot group a report by %q: use category, area, unit or status", s)
}

// Query asks for the opinions received from From to To, both local dates
// and both included.
type Query struct {
	From, To time.Time
	By       Dimension
}

// ParseDate reads a YYYY-MM-DD date in loc.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return time.Time{}, langnghe.Errorf(langnghe.EINVALID, "%q is not a date: write YYYY-MM-DD, e.g. 2026-01-31", s)
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

// Report is the figures of one period.
type Report struct {
	From  string    `json:"from"` // YYYY-MM-DD
	To    string    `json:"to"`
	By    Dimension `json:"by,omitempty"`
	Rows  []Row     `json:"rows"`
	Total Row       `json:"total"`
}

// Source computes the figures; *storage.DB is one.
type Source interface {
	ReportFigures(ctx context.Context, q storage.ReportQuery) ([]storage.ReportRow, storage.ReportRow, error)
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

// Build computes the report of q.
func Build(ctx context.Context, src Source, q Query, opts Options) (*Report, error) {
	loc := opts.TimeZone
	if loc == nil {
		loc = time.UTC
	}
	from := q.From.In(loc)
	from = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc)
	to := q.To.In(loc)
	to = time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, loc)
	if to.Before(from) {
		return nil, langnghe.Errorf(langnghe.EINVALID, "the report period ends (%s) before it starts (%s)",
			to.Format(time.DateOnly), from.Format(time.DateOnly))
	}
	if _, err := ParseDimension(string(q.By)); err != nil {
		return nil, err
	}
	rows, total, err := src.ReportFigures(ctx, storage.ReportQuery{From: from, To: to.AddDate(0, 0, 1), By: string(q.By)})
	if err != nil {
		return nil, fmt.Errorf("report %s to %s: %w", from.Format(time.DateOnly), to.Format(time.DateOnly), err)
	}
	n := namer{opts: opts}
	r := &Report{From: from.Format(time.DateOnly), To: to.Format(time.DateOnly), By: q.By, Rows: make([]Row, len(rows))}
	for i, fr := range rows {
		r.Rows[i] = row(fr, n.name(q.By, fr.Key))
	}
	r.Total = row(total, n.total())
	r.Total.Key = "total"
	return r, nil
}

func row(f storage.ReportRow, name string) Row {
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

var (
	noneNames  = map[string]string{langnghe.LangVI: "(chưa xác định)", langnghe.LangEN: "(none)"}
	totalNames = map[string]string{langnghe.LangVI: "Tổng cộng", langnghe.LangEN: "Total"}
)

func (n namer) pick(m map[string]string) string {
	if s, ok := m[n.opts.Language]; ok {
		return s
	}
	return m[langnghe.LangVI]
}

func (n namer) total() string { return n.pick(totalNames) }

func (n namer) name(by Dimension, key string) string {
	lang, cat := n.opts.Language, n.opts.Catalogue
	switch {
	case key == "":
		return n.pick(noneNames)
	case by == ByCategory && cat != nil:
		if c, ok := cat.Category(key); ok {
			return c.Name(lang)
		}
	case by == ByArea && cat != nil:
		if a, ok := cat.Area(key); ok {
			return a.Name(lang)
		}
	case by == ByUnit:
		for _, u := range n.opts.Units {
			if u.Code == key {
				return u.Name(lang)
			}
		}
	}
	return key
}
