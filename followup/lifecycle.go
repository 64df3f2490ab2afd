package followup

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"langnghe"
	"langnghe/storage"
)

// ActionKind is what an official does to an opinion.
type ActionKind string

const (
	ActTake      ActionKind = "take"      // → in_progress
	ActForward   ActionKind = "forward"   // → forwarded to Action.Unit
	ActExtend    ActionKind = "extend"    // → extended to Action.Due, Action.Note the reason
	ActAnswer    ActionKind = "answer"    // → answered, Action.Note the answer
	ActReject    ActionKind = "reject"    // → rejected, Action.Note the reason
	ActRedirect  ActionKind = "redirect"  // → redirected, Action.Note where to turn
	ActDuplicate ActionKind = "duplicate" // → duplicate of Action.DuplicateOf
	ActClose     ActionKind = "close"     // → closed
	ActNote      ActionKind = "note"      // no status change; internal unless Action.Public
	// ActRecategorize corrects the category to Action.Category; no status
	// change, recorded as an internal event naming the old and the new one.
	ActRecategorize ActionKind = "recategorize"
)

// Action is one official's action on an opinion.
type Action struct {
	Kind ActionKind
	// Unit is the unit to forward to.
	Unit string
	// Note is the answer, the reason or the remark. For take, forward,
	// duplicate, close and note it is internal unless Public; the answer
	// and the reasons for extending, rejecting and redirecting are always
	// told to the resident.
	Note   string
	Public bool
	// Due is the new due date of an extension.
	Due time.Time
	// DuplicateOf is the code of the opinion this one repeats.
	DuplicateOf string
	// Category is the corrected category's code.
	Category string
	// Assignee is the official to give the opinion to (ActAssign); 0
	// takes the assignment back.
	Assignee int64
}

// Change is what an action did. Opinion is the opinion afterwards, with the
// resident's id so the channel can tell them; never show it to officials.
type Change struct {
	Opinion  langnghe.Opinion
	From, To langnghe.Status
	// Public reports whether the resident should hear of the change (in
	// their language, naming the unit, never the official).
	Public bool
	// Note is what the resident may read: the answer, a reason, a public
	// note; "" when the note was internal.
	Note string
}

// rule is one action's transition: the statuses it may start from and the
// status it leads to ("" for no change).
type rule struct {
	from func(langnghe.Status) bool
	to   langnghe.Status
	// publicNote: the note is always told to the resident.
	publicNote bool
	// needsNote: the action is refused without a note.
	needsNote bool
}

func openStatus(s langnghe.Status) bool { return s.Open() }

var rules = map[ActionKind]rule{
	ActTake: {from: func(s langnghe.Status) bool { return s.Open() && s != langnghe.StatusInProgress },
		to: langnghe.StatusInProgress},
	ActForward:   {from: openStatus, to: langnghe.StatusForwarded},
	ActExtend:    {from: openStatus, to: langnghe.StatusExtended, publicNote: true, needsNote: true},
	ActAnswer:    {from: openStatus, to: langnghe.StatusAnswered, publicNote: true, needsNote: true},
	ActReject:    {from: openStatus, to: langnghe.StatusRejected, publicNote: true, needsNote: true},
	ActRedirect:  {from: openStatus, to: langnghe.StatusRedirected, publicNote: true, needsNote: true},
	ActDuplicate: {from: openStatus, to: langnghe.StatusDuplicate},
	ActClose: {from: func(s langnghe.Status) bool { return s.Open() || s == langnghe.StatusAnswered },
		to: langnghe.StatusClosed},
	ActNote:         {from: func(langnghe.Status) bool { return true }, needsNote: true},
	ActRecategorize: {from: func(langnghe.Status) bool { return true }},
}

// maxNote caps a note in characters: an answer fits in one Telegram message.
const maxNote = 3500

// ActorResident names the resident in an opinion's history.
const ActorResident = "resident"

