package classify

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"langnghe/flows/vntext"
)

// The cue phrases of emergencies and legal tracks are matched on the
// resident's words with their accents known, not on folded text alone:
// folding makes many Vietnamese syllables one ("cháy", "chạy", "chảy" and
// "chay" are all "chay"; "giả", fake, is "gia" as in "gia đình"), and a
// matcher that sees only the folded word cries fire at every running
// truck. A cue word whose folded form is ambiguous, or a cue of one word,
// must carry its accents when the resident types accents; residents who type
// none at all are matched on the folded words, with the ambiguous ones
// settled by context.

// ambiguous holds folded words that mean something harmless once their
// accents are gone: "chay" is cháy (fire) but also chạy (run), chảy (flow)
// and chay (vegetarian); "cuu" is cứu (save) but also cựu (former), cửu
// (nine) and cừu (sheep). A cue word in this set matches an accented token
// only with the same marks, and an unaccented one only in a text typed
// wholly without accents.
var ambiguous = map[string]bool{
	"chay": true, "cuu": true, "danh": true, "dam": true, "ngat": true, "xiu": true, "sap": true, "ket": true,
	"lu": true, "duoi": true, "no": true, "tong": true, "vui": true, "lua": true, "chim": true, "giat": true,
	"chem": true, "dap": true, "bong": true, "sung": true, "sac": true, "hoc": true, "lo": true, "sat": true,
	"cat": true, "te": true, "nga": true, "nam": true, "tu": true, "de": true, "nen": true, "mong": true,
	"moi": true, "hoi": true, "don": true, "gap": true, "dem": true, "thuong": true, "chua": true, "dao": true,
	"ben": true, "can": true, "lac": true, "goi": true, "dot": true, "khoi": true, "mau": true, "sot": true,
	"cuon": true, "rot": true, "roi": true, "lot": true, "xuong": true, "guc": true, "dung": true, "lat": true,
	"dau": true, "tim": true, "cam": true, "ga": true, "gia": true, "quy": true, "cho": true, "mang": true,
	"ep": true, "doa": true, "bac": true, "ha": true, "thu": true, "giu": true, "tra": true, "sai": true,
	"huy": true, "thieu": true, "thap": true, "du": true, "hat": true, "on": true, "bui": true, "phat": true,
	"neu": true, "khong": true, "bao": true,
}

// cueWord is one word of a cue: its folded form and the sorted marks its
// accented form carries.
type cueWord struct {
	fold  string
	marks uint64
	amb   bool // the folded form is ambiguous (see ambiguous)
	// single: the cue is this word alone, with no neighbour to settle its
	// sense, so an accented token must carry the same marks ("xã" the
	// commune, not "xa" far or "xả" to discharge).
	single bool
}

// phrase is a cue. For emergencies it is a trigger (kind set) or a blocker
// (kind ""): a phrase whose words are not triggers ("nghiên cứu", "phòng
// cháy", "cướp đất", "fire hydrant"); the legal-track cues use its words
// only.
type phrase struct {
	words []cueWord
	kind  Emergency
	// weight is the cue's evidence (see enough).
	weight float64
	// weak cues ("tai nạn", "cướp giật", "cấp cứu", and all partial
	// evidence) are often the topic of an opinion; a request or suggestion
	// in the text cancels them.
	weak bool
	// notAfter: folded words that, within three words before the cue,
	// make it harmless ("xe đang chạy" typed without accents is not "đang
	// cháy"; "mèo nhà tôi đi lạc" is not a lost child).
	notAfter []string
	// notNext: folded words that, within two words after the cue, make it
	// harmless ("help with my papers").
	notNext []string
	// needAccent: typed without accents the phrase usually means
	// something else ("xe chay" is xe chạy, a vehicle running), so it then
	// counts only as a whole message, like a single ambiguous word.
	needAccent bool
}

// phraseSet indexes cues by their first folded word, longest first.
type phraseSet map[string][]*phrase

// phrases returns a set of plain cues.
func phrases(ps ...string) phraseSet {
	x := phraseSet{}
	for _, p := range ps {
		x.addCue(&phrase{}, p)
	}
	return x
}

