package studio

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"gopkg.in/yaml.v3"

	"langnghe"
	"langnghe/flows/catalogue"
	"langnghe/followup"
	"langnghe/web/console"
)

// The units and routing rules as a form: each unit's names, hotline and
// citizen reception, which unit holds each duty, and the rules that route
// opinions by category and area. The form reads the same units file the
// YAML editor shows and writes its edits into that file's YAML tree
// (yamlDoc), so a save is the same file with only the edited lines
// changed, checked and applied as the editor's save is: against the state
// the admin opened, in one transaction, audited.

var settingsUnitsPage = console.Templates(settingsFS, "templates/settings_units.html")

// unitsFormPath is the form's address; the YAML editor stays at
// /console/studio/settings/units.
const unitsFormPath = "/console/studio/settings/units/form"

// newRuleRows is how many empty rules the form offers to fill in.
const newRuleRows = 2

// unitFields are one unit's fields in the form.
type unitFields struct {
	Code                  string
	VI, EN, ZH            string // names
	Hotline               string
	Address, Hours, Phone string // the citizen reception
}

// ruleFields are one routing rule's fields; Delete removes it.
type ruleFields struct {
	Category, Area, Unit string
	Delete               bool
}

// unitsForm is what the form holds: the file's units in its order, a unit
// to add (all empty: none), the file's rules then empty ones to add, and
// the units holding the two duties.
type unitsForm struct {
	Units                      []unitFields
	New                        unitFields
	Rules                      []ruleFields
	Emergencies, Denunciations string
}

// unitsDoc is the units file's YAML tree.
type unitsDoc struct {
	yamlDoc
	units, rules *yaml.Node // the two top-level lists
}

func parseUnitsDoc(src []byte) (*unitsDoc, error) {
	y, err := parseYAMLDoc(src, "units", "code")
	if err != nil {
		return nil, fmt.Errorf("read the units file: %w", err)
	}
	d := &unitsDoc{yamlDoc: *y}
	d.units, d.rules = yamlValue(d.root(), "units"), yamlValue(d.root(), "rules")
	if d.units == nil || d.units.Kind != yaml.SequenceNode || d.rules == nil || d.rules.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("the units file has no list of units and of rules")
	}
	return d, nil
}

// form reads the file's units and rules into the form.
func (d *unitsDoc) form() (*unitsForm, error) {
	f := &unitsForm{}
	for _, n := range d.units.Content {
		var u langnghe.Unit
		if err := n.Decode(&u); err != nil {
			return nil, fmt.Errorf("read unit at line %d: %w", n.Line, err)
		}
		f.Units = append(f.Units, unitFields{Code: u.Code, VI: u.Names[langnghe.LangVI], EN: u.Names[langnghe.LangEN], ZH: u.Names[langnghe.LangZH],
			Hotline: u.Hotline, Address: u.Reception.Address, Hours: u.Reception.Hours, Phone: u.Reception.Phone})
		if u.Has(langnghe.DutyEmergencies) {
			f.Emergencies = u.Code
		}
		if u.Has(langnghe.DutyDenunciations) {
			f.Denunciations = u.Code
		}
	}
	for _, n := range d.rules.Content {
		var r langnghe.RoutingRule
		if err := n.Decode(&r); err != nil {
			return nil, fmt.Errorf("read rule at line %d: %w", n.Line, err)
		}
		f.Rules = append(f.Rules, ruleFields{Category: r.Category, Area: r.Area, Unit: r.Unit})
	}
	for range newRuleRows {
		f.Rules = append(f.Rules, ruleFields{})
	}
	return f, nil
}

// Field names: "unit.3.hotline" (the file's fourth unit), "new.code",
// "rule.0.area", "emergencies".
func unitField(i int, field string) string { return "unit." + strconv.Itoa(i) + "." + field }
func ruleField(i int, field string) string { return "rule." + strconv.Itoa(i) + "." + field }

