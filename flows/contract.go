package flows

import (
	"time"

	"langnghe"
)

// This file is the contract between the engine and its callers
// (conversation/, the simulator): what comes out, and what the caller must
// provide. What goes in, langnghe.Input, is the channels' word, at the root.
// The engine itself is pure.

// Global commands interrupt any wait. The words residents name them by,
// slash commands (/huy, /cancel) and typed messages, are in Commands.
const (
	CommandStart    = "start"
	CommandMenu     = "menu"
	CommandCancel   = "cancel"
	CommandHelp     = "help"
	CommandLanguage = "language"
	// Commands that start a flow of the same name in the default content.
	CommandMyOpinions = "my_opinions"
	CommandMyData     = "my_data"
	CommandDeleteData = "delete_data"
	// CommandStopAnnouncements withdraws the consent to announcements at
	// once (no question asked): the command, or the button at the bottom
	// of each announcement (CommandButton).
	CommandStopAnnouncements = "stop_announcements"
)

// EventType says what the caller must do with an event.
type EventType string

const (
	// EventMessage: send Message to the resident, in order.
	EventMessage EventType = "message"
	// EventAnswer: the resident answered Key with Value (for reports).
	EventAnswer EventType = "answer"
	// EventOpinion: store Opinion (its Code came from Env.NewOpinionCode).
	EventOpinion EventType = "opinion"
	// EventConsent: record Consent for the resident.
	EventConsent EventType = "consent"
	// EventLanguage: the resident chose Language.
	EventLanguage EventType = "language"
	// EventListOpinions: show the resident their opinions and statuses
	// (the engine has no storage; the caller answers this).
	EventListOpinions EventType = "list_opinions"
	// EventShowData: show the resident what is stored about them.
	EventShowData EventType = "show_data"
	// EventDeleteData: the resident confirmed the deletion of their personal
	// data; the caller deletes it (opinions stay, unlinked).
	EventDeleteData EventType = "delete_data"
	// EventEmergency: the resident reported danger happening now; the
	// engine already told them the numbers. The caller stores Emergency and
	// alerts the unit designated for emergencies at once.
	EventEmergency EventType = "emergency"
	// EventResponse: store Response, one response to the campaign whose
	// conversation this flow is (record_response). The caller finds the
	// campaign by Response.FlowID, says who responded, and keeps the
	// answers of the campaign's questions.
	EventResponse EventType = "response"
	// EventWait: the session waits for input; Timeout, when non-zero, is
	// when the caller should resume it with an InputTimeout.
	EventWait EventType = "wait"
	// EventEnd: the session ended.
	EventEnd EventType = "end"
	// EventError: the flow misbehaved (step cap, missing node); Message is
	// for the log, the resident already got a polite message event.
	EventError EventType = "error"
)

// ConsentRecord is an explicit answer to a versioned notice.
type ConsentRecord struct {
	Purpose       string `json:"purpose"`
	NoticeVersion string `json:"notice_version"`
	Granted       bool   `json:"granted"`
	// Area is the area a consent to announcements is for: the session's
	// area (the opinion's, the campaign answer's, or asked); "" when none.
	Area string `json:"area,omitempty"`
}

// Event is one effect of a turn. Exactly the fields its Type names are set.
type Event struct {
	Type    EventType         `json:"type"`
	Message *langnghe.Message `json:"message,omitempty"`
	Key     string            `json:"key,omitempty"`
	Value   string            `json:"value,omitempty"`
	Opinion *langnghe.Opinion `json:"opinion,omitempty"`
	// Response has AreaCode, Language, Answers (every answer of the
	// session), FlowID, FlowRevision and CreatedAt set.
	Response *langnghe.CampaignResponse `json:"response,omitempty"`
	// Emergency has Kind, Text, AreaCode and At set; the caller adds who
	// reported it and the unit alerted.
	Emergency *langnghe.Emergency `json:"emergency,omitempty"`
	Consent   *ConsentRecord      `json:"consent,omitempty"`
	Language  string              `json:"language,omitempty"`
	Timeout   time.Time           `json:"timeout,omitzero"`
	Error     string              `json:"error,omitempty"`
}
