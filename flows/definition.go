package flows

import (
	"slices"
	"strconv"
	"time"
)

// Definition is one validated flow, ready for the engine. It is immutable
// once parsed; the caller stores revisions and sets Revision when it
// publishes one.
type Definition struct {
	ID           string
	File         string // the file name it was parsed from, for messages
	Revision     int
	BaseLanguage string
	Languages    []string
	// Source is the file as the admin wrote it, for export and revisions.
	Source []byte

	start string
	nodes map[string]*node
	// Flows this one enters or switches to; checked across a set by CheckLinks.
	links []link
}

// Nodes returns the number of nodes in the flow.
func (d *Definition) Nodes() int { return len(d.nodes) }

// link is a reference to another flow, kept with its place for CheckLinks.
type link struct {
	flow         string
	node         string
	line, column int
}

// node is one step of a flow: it says its messages, does its action, and
// then either waits (ask), sorts (router, classify), enters another flow,
// or follows its exit.
type node struct {
	id       string
	line     int // where the node starts in the file, for editors
	say      []*text
	action   *action
	ask      *ask
	router   *router
	classify *classifyStep
	faq      string // the answer key whose words are looked up in the FAQ
	enter    string // sub-flow: continue at exit "done" when it ends
	switchTo string // replace the current flow
	exits    map[string]string
	next     string // the exit for any outcome without its own
}

// exit returns the node an outcome leads to, or "" when the flow ends.
func (n *node) exit(outcome string) string {
	if t, ok := n.exits[outcome]; ok {
		return t
	}
	return n.next
}

// Action types.
const (
	ActionSubmit        = "submit"          // build the opinion, emit EventOpinion
	ActionConsent       = "consent"         // emit EventConsent
	ActionSetLanguage   = "set_language"    // change the session's language, emit EventLanguage
	ActionListOpinions  = "list_opinions"   // emit EventListOpinions
	ActionShowData      = "show_data"       // emit EventShowData
	ActionDeleteData    = "delete_data"     // emit EventDeleteData
	ActionStayAnonymous = "stay_anonymous"  // drop the contact from the opinion being written
	ActionSetTrack      = "set_track"       // the legal track the resident chose (to)
	ActionUseSavedPhone = "use_saved_phone" // the opinion carries the number the resident left before
	// ActionRecordResponse emits EventResponse: the answers so far are one
	// response to the campaign whose conversation this flow is.
	ActionRecordResponse = "record_response"
)

type action struct {
	kind string
	// consent
	purpose, noticeVersion string
	granted                bool
	// set_language: a fixed language or the answer holding one
	to, from string
	// submit: the answer holding the opinion's text, and the category when
	// none was detected
	textKey, category string
}

// Ask kinds.
const (
	AskText       = "text"
	AskChoice     = "choice"
	AskYesNo      = "yes_no"
	AskNumber     = "number"
	AskPhone      = "phone"
	AskDate       = "date"
	AskArea       = "area"
	AskLocation   = "location"
	AskContact    = "contact"
	AskAttachment = "attachment"
	// AskCategory offers the classifier's top categories as buttons.
	AskCategory = "category"
	// AskScale asks for a whole number from min to max (default 1 to 5):
	// a row of number buttons, or one button a point when options label
	// the points; typed "4", "4/5", "4 điểm" or "bốn" answer it too.
	AskScale = "scale"
)

// Scale limits: a scale has 2 to MaxScalePoints points.
const (
	DefaultScaleMin = 1
	DefaultScaleMax = 5
	MaxScalePoints  = 10
)

// Outcomes that are not option values.
const (
	OutcomeOK               = "ok"
	OutcomeYes              = "yes"
	OutcomeNo               = "no"
	OutcomeRetriesExhausted = "retries_exhausted"
	OutcomeNoResponse       = "no_response"
	OutcomeDone             = "done"
	OutcomeNext             = "next"
	OutcomeSure             = "sure"
	OutcomeUnsure           = "unsure"
	OutcomeEmergency        = "emergency"
	OutcomeComplaint        = "complaint"
	OutcomeDenunciation     = "denunciation"
	// OutcomeTrack: the text reads as a complaint or a denunciation, or
	// names one; the flow asks the resident which they mean, since the
	// suggestion alone must never decide it.
	OutcomeTrack = "track"
	// OutcomeText: a choice got words that name no option (free_text).
	OutcomeText = "text"
	// OutcomeAnswered and OutcomeNone: the FAQ answered the question, or
	// has no answer for it.
	OutcomeAnswered = "answered"
	OutcomeNone     = "none"
)

type ask struct {
	kind     string
	key      string
	message  *text
	retry    *text
	retries  int
	timeout  time.Duration
	options  []option
	min, max *float64 // number range; text length; a scale's ends
	// freeText, on a choice, keeps words that name no option under
	// freeTextKey (at least freeTextMin characters) and leaves by "text".
	freeTextKey string
	freeTextMin int
	// passOn: typed words that answer nothing end the conversation and
	// are taken as if none were running (a concern goes on to the menu),
	// rather than asked again: for a question the resident may ignore.
	passOn bool
}

// scale returns a scale ask's ends.
func (a *ask) scale() (lo, hi int) { return int(*a.min), int(*a.max) }

// point reports whether value names a point of a scale ask.
func (a *ask) point(value string) bool {
	if a.kind != AskScale {
		return false
	}
	n, err := strconv.Atoi(value)
	lo, hi := a.scale()
	return err == nil && n >= lo && n <= hi && strconv.Itoa(n) == value
}

// labelledPoints reports whether options label a scale's points, which
// then take a row each; bare numbers share one row.
func (a *ask) labelledPoints() bool {
	return slices.ContainsFunc(a.options, func(o option) bool { return a.point(o.value) })
}

type option struct {
	value string
	label *text
}

type router struct {
	on    *text // rendered, then matched
	cases []routerCase
	def   string
}

type routerCase struct {
	equals   string   // folded comparison
	anyOf    []string // folded words or phrases contained
	category string   // the detected category is this
	area     string   // the chosen area is this
	empty    bool     // the value is empty
	outcome  string
}

type classifyStep struct {
	textKey   string
	threshold float64 // 0: the classifier's own sense of sure
	choices   int     // how many categories to offer when unsure
}
