package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"langnghe"
)

const residentColumns = `id, channel, external_id, chat_id, name, phone, language, blocked, created_at, updated_at`

// ResidentByExternal finds the resident a channel knows as externalID
// (for Telegram, the user id). ENOTFOUND when the person is new.
func (tx *Tx) ResidentByExternal(ctx context.Context, channel, externalID string) (*langnghe.Resident, error) {
	var r langnghe.Resident
	err := get(ctx, tx.tx, &r, `SELECT `+residentColumns+` FROM residents WHERE channel = ? AND external_id = ?`,
		channel, externalID)
	if err != nil {
		return nil, notFound(err, "resident %s/%s", channel, externalID)
	}
	return &r, nil
}

// residentStateSQL reads a resident, their session and whether the account
// is an official's, in one round trip. Call it after BeginUpdate, not in
// the same statement: a statement reads what was committed when it began,
// and it must see what an earlier update of the chat committed while this
// one waited for the chat's lock.
const residentStateSQL = prepared + `SELECT
		EXISTS (SELECT 1 FROM officials o WHERE o.channel = ? AND o.external_id = ? AND o.revoked_at IS NULL) AS official,
		r.id, r.channel, r.external_id, r.chat_id, r.name, r.phone, r.language, r.blocked, r.created_at, r.updated_at,
		s.flow_id, s.revision, s.data, s.timeout_at, s.updated_at AS session_updated_at
	FROM (SELECT 1 AS one) AS input
	LEFT JOIN residents r ON r.channel = ? AND r.external_id = ?
	LEFT JOIN sessions s ON s.resident_id = r.id`

// ResidentState loads what an input of the account externalID needs: the
// resident, their session, and whether the account is an active
// official's. When it is not, ActiveOfficial answers ENOTFOUND for it in
// this transaction without asking the database again (until
// CreateOfficial).
func (tx *Tx) ResidentState(ctx context.Context, channel, externalID string) (langnghe.ResidentState, error) {
	var row struct {
		Official  bool       `db:"official"`
		ID        *int64     `db:"id"`
		Channel   *string    `db:"channel"`
		External  *string    `db:"external_id"`
		ChatID    *string    `db:"chat_id"`
		Name      *string    `db:"name"`
		Phone     *string    `db:"phone"`
		Language  *string    `db:"language"`
		Blocked   *bool      `db:"blocked"`
		CreatedAt *time.Time `db:"created_at"`
		UpdatedAt *time.Time `db:"updated_at"`
		FlowID    *string    `db:"flow_id"`
		Revision  *int       `db:"revision"`
		Data      []byte     `db:"data"`
		TimeoutAt *time.Time `db:"timeout_at"`
		SessionAt *time.Time `db:"session_updated_at"`
	}
	if err := get(ctx, tx.tx, &row, residentStateSQL, channel, externalID, channel, externalID); err != nil {
		return langnghe.ResidentState{}, fmt.Errorf("load resident %s/%s: %w", channel, externalID, err)
	}
	st := langnghe.ResidentState{Official: row.Official}
	if !row.Official {
		tx.notOfficial = accountKey(channel, externalID)
	}
	if row.ID == nil {
		return st, nil
	}
	st.Resident = &langnghe.Resident{
		ID: *row.ID, Channel: *row.Channel, ExternalID: *row.External, ChatID: *row.ChatID, Name: *row.Name,
		Phone: *row.Phone, Language: *row.Language, Blocked: *row.Blocked, CreatedAt: *row.CreatedAt, UpdatedAt: *row.UpdatedAt,
	}
	if row.FlowID != nil {
		st.Session = &langnghe.StoredSession{ResidentID: *row.ID, FlowID: *row.FlowID, Revision: *row.Revision, Data: row.Data,
			TimeoutAt: row.TimeoutAt, UpdatedAt: *row.SessionAt}
	}
	return st, nil
}

// accountKey names a channel account for Tx.notOfficial.
func accountKey(channel, externalID string) string { return channel + "\x1f" + externalID }

// Resident loads a resident by id.
func (tx *Tx) Resident(ctx context.Context, id int64) (*langnghe.Resident, error) {
	var r langnghe.Resident
	if err := get(ctx, tx.tx, &r, `SELECT `+residentColumns+` FROM residents WHERE id = ?`, id); err != nil {
		return nil, notFound(err, "resident %d", id)
	}
	return &r, nil
}

