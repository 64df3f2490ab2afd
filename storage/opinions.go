package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"langnghe"
	"langnghe/flows/vntext"
	"langnghe/redact"
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
	PlaceText    string     `db:"place_text"`
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
	AssigneeID   *int64     `db:"assignee_id"`
}

const opinionColumns = `id, code, resident_id, anonymous, category, legal_track, area_code, place_text, text, language, channel,
	status, contact_name, contact_phone, location, attachments, answers, confidence, flow_id, flow_revision,
	created_at, updated_at, due_at, unit_code, answered_at, rating, duplicate_of, assignee_id`

func (r *opinionRow) opinion() (langnghe.Opinion, error) {
	o := langnghe.Opinion{
		ID: r.ID, Code: r.Code, ResidentID: r.ResidentID, Anonymous: r.Anonymous, Category: r.Category,
		LegalTrack: langnghe.LegalTrack(r.LegalTrack), AreaCode: r.AreaCode, PlaceText: r.PlaceText, Text: r.Text, Language: r.Language,
		Channel: r.Channel, Status: langnghe.Status(r.Status), ContactName: r.ContactName,
		ContactPhone: r.ContactPhone, Confidence: r.Confidence, FlowID: r.FlowID, FlowRevision: r.FlowRevision,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Unit: r.Unit, AnsweredAt: r.AnsweredAt, Rating: r.Rating,
		DuplicateOf: r.DuplicateOf,
	}
	if r.DueAt != nil {
		o.DueAt = *r.DueAt
	}
	if r.AssigneeID != nil {
		o.Assignee = *r.AssigneeID
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
	tx.countedOpinion = true
	return fmt.Sprintf("%s-%d-%06d", prefix, year, n), nil
}

// HoldsOpinionCounter reports whether the transaction has taken an opinion
// code, and so holds the counter's row lock until it ends: whoever applies
// several inputs in one transaction ends it soon after (a batch that went
// on would make every other opinion wait for the whole batch).
func (tx *Tx) HoldsOpinionCounter() bool { return tx.countedOpinion }

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
	o.PlaceText = PlaceText(o.PlaceText)
	insert := `INSERT INTO opinions (code, resident_id, anonymous, category, legal_track, area_code,
		place_text, text, text_folded, language, channel, status, contact_name, contact_phone, location, attachments,
		answers, confidence, flow_id, flow_revision, created_at, updated_at, due_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO NOTHING RETURNING id`
	args := []any{o.Code, o.ResidentID, o.Anonymous, o.Category, string(o.LegalTrack), o.AreaCode, o.PlaceText, o.Text, vntext.Fold(o.Text),
		o.Language, o.Channel, string(o.Status), o.ContactName, o.ContactPhone, location, attachments, answers,
		o.Confidence, o.FlowID, o.FlowRevision, o.CreatedAt, o.UpdatedAt, due}
	received := &langnghe.OpinionEvent{StatusTo: o.Status, Actor: "resident", Public: true, At: o.CreatedAt}
	if tx.dialect == Postgres {
		// The opinion and its "received" event in one round trip: a
		// resident's transaction that stores an opinion holds the code
		// counter's lock (NextOpinionCode), which every other new opinion
		// waits for. SQLite has no data-modifying WITH.
		insert = `WITH o AS (` + insert + `), e AS (INSERT INTO opinion_events (opinion_id, status_from, status_to, actor, note, public, at)
			SELECT id, '', ?, ?, '', ?, ? FROM o) SELECT id FROM o`
		args = append(args, string(received.StatusTo), received.Actor, received.Public, received.At)
	}
	var id int64
	err = get(ctx, tx.tx, &id, insert, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return langnghe.Errorf(langnghe.ECONFLICT, "opinion code %s is already used", o.Code)
	} else if err != nil {
		return fmt.Errorf("insert opinion %s: %w", o.Code, err)
	}
	o.ID = id
	if tx.dialect == Postgres {
		return nil
	}
	received.OpinionID = id
	return tx.insertEvent(ctx, received)
}

