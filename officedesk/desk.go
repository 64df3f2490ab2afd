// Package officedesk is the follow-up side of the chat. Officials bind their
// Telegram account through an invitation deep link, get a notification for
// each new opinion routed to their units, and act on opinions with commands,
// buttons and replies; residents hear back about public changes in their own
// language, signed by the unit (never by the official), and rate answers.
//
// The desk runs inside the update's transaction that conversation.Service
// opens (one input, one transaction, the chat's lock), and every action goes
// through the follow-up core, which checks the official's scope: button data
// and codes are only ever hints, never authority.
package officedesk

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"langnghe"
	"langnghe/flows"
	"langnghe/followup"
	"langnghe/storage"
)

// Followup is what the desk needs of the follow-up core (followup.Service).
type Followup interface {
	Accept(ctx context.Context, tx *storage.Tx, code, channel, externalID, chatID, name string) (*langnghe.Official, error)
	Official(ctx context.Context, tx *storage.Tx, channel, externalID string) (*langnghe.Official, error)
	Route(ctx context.Context, tx *storage.Tx, o *langnghe.Opinion) (unit string, err error)
	Watchers(ctx context.Context, tx *storage.Tx, unit string) ([]langnghe.Official, error)
	Act(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, code string, a followup.Action) (*followup.Change, error)
	RateAnswer(ctx context.Context, tx *storage.Tx, residentID int64, code string, v followup.Verdict) (*followup.Change, error)
	Reason(ctx context.Context, tx *storage.Tx, residentID int64, code string, answer int64, reason string) (*followup.Change, error)
	Opinion(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, code string) (*langnghe.Opinion, []langnghe.OpinionEvent, error)
	List(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, f langnghe.OpinionFilter) ([]langnghe.Opinion, error)
	EmergencyUnit(ctx context.Context, tx *storage.Tx, area string) (string, error)
	EmergencyWatchers(ctx context.Context, tx *storage.Tx, unit string) ([]langnghe.Official, error)
	AcknowledgeEmergency(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, id int64) (*langnghe.Emergency, error)
}

// Options are the desk's settings.
type Options struct {
	// TimeZone reads and shows dates (Asia/Ho_Chi_Minh).
	TimeZone *time.Location
	Now      func() time.Time
	// SignInLink turns a console sign-in token into the link sent to the
	// official (web/console.SignInLink with the console's address); nil
	// when there is no console, and /dangnhap says so.
	SignInLink func(token string) string
	// StatusName is a status in a resident's words, those of their own
	// opinion list (the wiring gives conversation.StatusName); nil: the
	// officials' words (langnghe.Status.Name).
	StatusName func(s langnghe.Status, lang string) string
}

// Desk implements conversation.Desk (the wiring hands it over; the desk
// itself needs nothing of the conversation's package).
type Desk struct {
	core Followup
	cat  *langnghe.Catalogue
	opts Options
	log  *slog.Logger
}

// New returns a desk acting through core.
func New(core Followup, cat *langnghe.Catalogue, opts Options, log *slog.Logger) *Desk {
	opts.TimeZone, opts.Now = langnghe.Clock(opts.TimeZone, opts.Now)
	if opts.StatusName == nil {
		opts.StatusName = func(s langnghe.Status, lang string) string { return s.Name(lang) }
	}
	if log == nil {
		log = slog.Default()
	}
	return &Desk{core: core, cat: cat, opts: opts, log: log}
}

// opinionCodes finds opinion codes (DT-2026-000123) in a text: one an
// official names in a message, or one in a message of ours sent before
// replies were matched by message id (replyRegards).
var opinionCodes = regexp.MustCompile(`\b[A-Z][A-Z0-9]{0,9}-\d{4}-\d{4,}\b`)

// replying reports whether in replies to a message of ours.
func replying(in langnghe.Inbound) bool { return in.ReplyTo != "" || in.ReplyToID != "" }

