package catalogue

import (
	"strings"
	"unicode"

	"langnghe"
	"langnghe/flows/vntext"
)

// unitWords are the words residents put before an area's name to say what
// kind of unit it is, folded. They are optional when matching, and when
// given they pick between units of the same name ("thị trấn Dầu Tiếng"
// versus "xã Dầu Tiếng").
var unitWords = []struct {
	words []string
	kind  string
}{
	{[]string{"thi", "tran"}, "town"},
	{[]string{"thanh", "pho"}, "city"},
	{[]string{"khu", "pho"}, "hamlet"},
	{[]string{"xa"}, "commune"},
	{[]string{"phuong"}, "ward"},
	{[]string{"p"}, "ward"},
	{[]string{"tt"}, "town"},
	{[]string{"tp"}, "city"},
	{[]string{"tinh"}, "province"},
	{[]string{"ap"}, "hamlet"},
	{[]string{"kp"}, "hamlet"},
	{[]string{"huyen"}, "district"},
	{[]string{"quan"}, "district"},
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

// token is one word as typed (lower-cased, diacritics kept) and folded.
type token struct{ exact, folded string }

func tokens(s string) []token {
	words := strings.FieldsFunc(strings.ToLower(vntext.Normalize(s)), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
	})
	out := make([]token, 0, len(words))
	for _, w := range words {
		out = append(out, token{exact: w, folded: vntext.Fold(w)})
	}
	return out
}

// unitKindAt returns the kind named by unit words ending just before i,
// and how many words they take.
func unitKindAt(ts []token, i int) (kind string, n int) {
	for _, u := range unitWords {
		start := i - len(u.words)
		if start < 0 {
			continue
		}
		ok := true
		for j, w := range u.words {
			if ts[start+j].folded != w {
				ok = false
				break
			}
		}
		if ok {
			return u.kind, len(u.words)
		}
	}
	return "", 0
}

// areaKey is one way to name an area. Only the Vietnamese name and the
// aliases are spelled with the diacritics that tell "Thanh" from "Thạnh";
// names in other languages match folded only.
type areaKey struct {
	words    []token
	accented bool
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
		for {
			_, n := unitKindFront(ts)
			if n == 0 || n >= len(ts) {
				break
			}
			ts = ts[n:]
		}
		if len(ts) > 0 {
			keys = append(keys, areaKey{words: ts, accented: accented})
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

func unitKindFront(ts []token) (string, int) {
	for _, u := range unitWords {
		if len(ts) < len(u.words) {
			continue
		}
		ok := true
		for j, w := range u.words {
			if ts[j].folded != w {
				ok = false
				break
			}
		}
		if ok {
			return u.kind, len(u.words)
		}
	}
	return "", 0
}

// match is one place in the text where an area's name was found.
type match struct {
	area       int // index in the catalogue
	start, end int // word span in the text
	exact      bool
	kindAgrees bool // the resident's unit word names this area's kind
	distance   int  // edit distance, for typo matches
}

// MatchArea returns the areas the resident named in text, best first.
//
// Names and aliases match with or without diacritics, unit words ("xã",
// "phường", "p.", "thị trấn", "tt", ...) are optional, and a small typo is
// tolerated when nothing matches otherwise. When the text carries any
// diacritics, an exact match beats a folded one: "Thạnh An" is only the
// Cần Giờ commune, while "Thanh An" typed without accents also matches it
// and both are returned for the resident to pick. A unit word that agrees
// with a unit's kind wins over units of another kind, a more specific unit
// hides its ancestors, and active units come before former ones (whose
// ReplacedBy names the unit that took over).
func MatchArea(c *langnghe.Catalogue, text string) []langnghe.Area {
	if c == nil {
		return nil
	}
	ts := tokens(text)
	if len(ts) > maxMatchWords {
		ts = ts[:maxMatchWords]
	}
	if len(ts) == 0 {
		return nil
	}
	matches := findExact(c, ts)
	if len(matches) == 0 {
		matches = findTypos(c, ts)
	}
	matches = dropEnclosed(matches)
	best := bestPerArea(matches)
	best = dropAncestors(c, best)
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

func findExact(c *langnghe.Catalogue, ts []token) []match {
	var out []match
	for ai, a := range c.Areas {
		for _, key := range areaKeys(a) {
			for start := 0; start+len(key.words) <= len(ts); start++ {
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
				kind, _ := unitKindAt(ts, start)
				out = append(out, match{area: ai, start: start, end: start + len(key.words), exact: exact,
					kindAgrees: kind != "" && kind == a.Kind})
			}
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
	for ai, a := range c.Areas {
		for _, key := range areaKeys(a) {
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

// dropAncestors removes areas that contain another matched area: in
// "xã Thanh An, TP HCM" the resident means the commune.
func dropAncestors(c *langnghe.Catalogue, ms []match) []match {
	matched := map[string]bool{}
	for _, m := range ms {
		matched[c.Areas[m.area].Code] = true
	}
	ancestor := map[string]bool{}
	for _, m := range ms {
		parent := c.Areas[m.area].Parent
		for steps := 0; parent != "" && steps < len(c.Areas); steps++ {
			if matched[parent] {
				ancestor[parent] = true
			}
			p, ok := c.Area(parent)
			if !ok {
				break
			}
			parent = p.Parent
		}
	}
	return keepIfStrict(ms, func(m match) bool { return !ancestor[c.Areas[m.area].Code] })
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
