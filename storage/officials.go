package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"langnghe"
)

// Officials and their one-time invitations. An official's units live in
// official_units; a revoked official keeps its row (the history names it)
// with revoked_at set.

type officialRow struct {
	ID            int64      `db:"id"`
	Name          string     `db:"name"`
	Role          string     `db:"role"`
	Channel       string     `db:"channel"`
	ExternalID    string     `db:"external_id"`
	ChatID        string     `db:"chat_id"`
	Notify        bool       `db:"notify"`
	Digest        string     `db:"digest"`
	DigestTime    string     `db:"digest_time"`
	DigestWeekday int        `db:"digest_weekday"`
	Language      string     `db:"language"`
	CreatedAt     time.Time  `db:"created_at"`
	RevokedAt     *time.Time `db:"revoked_at"`
	// SeesDenouncers is the explicit permission of langnghe.Official.
	SeesDenouncers bool `db:"sees_denouncers"`
}

const officialColumns = `id, name, role, channel, external_id, chat_id, notify, digest, digest_time, digest_weekday,
	language, created_at, revoked_at, sees_denouncers`

func (r officialRow) official() langnghe.Official {
	return langnghe.Official{
		ID: r.ID, Name: r.Name, Role: langnghe.Role(r.Role), Channel: r.Channel, ExternalID: r.ExternalID,
		ChatID: r.ChatID, Notify: r.Notify, Digest: r.Digest, DigestTime: r.DigestTime,
		DigestWeekday: time.Weekday(r.DigestWeekday), Language: r.Language, CreatedAt: r.CreatedAt, RevokedAt: r.RevokedAt,
		SeesDenouncers: r.SeesDenouncers,
	}
}

// CreateOfficial stores o with its units and sets o.ID and o.CreatedAt.
// Another active official bound to the same account is ECONFLICT; every
// unit must exist.
func (tx *Tx) CreateOfficial(ctx context.Context, o *langnghe.Official) error {
	if !o.Role.Valid() || o.Channel == "" || o.ExternalID == "" {
		return langnghe.Errorf(langnghe.EINVALID, "an official needs a role, a channel and an account")
	}
	if o.Digest == "" {
		o.Digest = langnghe.DigestDaily
	}
	if o.DigestTime == "" {
		o.DigestTime = "07:30"
	}
	if o.Language == "" {
		o.Language = langnghe.LangVI
	}
	if o.CreatedAt.IsZero() {
		o.CreatedAt = now()
	}
	o.CreatedAt = dbTime(o.CreatedAt)
	tx.notOfficial = "" // whatever ResidentState found out may be about this account
	var id int64
	err := get(ctx, tx.tx, &id, `INSERT INTO officials (name, role, channel, external_id, chat_id, notify, digest,
		digest_time, digest_weekday, language, created_at, sees_denouncers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (channel, external_id) WHERE revoked_at IS NULL DO NOTHING RETURNING id`,
		o.Name, string(o.Role), o.Channel, o.ExternalID, o.ChatID, o.Notify, o.Digest, o.DigestTime,
		int(o.DigestWeekday), o.Language, o.CreatedAt, o.SeesDenouncers)
	if errors.Is(err, sql.ErrNoRows) {
		return langnghe.Errorf(langnghe.ECONFLICT, "account %s/%s is already an official", o.Channel, o.ExternalID)
	} else if err != nil {
		return fmt.Errorf("insert official %q: %w", o.Name, err)
	}
	o.ID = id
	return tx.addOfficialUnits(ctx, id, o.Units)
}

// addOfficialUnits gives official id the units, each of which must exist.
func (tx *Tx) addOfficialUnits(ctx context.Context, id int64, units []string) error {
	for _, u := range units {
		if _, err := tx.Unit(ctx, u); err != nil {
			return err
		}
		if _, err := exec(ctx, tx.tx, `INSERT INTO official_units (official_id, unit_code) VALUES (?, ?)
			ON CONFLICT DO NOTHING`, id, u); err != nil {
			return fmt.Errorf("add unit %s to official %d: %w", u, id, err)
		}
	}
	return nil
}

// Official loads an official (revoked or not) by id.
func (tx *Tx) Official(ctx context.Context, id int64) (*langnghe.Official, error) {
	var r officialRow
	if err := get(ctx, tx.tx, &r, `SELECT `+officialColumns+` FROM officials WHERE id = ?`, id); err != nil {
		return nil, notFound(err, "official %d", id)
	}
	return oneOfficial(ctx, tx.tx, r)
}