// Act applies an official's action to the opinion with code. It checks, in
// order: that the actor is still an active official (EUNAUTHORIZED after a
// revocation), that the opinion is within their scope (ENOTFOUND otherwise,
// the same answer as for a code that does not exist, so guessing codes
// reveals nothing), and that the action is allowed from the opinion's
// status with what it needs (EINVALID with a message for the official).
// Every change is recorded as an event.
func (s *Service) Act(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, code string, a Action) (*Change, error) {
	if a.Kind == ActAssign {
		return s.assign(ctx, tx, actor, code, a)
	}
	r, ok := rules[a.Kind]
	if !ok {
		return nil, langnghe.Errorf(langnghe.EINVALID, "unknown action %q", a.Kind)
	}
	actor, o, err := s.opinionFor(ctx, tx, actor, code, true)
	if err != nil {
		return nil, err
	}
	a.Note = strings.TrimSpace(a.Note)
	if err := s.check(ctx, tx, actor, o, a, r); err != nil {
		return nil, err
	}
	if a.Kind == ActRecategorize {
		// The history names both categories (and the official's reason).
		a.Note = strings.TrimSpace(fmt.Sprintf("category: %s → %s\n%s", o.Category, a.Category, a.Note))
	}
	if a.Kind == ActForward && !a.Public {
		// The history names the unit (the note is internal).
		a.Note = ForwardedNote(a.Unit, a.Note)
	}
	now := s.opts.Now()
	public := r.publicNote || a.Public
	change := &Change{From: o.Status, To: o.Status}
	events := []*langnghe.OpinionEvent{}
	if r.to != "" {
		change.To, change.Public = r.to, true
		ev := &langnghe.OpinionEvent{OpinionID: o.ID, StatusFrom: o.Status, StatusTo: r.to, Actor: actor.Actor(),
			Public: true, At: now}
		if public {
			ev.Note = a.Note
		}
		events = append(events, ev)
	}
	if a.Note != "" && (r.to == "" || !public) {
		events = append(events, &langnghe.OpinionEvent{OpinionID: o.ID, Actor: actor.Actor(), Note: a.Note,
			Public: public, At: now})
	}
	if public {
		change.Note, change.Public = a.Note, true
	}
	for _, ev := range events {
		if err := tx.AddOpinionEvent(ctx, ev); err != nil {
			return nil, fmt.Errorf("%s opinion %s: %w", a.Kind, code, err)
		}
	}
	var u langnghe.OpinionUpdate
	switch a.Kind {
	case ActTake:
		// Taking a complaint or a denunciation is accepting it: its
		// deadline becomes the resolution's (see LegalDue).
		if s.calendar != nil {
			if due, ok := TakenDue(*o, now, s.calendar); ok && !due.Equal(o.DueAt) {
				u.DueAt = &due
			}
		}
	case ActForward:
		u.Unit = &a.Unit
	case ActExtend:
		u.DueAt = &a.Due
	case ActAnswer:
		none := ""
		u.AnsweredAt, u.Rating = &now, &none
	case ActDuplicate:
		u.DuplicateOf = &a.DuplicateOf
	case ActRecategorize:
		u.Category = &a.Category
	}
	if u != (langnghe.OpinionUpdate{}) {
		if err := tx.UpdateOpinion(ctx, o.ID, u); err != nil {
			return nil, fmt.Errorf("%s opinion %s: %w", a.Kind, code, err)
		}
	}
	if change.Opinion, err = s.reload(ctx, tx, code); err != nil {
		return nil, err
	}
	return change, nil
}

