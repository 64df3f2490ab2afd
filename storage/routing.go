package storage

import (
	"context"
	"fmt"
	"slices"

	"langnghe"
)

// RoutingRules lists the rules that send opinions to units (in a
// transaction: routing a new opinion in the resident's transaction).
func (r reader) RoutingRules(ctx context.Context) ([]langnghe.RoutingRule, error) {
	var out []langnghe.RoutingRule
	err := selectAll(ctx, r.q, &out, `SELECT category, area_code, unit_code FROM routing_rules
		ORDER BY category, area_code`)
	if err != nil {
		return nil, fmt.Errorf("list routing rules: %w", err)
	}
	return out, nil
}

// ReplaceRoutingRules makes rules the whole rule set: admins edit the rules
// as one list, so a half-applied edit never routes anything. Each rule's
// unit must exist; two rules for one (category, area) are ECONFLICT.
func (tx *Tx) ReplaceRoutingRules(ctx context.Context, rules []langnghe.RoutingRule) error {
	tx.rules = nil
	if _, err := exec(ctx, tx.tx, `DELETE FROM routing_rules`); err != nil {
		return fmt.Errorf("clear routing rules: %w", err)
	}
	seen := map[[2]string]bool{}
	for _, r := range rules {
		key := [2]string{r.Category, r.Area}
		if seen[key] {
			return langnghe.Errorf(langnghe.ECONFLICT, "two routing rules for category %q and area %q", r.Category, r.Area)
		}
		seen[key] = true
		if _, err := tx.Unit(ctx, r.Unit); err != nil {
			return fmt.Errorf("routing rule %q × %q: %w", r.Category, r.Area, err)
		}
		_, err := exec(ctx, tx.tx, `INSERT INTO routing_rules (category, area_code, unit_code) VALUES (?, ?, ?)`,
			r.Category, r.Area, r.Unit)
		if err != nil {
			return fmt.Errorf("insert routing rule %q × %q: %w", r.Category, r.Area, err)
		}
	}
	return nil
}

// RoutingRules is reader.RoutingRules, read once per transaction (until
// ReplaceRoutingRules): see Tx.rules.
func (tx *Tx) RoutingRules(ctx context.Context) ([]langnghe.RoutingRule, error) {
	return readOnce(ctx, &tx.rules, tx.reader.RoutingRules)
}

// Units is reader.Units, read once per transaction (until SaveUnit): see
// Tx.units.
func (tx *Tx) Units(ctx context.Context) ([]langnghe.Unit, error) {
	return readOnce(ctx, &tx.units, tx.reader.Units)
}

// readOnce returns a copy of *slot, which read fills the first time (a
// failed read leaves it empty, to be tried again).
func readOnce[T any](ctx context.Context, slot **[]T, read func(context.Context) ([]T, error)) ([]T, error) {
	if *slot == nil {
		v, err := read(ctx)
		if err != nil {
			return nil, err
		}
		*slot = &v
	}
	return slices.Clone(**slot), nil
}

// PrepareRouting reads the units and the routing rules into the
// transaction, so that routing an opinion later in it reads neither again.
// The conversation calls it before taking an opinion code, whose lock every
// other new opinion waits for until this transaction ends: what need not
// run under it does not.
func (tx *Tx) PrepareRouting(ctx context.Context) error {
	if _, err := tx.Units(ctx); err != nil {
		return err
	}
	_, err := tx.RoutingRules(ctx)
	return err
}
