package studio

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"langnghe"
	"langnghe/flows/catalogue"
	"langnghe/followup"
	"langnghe/web/console"
)

// setupSource serves a setup as the database does, for ExportSetup.
type setupSource struct{ setup followup.Setup }

func (s setupSource) Units(context.Context) ([]langnghe.Unit, error) { return s.setup.Units, nil }
func (s setupSource) RoutingRules(context.Context) ([]langnghe.RoutingRule, error) {
	return s.setup.Rules, nil
}

// unitsFile is the units file the studio shows for setup: the header and
// the export, as loadUnits writes it.
func unitsFile(t *testing.T, setup followup.Setup) []byte {
	t.Helper()
	export, err := followup.ExportSetup(context.Background(), setupSource{setup})
	if err != nil {
		t.Fatal(err)
	}
	return append([]byte(unitsHeader), export...)
}

// richSetup is the default setup with every field the form edits in use,
// including values the YAML must quote.
func richSetup(t *testing.T) followup.Setup {
	t.Helper()
	s, err := followup.DefaultSetup(catalogue.Default())
	if err != nil {
		t.Fatal(err)
	}
	s.Units[0].Hotline = "113"                      // read as a number unless quoted
	s.Units[0].Reception.Phone = "+84 274 3561 234" // a leading +
	s.Units[1].Names[langnghe.LangZH] = "明清社人民委员会"
	s.Units[2].Names[langnghe.LangEN] = "Long Hòa: People's Committee" // a colon
	s.Rules = append(s.Rules, langnghe.RoutingRule{Category: "land", Area: "long_hoa", Unit: "land_environment"})
	return s
}

// posted is what a browser posts for form f unchanged: every field the
// page shows, as the page names them.
func posted(f *unitsForm) url.Values {
	v := url.Values{"units": {strconv.Itoa(len(f.Units))}, "rules": {strconv.Itoa(len(f.Rules))},
		"emergencies": {f.Emergencies}, "denunciations": {f.Denunciations}}
	put := func(prefix string, u unitFields) {
		for field, value := range map[string]string{"code": u.Code, "vi": u.VI, "en": u.EN, "zh": u.ZH, "hotline": u.Hotline,
			"address": u.Address, "hours": u.Hours, "phone": u.Phone} {
			v.Set(prefix+field, value)
		}
	}
	for i, u := range f.Units {
		put(unitField(i, ""), u)
	}
	put("new.", f.New)
	for i, r := range f.Rules {
		v.Set(ruleField(i, "category"), r.Category)
		v.Set(ruleField(i, "area"), r.Area)
		v.Set(ruleField(i, "unit"), r.Unit)
		if r.Delete {
			v.Set(ruleField(i, "delete"), "1")
		}
	}
	return v
}

