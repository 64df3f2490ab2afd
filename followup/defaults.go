package followup

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"

	"gopkg.in/yaml.v3"

	"langnghe"
	"langnghe/storage"
)

//go:embed defaults.yaml
var defaultsFile []byte

// Setup is a set of units and the rules that route opinions to them.
type Setup struct {
	Units []langnghe.Unit        `yaml:"units"`
	Rules []langnghe.RoutingRule `yaml:"rules"`
}

// DefaultSetup returns the units and routing rules shipped with the binary
// (defaults.yaml), checked against cat (nil: not checked). This package's
// tests check it against the default catalogue.
func DefaultSetup(cat *langnghe.Catalogue) (Setup, error) { return ParseSetup(defaultsFile, cat) }

// ParseSetup reads a units-and-rules file (the format of defaults.yaml).
// With a catalogue, rules must name its categories and areas. Errors are
// EINVALID (the file is admins' input) and name the line of the unit or
// rule at fault.
func ParseSetup(data []byte, cat *langnghe.Catalogue) (Setup, error) {
	var s Setup
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return Setup{}, langnghe.Errorf(langnghe.EINVALID, "units file: %v", err)
	}
	lines := itemLines(data)
	at := func(section string, i int) string {
		if ls := lines[section]; i < len(ls) {
			return fmt.Sprintf("line %d: ", ls[i])
		}
		return ""
	}
	units := map[string]bool{}
	duties := map[string]string{}
	for i, u := range s.Units {
		for _, d := range u.Duties {
			switch {
			case d != langnghe.DutyEmergencies && d != langnghe.DutyDenunciations:
				return Setup{}, langnghe.Errorf(langnghe.EINVALID, "%sunit %s: unknown duty %q (known: %s, %s)",
					at("units", i), u.Code, d, langnghe.DutyEmergencies, langnghe.DutyDenunciations)
			case duties[d] != "":
				return Setup{}, langnghe.Errorf(langnghe.EINVALID, "%sunit %s: duty %q is already %s's; one unit holds each duty",
					at("units", i), u.Code, d, duties[d])
			}
			duties[d] = u.Code
		}
		for _, p := range [][2]string{{"hotline", u.Hotline}, {"reception phone", u.Reception.Phone}} {
			if p[1] != "" && !ValidPhone(p[1]) {
				return Setup{}, langnghe.Errorf(langnghe.EINVALID, "%sunit %s: %s %q is not a phone number (digits, spaces, dots, hyphens, a leading +)",
					at("units", i), u.Code, p[0], p[1])
			}
		}
		if r := u.Reception; r != (langnghe.Reception{}) && (r.Address == "" || r.Hours == "") {
			return Setup{}, langnghe.Errorf(langnghe.EINVALID, "%sunit %s: a reception needs an address and hours", at("units", i), u.Code)
		}
		switch {
		case u.Code == "":
			return Setup{}, langnghe.Errorf(langnghe.EINVALID, "%sunit %d has no code", at("units", i), i+1)
		case units[u.Code]:
			return Setup{}, langnghe.Errorf(langnghe.EINVALID, "%sunit %s appears twice", at("units", i), u.Code)
		case u.Names[langnghe.LangVI] == "":
			return Setup{}, langnghe.Errorf(langnghe.EINVALID, "%sunit %s has no Vietnamese name", at("units", i), u.Code)
		}
		units[u.Code] = true
	}
	rules := map[[2]string]bool{}
	for i, r := range s.Rules {
		where := fmt.Sprintf("%srule category %q × area %q", at("rules", i), r.Category, r.Area)
		key := [2]string{r.Category, r.Area}
		switch {
		case !units[r.Unit]:
			return Setup{}, langnghe.Errorf(langnghe.EINVALID, "%s: unknown unit %q", where, r.Unit)
		case rules[key]:
			return Setup{}, langnghe.Errorf(langnghe.EINVALID, "%s appears twice", where)
		}
		if cat != nil {
			if _, ok := cat.Category(r.Category); r.Category != "" && !ok {
				return Setup{}, langnghe.Errorf(langnghe.EINVALID, "%s: unknown category", where)
			}
			if _, ok := cat.Area(r.Area); r.Area != "" && !ok {
				return Setup{}, langnghe.Errorf(langnghe.EINVALID, "%s: unknown area", where)
			}
		}
		rules[key] = true
	}
	if !rules[[2]string{}] {
		return Setup{}, langnghe.Errorf(langnghe.EINVALID, "the rules need a catch-all (a rule with only a unit)")
	}
	return s, nil
}