// check refuses an action its rule or its arguments do not allow.
func (s *Service) check(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, o *langnghe.Opinion, a Action, r rule) error {
	if !r.from(o.Status) {
		return langnghe.Errorf(langnghe.EINVALID, "opinion %s is %s: it cannot be %s now", o.Code,
			langnghe.Said(string(o.Status), o.Status.Name), langnghe.Words("followup.action."+string(a.Kind)))
	}
	if r.needsNote && a.Note == "" {
		return langnghe.Errorf(langnghe.EINVALID, "to %s opinion %s, write %s",
			langnghe.Said(string(a.Kind), langnghe.Words("followup.action."+string(a.Kind)).In), o.Code, langnghe.Words("followup.note_name."+string(a.Kind)))
	}
	if utf8.RuneCountInString(a.Note) > maxNote {
		return langnghe.Errorf(langnghe.EINVALID, "the note is longer than %d characters", maxNote)
	}
	switch a.Kind {
	case ActForward:
		if a.Unit == "" {
			return langnghe.Errorf(langnghe.EINVALID, "to forward opinion %s, name the unit", o.Code)
		}
		if a.Unit == o.Unit {
			return langnghe.Errorf(langnghe.EINVALID, "opinion %s is already with unit %s", o.Code, a.Unit)
		}
		if _, err := tx.Unit(ctx, a.Unit); langnghe.ErrorCode(err) == langnghe.ENOTFOUND {
			return langnghe.Errorf(langnghe.EINVALID, "there is no unit %q", a.Unit)
		} else if err != nil {
			return err
		}
	case ActExtend:
		if a.Due.IsZero() {
			return langnghe.Errorf(langnghe.EINVALID, "to extend opinion %s, give the new due date", o.Code)
		}
		if err := langnghe.CheckDate(a.Due.In(s.opts.TimeZone)); err != nil {
			return err
		}
		if !a.Due.After(s.opts.Now()) || (!o.DueAt.IsZero() && !a.Due.After(o.DueAt)) {
			return langnghe.Errorf(langnghe.EINVALID, "the new due date of opinion %s must be later than the current one and than now", o.Code)
		}
	case ActDuplicate:
		if a.DuplicateOf == "" {
			return langnghe.Errorf(langnghe.EINVALID, "to mark opinion %s a duplicate, give the code of the original", o.Code)
		}
		if a.DuplicateOf == o.Code {
			return langnghe.Errorf(langnghe.EINVALID, "opinion %s cannot repeat itself", o.Code)
		}
		// The original must be visible too: otherwise this would be a way
		// to test whether a code outside one's scope exists.
		if _, err := s.visible(ctx, tx, actor, a.DuplicateOf, false); err != nil {
			return err
		}
	case ActRecategorize:
		if a.Category == "" {
			return langnghe.Errorf(langnghe.EINVALID, "to correct the category of opinion %s, choose the category", o.Code)
		}
		if a.Category == o.Category {
			return langnghe.Errorf(langnghe.EINVALID, "opinion %s is already in category %s", o.Code, a.Category)
		}
		if s.catalogue != nil {
			if _, ok := s.catalogue.Category(a.Category); !ok {
				return langnghe.Errorf(langnghe.EINVALID, "there is no category %q", a.Category)
			}
		}
	}
	return nil
}

// Verdict is a resident's press of a rating button.
type Verdict struct {
	Satisfied bool
	// Reason is why not, when the press carries one (a reason button of
	// a message sent before reasons were asked after the reopening); ""
	// otherwise: the desk asks for it after, and Reason attaches it.
	Reason string
	// Answer names the answer rated, as the buttons carry it
	// (AnswerStamp); 0 rates the latest answer.
	Answer int64
}

// AnswerStamp names the latest answer of o: the second it was given, 0
// before any. Rating buttons carry it, so that a button of an earlier
// answer rates nothing once the opinion is answered again.
func AnswerStamp(o *langnghe.Opinion) int64 {
	if o.AnsweredAt == nil {
		return 0
	}
	return o.AnsweredAt.Unix()
}

// Rate records the resident's verdict on the latest answer (RateAnswer).
func (s *Service) Rate(ctx context.Context, tx *storage.Tx, residentID int64, code string, satisfied bool, reason string) (*Change, error) {
	return s.RateAnswer(ctx, tx, residentID, code, Verdict{Satisfied: satisfied, Reason: reason})
}

