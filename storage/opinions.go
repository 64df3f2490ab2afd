package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"langnghe"
)

// opinionRow is an opinion as stored: the JSON columns as text, the nullable
// ones as pointers.
type opinionRow struct {
	ID           int64      `db:"id"`
	Code         string     `db:"code"`
	ResidentID   *int64     `db:"resident_id"`
	Anonymous    bool       `db:"anonymous"`
	Category     string     `db:"category"`
	LegalTrack   string     `db:"legal_track"`
	AreaCode     string     `db:"area_code"`
	Text         string     `db:"text"`
	Language     string     `db:"language"`
	Channel      string     `db:"channel"`
	Status       string     `db:"status"`
	ContactName  string     `db:"contact_name"`
	ContactPhone string     `db:"contact_phone"`
	Location     *string    `db:"location"`
	Attachments  string     `db:"attachments"`
	Answers      string     `db:"answers"`
	Confidence   float64    `db:"confidence"`
	FlowID       string     `db:"flow_id"`
	FlowRevision int        `db:"flow_revision"`
	CreatedAt    time.Time  `db:"created_at"`
	UpdatedAt    time.Time  `db:"updated_at"`
	DueAt        *time.Time `db:"due_at"`
	Unit         string     `db:"unit_code"`
	AnsweredAt   *time.Time `db:"answered_at"`
	Rating       string     `db:"rating"`
	DuplicateOf  string     `db:"duplicate_of"`
}

const opinionColumns = `id, code, resident_id, anonymous, category, legal_track, area_code, text, language, channel,
	status, contact_name, contact_phone, location, attachments, answers, confidence, flow_id, flow_revision,
	created_at, updated_at, due_at, unit_code, answered_at, rating, duplicate_of`

func (r *opinionRow) opinion() (langnghe.Opinion, error) {
	o := langnghe.Opinion{
		ID: r.ID, Code: r.Code, ResidentID: r.ResidentID, Anonymous: r.Anonymous, Category: r.Category,
		LegalTrack: langnghe.LegalTrack(r.LegalTrack), AreaCode: r.AreaCode, Text: r.Text, Language: r.Language,
		Channel: r.Channel, Status: langnghe.Status(r.Status), ContactName: r.ContactName,
		ContactPhone: r.ContactPhone, Confidence: r.Confidence, FlowID: r.FlowID, FlowRevision: r.FlowRevision,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Unit: r.Unit, AnsweredAt: r.AnsweredAt, Rating: r.Rating,
		DuplicateOf: r.DuplicateOf,
	}
	if r.DueAt != nil {
		o.DueAt = *r.DueAt
	}
	if r.Location != nil {
		o.Location = new(langnghe.Location)
		if err := json.Unmarshal([]byte(*r.Location), o.Location); err != nil {
			return o, fmt.Errorf("opinion %s: location: %w", r.Code, err)
		}
	}
	if err := json.Unmarshal([]byte(r.Attachments), &o.Attachments); err != nil {
		return o, fmt.Errorf("opinion %s: attachments: %w", r.Code, err)
	}
	if err := json.Unmarshal([]byte(r.Answers), &o.Answers); err != nil {
		return o, fmt.Errorf("opinion %s: answers: %w", r.Code, err)
	}
	if len(o.Attachments) == 0 {
		o.Attachments = nil
	}
	if len(o.Answers) == 0 {
		o.Answers = nil
	}
	return o, nil
}

