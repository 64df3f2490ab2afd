// Package followup is the officials' side of an opinion: the units that
// handle opinions and the rules that route them, officials and their
// one-time invitations, the opinion lifecycle (lifecycle.go) with every change
// recorded as an event, deadlines in working days, and the scope check
// that keeps each official to their units' opinions.
//
// Every method works inside the caller's transaction (a Tx) so that a chat
// update's effects commit together; the few that the CLI calls outside one
// take the DB.
package followup

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"langnghe"
	"langnghe/storage"
)

// Calendar counts working days for deadlines.
type Calendar interface {
	AddWorkingDays(from time.Time, days int) time.Time
	WorkingDay(t time.Time) bool
}

// Options are the service's settings.
type Options struct {
	// TimeZone is where deadlines are read (Asia/Ho_Chi_Minh).
	TimeZone *time.Location
	// Now is the clock; tests set it.
	Now func() time.Time
}

// Service applies officials' actions. It holds no state of its own besides
// its settings, so it is safe for concurrent use and across replicas.
type Service struct {
	catalogue *langnghe.Catalogue
	calendar  Calendar
	opts      Options
}

// New returns a service.
func New(cat *langnghe.Catalogue, cal Calendar, opts Options) *Service {
	opts.TimeZone, opts.Now = langnghe.Clock(opts.TimeZone, opts.Now)
	return &Service{catalogue: cat, calendar: cal, opts: opts}
}

// Transactor runs fn in one transaction; *storage.DB is one, and so is a
// wrapper that records an audit entry in the same transaction (the studio).
type Transactor interface {
	InTx(ctx context.Context, fn func(tx *storage.Tx) error) error
}

// InviteOption adds to an invitation what an admin grants explicitly.
type InviteOption func(*langnghe.Invitation)

// WithDenouncers grants the invitation's official the permission to see
// who made a denunciation (Law on Denunciations 2018, art. 9). No role
// implies it, the board's and admins' included; only an admin grants it.
func WithDenouncers(inv *langnghe.Invitation) { inv.SeesDenouncers = true }

// codeEncoding writes invitation codes: lower-case letters and digits,
// allowed in a Telegram /start payload (A-Z, a-z, 0-9, _ and -, at most 64).
var codeEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// codeBytes is an invitation code's randomness: 120 bits, 24 characters.
const codeBytes = 15

