// Package conversation applies what residents do to their conversations:
// one input, one transaction. It is channel-agnostic: bot/ (Telegram) and
// the terminal chat hand it an Inbound; it runs the flow engine and stores
// the session, the opinion and the replies to send, all or nothing.
package conversation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"langnghe"
	"langnghe/flowlib"
	"langnghe/flows"
	"langnghe/storage"
)

// Calendar counts working days for due dates.
type Calendar interface {
	AddWorkingDays(from time.Time, days int) time.Time
}

// Options are the service's settings.
type Options struct {
	OpinionPrefix string         // DT
	TimeZone      *time.Location // Asia/Ho_Chi_Minh: the opinion code's year and the due dates
	FloodLimit    int            // inputs per minute per resident; 0 = no limit
	// IsAdmin reports whether a channel user may manage flows through chat.
	IsAdmin func(channel, userID string) bool
	// Desk takes officials' inputs and residents' ratings, and routes new
	// opinions; nil runs the service without the follow-up.
	Desk Desk
	// Places tells residents where to file a complaint or a denunciation
	// and their local hotline; nil: the national numbers and a general
	// pointer only.
	Places Places
	// FAQ answers residents' questions from the admins' FAQ; nil: no
	// answers, questions go on as opinions.
	FAQ FAQ
	// Campaigns takes residents into campaigns through their deep links
	// and keeps their responses; nil: a campaign's link starts as /start.
	Campaigns Campaigns
	Now       func() time.Time
}

// FAQ answers a resident's question in lang; ok is false for anything it
// does not answer. faq.FAQ implements it.
type FAQ interface {
	Answer(lang, text string) (answer string, ok bool)
}

// Places are the units file's answers residents are given in a
// conversation. followup.Service implements it.
type Places interface {
	Reception(ctx context.Context, tx *storage.Tx, area string, track langnghe.LegalTrack) (langnghe.Unit, bool, error)
	Hotline(ctx context.Context, tx *storage.Tx, area string) (string, error)
	Office(ctx context.Context, tx *storage.Tx, category, area string, track langnghe.LegalTrack) (langnghe.Unit, bool, error)
}

// Service applies inputs. It is safe for concurrent use; one chat's inputs
// are serialised by a lock in the database, so several replicas can share it.
type Service struct {
	db         *storage.DB
	library    *flowlib.Library
	catalogue  *langnghe.Catalogue
	classifier flows.Classifier
	calendar   Calendar
	opts       Options
	flood      *floodGuard
	log        *slog.Logger
	batches    batches

	Metrics Metrics
}

// Metrics are counters for /metrics.
type Metrics struct {
	Applied    atomic.Int64 // inputs applied
	Duplicates atomic.Int64 // inputs seen before (changed nothing)
	Failed     atomic.Int64 // inputs whose transaction failed (retried by the channel)
	Opinions   atomic.Int64 // opinions created
	Flooded    atomic.Int64 // inputs dropped by flood control
}

// New returns a service.
func New(db *storage.DB, lib *flowlib.Library, cat *langnghe.Catalogue, cl flows.Classifier, cal Calendar, opts Options, log *slog.Logger) *Service {
	opts.TimeZone, opts.Now = langnghe.Clock(opts.TimeZone, opts.Now)
	if opts.IsAdmin == nil {
		opts.IsAdmin = func(string, string) bool { return false }
	}
	return &Service{
		db: db, library: lib, catalogue: cat, classifier: cl, calendar: cal, opts: opts,
		flood: newFloodGuard(opts.FloodLimit, time.Minute), log: log, batches: batches{limit: maxTransactions},
	}
}

// maxText caps what one input may carry into the engine and the database;
// Telegram itself stops at 4096 characters, other channels may not.
const maxText = 8 << 10