// PlaceText is how an opinion keeps the place as the resident wrote it:
// one line in NFC (vntext.Normalize), phone numbers, e-mail addresses and ID
// numbers redacted (a place is not personal, but residents type "nhà ông
// Tư 0912 345 678 ấp 3"), at most langnghe.MaxPlaceText runes.
func PlaceText(s string) string {
	s = redact.Text(vntext.Normalize(s))
	if utf8.RuneCountInString(s) > langnghe.MaxPlaceText {
		s = strings.TrimSpace(string([]rune(s)[:langnghe.MaxPlaceText]))
	}
	return s
}

// foldBatch is how many opinions foldOpinionTexts folds per transaction.
const foldBatch = 500

// foldOpinionTexts fills text_folded, the text search reads, for opinions
// stored without it: those stored before migration 00006 added the column,
// and any written by other means than CreateOpinion. The folding is Go's
// (vntext.Fold), which SQL cannot repeat exactly, so it runs after the
// migrations, in batches; a partial index of the unfolded rows makes the
// check cheap once there are none.
func (db *DB) foldOpinionTexts(ctx context.Context) error {
	for {
		var rows []struct {
			ID   int64  `db:"id"`
			Text string `db:"text"`
		}
		err := selectAll(ctx, db.w, &rows, `SELECT id, text FROM opinions WHERE text_folded IS NULL ORDER BY id LIMIT ?`, foldBatch)
		if err != nil {
			return fmt.Errorf("find opinions to fold: %w", err)
		}
		if len(rows) == 0 {
			return nil
		}
		var cases strings.Builder
		args := make([]any, 0, 3*len(rows))
		for _, r := range rows {
			cases.WriteString(" WHEN ? THEN ?")
			args = append(args, r.ID, vntext.Fold(r.Text))
		}
		for _, r := range rows {
			args = append(args, r.ID)
		}
		err = db.InTx(ctx, func(tx *Tx) error {
			_, err := exec(ctx, tx.tx, `UPDATE opinions SET text_folded = CASE id`+cases.String()+` END
				WHERE id IN (`+placeholders(len(rows))+`)`, args...)
			return err
		})
		if err != nil {
			return fmt.Errorf("fold opinion texts: %w", err)
		}
	}
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
func (tx *Tx) AddOpinionEvent(ctx context.Context, e *langnghe.OpinionEvent) error {
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
func (tx *Tx) insertEvent(ctx context.Context, e *langnghe.OpinionEvent) error {
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
	return decodeRows(rows, (*opinionRow).opinion)
}

// ListOpinions lists opinions for the console and exports (in a
// transaction: an official's command applied with its update).
func (r reader) ListOpinions(ctx context.Context, f langnghe.OpinionFilter) ([]langnghe.Opinion, error) {
	return listOpinions(ctx, r.q, f)
}

// openStatusesSQL is the condition Status.Open spells, written out as the
// partial indexes of migration 00003 spell it: PostgreSQL uses a partial
// index only when it can prove the query implies the index's predicate.
const openStatusesSQL = "status IN ('received', 'forwarded', 'in_progress', 'extended', 'reopened')"

// filterStatuses returns the statuses f can keep.
func filterStatuses(f langnghe.OpinionFilter) []langnghe.Status {
	open := f.Open || !f.OverdueAt.IsZero() || !f.DueFrom.IsZero() || !f.DueBy.IsZero()
	var out []langnghe.Status
	for _, s := range langnghe.Statuses {
		if (f.Status == "" || f.Status == s) && (!open || s.Open()) && (!f.Closed || !s.Open()) &&
			(!f.NotTaken || s == langnghe.StatusReceived || s == langnghe.StatusForwarded) {
			out = append(out, s)
		}
	}
	return out
}

// statusCondition is the SQL for a set of statuses; "" for all of them.
// The statuses come from langnghe.Statuses, so they are written as literals.
func statusCondition(set []langnghe.Status) string {
	switch {
	case len(set) == len(langnghe.Statuses):
		return ""
	case len(set) == 1:
		return "status = '" + string(set[0]) + "'"
	case slices.Equal(set, langnghe.Statuses[:5]):
		return openStatusesSQL
	}
	quoted := make([]string, len(set))
	for i, s := range set {
		quoted[i] = "'" + string(s) + "'"
	}
	return "status IN (" + strings.Join(quoted, ", ") + ")"
}

// filterConditions returns f's conditions but the statuses' (see
// filterStatuses) and the search's (textCondition), and whether f can match
// anything at all.
func filterConditions(f langnghe.OpinionFilter) (where []string, args []any, ok bool) {
	scope, scopeArgs, ok := scopeCondition(f.Scope)
	if !ok {
		return nil, nil, false
	}
	if scope != "" {
		where, args = append(where, scope), scopeArgs
	}
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
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
	if f.LegalTrack != "" {
		add("legal_track = ?", string(f.LegalTrack))
	}
	if f.Assignee != 0 {
		add("assignee_id = ?", f.Assignee)
	}
	if f.NotTaken {
		where = append(where, "assignee_id IS NULL")
	}
	if f.Rating != "" {
		add("rating = ?", f.Rating)
	}
	if !f.OverdueAt.IsZero() {
		add("due_at < ?", dbTime(f.OverdueAt))
	}
	if !f.DueFrom.IsZero() {
		add("due_at >= ?", dbTime(f.DueFrom))
	}
	if !f.DueBy.IsZero() {
		add("due_at <= ?", dbTime(f.DueBy))
	}
	if !f.Since.IsZero() {
		add("created_at >= ?", dbTime(f.Since))
	}
	if !f.Until.IsZero() {
		add("created_at < ?", dbTime(f.Until))
	}
	return where, args, true
}

// scopeCondition is the condition keeping the opinions of an official's
// scope ("" when s is nil or covers all) and its arguments; ok is false
// when s covers nothing, which SQL cannot say with an empty IN list.
func scopeCondition(s *langnghe.Scope) (cond string, args []any, ok bool) {
	switch {
	case s == nil || s.All:
		return "", nil, true
	case s.Empty():
		return "", nil, false
	}
	args = make([]any, len(s.Units))
	for i, u := range s.Units {
		args[i] = u
	}
	return "unit_code IN (" + placeholders(len(s.Units)) + ")", args, true
}

// textCondition is f's search in the text ("" for none) and its argument.
func textCondition(f langnghe.OpinionFilter) (string, []any) {
	text := vntext.Fold(f.Text)
	if text == "" {
		return "", nil
	}
	return `text_folded LIKE ? ESCAPE '\'`, []any{"%" + likeEscaper.Replace(text) + "%"}
}

// likeEscaper makes a search text match itself in LIKE, wildcards included.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func listOpinions(ctx context.Context, q sqlx.ExtContext, f langnghe.OpinionFilter) ([]langnghe.Opinion, error) {
	where, args, ok := filterConditions(f)
	set := filterStatuses(f)
	if !ok || len(set) == 0 {
		return []langnghe.Opinion{}, nil
	}
	if cond := statusCondition(set); cond != "" {
		where = append(where, cond)
	}
	text, textArgs := textCondition(f)
	limit := clampLimit(f.Limit)
	var rows []opinionRow
	page := func(keyset string, keyArgs []any, order string, n int) error {
		w, a := slices.Clone(where), slices.Clone(args)
		if keyset != "" {
			w, a = append(w, keyset), append(a, keyArgs...)
		}
		if text != "" && !strings.HasPrefix(order, "due_at") {
			got, done, err := searchRecent(ctx, q, w, a, text, textArgs, order, n)
			if err != nil || done {
				rows = append(rows, got...)
				return err
			}
		}
		if text != "" {
			w, a = append(w, text), append(a, textArgs...)
		}
		query := `SELECT ` + opinionColumns + ` FROM opinions`
		if len(w) > 0 {
			query += ` WHERE ` + strings.Join(w, " AND ")
		}
		var got []opinionRow
		if err := selectAll(ctx, q, &got, query+` ORDER BY `+order+` LIMIT ?`, append(a, n)...); err != nil {
			return fmt.Errorf("list opinions: %w", err)
		}
		rows = append(rows, got...)
		return nil
	}
	// The keysets are spelled so that the sort column's range is an index
	// condition on both databases (a row comparison is not, on SQLite).
	const receivedAt = `(SELECT created_at FROM opinions WHERE id = ?)`
	var err error
	switch f.Sort {
	case langnghe.SortNewest:
		keyset, keyArgs := "", []any(nil)
		if f.AfterID > 0 {
			keyset = `created_at <= ` + receivedAt + ` AND (created_at < ` + receivedAt + ` OR id < ?)`
			keyArgs = []any{f.AfterID, f.AfterID, f.AfterID}
		}
		err = page(keyset, keyArgs, `created_at DESC, id DESC`, limit)
	case langnghe.SortOldest:
		keyset, keyArgs := "", []any(nil)
		if f.AfterID > 0 {
			keyset = `created_at >= ` + receivedAt + ` AND (created_at > ` + receivedAt + ` OR id > ?)`
			keyArgs = []any{f.AfterID, f.AfterID, f.AfterID}
		}
		err = page(keyset, keyArgs, `created_at, id`, limit)
	case langnghe.SortDue:
		// Opinions with a due date, earliest first, then those without one:
		// two ranges, so that each is one index range on both databases
		// (they disagree on where NULLs sort).
		if f.AfterID == 0 || !f.AfterDue.IsZero() {
			keyset, keyArgs := `due_at IS NOT NULL`, []any(nil)
			if f.AfterID > 0 {
				due := dbTime(f.AfterDue)
				keyset = `due_at >= ? AND (due_at > ? OR id > ?)`
				keyArgs = []any{due, due, f.AfterID}
			}
			err = page(keyset, keyArgs, `due_at, id`, limit)
		}
		if err == nil && len(rows) < limit {
			keyset, keyArgs := `due_at IS NULL`, []any(nil)
			if f.AfterID > 0 && f.AfterDue.IsZero() {
				keyset, keyArgs = `due_at IS NULL AND id > ?`, []any{f.AfterID}
			}
			err = page(keyset, keyArgs, `id`, limit-len(rows))
		}
	default:
		return nil, langnghe.Errorf(langnghe.EINVALID, "unknown order %q (newest, oldest or due)", f.Sort)
	}
	if err != nil {
		return nil, err
	}
	return decodeRows(rows, (*opinionRow).opinion)
}

// searchWindow is how many opinions, in the list's order, searchRecent
// reads for matches.
const searchWindow = 4000

// searchRecent looks for a page of n matches of a search among the first
// searchWindow opinions in the list's order (where and args without the
// search). A common word ("sổ đỏ", one opinion in forty) fills the page
// there, reading a few thousand rows in index order; through the trigram
// index it would fetch and sort every one of its tens of thousands of
// matches. done is false when the window neither gave n matches nor held
// every candidate: the search then goes through the index, which is fast
// for the rarer words that need it.
func searchRecent(ctx context.Context, q sqlx.ExtContext, where []string, args []any, text string, textArgs []any,
	order string, n int) (rows []opinionRow, done bool, err error) {
	inner := `SELECT ` + opinionColumns + `, text_folded FROM opinions`
	if len(where) > 0 {
		inner += ` WHERE ` + strings.Join(where, " AND ")
	}
	// The window's size is counted before the search filters it: a
	// window smaller than searchWindow held every candidate.
	query := `SELECT ` + opinionColumns + `, scanned FROM (SELECT w.*, COUNT(*) OVER () AS scanned FROM (` +
		inner + ` ORDER BY ` + order + ` LIMIT ?) w) recent WHERE ` + text + ` ORDER BY ` + order + ` LIMIT ?`
	var got []struct {
		opinionRow
		Scanned int `db:"scanned"`
	}
	a := append(append(append(slices.Clone(args), searchWindow), textArgs...), n)
	if err := selectAll(ctx, q, &got, query, a...); err != nil {
		return nil, false, fmt.Errorf("search recent opinions: %w", err)
	}
	for _, g := range got {
		rows = append(rows, g.opinionRow)
	}
	return rows, len(rows) == n || (len(got) > 0 && got[0].Scanned < searchWindow), nil
}

// CountOpinions counts, per status, the opinions f keeps (its paging and
// order aside). Exact counts of a broad filter among a million opinions
// would read most of them, so on PostgreSQL a closed status with more than
// a few times upTo opinions in all gets the planner's estimate of its
// matches (Estimate). The open statuses (the backlog) and the small ones
// are counted, in one pass that reads at most countBudget times upTo
// rows (AtLeast when it stopped there); a search in the text is applied
// to the rows that pass, rather than through the trigram index once per
// status. Statuses f excludes are absent from the map.
func (tx *Tx) CountOpinions(ctx context.Context, f langnghe.OpinionFilter, upTo int) (map[langnghe.Status]langnghe.OpinionCount, error) {
	if upTo <= 0 {
		return nil, langnghe.Errorf(langnghe.EINVALID, "a count needs a positive cap")
	}
	where, args, ok := filterConditions(f)
	set := filterStatuses(f)
	out := make(map[langnghe.Status]langnghe.OpinionCount, len(set))
	if !ok || len(set) == 0 {
		return out, nil
	}
	text, textArgs := textCondition(f)
	exact := set
	if closed := slices.DeleteFunc(slices.Clone(set), langnghe.Status.Open); tx.dialect == Postgres && len(closed) > 0 {
		estimates, sizes, err := tx.estimateByStatus(ctx, closed, append(slices.Clone(where), text), append(slices.Clone(args), textArgs...))
		if err != nil {
			return nil, err
		}
		exact = nil
		for _, s := range set {
			if e, known := estimates[s]; known && sizes[s] >= estimateAbove*upTo {
				out[s] = langnghe.OpinionCount{N: e, Estimate: true}
			} else {
				exact = append(exact, s)
			}
		}
	}
	if len(exact) == 0 {
		return out, nil
	}
	if cond := statusCondition(exact); cond != "" {
		where = append(where, cond)
	}
	// Without a search the pass may read the status index alone.
	query, match, matchArgs := `SELECT status FROM opinions`, "1", []any(nil)
	if text != "" {
		// The LIMIT fences the search off: it is checked on the rows the
		// other conditions find instead of leading the plan.
		query, match, matchArgs = `SELECT status, text_folded FROM opinions`, `CASE WHEN `+text+` THEN 1 END`, textArgs
	}
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query = `SELECT status, COUNT(` + match + `) AS n, COUNT(*) AS seen FROM (` + query + ` LIMIT ?) c GROUP BY status`
	var rows []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
		Seen   int    `db:"seen"`
	}
	budget := countBudget * upTo
	if err := selectAll(ctx, tx.tx, &rows, query, append(append(matchArgs, args...), budget)...); err != nil {
		return nil, fmt.Errorf("count opinions: %w", err)
	}
	seen := 0
	for _, r := range rows {
		seen += r.Seen
	}
	for _, s := range exact {
		out[s] = langnghe.OpinionCount{AtLeast: seen >= budget}
	}
	for _, r := range rows {
		out[langnghe.Status(r.Status)] = langnghe.OpinionCount{N: r.N, AtLeast: seen >= budget}
	}
	return out, nil
}