// replyRegards returns the opinion in's reply is about when a reply to the
// message it quotes does what reply says (langnghe.ReplyAnswer,
// ReplyReason); "" when it does not. The message is found by the id the
// channel sent it as (storage's reply_targets, recorded at delivery), so
// its text does not matter. A message with no id recorded regards no
// opinion, or was sent before migration 00014 (or its delivery could not
// be recorded): the quoted text still decides then, as it did before,
// when it names exactly one opinion (and, for a reason, is the question).
// Records are kept a year; a year after the upgrade, when no notification
// from before it can still be answered, this reading of texts can go.
func replyRegards(ctx context.Context, tx *storage.Tx, in langnghe.Inbound, reply string) (string, error) {
	if in.ReplyToID != "" {
		r, err := tx.ReplyTarget(ctx, in.Channel, in.ChatID, in.ReplyToID)
		switch {
		case err == nil && r.Reply == reply:
			return r.Opinion, nil
		case err == nil:
			return "", nil
		case langnghe.ErrorCode(err) != langnghe.ENOTFOUND:
			return "", fmt.Errorf("message %s replied to: %w", in.ReplyToID, err)
		}
	}
	if reply == langnghe.ReplyReason && !isReasonQuestion(in.ReplyTo) {
		return "", nil
	}
	codes := distinct(opinionCodes.FindAllString(in.ReplyTo, -1))
	if len(codes) != 1 {
		return "", nil
	}
	return codes[0], nil
}

// Official applies an invitation deep link, or an active official's input.
func (d *Desk) Official(ctx context.Context, tx *storage.Tx, in langnghe.Inbound) (bool, error) {
	// An invitation's deep link t.me/<bot>?start=inv_<code> reaches the bot
	// as "/start inv_<code>".
	if in.Input.Kind == langnghe.InputCommand && in.Input.Command == flows.CommandStart && strings.HasPrefix(in.Input.Text, langnghe.InvitePrefix) {
		return true, d.accept(ctx, tx, in, in.Input.Text)
	}
	off, err := d.core.Official(ctx, tx, in.Channel, in.UserID)
	switch {
	case langnghe.ErrorCode(err) == langnghe.ENOTFOUND:
		return false, nil
	case err != nil:
		return false, fmt.Errorf("look up official %s:%s: %w", in.Channel, in.UserID, err)
	case !off.Active():
		return false, nil
	}
	c := &desk{Desk: d, ctx: ctx, tx: tx, in: in, official: off}
	return true, c.handle()
}

// accept binds the sender's account to the invitation with code.
func (d *Desk) accept(ctx context.Context, tx *storage.Tx, in langnghe.Inbound, code string) error {
	off, err := d.core.Accept(ctx, tx, code, in.Channel, in.UserID, in.ChatID, FamilyNameFirst(in.Name))
	lang := officialLanguage(in.LanguageCode)
	if err != nil {
		text := say(lang, msgInviteInvalid)
		switch langnghe.ErrorCode(err) {
		case langnghe.EINTERNAL:
			return fmt.Errorf("accept invitation: %w", err)
		case langnghe.ECONFLICT:
			text = say(lang, msgAlreadyOfficial)
		}
		return enqueue(ctx, tx, in.Channel, in.ChatID, nil, langnghe.Message{Text: text})
	}
	if off.Language != "" {
		lang = off.Language
	}
	text := fmt.Sprintf(say(lang, msgWelcomeOfficial), FamilyNameFirst(off.Name)) + "\n\n" + say(lang, msgHelp)
	return enqueue(ctx, tx, in.Channel, in.ChatID, nil, langnghe.Message{Text: text})
}

// OpinionCreated routes o and notifies the officials watching its unit.
func (d *Desk) OpinionCreated(ctx context.Context, tx *storage.Tx, o *langnghe.Opinion) error {
	unit, err := d.core.Route(ctx, tx, o)
	if err != nil {
		return err
	}
	o.Unit = unit
	watchers, err := d.core.Watchers(ctx, tx, unit)
	if err != nil {
		return fmt.Errorf("officials of unit %q: %w", unit, err)
	}
	for _, w := range watchers {
		if err := enqueue(ctx, tx, w.Channel, w.ChatID, nil, d.notification(ctx, tx, &w, o)); err != nil {
			return fmt.Errorf("notify official %d of %s: %w", w.ID, o.Code, err)
		}
	}
	return nil
}