// Handle applies in exactly once: a second call with the same (Channel,
// UpdateID) changes nothing. A nil error means the effects are committed and
// the channel may acknowledge the input; an error means nothing was applied.
func (s *Service) Handle(ctx context.Context, in langnghe.Inbound) error {
	if in.Channel == "" || in.UpdateID == "" || in.ChatID == "" {
		return langnghe.Errorf(langnghe.EINVALID, "inbound without channel, update id or chat")
	}
	if len(in.Input.Text) > maxText {
		in.Input.Text = truncateUTF8(in.Input.Text, maxText)
	}
	if in.Input.At.IsZero() {
		in.Input.At = s.opts.Now()
	}
	if in.Input.Kind == langnghe.InputCommand {
		// Channels pass the word typed; from here on a resident's command
		// is the engine's name for it, whichever language it was typed in.
		in.Input.Command = flows.SlashCommand(in.Input.Command)
	}
	return s.batches.apply(ctx, s, in)
}

// outcome is what applying one input did.
type outcome struct {
	fresh bool // not a duplicate
}

// applyIn applies in inside tx: the part of Handle that shares a
// transaction with other inputs.
func (s *Service) applyIn(ctx context.Context, tx *storage.Tx, in langnghe.Inbound, a *aside) (outcome, error) {
	// Record the update id (a duplicate stops here) and take the chat's
	// lock, so one chat's updates apply one at a time across replicas.
	fresh, err := tx.BeginUpdate(ctx, in.Channel, in.UpdateID, in.ChatID)
	if err != nil || !fresh {
		return outcome{}, err
	}
	t := &turn{s: s, ctx: ctx, tx: tx, in: in, aside: a}
	if err := t.apply(); err != nil {
		return outcome{}, err
	}
	if err := t.flush(); err != nil {
		return outcome{}, err
	}
	return outcome{fresh: true}, nil
}

// settled counts an input's outcome and returns what Handle returns. (The
// sender learns of the replies from storage's handoff as they commit.)
func (s *Service) settled(in langnghe.Inbound, o outcome, err error) error {
	if err != nil {
		s.Metrics.Failed.Add(1)
		return fmt.Errorf("apply %s update %s: %w", in.Channel, in.UpdateID, err)
	}
	if !o.fresh {
		s.Metrics.Duplicates.Add(1)
	}
	s.Metrics.Applied.Add(1)
	return nil
}

// turn is one input being applied inside its transaction.
type turn struct {
	s        *Service
	ctx      context.Context
	tx       *storage.Tx
	in       langnghe.Inbound
	resident *langnghe.Resident
	// session is the resident's stored session as the turn began (nil: none).
	session *langnghe.StoredSession
	// replies wait to be written with the session, in one statement; see send.
	replies []*langnghe.Outgoing
	// aside lets the caller's place among those applying batches go while
	// the transaction waits for the opinion code counter (nil: none).
	aside *aside
}

func (t *turn) apply() error {
	if !t.in.Private {
		// The bot holds conversations only in private chats; in a group it
		// answers a command with a pointer to a private chat and ignores chatter.
		if t.in.Input.Kind == langnghe.InputCommand {
			return t.send(t.text(msgPrivateOnly))
		}
		return nil
	}
	// One read for the resident, their session and whether the account is
	// an official's (the desk's lookup then needs no second one).
	state, err := t.tx.ResidentState(t.ctx, t.in.Channel, t.in.UserID)
	if err != nil {
		return err
	}
	if handled, err := t.officialInput(); handled || err != nil {
		return err
	}
	if err := t.loadResident(state.Resident); err != nil {
		return err
	}
	t.session = state.Session
	// Timeouts are the service's own inputs: they never count as flooding.
	if t.in.Input.Kind != langnghe.InputTimeout && !t.s.flood.allow(t.in.Channel+":"+t.in.UserID, t.in.UpdateID, t.in.Input.At) {
		t.s.Metrics.Flooded.Add(1)
		if t.s.flood.firstDrop(t.in.Channel+":"+t.in.UserID, t.in.Input.At) {
			return t.send(t.text(msgSlowDown))
		}
		return nil
	}
	if t.s.opts.IsAdmin(t.in.Channel, t.in.UserID) {
		if handled, err := t.adminInput(); handled || err != nil {
			return err
		}
	}
	if handled, err := t.residentFollowup(); handled || err != nil {
		return err
	}
	if handled, err := t.campaignRating(); handled || err != nil {
		return err
	}
	if t.in.Input.Kind == langnghe.InputAttachment && t.in.Input.Attachment != nil && len(t.in.File) > 0 {
		id, err := t.tx.SaveAttachment(t.ctx, &langnghe.StoredAttachment{
			Name: t.in.Input.Attachment.Name, MIME: t.in.Input.Attachment.MIME, Data: t.in.File,
		})
		if err != nil {
			return fmt.Errorf("save attachment: %w", err)
		}
		t.in.Input.Attachment.StoredAt = "db:" + strconv.FormatInt(id, 10)
	}
	return t.runEngine()
}

