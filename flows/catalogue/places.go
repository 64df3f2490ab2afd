package catalogue

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"langnghe"
	"langnghe/flows/vntext"
	"langnghe/wording"
)

// kindHamlet is the kind of the units below a commune: ấp, khu phố, thôn.
const kindHamlet = "hamlet"

// The three levels the code tells apart; every other kind is a commune or
// ward (the catalogue's kinds are data, see default.yaml).
const (
	levelHamlet = iota
	levelCommune
	levelAbove // district, province, city
)

func level(kind string) int {
	switch kind {
	case kindHamlet:
		return levelHamlet
	case "district", "province", "city":
		return levelAbove
	}
	return levelCommune
}

// maxFindWords bounds the work on a long description.
const maxFindWords = 2000

// FindPlaces returns the places a free text names (a description such as
// "Đường vào ấp Hòa Cường xã Minh Hòa cũ có ổ gà"), most specific first:
// hamlets, then communes and wards, each in the order the text names them.
// Districts, provinces and cities are never returned (too wide to propose),
// but they pick between places of the same name as MatchArea does.
//
// A name is found folded, by whole words, and only where the text shows it
// is a place: after its unit word ("xã", "ấp", "khu phố", "kp", ...), or
// typed with capitals ("Minh Thạnh"), or, typed in lower case, when it has
// two words or more, is not an everyday phrase ("hòa thuận", "tây nam") and
// is not cut out of one ("ổn định an ninh" does not name Định An, "quyết
// định thành lập" not Định Thành). Single words ("an", "long", "hòa") and
// numbers ("3") need their unit word. Where the name is typed with
// diacritics they must be the name's ("minh họa" is not Minh Hòa).
//
// Several results mean the text names several places or one name that
// several places share ("thanh an" without diacritics); a former unit whose
// successor has the same name ("Minh Thạnh") is returned as the successor,
// unless the text says "cũ" after it.
func FindPlaces(c *langnghe.Catalogue, text string) []langnghe.Area {
	ts := tokensUpTo(text, maxFindWords)
	if c == nil || len(ts) == 0 {
		return nil
	}
	var found []match
	all := findExact(c, ts, indexOf(c).byFirst)
	for _, m := range all {
		if placeEvidence(c, ts, m) && !elsewhere(ts, all, m) {
			found = append(found, m)
		}
	}
	found = dropEnclosed(found)
	best := bestPerArea(found)
	best = dropContainers(c, best)
	best = dropBareHamlets(c, best)
	best = preferPerSpan(best, func(m match) bool { return m.kindAgrees })
	if hasMarks(ts) { // who types diacritics means "Thanh An" as typed
		best = preferPerSpan(best, func(m match) bool { return m.exact })
	}
	best = dropReplacedOnSameWords(c, ts, best)
	best = keepIfStrict(best, func(m match) bool { return level(c.Areas[m.area].Kind) <= levelCommune })
	slices.SortStableFunc(best, func(a, b match) int {
		return cmp.Or(cmp.Compare(level(c.Areas[a.area].Kind), level(c.Areas[b.area].Kind)), cmp.Compare(a.start, b.start))
	})
	var out []langnghe.Area
	for _, m := range best {
		out = append(out, c.Areas[m.area])
	}
	return out
}

// placeEvidence tells whether the words matched in a free text are meant
// as a place.
func placeEvidence(c *langnghe.Catalogue, ts []token, m match) bool {
	span := ts[m.start:m.end]
	typed := ts[m.start-len(m.unit.words) : m.end] // with its unit words
	if slices.ContainsFunc(typed, token.marked) && !m.exact {
		return false // "minh họa", "lòng hòa"
	}
	if m.unit.canon != "" {
		if (level(m.unit.kind) == levelHamlet) != (level(c.Areas[m.area].Kind) == levelHamlet) {
			return false // "phường Hòa Cường" is a ward elsewhere, not the hamlet
		}
		start := m.start - len(m.unit.words)
		return start == 0 || !commonPairs[ts[start-1].folded+" "+ts[start].folded] // "điện áp 3"
	}
	if len(span) == 1 {
		// One word is a place only when it cannot be a word: "KP3".
		w := span[0].folded
		return strings.ContainsFunc(w, unicode.IsDigit) && strings.ContainsFunc(w, unicode.IsLetter)
	}
	if m.start > 0 && commonPairs[ts[m.start-1].folded+" "+span[0].folded] {
		return false
	}
	if m.end < len(ts) && commonPairs[span[len(span)-1].folded+" "+ts[m.end].folded] {
		return false
	}
	if !slices.ContainsFunc(span, func(t token) bool { return !t.upper }) {
		return true // typed as a name: "Hòa Thuận"
	}
	return !commonNames[joinFolded(span)]
}

