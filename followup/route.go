package followup

import (
	"context"
	"fmt"

	"langnghe"
	"langnghe/storage"
)

// ActorSystem names the service itself in an opinion's history (routing).
const ActorSystem = "system"

// Route picks the unit for a new opinion, stores it on the opinion (o.Unit
// too) and records an internal event. It runs in the resident's
// transaction right after the opinion is created. A denunciation goes to
// the unit the units file designates for denunciations (DutyDenunciations),
// whatever its category and area — never by category, which could send it
// to the unit the accused works in; without such a unit, to the catch-all
// rule's. Anything else follows the routing rules. No matching rule is not
// an error — the opinion must not be lost — it stays without a unit, which
// the board sees.
//
// A complaint's or a denunciation's DueAt becomes the law's (LegalDue)
// here, in the same transaction, instead of the category's service level
// the conversation gave it.
func (s *Service) Route(ctx context.Context, tx *storage.Tx, o *langnghe.Opinion) (string, error) {
	rules, err := tx.RoutingRules(ctx)
	if err != nil {
		return "", err
	}
	unit, note, err := s.unitFor(ctx, tx, rules, o.Category, o.AreaCode, o.LegalTrack)
	if err != nil {
		return "", err
	}
	var u langnghe.OpinionUpdate
	if unit == "" {
		note = "no routing rule matched; left to the board"
	} else {
		u.Unit = &unit
	}
	if s.calendar != nil {
		if due, ok := LegalDue(o.LegalTrack, o.CreatedAt, s.calendar); ok && !due.Equal(o.DueAt) {
			u.DueAt = &due
		}
	}
	e := &langnghe.OpinionEvent{OpinionID: o.ID, Actor: ActorSystem, Note: note, At: s.opts.Now()}
	if u != (langnghe.OpinionUpdate{}) {
		err = tx.UpdateOpinionNoting(ctx, o.ID, u, e)
	} else {
		err = tx.AddOpinionEvent(ctx, e)
	}
	if err != nil {
		return "", fmt.Errorf("route opinion %s: %w", o.Code, err)
	}
	o.Unit = unit
	if u.DueAt != nil {
		o.DueAt = *u.DueAt
	}
	return unit, nil
}

// unitFor is the unit an opinion of this category, area and track goes
// to, and the routing note that says why.
func (s *Service) unitFor(ctx context.Context, tx *storage.Tx, rules []langnghe.RoutingRule, category, area string, track langnghe.LegalTrack) (unit, note string, err error) {
	if track == langnghe.TrackDenunciation {
		return s.denunciationUnit(ctx, tx, rules)
	}
	unit = Match(rules, category, s.areaChain(area))
	return unit, "routed to " + unit, nil
}

// Office is the unit a new opinion of this category, area and track will
// be routed to, as Route will pick it, so the receipt can name it; ok is
// false when no rule matches (the board will give it to a unit).
func (s *Service) Office(ctx context.Context, tx *storage.Tx, category, area string, track langnghe.LegalTrack) (langnghe.Unit, bool, error) {
	units, rules, err := s.setup(ctx, tx)
	if err != nil {
		return langnghe.Unit{}, false, err
	}
	code, _, err := s.unitFor(ctx, tx, rules, category, area, track)
	if err != nil {
		return langnghe.Unit{}, false, err
	}
	u, ok := unitOf(units, code)
	return u, ok, nil
}

// denunciationUnit is the unit designated for denunciations, or the
// catch-all rule's without one, and the routing note that says which.
func (s *Service) denunciationUnit(ctx context.Context, tx *storage.Tx, rules []langnghe.RoutingRule) (string, string, error) {
	units, err := tx.Units(ctx)
	if err != nil {
		return "", "", fmt.Errorf("route a denunciation: %w", err)
	}
	for _, u := range units {
		if u.Has(langnghe.DutyDenunciations) {
			return u.Code, "denunciation: routed to " + u.Code + ", the unit designated for denunciations", nil
		}
	}
	unit := Match(rules, "", nil)
	return unit, "denunciation: no unit is designated for denunciations; routed to the catch-all " + unit, nil
}

// areaChain is the area and where to look when it has no rule of its own:
// for a former commune the one that replaced it, then the parents.
func (s *Service) areaChain(code string) []string {
	var chain []string
	seen := map[string]bool{}
	var visit func(string)
	visit = func(c string) {
		if c == "" || seen[c] {
			return
		}
		seen[c] = true
		chain = append(chain, c)
		if s.catalogue == nil {
			return
		}
		a, ok := s.catalogue.Area(c)
		if !ok {
			return
		}
		visit(a.ReplacedBy)
		visit(a.Parent)
	}
	visit(code)
	return chain
}

// Match returns the unit of the most specific rule for a category in an
// area: category and area (nearest area first), then category alone, then
// area alone (nearest first), then the catch-all; "" when none matches.
// areas is the opinion's area followed by the areas that stand in for it.
func Match(rules []langnghe.RoutingRule, category string, areas []string) string {
	index := make(map[[2]string]string, len(rules))
	for _, r := range rules {
		index[[2]string{r.Category, r.Area}] = r.Unit
	}
	var keys [][2]string
	if category != "" {
		for _, a := range areas {
			keys = append(keys, [2]string{category, a})
		}
		keys = append(keys, [2]string{category, ""})
	}
	for _, a := range areas {
		keys = append(keys, [2]string{"", a})
	}
	keys = append(keys, [2]string{"", ""})
	for _, k := range keys {
		if u, ok := index[k]; ok {
			return u
		}
	}
	return ""
}