// readUnitsForm reads a posted form that showed units units and rules
// rules (with the empty ones).
func readUnitsForm(post map[string][]string, units, rules int) *unitsForm {
	// A field is one line: the line breaks of a text area become spaces.
	oneLine := strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")
	get := func(name string) string {
		if v := post[name]; len(v) > 0 {
			return strings.TrimSpace(oneLine.Replace(v[0]))
		}
		return ""
	}
	fields := func(prefix string) unitFields {
		return unitFields{Code: get(prefix + "code"), VI: get(prefix + "vi"), EN: get(prefix + "en"), ZH: get(prefix + "zh"),
			Hotline: get(prefix + "hotline"), Address: get(prefix + "address"), Hours: get(prefix + "hours"), Phone: get(prefix + "phone")}
	}
	f := &unitsForm{New: fields("new."), Emergencies: get("emergencies"), Denunciations: get("denunciations")}
	for i := range units {
		f.Units = append(f.Units, fields(unitField(i, "")))
	}
	for i := range rules {
		f.Rules = append(f.Rules, ruleFields{Category: get(ruleField(i, "category")), Area: get(ruleField(i, "area")),
			Unit: get(ruleField(i, "unit")), Delete: get(ruleField(i, "delete")) != ""})
	}
	return f
}

// unitCodePattern is what a new unit's code may be: it is a stable
// identifier officials, reports and opinions refer to.
var unitCodePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// fieldError is a refused field and why, in the admin's language.
type fieldError struct {
	Field, Message string
}

// check returns the form's problems, each at its field ("" for the form
// as a whole), in the order the form shows them; codes are the file's
// unit codes, in order.
func (f *unitsForm) check(l console.Locale, codes []string, cat *langnghe.Catalogue) []fieldError {
	var out []fieldError
	add := func(field, format string, args ...any) {
		out = append(out, fieldError{Field: field, Message: fmt.Sprintf(l.T(format), args...)})
	}
	unit := func(prefix string, u unitFields) {
		if u.VI == "" {
			add(prefix+"vi", "Enter the unit's name in Vietnamese.")
		}
		for _, p := range []struct{ field, value string }{{"hotline", u.Hotline}, {"phone", u.Phone}} {
			if p.value != "" && !followup.ValidPhone(p.value) {
				add(prefix+p.field, "“%s” is not a phone number: use digits, spaces, dots or hyphens, for example 0274 3561 234.", p.value)
			}
		}
		if (u.Address != "" || u.Hours != "" || u.Phone != "") && (u.Address == "" || u.Hours == "") {
			field := prefix + "address"
			if u.Address != "" {
				field = prefix + "hours"
			}
			add(field, "A citizen reception needs both its address and its hours.")
		}
	}
	for i, u := range f.Units {
		unit(unitField(i, ""), u)
	}
	known := slices.Clone(codes)
	if f.New != (unitFields{}) {
		switch {
		case f.New.Code == "":
			add("new.code", "Enter a code for the new unit.")
		case slices.Contains(codes, f.New.Code):
			add("new.code", "The code “%s” is already another unit's; each unit has its own code.", f.New.Code)
		case !unitCodePattern.MatchString(f.New.Code):
			add("new.code", "The code “%s” may hold only lower-case letters without accents, digits and underscores, starting with a letter (for example ubnd_xa_moi).", f.New.Code)
		default:
			known = append(known, f.New.Code)
		}
		unit("new.", f.New)
	}
	for _, duty := range []struct{ field, code string }{{"emergencies", f.Emergencies}, {"denunciations", f.Denunciations}} {
		if duty.code != "" && !slices.Contains(known, duty.code) {
			add(duty.field, "There is no unit “%s”.", duty.code)
		}
	}
	seen := map[[2]string]int{}
	catchAll := false
	for i, r := range f.Rules {
		if r.Delete || (i >= len(f.Rules)-newRuleRows && r == (ruleFields{})) {
			continue
		}
		switch {
		case r.Unit == "":
			add(ruleField(i, "unit"), "Choose the unit this rule sends opinions to.")
		case !slices.Contains(known, r.Unit):
			add(ruleField(i, "unit"), "There is no unit “%s”: choose one of the list.", r.Unit)
		}
		if _, ok := cat.Category(r.Category); r.Category != "" && !ok {
			add(ruleField(i, "category"), "The catalogue has no category “%s”.", r.Category)
		}
		if _, ok := cat.Area(r.Area); r.Area != "" && !ok {
			add(ruleField(i, "area"), "The catalogue has no area “%s”.", r.Area)
		}
		key := [2]string{r.Category, r.Area}
		if first, ok := seen[key]; ok {
			add(ruleField(i, "category"), "Rule %d has the same category and area as rule %d; keep one of them.", i+1, first+1)
		} else {
			seen[key] = i
		}
		catchAll = catchAll || key == [2]string{}
	}
	if !catchAll {
		add("", "Keep one general rule (any category, any area): it receives every opinion no other rule matches.")
	}
	return out
}

