// Package langnghe names the domain of a citizen-feedback service: residents
// send opinions (ý kiến) about their locality, the opinions are sorted into
// categories and areas, and the local board follows them up.
//
// The root package holds the types every room shares: the domain's
// vocabulary (opinions, their filters, updates and history, the outbox's
// messages, reports, digests, settings, flow revisions) and the service
// interfaces the storage package implements (OpinionReader, FlowStore,
// ReportService, DigestService, CampaignService), the one gate for what an
// official may see (visibility.go), and what a channel hands in (Inbound,
// Input). Each subpackage wraps one dependency or one responsibility
// (README.md, "Where things are", has the full list; architecture_test.go
// checks the arrows between them):
//
//	flows/         the conversation language and engine (pure, no I/O),
//	               with its catalogue, classifier, FAQ and default flows
//	flowlib/       flow revisions: validate, import, publish, serve
//	conversation/  applies one resident input in one transaction
//	followup/      units, routing, the lifecycle, deadlines
//	officedesk/    officials in chat and residents hearing back
//	digest/        officials' digests; report/: figures
//	campaign/      campaigns' conversations, grouping, QR; campaigns/: their service
//	calendar/      working days; redact/: personal identifiers hidden in text
//	wording/       the one catalogue of the texts people read, per language
//	storage/       PostgreSQL and SQLite
//	bot/           the Telegram channel
//	web/           HTTP: console, studio, Open311
//	config/        settings
//	cmd/langnghe/  wiring and commands; cmd/loadgen/: the load generator
package langnghe

import (
	"time"

	"langnghe/wording"
)

// Languages the default content ships. A resident's language falls back to
// a flow's base language when a text lacks a translation.
const (
	LangVI = "vi"
	LangEN = "en"
	LangZH = "zh"
)

// LegalTrack is the legal nature of an opinion. A chat message can only be
// feedback; complaints and denunciations are recognised, the resident is told
// the formal route, and the message is kept as reference information.
type LegalTrack string

const (
	TrackFeedback     LegalTrack = "feedback"     // phản ánh, kiến nghị
	TrackComplaint    LegalTrack = "complaint"    // khiếu nại
	TrackDenunciation LegalTrack = "denunciation" // tố cáo
)

// Valid reports whether t is one of the known tracks.
func (t LegalTrack) Valid() bool {
	switch t {
	case TrackFeedback, TrackComplaint, TrackDenunciation:
		return true
	}
	return false
}

// Status is where an opinion is in its lifecycle.
type Status string

const (
	StatusReceived   Status = "received"
	StatusForwarded  Status = "forwarded"
	StatusInProgress Status = "in_progress"
	StatusExtended   Status = "extended"
	StatusReopened   Status = "reopened"
	StatusAnswered   Status = "answered"
	StatusClosed     Status = "closed"
	StatusRejected   Status = "rejected"
	StatusRedirected Status = "redirected"
	StatusDuplicate  Status = "duplicate"
)

// Statuses are the lifecycle's statuses, the open ones first.
var Statuses = []Status{StatusReceived, StatusForwarded, StatusInProgress, StatusExtended, StatusReopened,
	StatusAnswered, StatusClosed, StatusRejected, StatusRedirected, StatusDuplicate}

// Name is the status as officials call it in lang (the catalogue's
// status.*; residents are told in longer sentences of their own,
// chat.status.*); an unknown status is its code.
func (s Status) Name(lang string) string {
	if key := "status." + string(s); wording.Has(key) {
		return wording.Text(lang, key)
	}
	return string(s)
}

// Open reports whether the opinion still waits for the board (Open311 "open").
func (s Status) Open() bool {
	switch s {
	case StatusReceived, StatusForwarded, StatusInProgress, StatusExtended, StatusReopened:
		return true
	}
	return false
}

// Category is an entry of the catalogue. Code is a stable identifier used in
// reports, the API and routing; the rest is admin-editable.
type Category struct {
	Code  string            `yaml:"code" json:"code"`
	Names map[string]string `yaml:"names" json:"names"`
	// ServiceDays is the service level in working days.
	ServiceDays int `yaml:"service_days" json:"service_days"`
	// Keywords feed the classifier; matched after folding diacritics, so
	// "so do" matches "sổ đỏ". Weight is implied by length (phrases beat words).
	Keywords []string `yaml:"keywords" json:"keywords,omitempty"`
	// Emergency categories point to the emergency numbers at once instead of
	// queueing an opinion.
	Emergency bool `yaml:"emergency,omitempty" json:"emergency,omitempty"`
}

// Name returns the category's name in lang, falling back to Vietnamese.
func (c Category) Name(lang string) string { return pick(c.Names, lang) }