// SaveResident inserts r when r.ID is 0 (setting ID, CreatedAt and UpdatedAt)
// and updates the resident with r.ID otherwise. A second resident with the
// same (Channel, ExternalID) is ECONFLICT; after a conflicting insert the
// transaction is still usable.
func (tx *Tx) SaveResident(ctx context.Context, r *langnghe.Resident) error {
	if r.Channel == "" || r.ExternalID == "" {
		return langnghe.Errorf(langnghe.EINVALID, "a resident needs a channel and an external id")
	}
	at := now()
	if r.ID == 0 {
		created := r.CreatedAt
		if created.IsZero() {
			created = at
		}
		var id int64
		err := get(ctx, tx.tx, &id, `INSERT INTO residents
			(channel, external_id, chat_id, name, phone, language, blocked, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (channel, external_id) DO NOTHING RETURNING id`,
			r.Channel, r.ExternalID, r.ChatID, r.Name, r.Phone, r.Language, r.Blocked, dbTime(created), at)
		if errors.Is(err, sql.ErrNoRows) {
			// DO NOTHING instead of a unique violation keeps a PostgreSQL
			// transaction usable after the conflict.
			return langnghe.Errorf(langnghe.ECONFLICT, "resident %s/%s already exists", r.Channel, r.ExternalID)
		} else if err != nil {
			return fmt.Errorf("insert resident %s/%s: %w", r.Channel, r.ExternalID, err)
		}
		r.ID, r.CreatedAt, r.UpdatedAt = id, dbTime(created), at
		return nil
	}
	res, err := exec(ctx, tx.tx, `UPDATE residents SET channel = ?, external_id = ?, chat_id = ?, name = ?, phone = ?,
		language = ?, blocked = ?, updated_at = ? WHERE id = ?`,
		r.Channel, r.ExternalID, r.ChatID, r.Name, r.Phone, r.Language, r.Blocked, at, r.ID)
	if uniqueViolation(err) {
		return langnghe.Errorf(langnghe.ECONFLICT, "resident %s/%s already exists", r.Channel, r.ExternalID)
	}
	if err := oneRow(res, err, "resident %d", r.ID); err != nil {
		return err
	}
	r.UpdatedAt = at
	return nil
}

// SetResidentBlocked records whether the residents of a chat blocked the bot,
// so senders stop trying and start again when they write. A chat with no
// resident (an official's chat, a group) is not an error.
func (tx *Tx) SetResidentBlocked(ctx context.Context, channel, chatID string, blocked bool) error {
	_, err := exec(ctx, tx.tx, `UPDATE residents SET blocked = ?, updated_at = ? WHERE channel = ? AND chat_id = ?`,
		blocked, now(), channel, chatID)
	if err != nil {
		return fmt.Errorf("set chat %s/%s blocked=%t: %w", channel, chatID, blocked, err)
	}
	return nil
}