// Key orders of the units file, as ExportSetup writes it, so that what the
// form adds sits where the next export puts it.
var (
	unitKeys      = []string{"code", "names", "hotline", "reception", "duties"}
	nameKeys      = []string{langnghe.LangEN, langnghe.LangVI, langnghe.LangZH} // a map: sorted
	receptionKeys = []string{"address", "hours", "phone"}
	ruleKeys      = []string{"category", "area", "unit"}
)

// apply writes the form into the file's tree and reports whether anything
// changed. The form must have been checked.
func (d *unitsDoc) apply(f *unitsForm) (bool, error) {
	changed := false
	for i, n := range d.units.Content {
		if i >= len(f.Units) {
			break
		}
		u := f.Units[i]
		code := yamlValue(n, "code")
		if code == nil || code.Value != u.Code {
			return false, langnghe.Errorf(langnghe.ECONFLICT, "the units changed since you opened them")
		}
		names := yamlValue(n, "names")
		if names == nil || names.Kind != yaml.MappingNode {
			names = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			setEntry(n, "names", names, unitKeys)
		}
		for _, t := range []struct{ lang, value string }{{langnghe.LangVI, u.VI}, {langnghe.LangEN, u.EN}, {langnghe.LangZH, u.ZH}} {
			changed = setText(names, t.lang, t.value, nameKeys) || changed
		}
		changed = setText(n, "hotline", u.Hotline, unitKeys) || changed
		changed = setReception(n, u) || changed
		changed = setDuties(n, f.duties(u.Code)) || changed
	}
	if f.New != (unitFields{}) {
		var n yaml.Node
		if err := n.Encode(f.New.unit(f.duties(f.New.Code))); err != nil {
			return false, fmt.Errorf("write the new unit: %w", err)
		}
		d.units.Content = append(d.units.Content, &n)
		d.units.Style &^= yaml.FlowStyle // "units: []" becomes a block list
		changed = true
	}
	var rules []*yaml.Node
	for i, r := range f.Rules {
		switch {
		case i < len(d.rules.Content) && r.Delete:
			changed = true
		case i < len(d.rules.Content):
			n := d.rules.Content[i]
			for _, kv := range [][2]string{{"category", r.Category}, {"area", r.Area}, {"unit", r.Unit}} {
				changed = setText(n, kv[0], kv[1], ruleKeys) || changed
			}
			rules = append(rules, n)
		case r.Unit != "" && !r.Delete:
			var n yaml.Node
			if err := n.Encode(langnghe.RoutingRule{Category: r.Category, Area: r.Area, Unit: r.Unit}); err != nil {
				return false, fmt.Errorf("write the new rule: %w", err)
			}
			rules = append(rules, &n)
			changed = true
		}
	}
	d.rules.Content = rules
	if len(rules) > 0 {
		d.rules.Style &^= yaml.FlowStyle
	}
	return changed, nil
}

// duties are the duties the form gives the unit with code.
func (f *unitsForm) duties(code string) []string {
	var out []string
	if f.Emergencies == code {
		out = append(out, langnghe.DutyEmergencies)
	}
	if f.Denunciations == code {
		out = append(out, langnghe.DutyDenunciations)
	}
	return out
}

// unit is the new unit the fields describe.
func (u unitFields) unit(duties []string) langnghe.Unit {
	names := map[string]string{langnghe.LangVI: u.VI}
	if u.EN != "" {
		names[langnghe.LangEN] = u.EN
	}
	if u.ZH != "" {
		names[langnghe.LangZH] = u.ZH
	}
	return langnghe.Unit{Code: u.Code, Names: names, Hotline: u.Hotline, Duties: duties,
		Reception: langnghe.Reception{Address: u.Address, Hours: u.Hours, Phone: u.Phone}}
}

// setReception writes a unit's reception; one without any field is
// removed.
func setReception(n *yaml.Node, u unitFields) bool {
	r := yamlValue(n, "reception")
	if u.Address == "" && u.Hours == "" && u.Phone == "" {
		return deleteEntry(n, "reception")
	}
	if r == nil || r.Kind != yaml.MappingNode {
		r = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		setEntry(n, "reception", r, unitKeys)
	}
	changed := false
	for _, kv := range [][2]string{{"address", u.Address}, {"hours", u.Hours}, {"phone", u.Phone}} {
		changed = setText(r, kv[0], kv[1], receptionKeys) || changed
	}
	return changed
}

