package studio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"langnghe"
	"langnghe/flows"
	"langnghe/web/console"
)

// The simulator: the admin chats with the draft in the editor, through the
// same engine residents' conversations run (flows.Start and Resume), with
// the real classifier, catalogue and calendar, and a library holding the
// draft and the other flows' published revisions. It writes nothing: the
// session travels with the page as JSON (the server keeps no state), and
// what a conversation would store (an opinion, a consent, a deletion) is
// shown as a "would be stored" line instead.

// simState is the simulator's state, a hidden field of the page.
type simState struct {
	Session *flows.Session `json:"session,omitempty"`
	Chat    []simLine      `json:"chat,omitempty"`
	// Codes counts the opinion codes handed out (THU-0001, THU-0002 ...).
	Codes int `json:"codes,omitempty"`
	// Clock is the simulated time once a timeout moved it past the real one.
	Clock time.Time `json:"clock,omitzero"`
	// Consent is whether the simulated resident has agreed to keep their
	// contact (the welcome flow asks it once, before any other).
	Consent bool `json:"consent,omitempty"`
}

// simLine is one line of the transcript.
type simLine struct {
	// Who is "resident", "bot", "stored" (what would be written), "note"
	// or "error".
	Who     string            `json:"who"`
	Text    string            `json:"text"`
	Buttons []langnghe.Button `json:"buttons,omitempty"`
	// Request is a share the bot asks for: "contact" or "location".
	Request string `json:"request,omitempty"`
}

// maxSimLines keeps the transcript, which travels with every request, short.
const maxSimLines = 300

// sampleLocation is where "share a location" points: Dầu Tiếng.
var sampleLocation = langnghe.Location{Latitude: 11.2720, Longitude: 106.3720}

// samplePhone is the simulated resident's phone number.
const samplePhone = "0912345678"

// simView is the simulator panel.
type simView struct {
	L         console.Locale
	Flow      string
	State     string
	Lines     []simLine
	Error     string
	Languages []string
	Lang      string
	Consent   bool
	// Live is the index of the line whose buttons answer the current wait.
	Live     int
	Started  bool
	Waiting  bool
	Position string
	// Deadline is when the current question times out ("" for never).
	Deadline string

	Answers    []simAnswer
	Category   string
	Confidence string
	Track      string
	Area       string
	Contact    string
}

// simAnswer is one collected answer.
type simAnswer struct{ Key, Value string }