// Acting reloads the official who acts, so that a revocation or a change
// of role or units takes effect at once, even for an official loaded
// earlier: nobody, an unknown official or a revoked one is EUNAUTHORIZED.
func (tx *Tx) Acting(ctx context.Context, by *langnghe.Official) (*langnghe.Official, error) {
	if by == nil || by.ID == 0 {
		return nil, langnghe.Errorf(langnghe.EUNAUTHORIZED, "only officials may do this")
	}
	cur, err := tx.Official(ctx, by.ID)
	if langnghe.ErrorCode(err) == langnghe.ENOTFOUND {
		return nil, langnghe.Errorf(langnghe.EUNAUTHORIZED, "only officials may do this")
	} else if err != nil {
		return nil, err
	}
	if !cur.Active() {
		return nil, langnghe.Errorf(langnghe.EUNAUTHORIZED, "your access as an official has been revoked")
	}
	return cur, nil
}

// ActiveOfficial loads the unrevoked official bound to a channel account;
// ENOTFOUND when there is none.
func (tx *Tx) ActiveOfficial(ctx context.Context, channel, externalID string) (*langnghe.Official, error) {
	if tx.notOfficial != "" && tx.notOfficial == accountKey(channel, externalID) {
		return nil, langnghe.Errorf(langnghe.ENOTFOUND, "official %s/%s not found", channel, externalID)
	}
	var r officialRow
	err := get(ctx, tx.tx, &r, `SELECT `+officialColumns+` FROM officials
		WHERE channel = ? AND external_id = ? AND revoked_at IS NULL`, channel, externalID)
	if err != nil {
		return nil, notFound(err, "official %s/%s", channel, externalID)
	}
	return oneOfficial(ctx, tx.tx, r)
}

func oneOfficial(ctx context.Context, q sqlx.ExtContext, r officialRow) (*langnghe.Official, error) {
	out, err := withUnits(ctx, q, []officialRow{r})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// Officials lists every official, revoked ones too, by id (the CLI, digests).
func (db *DB) Officials(ctx context.Context) ([]langnghe.Official, error) {
	var rows []officialRow
	if err := selectAll(ctx, db.r, &rows, `SELECT `+officialColumns+` FROM officials ORDER BY id`); err != nil {
		return nil, fmt.Errorf("list officials: %w", err)
	}
	return withUnits(ctx, db.r, rows)
}

// Watchers lists the active officials who asked to be told of each new
// opinion of unit: the unit's own officials and the board.
func (tx *Tx) Watchers(ctx context.Context, unit string) ([]langnghe.Official, error) {
	var rows []officialRow
	err := selectAll(ctx, tx.tx, &rows, `SELECT `+officialColumns+` FROM officials o
		WHERE revoked_at IS NULL AND notify AND (role = ? OR EXISTS (
			SELECT 1 FROM official_units u WHERE u.official_id = o.id AND u.unit_code = ?))
		ORDER BY id`, string(langnghe.RoleBoard), unit)
	if err != nil {
		return nil, fmt.Errorf("list watchers of unit %s: %w", unit, err)
	}
	return withUnits(ctx, tx.tx, rows)
}

// withUnits turns rows into officials with their unit codes, in one query.
func withUnits(ctx context.Context, q sqlx.ExtContext, rows []officialRow) ([]langnghe.Official, error) {
	out := make([]langnghe.Official, 0, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]any, len(rows))
	index := make(map[int64]int, len(rows))
	for i, r := range rows {
		out = append(out, r.official())
		ids[i] = r.ID
		index[r.ID] = i
	}
	var links []struct {
		OfficialID int64  `db:"official_id"`
		Unit       string `db:"unit_code"`
	}
	err := selectAll(ctx, q, &links, `SELECT official_id, unit_code FROM official_units
		WHERE official_id IN (`+placeholders(len(ids))+`) ORDER BY unit_code`, ids...)
	if err != nil {
		return nil, fmt.Errorf("load officials' units: %w", err)
	}
	for _, l := range links {
		o := &out[index[l.OfficialID]]
		o.Units = append(o.Units, l.Unit)
	}
	return out, nil
}

// SetSeesDenouncers grants (on) or withdraws the explicit permission to
// see who made a denunciation. Only an admin may call for it (the CLI, the
// studio's officials page, which audits it); it takes effect at once, as
// every request reloads the official. ENOTFOUND when there is no such
// official.
func (tx *Tx) SetSeesDenouncers(ctx context.Context, id int64, on bool) error {
	res, err := exec(ctx, tx.tx, `UPDATE officials SET sees_denouncers = ? WHERE id = ?`, on, id)
	return oneRow(res, err, "official %d", id)
}

// SaveOfficialSettings stores what an official may change about
// themselves: chat, notifications, digest schedule and language.
func (tx *Tx) SaveOfficialSettings(ctx context.Context, o *langnghe.Official) error {
	res, err := exec(ctx, tx.tx, `UPDATE officials SET chat_id = ?, notify = ?, digest = ?, digest_time = ?,
		digest_weekday = ?, language = ? WHERE id = ?`,
		o.ChatID, o.Notify, o.Digest, o.DigestTime, int(o.DigestWeekday), o.Language, o.ID)
	return oneRow(res, err, "official %d", o.ID)
}