// elsewhere reports whether the words right after m (past a list of
// numbers: "khu phố 1, 7 và 2A") name a commune, ward or larger unit the
// catalogue does not know: "khu phố 5 phường 1 quận 10" is not our khu phố
// 5. A unit the catalogue knows ("ấp 3 xã Minh Thạnh") is no objection.
func elsewhere(ts []token, all []match, m match) bool {
	i := m.end
	for i < len(ts) && (ts[i].folded == "va" || strings.IndexFunc(ts[i].folded, unicode.IsDigit) == 0) {
		i++
	}
	u, n := unitFront(ts[i:])
	if n == 0 || level(u.kind) == levelHamlet || i+n >= len(ts) {
		return false
	}
	return !slices.ContainsFunc(all, func(o match) bool { return o.start == i+n })
}

// commonNames are place names that are also everyday phrases: in lower
// case and without a unit word they are the phrase.
var commonNames = map[string]bool{
	"tay nam": true, "dong nam": true, "tay bac": true, "dong bac": true,
	"hoa thuan": true, "hoa binh": true, "hoa hop": true, "hoa loc": true,
	"thanh cong": true, "binh an": true, "an binh": true, "tan tien": true,
	"thong nhat": true, "doan ket": true, "binh minh": true, "an phu": true,
}

// commonPairs are everyday two-word phrases, folded. A place name does not
// begin with the second word of one ("ổn định | An ninh") nor end with the
// first word of one ("Định Thành | lập").
var commonPairs = func() map[string]bool {
	set := map[string]bool{}
	for _, p := range []string{
		// ... định: ổn định an ninh, quyết định thành lập
		"on dinh", "quyet dinh", "du dinh", "xac dinh", "quy dinh", "co dinh", "nhat dinh",
		"khang dinh", "chi dinh", "giam dinh", "tham dinh", "phan dinh", "kien dinh",
		// ... minh: thông minh, chứng minh, hình minh họa
		"thong minh", "chung minh", "van minh", "phat minh", "thuyet minh", "cong minh",
		"hinh minh", "tuong minh",
		// ... long: vui lòng, hài lòng
		"vui long", "hai long", "tam long", "bang long", "trong long", "het long",
		// ... an, hòa, dầu, áp
		"binh an", "bat an", "chuc an", "xang dau", "cay dau", "dien ap", "huyet ap",
		"cat hoa", "hoa hoa", "dieu hoa", "cong hoa", "van hoa",
		// ... tây, đông: phía tây nam
		"phia tay", "huong tay", "gio tay", "goc tay", "phia dong", "huong dong",
		// an ...: an ninh, an toàn
		"an ninh", "an toan", "an tam", "an sinh", "an uong", "an cu", "an khang", "an nhan", "an ui",
		// thành/thạnh ...: thành lập, thành công
		"thanh lap", "thanh cong", "thanh toan", "thanh vien", "thanh nien", "thanh pham",
		"thanh tich", "thanh qua", "thanh phan", "thanh ra", "thanh that",
		// lập, hòa, tiếng, giăng, lộc, thuận, cường, tân ...
		"lap nghiep", "lap ke", "lap bien", "lap ho", "lap tuc",
		"hoa giai", "hoa hoc", "hoa don", "hoa chat", "hoa binh",
		"tieng on", "tieng no", "tieng keu", "tieng dong", "tieng noi", "tieng hat", "tieng nhac",
		"giang day", "loc nuoc", "loc rac", "thuan loi", "thuan tien", "cuong che", "tan trang",
		"hung thinh", "suc khoe", "nam bo", "nam nay",
	} {
		set[p] = true
	}
	return set
}()

// preferPerSpan keeps, among the matches of the same words, those that
// pass, unless none does.
func preferPerSpan(ms []match, pass func(match) bool) []match {
	return keepIfStrict(ms, func(m match) bool {
		if pass(m) {
			return true
		}
		return !slices.ContainsFunc(ms, func(o match) bool { return o.start == m.start && o.end == m.end && pass(o) })
	})
}

