package flows

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"langnghe"
	"langnghe/flows/catalogue"
	"langnghe/flows/classify"
	"langnghe/flows/vntext"
	"langnghe/wording"
)

// FlowSource gives the engine flow definitions. Revision 0 asks for the
// published revision; a session asks for the revision it is pinned to.
type FlowSource interface {
	Flow(id string, revision int) (*Definition, error)
}

// Classifier sorts a resident's words into a category and legal track.
type Classifier interface {
	Classify(text string) classify.Result
}

// Env is everything a turn depends on besides the session and the input.
// The engine is deterministic given Env: no clock, randomness or I/O of its
// own.
type Env struct {
	Flows      FlowSource
	Catalogue  *langnghe.Catalogue
	Classifier Classifier
	Now        func() time.Time
	// NewOpinionCode reserves an opinion code; the caller does it inside
	// the turn's transaction.
	NewOpinionCode func() (string, error)
	// DueDate counts working days on the caller's calendar.
	DueDate func(from time.Time, workingDays int) time.Time
	// TimeZone is where the dates a resident reads are told
	// (LANGNGHE_TIMEZONE); nil means Vietnam's time.
	TimeZone *time.Location
	// MaxSteps caps the nodes one turn may visit; 0 means DefaultMaxSteps.
	MaxSteps int
	// Hotline gives the local hotline for an area code ("" when there is
	// none); an emergency reply adds it after the national numbers.
	Hotline func(areaCode string) string
	// Reception gives the unit that receives a complaint or a denunciation
	// in person for an area ("" area: not known yet), with its citizen
	// reception set; ok is false when none is configured.
	Reception func(areaCode string, track langnghe.LegalTrack) (langnghe.Unit, bool)
	// Office gives the unit an opinion of this category, area and track
	// is routed to, for the receipt to name; ok is false when none
	// matches yet.
	Office func(category, areaCode string, track langnghe.LegalTrack) (langnghe.Unit, bool)
	// FAQ answers a resident's question in lang from the admins' FAQ; ok
	// is false when the words are not a question it knows.
	FAQ func(lang, text string) (answer string, ok bool)
}

// DefaultMaxSteps is the step cap of a turn when Env.MaxSteps is 0. The
// longest default path visits about 15 nodes in one turn.
const DefaultMaxSteps = 100

// DefaultServiceDays is the deadline of an opinion whose category has no
// service level.
const DefaultServiceDays = 10

// ictZone is Vietnam's time (Asia/Ho_Chi_Minh has had no DST since 1975),
// fixed so that an Env without a TimeZone needs no time zone database.
var ictZone = time.FixedZone("ICT", 7*60*60)

// timeZone is where dates are told to the resident.
func (env *Env) timeZone() *time.Location {
	if env.TimeZone == nil {
		return ictZone
	}
	return env.TimeZone
}

// StartOptions describe the resident a session starts for.
type StartOptions struct {
	Language string // "vi", "en", "zh" or a client hint such as "en-US"
	Name     string
	// Consent is true when the resident has already granted the consent
	// that lets an opinion carry their contact.
	Consent bool
	// Phone is the number a returning resident left before (kept with
	// their consent), offered back instead of asked again.
	Phone string
	// AnnouncementsAsked is true when the resident has answered the
	// announcements notice (yes or no, or withdrawn since): it is never
	// asked again ({{.announcements_asked}}).
	AnnouncementsAsked bool
	// Then is a flow to go on with once the flow started first would go to
	// the menu or end: a first-time resident who opened a campaign's deep
	// link hears the language and consent steps, then the campaign.
	Then string
}

// Start begins flowID's published revision and runs it to its first wait.
// in is the input that opened the conversation; only its time is used, as
// a flow's first question comes before any answer.
func Start(env *Env, flowID string, opts StartOptions, in langnghe.Input) (*Session, []Event, error) {
	if err := env.check(); err != nil {
		return nil, nil, err
	}
	t := &turn{env: env, s: NewSession(opts), now: env.Now()}
	if !t.emergency(in) { // before the language or the consent: never after them
		t.opening(in)
	}
	if err := t.begin(flowID); err != nil {
		return nil, nil, err
	}
	return t.finish()
}

// NewSession returns an idle session for a resident who has no
// conversation yet: Resume on it treats the input as it would at the end
// of a conversation (a command starts its flow, anything else the menu).
func NewSession(opts StartOptions) *Session {
	s := &Session{Version: SessionVersion, Language: languageTag(opts.Language), Name: vntext.Normalize(opts.Name), Consent: opts.Consent,
		AnnouncementsAsked: opts.AnnouncementsAsked, Then: opts.Then}
	if opts.Consent {
		s.SavedPhone = opts.Phone
	}
	return s
}

