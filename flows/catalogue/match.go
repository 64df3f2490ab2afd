package catalogue

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"langnghe"
	"langnghe/flows/vntext"
)

// unitWord is a word residents put before an area's name to say what kind
// of unit it is. Unit words are optional when matching, and when given they
// pick between units of the same name ("thị trấn Dầu Tiếng" versus "xã Dầu
// Tiếng"); a name that is only a number ("khu phố 3") needs its own.
type unitWord struct {
	words []string // folded
	exact string   // as spelled with diacritics; "" for abbreviations
	kind  string
	canon string // the unit whatever its spelling: "kp" is "khu pho"
}

var unitWords = []unitWord{
	{[]string{"thi", "tran"}, "thị trấn", "town", "thi tran"},
	{[]string{"thanh", "pho"}, "thành phố", "city", "thanh pho"},
	{[]string{"khu", "pho"}, "khu phố", kindHamlet, "khu pho"},
	{[]string{"xa"}, "xã", "commune", "xa"},
	{[]string{"phuong"}, "phường", "ward", "phuong"},
	{[]string{"p"}, "", "ward", "phuong"},
	{[]string{"tt"}, "", "town", "thi tran"},
	{[]string{"tp"}, "", "city", "thanh pho"},
	{[]string{"tinh"}, "tỉnh", "province", "tinh"},
	{[]string{"ap"}, "ấp", kindHamlet, "ap"},
	{[]string{"kp"}, "", kindHamlet, "khu pho"},
	{[]string{"thon"}, "thôn", kindHamlet, "thon"},
	{[]string{"huyen"}, "huyện", "district", "huyen"},
	{[]string{"quan"}, "quận", "district", "quan"},
}

// trailingWords end English names ("Dau Tieng commune") and are dropped the
// same way.
var trailingWords = map[string]bool{
	"commune": true, "ward": true, "town": true, "city": true, "province": true,
	"hamlet": true, "district": true, "former": true,
}

// maxMatchWords bounds the work on a long message: an area is named near
// the start of an answer.
const maxMatchWords = 200

// token is one word as typed (lower-cased, diacritics kept) and folded;
// upper tells whether it was typed with a capital, as names are.
type token struct {
	exact, folded string
	upper         bool
}

// tokensUpTo is the first n tokens of s: what a long text costs is bounded.
func tokensUpTo(s string, n int) []token {
	ts := tokens(s)
	return ts[:min(len(ts), n)]
}

func tokens(s string) []token {
	words := strings.FieldsFunc(vntext.Normalize(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
	})
	out := make([]token, 0, len(words))
	for _, w := range words {
		first, _ := utf8.DecodeRuneInString(w)
		lower := strings.ToLower(w)
		out = append(out, token{exact: lower, folded: vntext.Fold(lower), upper: unicode.IsUpper(first)})
	}
	return out
}

// marked reports whether the word was typed with a diacritic.
func (t token) marked() bool { return t.exact != t.folded }

// unitAt returns the unit words ending just before i, and how many words
// they take. A unit word typed with other diacritics is another word: "áp"
// (pressure) is not "ấp", "xà" is not "xã".
func unitAt(ts []token, i int) (unitWord, int) {
	for _, u := range unitWords {
		start := i - len(u.words)
		if start >= 0 && unitIs(u, ts[start:i]) {
			return u, len(u.words)
		}
	}
	return unitWord{}, 0
}

func unitIs(u unitWord, ts []token) bool {
	if len(ts) != len(u.words) {
		return false
	}
	marked := false
	exact := make([]string, len(ts))
	for j, w := range u.words {
		if ts[j].folded != w {
			return false
		}
		marked = marked || ts[j].marked()
		exact[j] = ts[j].exact
	}
	return !marked || u.exact == "" || strings.Join(exact, " ") == u.exact
}

// unitKindAt returns the kind named by unit words ending just before i,
// and how many words they take.
func unitKindAt(ts []token, i int) (kind string, n int) {
	u, n := unitAt(ts, i)
	return u.kind, n
}