// A units file read into the form and posted back unchanged changes
// nothing and writes the file byte for byte.
func TestUnitsDocRoundTrip(t *testing.T) {
	def, err := followup.DefaultSetup(catalogue.Default())
	if err != nil {
		t.Fatal(err)
	}
	for name, setup := range map[string]followup.Setup{"default": def, "every field": richSetup(t)} {
		src := unitsFile(t, setup)
		d, err := parseUnitsDoc(src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f, err := d.form()
		if err != nil {
			t.Fatal(err)
		}
		again := readUnitsForm(posted(f), len(f.Units), len(f.Rules))
		if errs := again.check(console.Locale{Lang: "en"}, unitCodes(again), catalogue.Default()); len(errs) > 0 {
			t.Fatalf("%s: the unchanged form is refused: %v", name, errs)
		}
		if changed, err := d.apply(again); changed || err != nil {
			t.Fatalf("%s: the unchanged form changed %v (%v)", name, changed, err)
		}
		out, err := d.encode()
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != string(src) {
			t.Errorf("%s changed on the way back:\n%s", name, firstDifference(string(src), string(out)))
		}
	}
}

// Edits change only their lines, and the file the form writes is the one
// the next export writes for the state it saves (so the YAML view shows
// what was saved, nothing reshuffled).
func TestUnitsDocEdits(t *testing.T) {
	setup := richSetup(t)
	src := unitsFile(t, setup)
	d, err := parseUnitsDoc(src)
	if err != nil {
		t.Fatal(err)
	}
	f, err := d.form()
	if err != nil {
		t.Fatal(err)
	}
	i := func(code string) int {
		for i, u := range f.Units {
			if u.Code == code {
				return i
			}
		}
		t.Fatalf("no unit %s", code)
		return 0
	}
	v := posted(f)
	v.Set(unitField(i("ubnd_dau_tieng"), "hotline"), "0274 3561 234") // changed
	v.Set(unitField(i("ubnd_minh_thanh"), "hotline"), "1900 1234")    // added
	v.Set(unitField(i("ubnd_minh_thanh"), "zh"), "")                  // removed
	v.Set(unitField(i("medical_centre"), "address"), "Trạm Y tế xã")  // a reception added
	v.Set(unitField(i("medical_centre"), "hours"), "Cả tuần, 7:00–17:00")
	v.Set(unitField(i("ubnd_thanh_an"), "address"), "") // a reception removed
	v.Set(unitField(i("ubnd_thanh_an"), "hours"), "")
	v.Set("denunciations", "ubnd_dau_tieng") // a duty moved
	rules := len(f.Rules)
	v.Set(ruleField(rules-2, "category"), "health") // a rule added
	v.Set(ruleField(rules-2, "area"), "minh_thanh")
	v.Set(ruleField(rules-2, "unit"), "ubnd_minh_thanh")
	v.Set(ruleField(1, "delete"), "1")            // a rule removed
	v.Set(ruleField(2, "unit"), "culture_social") // a rule sent elsewhere
	edited := readUnitsForm(v, len(f.Units), rules)
	if errs := edited.check(console.Locale{Lang: "en"}, unitCodes(edited), catalogue.Default()); len(errs) > 0 {
		t.Fatalf("the edits are refused: %v", errs)
	}
	if changed, err := d.apply(edited); !changed || err != nil {
		t.Fatalf("apply = %v %v", changed, err)
	}
	out, err := d.encode()
	if err != nil {
		t.Fatal(err)
	}
	saved, err := followup.ParseSetup(out, catalogue.Default())
	if err != nil {
		t.Fatalf("the written file does not read back: %v\n%s", err, out)
	}
	var diff []string
	for _, l := range diffLines(sourceLines(src), sourceLines(out)) {
		if l.Op != '=' {
			diff = append(diff, string(l.Op)+l.Text)
		}
	}
	// A hotline changed (a line out, a line in), a hotline added and a
	// name removed (a line each), a reception removed and one added (three
	// lines each), the duty moved (two lines out, two in), a rule removed
	// (two lines), a rule's unit changed (one out, one in), a rule added
	// (three lines).
	if len(diff) != 2+1+1+6+4+2+2+3 {
		t.Errorf("%d lines changed:\n%s", len(diff), strings.Join(diff, "\n"))
	}
	for _, want := range []string{"+    hotline: 0274 3561 234", "+    hotline: 1900 1234", "-      zh: 明清社人民委员会",
		"+      address: Trạm Y tế xã", "+    duties:", "+      - denunciations"} {
		if !strings.Contains(strings.Join(diff, "\n"), want) {
			t.Errorf("the change lacks %q:\n%s", want, strings.Join(diff, "\n"))
		}
	}
	// The next export of the saved state, rules in the file's order, is
	// the same file.
	if export := unitsFile(t, saved); string(export) != string(out) {
		t.Errorf("the form's file and the export of what it saves differ:\n%s", firstDifference(string(export), string(out)))
	}
}

// The form's checks speak Vietnamese and point at the field.
func TestUnitsFormChecks(t *testing.T) {
	src := unitsFile(t, richSetup(t))
	d, err := parseUnitsDoc(src)
	if err != nil {
		t.Fatal(err)
	}
	f, err := d.form()
	if err != nil {
		t.Fatal(err)
	}
	v := posted(f)
	v.Set(unitField(0, "hotline"), "0274 ...")
	v.Set(unitField(1, "vi"), "")
	v.Set(unitField(2, "address"), "")
	v.Set("new.code", f.Units[3].Code)
	v.Set("new.vi", "UBND xã Mới")
	v.Set(ruleField(1, "unit"), "no_such_unit")
	v.Set(ruleField(2, "category"), f.Rules[1].Category)
	v.Set(ruleField(0, "delete"), "1") // the catch-all
	got := readUnitsForm(v, len(f.Units), len(f.Rules))
	errs := got.check(console.Locale{Lang: langnghe.LangVI}, unitCodes(got), catalogue.Default())
	want := map[string]string{
		unitField(0, "hotline"):  "“0274 ...” không phải là số điện thoại",
		unitField(1, "vi"):       "Xin nhập tên tiếng Việt",
		unitField(2, "address"):  "Nơi tiếp công dân cần có cả địa chỉ và giờ tiếp",
		"new.code":               "Mã “" + f.Units[3].Code + "” đã thuộc về một đơn vị khác",
		ruleField(1, "unit"):     "Không có đơn vị “no_such_unit”",
		ruleField(2, "category"): "Quy tắc 3 trùng lĩnh vực và địa bàn với quy tắc 2",
		"":                       "Cần giữ một quy tắc chung",
	}
	for _, e := range errs {
		if w, ok := want[e.Field]; !ok || !strings.Contains(e.Message, w) {
			t.Errorf("%s: %q, want %q", e.Field, e.Message, w)
		}
		delete(want, e.Field)
	}
	for field, w := range want {
		t.Errorf("%s is not refused (want %q)", field, w)
	}
}