// ValidPhone reports whether s reads as a number residents can dial: 3 to
// 15 digits, grouped by spaces, dots, hyphens or parentheses, with an
// optional leading + ("113", "1900 1234", "0274.3561.234", "+84 274 3561
// 234"). Residents are given the number as written, so anything else
// (letters, "0274 ...") is refused rather than told them.
func ValidPhone(s string) bool {
	digits, prev := 0, rune(0) // prev: the last rune, 0 at the start
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case r == '(' && (prev == 0 || prev == '+' || prev == ' '):
		case r == ')' && prev >= '0' && prev <= '9':
		case (r == ' ' || r == '.' || r == '-') && (prev >= '0' && prev <= '9' || prev == ')'):
		default:
			return false
		}
		prev = r
	}
	return digits >= 3 && digits <= 15 && prev >= '0' && prev <= '9'
}

// itemLines returns the line of each item of the file's top-level lists
// ("units", "rules"), once the file is known to decode.
func itemLines(data []byte) map[string][]int {
	lines := map[string][]int{}
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return lines
	}
	doc := root.Content[0]
	for i := 0; i+1 < len(doc.Content); i += 2 {
		for _, item := range doc.Content[i+1].Content {
			lines[doc.Content[i].Value] = append(lines[doc.Content[i].Value], item.Line)
		}
	}
	return lines
}

// Seed stores the default units and routing rules when the database has no
// units yet, and reports whether it did. Admins' later edits are never
// overwritten.
func (s *Service) Seed(ctx context.Context, db *storage.DB) (bool, error) {
	setup, err := DefaultSetup(s.catalogue)
	if err != nil {
		return false, fmt.Errorf("default units: %w", err)
	}
	seeded := false
	err = db.InTx(ctx, func(tx *storage.Tx) error {
		seeded = false
		have, err := tx.Units(ctx)
		if err != nil || len(have) > 0 {
			return err
		}
		if err := Apply(ctx, tx, setup); err != nil {
			return err
		}
		seeded = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("seed units and routing rules: %w", err)
	}
	return seeded, nil
}

// SetupSource reads the stored units and routing rules (storage.DB and
// storage.Tx do).
type SetupSource interface {
	Units(ctx context.Context) ([]langnghe.Unit, error)
	RoutingRules(ctx context.Context) ([]langnghe.RoutingRule, error)
}

// ExportSetup writes the stored units and rules as a file ParseSetup reads.
func ExportSetup(ctx context.Context, src SetupSource) ([]byte, error) {
	units, err := src.Units(ctx)
	if err != nil {
		return nil, err
	}
	rules, err := src.RoutingRules(ctx)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(Setup{Units: units, Rules: rules}); err != nil {
		return nil, fmt.Errorf("write units: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("write units: %w", err)
	}
	return b.Bytes(), nil
}

// Apply stores setup's units (adding new ones, renaming existing ones) and
// makes its rules the whole rule set.
func Apply(ctx context.Context, tx *storage.Tx, setup Setup) error {
	for _, u := range setup.Units {
		if err := tx.SaveUnit(ctx, u); err != nil {
			return err
		}
	}
	return tx.ReplaceRoutingRules(ctx, setup.Rules)
}
