package langnghe

import (
	"strconv"
	"strings"
	"time"
)

// Role is what an official may see and do.
type Role string

const (
	// RoleBoard sees and acts on every opinion (the mass-mobilisation board).
	RoleBoard Role = "board"
	// RoleUnit sees and acts on the opinions routed to their units only.
	RoleUnit Role = "unit"
	// RoleAdmin manages flows, catalogue, units and officials, and sees all.
	RoleAdmin Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleBoard || r == RoleUnit || r == RoleAdmin }

// Unit is an organisation that handles opinions: a commune People's
// Committee, the land and environment office, the medical centre, police...
type Unit struct {
	Code  string            `yaml:"code" json:"code" db:"code"`
	Names map[string]string `yaml:"names" json:"names" db:"-"`
	// Hotline is the unit's phone for urgent matters; an emergency reply
	// gives it after the national numbers when the resident's area routes
	// to this unit.
	Hotline string `yaml:"hotline,omitempty" json:"hotline,omitempty" db:"-"`
	// Reception is where the unit receives citizens in person: a complaint
	// or a denunciation is told to go there with the written form.
	Reception Reception `yaml:"reception,omitempty" json:"reception,omitzero" db:"-"`
	// Duties are what the units file designates this unit for, beyond
	// routing by category and area: DutyEmergencies, DutyDenunciations.
	// At most one unit holds each duty.
	Duties []string `yaml:"duties,omitempty" json:"duties,omitempty" db:"-"`
}

// Reception is a unit's citizen reception office (nơi tiếp công dân).
type Reception struct {
	Address string `yaml:"address" json:"address"`
	Hours   string `yaml:"hours" json:"hours"` // as residents read it: "Thứ Hai – Thứ Sáu, 7:30–11:30, 13:30–17:00"
	Phone   string `yaml:"phone,omitempty" json:"phone,omitempty"`
}

// Set reports whether the reception is configured.
func (r Reception) Set() bool { return r.Address != "" }

// Duties a unit may be designated for in the units file.
const (
	// DutyEmergencies: the unit alerted at once of every emergency.
	DutyEmergencies = "emergencies"
	// DutyDenunciations: the unit every denunciation routes to, whatever
	// its category (an inspectorate or the chairman's office), so it never
	// reaches the unit the accused may belong to.
	DutyDenunciations = "denunciations"
)

// Has reports whether the unit holds duty.
func (u Unit) Has(duty string) bool {
	for _, d := range u.Duties {
		if d == duty {
			return true
		}
	}
	return false
}

// Name returns the unit's name in lang, falling back to Vietnamese.
func (u Unit) Name(lang string) string { return pick(u.Names, lang) }

// RoutingRule sends opinions of a category in an area to a unit. An empty
// Category or Area matches any; the most specific matching rule wins
// (category and area, then category, then area, then the catch-all).
type RoutingRule struct {
	Category string `yaml:"category,omitempty" json:"category,omitempty" db:"category"`
	Area     string `yaml:"area,omitempty" json:"area,omitempty" db:"area_code"`
	Unit     string `yaml:"unit" json:"unit" db:"unit_code"`
}

// Digest frequencies.
const (
	DigestOff    = "off"
	DigestDaily  = "daily"
	DigestWeekly = "weekly"
)

// Official is a person of the board or a unit who follows opinions up.
// Their Telegram account is bound through a one-time invitation.
type Official struct {
	ID         int64    `json:"id"`
	Name       string   `json:"name"`
	Role       Role     `json:"role"`
	Units      []string `json:"units,omitempty"` // unit codes; board and admin see all
	Channel    string   `json:"channel"`
	ExternalID string   `json:"external_id"` // Telegram user id once bound
	ChatID     string   `json:"chat_id"`
	// Notify sends a message for each new opinion routed to their units.
	Notify bool `json:"notify"`
	// Digest is off, daily or weekly, at DigestTime ("07:30", local) on
	// DigestWeekday for weekly digests.
	Digest        string       `json:"digest"`
	DigestTime    string       `json:"digest_time"`
	DigestWeekday time.Weekday `json:"digest_weekday"`
	Language      string       `json:"language"`
	CreatedAt     time.Time    `json:"created_at"`
	// RevokedAt is set when the official was revoked; it takes effect at once.
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	// SeesDenouncers is the explicit permission to see who made a
	// denunciation (Law on Denunciations 2018, art. 9); without it a
	// denouncer's identity reads "Bảo mật" everywhere.
	SeesDenouncers bool `json:"sees_denouncers"`
}