// areaKey is one way to name an area. Only the Vietnamese name and the
// aliases are spelled with the diacritics that tell "Thanh" from "Thạnh";
// names in other languages match folded only.
type areaKey struct {
	words    []token
	accented bool
	unit     string // canon of the unit words the name began with
	numeric  bool   // a number ("3", "4B"): matches only after its unit word
}

// areaKeys returns the word sequences that name a: each name and alias with
// its unit words and any parenthesised remark removed.
func areaKeys(a langnghe.Area) []areaKey {
	var keys []areaKey
	add := func(s string, accented bool) {
		if i := strings.IndexByte(s, '('); i >= 0 {
			s = s[:i]
		}
		ts := tokens(s)
		for len(ts) > 1 && trailingWords[ts[len(ts)-1].folded] {
			ts = ts[:len(ts)-1]
		}
		unit := ""
		for {
			u, n := unitFront(ts)
			if n == 0 || n >= len(ts) {
				break
			}
			ts, unit = ts[n:], u.canon
		}
		if len(ts) > 0 {
			first, _ := utf8.DecodeRuneInString(ts[0].folded)
			keys = append(keys, areaKey{words: ts, accented: accented, unit: unit, numeric: unicode.IsDigit(first)})
		}
	}
	for lang, name := range a.Names {
		add(name, lang == langnghe.LangVI)
	}
	for _, alias := range a.Aliases {
		add(alias, true)
	}
	return keys
}

func unitFront(ts []token) (unitWord, int) {
	for _, u := range unitWords {
		if len(ts) >= len(u.words) && unitIs(u, ts[:len(u.words)]) {
			return u, len(u.words)
		}
	}
	return unitWord{}, 0
}

func unitKindFront(ts []token) (string, int) {
	u, n := unitFront(ts)
	return u.kind, n
}

// match is one place in the text where an area's name was found.
type match struct {
	area       int // index in the catalogue
	start, end int // word span in the text
	exact      bool
	unit       unitWord // the unit words typed before the name, if any
	kindAgrees bool     // the resident's unit word names this area's kind
	distance   int      // edit distance, for typo matches
}

// MatchArea returns the areas the resident named in text, best first.
//
// Names and aliases match with or without diacritics, unit words ("xã",
// "phường", "p.", "thị trấn", "tt", "ấp", "khu phố", "kp", ...) are
// optional, and a small typo is tolerated when nothing matches otherwise.
// A name that is only a number ("khu phố 3", "ấp 3") matches only after its
// unit word, and a name followed by a commune, ward or larger unit the
// catalogue does not know is elsewhere ("khu phố 5 phường 1 quận 10"). When
// the text carries any diacritics, an exact match beats a
// folded one: "Thạnh An" is only the Cần Giờ commune, while "Thanh An" typed
// without accents also matches it and both are returned for the resident to
// pick. A unit word that agrees with a unit's kind wins over units of
// another kind; a more specific unit hides the units that contain it (its
// parents and what replaced them), and picks among same-named units the one
// inside a unit also named ("ấp 3 Minh Thạnh"); a hamlet named like a
// commune is the commune unless "ấp" or "khu phố" comes before it; a
// district, province or city named beside a commune is dropped; active
// units come before former ones (whose ReplacedBy names the unit that took
// over). A hamlet is returned as itself: Commune gives its commune.
func MatchArea(c *langnghe.Catalogue, text string) []langnghe.Area {
	ts := tokensUpTo(text, maxMatchWords)
	if c == nil || len(ts) == 0 {
		return nil
	}
	all := findExact(c, ts, indexOf(c).byFirst)
	matches := keepIfStrict(all, func(m match) bool { return !elsewhere(ts, all, m) })
	if len(all) == 0 {
		matches = findTypos(c, ts)
	}
	matches = dropEnclosed(matches)
	best := bestPerArea(matches)
	best = dropContainers(c, best)
	best = dropAboveCommune(c, best)
	best = dropBareHamlets(c, best)
	best = keepIf(best, func(m match) bool { return m.kindAgrees })
	if hasMarks(ts) {
		best = keepIf(best, func(m match) bool { return m.exact })
	}
	// Active first, then catalogue order; stable and small.
	var out []langnghe.Area
	for _, active := range []bool{true, false} {
		for _, m := range best {
			if a := c.Areas[m.area]; a.Active == active {
				out = append(out, a)
			}
		}
	}
	return out
}

