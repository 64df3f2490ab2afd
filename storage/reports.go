package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"langnghe"
)

// reportColumns maps a dimension to the opinions column it groups by;
// months are computed (monthKey).
var reportColumns = map[langnghe.ReportDimension]string{
	langnghe.ReportCategory: "category",
	langnghe.ReportArea:     "area_code",
	langnghe.ReportUnit:     "unit_code",
	langnghe.ReportStatus:   "status",
}

// reportWhere is the condition selecting q's opinions (the inbox's filter
// conditions and the status), its arguments, and whether it can match
// anything (an official without units cannot, which SQL cannot say with an
// empty IN list). The period makes it never empty.
func reportWhere(q langnghe.ReportQuery) (string, []any, bool) {
	conds, args, ok := filterConditions(langnghe.OpinionFilter{Category: q.Category, Area: q.Area, Unit: q.Unit, Scope: q.Scope,
		Since: q.From, Until: q.To})
	if q.Status != "" {
		conds, args = append(conds, "status = ?"), append(args, string(q.Status))
	}
	return strings.Join(conds, " AND "), args, ok
}

// reportDimension returns the SQL expression of q's dimension over opinions, and
// its arguments: a column, the month as a CASE over the month boundaries
// (exact in any time zone, the same SQL on both databases), or an empty
// string for the total alone.
func reportDimension(q langnghe.ReportQuery) (string, []any, error) {
	if q.By == langnghe.ReportMonth {
		return monthKey(q.From, q.To, q.TimeZone)
	}
	if col, ok := reportColumns[q.By]; ok {
		return col, nil, nil
	}
	if q.By == langnghe.ReportTotal {
		return "''", nil, nil
	}
	return "", nil, langnghe.Errorf(langnghe.EINVALID, "unknown report dimension %q (use category, area, unit, status or month)", q.By)
}

// monthKey is a CASE expression naming the local month ("2026-03") of
// created_at for opinions received in [from, to); the month itself for a
// period within one month.
func monthKey(from, to time.Time, loc *time.Location) (string, []any, error) {
	if loc == nil {
		loc = time.UTC
	}
	f := from.In(loc)
	month := time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, loc)
	var b strings.Builder
	var args []any
	b.WriteString("CASE")
	for n := 0; ; n++ {
		next := month.AddDate(0, 1, 0)
		if !next.Before(to) && n == 0 {
			return "'" + month.Format("2006-01") + "'", nil, nil // one month
		}
		if !next.Before(to) {
			fmt.Fprintf(&b, " ELSE '%s' END", month.Format("2006-01"))
			return b.String(), args, nil
		}
		if n == langnghe.MaxReportMonths-1 {
			return "", nil, langnghe.Errorf(langnghe.EINVALID, "a report by month covers at most %d months; choose a shorter period", langnghe.MaxReportMonths)
		}
		fmt.Fprintf(&b, " WHEN created_at < ? THEN '%s'", month.Format("2006-01"))
		args = append(args, dbTime(next))
		month = next
	}
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
func (db *DB) ReportFigures(ctx context.Context, q langnghe.ReportQuery) (rows []langnghe.ReportRow, total langnghe.ReportRow, err error) {
	dim, dimArgs, err := reportDimension(q)
	if err != nil {
		return nil, total, err
	}
	if !q.From.Before(q.To) {
		return nil, total, langnghe.Errorf(langnghe.EINVALID, "a report period must end after it starts")
	}
	where, whereArgs, ok := reportWhere(q)
	if !ok {
		return nil, total, nil
	}
	// The opinions of the period with their group as "dim": a subquery
	// both databases flatten into the outer one.
	source := `(SELECT id, created_at, due_at, answered_at, rating, ` + dim + ` AS dim FROM opinions WHERE ` + where + `) o`
	src := reportSource{sql: source, args: append(dimArgs, whereArgs...), from: dbTime(q.From), grouped: q.By != langnghe.ReportTotal}
	if db.dialect == Postgres {
		rows, err = db.reportPostgres(ctx, src)
	} else {
		rows, err = db.reportSQLite(ctx, src)
	}
	if err != nil {
		return nil, total, fmt.Errorf("report %s from %s to %s: %w", q.By, q.From.Format(time.DateOnly), q.To.Format(time.DateOnly), err)
	}
	// The total is the last row (the empty grouping set, or computed).
	total, rows = rows[len(rows)-1], rows[:len(rows)-1]
	if q.By == langnghe.ReportTotal {
		rows = nil
	}
	return rows, total, nil
}

// reportSource is the table expression a report aggregates: the opinions
// of its period with their group in column dim.
type reportSource struct {
	sql  string
	args []any
	// from is the period's start, which bounds the forwarding events read.
	from time.Time
	// grouped is false for the total alone.
	grouped bool
}

// key is the outer query's expression of a row's key.
func (src reportSource) key() string {
	if !src.grouped {
		return "''"
	}
	return "COALESCE(dim, '')"
}

