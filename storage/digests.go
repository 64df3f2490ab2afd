package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"langnghe"
)

// openStatusSQL is the condition for an open opinion, spelled as the
// partial indexes of 00003 spell it: PostgreSQL uses a partial index only
// when it can prove the query's condition implies the index's, which it can
// with literals and not with bound parameters.
const openStatusSQL = `status IN ('received', 'forwarded', 'in_progress', 'extended', 'reopened')`

// DigestRun loads the run of (officialID, periodKey); ENOTFOUND when the
// period has not been digested yet.
func (db *DB) DigestRun(ctx context.Context, officialID int64, periodKey string) (*langnghe.DigestRun, error) {
	var run langnghe.DigestRun
	err := get(ctx, db.r, &run, `SELECT official_id, period_key, scheduled_at, since, until, outbox_id
		FROM digest_runs WHERE official_id = ? AND period_key = ?`, officialID, periodKey)
	if err != nil {
		return nil, notFound(err, "digest run %d/%s", officialID, periodKey)
	}
	return &run, nil
}

// LastDigestRun loads the official's latest run; ENOTFOUND when they never
// had a digest.
func (db *DB) LastDigestRun(ctx context.Context, officialID int64) (*langnghe.DigestRun, error) {
	var run langnghe.DigestRun
	err := get(ctx, db.r, &run, `SELECT official_id, period_key, scheduled_at, since, until, outbox_id
		FROM digest_runs WHERE official_id = ? ORDER BY until DESC LIMIT 1`, officialID)
	if err != nil {
		return nil, notFound(err, "last digest run of official %d", officialID)
	}
	return &run, nil
}

// ClaimDigestRun inserts run and reports whether this transaction claimed
// the period. false means another transaction already recorded it: the
// caller must then enqueue nothing. On PostgreSQL a concurrent claimer's
// insert waits for the first transaction and sees the conflict once it
// commits (or claims the period if it rolls back); SQLite has one writer.
// Call it in the transaction that enqueues the digest, after Enqueue has set
// run.OutboxID.
func (tx *Tx) ClaimDigestRun(ctx context.Context, run *langnghe.DigestRun) (bool, error) {
	if run.OfficialID == 0 || run.PeriodKey == "" {
		return false, langnghe.Errorf(langnghe.EINVALID, "a digest run needs an official and a period")
	}
	run.ScheduledAt, run.Since, run.Until = dbTime(run.ScheduledAt), dbTime(run.Since), dbTime(run.Until)
	var key string
	err := get(ctx, tx.tx, &key, `INSERT INTO digest_runs (official_id, period_key, scheduled_at, since, until, outbox_id)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (official_id, period_key) DO NOTHING RETURNING period_key`,
		run.OfficialID, run.PeriodKey, run.ScheduledAt, run.Since, run.Until, run.OutboxID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("claim digest %d/%s: %w", run.OfficialID, run.PeriodKey, err)
	}
	return true, nil
}

// DigestFigures computes the figures of one digest. Every query is an
// aggregate or a short, indexed list (see 00003), so a digest stays fast
// over millions of stored opinions.
func (db *DB) DigestFigures(ctx context.Context, s langnghe.DigestScope) (*langnghe.DigestFigures, error) {
	if s.Until.Before(s.Since) {
		return nil, langnghe.Errorf(langnghe.EINVALID, "a digest window must not end before it starts")
	}
	f := &langnghe.DigestFigures{}
	unitCond, unitArgs, ok := scopeCondition(&s.Scope)
	if !ok {
		return f, nil
	}
	if unitCond != "" {
		unitCond = " AND " + unitCond
	}
	since, until, soon := dbTime(s.Since), dbTime(s.Until), dbTime(s.DueSoonBy)

	err := selectAll(ctx, db.r, &f.New, `SELECT category, area_code, COUNT(*) AS n FROM opinions
		WHERE created_at >= ? AND created_at < ?`+unitCond+`
		GROUP BY category, area_code ORDER BY n DESC, category, area_code`, append([]any{since, until}, unitArgs...)...)
	if err != nil {
		return nil, fmt.Errorf("digest: count new opinions: %w", err)
	}

	var due struct {
		Overdue int `db:"overdue"`
		DueSoon int `db:"due_soon"`
	}
	err = get(ctx, db.r, &due, `SELECT COUNT(CASE WHEN due_at < ? THEN 1 END) AS overdue,
		COUNT(CASE WHEN due_at >= ? THEN 1 END) AS due_soon
		FROM opinions WHERE `+openStatusSQL+` AND due_at <= ?`+unitCond,
		append([]any{until, until, soon}, unitArgs...)...)
	if err != nil {
		return nil, fmt.Errorf("digest: count overdue opinions: %w", err)
	}
	f.Overdue, f.DueSoon = due.Overdue, due.DueSoon

	var answered struct {
		Answered     int `db:"answered"`
		Satisfied    int `db:"satisfied"`
		NotSatisfied int `db:"not_satisfied"`
	}
	err = get(ctx, db.r, &answered, `SELECT COUNT(*) AS answered,
		COUNT(CASE WHEN rating = 'satisfied' THEN 1 END) AS satisfied,
		COUNT(CASE WHEN rating = 'not_satisfied' THEN 1 END) AS not_satisfied
		FROM opinions WHERE answered_at >= ? AND answered_at < ?`+unitCond,
		append([]any{since, until}, unitArgs...)...)
	if err != nil {
		return nil, fmt.Errorf("digest: count answered opinions: %w", err)
	}
	f.Answered, f.Satisfied, f.NotSatisfied = answered.Answered, answered.Satisfied, answered.NotSatisfied

	if s.Oldest > 0 {
		err = selectAll(ctx, db.r, &f.Oldest, `SELECT code, category, area_code, unit_code, status, created_at, due_at
			FROM opinions WHERE `+openStatusSQL+unitCond+` ORDER BY created_at, id LIMIT ?`,
			append(unitArgs, min(s.Oldest, maxLimit))...)
		if err != nil {
			return nil, fmt.Errorf("digest: list oldest open opinions: %w", err)
		}
	}
	return f, nil
}
