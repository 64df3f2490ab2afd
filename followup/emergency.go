package followup

import (
	"context"
	"fmt"

	"langnghe"
	"langnghe/storage"
)

// Emergencies: which unit is alerted, who is told, and who may see and
// acknowledge one. An emergency belongs to the unit alerted of it; the
// board and admins see every one.

// emergencyCategory is the category whose routing stands in for the
// emergency duty when no unit holds it.
const emergencyCategory = "security"

// EmergencyUnit is the unit to alert of an emergency in area ("" when not
// known): the unit the units file gives DutyEmergencies; without one, the
// unit that security opinions of that area route to, then the catch-all
// unit (Match's order). "" when nothing matches: the board is still told.
func (s *Service) EmergencyUnit(ctx context.Context, tx *storage.Tx, area string) (string, error) {
	units, err := tx.Units(ctx)
	if err != nil {
		return "", fmt.Errorf("load units: %w", err)
	}
	for _, u := range units {
		if u.Has(langnghe.DutyEmergencies) {
			return u.Code, nil
		}
	}
	rules, err := tx.RoutingRules(ctx)
	if err != nil {
		return "", err
	}
	return Match(rules, emergencyCategory, s.areaChain(area)), nil
}

// EmergencyWatchers are the officials to alert of an emergency for unit:
// its active officials and the board's, with notifications on or off.
func (s *Service) EmergencyWatchers(ctx context.Context, tx *storage.Tx, unit string) ([]langnghe.Official, error) {
	return tx.EmergencyWatchers(ctx, unit)
}

// Emergencies returns the unacknowledged emergencies the actor sees,
// newest first, at most limit, and how many there are.
func (s *Service) Emergencies(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, limit int) ([]langnghe.Emergency, int, error) {
	actor, err := s.authorize(ctx, tx, actor)
	if err != nil {
		return nil, 0, err
	}
	scope := actor.Scope()
	return tx.UnacknowledgedEmergencies(ctx, &scope, limit)
}

// AcknowledgeEmergency records that the actor took emergency id in, and
// returns it as it stands: acknowledged by them, or by whoever did first.
// An emergency outside the actor's scope is ENOTFOUND, as one that does
// not exist.
func (s *Service) AcknowledgeEmergency(ctx context.Context, tx *storage.Tx, actor *langnghe.Official, id int64) (*langnghe.Emergency, error) {
	actor, err := s.authorize(ctx, tx, actor)
	if err != nil {
		return nil, err
	}
	e, err := tx.Emergency(ctx, id)
	if langnghe.ErrorCode(err) == langnghe.ENOTFOUND || err == nil && !actor.Scope().Covers(e.Unit) {
		return nil, langnghe.Errorf(langnghe.ENOTFOUND, "emergency %d not found", id)
	} else if err != nil {
		return nil, err
	}
	if e.AcknowledgedAt != nil {
		return e, nil
	}
	if err := tx.AcknowledgeEmergency(ctx, id, actor.ID, s.opts.Now()); err != nil {
		return nil, err
	}
	return tx.Emergency(ctx, id)
}
