package followup

import (
	"context"
	"fmt"

	"langnghe"
	"langnghe/storage"
)

// Places residents are told of: where to file a complaint or a
// denunciation in person, and whom to call locally in an emergency. Both
// come from the units file, through the area's own routing (the rules with
// no category: an area's People's Committee), so that a land complaint is
// pointed to the commune's citizen reception, not to the land office the
// category routes to.

// Reception returns the unit that receives a complaint or a denunciation
// in person from residents of area ("": not known yet), with its
// reception; ok is false when none is configured. A denunciation goes to
// the unit holding DutyDenunciations when it has a reception.
func (s *Service) Reception(ctx context.Context, tx *storage.Tx, area string, track langnghe.LegalTrack) (langnghe.Unit, bool, error) {
	units, rules, err := s.setup(ctx, tx)
	if err != nil {
		return langnghe.Unit{}, false, err
	}
	if track == langnghe.TrackDenunciation {
		for _, u := range units {
			if u.Has(langnghe.DutyDenunciations) && u.Reception.Set() {
				return u, true, nil
			}
		}
	}
	if area == "" {
		return langnghe.Unit{}, false, nil
	}
	u, ok := unitOf(units, Match(rules, "", s.areaChain(area)))
	return u, ok && u.Reception.Set(), nil
}

// Hotline returns the hotline of the unit residents of area belong to
// (the area's own routing), or "" when it has none.
func (s *Service) Hotline(ctx context.Context, tx *storage.Tx, area string) (string, error) {
	if area == "" {
		return "", nil
	}
	units, rules, err := s.setup(ctx, tx)
	if err != nil {
		return "", err
	}
	u, _ := unitOf(units, Match(rules, "", s.areaChain(area)))
	return u.Hotline, nil
}

func (s *Service) setup(ctx context.Context, tx *storage.Tx) ([]langnghe.Unit, []langnghe.RoutingRule, error) {
	units, err := tx.Units(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("load units: %w", err)
	}
	rules, err := tx.RoutingRules(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("load routing rules: %w", err)
	}
	return units, rules, nil
}

func unitOf(units []langnghe.Unit, code string) (langnghe.Unit, bool) {
	for _, u := range units {
		if u.Code == code && code != "" {
			return u, true
		}
	}
	return langnghe.Unit{}, false
}