// keyRef is one key of one area, indexed by its first folded word.
type keyRef struct {
	area int
	key  areaKey
}

// findExact finds every name and alias in ts, folded, word for word.
func findExact(c *langnghe.Catalogue, ts []token, index map[string][]keyRef) []match {
	var out []match
	for start, t := range ts {
		for _, ref := range index[t.folded] {
			key, a := ref.key, c.Areas[ref.area]
			end := start + len(key.words)
			if end > len(ts) {
				continue
			}
			exact, ok := key.accented, true
			for j, k := range key.words {
				t := ts[start+j]
				if t.folded != k.folded {
					ok = false
					break
				}
				exact = exact && t.exact == k.exact
			}
			if !ok {
				continue
			}
			unit, _ := unitAt(ts, start)
			if key.numeric && !(unit.canon == key.unit || key.unit == "" && unit.kind == a.Kind) {
				continue // "3" is a number; "khu phố 3" is a place
			}
			out = append(out, match{area: ref.area, start: start, end: end, exact: exact, unit: unit,
				kindAgrees: unit.kind != "" && unit.kind == a.Kind})
		}
	}
	return out
}

// findTypos compares the whole answer, without its unit words, to each name.
func findTypos(c *langnghe.Catalogue, ts []token) []match {
	kind, n := unitKindFront(ts)
	if n >= len(ts) {
		return nil
	}
	typed := joinFolded(ts[n:])
	if len(typed) > 40 {
		return nil
	}
	var out []match
	best := 3
	keys := indexOf(c).keys
	for ai, a := range c.Areas {
		for _, key := range keys[ai] {
			if key.numeric {
				continue // a slip in a number is another place
			}
			name := joinFolded(key.words)
			allowed := typoBudget(len(name))
			d := min(editDistance(typed, name), editDistance(strings.ReplaceAll(typed, " ", ""), strings.ReplaceAll(name, " ", "")))
			if d > allowed || d > best {
				continue
			}
			if d < best {
				best, out = d, out[:0]
			}
			out = append(out, match{area: ai, start: n, end: len(ts), distance: d, kindAgrees: kind != "" && kind == a.Kind})
		}
	}
	return out
}

// typoBudget allows one slip in a short name and two in a long one; names
// under five letters must be typed right, or "an" would match everything.
func typoBudget(n int) int {
	switch {
	case n < 5:
		return 0
	case n <= 9:
		return 1
	}
	return 2
}

func joinFolded(ts []token) string {
	words := make([]string, len(ts))
	for i, t := range ts {
		words[i] = t.folded
	}
	return strings.Join(words, " ")
}

// editDistance is the optimal string alignment distance (Levenshtein plus
// adjacent transpositions, the commonest slip on a phone keyboard).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// dropEnclosed removes matches whose words lie strictly inside a longer
// match: "Thạnh An Cần Giờ" is the Cần Giờ commune, not also "Thanh An".
func dropEnclosed(ms []match) []match {
	return keepIfStrict(ms, func(m match) bool {
		for _, o := range ms {
			if o.start <= m.start && m.end <= o.end && o.end-o.start > m.end-m.start {
				return false
			}
		}
		return true
	})
}

// bestPerArea keeps one match per area: exact over folded, then agreeing
// unit words, then the longest.
func bestPerArea(ms []match) []match {
	var out []match
	at := map[int]int{}
	for _, m := range ms {
		i, ok := at[m.area]
		if !ok {
			at[m.area] = len(out)
			out = append(out, m)
			continue
		}
		if better(m, out[i]) {
			out[i] = m
		}
	}
	return out
}