// estimateAbove: a closed status of estimateAbove times the cap or more is
// estimated, not counted.
const estimateAbove = 3

// countBudget is how many rows, per unit of the cap, CountOpinions'
// counting pass reads at most: 20,000 for the inbox's cap of 1,000.
const countBudget = 20

// estimateByStatus asks PostgreSQL's planner, in one round trip, how many
// opinions of each status the conditions keep, and how many there are of
// each status in all: the plan of a UNION ALL with two branches per
// status, named by literals. A plan it cannot read gives no estimates
// (everything is then counted).
func (tx *Tx) estimateByStatus(ctx context.Context, set []langnghe.Status, where []string, args []any) (matches, sizes map[langnghe.Status]int, err error) {
	where = slices.DeleteFunc(where, func(c string) bool { return c == "" })
	var parts []string
	var all []any
	for _, s := range set {
		cond := statusCondition([]langnghe.Status{s})
		parts = append(parts, `SELECT '`+string(s)+`' AS status FROM opinions WHERE `+strings.Join(append([]string{cond}, where...), " AND "),
			`SELECT '`+string(s)+`/all' AS status FROM opinions WHERE `+cond)
		all = append(all, args...)
	}
	estimates, err := tx.estimateRows(ctx, strings.Join(parts, " UNION ALL "), all)
	if err != nil {
		return nil, nil, err
	}
	matches, sizes = map[langnghe.Status]int{}, map[langnghe.Status]int{}
	for k, n := range estimates {
		if s, ok := strings.CutSuffix(k, "/all"); ok {
			sizes[langnghe.Status(s)] = n
		} else {
			matches[langnghe.Status(k)] = n
		}
	}
	return matches, sizes, nil
}

