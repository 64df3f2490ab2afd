package followup

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"langnghe"
	"langnghe/storage"
)

// ActAssign gives an open opinion to a named official of its unit
// (Action.Assignee; 0 takes the assignment back), with an optional
// internal note. The status does not change; the history records who gave
// it to whom. The desk tells the assignee (officedesk).
const ActAssign ActionKind = "assign"

// assign applies ActAssign. The assignee must be an active official of
// the opinion's unit who may see it (the gate): an assignee outside the
// unit is impossible, whoever asks.
func (s *Service) assign(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, code string, a Action) (*Change, error) {
	actor, o, err := s.opinionFor(ctx, tx, actor, code, true)
	if err != nil {
		return nil, err
	}
	a.Note = strings.TrimSpace(a.Note)
	if utf8.RuneCountInString(a.Note) > maxNote {
		return nil, langnghe.Errorf(langnghe.EINVALID, "the note is longer than %d characters", maxNote)
	}
	if !o.Status.Open() {
		return nil, langnghe.Errorf(langnghe.EINVALID, "opinion %s is %s: it cannot be assigned now", o.Code,
			langnghe.Said(string(o.Status), o.Status.Name))
	}
	switch {
	case a.Assignee == 0 && o.Assignee == 0:
		return nil, langnghe.Errorf(langnghe.EINVALID, "opinion %s is not assigned to anyone", o.Code)
	case a.Assignee != 0 && a.Assignee == o.Assignee:
		return nil, langnghe.Errorf(langnghe.EINVALID, "opinion %s is already assigned to that official", o.Code)
	case a.Assignee != 0:
		if _, err := s.Assignable(ctx, tx, o, a.Assignee); err != nil {
			return nil, err
		}
	}
	now := s.opts.Now()
	if err := tx.UpdateOpinion(ctx, o.ID, langnghe.OpinionUpdate{Assignee: &a.Assignee}); err != nil {
		return nil, fmt.Errorf("assign opinion %s: %w", code, err)
	}
	ev := &langnghe.OpinionEvent{OpinionID: o.ID, Actor: actor.Actor(), Note: AssignedNote(a.Assignee, o.Assignee, a.Note), At: now}
	if err := tx.AddOpinionEvent(ctx, ev); err != nil {
		return nil, fmt.Errorf("assign opinion %s: %w", code, err)
	}
	change := &Change{From: o.Status, To: o.Status}
	if change.Opinion, err = s.reload(ctx, tx, code); err != nil {
		return nil, err
	}
	return change, nil
}

// Assignable returns official id when o may be given to them: an active
// official of o's unit who may see o (the gate); EINVALID otherwise.
func (s *Service) Assignable(ctx context.Context, tx *storage.Tx, o *langnghe.Opinion, id int64) (*langnghe.Official, error) {
	refuse := langnghe.Errorf(langnghe.EINVALID, "opinion %s can only be assigned to an active official of its unit", o.Code)
	off, err := tx.Official(ctx, id)
	switch {
	case langnghe.ErrorCode(err) == langnghe.ENOTFOUND:
		return nil, refuse
	case err != nil:
		return nil, err
	case off.RevokedAt != nil || o.Unit == "" || !slices.Contains(off.Units, o.Unit) || !off.MaySee(o):
		return nil, refuse
	}
	return off, nil
}

// Assignees lists the officials an opinion the actor sees may be given
// to: the active officials of its unit, by name (none for an opinion
// without a unit). ENOTFOUND outside the actor's scope.
func (s *Service) Assignees(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, code string) ([]langnghe.Official, error) {
	actor, o, err := s.opinionFor(ctx, tx, actor, code, false)
	if err != nil {
		return nil, err
	}
	if o.Unit == "" {
		return []langnghe.Official{}, nil
	}
	list, err := tx.UnitOfficials(ctx, o.Unit)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(list, func(off langnghe.Official) bool { return !off.MaySee(o) }), nil
}

// Urgent counts, at now, the open opinions within the actor's scope that
// need someone: overdue, due soon (DueSoonBy), not taken, reopened by a
// resident not satisfied, and the actor's own ("mine").
func (s *Service) Urgent(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, now time.Time) (langnghe.Urgent, error) {
	actor, err := s.authorize(ctx, tx, actor)
	if err != nil {
		return langnghe.Urgent{}, err
	}
	scope := actor.Scope()
	q := langnghe.UrgentQuery{Scope: &scope, Now: now, Official: actor.ID}
	if s.calendar != nil {
		q.SoonBy = DueSoonBy(now, s.calendar)
	}
	return tx.CountUrgent(ctx, q)
}

// EmergenciesSince returns the emergencies within the actor's scope since
// a time (the day's, for the console), newest first, at most limit, and
// how many there are; limit < 0 counts them only.
func (s *Service) EmergenciesSince(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, since time.Time, limit int) ([]langnghe.Emergency, int, error) {
	actor, err := s.authorize(ctx, tx, actor)
	if err != nil {
		return nil, 0, err
	}
	scope := actor.Scope()
	return tx.EmergenciesSince(ctx, &scope, since, limit)
}