// Resume applies one input to a copy of s and runs the flow to its next
// wait or end. s itself is never changed, so the caller can discard a
// failed turn. Errors mean a broken environment (a flow or revision not
// found, a code that could not be reserved); a mis-wired flow instead ends
// with an EventError and a polite message.
func Resume(env *Env, s *Session, in langnghe.Input) (*Session, []Event, error) {
	t, err := newTurn(env, s, "resume")
	if err != nil {
		return nil, nil, err
	}
	if in.Kind == langnghe.InputText {
		if cmd, ok := typedCommands[foldAnswer(in.Text)]; ok {
			in = langnghe.Input{Kind: langnghe.InputCommand, Command: cmd, At: in.At}
		}
	}
	if in.Kind == langnghe.InputButton {
		if cmd, ok := commandOfButton(in.Data); ok {
			in = langnghe.Input{Kind: langnghe.InputCommand, Command: cmd, At: in.At}
		}
	}
	if t.emergency(in) {
		// The numbers went first; the conversation goes on where it was:
		// words that answer the question (a description that tells of
		// danger) are its answer, anything else gets the same question
		// again, and a resident who had none the menu.
		switch {
		case t.s.Waiting() && t.answersText(in):
		case t.s.Waiting():
			if err := t.askAgain("emergency_go_on"); err != nil {
				return nil, nil, err
			}
			return t.finish()
		default:
			in = langnghe.Input{Kind: langnghe.InputCommand, Command: CommandMenu, At: in.At}
		}
	}
	if t.s.ConfirmCancel && in.Kind != langnghe.InputCommand && in.Kind != langnghe.InputTimeout {
		cancel, again := t.confirmedCancel(in)
		switch {
		case cancel:
			in = langnghe.Input{Kind: langnghe.InputCommand, Command: CommandCancel, At: in.At}
		case again:
			if err := t.askAgain("go_on"); err != nil {
				return nil, nil, err
			}
			return t.finish()
		}
	} else if in.Kind == langnghe.InputText && cancelWords(in.Text) {
		if t.s.Waiting() && t.s.Flow != commands[CommandMenu].Flow {
			t.confirmCancel()
			return t.finish()
		}
		// Nothing is being written: the words are not a concern to send,
		// and the resident hears that nothing went out.
		t.send(langnghe.Message{Text: wording.Text(t.s.Language, "engine.nothing_to_cancel")})
		in = langnghe.Input{Kind: langnghe.InputCommand, Command: CommandMenu, At: in.At}
	}
	switch {
	case in.Kind == langnghe.InputCommand:
		if err := t.command(in.Command); err != nil {
			return nil, nil, err
		}
	case !t.s.Waiting():
		if in.Kind == langnghe.InputTimeout {
			return t.finish() // a timer that outlived its conversation
		}
		// A finished conversation goes on with the menu, and words typed
		// into it are the answer to the menu: most people start by
		// typing their concern.
		asked := len(t.events)
		if err := t.restart(commands[CommandMenu].Flow); err != nil {
			return nil, nil, err
		}
		if in.Kind == langnghe.InputText {
			t.answerOpening(asked, in)
		}
	default:
		def, err := env.Flows.Flow(t.s.Flow, t.s.Revision)
		if err != nil {
			return nil, nil, fmt.Errorf("load flow %q revision %d: %w", t.s.Flow, t.s.Revision, err)
		}
		t.def = def
		n := def.nodes[t.s.Node]
		if n == nil || n.ask == nil {
			t.fail(fmt.Sprintf("flow %q revision %d has no ask %q to resume at", t.s.Flow, t.s.Revision, t.s.Node))
			break
		}
		t.resumeAt(n, in)
	}
	return t.finish()
}

// Open begins flowID's published revision for the resident of s, in place
// of whatever s was doing, as a command begins its flow: who the resident
// is stays, and buttons of the old conversation go stale. then, when set,
// is a flow to go on with (StartOptions.Then). A campaign's deep link
// opens its conversation this way, or the welcome then the campaign for a
// first-time resident. s itself is never changed.
func Open(env *Env, s *Session, flowID, then string, in langnghe.Input) (*Session, []Event, error) {
	t, err := newTurn(env, s, "open")
	if err != nil {
		return nil, nil, err
	}
	if err := t.restartThen(flowID, then); err != nil {
		return nil, nil, err
	}
	return t.finish()
}

// newTurn starts a turn on a copy of s (what is named in errors), once the
// environment and the session are fit to run.
func newTurn(env *Env, s *Session, what string) (*turn, error) {
	if err := env.check(); err != nil {
		return nil, err
	}
	if s == nil {
		return nil, fmt.Errorf("%s: no session", what)
	}
	if s.Version != SessionVersion {
		return nil, fmt.Errorf("%s: session format version %d, want %d", what, s.Version, SessionVersion)
	}
	return &turn{env: env, s: s.clone(), now: env.Now()}, nil
}

func (env *Env) check() error {
	switch {
	case env == nil:
		return errors.New("flows: no environment")
	case env.Flows == nil:
		return errors.New("flows: environment has no flow source")
	case env.Now == nil:
		return errors.New("flows: environment has no clock")
	}
	return nil
}

// languageTag turns a client hint such as "en-US" into "en".
func languageTag(s string) string {
	s, _, _ = strings.Cut(strings.ToLower(strings.TrimSpace(s)), "-")
	if !langPattern.MatchString(s) {
		return langnghe.LangVI
	}
	return s
}

// turn is one run of the engine over a session.
type turn struct {
	env    *Env
	s      *Session
	def    *Definition
	now    time.Time
	steps  int
	events []Event
	err    error // the environment broke; the turn is discarded
	// alerted is set once this turn told the resident the emergency
	// numbers; the classifier's own verdict then does not repeat them.
	alerted bool
	// received memoises reception for the place and track it was looked
	// up for: every message renders the template data, and the look-up
	// reads the units file from the database.
	received struct {
		area  string
		track langnghe.LegalTrack
		data  map[string]string
	}
}

func (t *turn) finish() (*Session, []Event, error) {
	if t.err != nil {
		return nil, nil, t.err
	}
	return t.s, t.events, nil
}

