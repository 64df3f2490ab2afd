package storage

import (
	"context"
	"fmt"
	"time"

	"langnghe"
)

// Assignment (00012) and the inbox's urgent strip: an opinion may be given
// to a named official of its unit (opinions.assignee_id); the strip counts
// the open opinions that need someone now, and the emergencies of the day.

// clearAssignments takes back what official id was given: everything
// (revoked), or only the opinions of units they are no longer of.
func (tx *Tx) clearAssignments(ctx context.Context, id int64, all bool) error {
	query := `UPDATE opinions SET assignee_id = NULL WHERE assignee_id = ?`
	args := []any{id}
	if !all {
		query += ` AND unit_code NOT IN (SELECT unit_code FROM official_units WHERE official_id = ?)`
		args = append(args, id)
	}
	if _, err := exec(ctx, tx.tx, query, args...); err != nil {
		return fmt.Errorf("take back the opinions given to official %d: %w", id, err)
	}
	return nil
}

// UnitOfficials lists the active (not revoked) officials of unit, by name:
// those an opinion of the unit may be given to.
func (tx *Tx) UnitOfficials(ctx context.Context, unit string) ([]langnghe.Official, error) {
	var rows []officialRow
	err := selectAll(ctx, tx.tx, &rows, `SELECT `+officialColumns+` FROM officials o
		WHERE revoked_at IS NULL AND EXISTS (
			SELECT 1 FROM official_units u WHERE u.official_id = o.id AND u.unit_code = ?)
		ORDER BY name, id`, unit)
	if err != nil {
		return nil, fmt.Errorf("list the officials of unit %s: %w", unit, err)
	}
	return withUnits(ctx, tx.tx, rows)
}

// OfficialNames returns the names of the officials with ids (revoked ones
// too: the history and the inbox still name them); unknown ids are absent.
func (tx *Tx) OfficialNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	var rows []struct {
		ID   int64  `db:"id"`
		Name string `db:"name"`
	}
	if err := selectAll(ctx, tx.tx, &rows, `SELECT id, name FROM officials WHERE id IN (`+placeholders(len(ids))+`)`, args...); err != nil {
		return nil, fmt.Errorf("name officials: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// CountUrgent counts q's open opinions in one pass over the open ones (a
// commune's backlog: the partial indexes of 00003 hold them).
func (tx *Tx) CountUrgent(ctx context.Context, q langnghe.UrgentQuery) (langnghe.Urgent, error) {
	var u langnghe.Urgent
	scope, scopeArgs, ok := scopeCondition(q.Scope)
	if !ok {
		return u, nil
	}
	query := `SELECT
		COUNT(CASE WHEN due_at < ? THEN 1 END) AS overdue,
		COUNT(CASE WHEN due_at >= ? AND due_at <= ? THEN 1 END) AS due_soon,
		COUNT(CASE WHEN status IN ('received', 'forwarded') AND assignee_id IS NULL THEN 1 END) AS not_taken,
		COUNT(CASE WHEN rating = ? THEN 1 END) AS not_satisfied,
		COUNT(CASE WHEN assignee_id = ? THEN 1 END) AS mine
		FROM opinions WHERE ` + openStatusesSQL
	if scope != "" {
		query += ` AND ` + scope
	}
	now := dbTime(q.Now)
	args := append([]any{now, now, dbTime(q.SoonBy), langnghe.RatingNotSatisfied, q.Official}, scopeArgs...)
	if err := get(ctx, tx.tx, &u, query, args...); err != nil {
		return u, fmt.Errorf("count urgent opinions: %w", err)
	}
	return u, nil
}

// EmergenciesSince returns the emergencies within scope (nil: all)
// reported at or after since, newest first, at most limit (the default
// when limit <= 0), and how many there are in all.
func (tx *Tx) EmergenciesSince(ctx context.Context, scope *langnghe.Scope, since time.Time, limit int) ([]langnghe.Emergency, int, error) {
	cond, args, ok := emergencyScope(scope)
	if !ok {
		return []langnghe.Emergency{}, 0, nil
	}
	args = append([]any{dbTime(since)}, args...)
	var total int
	if err := get(ctx, tx.tx, &total, `SELECT COUNT(*) FROM emergencies WHERE at >= ?`+cond, args...); err != nil {
		return nil, 0, fmt.Errorf("count emergencies: %w", err)
	}
	list := []langnghe.Emergency{}
	if total == 0 || limit < 0 {
		return list, total, nil
	}
	err := selectAll(ctx, tx.tx, &list, `SELECT `+emergencyColumns+` FROM emergencies WHERE at >= ?`+cond+`
		ORDER BY at DESC, id DESC LIMIT ?`, append(args, clampLimit(limit))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list emergencies: %w", err)
	}
	return list, total, nil
}
