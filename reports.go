package langnghe

import "time"

// EmergencyCount is how many emergencies one group of a report had.
type EmergencyCount struct {
	// Key is the area or unit code; "" for the emergencies without one.
	Key string `db:"key" json:"key"`
	N   int    `db:"n" json:"count"`
}

// Report dimensions: what a report's rows are grouped by. ReportTotal
// gives the total row only.
const (
	ReportTotal    = ""
	ReportCategory = "category"
	ReportArea     = "area"
	ReportUnit     = "unit"
	ReportStatus   = "status"
	// ReportMonth groups by the month received, in the query's time zone;
	// its keys are "2026-03".
	ReportMonth = "month"
)

// MaxReportMonths caps a report by month: each month is a branch of the
// query's CASE expression.
const MaxReportMonths = 120

// ReportQuery selects the opinions received in [From, To), narrowed by
// the filters, and a dimension.
type ReportQuery struct {
	From, To time.Time
	By       string
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