// estimateRows asks PostgreSQL's planner how many rows each branch of a
// UNION ALL of "SELECT 'key' AS status FROM ..." would return, by key. A
// plan it cannot read gives no estimates (everything is then counted).
func (tx *Tx) estimateRows(ctx context.Context, query string, args []any) (map[string]int, error) {
	var plan string
	if err := get(ctx, tx.tx, &plan, `EXPLAIN (VERBOSE, FORMAT JSON) `+query, args...); err != nil {
		return nil, fmt.Errorf("estimate opinion counts: %w", err)
	}
	type node struct {
		Rows   float64  `json:"Plan Rows"`
		Output []string `json:"Output"`
		Plans  []node   `json:"Plans"`
	}
	var plans []struct{ Plan node }
	if err := json.Unmarshal([]byte(plan), &plans); err != nil || len(plans) != 1 {
		return map[string]int{}, nil
	}
	branches := plans[0].Plan.Plans
	if len(branches) == 0 {
		branches = []node{plans[0].Plan} // a single branch is planned alone
	}
	out := map[string]int{}
	for _, b := range branches {
		if len(b.Output) != 1 {
			return map[string]int{}, nil
		}
		key, quoted := strings.CutSuffix(b.Output[0], "'::text")
		key, opened := strings.CutPrefix(key, "'")
		if !quoted || !opened {
			return map[string]int{}, nil
		}
		out[key] = int(b.Rows)
	}
	return out, nil
}