// begin starts flowID's published revision in the current session.
func (t *turn) begin(flowID string) error {
	def, err := t.env.Flows.Flow(flowID, 0)
	if err != nil {
		return fmt.Errorf("load flow %q: %w", flowID, err)
	}
	t.def = def
	t.s.Flow, t.s.Revision = def.ID, def.Revision
	t.run(def.start)
	return t.err
}

// restart replaces the session with a new one running flowID, keeping who
// the resident is. The wait counter goes on, so buttons of the old
// conversation stay stale.
func (t *turn) restart(flowID string) error { return t.restartThen(flowID, "") }

// restartThen is restart with a flow to go on with (Session.Then).
func (t *turn) restartThen(flowID, then string) error {
	old := t.s
	saved := old.SavedPhone
	if old.Phone != "" && old.Consent {
		saved = old.Phone // the latest number the resident left
	}
	t.s = &Session{Version: SessionVersion, Wait: old.Wait, Language: old.Language, Name: old.Name,
		Consent: old.Consent, AnnouncementsAsked: old.AnnouncementsAsked, Phone: old.Phone, SavedPhone: saved, ContactName: old.ContactName,
		Requested: old.Requested, Then: then}
	return t.begin(flowID)
}

func (t *turn) command(name string) error {
	if name == CommandCancel {
		t.send(langnghe.Message{Text: wording.Text(t.s.Language, "engine.cancelled")})
		t.end()
		return nil
	}
	c, ok := commands[name]
	if !ok {
		t.send(langnghe.Message{Text: wording.Text(t.s.Language, "engine.unknown_command")})
		c = commands[CommandMenu]
	}
	return t.restart(c.Flow)
}

// run visits nodes from id until one waits or the flow ends.
func (t *turn) run(id string) {
	max := t.env.MaxSteps
	if max <= 0 {
		max = DefaultMaxSteps
	}
	for t.err == nil {
		if id == "" {
			var ok bool
			if id, ok = t.leaveFlow(); !ok {
				return
			}
			continue
		}
		t.steps++
		if t.steps > max {
			t.fail(fmt.Sprintf("flow %q revision %d: more than %d steps in one turn (a loop?) at node %q", t.def.ID, t.def.Revision, max, id))
			return
		}
		n := t.def.nodes[id]
		if n == nil {
			t.fail(fmt.Sprintf("flow %q revision %d: no node %q", t.def.ID, t.def.Revision, id))
			return
		}
		// The action comes first so the messages can show what it did
		// (the opinion's code, the new language).
		if n.action != nil && !t.do(n.action) {
			return
		}
		for _, say := range n.say {
			if text := t.render(say); text != "" {
				t.send(langnghe.Message{Text: text})
			}
		}
		switch {
		case n.ask != nil:
			t.ask(n)
			return
		case n.router != nil:
			id = n.exit(t.route(n.router))
		case n.classify != nil:
			outcome, ok := t.classify(n)
			if !ok {
				return
			}
			id = n.exit(outcome)
		case n.faq != "":
			id = n.exit(t.lookUpFAQ(n.faq))
		case n.enter != "":
			t.s.Stack = append(t.s.Stack, Frame{Flow: t.def.ID, Revision: t.def.Revision, Node: n.id})
			if !t.switchFlow(n.enter) {
				return
			}
			id = t.def.start
		case n.switchTo != "":
			if !t.switchFlow(t.then(n.switchTo)) {
				return
			}
			id = t.def.start
		default:
			id = n.next
		}
	}
}

// then is the flow to switch to instead of target ("" for the end of the
// conversation): the session's Then, once, when target is the menu or the
// end; target otherwise.
func (t *turn) then(target string) string {
	if t.s.Then == "" || (target != "" && target != commands[CommandMenu].Flow) {
		return target
	}
	then := t.s.Then
	t.s.Then = ""
	return then
}

// maxDepth caps nested sub-flows, so flows entering each other in a circle
// end with an error instead of growing the session without bound.
const maxDepth = 8

func (t *turn) switchFlow(flowID string) bool {
	if len(t.s.Stack) > maxDepth {
		t.fail(fmt.Sprintf("flow %q: sub-flows nested deeper than %d", flowID, maxDepth))
		return false
	}
	def, err := t.env.Flows.Flow(flowID, 0)
	if err != nil {
		t.fail(fmt.Sprintf("flow %q revision %d: load flow %q: %v", t.def.ID, t.def.Revision, flowID, err))
		return false
	}
	t.def = def
	t.s.Flow, t.s.Revision = def.ID, def.Revision
	return true
}

// leaveFlow returns to the flow that entered the current one and gives the
// node its "done" exit leads to; ok is false when the session ended.
func (t *turn) leaveFlow() (string, bool) {
	if len(t.s.Stack) == 0 {
		if then := t.then(""); then != "" {
			if !t.switchFlow(then) {
				return "", false
			}
			return t.def.start, true
		}
		t.end()
		return "", false
	}
	f := t.s.Stack[len(t.s.Stack)-1]
	t.s.Stack = t.s.Stack[:len(t.s.Stack)-1]
	def, err := t.env.Flows.Flow(f.Flow, f.Revision)
	if err != nil {
		t.err = fmt.Errorf("load flow %q revision %d: %w", f.Flow, f.Revision, err)
		return "", false
	}
	t.def = def
	t.s.Flow, t.s.Revision = def.ID, def.Revision
	n := def.nodes[f.Node]
	if n == nil {
		t.fail(fmt.Sprintf("flow %q revision %d: no node %q to return to", f.Flow, f.Revision, f.Node))
		return "", false
	}
	return n.exit(OutcomeDone), true
}