// RevokeOfficial marks the official revoked at at; revoking twice is
// harmless and keeps the first time. ENOTFOUND when there is no such official.
func (tx *Tx) RevokeOfficial(ctx context.Context, id int64, at time.Time) error {
	res, err := exec(ctx, tx.tx, `UPDATE officials SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`, dbTime(at), id)
	if err := oneRow(res, err, "official %d", id); err != nil {
		return err
	}
	// Whatever they were given goes back to their units' open work.
	return tx.clearAssignments(ctx, id, true)
}

const invitationColumns = `code_hash, role, units, name, created_by, created_at, expires_at, used_at, official_id, sees_denouncers`

// CreateInvitation stores inv.
func (tx *Tx) CreateInvitation(ctx context.Context, inv *langnghe.Invitation) error {
	if inv.CodeHash == "" || inv.ExpiresAt.IsZero() {
		return langnghe.Errorf(langnghe.EINVALID, "an invitation needs a code and an expiry")
	}
	if inv.CreatedAt.IsZero() {
		inv.CreatedAt = now()
	}
	inv.CreatedAt, inv.ExpiresAt = dbTime(inv.CreatedAt), dbTime(inv.ExpiresAt)
	_, err := exec(ctx, tx.tx, `INSERT INTO invitations (code_hash, role, units, name, created_by, created_at, expires_at, sees_denouncers)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, inv.CodeHash, inv.Role, inv.Units, inv.Name, inv.CreatedBy, inv.CreatedAt, inv.ExpiresAt,
		inv.SeesDenouncers)
	if uniqueViolation(err) {
		return langnghe.Errorf(langnghe.ECONFLICT, "invitation code already exists")
	} else if err != nil {
		return fmt.Errorf("insert invitation: %w", err)
	}
	return nil
}

// UseInvitation marks the unused, unexpired invitation with codeHash used
// at at and returns it. The mark is one UPDATE, so of two people opening
// the same link at once only one gets it. An unknown, used or expired code
// is EINVALID, with one message for all three (no hint which it was).
func (tx *Tx) UseInvitation(ctx context.Context, codeHash string, at time.Time) (*langnghe.Invitation, error) {
	var inv langnghe.Invitation
	err := get(ctx, tx.tx, &inv, `UPDATE invitations SET used_at = ?
		WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?
		RETURNING `+invitationColumns,
		dbTime(at), codeHash, dbTime(at))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, langnghe.Errorf(langnghe.EINVALID, "this invitation is unknown, used or expired; ask for a new one")
	} else if err != nil {
		return nil, fmt.Errorf("use invitation: %w", err)
	}
	return &inv, nil
}

// SetInvitationOfficial records which official an invitation made.
func (tx *Tx) SetInvitationOfficial(ctx context.Context, codeHash string, officialID int64) error {
	res, err := exec(ctx, tx.tx, `UPDATE invitations SET official_id = ? WHERE code_hash = ?`, officialID, codeHash)
	return oneRow(res, err, "invitation")
}

// PendingInvitations lists the invitations not used yet and still valid at
// at, newest first: officials invited but not bound to an account yet.
func (db *DB) PendingInvitations(ctx context.Context, at time.Time) ([]langnghe.Invitation, error) {
	out := []langnghe.Invitation{}
	err := selectAll(ctx, db.r, &out, `SELECT `+invitationColumns+`
		FROM invitations WHERE used_at IS NULL AND expires_at > ? ORDER BY created_at DESC`, dbTime(at))
	if err != nil {
		return nil, fmt.Errorf("list pending invitations: %w", err)
	}
	return out, nil
}

// SetOfficialAccess changes an official's role and units (replacing them
// all); every unit must exist. It takes effect at once: each request
// reloads the official.
func (tx *Tx) SetOfficialAccess(ctx context.Context, id int64, role langnghe.Role, units []string) error {
	if !role.Valid() {
		return langnghe.Errorf(langnghe.EINVALID, "unknown role %q (board, unit or admin)", role)
	}
	res, err := exec(ctx, tx.tx, `UPDATE officials SET role = ? WHERE id = ?`, string(role), id)
	if err := oneRow(res, err, "official %d", id); err != nil {
		return err
	}
	if _, err := exec(ctx, tx.tx, `DELETE FROM official_units WHERE official_id = ?`, id); err != nil {
		return fmt.Errorf("clear units of official %d: %w", id, err)
	}
	if err := tx.addOfficialUnits(ctx, id, units); err != nil {
		return err
	}
	// An assignee outside the opinion's unit is impossible.
	return tx.clearAssignments(ctx, id, false)
}
