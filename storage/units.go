package storage

import (
	"context"
	"encoding/json"
	"fmt"

	"langnghe"
)

// Units: the organisations opinions are routed to. Codes are stable; names
// are admin-editable.

type unitRow struct {
	Code    string `db:"code"`
	Names   string `db:"names"`
	Details string `db:"details"`
}

// unitDetails is the units.details document: what residents are told of
// the unit and the duties the units file gives it.
type unitDetails struct {
	Hotline   string             `json:"hotline,omitempty"`
	Reception langnghe.Reception `json:"reception,omitzero"`
	Duties    []string           `json:"duties,omitempty"`
}

const unitColumns = `code, names, details`

func (r unitRow) unit() (langnghe.Unit, error) {
	u := langnghe.Unit{Code: r.Code}
	if err := json.Unmarshal([]byte(r.Names), &u.Names); err != nil {
		return u, fmt.Errorf("unit %s: names: %w", r.Code, err)
	}
	var d unitDetails
	if r.Details != "" {
		if err := json.Unmarshal([]byte(r.Details), &d); err != nil {
			return u, fmt.Errorf("unit %s: details: %w", r.Code, err)
		}
	}
	u.Hotline, u.Reception, u.Duties = d.Hotline, d.Reception, d.Duties
	return u, nil
}

// SaveUnit inserts the unit or, when its code exists, replaces its names
// and details.
func (tx *Tx) SaveUnit(ctx context.Context, u langnghe.Unit) error {
	if u.Code == "" {
		return langnghe.Errorf(langnghe.EINVALID, "a unit needs a code")
	}
	tx.units = nil
	names := u.Names
	if names == nil {
		names = map[string]string{}
	}
	b, err := json.Marshal(names)
	if err != nil {
		return fmt.Errorf("unit %s: names: %w", u.Code, err)
	}
	d, err := json.Marshal(unitDetails{Hotline: u.Hotline, Reception: u.Reception, Duties: u.Duties})
	if err != nil {
		return fmt.Errorf("unit %s: details: %w", u.Code, err)
	}
	_, err = exec(ctx, tx.tx, `INSERT INTO units (code, names, details, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET names = excluded.names, details = excluded.details`, u.Code, string(b), string(d), now())
	if err != nil {
		return fmt.Errorf("save unit %s: %w", u.Code, err)
	}
	return nil
}

// Units lists every unit by code.
func (r reader) Units(ctx context.Context) ([]langnghe.Unit, error) {
	var rows []unitRow
	if err := selectAll(ctx, r.q, &rows, `SELECT `+unitColumns+` FROM units ORDER BY code`); err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	out := make([]langnghe.Unit, 0, len(rows))
	for _, r := range rows {
		u, err := r.unit()
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// Unit loads the unit with code; ENOTFOUND when there is none.
func (tx *Tx) Unit(ctx context.Context, code string) (langnghe.Unit, error) {
	var r unitRow
	if err := get(ctx, tx.tx, &r, `SELECT `+unitColumns+` FROM units WHERE code = ?`, code); err != nil {
		return langnghe.Unit{}, notFound(err, "unit %s", code)
	}
	return r.unit()
}