func (t *turn) end() {
	s := t.s
	s.Node, s.Stack, s.Choices, s.Deadline, s.Retries = "", nil, nil, time.Time{}, 0
	s.Then = ""
	t.events = append(t.events, Event{Type: EventEnd})
}

// fail ends a mis-wired conversation: the resident gets an apology, the
// log gets the reason.
func (t *turn) fail(reason string) {
	t.send(langnghe.Message{Text: wording.Text(t.s.Language, "engine.broken")})
	t.events = append(t.events, Event{Type: EventError, Error: reason})
	t.end()
}

func (t *turn) send(m langnghe.Message) {
	if t.s.Requested && m.Request == "" {
		m.RemoveKeyboard = true
		t.s.Requested = false
	}
	if m.Request != "" {
		t.s.Requested = true
	}
	t.events = append(t.events, Event{Type: EventMessage, Message: &m})
}

func (t *turn) render(x *text) string {
	s, err := x.render(t.s.Language, t.def.BaseLanguage, t.data)
	if err != nil {
		t.events = append(t.events, Event{Type: EventError, Error: fmt.Sprintf("flow %q revision %d: %v", t.def.ID, t.def.Revision, err)})
	}
	return s
}

// data is what templates see; see templateKeys.
func (t *turn) data() map[string]any {
	s := t.s
	answers := s.Answers
	if answers == nil {
		answers = map[string]string{}
	}
	opinion := map[string]string{"code": s.OpinionCode}
	if !s.OpinionDue.IsZero() {
		opinion["due"] = s.OpinionDue.In(t.env.timeZone()).Format(langnghe.DateLayout)
	}
	if s.OpinionCode != "" && t.env.Office != nil {
		if u, ok := t.env.Office(s.Category, s.Area, s.Track); ok {
			opinion["office"] = u.Name(s.Language)
		}
	}
	return map[string]any{
		"answers": answers, "name": s.Name, "opinion": opinion, "reception": t.reception(), "faq": s.FAQ,
		"category": t.categoryName(s.Category), "category_code": s.Category, "track": string(s.Track),
		"area": t.areaName(s.Area), "area_code": s.Area, "phone": s.Phone,
		"suggested_area": catalogue.Describe(t.env.Catalogue, s.Suggested, s.Language), "place": t.placeWritten(), "saved_phone": maskPhone(s.SavedPhone),
		"anonymous": s.Anonymous, "consent": s.Consent, "language": s.Language, "announcements_asked": s.AnnouncementsAsked,
	}
}

// reception is where the resident files a complaint or a denunciation in
// person: {{.reception.unit}}, address, hours, phone; empty for feedback or
// when none is configured.
func (t *turn) reception() map[string]string {
	s := t.s
	if t.env.Reception == nil || (s.Track != langnghe.TrackComplaint && s.Track != langnghe.TrackDenunciation) {
		return map[string]string{}
	}
	if r := &t.received; r.data != nil && r.area == s.Area && r.track == s.Track {
		return r.data
	}
	data := map[string]string{}
	if u, ok := t.env.Reception(s.Area, s.Track); ok && u.Reception.Set() {
		data = map[string]string{"unit": u.Name(s.Language), "address": u.Reception.Address,
			"hours": u.Reception.Hours, "phone": u.Reception.Phone}
	}
	t.received.area, t.received.track, t.received.data = s.Area, s.Track, data
	return data
}

func (t *turn) categoryName(code string) string {
	if c, ok := t.category(code); ok {
		return c.Name(t.s.Language)
	}
	return code
}

func (t *turn) category(code string) (langnghe.Category, bool) {
	if t.env.Catalogue == nil || code == "" {
		return langnghe.Category{}, false
	}
	return t.env.Catalogue.Category(code)
}

func (t *turn) areaName(code string) string {
	if t.env.Catalogue != nil && code != "" {
		if a, ok := t.env.Catalogue.Area(code); ok {
			return a.Name(t.s.Language)
		}
	}
	return code
}

// do runs an action; false means the turn cannot go on.
func (t *turn) do(a *action) bool {
	s := t.s
	switch a.kind {
	case ActionConsent:
		rec := &ConsentRecord{Purpose: a.purpose, NoticeVersion: a.noticeVersion, Granted: a.granted}
		if a.purpose == langnghe.ConsentAnnouncements {
			// Its own purpose: the contact consent stays as it was. The
			// announcements are for the area the conversation knows.
			s.AnnouncementsAsked = true
			rec.Area = s.Area
		} else {
			s.Consent = a.granted
		}
		t.events = append(t.events, Event{Type: EventConsent, Consent: rec})
	case ActionSetLanguage:
		lang := a.to
		if a.from != "" {
			lang = s.Answers[a.from]
		}
		if !langPattern.MatchString(lang) {
			t.fail(fmt.Sprintf("flow %q revision %d: set_language: %q is not a language", t.def.ID, t.def.Revision, lang))
			return false
		}
		s.Language = lang
		t.events = append(t.events, Event{Type: EventLanguage, Language: lang})
	case ActionListOpinions:
		t.events = append(t.events, Event{Type: EventListOpinions})
	case ActionShowData:
		t.events = append(t.events, Event{Type: EventShowData})
	case ActionDeleteData:
		s.Name, s.Phone, s.SavedPhone, s.ContactName, s.Consent, s.AnnouncementsAsked = "", "", "", "", false, false
		t.events = append(t.events, Event{Type: EventDeleteData})
	case ActionStayAnonymous:
		s.Anonymous = true
	case ActionUseSavedPhone:
		if s.SavedPhone != "" {
			s.Phone, s.Anonymous = s.SavedPhone, false
		}
	case ActionSetTrack:
		s.Track = langnghe.LegalTrack(a.to)
	case ActionSubmit:
		return t.submit(a)
	case ActionRecordResponse:
		answers := maps.Clone(s.Answers)
		if answers == nil {
			answers = map[string]string{}
		}
		t.events = append(t.events, Event{Type: EventResponse, Response: &langnghe.CampaignResponse{
			AreaCode: s.Area, Language: s.Language, Answers: answers,
			FlowID: t.def.ID, FlowRevision: t.def.Revision, CreatedAt: t.now}})
	}
	return true
}

