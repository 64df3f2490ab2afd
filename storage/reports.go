package storage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"langnghe"
)

// Report dimensions: what a report's rows are grouped by. ReportTotal
// gives the total row only.
const (
	ReportTotal    = ""
	ReportCategory = "category"
	ReportArea     = "area"
	ReportUnit     = "unit"
	ReportStatus   = "status"
)

// reportColumns maps a dimension to the opinions column it groups by.
var reportColumns = map[string]string{
	ReportCategory: "category",
	ReportArea:     "area_code",
	ReportUnit:     "unit_code",
	ReportStatus:   "status",
}

// ReportQuery selects the opinions received in [From, To) and a dimension.
type ReportQuery struct {
	From, To time.Time
	By       string
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

// reportCounts are the additive figures, the same SQL on both databases;
// the one parameter is the period's start. An opinion counts as forwarded
// when its history has a forwarding event; since that event comes after the
// opinion arrived, only the events since the period began are read: the
// uncorrelated IN is one hashed subplan over that range of the partial
// index opinion_events_forwarded, not a probe per opinion nor a hash of
// every forwarding ever.
const reportCounts = `COUNT(*) AS received,
	COUNT(CASE WHEN id IN (SELECT opinion_id FROM opinion_events WHERE status_to = 'forwarded' AND at >= ?) THEN 1 END) AS forwarded,
	COUNT(CASE WHEN answered_at IS NOT NULL AND (due_at IS NULL OR answered_at <= due_at) THEN 1 END) AS answered_on_time,
	COUNT(CASE WHEN answered_at > due_at THEN 1 END) AS answered_late,
	COUNT(CASE WHEN rating IN ('satisfied', 'not_satisfied') THEN 1 END) AS rated,
	COUNT(CASE WHEN rating = 'satisfied' THEN 1 END) AS satisfied`

// ReportFigures computes the rows of q's dimension, ordered by key, and the
// total. The counts are SQL aggregates; the median is percentile_cont on
// PostgreSQL (one query, with the total as a grouping set) and computed
// here on SQLite, which has no percentile function.
func (db *DB) ReportFigures(ctx context.Context, q ReportQuery) (rows []ReportRow, total ReportRow, err error) {
	col, ok := reportColumns[q.By] // "" for the total alone
	if !ok && q.By != ReportTotal {
		return nil, total, langnghe.Errorf(langnghe.EINVALID, "unknown report dimension %q (use category, area, unit or status)", q.By)
	}
	if !q.From.Before(q.To) {
		return nil, total, langnghe.Errorf(langnghe.EINVALID, "a report period must end after it starts")
	}
	from, to := dbTime(q.From), dbTime(q.To)
	if db.dialect == Postgres {
		rows, err = db.reportPostgres(ctx, col, from, to)
	} else {
		rows, err = db.reportSQLite(ctx, col, from, to)
	}
	if err != nil {
		return nil, total, fmt.Errorf("report %s from %s to %s: %w", q.By, from.Format(time.DateOnly), to.Format(time.DateOnly), err)
	}
	// The total is the last row (the empty grouping set, or computed).
	total, rows = rows[len(rows)-1], rows[:len(rows)-1]
	if q.By == ReportTotal {
		rows = nil
	}
	return rows, total, nil
}

// reportPostgres returns the groups ordered by key, then the total: the
// empty grouping set, which PostgreSQL returns even for an empty period.
func (db *DB) reportPostgres(ctx context.Context, col string, from, to time.Time) ([]ReportRow, error) {
	key, groupBy := "''", ""
	if col != "" {
		key = "COALESCE(" + col + ", '')"
		groupBy = ` GROUP BY GROUPING SETS ((` + col + `), ()) ORDER BY GROUPING(` + col + `), key`
	}
	// percentile_cont sorts each group's durations (as intervals: turning
	// each into days first costs a fifth more on a year); a year of a busy
	// locality is a few hundred thousand rows, which the default 4 MB of
	// work_mem would sort on disk. The setting ends with the transaction.
	tx, err := db.r.BeginTxx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }() // read-only: nothing to keep
	if _, err := exec(ctx, tx, `SET LOCAL work_mem = '64MB'`); err != nil {
		return nil, err
	}
	var rows []ReportRow
	err = selectAll(ctx, tx, &rows, `SELECT `+key+` AS key, `+reportCounts+`,
		EXTRACT(EPOCH FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY answered_at - created_at)) / 86400 AS median_days
		FROM opinions WHERE created_at >= ? AND created_at < ?`+groupBy, from, from, to)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// reportSQLite returns the groups ordered by key, then the total: counts in
// SQL, medians from the answer durations in Go.
func (db *DB) reportSQLite(ctx context.Context, col string, from, to time.Time) ([]ReportRow, error) {
	key, groupBy := "''", ""
	if col != "" {
		key, groupBy = "COALESCE("+col+", '')", " GROUP BY "+col+" ORDER BY key"
	}
	var rows []ReportRow
	err := selectAll(ctx, db.r, &rows, `SELECT `+key+` AS key, `+reportCounts+`, NULL AS median_days
		FROM opinions WHERE created_at >= ? AND created_at < ?`+groupBy, from, from, to)
	if err != nil {
		return nil, err
	}
	var durations []struct {
		Key   string `db:"key"`
		Nanos int64  `db:"nanos"`
	}
	err = selectAll(ctx, db.r, &durations, `SELECT `+key+` AS key, answered_at - created_at AS nanos
		FROM opinions WHERE created_at >= ? AND created_at < ? AND answered_at IS NOT NULL`, from, to)
	if err != nil {
		return nil, err
	}
	byKey := map[string][]float64{}
	var all []float64
	for _, d := range durations {
		days := float64(d.Nanos) / float64(24*time.Hour)
		byKey[d.Key] = append(byKey[d.Key], days)
		all = append(all, days)
	}
	if col == "" {
		// One row without GROUP BY: already the total.
		rows[0].MedianDaysToAnswer = median(all)
		return rows, nil
	}
	total := ReportRow{MedianDaysToAnswer: median(all)}
	for i := range rows {
		r := &rows[i]
		r.MedianDaysToAnswer = median(byKey[r.Key])
		total.Received += r.Received
		total.Forwarded += r.Forwarded
		total.AnsweredOnTime += r.AnsweredOnTime
		total.AnsweredLate += r.AnsweredLate
		total.Rated += r.Rated
		total.Satisfied += r.Satisfied
	}
	return append(rows, total), nil
}

// median is percentile_cont(0.5): the middle value, or the mean of the two
// middle ones; nil for no values.
func median(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	slices.Sort(xs)
	m := xs[len(xs)/2]
	if len(xs)%2 == 0 {
		m = (xs[len(xs)/2-1] + m) / 2
	}
	return &m
}
