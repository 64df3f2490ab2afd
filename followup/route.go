package followup

import (
	"context"
	"fmt"

	"langnghe"
	"langnghe/storage"
)

// ActorSystem names the service itself in an opinion's history (routing).
const ActorSystem = "system"

// Route picks the unit for a new opinion from the routing rules, stores it
// on the opinion (o.Unit too) and records an internal event. It runs in the
// resident's transaction right after the opinion is created. No matching
// rule is not an error — the opinion must not be lost — it stays without
// a unit, which the board sees.
func (s *Service) Route(ctx context.Context, tx *storage.Tx, o *langnghe.Opinion) (string, error) {
	rules, err := tx.RoutingRules(ctx)
	if err != nil {
		return "", err
	}
	unit := Match(rules, o.Category, s.areaChain(o.AreaCode))
	note := "no routing rule matched; left to the board"
	if unit != "" {
		note = "routed to " + unit
		if err := tx.UpdateOpinion(ctx, o.ID, storage.OpinionUpdate{Unit: &unit}); err != nil {
			return "", fmt.Errorf("route opinion %s: %w", o.Code, err)
		}
	}
	o.Unit = unit
	if err := tx.AddOpinionEvent(ctx, &storage.OpinionEvent{
		OpinionID: o.ID, Actor: ActorSystem, Note: note, At: s.opts.Now(),
	}); err != nil {
		return "", fmt.Errorf("route opinion %s: %w", o.Code, err)
	}
	return unit, nil
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
