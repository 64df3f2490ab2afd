package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"langnghe"
)

// Emergencies (00008): a resident's report of danger happening now, kept
// with the unit alerted until an official acknowledges it, and counted in
// reports. They are not opinions: no status, no category, no deadline.

const emergencyColumns = `id, resident_id, channel, kind, text, area_code, unit_code, at, acknowledged_at, acknowledged_by`

// RecordEmergency stores e and sets e.ID. e needs a kind and a time; its
// text is kept as the resident wrote it (invalid UTF-8 dropped, since
// PostgreSQL refuses it and the report must not be lost for a cut rune).
func (tx *Tx) RecordEmergency(ctx context.Context, e *langnghe.Emergency) error {
	if e.Kind == "" || e.At.IsZero() {
		return langnghe.Errorf(langnghe.EINVALID, "an emergency needs a kind and a time")
	}
	e.Text = strings.ToValidUTF8(e.Text, "")
	e.At = dbTime(e.At)
	var ackAt *time.Time
	if e.AcknowledgedAt != nil {
		t := dbTime(*e.AcknowledgedAt)
		ackAt, e.AcknowledgedAt = &t, &t
	}
	err := get(ctx, tx.tx, &e.ID, `INSERT INTO emergencies (resident_id, channel, kind, text, area_code, unit_code, at,
		acknowledged_at, acknowledged_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.ResidentID, e.Channel, string(e.Kind), e.Text, e.AreaCode, e.Unit, e.At, ackAt, e.AcknowledgedBy)
	if err != nil {
		return fmt.Errorf("record %s emergency: %w", e.Kind, err)
	}
	return nil
}

// SetEmergencyUnit records the unit alerted of emergency id; ENOTFOUND when
// there is no such emergency.
func (tx *Tx) SetEmergencyUnit(ctx context.Context, id int64, unit string) error {
	res, err := exec(ctx, tx.tx, `UPDATE emergencies SET unit_code = ? WHERE id = ?`, unit, id)
	return oneRow(res, err, "emergency %d", id)
}

// Emergency loads emergency id; ENOTFOUND when there is none.
func (tx *Tx) Emergency(ctx context.Context, id int64) (*langnghe.Emergency, error) {
	var e langnghe.Emergency
	if err := get(ctx, tx.tx, &e, `SELECT `+emergencyColumns+` FROM emergencies WHERE id = ?`, id); err != nil {
		return nil, notFound(err, "emergency %d", id)
	}
	return &e, nil
}

// AcknowledgeEmergency records that official officialID took emergency id
// in at at. Acknowledging it again keeps the first acknowledgement (who and
// when); ENOTFOUND when there is no such emergency.
func (tx *Tx) AcknowledgeEmergency(ctx context.Context, id, officialID int64, at time.Time) error {
	res, err := exec(ctx, tx.tx, `UPDATE emergencies SET acknowledged_at = ?, acknowledged_by = ?
		WHERE id = ? AND acknowledged_at IS NULL`, dbTime(at), officialID, id)
	if err != nil {
		return fmt.Errorf("acknowledge emergency %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("acknowledge emergency %d: %w", id, err)
	} else if n == 1 {
		return nil
	}
	var found int64
	if err := get(ctx, tx.tx, &found, `SELECT id FROM emergencies WHERE id = ?`, id); err != nil {
		return notFound(err, "emergency %d", id)
	}
	return nil // acknowledged already: the first one stands
}

// emergencyScope is the condition keeping the emergencies of an
// official's scope, by the unit alerted (the opinions' rule,
// scopeCondition: nil or All is every one, units alerted or not), and its
// arguments; ok is false when the scope covers nothing.
func emergencyScope(scope *langnghe.Scope) (cond string, args []any, ok bool) {
	cond, args, ok = scopeCondition(scope)
	if cond != "" {
		cond = " AND " + cond
	}
	return cond, args, ok
}

// UnacknowledgedEmergencies returns the latest emergencies within scope
// that nobody acknowledged yet, newest first, at most limit (the default
// when limit <= 0), and how many there are in all. A nil scope is every
// emergency. The partial index emergencies_unacknowledged keeps this cheap
// enough for every console page.
func (tx *Tx) UnacknowledgedEmergencies(ctx context.Context, scope *langnghe.Scope, limit int) ([]langnghe.Emergency, int, error) {
	cond, args, ok := emergencyScope(scope)
	if !ok {
		return []langnghe.Emergency{}, 0, nil
	}
	var total int
	if err := get(ctx, tx.tx, &total, `SELECT COUNT(*) FROM emergencies WHERE acknowledged_at IS NULL`+cond, args...); err != nil {
		return nil, 0, fmt.Errorf("count unacknowledged emergencies: %w", err)
	}
	list := []langnghe.Emergency{}
	if total == 0 {
		return list, 0, nil
	}
	err := selectAll(ctx, tx.tx, &list, `SELECT `+emergencyColumns+` FROM emergencies WHERE acknowledged_at IS NULL`+cond+`
		ORDER BY at DESC, id DESC LIMIT ?`, append(args, clampLimit(limit))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list unacknowledged emergencies: %w", err)
	}
	return list, total, nil
}

// CountEmergencies counts the emergencies reported in q's period [From,
// To), narrowed by q's Area, Unit and Scope (nil every unit; a scope
// that covers nothing, none), in total and, when q.By is ReportArea or
// ReportUnit, per area or unit ordered by key. Emergencies have no
// category and no status: q's Category and Status do not apply to them,
// nor do the other dimensions (no rows).
func (db *DB) CountEmergencies(ctx context.Context, q langnghe.ReportQuery) (rows []langnghe.EmergencyCount, total int, err error) {
	if !q.From.Before(q.To) {
		return nil, 0, langnghe.Errorf(langnghe.EINVALID, "a report period must end after it starts")
	}
	cond, args, ok := scopeCondition(q.Scope) // the opinions' scope rule (langnghe.Scope)
	if !ok {
		return nil, 0, nil
	}
	if cond != "" {
		cond = " AND " + cond
	}
	where := `at >= ? AND at < ?` + cond
	args = append([]any{dbTime(q.From), dbTime(q.To)}, args...)
	if q.Area != "" {
		where, args = where+` AND area_code = ?`, append(args, q.Area)
	}
	if q.Unit != "" {
		where, args = where+` AND unit_code = ?`, append(args, q.Unit)
	}
	if err := get(ctx, db.r, &total, `SELECT COUNT(*) FROM emergencies WHERE `+where, args...); err != nil {
		return nil, 0, fmt.Errorf("count emergencies: %w", err)
	}
	col := map[langnghe.ReportDimension]string{langnghe.ReportArea: "area_code", langnghe.ReportUnit: "unit_code"}[q.By]
	if col == "" || total == 0 {
		return nil, total, nil
	}
	err = selectAll(ctx, db.r, &rows, `SELECT `+col+` AS key, COUNT(*) AS n FROM emergencies WHERE `+where+`
		GROUP BY `+col+` ORDER BY `+col, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count emergencies by %s: %w", q.By, err)
	}
	return rows, total, nil
}

// EmergencyWatchers lists whom to alert of an emergency for unit: the
// active officials of the unit and of the board who have a chat with the
// bot, whether or not they turned notifications off (see
// officedesk.Desk.EmergencyReported).
func (tx *Tx) EmergencyWatchers(ctx context.Context, unit string) ([]langnghe.Official, error) {
	var rows []officialRow
	err := selectAll(ctx, tx.tx, &rows, `SELECT `+officialColumns+` FROM officials o
		WHERE revoked_at IS NULL AND chat_id <> '' AND (role = ? OR EXISTS (
			SELECT 1 FROM official_units u WHERE u.official_id = o.id AND u.unit_code = ?))
		ORDER BY id`, string(langnghe.RoleBoard), unit)
	if err != nil {
		return nil, fmt.Errorf("list officials to alert of an emergency for unit %s: %w", unit, err)
	}
	return withUnits(ctx, tx.tx, rows)
}

// ForgetEmergencyReporter unlinks a resident from the emergencies they
// reported and removes their words, which may name them; the time, kind,
// area and unit stay for the records and reports. Deleting a resident's
// personal data calls it.
func (tx *Tx) ForgetEmergencyReporter(ctx context.Context, residentID int64) error {
	if _, err := exec(ctx, tx.tx, `UPDATE emergencies SET resident_id = NULL, text = '' WHERE resident_id = ?`, residentID); err != nil {
		return fmt.Errorf("forget the emergencies of resident %d: %w", residentID, err)
	}
	return nil
}