// submit builds the opinion from what the session collected.
func (t *turn) submit(a *action) bool {
	s := t.s
	if t.env.NewOpinionCode == nil {
		t.err = errors.New("submit: environment has no opinion code source")
		return false
	}
	code, err := t.env.NewOpinionCode()
	if err != nil {
		t.err = fmt.Errorf("submit: reserve opinion code: %w", err)
		return false
	}
	catCode := s.Category
	if _, ok := t.category(catCode); !ok {
		catCode = a.category
	}
	days := DefaultServiceDays
	if c, ok := t.category(catCode); ok && c.ServiceDays > 0 {
		days = c.ServiceDays
	}
	due := t.now.AddDate(0, 0, days)
	if t.env.DueDate != nil {
		due = t.env.DueDate(t.now, days)
	}
	track := s.Track
	if !track.Valid() {
		track = langnghe.TrackFeedback
	}
	op := &langnghe.Opinion{
		Code: code, Category: catCode, LegalTrack: track, AreaCode: s.Area,
		Text: s.Answers[a.textKey], Language: s.Language, Status: langnghe.StatusReceived,
		Anonymous: s.Anonymous || s.Phone == "", Location: s.Location, Attachments: s.Attachments,
		Confidence: s.Confidence, FlowID: s.Flow, FlowRevision: s.Revision, PlaceText: s.PlaceText,
		CreatedAt: t.now, UpdatedAt: t.now, DueAt: due,
	}
	if len(s.Answers) > 0 {
		op.Answers = make(map[string]string, len(s.Answers))
		for k, v := range s.Answers {
			op.Answers[k] = v
		}
	}
	if !op.Anonymous {
		op.ContactPhone = s.Phone
		op.ContactName = s.ContactName
		if op.ContactName == "" {
			op.ContactName = s.Name
		}
	}
	s.OpinionCode, s.OpinionDue = code, due
	// The photo and place belong to this opinion; a next one starts without.
	s.Location, s.Attachments = nil, nil
	t.events = append(t.events, Event{Type: EventOpinion, Opinion: op})
	return true
}

func (t *turn) route(r *router) string {
	value := ""
	if r.on != nil {
		value = t.render(r.on)
	}
	folded := foldAnswer(value)
	for _, c := range r.cases {
		switch {
		case c.category != "" && t.s.Category == c.category,
			c.area != "" && t.s.Area == c.area,
			c.empty && strings.TrimSpace(value) == "",
			c.equals != "" && folded == c.equals:
			return c.outcome
		}
		for _, w := range c.anyOf {
			if containsPhrase(folded, w) {
				return c.outcome
			}
		}
	}
	return r.def
}

// containsPhrase reports whether the folded words of phrase occur in text
// as whole words.
func containsPhrase(text, phrase string) bool {
	if phrase == "" {
		return false
	}
	return strings.Contains(" "+text+" ", " "+phrase+" ")
}

// classify runs the classifier over the collected text and sorts the
// result into an outcome; emergencies and the formal tracks come first.
func (t *turn) classify(n *node) (string, bool) {
	c := n.classify
	if t.env.Classifier == nil {
		t.err = errors.New("classify: environment has no classifier")
		return "", false
	}
	r := t.env.Classifier.Classify(t.s.Answers[c.textKey])
	s := t.s
	s.Category, s.Track, s.Confidence = r.Category, r.Track, r.Confidence
	s.Candidates = s.Candidates[:0]
	for _, code := range append([]string{r.Category}, scoreCodes(r.Alternatives)...) {
		if _, ok := t.category(code); ok && !slices.Contains(s.Candidates, code) && len(s.Candidates) < c.choices {
			s.Candidates = append(s.Candidates, code)
		}
	}
	sure := r.Sure()
	if c.threshold > 0 {
		sure = r.Confidence >= c.threshold
	}
	switch {
	case r.Emergency && !t.alerted:
		return OutcomeEmergency, true
	case r.AskTrack && n.exits[OutcomeTrack] != "":
		return OutcomeTrack, true
	case r.Track == langnghe.TrackDenunciation:
		return OutcomeDenunciation, true
	case r.Track == langnghe.TrackComplaint:
		return OutcomeComplaint, true
	case sure:
		return OutcomeSure, true
	}
	return OutcomeUnsure, true
}

func scoreCodes(scores []classify.Score) []string {
	codes := make([]string, len(scores))
	for i, sc := range scores {
		codes[i] = sc.Category
	}
	return codes
}