// RateAnswer records the resident's verdict on an answer. Only the
// opinion's own resident may rate it (anyone else gets ENOTFOUND, so
// forged button data reveals nothing), only once it is answered and not
// yet rated, and only the answer the button was sent with (v.Answer).
// "Not satisfied" reopens the opinion at once, with a new due date (the
// category's service level from now); the reason, when not given with
// the press, is attached after (Reason). A second press of either button
// is refused: "not satisfied" then "satisfied" never records
// "satisfied" after a reopening.
func (s *Service) RateAnswer(ctx context.Context, tx *storage.Tx, residentID int64, code string, v Verdict) (*Change, error) {
	o, err := s.residentsOpinion(ctx, tx, residentID, code)
	if err != nil {
		return nil, err
	}
	if v.Answer != 0 && v.Answer != AnswerStamp(o) {
		return nil, langnghe.Errorf(langnghe.EINVALID, "opinion %s was answered again: rate the latest answer", code)
	}
	if o.Status != langnghe.StatusAnswered || o.Rating != "" {
		return nil, langnghe.Errorf(langnghe.EINVALID, "opinion %s can be rated once, after it is answered", code)
	}
	reason := strings.TrimSpace(v.Reason)
	if utf8.RuneCountInString(reason) > maxNote {
		return nil, langnghe.Errorf(langnghe.EINVALID, "the reason is longer than %d characters", maxNote)
	}
	now := s.opts.Now()
	rating := langnghe.RatingSatisfied
	ev := &langnghe.OpinionEvent{OpinionID: o.ID, Actor: ActorResident, Note: "rated: satisfied", At: now}
	u := langnghe.OpinionUpdate{Rating: &rating}
	change := &Change{From: o.Status, To: o.Status}
	if !v.Satisfied {
		rating = langnghe.RatingNotSatisfied
		ev.StatusFrom, ev.StatusTo, ev.Note, ev.Public = o.Status, langnghe.StatusReopened, reason, true
		change.To, change.Public, change.Note = langnghe.StatusReopened, true, reason
		if days := s.serviceDays(o.Category); days > 0 {
			due := s.calendar.AddWorkingDays(now, days)
			u.DueAt = &due
		}
	}
	if err := tx.AddOpinionEvent(ctx, ev); err != nil {
		return nil, fmt.Errorf("rate opinion %s: %w", code, err)
	}
	if err := tx.UpdateOpinion(ctx, o.ID, u); err != nil {
		return nil, fmt.Errorf("rate opinion %s: %w", code, err)
	}
	if change.Opinion, err = s.reload(ctx, tx, code); err != nil {
		return nil, err
	}
	return change, nil
}

// Reason attaches the resident's reason for not being satisfied to the
// opinion they reopened: only their own, only while it is reopened from
// that rating and still open, and only for the answer named (answer, as
// AnswerStamp; 0 for the latest). Each reason is a public event of the
// resident's; the change's Note is the reason.
func (s *Service) Reason(ctx context.Context, tx *storage.Tx, residentID int64, code string, answer int64, reason string) (*Change, error) {
	o, err := s.residentsOpinion(ctx, tx, residentID, code)
	if err != nil {
		return nil, err
	}
	if o.Rating != langnghe.RatingNotSatisfied || !o.Status.Open() || (answer != 0 && answer != AnswerStamp(o)) {
		return nil, langnghe.Errorf(langnghe.EINVALID, "opinion %s is not waiting for a reason", code)
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, langnghe.Errorf(langnghe.EINVALID, "please say why the answer does not satisfy you")
	}
	if utf8.RuneCountInString(reason) > maxNote {
		return nil, langnghe.Errorf(langnghe.EINVALID, "the reason is longer than %d characters", maxNote)
	}
	ev := &langnghe.OpinionEvent{OpinionID: o.ID, Actor: ActorResident, Note: reason, Public: true, At: s.opts.Now()}
	if err := tx.AddOpinionEvent(ctx, ev); err != nil {
		return nil, fmt.Errorf("reason for opinion %s: %w", code, err)
	}
	change := &Change{From: o.Status, To: o.Status, Note: reason}
	if change.Opinion, err = s.reload(ctx, tx, code); err != nil {
		return nil, err
	}
	return change, nil
}

// residentsOpinion locks the opinion with code when it is the resident's;
// ENOTFOUND otherwise, as for a code that does not exist.
func (s *Service) residentsOpinion(ctx context.Context, tx *storage.Tx, residentID int64, code string) (*langnghe.Opinion, error) {
	o, err := tx.OpinionForUpdate(ctx, code)
	if langnghe.ErrorCode(err) == langnghe.ENOTFOUND || (err == nil && (o.ResidentID == nil || *o.ResidentID != residentID)) {
		return nil, notFound(code)
	} else if err != nil {
		return nil, err
	}
	return o, nil
}

func (s *Service) serviceDays(category string) int {
	if s.catalogue == nil {
		return 0
	}
	c, _ := s.catalogue.Category(category)
	return c.ServiceDays
}