// DeleteResidentData erases a resident's personal data on request, every
// copy of it. What happens to each table (migrations 00001–00017):
//
//   - residents: name and phone blanked. The row stays with its channel,
//     external id and chat id (the channel's numbers for the account, not
//     a name or a phone), language and blocked flag, so the bot still
//     recognises the account and can say its data was deleted.
//   - sessions: deleted (the conversation's JSON holds the answers).
//   - consents (with the area a consent to announcements is for):
//     deleted. They name no one, but are the resident's history;
//     what they allowed is gone, and no record means no consent.
//   - opinions: kept for the board's records and reports, without the
//     resident: resident_id NULL; contact_name, contact_phone blanked;
//     location NULL; attachments [] (file ids; photos may show the person);
//     answers without the personal ones (phone, name, contact, e-mail,
//     address, location, photo, files, and any answer that is a point or a
//     file id), the others redacted; text redacted (the resident's name and
//     phone, any phone, e-mail or ID number: redact.Text) and text_folded
//     folded again from it; the place as they wrote it (place_text)
//     redacted the same way. Codes, category, track, area, unit, status,
//     dates, rating, duplicate_of and flow ids name no one.
//   - opinion_events: the notes of their opinions' events redacted (an
//     answer or a reason may quote the name and phone); actors are roles
//     ("resident", "official:N", "system"). Each opinion gets an internal
//     "personal data deleted" event.
//   - attachments: deleted, bytes, names and hashes, both the files the
//     resident sent and those linked to their opinions.
//   - outbox, outbox_dead: messages to the resident deleted; messages to
//     others (officials' notifications, digests, dead letters) that name
//     the resident or one of their opinions redacted in place, message and
//     last error, so the official still gets the notification.
//   - reply_targets: the messages delivered to the resident's chat that a
//     reply could name deleted; those to officials keep only an opinion
//     code and message ids.
//   - emergencies: unlinked and their words blanked
//     (ForgetEmergencyReporter); kind, area, unit and times stay for the
//     records and reports.
//   - campaign_responses: kept for the campaign's results without the
//     resident: resident_id NULL, answers as an opinion's (the personal
//     ones gone, the others redacted); area, language, category, group
//     and flow stay. campaign_deliveries (who was sent a group's answer):
//     deleted, as is campaign_announcements (who was sent a campaign's
//     announcement). campaigns, campaign_groups (titles are redacted when made),
//     campaign_answers: the board's work.
//   - processed_updates (update ids), opinion_counters, outbox_totals
//     (counts), digest_runs (ids, times): nothing personal.
//   - flows, flow_revisions, flow_audit, settings, setting_revisions,
//     settings_audit, units (with their hotline and reception details),
//     routing_rules, api_keys: admins' work; officials, official_units,
//     invitations, signin_tokens, console_sessions: officials' accounts.
//     None holds a resident's data.
//
// A table added later that holds a resident's data needs a step here:
// TestDeleteResidentDataLeavesNoCopy reads every column of every table from
// the database's catalogue and fails on what is left.
func (tx *Tx) DeleteResidentData(ctx context.Context, residentID int64) error {
	e := &erasure{tx: tx, resident: residentID}
	if err := e.identify(ctx); err != nil {
		return fmt.Errorf("delete data of resident %d: %w", residentID, err)
	}
	at := now()
	res, err := exec(ctx, tx.tx, `UPDATE residents SET name = '', phone = '', updated_at = ? WHERE id = ?`, at, residentID)
	if err := oneRow(res, err, "resident %d", residentID); err != nil {
		return err
	}
	steps := []struct {
		what string
		run  func() error
	}{
		{"consents", e.statement(ctx, `DELETE FROM consents WHERE resident_id = ?`, residentID)},
		{"session", e.statement(ctx, `DELETE FROM sessions WHERE resident_id = ?`, residentID)},
		{"queued messages", e.statement(ctx, `DELETE FROM outbox WHERE resident_id = ?`, residentID)},
		{"dead messages", e.statement(ctx, `DELETE FROM outbox_dead WHERE resident_id = ?`, residentID)},
		{"messages replies name", e.statement(ctx, `DELETE FROM reply_targets WHERE EXISTS (SELECT 1 FROM residents r
			WHERE r.id = ? AND r.channel = reply_targets.channel AND r.chat_id = reply_targets.chat_id)`, residentID)},
		{"messages to others", func() error { return e.messages(ctx, "outbox") }},
		{"dead messages to others", func() error { return e.messages(ctx, "outbox_dead") }},
		{"attachments", e.statement(ctx, `DELETE FROM attachments WHERE resident_id = ?
			OR opinion_id IN (SELECT id FROM opinions WHERE resident_id = ?)`, residentID, residentID)},
		{"emergencies", func() error { return tx.ForgetEmergencyReporter(ctx, residentID) }},
		{"campaign answers sent", e.statement(ctx, `DELETE FROM campaign_deliveries WHERE resident_id = ?`, residentID)},
		{"campaign announcements sent", e.statement(ctx, `DELETE FROM campaign_announcements WHERE resident_id = ?`, residentID)},
		{"campaign responses", func() error { return e.responses(ctx) }},
		{"opinion events", func() error { return e.events(ctx) }},
		{"deletion events", e.statement(ctx, `INSERT INTO opinion_events (opinion_id, status_from, status_to, actor, note, public, at)
			SELECT id, status, status, 'system', 'personal data deleted', ?, ? FROM opinions WHERE resident_id = ?`,
			false, at, residentID)},
		// Last: the steps above find the opinions by their resident.
		{"opinions", func() error { return e.opinions(ctx) }},
	}
	for _, s := range steps {
		if err := s.run(); err != nil {
			return fmt.Errorf("delete data of resident %d: %s: %w", residentID, s.what, err)
		}
	}
	return nil
}

// statement is a step that runs one statement.
func (e *erasure) statement(ctx context.Context, query string, args ...any) func() error {
	return func() error {
		_, err := exec(ctx, e.tx.tx, query, args...)
		return err
	}
}