// reportPostgres returns the groups ordered by key, then the total: the
// empty grouping set, which PostgreSQL returns even for an empty period.
func (db *DB) reportPostgres(ctx context.Context, src reportSource) ([]langnghe.ReportRow, error) {
	groupBy := ""
	if src.grouped {
		groupBy = ` GROUP BY GROUPING SETS ((dim), ()) ORDER BY GROUPING(dim), key`
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
	var rows []langnghe.ReportRow
	err = selectAll(ctx, tx, &rows, `SELECT `+src.key()+` AS key, `+reportCounts+`,
		EXTRACT(EPOCH FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY answered_at - created_at)) / 86400 AS median_days
		FROM `+src.sql+groupBy, append([]any{src.from}, src.args...)...)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// reportSQLite returns the groups ordered by key, then the total: counts in
// SQL, medians from the answer durations in Go.
func (db *DB) reportSQLite(ctx context.Context, src reportSource) ([]langnghe.ReportRow, error) {
	groupBy := ""
	if src.grouped {
		groupBy = " GROUP BY dim ORDER BY key"
	}
	var rows []langnghe.ReportRow
	err := selectAll(ctx, db.r, &rows, `SELECT `+src.key()+` AS key, `+reportCounts+`, NULL AS median_days
		FROM `+src.sql+groupBy, append([]any{src.from}, src.args...)...)
	if err != nil {
		return nil, err
	}
	var durations []struct {
		Key   string `db:"key"`
		Nanos int64  `db:"nanos"`
	}
	err = selectAll(ctx, db.r, &durations, `SELECT `+src.key()+` AS key, answered_at - created_at AS nanos
		FROM `+src.sql+` WHERE answered_at IS NOT NULL`, src.args...)
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
	if !src.grouped {
		// One row without GROUP BY: already the total.
		rows[0].MedianDaysToAnswer = median(all)
		return rows, nil
	}
	total := langnghe.ReportRow{MedianDaysToAnswer: median(all)}
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

// reportPage is how many opinions ReportOpinions reads per query.
const reportPage = 1000

// ReportOpinions calls each with the opinions q selects (By aside), oldest
// first. It reads them a page at a time, each page a short query that
// continues after the last opinion seen (keyset paging on received time
// and id), so an export of a million opinions holds one page in memory and
// a slow download keeps no connection busy. An opinion changed while the
// listing runs shows as it was when its page was read. An error of each
// stops the listing and is returned.
func (db *DB) ReportOpinions(ctx context.Context, q langnghe.ReportQuery, each func(*langnghe.Opinion) error) error {
	if !q.From.Before(q.To) {
		return langnghe.Errorf(langnghe.EINVALID, "a report period must end after it starts")
	}
	where, args, ok := reportWhere(q)
	if !ok {
		return nil
	}
	var after *opinionRow
	for {
		query, pageArgs := `SELECT `+opinionColumns+` FROM opinions WHERE `+where, args
		if after != nil {
			// The first condition bounds the index range; the second
			// steps past the opinions of the same instant already seen.
			query += ` AND created_at >= ? AND (created_at > ? OR id > ?)`
			pageArgs = append(append([]any(nil), args...), after.CreatedAt, after.CreatedAt, after.ID)
		}
		var rows []opinionRow
		if err := selectAll(ctx, db.r, &rows, query+` ORDER BY created_at, id LIMIT ?`, append(pageArgs, reportPage)...); err != nil {
			return fmt.Errorf("list the opinions of a report: %w", err)
		}
		for i := range rows {
			o, err := rows[i].opinion()
			if err != nil {
				return err
			}
			if err := each(&o); err != nil {
				return err
			}
		}
		if len(rows) < reportPage {
			return nil
		}
		after = &rows[len(rows)-1]
	}
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

// FeedbackRatings returns the ratings given at feedback points in q's
// period, narrowed by q's Unit and Scope, oldest first. A feedback point
// takes a few thousand ratings a year, so the answers are read and their
// three scales decoded here, the same on both databases.
func (db *DB) FeedbackRatings(ctx context.Context, q langnghe.ReportQuery) ([]langnghe.FeedbackRating, error) {
	if !q.From.Before(q.To) {
		return nil, langnghe.Errorf(langnghe.EINVALID, "a report period must end after it starts")
	}
	conds := []string{"c.kind = ?", "r.created_at >= ?", "r.created_at < ?"}
	args := []any{string(langnghe.CampaignFeedbackPoint), dbTime(q.From), dbTime(q.To)}
	if q.Unit != "" {
		conds, args = append(conds, "c.unit_code = ?"), append(args, q.Unit)
	}
	scope, scopeArgs, ok := scopeCondition(q.Scope)
	if !ok {
		return nil, nil
	}
	if scope != "" {
		conds, args = append(conds, "c."+scope), append(args, scopeArgs...)
	}
	var rows []struct {
		Unit      string    `db:"unit_code"`
		CreatedAt time.Time `db:"created_at"`
		Answers   string    `db:"answers"`
	}
	err := selectAll(ctx, db.r, &rows, `SELECT c.unit_code, r.created_at, r.answers FROM campaign_responses r
		JOIN campaigns c ON c.id = r.campaign_id WHERE `+strings.Join(conds, " AND ")+` ORDER BY r.created_at, r.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("feedback ratings from %s to %s: %w", q.From.Format(time.DateOnly), q.To.Format(time.DateOnly), err)
	}
	out := make([]langnghe.FeedbackRating, 0, len(rows))
	for _, r := range rows {
		var answers map[string]string
		if err := json.Unmarshal([]byte(r.Answers), &answers); err != nil {
			return nil, fmt.Errorf("feedback ratings: answers: %w", err)
		}
		out = append(out, langnghe.FeedbackRating{Unit: r.Unit, At: r.CreatedAt,
			Attitude: rating(answers[langnghe.FeedbackAttitude]), Time: rating(answers[langnghe.FeedbackTime]),
			Result: rating(answers[langnghe.FeedbackResult])})
	}
	return out, nil
}

// rating reads a scale's answer ("1" to "5"); 0 for anything else.
func rating(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < langnghe.ScaleMin || n > langnghe.ScaleMax {
		return 0
	}
	return n
}