func opinionsFromRows(rows []opinionRow) ([]langnghe.Opinion, error) {
	out := make([]langnghe.Opinion, 0, len(rows))
	for i := range rows {
		o, err := rows[i].opinion()
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// OpinionEvent is one step in an opinion's history: a status change, a
// note, an answer. Public events may be shown to the resident; internal ones
// only to officials.
type OpinionEvent struct {
	ID         int64           `db:"id" json:"id"`
	OpinionID  int64           `db:"opinion_id" json:"opinion_id"`
	StatusFrom langnghe.Status `db:"status_from" json:"status_from,omitempty"`
	StatusTo   langnghe.Status `db:"status_to" json:"status_to,omitempty"`
	Actor      string          `db:"actor" json:"actor"`
	Note       string          `db:"note" json:"note,omitempty"`
	Public     bool            `db:"public" json:"public"`
	At         time.Time       `db:"at" json:"at"`
}

var opinionPrefix = regexp.MustCompile(`^[A-Z][A-Z0-9]{0,9}$`)

// NextOpinionCode hands out the next opinion code of (prefix, year), e.g.
// "DT-2026-000123": six digits, more when a year needs them. The counter row
// is incremented in the caller's transaction with one upsert, which holds
// its row lock until commit: concurrent transactions wait for each other and
// never get the same number, and a rolled-back transaction gives its number
// back, so codes have no gaps. year is the local (Asia/Ho_Chi_Minh) year,
// chosen by the caller.
func (tx *Tx) NextOpinionCode(ctx context.Context, prefix string, year int) (string, error) {
	if !opinionPrefix.MatchString(prefix) {
		return "", langnghe.Errorf(langnghe.EINVALID,
			"opinion code prefix %q must be 1–10 capital letters or digits, starting with a letter", prefix)
	}
	if year < 2000 || year > 9999 {
		return "", langnghe.Errorf(langnghe.EINVALID, "opinion code year %d is out of range", year)
	}
	var n int64
	err := get(ctx, tx.tx, &n, `INSERT INTO opinion_counters (prefix, year, last) VALUES (?, ?, 1)
		ON CONFLICT (prefix, year) DO UPDATE SET last = opinion_counters.last + 1 RETURNING last`, prefix, year)
	if err != nil {
		return "", fmt.Errorf("next opinion code %s-%d: %w", prefix, year, err)
	}
	return fmt.Sprintf("%s-%d-%06d", prefix, year, n), nil
}

// CreateOpinion stores o, sets its ID (and CreatedAt, UpdatedAt and Status
// when unset) and records the "received" event. o.Code comes from
// NextOpinionCode; a code already used is ECONFLICT.
func (tx *Tx) CreateOpinion(ctx context.Context, o *langnghe.Opinion) error {
	if o.Code == "" || o.Category == "" || strings.TrimSpace(o.Text) == "" {
		return langnghe.Errorf(langnghe.EINVALID, "an opinion needs a code, a category and a text")
	}
	if o.LegalTrack == "" {
		o.LegalTrack = langnghe.TrackFeedback
	}
	if !o.LegalTrack.Valid() {
		return langnghe.Errorf(langnghe.EINVALID, "unknown legal track %q", o.LegalTrack)
	}
	if o.Status == "" {
		o.Status = langnghe.StatusReceived
	}
	at := now()
	if o.CreatedAt.IsZero() {
		o.CreatedAt = at
	}
	o.CreatedAt, o.UpdatedAt = dbTime(o.CreatedAt), at
	var due *time.Time
	if !o.DueAt.IsZero() {
		o.DueAt = dbTime(o.DueAt)
		due = &o.DueAt
	}
	location, attachments, answers, err := opinionJSON(o)
	if err != nil {
		return err
	}
	var id int64
	err = get(ctx, tx.tx, &id, `INSERT INTO opinions (code, resident_id, anonymous, category, legal_track, area_code,
		text, language, channel, status, contact_name, contact_phone, location, attachments, answers, confidence,
		flow_id, flow_revision, created_at, updated_at, due_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO NOTHING RETURNING id`,
		o.Code, o.ResidentID, o.Anonymous, o.Category, string(o.LegalTrack), o.AreaCode, o.Text, o.Language,
		o.Channel, string(o.Status), o.ContactName, o.ContactPhone, location, attachments, answers, o.Confidence,
		o.FlowID, o.FlowRevision, o.CreatedAt, o.UpdatedAt, due)
	if errors.Is(err, sql.ErrNoRows) {
		return langnghe.Errorf(langnghe.ECONFLICT, "opinion code %s is already used", o.Code)
	} else if err != nil {
		return fmt.Errorf("insert opinion %s: %w", o.Code, err)
	}
	o.ID = id
	return tx.insertEvent(ctx, &OpinionEvent{
		OpinionID: id, StatusTo: o.Status, Actor: "resident", Public: true, At: o.CreatedAt,
	})
}

// opinionJSON encodes the JSON columns. They are passed as strings, not
// []byte: lib/pq sends []byte as bytea, which jsonb rejects.
func opinionJSON(o *langnghe.Opinion) (location *string, attachments, answers string, err error) {
	if o.Location != nil {
		b, err := json.Marshal(o.Location)
		if err != nil {
			return nil, "", "", fmt.Errorf("opinion %s: location: %w", o.Code, err)
		}
		s := string(b)
		location = &s
	}
	att := o.Attachments
	if att == nil {
		att = []langnghe.Attachment{}
	}
	b, err := json.Marshal(att)
	if err != nil {
		return nil, "", "", fmt.Errorf("opinion %s: attachments: %w", o.Code, err)
	}
	ans := o.Answers
	if ans == nil {
		ans = map[string]string{}
	}
	c, err := json.Marshal(ans)
	if err != nil {
		return nil, "", "", fmt.Errorf("opinion %s: answers: %w", o.Code, err)
	}
	return location, string(b), string(c), nil
}

// AddOpinionEvent appends e to its opinion's history and sets e.ID (and e.At
// when unset). When e changes the status (StatusTo set and unlike
// StatusFrom) the opinion's status follows; StatusFrom, when set, must be the
// opinion's current status, else ECONFLICT, so two officials acting at once
// cannot silently overwrite each other.
func (tx *Tx) AddOpinionEvent(ctx context.Context, e *OpinionEvent) error {
	if e.OpinionID == 0 || e.Actor == "" {
		return langnghe.Errorf(langnghe.EINVALID, "an opinion event needs an opinion and an actor")
	}
	if e.At.IsZero() {
		e.At = now()
	}
	e.At = dbTime(e.At)
	if e.StatusTo != "" && e.StatusTo != e.StatusFrom {
		query, args := `UPDATE opinions SET status = ?, updated_at = ? WHERE id = ?`, []any{string(e.StatusTo), e.At, e.OpinionID}
		if e.StatusFrom != "" {
			query, args = query+` AND status = ?`, append(args, string(e.StatusFrom))
		}
		res, err := exec(ctx, tx.tx, query, args...)
		if err := oneRow(res, err, "opinion %d in status %q", e.OpinionID, e.StatusFrom); err != nil {
			if langnghe.ErrorCode(err) == langnghe.ENOTFOUND && e.StatusFrom != "" {
				return langnghe.Errorf(langnghe.ECONFLICT, "opinion %d is no longer %s", e.OpinionID, e.StatusFrom)
			}
			return err
		}
	}
	return tx.insertEvent(ctx, e)
}

// insertEvent appends e to the history as it is.
func (tx *Tx) insertEvent(ctx context.Context, e *OpinionEvent) error {
	var id int64
	err := get(ctx, tx.tx, &id, `INSERT INTO opinion_events (opinion_id, status_from, status_to, actor, note, public, at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.OpinionID, string(e.StatusFrom), string(e.StatusTo), e.Actor, e.Note, e.Public, e.At)
	if err != nil {
		return fmt.Errorf("add event to opinion %d: %w", e.OpinionID, err)
	}
	e.ID = id
	return nil
}

// OpinionsByResident lists the resident's opinions, newest first.
func (tx *Tx) OpinionsByResident(ctx context.Context, residentID int64, limit int) ([]langnghe.Opinion, error) {
	var rows []opinionRow
	err := selectAll(ctx, tx.tx, &rows, `SELECT `+opinionColumns+` FROM opinions WHERE resident_id = ?
		ORDER BY id DESC LIMIT ?`, residentID, clampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("list opinions of resident %d: %w", residentID, err)
	}
	return opinionsFromRows(rows)
}

// OpinionFilter narrows ListOpinions. Zero fields do not filter.
type OpinionFilter struct {
	Status   langnghe.Status
	Category string
	Area     string
	// Unit keeps the opinions routed to this unit; Units to any of these.
	// Units is not a zero-value filter once set: a non-nil empty slice
	// matches nothing (an official without units sees nothing).
	Unit  string
	Units []string
	// Open keeps the opinions still waiting for the board (Status.Open).
	Open bool
	// OverdueAt keeps open opinions whose due date passed before it.
	OverdueAt time.Time
	// Since keeps opinions created at or after it.
	Since time.Time
	// Limit caps the page (default 50, at most 1000).
	Limit int
	// AfterID continues a listing: pages are newest first, so the next page
	// holds the opinions with ids below the last one seen (keyset paging).
	AfterID int64
}

// ListOpinions lists opinions, newest first, for the console and exports.
func (db *DB) ListOpinions(ctx context.Context, f OpinionFilter) ([]langnghe.Opinion, error) {
	return listOpinions(ctx, db.r, f)
}

// ListOpinions is DB.ListOpinions inside a transaction (an official's
// command applied with its update).
func (tx *Tx) ListOpinions(ctx context.Context, f OpinionFilter) ([]langnghe.Opinion, error) {
	return listOpinions(ctx, tx.tx, f)
}

// openStatuses are the statuses Status.Open accepts, for SQL.
var openStatuses = []any{string(langnghe.StatusReceived), string(langnghe.StatusForwarded),
	string(langnghe.StatusInProgress), string(langnghe.StatusExtended), string(langnghe.StatusReopened)}

func listOpinions(ctx context.Context, q sqlx.ExtContext, f OpinionFilter) ([]langnghe.Opinion, error) {
	if f.Units != nil && len(f.Units) == 0 {
		return []langnghe.Opinion{}, nil
	}
	var where []string
	var args []any
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
	}
	if f.Status != "" {
		add("status = ?", string(f.Status))
	}
	if f.Category != "" {
		add("category = ?", f.Category)
	}
	if f.Area != "" {
		add("area_code = ?", f.Area)
	}
	if f.Unit != "" {
		add("unit_code = ?", f.Unit)
	}
	if len(f.Units) > 0 {
		where = append(where, "unit_code IN ("+placeholders(len(f.Units))+")")
		for _, u := range f.Units {
			args = append(args, u)
		}
	}
	if f.Open || !f.OverdueAt.IsZero() {
		where = append(where, "status IN ("+placeholders(len(openStatuses))+")")
		args = append(args, openStatuses...)
	}
	if !f.OverdueAt.IsZero() {
		add("due_at < ?", dbTime(f.OverdueAt))
	}
	if !f.Since.IsZero() {
		add("created_at >= ?", dbTime(f.Since))
	}
	if f.AfterID > 0 {
		add("id < ?", f.AfterID)
	}
	query := `SELECT ` + opinionColumns + ` FROM opinions`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query += ` ORDER BY id DESC LIMIT ?`
	args = append(args, clampLimit(f.Limit))
	var rows []opinionRow
	if err := selectAll(ctx, q, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("list opinions: %w", err)
	}
	return opinionsFromRows(rows)
}

// placeholders returns n comma-separated question marks, for IN lists
// (sqlx.In rejects empty slices; callers handle those).
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// Opinion loads an opinion by its code; ENOTFOUND when there is none.
func (db *DB) Opinion(ctx context.Context, code string) (*langnghe.Opinion, error) {
	var row opinionRow
	if err := get(ctx, db.r, &row, `SELECT `+opinionColumns+` FROM opinions WHERE code = ?`, code); err != nil {
		return nil, notFound(err, "opinion %s", code)
	}
	o, err := row.opinion()
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// OpinionForUpdate loads an opinion by its code inside a transaction and,
// on PostgreSQL, locks its row until the transaction ends, so two officials
// acting on it at once take turns (SQLite has one writer anyway).
// ENOTFOUND when there is none.
func (tx *Tx) OpinionForUpdate(ctx context.Context, code string) (*langnghe.Opinion, error) {
	return tx.opinionByCode(ctx, code, true)
}

// Opinion loads an opinion by its code inside a transaction, without
// locking it; ENOTFOUND when there is none.
func (tx *Tx) Opinion(ctx context.Context, code string) (*langnghe.Opinion, error) {
	return tx.opinionByCode(ctx, code, false)
}

func (tx *Tx) opinionByCode(ctx context.Context, code string, lock bool) (*langnghe.Opinion, error) {
	query := `SELECT ` + opinionColumns + ` FROM opinions WHERE code = ?`
	if lock && tx.dialect == Postgres {
		query += ` FOR UPDATE`
	}
	var row opinionRow
	if err := get(ctx, tx.tx, &row, query, code); err != nil {
		return nil, notFound(err, "opinion %s", code)
	}
	o, err := row.opinion()
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// OpinionUpdate sets an opinion's follow-up columns; nil fields are left
// as they are. The status changes only through AddOpinionEvent, so that
// every change of status is in the history.
type OpinionUpdate struct {
	Unit        *string
	DueAt       *time.Time
	AnsweredAt  *time.Time
	Rating      *string
	DuplicateOf *string
}

// UpdateOpinion applies u to the opinion with id; ENOTFOUND when there is none.
func (tx *Tx) UpdateOpinion(ctx context.Context, id int64, u OpinionUpdate) error {
	sets := []string{"updated_at = ?"}
	args := []any{now()}
	if u.Unit != nil {
		sets, args = append(sets, "unit_code = ?"), append(args, *u.Unit)
	}
	if u.DueAt != nil {
		sets, args = append(sets, "due_at = ?"), append(args, dbTime(*u.DueAt))
	}
	if u.AnsweredAt != nil {
		sets, args = append(sets, "answered_at = ?"), append(args, dbTime(*u.AnsweredAt))
	}
	if u.Rating != nil {
		sets, args = append(sets, "rating = ?"), append(args, *u.Rating)
	}
	if u.DuplicateOf != nil {
		sets, args = append(sets, "duplicate_of = ?"), append(args, *u.DuplicateOf)
	}
	res, err := exec(ctx, tx.tx, `UPDATE opinions SET `+strings.Join(sets, ", ")+` WHERE id = ?`, append(args, id)...)
	return oneRow(res, err, "opinion %d", id)
}

// OpinionEvents returns an opinion's history, oldest first.
func (db *DB) OpinionEvents(ctx context.Context, opinionID int64) ([]OpinionEvent, error) {
	return opinionEvents(ctx, db.r, opinionID)
}

// OpinionEvents is DB.OpinionEvents inside a transaction.
func (tx *Tx) OpinionEvents(ctx context.Context, opinionID int64) ([]OpinionEvent, error) {
	return opinionEvents(ctx, tx.tx, opinionID)
}

func opinionEvents(ctx context.Context, q sqlx.ExtContext, opinionID int64) ([]OpinionEvent, error) {
	var out []OpinionEvent
	err := selectAll(ctx, q, &out, `SELECT id, opinion_id, status_from, status_to, actor, note, public, at
		FROM opinion_events WHERE opinion_id = ? ORDER BY id`, opinionID)
	if err != nil {
		return nil, fmt.Errorf("list events of opinion %d: %w", opinionID, err)
	}
	return out, nil
}

// CountOpinionsByStatus counts all opinions per status, for /metrics.
func (db *DB) CountOpinionsByStatus(ctx context.Context) (map[langnghe.Status]int, error) {
	var rows []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	if err := selectAll(ctx, db.r, &rows, `SELECT status, COUNT(*) AS n FROM opinions GROUP BY status`); err != nil {
		return nil, fmt.Errorf("count opinions by status: %w", err)
	}
	out := make(map[langnghe.Status]int, len(rows))
	for _, r := range rows {
		out[langnghe.Status(r.Status)] = r.N
	}
	return out, nil
}