func better(a, b match) bool {
	if a.exact != b.exact {
		return a.exact
	}
	if a.kindAgrees != b.kindAgrees {
		return a.kindAgrees
	}
	return a.end-a.start > b.end-b.start
}

// dropContainers removes areas that contain another matched area (its
// parents, and the units that replaced them), and the other readings of
// the words that named them: in "xã Thanh An, TP HCM" the resident means
// the commune, in "ấp Hòa Cường, xã Minh Thạnh" the hamlet (and "Minh
// Thạnh" is not also the former commune of that name). Where several units
// share the words of a name, those inside more of the units the text also
// names win: "ấp 3 Minh Thạnh" is Minh Thạnh's ấp 3.
func dropContainers(c *langnghe.Catalogue, ms []match) []match {
	matched := map[string][]match{}
	for _, m := range ms {
		code := c.Areas[m.area].Code
		matched[code] = append(matched[code], m)
	}
	type span struct{ start, end int }
	container := map[string]bool{}
	anchors := map[span]bool{} // words that named a container of other words
	score := make([]int, len(ms))
	for i, m := range ms {
		for code := range containers(c, c.Areas[m.area]) {
			named := false
			for _, o := range matched[code] {
				container[code] = true
				if o.end <= m.start || m.end <= o.start {
					anchors[span{o.start, o.end}] = true
					named = true
				}
			}
			if named {
				score[i]++
			}
		}
	}
	var out []match
	for i, m := range ms {
		if container[c.Areas[m.area].Code] || anchors[span{m.start, m.end}] {
			continue
		}
		outscored := false
		for j, o := range ms {
			outscored = outscored || o.start == m.start && o.end == m.end && score[j] > score[i]
		}
		if !outscored {
			out = append(out, m)
		}
	}
	return out
}

// containers returns the codes of the areas that contain a: its parent,
// the units that replaced the parent, their parents, and so on.
func containers(c *langnghe.Catalogue, a langnghe.Area) map[string]bool {
	set := map[string]bool{}
	queue := []string{a.Parent}
	for len(queue) > 0 && len(set) <= len(c.Areas) {
		code := queue[0]
		queue = queue[1:]
		if code == "" || code == a.Code || set[code] {
			continue
		}
		set[code] = true
		if p, ok := c.Area(code); ok {
			queue = append(queue, p.Parent, p.ReplacedBy)
		}
	}
	return set
}

// dropAboveCommune removes districts, provinces and cities named beside a
// commune, ward or hamlet: "Minh Hòa, Dầu Tiếng, Bình Dương" is Minh Hòa.
func dropAboveCommune(c *langnghe.Catalogue, ms []match) []match {
	return keepIf(ms, func(m match) bool { return level(c.Areas[m.area].Kind) <= levelCommune })
}

// dropBareHamlets removes a hamlet whose name was typed without "ấp" or
// "khu phố" where a commune of the same name matched the same words: "Minh
// Tân" is the former commune, "ấp Minh Tân" the hamlet.
func dropBareHamlets(c *langnghe.Catalogue, ms []match) []match {
	return keepIfStrict(ms, func(m match) bool {
		if level(c.Areas[m.area].Kind) != levelHamlet || m.unit.kind == kindHamlet {
			return true
		}
		return !slices.ContainsFunc(ms, func(o match) bool {
			return o.start == m.start && o.end == m.end && level(c.Areas[o.area].Kind) > levelHamlet
		})
	})
}

// keepIf keeps the matches that pass, unless none does: a preference, not
// a filter that could leave the resident with nothing.
func keepIf(ms []match, pass func(match) bool) []match {
	kept := keepIfStrict(ms, pass)
	if len(kept) == 0 {
		return ms
	}
	return kept
}

func keepIfStrict(ms []match, pass func(match) bool) []match {
	var out []match
	for _, m := range ms {
		if pass(m) {
			out = append(out, m)
		}
	}
	return out
}

// hasMarks reports whether the resident typed any diacritic, which makes a
// missing one meaningful.
func hasMarks(ts []token) bool {
	for _, t := range ts {
		if t.exact != t.folded {
			return true
		}
	}
	return false
}