// loadResident takes the stored resident r (nil: new) as the turn's,
// saving what the input changed.
func (t *turn) loadResident(r *langnghe.Resident) error {
	if r == nil {
		r = &langnghe.Resident{Channel: t.in.Channel, ExternalID: t.in.UserID, ChatID: t.in.ChatID, Name: t.in.Name}
	}
	// A resident who writes again has unblocked the bot; a timeout is not
	// the resident writing.
	unblock := r.Blocked && t.in.Input.Kind != langnghe.InputTimeout
	changed := r.ID == 0 || r.ChatID != t.in.ChatID || unblock
	r.ChatID = t.in.ChatID
	if unblock {
		r.Blocked = false
	}
	if changed {
		if err := t.tx.SaveResident(t.ctx, r); err != nil {
			return fmt.Errorf("save resident: %w", err)
		}
	}
	t.resident = r
	return nil
}

// language is the resident's language, or the client's hint before they chose.
func (t *turn) language() string {
	if t.resident != nil && t.resident.Language != "" {
		return t.resident.Language
	}
	return clientLanguage(t.in.LanguageCode)
}

func (t *turn) env() *flows.Env {
	env := &flows.Env{
		Flows:      t.s.library.Source(t.ctx, t.tx),
		Catalogue:  t.s.catalogue,
		Classifier: t.s.classifier,
		Now:        func() time.Time { return t.in.Input.At },
		NewOpinionCode: func() (string, error) {
			if t.s.opts.Places != nil || t.s.opts.Desk != nil {
				// The receipt names the unit and the desk routes the
				// opinion: their reads run before the code counter's lock,
				// which every other new opinion waits for until this
				// transaction ends.
				if err := t.tx.PrepareRouting(t.ctx); err != nil {
					return "", err
				}
			}
			if !t.tx.HoldsOpinionCounter() {
				t.aside.stepAside()
			}
			year := t.in.Input.At.In(t.s.opts.TimeZone).Year()
			return t.tx.NextOpinionCode(t.ctx, t.s.opts.OpinionPrefix, year)
		},
		DueDate:  t.s.calendar.AddWorkingDays,
		TimeZone: t.s.opts.TimeZone,
	}
	if p := t.s.opts.Places; p != nil {
		// The engine has no I/O and no errors for these: a failed look-up
		// leaves the general wording, and the log says why.
		env.Hotline = func(area string) string {
			h, err := p.Hotline(t.ctx, t.tx, area)
			if err != nil {
				t.s.log.Error("look up the local hotline", "area", area, "err", err)
			}
			return h
		}
		env.Reception = func(area string, track langnghe.LegalTrack) (langnghe.Unit, bool) {
			u, ok, err := p.Reception(t.ctx, t.tx, area, track)
			if err != nil {
				t.s.log.Error("look up the citizen reception", "area", area, "err", err)
			}
			return u, ok
		}
		env.Office = func(category, area string, track langnghe.LegalTrack) (langnghe.Unit, bool) {
			u, ok, err := p.Office(t.ctx, t.tx, category, area, track)
			if err != nil {
				t.s.log.Error("look up the office an opinion goes to", "area", area, "err", err)
			}
			return u, ok
		}
	}
	if t.s.opts.FAQ != nil {
		env.FAQ = t.s.opts.FAQ.Answer
	}
	return env
}

// flowWelcome is the flow a resident's first message starts.
const flowWelcome = "welcome"