// ask puts the question and waits.
func (t *turn) ask(n *node) {
	s := t.s
	s.Wait++
	s.Node, s.Retries, s.Choices, s.Suggested = n.id, 0, nil, ""
	s.Deadline = time.Time{}
	if n.ask.kind == AskArea && s.Area == "" {
		t.suggestPlace()
	}
	if n.ask.timeout > 0 {
		s.Deadline = t.now.Add(n.ask.timeout)
	}
	if n.ask.kind == AskCategory {
		s.Choices = slices.Clone(s.Candidates)
		if _, ok := t.category("other"); ok && !slices.Contains(s.Choices, "other") {
			s.Choices = append(s.Choices, "other")
		}
	}
	t.question(n.ask, t.render(n.ask.message))
}

// question sends text with the ask's buttons or share request and a wait.
func (t *turn) question(a *ask, text string) {
	if text == "" {
		text = "…"
	}
	m := langnghe.Message{Text: text, Buttons: t.buttons(a)}
	switch a.kind {
	case AskLocation, AskAttachment:
		m.Request = langnghe.RequestLocation
	case AskContact:
		m.Request = langnghe.RequestContact
	}
	t.send(m)
	t.events = append(t.events, Event{Type: EventWait, Timeout: t.s.Deadline})
}

// offer is one button of the current wait.
type offer struct {
	value, label string
}

// offers lists what the current wait offers: the ask's options, yes and no,
// and the session's choices (categories or areas).
func (t *turn) offers(a *ask) []offer {
	var out []offer
	label := func(value, fallback string) string {
		for _, o := range a.options {
			if o.value == value {
				return t.render(o.label)
			}
		}
		return fallback
	}
	if a.kind == AskYesNo {
		out = append(out, offer{OutcomeYes, label(OutcomeYes, wording.Text(t.s.Language, "engine.yes"))},
			offer{OutcomeNo, label(OutcomeNo, wording.Text(t.s.Language, "engine.no"))})
	}
	if a.kind == AskScale {
		lo, hi := a.scale()
		for n := lo; n <= hi; n++ {
			v := strconv.Itoa(n)
			out = append(out, offer{v, label(v, v)})
		}
	}
	for _, c := range t.s.Choices {
		name := t.areaLabel(c)
		if a.kind == AskCategory {
			name = t.categoryName(c)
		}
		out = append(out, offer{c, name})
	}
	for _, o := range a.options {
		if a.kind != AskYesNo && !a.point(o.value) {
			out = append(out, offer{o.value, t.render(o.label)})
		}
	}
	return out
}

func (t *turn) buttons(a *ask) [][]langnghe.Button {
	offers := t.offers(a)
	if len(offers) == 0 {
		return nil
	}
	rows := make([][]langnghe.Button, 0, len(offers))
	if a.kind == AskScale && !a.labelledPoints() {
		// Bare numbers fit one row, as a scale reads.
		lo, hi := a.scale()
		var row []langnghe.Button
		for _, o := range offers[:hi-lo+1] {
			row = append(row, langnghe.Button{Label: o.label, Data: buttonData(t.s.Wait, o.value)})
		}
		rows, offers = append(rows, row), offers[hi-lo+1:]
	}
	for _, o := range offers {
		data := buttonData(t.s.Wait, o.value)
		if len(data) > 64 {
			continue // a catalogue code too long to be a button; it can still be typed
		}
		rows = append(rows, []langnghe.Button{{Label: o.label, Data: data}})
	}
	return rows
}

// resumeAt applies in to the ask at n.
func (t *turn) resumeAt(n *node, in langnghe.Input) {
	a := n.ask
	if in.Kind == langnghe.InputTimeout {
		if t.s.Deadline.IsZero() || t.now.Before(t.s.Deadline) {
			return // a stale timer: the resident answered in time
		}
		t.leave(n, OutcomeNoResponse)
		return
	}
	outcome, value, ok := t.parse(a, in)
	if !ok {
		if outcome == "ambiguous" {
			return // asked again with the matching areas
		}
		// Words that could be a concern pass on; a short reply that is
		// no answer ("có chứ gì") is asked again, not taken to the menu.
		if _, concern := freeText(in.Text, passOnLength); a.passOn && in.Kind == langnghe.InputText && concern {
			t.passOn(in)
			return
		}
		t.s.Retries++
		if t.s.Retries > a.retries {
			t.leave(n, OutcomeRetriesExhausted)
			return
		}
		t.question(a, t.render(a.retry))
		return
	}
	if t.s.Answers == nil {
		t.s.Answers = map[string]string{}
	}
	t.s.Answers[a.key] = value
	t.events = append(t.events, Event{Type: EventAnswer, Key: a.key, Value: value})
	t.leave(n, outcome)
}

// passOnLength is the fewest characters of words a pass_on question lets
// go to the menu as a concern: a description's own minimum.
const passOnLength = 10

// passOn ends the conversation at a pass_on question the words do not
// answer and takes them as at the end of one: the menu, whose free text
// takes a concern. Nothing of the question is recorded.
func (t *turn) passOn(in langnghe.Input) {
	t.end()
	asked := len(t.events)
	if err := t.restart(commands[CommandMenu].Flow); err != nil {
		t.err = err
		return
	}
	t.answerOpening(asked, in)
}

// leave ends the wait at n and follows outcome.
func (t *turn) leave(n *node, outcome string) {
	t.s.Node, t.s.Choices, t.s.Deadline, t.s.Retries = "", nil, time.Time{}, 0
	t.run(n.exit(outcome))
}