// Opinion returns an opinion within the actor's scope and its history, as
// the actor may see them (langnghe.Official.Reveal, RevealNote: a
// denouncer's identity only with the permission). ENOTFOUND outside the
// scope.
func (s *Service) Opinion(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, code string) (*langnghe.Opinion, []langnghe.OpinionEvent, error) {
	actor, o, err := s.opinionFor(ctx, tx, actor, code, false)
	if err != nil {
		return nil, nil, err
	}
	events, err := tx.OpinionEvents(ctx, o.ID)
	if err != nil {
		return nil, nil, err
	}
	for i := range events {
		events[i].Note = actor.RevealNote(o, events[i].Note)
	}
	seen := actor.Reveal(*o)
	return &seen, events, nil
}

// List lists opinions like storage's ListOpinions, narrowed to the actor's
// scope, as the actor may see them (langnghe.Official.Reveal).
func (s *Service) List(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, f langnghe.OpinionFilter) ([]langnghe.Opinion, error) {
	actor, f, err := s.scope(ctx, tx, actor, f)
	if err != nil {
		return nil, err
	}
	list, err := tx.ListOpinions(ctx, f)
	if err != nil {
		return nil, err
	}
	seen := list[:0]
	for i := range list {
		if actor.MaySee(&list[i]) { // the filter kept to the scope already; the gate has the last word
			seen = append(seen, actor.Reveal(list[i]))
		}
	}
	return seen, nil
}

// Count counts per status, like storage's CountOpinions (each count
// stopping at upTo), the opinions within the actor's scope that f keeps.
func (s *Service) Count(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, f langnghe.OpinionFilter, upTo int) (map[langnghe.Status]langnghe.OpinionCount, error) {
	_, f, err := s.scope(ctx, tx, actor, f)
	if err != nil {
		return nil, err
	}
	return tx.CountOpinions(ctx, f, upTo)
}

// scope reloads the actor and narrows f to the opinions they may see
// (langnghe.Official.Scope, within any scope f had already).
func (s *Service) scope(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, f langnghe.OpinionFilter) (*langnghe.Official, langnghe.OpinionFilter, error) {
	actor, err := s.authorize(ctx, tx, actor)
	if err != nil {
		return nil, f, err
	}
	scope := actor.Scope()
	if f.Scope != nil {
		scope = scope.Intersect(*f.Scope)
	}
	f.Scope = &scope
	return actor, f, nil
}

// authorize reloads the actor, so that a revocation or a change of units
// takes effect at once, even for an official loaded earlier (Tx.Acting).
func (s *Service) authorize(ctx context.Context, tx *storage.Tx, actor *langnghe.Official) (*langnghe.Official, error) {
	return tx.Acting(ctx, actor)
}

// opinionFor reloads the actor (authorize) and loads the opinion with code
// when they may see it (visible): what every action on one opinion starts
// with.
func (s *Service) opinionFor(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, code string, lock bool) (*langnghe.Official, *langnghe.Opinion, error) {
	actor, err := s.authorize(ctx, tx, actor)
	if err != nil {
		return nil, nil, err
	}
	o, err := s.visible(ctx, tx, actor, code, lock)
	if err != nil {
		return nil, nil, err
	}
	return actor, o, nil
}

// visible loads the opinion with code when the actor may see it, and
// answers ENOTFOUND — the same as for a code that does not exist — when
// not. lock takes the row for an update.
func (s *Service) visible(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, code string, lock bool) (*langnghe.Opinion, error) {
	load := tx.Opinion
	if lock {
		load = tx.OpinionForUpdate
	}
	o, err := load(ctx, code)
	if langnghe.ErrorCode(err) == langnghe.ENOTFOUND {
		return nil, notFound(code)
	} else if err != nil {
		return nil, err
	}
	if !actor.MaySee(o) {
		return nil, notFound(code)
	}
	return o, nil
}

func (s *Service) reload(ctx context.Context, tx *storage.Tx, code string) (langnghe.Opinion, error) {
	o, err := tx.Opinion(ctx, code)
	if err != nil {
		return langnghe.Opinion{}, fmt.Errorf("reload opinion %s: %w", code, err)
	}
	return *o, nil
}

func notFound(code string) error {
	return langnghe.Errorf(langnghe.ENOTFOUND, "opinion %q not found", code)
}