func (t *turn) runEngine() error {
	env := t.env()
	stored := t.session
	var (
		sess   *flows.Session
		events []flows.Event
	)
	if t.in.Input.Kind == langnghe.InputTimeout && (stored == nil || stored.TimeoutAt == nil || stored.TimeoutAt.After(t.in.Input.At)) {
		return nil // the resident answered meanwhile, or the session ended: the timeout is stale
	}
	if sess, events, handled, err := t.openCampaign(env); handled || err != nil {
		if err != nil {
			return err
		}
		return t.applyEvents(sess, events)
	}
	if t.in.Input.Kind == langnghe.InputCommand && t.in.Input.Command == flows.CommandStart && t.resident.Language != "" {
		// The language and the consent are asked once: a resident who
		// has been here before and taps Start again gets the menu.
		t.in.Input.Command = flows.CommandMenu
	}
	if stored != nil {
		var old flows.Session
		if err := json.Unmarshal(stored.Data, &old); err != nil {
			// A session that cannot be read (an old format, a bug) must not
			// lock the resident out: start again and say so in the log.
			t.s.log.Warn("unreadable session discarded", "resident", t.resident.ID, "err", err)
		} else {
			var err error
			sess, events, err = flows.Resume(env, &old, t.in.Input)
			switch langnghe.ErrorCode(err) {
			case "":
			case langnghe.ENOTFOUND, langnghe.EINVALID:
				// The session's flow revision cannot be run any more (it
				// was removed, or no longer validates against the
				// catalogue): retrying would never succeed, so the resident
				// is told and starts again at the menu.
				t.s.log.Error("session's flow cannot resume; starting again", "resident", t.resident.ID,
					"flow", old.Flow, "revision", old.Revision, "err", err)
				if err := t.send(t.text(msgRestarted)); err != nil {
					return err
				}
				opts := flows.StartOptions{Language: t.language(), Name: t.resident.Name, Consent: old.Consent, Phone: t.resident.Phone,
					AnnouncementsAsked: old.AnnouncementsAsked}
				sess, events, err = flows.Resume(env, flows.NewSession(opts), langnghe.Input{Kind: langnghe.InputCommand, Command: flows.CommandMenu, At: t.in.Input.At})
				if err != nil {
					return fmt.Errorf("restart resident %d at the menu: %w", t.resident.ID, err)
				}
			default:
				return fmt.Errorf("resume session of resident %d: %w", t.resident.ID, err)
			}
		}
	}
	if sess == nil && events == nil {
		given, err := t.consents()
		if err != nil {
			return err
		}
		opts := flows.StartOptions{Language: t.language(), Name: t.resident.Name, Consent: given.contact, Phone: t.resident.Phone,
			AnnouncementsAsked: given.announcementsAsked}
		if t.resident.Language == "" && t.in.Input.Kind != langnghe.InputCommand {
			// First contact: language and the consent notice come first.
			sess, events, err = flows.Start(env, flowWelcome, opts, t.in.Input)
		} else {
			// No conversation running: the engine treats the input as it
			// would at the end of one (a command starts its flow, anything
			// else the menu).
			sess, events, err = flows.Resume(env, flows.NewSession(opts), t.in.Input)
		}
		if err != nil {
			return fmt.Errorf("start a conversation for resident %d: %w", t.resident.ID, err)
		}
	}
	return t.applyEvents(sess, events)
}

// given is what the resident's recorded consents say for a new session.
type given struct {
	// contact: the latest answer to the contact notice was yes. Silence
	// is not consent: no record means no.
	contact bool
	// announcementsAsked: the resident answered the announcements notice
	// (or withdrew), so it is not asked again.
	announcementsAsked bool
}

func (t *turn) consents() (given, error) {
	cs, err := t.tx.Consents(t.ctx, t.resident.ID)
	if err != nil {
		return given{}, fmt.Errorf("load consents: %w", err)
	}
	g := given{contact: langnghe.ContactGiven(cs)}
	for _, c := range cs {
		if c.Purpose == langnghe.ConsentAnnouncements {
			g.announcementsAsked = true
		}
	}
	return g, nil
}

