package conversation

import (
	"context"
	"fmt"

	"langnghe"
	"langnghe/storage"
	"langnghe/wording"
)

// Desk is the follow-up side of the chat: officials' inputs, invitation deep
// links, residents' ratings of answers, and telling a unit about a new
// opinion. officedesk implements it. Every method works inside the update's
// transaction (so an input is applied once, under the chat's lock) and
// queues its own messages.
type Desk interface {
	// Official applies in when its sender is an active official, or when it
	// opens an invitation deep link; handled is false for everyone else,
	// whose input goes on to the resident's conversation.
	Official(ctx context.Context, tx *storage.Tx, in langnghe.Inbound) (handled bool, err error)
	// Resident applies a resident's part of the follow-up (rating an
	// answer); handled is false for anything else.
	Resident(ctx context.Context, tx *storage.Tx, r *langnghe.Resident, in langnghe.Inbound) (handled bool, err error)
	// OpinionCreated routes a new opinion to its unit and notifies the
	// unit's officials.
	OpinionCreated(ctx context.Context, tx *storage.Tx, o *langnghe.Opinion) error
	// EmergencyReported alerts the officials of the unit designated for
	// emergencies (the units file's DutyEmergencies; without one, the
	// catch-all unit) of e, stored already, and sets e.Unit. Its messages
	// stand out and go ahead of bulk sends.
	EmergencyReported(ctx context.Context, tx *storage.Tx, e *langnghe.Emergency) error
}

// officialInput hands the input to the desk first; a resident who is not an
// official, and holds no invitation, never gets past it.
func (t *turn) officialInput() (handled bool, err error) {
	if t.s.opts.Desk == nil {
		return false, nil
	}
	if err := t.flush(); err != nil {
		return true, err
	}
	handled, err = t.s.opts.Desk.Official(t.ctx, t.tx, t.in)
	if err != nil {
		return true, fmt.Errorf("officials' desk: %w", err)
	}
	return handled, nil
}

// residentFollowup lets the desk take a resident's rating of an answer.
func (t *turn) residentFollowup() (handled bool, err error) {
	if t.s.opts.Desk == nil {
		return false, nil
	}
	if err := t.flush(); err != nil {
		return true, err
	}
	handled, err = t.s.opts.Desk.Resident(t.ctx, t.tx, t.resident, t.in)
	if err != nil {
		return true, fmt.Errorf("follow-up of resident %d: %w", t.resident.ID, err)
	}
	return handled, nil
}

// opinionCreated routes the opinion just stored and tells its unit.
func (t *turn) opinionCreated(o *langnghe.Opinion) error {
	if t.s.opts.Desk == nil {
		return nil
	}
	if err := t.s.opts.Desk.OpinionCreated(t.ctx, t.tx, o); err != nil {
		return fmt.Errorf("route opinion %s: %w", o.Code, err)
	}
	return nil
}

// StatusName is a status as residents read it, in lang (Vietnamese when
// lang has no translation): the desk tells residents about changes in the
// same words their opinion list uses.
func StatusName(s langnghe.Status, lang string) string {
	if key := "chat.status." + string(s); wording.Has(key) {
		return wording.Text(lang, key)
	}
	return string(s)
}
