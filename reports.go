package langnghe

import (
	"context"
	"time"
)

// Reports: the period figures officials report upward ("3,628 opinions
// collected in 2022"). The report package turns dates into a ReportQuery,
// names the rows and prints them; the database (ReportService) counts.

// ReportDimension is what a report's rows are grouped by.
type ReportDimension string

// The dimensions; ReportTotal gives the total row alone.
const (
	ReportTotal    ReportDimension = ""
	ReportCategory ReportDimension = "category"
	ReportArea     ReportDimension = "area"
	ReportUnit     ReportDimension = "unit"
	ReportStatus   ReportDimension = "status"
	// ReportMonth groups by the month received, in the query's time zone:
	// a row for every month of the period, empty ones too, keyed
	// "2026-03" and named "03/2026".
	ReportMonth ReportDimension = "month"
)

// ReportService counts the opinions and emergencies of a period (the
// storage package implements it). The report package calls it, for the
// CLI with a nil Scope (the service's own report, every opinion) and for
// the console with the official's Scope; nobody else reads opinions
// through it for an official.
type ReportService interface {
	// ReportFigures computes the rows of q's dimension, ordered by key,
	// and the total. EINVALID when the period does not end after it
	// starts, the dimension is unknown, or a report by month covers more
	// than MaxReportMonths.
	ReportFigures(ctx context.Context, q ReportQuery) (rows []ReportRow, total ReportRow, err error)
	// CountEmergencies counts the emergencies reported in q's period,
	// narrowed by q's Area, Unit and Scope, in total and, when q.By is
	// ReportArea or ReportUnit, per area or unit ordered by key.
	// Emergencies have no category and no status: those filters do not
	// apply to them. EINVALID for a period that does not end after it
	// starts.
	CountEmergencies(ctx context.Context, q ReportQuery) (rows []EmergencyCount, total int, err error)
	// ReportOpinions calls each with the opinions q counts (its dimension
	// aside), oldest first, one at a time, so that exports stream them;
	// an error from each stops the listing and is returned.
	ReportOpinions(ctx context.Context, q ReportQuery, each func(*Opinion) error) error
	// FeedbackRatings returns the ratings visitors gave at units' feedback
	// points in q's period, narrowed by q's Unit and Scope (by the
	// feedback point's unit), oldest first. A feedback point has a unit
	// and no category, area or status: those filters do not apply.
	FeedbackRatings(ctx context.Context, q ReportQuery) ([]FeedbackRating, error)
}

// FeedbackRating is one visitor's pass through a unit's feedback point:
// the three ratings from ScaleMin to ScaleMax, 0 for one not given. It
// carries no comment and nothing about the visitor.
type FeedbackRating struct {
	Unit                   string
	At                     time.Time
	Attitude, Time, Result int
}

// Score is the visitor's satisfaction from 0 to 100: the mean of the
// ratings given, ScaleMin as 0 and ScaleMax as 100; ok is false when the
// visitor gave none.
func (f FeedbackRating) Score() (score float64, ok bool) {
	sum, n := 0, 0
	for _, r := range []int{f.Attitude, f.Time, f.Result} {
		if r >= ScaleMin && r <= ScaleMax {
			sum, n = sum+r, n+1
		}
	}
	if n == 0 {
		return 0, false
	}
	mean := float64(sum) / float64(n)
	return (mean - ScaleMin) / (ScaleMax - ScaleMin) * 100, true
}

// MaxReportMonths caps a report by month: each month is a branch of the
// query's CASE expression.
const MaxReportMonths = 120

// ReportQuery selects the opinions received in [From, To), narrowed by
// the filters, and a dimension.
type ReportQuery struct {
	From, To time.Time
	By       ReportDimension
	// TimeZone is where months begin (ReportMonth); UTC when nil.
	TimeZone *time.Location
	// Category, Area, Unit and Status keep the opinions with that value;
	// empty ones do not filter.
	Category, Area, Unit string
	Status               Status
	// Scope keeps the opinions an official may see (OpinionFilter.Scope):
	// nil does not narrow; a scope that covers nothing matches nothing.
	Scope *Scope
}

// ReportRow is one row of figures. The counts are over the opinions
// received in the period (a cohort): how many were forwarded, answered on
// time or late (against their due time), rated and rated satisfied, by the
// time the report is made.
type ReportRow struct {
	// Key is the value of the dimension ("" for the total, and for
	// opinions without an area or a unit).
	Key            string `db:"key" json:"key"`
	Received       int    `db:"received" json:"received"`
	Forwarded      int    `db:"forwarded" json:"forwarded"`
	AnsweredOnTime int    `db:"answered_on_time" json:"answered_on_time"`
	AnsweredLate   int    `db:"answered_late" json:"answered_late"`
	Rated          int    `db:"rated" json:"rated"`
	Satisfied      int    `db:"satisfied" json:"satisfied"`
	// MedianDaysToAnswer is the median of (answered - received) in days;
	// nil when none was answered.
	MedianDaysToAnswer *float64 `db:"median_days" json:"median_days_to_answer"`
}

// EmergencyCount is how many emergencies one group of a report had.
type EmergencyCount struct {
	// Key is the area or unit code; "" for the emergencies without one.
	Key string `db:"key" json:"key"`
	N   int    `db:"n" json:"count"`
}