// Area is a node of the configurable area tree (city → commune/ward → hamlet).
// Former units stay in the tree (Active false) so old opinions keep their
// place and residents who still name them are understood.
type Area struct {
	Code   string            `yaml:"code" json:"code"`
	Parent string            `yaml:"parent,omitempty" json:"parent,omitempty"`
	Kind   string            `yaml:"kind" json:"kind"` // city, ward, commune, town, hamlet, ...
	Names  map[string]string `yaml:"names" json:"names"`
	// Aliases are other ways residents name the area (without diacritics,
	// shorthand); matching also folds diacritics by itself.
	Aliases []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	// Active is false for units dissolved by a reorganisation; ReplacedBy
	// names the unit that took over.
	Active     bool   `yaml:"active" json:"active"`
	ReplacedBy string `yaml:"replaced_by,omitempty" json:"replaced_by,omitempty"`
}

// Name returns the area's name in lang, falling back to Vietnamese.
func (a Area) Name(lang string) string { return pick(a.Names, lang) }

// Catalogue is the admin-editable reference data flows refer to.
type Catalogue struct {
	Version    string     `yaml:"version" json:"version"`
	Categories []Category `yaml:"categories" json:"categories"`
	Areas      []Area     `yaml:"areas" json:"areas"`
}

// Category returns the category with code.
func (c *Catalogue) Category(code string) (Category, bool) {
	for _, cat := range c.Categories {
		if cat.Code == code {
			return cat, true
		}
	}
	return Category{}, false
}

// Area returns the area with code.
func (c *Catalogue) Area(code string) (Area, bool) {
	for _, a := range c.Areas {
		if a.Code == code {
			return a, true
		}
	}
	return Area{}, false
}

func pick(m map[string]string, lang string) string {
	if s, ok := m[lang]; ok && s != "" {
		return s
	}
	return m[LangVI]
}

// Channel names where a resident talks to us.
const (
	ChannelTelegram = "telegram"
	ChannelTerminal = "terminal"
)

// Resident is a person who talks to the bot. Personal fields are empty after
// the resident asks for their data to be deleted.
type Resident struct {
	ID         int64     `db:"id" json:"id"`
	Channel    string    `db:"channel" json:"channel"`
	ExternalID string    `db:"external_id" json:"external_id"` // e.g. Telegram user id
	ChatID     string    `db:"chat_id" json:"chat_id"`
	Name       string    `db:"name" json:"name,omitempty"`
	Phone      string    `db:"phone" json:"phone,omitempty"`
	Language   string    `db:"language" json:"language"`
	Blocked    bool      `db:"blocked" json:"blocked"`
	CreatedAt  time.Time `db:"created_at" json:"created_at"`
	UpdatedAt  time.Time `db:"updated_at" json:"updated_at"`
}

// Consent records one explicit answer to a versioned notice, per purpose.
// Silence is not consent: only a recorded Granted=true counts.
type Consent struct {
	ResidentID    int64     `db:"resident_id" json:"resident_id"`
	Purpose       string    `db:"purpose" json:"purpose"`
	NoticeVersion string    `db:"notice_version" json:"notice_version"`
	Granted       bool      `db:"granted" json:"granted"`
	At            time.Time `db:"at" json:"at"`
	// AreaCode is the area a consent to announcements is for: the
	// resident hears the announcements of campaigns that address it (or
	// an area above it). Empty for other purposes.
	AreaCode string `db:"area_code" json:"area,omitempty"`
}

// Consent purposes. Each is asked on its own, never bundled with another:
// agreeing to be contacted about one's opinions says nothing about
// announcements, and the other way round.
const (
	// ConsentContact: keeping the resident's name and phone so that
	// officials can contact them about their opinions (the welcome asks).
	ConsentContact = "contact"
	// ConsentAnnouncements: receiving the board's announcements of
	// campaigns (consultations, dialogue conferences) for the resident's
	// area. Asked once, after a first opinion or campaign answer;
	// withdrawn with a command or the button under each announcement.
	ConsentAnnouncements = "announcements"
)

// ContactGiven reports whether the latest of cs's answers to the contact
// notice was yes. Silence is not consent: no answer means no.
func ContactGiven(cs []Consent) bool {
	granted, at := false, time.Time{}
	for _, c := range cs {
		if c.Purpose == ConsentContact && !c.At.Before(at) {
			granted, at = c.Granted, c.At
		}
	}
	return granted
}

// Attachment is a photo or document a resident sent with an opinion.
type Attachment struct {
	Kind     string `json:"kind"` // photo, document
	FileID   string `json:"file_id,omitempty"`
	Name     string `json:"name,omitempty"`
	MIME     string `json:"mime,omitempty"`
	Size     int64  `json:"size,omitempty"`
	StoredAt string `json:"stored_at,omitempty"` // where the bytes were kept, if fetched
}