// parse reads in as an answer to a. ok is false for an answer that does
// not fit; outcome "ambiguous" then means the engine asked again itself.
func (t *turn) parse(a *ask, in langnghe.Input) (outcome, value string, ok bool) {
	offers := t.offers(a)
	var picked string
	switch in.Kind {
	case langnghe.InputButton:
		v, fresh := parseButtonData(in.Data, t.s.Wait)
		if !fresh || !slices.ContainsFunc(offers, func(o offer) bool { return o.value == v }) {
			return "", "", false // stale or forged
		}
		picked = v
	case langnghe.InputText:
		picked = t.typedOffer(a, offers, in.Text)
	}
	if picked != "" {
		return t.pick(a, picked)
	}
	s := t.s
	switch a.kind {
	case AskChoice:
		if in.Kind == langnghe.InputText && a.freeTextKey != "" {
			if v, ok := freeText(in.Text, a.freeTextMin); ok {
				t.keepWords(a.freeTextKey, v)
				t.events = append(t.events, Event{Type: EventAnswer, Key: a.freeTextKey, Value: v})
				return OutcomeText, OutcomeText, true
			}
		}
	case AskText:
		if v, ok := textAnswer(a, in); ok {
			return OutcomeOK, v, true
		}
		return "", "", false
	case AskYesNo:
		if yes, ok := parseYesNo(in.Text); ok && in.Kind == langnghe.InputText {
			if yes {
				return OutcomeYes, OutcomeYes, true
			}
			return OutcomeNo, OutcomeNo, true
		}
	case AskNumber:
		if v, ok := parseNumber(in.Text, a.min, a.max); ok && in.Kind == langnghe.InputText {
			return OutcomeOK, v, true
		}
	case AskScale:
		if in.Kind != langnghe.InputText {
			break
		}
		// "hài lòng" names the point labelled "4 – Hài lòng", and "hài
		// lòng lắm" the one labelled "Rất hài lòng".
		f := foldAnswer(in.Text)
		very := ""
		for _, w := range []string{" lam", " qua", " lam a"} {
			if rest, ok := strings.CutSuffix(f, w); ok {
				very = "rat " + rest
			}
		}
		for _, o := range offers {
			if l := strings.TrimLeft(foldAnswer(o.label), "0123456789 "); a.point(o.value) && l != "" && (l == f || l == very) {
				return OutcomeOK, o.value, true
			}
		}
		lo, hi := a.scale()
		if n, ok := parseScale(in.Text, lo, hi); ok {
			return OutcomeOK, strconv.Itoa(n), true
		}
	case AskPhone:
		if v, ok := parsePhone(in.Text); ok && in.Kind == langnghe.InputText {
			s.Phone, s.Anonymous = v, false
			return OutcomeOK, v, true
		}
	case AskDate:
		if v, ok := parseDate(in.Text); ok && in.Kind == langnghe.InputText {
			return OutcomeOK, v, true
		}
	case AskArea:
		if in.Kind == langnghe.InputText {
			return t.matchArea(a, in.Text)
		}
	case AskLocation:
		if in.Kind == langnghe.InputLocation && in.Location != nil && validLocation(*in.Location) {
			loc := *in.Location
			s.Location = &loc
			return OutcomeOK, strconv.FormatFloat(loc.Latitude, 'f', 6, 64) + "," + strconv.FormatFloat(loc.Longitude, 'f', 6, 64), true
		}
	case AskContact:
		phone := ""
		switch {
		case in.Kind == langnghe.InputContact && in.Contact != nil:
			phone = contactPhone(in.Contact.Phone)
			s.ContactName = vntext.Normalize(in.Contact.Name)
		case in.Kind == langnghe.InputText:
			phone, _ = parsePhone(in.Text)
		}
		if phone != "" {
			s.Phone, s.Anonymous = phone, false
			return OutcomeOK, phone, true
		}
	case AskAttachment:
		if in.Kind == langnghe.InputAttachment && in.Attachment != nil && len(s.Attachments) < MaxAttachments {
			s.Attachments = append(s.Attachments, *in.Attachment)
			return OutcomeOK, in.Attachment.Kind + ":" + in.Attachment.FileID, true
		}
		// One optional step for what the resident can show: a photo, a
		// document or the place on a map.
		if in.Kind == langnghe.InputLocation && in.Location != nil && validLocation(*in.Location) {
			loc := *in.Location
			s.Location = &loc
			return OutcomeOK, strconv.FormatFloat(loc.Latitude, 'f', 6, 64) + "," + strconv.FormatFloat(loc.Longitude, 'f', 6, 64), true
		}
	}
	return "", "", false
}

// typedOffer finds the offer a typed answer names: its label, its value,
// or its number in the list ("1", "2") where the list is the answer.
func (t *turn) typedOffer(a *ask, offers []offer, typed string) string {
	f := foldAnswer(typed)
	if f == "" {
		return ""
	}
	for _, o := range offers {
		if foldAnswer(o.label) == f || o.value == f {
			return o.value
		}
	}
	for _, o := range offers {
		if slices.Contains(typedValues[o.value], f) {
			return o.value // "không có ảnh" for «Bỏ qua»
		}
	}
	// A summary offers «Gửi» and «Không gửi»: there a bare yes ("ok",
	// "đồng ý") or "xong" means send. Elsewhere (the menu's «Gửi ý kiến»)
	// "ok" chooses nothing.
	if offered(offers, "send") && offered(offers, "cancel") && (slices.Contains(yesAnswers, f) || slices.Contains(doneAnswers, f)) {
		return "send"
	}
	switch a.kind {
	case AskChoice, AskCategory:
	case AskArea:
		if len(t.s.Choices) == 0 {
			return ""
		}
		// One place offered ("xã Minh Hòa cũ (nay thuộc xã Minh Thạnh),
		// đúng không ạ?"): a yes takes it.
		// Only a bare yes: "cờ đỏ" is a place, not "có".
		if len(t.s.Choices) == 1 && slices.Contains(yesAnswers, f) {
			return t.s.Choices[0]
		}
	default:
		return "" // "1" answers a number question, not a button
	}
	if i, err := strconv.Atoi(f); err == nil && i >= 1 && i <= len(offers) {
		return offers[i-1].value
	}
	return ""
}