// dropReplacedOnSameWords removes a former unit whose successor matched
// the same words ("Minh Thạnh" names the commune of today), or the
// successor when the text says "cũ" (former) right after the name.
func dropReplacedOnSameWords(c *langnghe.Catalogue, ts []token, ms []match) []match {
	former := func(m match) bool {
		return m.end < len(ts) && ts[m.end].folded == "cu" && (ts[m.end].exact == "cũ" || !ts[m.end].marked())
	}
	return keepIfStrict(ms, func(m match) bool {
		a := c.Areas[m.area]
		return !slices.ContainsFunc(ms, func(o match) bool {
			if o.start != m.start || o.end != m.end {
				return false
			}
			b := c.Areas[o.area]
			if former(m) {
				return a.Active && b.ReplacedBy == a.Code // keep the former one
			}
			return !a.Active && a.ReplacedBy == b.Code
		})
	})
}

// Commune returns the active commune or ward the area code belongs to,
// following parents (a hamlet's commune) and replacements (a former
// commune's successor): "ap_hoa_cuong" and "former_minh_hoa" both give xã
// Minh Thạnh. For a unit above communes it returns the active unit it
// leads to (a former province gives the city); for an unknown code, the
// zero Area.
func Commune(c *langnghe.Catalogue, code string) langnghe.Area {
	if c == nil {
		return langnghe.Area{}
	}
	var last langnghe.Area
	for steps := 0; code != "" && steps <= len(c.Areas); steps++ {
		a, ok := c.Area(code)
		if !ok {
			break
		}
		if a.Active {
			last = a
			if level(a.Kind) != levelHamlet {
				return a
			}
		}
		switch {
		case !a.Active && a.ReplacedBy != "":
			code = a.ReplacedBy
		default:
			code = a.Parent
		}
	}
	return last
}

// words the hints and descriptions use, from the catalogue's place.*.
type placeWords struct{ nowIn, formerDistrict, former string }

func wordsFor(lang string) placeWords {
	return placeWords{
		nowIn:          wording.Text(lang, "place.now_in"),
		formerDistrict: wording.Text(lang, "place.former_district"),
		former:         wording.Text(lang, "place.former"),
	}
}

func sprintf(format, arg string) string { return strings.Replace(format, "%s", arg, 1) }

// FormerName is a former unit's name marked as former: "xã Minh Hòa cũ",
// "former Minh Hoa commune". An active unit's name is returned as it is.
func FormerName(a langnghe.Area, lang string) string {
	name := a.Name(lang)
	if a.Active {
		return name
	}
	name = strings.TrimSpace(strings.TrimSuffix(name, "(former)"))
	name = strings.TrimSpace(strings.TrimSuffix(name, ", former"))
	return sprintf(wordsFor(lang).former, name)
}

// Hint returns a short remark that tells a unit from others whose names
// fold to the same letters, for residents who type without diacritics, or
// "" when no other unit at its level has its name:
//
//	xã Thanh An  (huyện Dầu Tiếng cũ)   xã Thạnh An  (huyện Cần Giờ cũ)
//	ấp 3  (xã Minh Hòa cũ)              xã Minh Tân cũ  (nay thuộc xã Minh Thạnh)
//
// A hamlet is told by its commune; a former unit by what it is now part
// of, unless that has the same name; any other unit by the former district
// it (or what it replaced) belonged to, else by its parent.
func Hint(c *langnghe.Catalogue, a langnghe.Area, lang string) string {
	if c == nil || !collides(c, a) {
		return ""
	}
	w := wordsFor(lang)
	if level(a.Kind) == levelHamlet {
		if p, ok := c.Area(a.Parent); ok {
			return "(" + FormerName(p, lang) + ")"
		}
	}
	if !a.Active && a.ReplacedBy != "" {
		if s, ok := c.Area(a.ReplacedBy); ok && !sameFoldedName(a, s) {
			return "(" + sprintf(w.nowIn, s.Name(lang)) + ")"
		}
	}
	if d, ok := formerDistrict(c, a); ok {
		return "(" + sprintf(w.formerDistrict, d.Name(lang)) + ")"
	}
	if p, ok := c.Area(a.Parent); ok {
		return "(" + FormerName(p, lang) + ")"
	}
	return ""
}

// Label is how a unit is offered to a resident choosing among several: its
// name, marked as former where it is, and its Hint.
func Label(c *langnghe.Catalogue, a langnghe.Area, lang string) string {
	name := FormerName(a, lang)
	if h := Hint(c, a, lang); h != "" {
		name += " " + h
	}
	return name
}