// placeholders returns n comma-separated question marks, for IN lists
// (sqlx.In rejects empty slices; callers handle those).
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// Opinion loads an opinion by its code, without locking it; ENOTFOUND when
// there is none.
func (r reader) Opinion(ctx context.Context, code string) (*langnghe.Opinion, error) {
	return opinionByCode(ctx, r.q, `SELECT `+opinionColumns+` FROM opinions WHERE code = ?`, code)
}

// OpinionForUpdate loads an opinion by its code inside a transaction and,
// on PostgreSQL, locks its row until the transaction ends, so two officials
// acting on it at once take turns (SQLite has one writer anyway).
// ENOTFOUND when there is none.
func (tx *Tx) OpinionForUpdate(ctx context.Context, code string) (*langnghe.Opinion, error) {
	query := `SELECT ` + opinionColumns + ` FROM opinions WHERE code = ?`
	if tx.dialect == Postgres {
		query += ` FOR UPDATE`
	}
	return opinionByCode(ctx, tx.tx, query, code)
}

// opinionByCode runs query, which selects one opinion by code.
func opinionByCode(ctx context.Context, q sqlx.ExtContext, query, code string) (*langnghe.Opinion, error) {
	var row opinionRow
	if err := get(ctx, q, &row, query, code); err != nil {
		return nil, notFound(err, "opinion %s", code)
	}
	o, err := row.opinion()
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// UpdateOpinion applies u to the opinion with id; ENOTFOUND when there is none.
func (tx *Tx) UpdateOpinion(ctx context.Context, id int64, u langnghe.OpinionUpdate) error {
	update, args := opinionUpdate(id, u)
	res, err := exec(ctx, tx.tx, update, args...)
	return oneRow(res, err, "opinion %d", id)
}

// UpdateOpinionNoting is UpdateOpinion, then AddOpinionEvent of e, which
// must not change the status (routing a new opinion: its unit and the
// note that says why). On PostgreSQL both are one statement: the
// resident's transaction that routes a new opinion holds the opinion code
// counter's lock, which every other new opinion waits for.
func (tx *Tx) UpdateOpinionNoting(ctx context.Context, id int64, u langnghe.OpinionUpdate, e *langnghe.OpinionEvent) error {
	if e.StatusTo != "" && e.StatusTo != e.StatusFrom {
		return langnghe.Errorf(langnghe.EINVALID, "an event noted with an update cannot change the status")
	}
	if e.Actor == "" {
		return langnghe.Errorf(langnghe.EINVALID, "an opinion event needs an actor")
	}
	e.OpinionID = id
	if tx.dialect != Postgres {
		if err := tx.UpdateOpinion(ctx, id, u); err != nil {
			return err
		}
		return tx.AddOpinionEvent(ctx, e)
	}
	if e.At.IsZero() {
		e.At = now()
	}
	e.At = dbTime(e.At)
	update, args := opinionUpdate(id, u)
	var eventID int64
	err := get(ctx, tx.tx, &eventID, `WITH u AS (`+update+` RETURNING id)
		INSERT INTO opinion_events (opinion_id, status_from, status_to, actor, note, public, at)
		SELECT id, ?, ?, ?, ?, ?, ? FROM u RETURNING id`,
		append(args, string(e.StatusFrom), string(e.StatusTo), e.Actor, e.Note, e.Public, e.At)...)
	if errors.Is(err, sql.ErrNoRows) {
		return langnghe.Errorf(langnghe.ENOTFOUND, "opinion %d not found", id)
	} else if err != nil {
		return fmt.Errorf("update opinion %d: %w", id, err)
	}
	e.ID = eventID
	return nil
}

// opinionUpdate is the statement that applies u to the opinion with id,
// and its arguments.
func opinionUpdate(id int64, u langnghe.OpinionUpdate) (string, []any) {
	sets := []string{"updated_at = ?"}
	args := []any{now()}
	if u.Category != nil {
		sets, args = append(sets, "category = ?"), append(args, *u.Category)
	}
	if u.Unit != nil {
		sets, args = append(sets, "unit_code = ?"), append(args, *u.Unit)
		if u.Assignee == nil {
			// An assignee outside the opinion's unit is impossible: moving
			// it to a unit the assignee is not of takes the assignment back.
			sets, args = append(sets, `assignee_id = CASE WHEN assignee_id IN
				(SELECT official_id FROM official_units WHERE unit_code = ?) THEN assignee_id END`), append(args, *u.Unit)
		}
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
	if u.Assignee != nil {
		var id *int64
		if *u.Assignee != 0 {
			id = u.Assignee
		}
		sets, args = append(sets, "assignee_id = ?"), append(args, id)
	}
	return `UPDATE opinions SET ` + strings.Join(sets, ", ") + ` WHERE id = ?`, append(args, id)
}

// OpinionEvents returns an opinion's history, oldest first.
func (r reader) OpinionEvents(ctx context.Context, opinionID int64) ([]langnghe.OpinionEvent, error) {
	var out []langnghe.OpinionEvent
	err := selectAll(ctx, r.q, &out, `SELECT id, opinion_id, status_from, status_to, actor, note, public, at
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