// setDuties makes a unit's duties the form's two duties it holds, keeping
// any other the file gives it (a newer binary's).
func setDuties(n *yaml.Node, duties []string) bool {
	var have []string
	seq := yamlValue(n, "duties")
	if seq != nil {
		for _, d := range seq.Content {
			if d.Value != langnghe.DutyEmergencies && d.Value != langnghe.DutyDenunciations {
				duties = append(duties, d.Value)
			}
			have = append(have, d.Value)
		}
	}
	if slices.Equal(have, duties) {
		return false
	}
	if len(duties) == 0 {
		return deleteEntry(n, "duties")
	}
	if seq == nil || seq.Kind != yaml.SequenceNode {
		seq = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		setEntry(n, "duties", seq, unitKeys)
	}
	seq.Content = nil
	for _, d := range duties {
		seq.Content = append(seq.Content, strNode(d))
	}
	return true
}

// unitsFormView is the form page.
type unitsFormView struct {
	Base                 string
	Units                []unitRow
	New                  unitRow
	Rules                []ruleRow
	Duties               []formField
	UnitCount, RuleCount int // how many units and rules (with the empty ones) the form shows
	// Errors lists every refused field, linked to it; Problem explains a
	// refusal of the whole form (a stale form, a file that does not pass).
	Errors  []fieldError
	Problem string
	History []auditRow
}

// formField is one field of the form: a text input, or a select with
// Choices. Key is the file's word for it, shown beside the label for
// those who know the YAML.
type formField struct {
	Name, Label, Key, Value, Error, Type string
	Choices                              []choice
	// Long texts (names, the reception's address and hours) wrap, as an
	// input's text would scroll sideways on a phone.
	Long bool
	Hint string
}

// unitRow is a unit's fields.
type unitRow struct {
	Prefix              string // of its fields' names: "unit.3." (the file's fourth unit), "new."
	Code, Name, Hotline string // for the summary line
	Fields, Reception   []formField
	Open                bool // unfolded: a field is refused, or a new unit was started
}

// ruleRow is a routing rule's fields.
type ruleRow struct {
	N          int  // 1-based, as messages count rules
	Added      bool // an empty rule to fill in
	General    bool // any category, any area
	DeleteName string
	Delete     bool
	Fields     []formField
	Refused    bool
}

type choice struct {
	Value, Label string
	Selected     bool
}