// Describe renders an area code for officials, with the commune a hamlet
// belongs to and what a former unit is now part of:
//
//	ấp Hòa Cường, xã Minh Hòa cũ (nay thuộc xã Minh Thạnh)
//
// An unknown code is returned as it is.
func Describe(c *langnghe.Catalogue, code, lang string) string {
	if code == "" || c == nil {
		return code
	}
	a, ok := c.Area(code)
	if !ok {
		return code
	}
	var parts []string
	for steps := 0; level(a.Kind) == levelHamlet && steps <= len(c.Areas); steps++ {
		parts = append(parts, a.Name(lang))
		p, ok := c.Area(a.Parent)
		if !ok {
			return strings.Join(parts, ", ")
		}
		a = p
	}
	last := FormerName(a, lang)
	if !a.Active && a.ReplacedBy != "" {
		if s, ok := c.Area(a.ReplacedBy); ok {
			last += " (" + sprintf(wordsFor(lang).nowIn, s.Name(lang)) + ")"
		}
	}
	return strings.Join(append(parts, last), ", ")
}

// collides reports whether another unit at a's level, not a's own
// predecessor or successor, has a name that folds to one of a's.
func collides(c *langnghe.Catalogue, a langnghe.Area) bool {
	names := map[string]bool{}
	for _, k := range areaKeys(a) {
		names[joinFolded(k.words)] = true
	}
	keys := indexOf(c).keys
	root := ""
	for i, b := range c.Areas {
		if b.Code == a.Code || level(b.Kind) != level(a.Kind) {
			continue
		}
		for _, k := range keys[i] {
			if !names[joinFolded(k.words)] {
				continue
			}
			if root == "" {
				root = successorRoot(c, a)
			}
			if successorRoot(c, b) != root {
				return true
			}
			break
		}
	}
	return false
}

func sameFoldedName(a, b langnghe.Area) bool {
	return vntext.Fold(a.Name(langnghe.LangVI)) == vntext.Fold(b.Name(langnghe.LangVI))
}

// successorRoot follows replaced_by to the unit of today.
func successorRoot(c *langnghe.Catalogue, a langnghe.Area) string {
	code := a.Code
	for steps := 0; steps <= len(c.Areas); steps++ {
		b, ok := c.Area(code)
		if !ok || b.ReplacedBy == "" {
			break
		}
		code = b.ReplacedBy
	}
	return code
}

// formerDistrict is the former district (an inactive unit above communes)
// a belonged to, or that the units a replaced belonged to.
func formerDistrict(c *langnghe.Catalogue, a langnghe.Area) (langnghe.Area, bool) {
	above := func(x langnghe.Area) (langnghe.Area, bool) {
		code := x.Parent
		for steps := 0; code != "" && steps <= len(c.Areas); steps++ {
			p, ok := c.Area(code)
			if !ok {
				break
			}
			if !p.Active && level(p.Kind) == levelAbove {
				return p, true
			}
			code = p.Parent
		}
		return langnghe.Area{}, false
	}
	if d, ok := above(a); ok {
		return d, true
	}
	for _, b := range c.Areas {
		if b.ReplacedBy == a.Code {
			if d, ok := above(b); ok {
				return d, true
			}
		}
	}
	return langnghe.Area{}, false
}

// AsWritten returns the place as the resident wrote it, for officials to
// read beside the area it was resolved to, or "" when it says nothing more
// than the area's own name: "minh hoa" stays beside xã Minh Thạnh, while
// "xã Minh Thạnh" or "minh thanh" typed for minh_thanh is left out. Typed
// with diacritics, it must be spelled as the name to be left out ("Thạnh
// An" beside xã Thanh An is shown).
func AsWritten(c *langnghe.Catalogue, code, text string) string {
	text = vntext.Normalize(text)
	if text == "" || c == nil {
		return text
	}
	a, ok := c.Area(code)
	if !ok {
		return text
	}
	ts := tokens(text)
	for {
		_, n := unitFront(ts)
		if n == 0 || n >= len(ts) {
			break
		}
		ts = ts[n:]
	}
	for len(ts) > 1 && trailingWords[ts[len(ts)-1].folded] {
		ts = ts[:len(ts)-1]
	}
	marked := hasMarks(ts)
	for _, k := range areaKeys(a) {
		if len(k.words) != len(ts) || marked && !k.accented {
			continue
		}
		same := true
		for i, w := range k.words {
			same = same && w.folded == ts[i].folded && (!marked || w.exact == ts[i].exact)
		}
		if same {
			return ""
		}
	}
	return text
}