// applyEvents carries out what the engine asked, then stores the session.
func (t *turn) applyEvents(sess *flows.Session, events []flows.Event) error {
	var timeoutAt *time.Time
	// closed is set when the campaign the resident answered closed in the
	// meantime: they are told so, and what the flow would say next (its
	// thanks, "another question?") is not said, nor waited for.
	closed := false
	for _, ev := range events {
		if closed && (ev.Type == flows.EventMessage || ev.Type == flows.EventWait) {
			continue
		}
		switch ev.Type {
		case flows.EventMessage:
			if ev.Message != nil {
				if err := t.send(*ev.Message); err != nil {
					return err
				}
			}
		case flows.EventOpinion:
			if err := t.flush(); err != nil {
				return err
			}
			if err := t.createOpinion(ev.Opinion); err != nil {
				return err
			}
		case flows.EventResponse:
			late, err := t.recordResponse(ev.Response)
			if err != nil {
				return err
			}
			closed = closed || late
		case flows.EventEmergency:
			if err := t.emergencyReported(ev.Emergency); err != nil {
				return err
			}
		case flows.EventConsent:
			c := langnghe.Consent{ResidentID: t.resident.ID, Purpose: ev.Consent.Purpose,
				NoticeVersion: ev.Consent.NoticeVersion, Granted: ev.Consent.Granted, At: t.in.Input.At, AreaCode: ev.Consent.Area}
			if err := t.tx.RecordConsent(t.ctx, c); err != nil {
				return fmt.Errorf("record consent: %w", err)
			}
		case flows.EventLanguage:
			t.resident.Language = ev.Language
			if err := t.tx.SaveResident(t.ctx, t.resident); err != nil {
				return fmt.Errorf("save language: %w", err)
			}
		case flows.EventListOpinions:
			if err := t.listOpinions(); err != nil {
				return err
			}
		case flows.EventShowData:
			if err := t.showData(); err != nil {
				return err
			}
		case flows.EventDeleteData:
			// Replies queued before the deletion go with the resident's
			// queued messages, as they always did.
			if err := t.flush(); err != nil {
				return err
			}
			if err := t.tx.DeleteResidentData(t.ctx, t.resident.ID); err != nil {
				return fmt.Errorf("delete personal data: %w", err)
			}
			// The row stays (so the bot knows who asked) without the name.
			t.resident.Name, t.resident.Phone = "", ""
		case flows.EventWait:
			if !ev.Timeout.IsZero() {
				at := ev.Timeout
				timeoutAt = &at
			}
		case flows.EventEnd:
		case flows.EventError:
			t.s.log.Error("flow error", "flow", sess.Flow, "revision", sess.Revision, "resident", t.resident.ID, "err", ev.Error)
		}
	}
	if sess == nil {
		return t.flush()
	}
	if closed {
		sess.Stop()
	}
	// An ended session is kept too: its wait counter makes buttons of
	// earlier conversations stale, and the next input goes on from it.
	data, err := json.Marshal(sess)
	if err != nil {
		return fmt.Errorf("encode session: %w", err)
	}
	stored := &langnghe.StoredSession{ResidentID: t.resident.ID, FlowID: sess.Flow, Revision: sess.Revision, Data: data, TimeoutAt: timeoutAt}
	if err := t.tx.SaveTurn(t.ctx, stored, t.replies); err != nil {
		return fmt.Errorf("save the turn: %w", err)
	}
	t.replies = nil
	return nil
}

func (t *turn) createOpinion(o *langnghe.Opinion) error {
	if o == nil {
		return errors.New("opinion event without an opinion")
	}
	o.Channel = t.in.Channel
	id := t.resident.ID
	o.ResidentID = &id
	if err := t.tx.CreateOpinion(t.ctx, o); err != nil {
		return fmt.Errorf("create opinion %s: %w", o.Code, err)
	}
	var ids []int64
	for _, a := range o.Attachments {
		if n, ok := storedID(a.StoredAt); ok {
			ids = append(ids, n)
		}
	}
	if len(ids) > 0 {
		if err := t.tx.LinkAttachments(t.ctx, o.ID, ids); err != nil {
			return fmt.Errorf("link attachments of %s: %w", o.Code, err)
		}
	}
	if !o.Anonymous && o.ContactPhone != "" && o.ContactPhone != t.resident.Phone {
		// Kept on the resident too (they consented), so "my data" shows it
		// and deletion clears it.
		t.resident.Phone = o.ContactPhone
		if err := t.tx.SaveResident(t.ctx, t.resident); err != nil {
			return fmt.Errorf("save phone: %w", err)
		}
	}
	t.s.Metrics.Opinions.Add(1)
	return t.opinionCreated(o)
}