// addCue adds c with the words of phrase p.
func (x phraseSet) addCue(c *phrase, p string) {
	for _, w := range splitPhrase(p) {
		c.words = append(c.words, newCueWord(w))
	}
	if len(c.words) == 0 {
		return
	}
	c.words[0].single = len(c.words) == 1
	first := c.words[0].fold
	x[first] = append(x[first], c)
	slices.SortStableFunc(x[first], func(a, b *phrase) int { return len(b.words) - len(a.words) })
}

func newCueWord(lower string) cueWord {
	f := vntext.Fold(lower)
	return cueWord{fold: f, marks: marks(lower), amb: ambiguous[f]}
}

// word is a cue of one word, matched on its own.
func word(lower string) cueWord {
	w := newCueWord(lower)
	w.single = true
	return w
}

// splitPhrase splits a lower-case phrase into words as the tokenizer does.
func splitPhrase(s string) []string {
	return strings.FieldsFunc(strings.ToLower(vntext.Normalize(s)), notWordRune)
}

func notWordRune(r rune) bool {
	return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
}

// marks returns the diacritics of a word as a signature: how many of each
// Vietnamese mark (the five tones, circumflex, breve, horn, and đ's stroke)
// it carries, four bits each, so that "hỏa" and "hoả" (two placements of
// the same tone) compare equal, "cháy" and "chạy" do not, and "được" (two
// horns) is not "đước". It reads a table, so it allocates nothing.
func marks(word string) uint64 {
	var sig uint64
	for _, r := range word {
		switch {
		case r < rune(len(markTable)):
			sig += markTable[r]
		case unicode.Is(unicode.Mn, r):
			sig += markBit(r)
		}
	}
	return sig
}

// markTable holds the signature of each rune below it, computed at start-up
// from the runes' canonical decompositions.
var markTable = func() []uint64 {
	t := make([]uint64, 0x1f00) // through Latin Extended Additional (ạ…ỹ)
	for r := range rune(len(t)) {
		for _, m := range norm.NFD.String(string(r)) {
			if unicode.Is(unicode.Mn, m) {
				t[r] += markBit(m)
			}
		}
	}
	t['đ'] += markBit('đ')
	t['Đ'] += markBit('đ')
	return t
}()

// markBit is the signature of one mark.
func markBit(m rune) uint64 {
	i := 9 // any other mark
	switch m {
	case '\u0301': // sắc
		i = 0
	case '\u0300': // huyền
		i = 1
	case '\u0309': // hỏi
		i = 2
	case '\u0303': // ngã
		i = 3
	case '\u0323': // nặng
		i = 4
	case '\u0302': // circumflex
		i = 5
	case '\u0306': // breve
		i = 6
	case '\u031B': // horn
		i = 7
	case 'đ':
		i = 8
	}
	return 1 << (4 * i)
}

// token is one word of the resident's text.
type token struct {
	lower string // lower-case NFC as typed
	fold  string
	marks uint64 // see marks
	ascii bool   // typed without diacritics
}

type tokens struct {
	toks    []token
	accents bool // some word carries a diacritic: the resident types accents
}

// tokenize splits text into lower-case words with their folded forms,
// expanding shorthand ("ng" → người, "nc" → nước, "vs" → với). It runs on
// every message, so it makes one pass over the runes, folds them with a
// table (foldRune) and takes its words as substrings of two strings, the
// lower-case text and its folded copy, instead of allocating each.
func tokenize(text string) tokens {
	var t tokens
	lower := strings.ToLower(vntext.Normalize(head(text)))
	var folded []byte
	if !isASCII(lower) {
		folded = make([]byte, 0, len(lower))
	}
	type bounds struct{ from, to, ffrom, fto int }
	words := make([]bounds, 0, len(lower)/5+1)
	start, fstart, slow := -1, 0, false
	end := func(i int) {
		if start >= 0 && len(words) < maxWords {
			words = append(words, bounds{start, i, fstart, len(folded)})
		}
		start = -1
	}
	for i, r := range lower {
		if notWordRune(r) {
			end(i)
			if len(words) == maxWords {
				break
			}
			continue
		}
		if start < 0 {
			start, fstart = i, len(folded)
		}
		if folded != nil {
			f := foldRune(r)
			switch {
			case f < 0:
				slow = true
			case f > 0:
				folded = utf8.AppendRune(folded, f)
			}
		}
	}
	end(len(lower))
	all := string(folded)
	t.toks = make([]token, 0, len(words)+4)
	for _, b := range words {
		w := lower[b.from:b.to]
		f, sig := w, uint64(0)
		if folded != nil && !isASCII(w) {
			f, sig = all[b.ffrom:b.fto], marks(w)
			if slow {
				f = vntext.Fold(w) // a script the table does not cover
			}
			t.accents = t.accents || sig != 0
		}
		if exp, ok := shorthandTokens[f]; ok {
			t.toks = append(t.toks, exp...)
			continue
		}
		t.toks = append(t.toks, token{lower: w, fold: f, marks: sig, ascii: sig == 0})
	}
	return t
}