// Act applies an official's action to the opinion with code through the
// follow-up core, which checks the official's scope and the lifecycle's
// rules, and tells whom the change concerns, whichever way the official
// acted (a chat command, a button, the web console): the resident hears of
// a public change in their language, naming the unit (never the official)
// and the date, and the officials
// of the unit an opinion is forwarded to are notified of it. It runs in the
// caller's transaction, so the messages leave only if the action commits.
func (d *Desk) Act(ctx context.Context, tx *storage.Tx, official *langnghe.Official, code string, a followup.Action) (*followup.Change, error) {
	ch, _, err := d.act(ctx, tx, official, code, a)
	return ch, err
}

// act is Act, and tells what the resident was told (for the chat's
// confirmation) and the due date before an extension.
func (d *Desk) act(ctx context.Context, tx *storage.Tx, official *langnghe.Official, code string, a followup.Action) (*followup.Change, told, error) {
	var prevDue time.Time
	if a.Kind == followup.ActExtend {
		// Read before the core changes it; shown only once the core has
		// checked the official's scope and applied the extension.
		if o, err := tx.Opinion(ctx, code); err == nil {
			prevDue = o.DueAt
		}
	}
	ch, err := d.core.Act(ctx, tx, official, code, a)
	if err != nil {
		return nil, told{}, err
	}
	t := told{PrevDue: prevDue}
	if ch.Public {
		if t, err = d.tellResident(ctx, tx, ch, prevDue); err != nil {
			return nil, told{}, err
		}
		t.PrevDue = prevDue
	}
	if a.Kind == followup.ActForward {
		if err := d.notifyForwarded(ctx, tx, official, &ch.Opinion, a.Note); err != nil {
			return nil, told{}, err
		}
	}
	if a.Kind == followup.ActAssign && a.Assignee != 0 {
		if err := d.notifyAssigned(ctx, tx, official, a, &ch.Opinion); err != nil {
			return nil, told{}, err
		}
	}
	return ch, t, nil
}

// notifyForwarded tells the officials of the unit an opinion was forwarded
// to, as of a new opinion, with who forwarded it, when, and their note
// (through the gate). The board, who see every unit, were told when it
// arrived; the official who forwarded it knows.
func (d *Desk) notifyForwarded(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, o *langnghe.Opinion, note string) error {
	watchers, err := d.core.Watchers(ctx, tx, o.Unit)
	if err != nil {
		return fmt.Errorf("officials of unit %q: %w", o.Unit, err)
	}
	for _, w := range watchers {
		if w.SeesAll() || w.ID == actor.ID {
			continue
		}
		by := fmt.Sprintf(say(w.Language, msgForwardedBy), FamilyNameFirst(actor.Name), d.day(d.opts.Now()))
		if note = strings.TrimSpace(note); note != "" {
			by += "\n" + fmt.Sprintf(say(w.Language, msgForwardNote), w.RevealNote(o, note))
		}
		text := say(w.Language, msgForwardedOpinion) + "\n" + by + "\n\n" + d.describeIn(ctx, tx, &w, o, w.Language) + "\n\n" + say(w.Language, msgReplyToAnswer)
		if err := enqueue(ctx, tx, w.Channel, w.ChatID, nil, notice(o.Code, text, w.Language)); err != nil {
			return fmt.Errorf("notify official %d of forwarded %s: %w", w.ID, o.Code, err)
		}
	}
	return nil
}

// enqueue queues m for a chat; it leaves with the commit. residentID is set
// for residents so that a blocked bot marks them unreachable.
func enqueue(ctx context.Context, tx *storage.Tx, channel, chatID string, residentID *int64, m langnghe.Message) error {
	if err := tx.Enqueue(ctx, &langnghe.Outgoing{Channel: channel, ChatID: chatID, ResidentID: residentID, Message: m}); err != nil {
		return fmt.Errorf("queue message: %w", err)
	}
	return nil
}

// officialLanguage maps a client's hint to the languages the desk speaks to
// officials: Vietnamese, or English.
func officialLanguage(code string) string {
	if strings.HasPrefix(strings.ToLower(code), "en") {
		return langnghe.LangEN
	}
	return langnghe.LangVI
}
