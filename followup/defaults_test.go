package followup_test

import (
	"context"
	"testing"

	"langnghe"
	"langnghe/flows/catalogue"
	"langnghe/followup"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// The shipped units and rules name only the default catalogue's categories
// and areas, and route every active commune's procedures to its own
// People's Committee.
func TestDefaultSetup(t *testing.T) {
	cat := catalogue.Default()
	setup, err := followup.DefaultSetup(cat)
	if err != nil {
		t.Fatalf("defaults against the default catalogue: %v", err)
	}
	for _, u := range setup.Units {
		if u.Name(langnghe.LangEN) == u.Name(langnghe.LangVI) {
			t.Errorf("unit %s has no English name", u.Code)
		}
	}
	for _, c := range cat.Categories {
		if followup.Match(setup.Rules, c.Code, nil) == "" {
			t.Errorf("category %s routes nowhere", c.Code)
		}
	}
	for _, a := range cat.Areas {
		if a.Active && a.Kind != "city" && a.Code != "thanh_an_can_gio" {
			areas, want := []string{a.Code}, "ubnd_"+a.Code
			if a.Kind == "hamlet" { // a hamlet routes through its commune
				commune := catalogue.Commune(cat, a.Code).Code
				areas, want = append(areas, a.Parent, commune), "ubnd_"+commune
			}
			if got := followup.Match(setup.Rules, "admin_procedures", areas); got != want {
				t.Errorf("procedures in %s go to %s, want %s", a.Code, got, want)
			}
		}
	}
}

func TestParseSetupErrors(t *testing.T) {
	cat := catalogue.Default()
	unit := "units:\n  - {code: u, names: {vi: Đơn vị}}\n"
	tests := map[string]string{
		"not YAML":          "units: [",
		"unknown field":     unit + "rulez: []\n",
		"unit without code": "units:\n  - {names: {vi: X}}\nrules:\n  - unit: x\n",
		"unit twice":        unit + "  - {code: u, names: {vi: Đơn vị}}\nrules:\n  - unit: u\n",
		"no Vietnamese":     "units:\n  - {code: u, names: {en: Unit}}\nrules:\n  - unit: u\n",
		"unknown unit":      unit + "rules:\n  - unit: u\n  - {category: land, unit: v}\n",
		"rule twice":        unit + "rules:\n  - unit: u\n  - unit: u\n",
		"unknown category":  unit + "rules:\n  - unit: u\n  - {category: weather, unit: u}\n",
		"unknown area":      unit + "rules:\n  - unit: u\n  - {area: hanoi, unit: u}\n",
		"no catch-all":      unit + "rules:\n  - {category: land, unit: u}\n",
		"bad hotline":       "units:\n  - {code: u, names: {vi: Đơn vị}, hotline: \"0274 ...\"}\nrules:\n  - unit: u\n",
		"bad reception phone": "units:\n  - {code: u, names: {vi: Đơn vị}, reception: {address: A, hours: H, phone: gọi 113}}\n" +
			"rules:\n  - unit: u\n",
	}
	for name, file := range tests {
		if _, err := followup.ParseSetup([]byte(file), cat); langnghe.ErrorCode(err) != langnghe.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestValidPhone(t *testing.T) {
	for _, ok := range []string{"113", "1900 1234", "0274.3561.234", "0274-3561-234", "+84 274 3561 234", "(0274) 3561 234"} {
		if !followup.ValidPhone(ok) {
			t.Errorf("%q is refused", ok)
		}
	}
	for _, bad := range []string{"", "11", "0274 ...", "gọi 113", "84+274", "0123456789012345", "0274/3561", "tel:113"} {
		if followup.ValidPhone(bad) {
			t.Errorf("%q is taken as a phone number", bad)
		}
	}
}

// A unit's or rule's error names its line, so an admin finds it in a long
// file (the studio points at it).
func TestParseSetupErrorsNameTheLine(t *testing.T) {
	cat := catalogue.Default()
	unit := "# units\nunits:\n  - {code: u, names: {vi: Đơn vị}}\n"
	for name, tc := range map[string]struct{ file, want string }{
		"unit twice":   {unit + "  - {code: u, names: {vi: Đơn vị}}\nrules:\n  - unit: u\n", "line 4: unit u appears twice"},
		"unknown unit": {unit + "rules:\n  - unit: u\n\n  - {category: land, unit: v}\n", `line 7: rule category "land" × area "": unknown unit "v"`},
	} {
		_, err := followup.ParseSetup([]byte(tc.file), cat)
		if got := langnghe.ErrorMessage(err); got != tc.want {
			t.Errorf("%s: %q, want %q", name, got, tc.want)
		}
	}
}

// Seeding fills an empty database once and never overwrites admins' edits.
func TestSeedKeepsEdits(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		d := newDesk(t, db) // seeds
		ctx := context.Background()
		edited := followup.Setup{
			Units: []langnghe.Unit{{Code: "mass_mobilisation", Names: map[string]string{"vi": "Ban Dân vận Đảng ủy"}}},
			Rules: []langnghe.RoutingRule{{Unit: "mass_mobilisation"}},
		}
		d.must(func(ctx context.Context, tx *storage.Tx) error { return followup.Apply(ctx, tx, edited) })
		seeded, err := d.svc.Seed(ctx, db)
		if err != nil || seeded {
			t.Fatalf("second seed: %v, %v", seeded, err)
		}
		rules, err := db.RoutingRules(ctx)
		if err != nil || len(rules) != 1 {
			t.Fatalf("rules after a second seed: %v, %v", rules, err)
		}
		if o := d.opinion(nil, "land", "dau_tieng"); o.Unit != "mass_mobilisation" {
			t.Fatalf("edited rules not used: routed to %s", o.Unit)
		}
		bad := followup.Setup{Rules: []langnghe.RoutingRule{{Unit: "nasa"}}}
		if err := d.tx(func(ctx context.Context, tx *storage.Tx) error { return followup.Apply(ctx, tx, bad) }); langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
			t.Fatalf("a rule for an unknown unit: %v", err)
		}
	})
}