// foldRune folds one lower-case rune as vntext.Fold does: the rune, 0 when it
// folds to nothing (a combining mark), or -1 when the table cannot say (a
// rune outside it, or one that folds to several).
func foldRune(r rune) rune {
	if r < 0x80 {
		return r
	}
	if r < rune(len(foldTable)) {
		return foldTable[r]
	}
	return -1
}

// foldTable is vntext.Fold of each rune below it, computed from Fold itself
// at start-up so that the two cannot disagree.
var foldTable = func() []rune {
	t := make([]rune, 0x1f00) // through Latin Extended Additional (ạ…ỹ)
	for r := range rune(len(t)) {
		if notWordRune(r) && !unicode.Is(unicode.Mn, r) {
			continue // never inside a word
		}
		switch f := []rune(vntext.Fold(string(r))); {
		case unicode.Is(unicode.Mn, r) && len(f) == 0:
			t[r] = 0
		case len(f) == 1 && f[0] != r && notWordRune(f[0]):
			t[r] = -1
		case len(f) == 1:
			t[r] = f[0]
		default:
			t[r] = -1
		}
	}
	return t
}()

// shorthandTokens is shorthand as tokens: shorthand stands for words with
// their accents ("ko" is không, "cb" cán bộ).
var shorthandTokens = func() map[string][]token {
	out := make(map[string][]token, len(shorthand))
	for k, v := range shorthand {
		for _, e := range strings.Fields(v) {
			sig := marks(e)
			out[k] = append(out[k], token{lower: e, fold: vntext.Fold(e), marks: sig, ascii: sig == 0})
		}
	}
	return out
}()

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// match reports whether token i matches word w. A token typed without
// accents matches an ambiguous word only when the whole text is typed
// without accents, and, with strict, not even then: the context cues use
// strict, since "moi" in "moi nguoi oi, chay nha" is mọi (everyone), not
// mỗi (every), and a missed "every" costs less than a missed fire.
func (t *tokens) match(i int, w cueWord, strict bool) bool {
	tok := t.toks[i]
	if tok.fold != w.fold {
		return false
	}
	if tok.ascii {
		if w.marks == 0 || !w.amb {
			return true
		}
		return !t.accents && !strict
	}
	if w.amb || w.single {
		return tok.marks == w.marks
	}
	return true
}

// matchAt reports whether cue c's words start at token i.
func (t *tokens) matchAt(i int, c *phrase, strict bool) bool {
	if i+len(c.words) > len(t.toks) {
		return false
	}
	for j, w := range c.words {
		if !t.match(i+j, w, strict) {
			return false
		}
	}
	return true
}

// hasLoose is has for the phrases that say a text is no emergency ("làm
// đơn", "nhiều năm"): in a text typed wholly without accents their
// ambiguous words match by their folded form, as triggers do, since
// otherwise a long complaint typed without accents keeps every trigger and
// loses every phrase that would cancel it.
func (t *tokens) hasLoose(x phraseSet) bool {
	for i := range t.toks {
		for _, c := range x[t.toks[i].fold] {
			if t.matchAt(i, c, t.accents) {
				return true
			}
		}
	}
	return false
}

// has reports whether one of the context phrases in x occurs in the text.
func (t *tokens) has(x phraseSet) bool {
	for i := range t.toks {
		for _, c := range x[t.toks[i].fold] {
			if t.matchAt(i, c, true) {
				return true
			}
		}
	}
	return false
}