// unitsView builds the page from the form's values and its problems;
// stored are the file's units' Vietnamese names (nil: not known).
func (s *Studio) unitsView(ctx context.Context, l console.Locale, base string, f *unitsForm, stored []string, errs []fieldError) (*unitsFormView, error) {
	cat, err := s.storedCatalogue(ctx)
	if err != nil {
		return nil, err
	}
	v := &unitsFormView{Base: base, Errors: errs, UnitCount: len(f.Units), RuleCount: len(f.Rules)}
	byField := map[string]string{}
	for _, e := range errs {
		if e.Field != "" {
			byField[e.Field] = e.Message
		}
	}
	field := func(name, label, key, value string) formField {
		return formField{Name: name, Label: l.T(label), Key: key, Value: value, Error: byField[name]}
	}
	pick := func(list []choice, value, none string) []choice {
		out := []choice{{Value: "", Label: none, Selected: value == ""}}
		found := value == ""
		for _, c := range list {
			c.Selected = c.Value == value
			found = found || c.Selected
			out = append(out, c)
		}
		if !found { // a value the lists do not have stays, to be refused visibly
			out = append(out, choice{Value: value, Label: value, Selected: true})
		}
		return out
	}
	row := func(prefix string, u unitFields) unitRow {
		r := unitRow{Prefix: prefix, Code: u.Code, Hotline: u.Hotline, Fields: []formField{
			field(prefix+"vi", "Name in Vietnamese", "names.vi", u.VI),
			field(prefix+"en", "Name in English", "names.en", u.EN),
			field(prefix+"zh", "Name in Chinese", "names.zh", u.ZH),
			field(prefix+"hotline", "Hotline", "hotline", u.Hotline),
		}, Reception: []formField{
			field(prefix+"address", "Address", "reception.address", u.Address),
			field(prefix+"hours", "Reception hours", "reception.hours", u.Hours),
			field(prefix+"phone", "Phone", "reception.phone", u.Phone),
		}}
		r.Fields[3].Type, r.Reception[2].Type = "tel", "tel"
		r.Fields[3].Hint = l.T("Given after 113, 114 and 115 when a resident of its area reports an emergency.")
		r.Fields[0].Long, r.Fields[1].Long, r.Fields[2].Long, r.Reception[0].Long, r.Reception[1].Long = true, true, true, true, true
		for _, fs := range [][]formField{r.Fields, r.Reception} {
			for _, x := range fs {
				r.Open = r.Open || x.Error != ""
			}
		}
		return r
	}
	var units []choice
	for i, u := range f.Units {
		r := row(unitField(i, ""), u)
		r.Name = u.Code
		if i < len(stored) && stored[i] != "" {
			r.Name = stored[i]
		}
		v.Units = append(v.Units, r)
		units = append(units, choice{Value: u.Code, Label: r.Name})
	}
	// Officials know units by name: the file's order is by code.
	coll := collate.New(language.Vietnamese)
	slices.SortStableFunc(v.Units, func(a, b unitRow) int { return coll.CompareString(a.Name, b.Name) })
	slices.SortStableFunc(units, func(a, b choice) int { return coll.CompareString(a.Label, b.Label) })
	v.New = row("new.", f.New)
	v.New.Fields = append([]formField{field("new.code", "Code (fixed once saved)", "code", f.New.Code)}, v.New.Fields...)
	v.New.Open = v.New.Open || byField["new.code"] != "" || f.New != (unitFields{})
	v.Duties = []formField{
		field("emergencies", "Alerted at once of every emergency", langnghe.DutyEmergencies, f.Emergencies),
		field("denunciations", "Receives every denunciation, whatever its category", langnghe.DutyDenunciations, f.Denunciations),
	}
	v.Duties[0].Choices = pick(units, f.Emergencies, l.T("— no unit —"))
	v.Duties[1].Choices = pick(units, f.Denunciations, l.T("— no unit —"))
	var categories, areas []choice
	for _, c := range cat.Categories {
		categories = append(categories, choice{Value: c.Code, Label: c.Name(l.Lang)})
	}
	for _, a := range cat.Areas {
		areas = append(areas, choice{Value: a.Code, Label: catalogue.Describe(cat, a.Code, l.Lang)})
	}
	for i, r := range f.Rules {
		prefix := ruleField(i, "")
		rr := ruleRow{N: i + 1, Added: i >= len(f.Rules)-newRuleRows, DeleteName: prefix + "delete", Delete: r.Delete,
			General: r.Category == "" && r.Area == "" && r.Unit != "", Fields: []formField{
				field(prefix+"category", "Category", "category", r.Category),
				field(prefix+"area", "Area", "area", r.Area),
				field(prefix+"unit", "Sent to", "unit", r.Unit),
			}}
		rr.Fields[0].Choices = pick(categories, r.Category, l.T("any category"))
		rr.Fields[1].Choices = pick(areas, r.Area, l.T("any area"))
		rr.Fields[2].Choices = pick(units, r.Unit, l.T("— choose a unit —"))
		for _, x := range rr.Fields {
			rr.Refused = rr.Refused || x.Error != ""
		}
		v.Rules = append(v.Rules, rr)
	}
	entries, err := s.db.Audit(ctx, langnghe.AuditQuery{Kind: langnghe.AuditUnits, Limit: 5})
	if err != nil {
		return nil, err
	}
	name, err := s.actorNames(ctx)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		v.History = append(v.History, auditRow{At: l.DateTime(e.At), Actor: name(e.Actor), Action: l.T(actionLabel(e.Action)), Detail: e.Detail})
	}
	return v, nil
}

// storedNames are the Vietnamese names of the file's units, in order.
func storedNames(d *unitsDoc) []string {
	var out []string
	for _, n := range d.units.Content {
		name := ""
		if names := yamlValue(n, "names"); names != nil {
			if vi := yamlValue(names, langnghe.LangVI); vi != nil {
				name = vi.Value
			}
		}
		out = append(out, name)
	}
	return out
}

func unitCodes(f *unitsForm) []string {
	out := make([]string, 0, len(f.Units))
	for _, u := range f.Units {
		out = append(out, u.Code)
	}
	return out
}

// loadUnitsDoc reads the current units file as the form edits it.
func (s *Studio) loadUnitsDoc(ctx context.Context) (*unitsDoc, string, error) {
	src, base, err := s.loadUnits(ctx)
	if err != nil {
		return nil, "", err
	}
	d, err := parseUnitsDoc(src)
	return d, base, err
}