func storedID(ref string) (int64, bool) {
	if len(ref) < 4 || ref[:3] != "db:" {
		return 0, false
	}
	n, err := strconv.ParseInt(ref[3:], 10, 64)
	return n, err == nil
}

// send queues a reply to this chat; it leaves with the commit. Replies are
// written together, with the session when the turn ends (SaveTurn), or
// before anything else that queues messages or deletes them (flush), so the
// chat's order is the order of send calls.
func (t *turn) send(m langnghe.Message) error {
	if n := len(t.replies); n > 0 && joinable(t.replies[n-1].Message, m) {
		// One turn's messages arrive as one: Telegram paces a chat to
		// about a message a second, and a resident who taps quickly
		// otherwise answers the wrong question.
		last := &t.replies[n-1].Message
		last.Text += "\n\n" + m.Text
		last.Buttons, last.Request = m.Buttons, m.Request
		last.RemoveKeyboard = last.RemoveKeyboard || m.RemoveKeyboard
		return nil
	}
	out := &langnghe.Outgoing{Channel: t.in.Channel, ChatID: t.in.ChatID, Message: m, NotBefore: t.in.Input.At}
	if t.resident != nil && t.resident.ID != 0 {
		id := t.resident.ID
		out.ResidentID = &id
	}
	t.replies = append(t.replies, out)
	return nil
}

// flush writes the replies sent so far.
func (t *turn) flush() error {
	if len(t.replies) == 0 {
		return nil
	}
	if err := t.tx.SaveTurn(t.ctx, nil, t.replies); err != nil {
		return fmt.Errorf("queue replies: %w", err)
	}
	t.replies = nil
	return nil
}

func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// FireTimeouts resumes every session whose wait ran out by now with a "no
// response" input. Each goes through Handle, so it is applied once however
// many replicas fire it.
func (s *Service) FireTimeouts(ctx context.Context, now time.Time) error {
	due, err := s.db.DueTimeouts(ctx, now, 100)
	if err != nil {
		return fmt.Errorf("due timeouts: %w", err)
	}
	for _, st := range due {
		var r *langnghe.Resident
		err := s.db.InTx(ctx, func(tx *storage.Tx) error {
			var err error
			r, err = tx.Resident(ctx, st.ResidentID)
			return err
		})
		if err != nil {
			return fmt.Errorf("resident %d of a timed-out session: %w", st.ResidentID, err)
		}
		in := langnghe.Inbound{
			Channel:  r.Channel,
			UpdateID: fmt.Sprintf("timeout:%d:%d", st.ResidentID, st.TimeoutAt.UnixNano()),
			UserID:   r.ExternalID,
			ChatID:   r.ChatID,
			Private:  true,
			Input:    langnghe.Input{Kind: langnghe.InputTimeout, At: now},
		}
		if err := s.Handle(ctx, in); err != nil {
			return err
		}
	}
	return nil
}

// joinedLimit keeps a joined message well inside Telegram's 4096 UTF-16
// units, whatever the script.
const joinedLimit = 3000

// joinable reports whether next can ride on prev: prev carries no buttons
// or share request (which must stay on the message they belong to), a
// keyboard removal cannot share a message with inline buttons, and the
// text stays short. An emergency reply stays a message of its own, and so
// does a message regarding an opinion: a reply to it names the message
// that carries the opinion's code, and only that one.
func joinable(prev, next langnghe.Message) bool {
	switch {
	case len(prev.Buttons) > 0 || prev.Request != "":
		return false
	case prev.Regarding != nil || next.Regarding != nil:
		return false
	case prev.RemoveKeyboard && (len(next.Buttons) > 0 || next.Request != ""):
		return false
	case strings.HasPrefix(prev.Text, "🚨"):
		return false
	}
	return utf8.RuneCountInString(prev.Text)+utf8.RuneCountInString(next.Text) < joinedLimit
}