// newSimView is a simulator showing st (nil: not started) for a draft in
// languages, base first.
func (s *Studio) newSimView(l console.Locale, flowID string, languages []string, st *simState) *simView {
	v := &simView{L: l, Flow: flowID, Live: -1, Lang: l.Lang, Languages: languages}
	if !slices.Contains(languages, v.Lang) && len(languages) > 0 {
		v.Lang = languages[0]
	}
	if st == nil {
		st = &simState{}
	}
	data, _ := json.Marshal(st) // plain data: it always marshals
	v.State, v.Lines, v.Consent = string(data), st.Chat, st.Consent
	// Only the buttons of the bot's last message answer the wait.
	for i := len(st.Chat) - 1; i >= 0; i-- {
		if st.Chat[i].Who == "bot" {
			if len(st.Chat[i].Buttons) > 0 {
				v.Live = i
			}
			break
		}
	}
	ss := st.Session
	if ss == nil {
		return v
	}
	v.Started = true
	v.Lang = ss.Language
	v.Waiting = ss.Waiting()
	if !v.Waiting {
		v.Live = -1
	} else {
		v.Position = fmt.Sprintf("%s · %s", ss.Flow, ss.Node)
		if !ss.Deadline.IsZero() {
			v.Deadline = l.DateTime(ss.Deadline)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(ss.Answers)) {
		v.Answers = append(v.Answers, simAnswer{k, ss.Answers[k]})
	}
	if ss.Category != "" {
		v.Category = ss.Category
		if c, ok := s.opts.Catalogue.Category(ss.Category); ok {
			v.Category = c.Name(l.Lang) + " (" + c.Code + ")"
		}
		v.Confidence = fmt.Sprintf("%.0f%%", ss.Confidence*100)
	}
	v.Track = string(ss.Track)
	if ss.Area != "" {
		v.Area = ss.Area
		if a, ok := s.opts.Catalogue.Area(ss.Area); ok {
			v.Area = a.Name(l.Lang)
		}
	}
	switch {
	case ss.Anonymous:
		v.Contact = l.T("anonymous")
	case ss.Phone != "":
		v.Contact = ss.Phone
	}
	return v
}

// simulate runs one input of the simulated resident against the draft in
// the form. The script posts it and swaps the panel (header
// X-Studio-Fragment); without JavaScript the editor comes back whole, the
// admin's text in it.
func (s *Studio) simulate(w http.ResponseWriter, r *http.Request) error {
	v, _ := console.ViewerFrom(r.Context())
	l := v.Locale
	id := r.PathValue("id")
	src, base, err := readEditorForm(w, r)
	if err != nil {
		return err
	}
	var st simState
	if raw := r.PostForm.Get("sim_state"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &st); err != nil {
			st = simState{Chat: []simLine{{Who: "error", Text: l.T("The simulator's state could not be read; it starts again.")}}}
		}
	}
	chk, err := s.checkFlow(r.Context(), id, src)
	if err != nil {
		return err
	}
	status := http.StatusOK
	var sim *simView
	if chk.def == nil {
		sim = s.newSimView(l, id, draftLanguages(chk, src), &st)
		sim.Error = l.T("The draft has errors (listed with the editor): fix them to try it.")
		status = http.StatusUnprocessableEntity
	} else {
		draft := chk.def
		draft.Revision = base + 1 // the number a save would give it
		if err := s.runSimulation(r, &st, draft); err != nil {
			return err
		}
		sim = s.newSimView(l, id, draftLanguages(chk, src), &st)
	}
	if r.Header.Get("X-Studio-Fragment") == "" {
		s.renderEditor(w, r, status, id, base, src, "", sim, "")
		return nil
	}
	var buf bytes.Buffer
	if err := flowEditorPage.ExecuteTemplate(&buf, "flow_sim", sim); err != nil {
		return fmt.Errorf("render the simulator: %w", err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return nil
}

// draftLanguages lists a draft's languages, its base first, also when
// the draft has errors (as far as its text can be read).
func draftLanguages(chk *flowCheck, src []byte) []string {
	base, langs := "", []string(nil)
	switch d, err := parseFlowDoc(src); {
	case chk.def != nil:
		base, langs = chk.def.BaseLanguage, chk.def.Languages
	case err == nil:
		base, langs = d.base, d.languages
	default:
		return nil
	}
	out := []string{base}
	for _, l := range langs {
		if l != base {
			out = append(out, l)
		}
	}
	return out
}

// runSimulation applies the form's input to st with draft as the flow's
// published revision.
func (s *Studio) runSimulation(r *http.Request, st *simState, draft *flows.Definition) error {
	v, _ := console.ViewerFrom(r.Context())
	l := v.Locale
	others, err := s.publishedFlows(r.Context(), draft.ID)
	if err != nil {
		return err
	}
	lib, err := flows.NewLibrary(append(others, draft)...)
	if err != nil {
		return fmt.Errorf("simulator library: %w", err)
	}
	now := s.opts.Now()
	if st.Clock.After(now) {
		now = st.Clock
	}
	env := &flows.Env{
		Flows:      lib,
		Catalogue:  s.opts.Catalogue,
		Classifier: s.opts.Classifier,
		Now:        func() time.Time { return now },
		TimeZone:   s.opts.TimeZone,
		NewOpinionCode: func() (string, error) {
			st.Codes++
			return fmt.Sprintf("THU-%04d", st.Codes), nil
		},
	}
	if s.opts.Calendar != nil {
		env.DueDate = s.opts.Calendar.AddWorkingDays
	}
	// The FAQ the next start runs (the stored revision), so an admin sees
	// the answers residents will get.
	fq, err := s.storedFAQ(r.Context())
	if err != nil {
		return err
	}
	env.FAQ = fq.Answer
	form := r.PostForm
	lang := form.Get("sim_lang")
	if !slices.Contains(draft.Languages, lang) {
		lang = draft.BaseLanguage
	}
	action := form.Get("sim_action")
	if press := form.Get("sim_press"); press != "" {
		action = "press"
	}
	if st.Session == nil || action == "start" {
		*st = simState{Codes: st.Codes, Consent: form.Get("sim_consent") != ""}
		session, events, err := flows.Start(env, draft.ID, flows.StartOptions{Language: lang, Consent: st.Consent}, langnghe.Input{At: now})
		st.add("note", fmt.Sprintf(l.T("A resident starts flow %s (draft) in %s."), draft.ID, lang))
		st.apply(l, session, events, err)
		return nil
	}
	if lang != st.Session.Language {
		st.Session.Language = lang
		st.add("note", fmt.Sprintf(l.T("The resident's language is now %s."), lang))
	}
	in := langnghe.Input{At: now}
	switch action {
	case "press":
		in.Kind, in.Data = langnghe.InputButton, form.Get("sim_press")
		st.add("resident", "[ "+st.buttonLabel(in.Data)+" ]")
	case "say":
		text := strings.TrimSpace(form.Get("sim_text"))
		if text == "" {
			return nil
		}
		in.Kind, in.Text = langnghe.InputText, text
		st.add("resident", text)
	case "timeout":
		if !st.Session.Waiting() || st.Session.Deadline.IsZero() {
			st.add("note", l.T("This question has no time limit: it waits for an answer however long it takes."))
			return nil
		}
		now = st.Session.Deadline.Add(time.Second)
		st.Clock = now
		in.Kind, in.At = langnghe.InputTimeout, now
		st.add("note", fmt.Sprintf(l.T("No answer until %s."), l.DateTime(now)))
	case "location":
		loc := sampleLocation
		in.Kind, in.Location = langnghe.InputLocation, &loc
		st.add("resident", fmt.Sprintf("📍 %.4f, %.4f", loc.Latitude, loc.Longitude))
	case "photo":
		in.Kind, in.Attachment = langnghe.InputAttachment, &langnghe.Attachment{Kind: "photo", FileID: "simulated", Name: "photo.jpg", MIME: "image/jpeg"}
		st.add("resident", "🖼 photo.jpg")
	case "contact":
		in.Kind, in.Contact = langnghe.InputContact, &langnghe.Contact{Phone: samplePhone}
		st.add("resident", "☎ "+samplePhone)
	default:
		return nil // a language switch alone
	}
	session, events, err := flows.Resume(env, st.Session, in)
	st.apply(l, session, events, err)
	return nil
}

// buttonLabel is the label of the live button with data, or data itself.
func (st *simState) buttonLabel(data string) string {
	for i := len(st.Chat) - 1; i >= 0; i-- {
		for _, b := range st.Chat[i].Buttons {
			if b.Data == data {
				return b.Label
			}
		}
	}
	return data
}

// add appends a line to the transcript, which keeps its last maxSimLines.
func (st *simState) add(who, text string) {
	st.Chat = append(st.Chat, simLine{Who: who, Text: text})
	if over := len(st.Chat) - maxSimLines; over > 0 {
		st.Chat = slices.Delete(st.Chat, 0, over)
	}
}

// apply records a turn's outcome: the new session, and a transcript line
// per event that shows.
func (st *simState) apply(l console.Locale, session *flows.Session, events []flows.Event, err error) {
	if err != nil {
		// The engine refused the turn (a flow it cannot load); the session
		// is as it was, as in production.
		st.add("error", l.T("The engine stopped:")+" "+err.Error())
		return
	}
	st.Session = session
	for _, ev := range events {
		switch ev.Type {
		case flows.EventMessage:
			m := ev.Message
			ln := simLine{Who: "bot", Text: m.Text, Request: m.Request}
			for _, row := range m.Buttons {
				ln.Buttons = append(ln.Buttons, row...)
			}
			st.Chat = append(st.Chat, ln)
		case flows.EventOpinion:
			st.add("stored", wouldStoreOpinion(l, ev.Opinion))
		case flows.EventConsent:
			answer := l.T("declined")
			if ev.Consent.Granted {
				answer = l.T("granted")
			}
			st.Consent = ev.Consent.Granted
			st.add("stored", fmt.Sprintf(l.T("Would be stored: consent to %q (notice %s): %s."), ev.Consent.Purpose, ev.Consent.NoticeVersion, answer))
		case flows.EventEmergency:
			st.add("stored", fmt.Sprintf(l.T("Would record an emergency (%s) and alert the emergency unit's officials at once."), ev.Emergency.Kind.Name(l.Lang)))
		case flows.EventDeleteData:
			st.add("stored", l.T("Would delete the resident's personal data (their opinions stay, without the link to them)."))
		case flows.EventListOpinions:
			st.add("note", l.T("Here the resident would see their opinions and their status."))
		case flows.EventShowData:
			st.add("note", l.T("Here the resident would see what is stored about them."))
		case flows.EventLanguage:
			st.add("note", fmt.Sprintf(l.T("The resident's language is now %s."), ev.Language))
		case flows.EventError:
			st.add("error", l.T("Flow error:")+" "+ev.Error)
		case flows.EventEnd:
			st.add("note", l.T("The conversation ended."))
		}
	}
	if over := len(st.Chat) - maxSimLines; over > 0 {
		st.Chat = slices.Delete(st.Chat, 0, over)
	}
}

// wouldStoreOpinion describes the opinion a submit would store.
func wouldStoreOpinion(l console.Locale, o *langnghe.Opinion) string {
	parts := []string{
		fmt.Sprintf("%s %s", l.T("Would be stored: opinion"), o.Code),
		l.T("category") + " " + o.Category,
		l.T("track") + " " + string(o.LegalTrack),
	}
	if o.AreaCode != "" {
		parts = append(parts, l.T("area")+" "+o.AreaCode)
	}
	if o.Anonymous {
		parts = append(parts, l.T("anonymous"))
	} else {
		parts = append(parts, l.T("phone")+" "+o.ContactPhone)
	}
	if len(o.Attachments) > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", len(o.Attachments), l.T("attachment(s)")))
	}
	parts = append(parts, l.T("due")+" "+l.Date(o.DueAt), fmt.Sprintf("%s %s %d", l.T("flow"), o.FlowID, o.FlowRevision))
	return strings.Join(parts, " · ") + "\n«" + o.Text + "»"
}