func hashCode(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

// Invite creates an invitation valid for ttl. Unit officials need at least
// one unit and every unit must exist; board and admin invitations may
// name none (they see everything).
func (s *Service) Invite(ctx context.Context, db Transactor, role langnghe.Role, units []string, name string, ttl time.Duration, opts ...InviteOption) (langnghe.Invitation, error) {
	if !role.Valid() {
		return langnghe.Invitation{}, langnghe.Errorf(langnghe.EINVALID, "unknown role %q (board, unit or admin)", role)
	}
	if role == langnghe.RoleUnit && len(units) == 0 {
		return langnghe.Invitation{}, langnghe.Errorf(langnghe.EINVALID, "a unit official needs at least one unit")
	}
	if ttl <= 0 {
		return langnghe.Invitation{}, langnghe.Errorf(langnghe.EINVALID, "an invitation must be valid for some time")
	}
	for _, u := range units {
		if u == "" || strings.Contains(u, ",") {
			return langnghe.Invitation{}, langnghe.Errorf(langnghe.EINVALID, "unit code %q is not valid", u)
		}
	}
	b := make([]byte, codeBytes)
	if _, err := rand.Read(b); err != nil {
		return langnghe.Invitation{}, fmt.Errorf("invitation code: %w", err)
	}
	code := codeEncoding.EncodeToString(b)
	inv := langnghe.Invitation{Code: code, CodeHash: hashCode(code), Role: role, Units: strings.Join(units, ","), Name: name,
		CreatedAt: s.opts.Now(), ExpiresAt: s.opts.Now().Add(ttl)}
	for _, o := range opts {
		o(&inv)
	}
	err := db.InTx(ctx, func(tx *storage.Tx) error {
		for _, u := range units {
			if _, err := tx.Unit(ctx, u); err != nil {
				return err
			}
		}
		stored := inv
		stored.Code = ""
		return tx.CreateInvitation(ctx, &stored)
	})
	if err != nil {
		return langnghe.Invitation{}, fmt.Errorf("invite %s official %q: %w", role, name, err)
	}
	return inv, nil
}

// Accept binds the chat account (channel, externalID) to a new official
// made from the invitation with code, and uses the invitation up. An
// unknown, used or expired code is EINVALID; an account that is already an
// active official is ECONFLICT and leaves the invitation unused. The
// official's name is the invitation's, or name when the invitation gave none.
func (s *Service) Accept(ctx context.Context, tx *storage.Tx, code, channel, externalID, chatID, name string) (*langnghe.Official, error) {
	code = strings.TrimPrefix(strings.TrimSpace(code), langnghe.InvitePrefix)
	if code == "" || channel == "" || externalID == "" {
		return nil, langnghe.Errorf(langnghe.EINVALID, "an invitation needs a code and an account")
	}
	if _, err := tx.ActiveOfficial(ctx, channel, externalID); err == nil {
		return nil, langnghe.Errorf(langnghe.ECONFLICT, "this account is already an official")
	} else if langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
		return nil, err
	}
	inv, err := tx.UseInvitation(ctx, hashCode(code), s.opts.Now())
	if err != nil {
		return nil, err
	}
	if inv.Name != "" {
		name = inv.Name
	}
	o := &langnghe.Official{
		Name: name, Role: inv.Role, Units: inv.UnitCodes(), Channel: channel,
		ExternalID: externalID, ChatID: chatID, Notify: true, Digest: langnghe.DigestDaily, DigestTime: "07:30",
		DigestWeekday: time.Monday, Language: langnghe.LangVI, CreatedAt: s.opts.Now(), SeesDenouncers: inv.SeesDenouncers,
	}
	if err := tx.CreateOfficial(ctx, o); err != nil {
		return nil, fmt.Errorf("accept invitation: %w", err)
	}
	if err := tx.SetInvitationOfficial(ctx, inv.CodeHash, o.ID); err != nil {
		return nil, err
	}
	return o, nil
}

// Revoke ends an official's access at once: every later call that
// loads them (Official, Act, Opinion, List) refuses them.
func (s *Service) Revoke(ctx context.Context, db Transactor, officialID int64, actor string) error {
	err := db.InTx(ctx, func(tx *storage.Tx) error {
		return tx.RevokeOfficial(ctx, officialID, s.opts.Now())
	})
	if err != nil {
		return fmt.Errorf("revoke official %d (by %s): %w", officialID, actor, err)
	}
	return nil
}

// PermitDenouncers grants (on) or withdraws an official's permission to
// see who made a denunciation. It takes effect at once: every read
// reloads the official. db records who did it where it audits (the
// studio); only admins reach it (the studio, the CLI on the server).
func (s *Service) PermitDenouncers(ctx context.Context, db Transactor, officialID int64, on bool) error {
	err := db.InTx(ctx, func(tx *storage.Tx) error {
		o, err := tx.Official(ctx, officialID)
		if err != nil {
			return err
		}
		if o.RevokedAt != nil && on {
			return langnghe.Errorf(langnghe.EINVALID, "official %d is revoked; invite them again instead", officialID)
		}
		return tx.SetSeesDenouncers(ctx, officialID, on)
	})
	if err != nil {
		return fmt.Errorf("set the denunciation permission of official %d: %w", officialID, err)
	}
	return nil
}

// Official returns the active official bound to a chat account; ENOTFOUND
// for anyone else, revoked officials included.
func (s *Service) Official(ctx context.Context, tx *storage.Tx, channel, externalID string) (*langnghe.Official, error) {
	return tx.ActiveOfficial(ctx, channel, externalID)
}

// Watchers returns the active officials to tell of a new opinion of unit:
// its officials and the board, those who left notifications on.
func (s *Service) Watchers(ctx context.Context, tx *storage.Tx, unit string) ([]langnghe.Official, error) {
	return tx.Watchers(ctx, unit)
}