// offered reports whether one of offers has value.
func offered(offers []offer, value string) bool {
	return slices.ContainsFunc(offers, func(o offer) bool { return o.value == value })
}

// pick applies a chosen offer.
func (t *turn) pick(a *ask, v string) (outcome, value string, ok bool) {
	if slices.Contains(t.s.Choices, v) {
		switch a.kind {
		case AskCategory:
			t.s.Category = v
		case AskArea:
			written := v
			if ar, ok := t.env.Catalogue.Area(v); ok {
				written = catalogue.FormerName(ar, t.s.Language)
			}
			t.placeAt(v, written)
			v = t.s.Area
		}
		return OutcomeOK, v, true
	}
	if a.point(v) {
		return OutcomeOK, v, true
	}
	return v, v, true // an option or yes/no: the value is the outcome
}

// matchArea reads a typed area; several matches are offered as buttons.
func (t *turn) matchArea(a *ask, typed string) (outcome, value string, ok bool) {
	if t.env.Catalogue == nil {
		return "", "", false
	}
	// "Sự việc ở xã Minh Thạnh, đúng không ạ?" — "không": not that
	// place, so the place is asked for, not searched for a "không".
	if len(t.s.Choices) == 1 && slices.Contains(noAnswers, foldAnswer(typed)) {
		t.s.Choices, t.s.Suggested = nil, ""
		t.s.Wait++
		t.question(a, wording.Text(t.s.Language, "engine.not_that_area"))
		return "ambiguous", "", false
	}
	matches := replaced(catalogue.MatchArea(t.env.Catalogue, typed))
	switch {
	case len(matches) == 0:
		return "", "", false
	case len(matches) == 1 && (matches[0].Active || matches[0].ReplacedBy == ""):
		t.placeAt(matches[0].Code, typed)
		return OutcomeOK, t.s.Area, true
	case len(matches) == 1:
		// A former commune is confirmed with its new name: a resident
		// who wrote "Minh Hòa" must not think the bot misread it.
		m := matches[0]
		t.s.Choices = []string{m.Code}
		t.s.Wait++
		t.question(a, fmt.Sprintf(wording.Text(t.s.Language, "engine.former_area"), catalogue.Describe(t.env.Catalogue, m.Code, t.s.Language)))
		return "ambiguous", "", false
	}
	t.s.Choices = t.s.Choices[:0]
	for _, m := range matches {
		if len(t.s.Choices) < MaxOptions {
			t.s.Choices = append(t.s.Choices, m.Code)
		}
	}
	t.s.Wait++
	t.question(a, wording.Text(t.s.Language, "engine.which_area"))
	return "ambiguous", "", false
}

// replaced drops former units whose successor also matched: a resident
// typing "Thanh An" means the commune, old or new, not two places.
func replaced(matches []langnghe.Area) []langnghe.Area {
	out := matches[:0:0]
	for _, m := range matches {
		if m.Active || !slices.ContainsFunc(matches, func(a langnghe.Area) bool { return a.Code == m.ReplacedBy }) {
			out = append(out, m)
		}
	}
	return out
}

func validLocation(l langnghe.Location) bool {
	return l.Latitude >= -90 && l.Latitude <= 90 && l.Longitude >= -180 && l.Longitude <= 180
}

// contactPhone normalises a shared contact's number; a foreign number is
// kept as its digits with a plus.
func contactPhone(raw string) string {
	if p, ok := parsePhone(raw); ok {
		return p
	}
	var b strings.Builder
	for _, r := range raw {
		if r >= '0' && r <= '9' && b.Len() < 16 {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return "+" + b.String()
}

// textAnswer reads in as the answer to a text ask: typed words within the
// ask's length limits.
func textAnswer(a *ask, in langnghe.Input) (string, bool) {
	if in.Kind != langnghe.InputText {
		return "", false
	}
	v := vntext.Normalize(in.Text)
	n := utf8.RuneCountInString(v)
	if n == 0 || (a.min != nil && float64(n) < *a.min) || (a.max != nil && float64(n) > *a.max) || n > MaxTextLength {
		return "", false
	}
	return v, true
}

// askAgain repeats the question the session waits at, after an
// interruption, with the system text lead before it; its buttons carry the
// current wait.
func (t *turn) askAgain(lead string) error {
	def, err := t.env.Flows.Flow(t.s.Flow, t.s.Revision)
	if err != nil {
		return fmt.Errorf("load flow %q revision %d: %w", t.s.Flow, t.s.Revision, err)
	}
	t.def = def
	n := def.nodes[t.s.Node]
	if n == nil || n.ask == nil {
		t.fail(fmt.Sprintf("flow %q revision %d has no ask %q to resume at", t.s.Flow, t.s.Revision, t.s.Node))
		return nil
	}
	t.question(n.ask, wording.Text(t.s.Language, "engine."+lead)+"\n"+t.render(n.ask.message))
	return nil
}