func (s *Studio) showUnitsForm(w http.ResponseWriter, r *http.Request) error {
	v, _ := console.ViewerFrom(r.Context())
	l := v.Locale
	d, base, err := s.loadUnitsDoc(r.Context())
	if err != nil {
		return err
	}
	f, err := d.form()
	if err != nil {
		return err
	}
	flash := ""
	switch {
	case r.URL.Query().Has("saved"):
		flash = l.T("Saved and applied: the next opinions are routed by it.")
	case r.URL.Query().Has("unchanged"):
		flash = l.T("Nothing to save: no field was changed.")
	}
	s.renderUnitsForm(w, r, http.StatusOK, base, f, storedNames(d), nil, "", flash)
	return nil
}

func (s *Studio) renderUnitsForm(w http.ResponseWriter, r *http.Request, status int, base string, f *unitsForm, stored []string, errs []fieldError, problem, flash string) {
	v, _ := console.ViewerFrom(r.Context())
	view, err := s.unitsView(r.Context(), v.Locale, base, f, stored, errs)
	if err != nil {
		console.Fail(w, r, err)
		return
	}
	view.Problem = problem
	console.Render(w, r, settingsUnitsPage, console.Page{Title: v.Locale.T("Units and routing rules"), Section: "studio",
		Data: view, Flash: flash, Status: status})
}

// saveUnitsForm applies the form to the file it showed and saves the
// result as the YAML editor's save does. Refused fields come back with
// the admin's values and a message beside each; nothing is stored.
func (s *Studio) saveUnitsForm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v, _ := console.ViewerFrom(ctx)
	l := v.Locale
	r.Body = http.MaxBytesReader(w, r.Body, maxSettingsFile)
	if err := r.ParseForm(); err != nil {
		return langnghe.Errorf(langnghe.EINVALID, "the form could not be read")
	}
	base := r.PostForm.Get("base")
	units, errU := strconv.Atoi(r.PostForm.Get("units"))
	rules, errR := strconv.Atoi(r.PostForm.Get("rules"))
	if errU != nil || errR != nil || units < 0 || rules < 0 || units > 10000 || rules > 10000 {
		return langnghe.Errorf(langnghe.EINVALID, "the form does not say how many units and rules it shows; reload the page")
	}
	f := readUnitsForm(r.PostForm, units, rules)
	d, current, err := s.loadUnitsDoc(ctx)
	if err != nil {
		return err
	}
	stored := storedNames(d)
	if current != base || len(d.units.Content) != units || len(d.rules.Content) != rules-newRuleRows {
		s.renderUnitsForm(w, r, http.StatusConflict, base, f, nil, nil, l.T("Not saved: the units or routing rules were changed by someone else after you opened this page. What you entered is kept below; reload the page to see their changes, then enter yours again."), "")
		return nil
	}
	cat, err := s.storedCatalogue(ctx)
	if err != nil {
		return err
	}
	if errs := f.check(l, unitCodes(f), cat); len(errs) > 0 {
		s.renderUnitsForm(w, r, http.StatusBadRequest, base, f, stored, errs, l.T("Nothing was saved. Please correct the fields marked below."), "")
		return nil
	}
	changed, err := d.apply(f)
	if langnghe.ErrorCode(err) == langnghe.ECONFLICT {
		s.renderUnitsForm(w, r, http.StatusConflict, base, f, nil, nil, l.T("Not saved: the units or routing rules were changed by someone else after you opened this page. What you entered is kept below; reload the page to see their changes, then enter yours again."), "")
		return nil
	}
	if err != nil {
		return err
	}
	if !changed {
		http.Redirect(w, r, unitsFormPath+"?unchanged=1", http.StatusSeeOther)
		return nil
	}
	out, err := d.encode()
	if err != nil {
		return err
	}
	err = s.saveUnits(ctx, v.Actor(), "form", out, base)
	switch code := langnghe.ErrorCode(err); {
	case err == nil:
		http.Redirect(w, r, unitsFormPath+"?saved=1", http.StatusSeeOther)
	case code == langnghe.ECONFLICT:
		s.renderUnitsForm(w, r, http.StatusConflict, base, f, nil, nil, l.T("Not saved: the units or routing rules were changed by someone else after you opened this page. What you entered is kept below; reload the page to see their changes, then enter yours again."), "")
	case code == langnghe.EINVALID:
		// What the form's checks do not cover (the file's own rules, or a
		// catalogue changed meanwhile): the units file's message, with
		// its line in the YAML the form wrote.
		s.renderUnitsForm(w, r, http.StatusBadRequest, base, f, stored, nil,
			l.T("Nothing was saved. The units file the form wrote does not pass its checks:")+" "+langnghe.ErrorMessage(err), "")
	default:
		return err
	}
	return nil
}
