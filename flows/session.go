package flows

import (
	"maps"
	"slices"
	"time"

	"langnghe"
)

// SessionVersion is the format version of Session documents. Bump it when a
// change would make an older stored session mean something else.
const SessionVersion = 1

// Session is one resident's conversation, stored between turns as a compact
// JSON document. It names the flow revision it runs and never copies the
// definition, so a published edit does not change a running conversation.
type Session struct {
	Version int `json:"v"`
	// Flow and Revision are the flow the session is in now; Stack holds the
	// flows that entered it, each pinned to its own revision.
	Flow     string  `json:"flow"`
	Revision int     `json:"rev"`
	Stack    []Frame `json:"stack,omitempty"`
	// Node is the ask the session waits at; empty once it has ended.
	Node string `json:"node,omitempty"`
	// Wait counts the questions asked; buttons carry it so a stale button
	// is recognised.
	Wait     int       `json:"wait"`
	Retries  int       `json:"retries,omitempty"`
	Deadline time.Time `json:"deadline,omitzero"` // when the wait's "no response" is due
	// Choices are the values offered at this wait when they are not in the
	// flow file: the classifier's categories, the matching areas.
	Choices []string `json:"choices,omitempty"`
	// Requested is set while a one-tap share keyboard is showing, so the
	// next message takes it away.
	Requested bool `json:"requested,omitempty"`
	// ConfirmCancel is set while the resident is asked whether words such
	// as "không gửi nữa" mean to drop the conversation.
	ConfirmCancel bool `json:"confirm_cancel,omitempty"`

	// Then is the flow the resident came for (a campaign's deep link)
	// while the welcome's steps come first: it begins in place of the menu
	// the first time the conversation would go there, or end.
	Then string `json:"then,omitempty"`

	Language string `json:"lang"`
	Name     string `json:"name,omitempty"`
	Consent  bool   `json:"consent,omitempty"` // the resident granted the contact purpose
	// AnnouncementsAsked: the resident answered the announcements notice
	// (StartOptions.AnnouncementsAsked).
	AnnouncementsAsked bool              `json:"announcements_asked,omitempty"`
	Answers            map[string]string `json:"answers,omitempty"`

	Category   string              `json:"category,omitempty"`
	Track      langnghe.LegalTrack `json:"track,omitempty"`
	Confidence float64             `json:"confidence,omitempty"`
	// Candidates are the classifier's top categories, best first.
	Candidates []string `json:"candidates,omitempty"`
	Area       string   `json:"area,omitempty"`
	// Suggested is the area the description names, offered at the area
	// ask while it waits.
	Suggested string `json:"suggested,omitempty"`
	// PlaceText is the place as the resident wrote it (or the one they
	// confirmed), kept beside the area code for officials.
	PlaceText string `json:"place_text,omitempty"`
	Phone     string `json:"phone,omitempty"`
	// SavedPhone is the number the resident left before, to offer back.
	SavedPhone  string                `json:"saved_phone,omitempty"`
	ContactName string                `json:"contact_name,omitempty"`
	Anonymous   bool                  `json:"anonymous,omitempty"`
	Location    *langnghe.Location    `json:"location,omitempty"`
	Attachments []langnghe.Attachment `json:"attachments,omitempty"`
	// FAQ is the answer a faq node found, for the messages after it.
	FAQ string `json:"faq,omitempty"`
	// OpinionCode and OpinionDue are set by a submit, for the messages after it.
	OpinionCode string    `json:"opinion_code,omitempty"`
	OpinionDue  time.Time `json:"opinion_due,omitzero"`
}

// Frame is a flow waiting for the sub-flow it entered to end.
type Frame struct {
	Flow     string `json:"flow"`
	Revision int    `json:"rev"`
	Node     string `json:"node"` // the node that entered; its "done" exit leads on
}

// Stop ends the conversation where it is, as if it had reached an end:
// nothing waits any more and no timeout is due. The wait counter stays, so
// the buttons already sent stay stale. The caller uses it when what the
// flow was about to say no longer holds (a campaign that closed while
// the resident answered).
func (s *Session) Stop() {
	s.Node, s.Stack, s.Deadline, s.Choices, s.Retries, s.ConfirmCancel, s.Then = "", nil, time.Time{}, nil, 0, false, ""
}

// Waiting reports whether the session waits for the resident's input.
func (s *Session) Waiting() bool { return s != nil && s.Node != "" }

// clone returns a deep copy, so a turn never changes the caller's session.
func (s *Session) clone() *Session {
	c := *s
	c.Stack = slices.Clone(s.Stack)
	c.Choices = slices.Clone(s.Choices)
	c.Answers = maps.Clone(s.Answers)
	c.Candidates = slices.Clone(s.Candidates)
	c.Attachments = slices.Clone(s.Attachments)
	if s.Location != nil {
		loc := *s.Location
		c.Location = &loc
	}
	return &c
}

// MaxAttachments caps the photos and documents one opinion carries.
const MaxAttachments = 10