// Location is a point a resident shared.
type Location struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// Opinion is one resident concern the board follows up. Code is what the
// resident sees (e.g. DT-2026-000123).
type Opinion struct {
	ID         int64      `json:"id"`
	Code       string     `json:"code"`
	ResidentID *int64     `json:"resident_id,omitempty"` // nil once personal data is deleted
	Anonymous  bool       `json:"anonymous"`
	Category   string     `json:"category"`
	LegalTrack LegalTrack `json:"legal_track"`
	AreaCode   string     `json:"area,omitempty"`
	// PlaceText is the place as the resident wrote it ("ấp Hòa Cường",
	// "minh hoa"), next to the area code it was resolved to: NFC, at most
	// MaxPlaceText runes, phone numbers and the like redacted when stored.
	PlaceText string `json:"place_text,omitempty"`
	Text      string `json:"text"`
	Language  string `json:"language"`
	Channel   string `json:"channel"`
	Status    Status `json:"status"`
	// Contact is given only when the resident chose to be reachable by the
	// handling unit; anonymous opinions still reach the resident through the bot.
	ContactName  string            `json:"contact_name,omitempty"`
	ContactPhone string            `json:"contact_phone,omitempty"`
	Location     *Location         `json:"location,omitempty"`
	Attachments  []Attachment      `json:"attachments,omitempty"`
	Answers      map[string]string `json:"answers,omitempty"`
	Confidence   float64           `json:"confidence"`
	FlowID       string            `json:"flow_id"`
	FlowRevision int               `json:"flow_revision"`
	CreatedAt    time.Time         `json:"created_at"`
	UpdatedAt    time.Time         `json:"updated_at"`
	DueAt        time.Time         `json:"due_at"`
	// Unit is the code of the unit the opinion is routed or forwarded to
	// ("" until routed).
	Unit string `json:"unit,omitempty"`
	// AnsweredAt is when the latest answer was given; reports measure
	// "answered on time" against DueAt with it.
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
	// Rating is the resident's verdict on the latest answer: "",
	// RatingSatisfied or RatingNotSatisfied.
	Rating string `json:"rating,omitempty"`
	// DuplicateOf is the code of the opinion this one repeats.
	DuplicateOf string `json:"duplicate_of,omitempty"`
	// Assignee is the id of the official of Unit the opinion is given to
	// (0: nobody yet). Only an official of that unit can hold it: it is
	// cleared when the opinion leaves the unit, or the official does.
	Assignee int64 `json:"assignee_id,omitempty"`
}

// MaxPlaceText is how many runes of the place as the resident wrote it an
// opinion keeps (Opinion.PlaceText).
const MaxPlaceText = 200

// Ratings a resident gives an answer.
const (
	RatingSatisfied    = "satisfied"
	RatingNotSatisfied = "not_satisfied"
)

// Message is a reply to a chat, independent of the channel. Text is plain
// text: channels must not interpret markup in it, since it carries
// residents' words.
type Message struct {
	Text string `json:"text"`
	// Buttons are inline choices, rows of buttons. Data is opaque to the
	// channel and comes back unchanged when the button is pressed.
	Buttons [][]Button `json:"buttons,omitempty"`
	// Request asks the client for a one-tap share: "contact" or "location".
	Request string `json:"request,omitempty"`
	// RemoveKeyboard takes away a reply keyboard shown by an earlier Request.
	RemoveKeyboard bool `json:"remove_keyboard,omitempty"`
	// Regarding, when set, is what a reply to this message is about. The
	// channel records the id it sent the message as (ReplyTarget), so a
	// reply is matched by that id, whatever the text the reply quotes.
	Regarding *Regarding `json:"regarding,omitempty"`
	// Consent, when set, is the consent purpose the message needs in
	// force when it is sent (ConsentAnnouncements): the sender checks it
	// again just before sending and drops the message if the resident
	// withdrew meanwhile.
	Consent string `json:"consent,omitempty"`
}

// Regarding is the opinion a reply to a message is about, and what the
// reply does to it.
type Regarding struct {
	Opinion string `json:"opinion"` // its code
	Reply   string `json:"reply"`   // ReplyAnswer or ReplyReason
}

// What a reply to a message regarding an opinion does.
const (
	// ReplyAnswer: an official's reply to a message about one opinion (its
	// notification, the answer prompt, the opinion shown) answers the
	// resident.
	ReplyAnswer = "answer"
	// ReplyReason: a resident's reply to the question why they are not
	// satisfied with an answer is their reason.
	ReplyReason = "reason"
)

// ReplyTarget is a delivered message that regards an opinion, under the
// channel's own id for it in its chat: a reply names that id.
type ReplyTarget struct {
	Channel, ChatID string
	MessageID       string // the channel's id of the message, in the chat
	Regarding
}

// Button is one inline choice.
type Button struct {
	Label string `json:"label"`
	Data  string `json:"data"`
}

// Message requests a channel can make of a client.
const (
	RequestContact  = "contact"
	RequestLocation = "location"
)