// Active reports whether the official may act.
func (o *Official) Active() bool { return o != nil && o.RevokedAt == nil && o.ExternalID != "" }

// officialActor starts an official's name in opinion histories and audit
// entries; the resident is "resident", the service "system", the CLI "cli".
const officialActor = "official:"

// Actor names the official in opinion histories and audit entries
// ("official:ID"). Residents only ever hear the unit's name, never this.
func (o *Official) Actor() string { return officialActor + strconv.FormatInt(o.ID, 10) }

// ActorOfficial is the id of the official an actor names (Actor); ok is
// false for the resident, the system and anything else.
func ActorOfficial(actor string) (id int64, ok bool) {
	idText, ok := strings.CutPrefix(actor, officialActor)
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	return id, err == nil && id > 0
}

// SeesAll reports whether the official's role covers every unit.
func (o *Official) SeesAll() bool { return o.Role == RoleBoard || o.Role == RoleAdmin }

// APIKey lets another channel (a web form, a hotline operator's tool) file
// opinions through Open311. The secret is shown once, when the key is
// created; only its SHA-256 is stored.
type APIKey struct {
	ID   int64  `db:"id" json:"id"`
	Name string `db:"name" json:"name"`
	// Hint is the secret's last characters, so an admin can tell keys apart.
	Hint      string     `db:"hint" json:"hint"`
	CreatedAt time.Time  `db:"created_at" json:"created_at"`
	RevokedAt *time.Time `db:"revoked_at" json:"revoked_at,omitempty"`
}

// Active reports whether the key may still be used.
func (k *APIKey) Active() bool { return k != nil && k.RevokedAt == nil }

// ConsoleSession is a signed-in official's console session.
type ConsoleSession struct {
	OfficialID int64 `db:"official_id"`
	// CSRF is the session's anti-forgery token, sent back with every form.
	CSRF      string    `db:"csrf"`
	CreatedAt time.Time `db:"created_at"`
	ExpiresAt time.Time `db:"expires_at"`
}

// OfficialDraft is one such draft.
type OfficialDraft struct {
	ID          int64     `db:"id"`
	OfficialID  int64     `db:"official_id"`
	OpinionCode string    `db:"opinion_code"`
	Text        string    `db:"text"`
	CreatedAt   time.Time `db:"created_at"`
}

// Invitation is a one-time code that binds a chat account to a new
// official with a role and units. Only the code's hash is stored, so the
// code itself is known only to whoever created it: Code is set only on the
// invitation followup's Invite returns, to be shown once.
type Invitation struct {
	Code       string     `db:"-"`
	CodeHash   string     `db:"code_hash"`
	Role       Role       `db:"role"`
	Units      string     `db:"units"` // comma-separated unit codes
	Name       string     `db:"name"`
	CreatedBy  string     `db:"created_by"`
	CreatedAt  time.Time  `db:"created_at"`
	ExpiresAt  time.Time  `db:"expires_at"`
	UsedAt     *time.Time `db:"used_at"`
	OfficialID *int64     `db:"official_id"`
	// SeesDenouncers: the official it makes may see who made a
	// denunciation (an admin's explicit grant).
	SeesDenouncers bool `db:"sees_denouncers"`
}

// InvitePrefix starts an invitation's deep-link payload: /start inv_<code>.
const InvitePrefix = "inv_"

// Link is the Telegram deep link that opens the bot with the invitation
// (empty without the bot's username).
func (i Invitation) Link(botUsername string) string {
	if botUsername == "" {
		return ""
	}
	return "https://t.me/" + botUsername + "?start=" + InvitePrefix + i.Code
}

// UnitCodes splits Units.
func (i Invitation) UnitCodes() []string {
	if i.Units == "" {
		return nil
	}
	return strings.Split(i.Units, ",")
}
