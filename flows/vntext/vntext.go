// Package vntext prepares Vietnamese text for storage and for matching.
//
// Residents type with and without diacritics, with composed (NFC) or
// decomposed (NFD) accents depending on their keyboard, and paste text with
// stray control characters. Normalize gives one canonical form to store and
// show; Fold gives one form to compare, in which "Sổ Đỏ", "so do" and the
// NFD spelling of "sổ đỏ" are equal.
//
// Every function is pure and safe for concurrent use: it uses the norm
// package's stateless forms and plain rune loops, never a shared
// transform.Transformer (those keep state and are not goroutine-safe).
package vntext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns s as valid UTF-8 in NFC with control and invisible format
// characters removed and every run of white space collapsed into one ASCII
// space, trimmed at both ends. Invalid bytes become U+FFFD so nothing the
// resident typed silently disappears. Line breaks collapse too: the result is
// one line, which is what matching and short previews want.
func Normalize(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if isClean(s) {
		return norm.NFC.String(s)
	}
	// Clean before composing: a dropped control character may have stood
	// between a letter and its accent.
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is pending; written before the next visible rune
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
		case invisible(r):
			// dropped
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

// isClean reports whether s needs no rune-level work: no leading or trailing
// space, no double spaces, no control or format characters. Most chat
// messages are clean, so this saves an allocation on the hot path.
func isClean(s string) bool {
	prevSpace := true // rejects a leading space
	for _, r := range s {
		if r == ' ' {
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		}
		if !visibleLatin(r) && (r < 0x20 || r == 0x7f || r >= utf8.RuneSelf && (unicode.IsSpace(r) || invisible(r))) {
			return false
		}
		prevSpace = false
	}
	return !prevSpace || s == ""
}

// visibleLatin reports whether r is in the Latin blocks, the bulk of Vietnamese
// text, which is never white space or invisible: a shortcut past the
// Unicode tables.
func visibleLatin(r rune) bool {
	return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || (0xc0 <= r && r < 0x250) || (0x1e00 <= r && r < 0x1f00)
}

// invisible reports whether r is a control or format character residents
// never mean to send: C0/C1 controls, zero-width spaces, the byte-order mark.
// The zero-width joiner stays, since emoji sequences need it.
func invisible(r rune) bool {
	if r == '\u200d' {
		return false
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
}

// Fold returns Normalize(s) lower-cased with diacritics removed and đ/Đ
// mapped to d, so that text typed with or without accents compares equal:
// Fold("Sổ ĐỎ") == Fold("so do") == "so do". Letters of other scripts keep
// their base form (NFC after the marks are dropped).
func Fold(s string) string {
	s = Normalize(s)
	if isASCIILower(s) {
		return s
	}
	if f, ok := foldFast(s); ok {
		return f
	}
	return foldSlow(s)
}

// foldSlow is the definition of folding: decompose, drop nonspacing marks,
// map đ, lower-case, recompose.
func foldSlow(s string) string {
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	ascii := true
	space := false // as in Normalize: a dropped mark may leave a space at an end
	for _, r := range d {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == ' ':
			space = b.Len() > 0
			continue
		case r == 'đ' || r == 'Đ' || r == 'Ð' || r == 'ð':
			// Đ has no decomposition; Ð (Icelandic eth) is a common
			// look-alike typed by mistake.
			r = 'd'
		default:
			r = unicode.ToLower(r)
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if r >= utf8.RuneSelf {
			ascii = false
		}
		b.WriteRune(r)
	}
	if ascii {
		return b.String()
	}
	return norm.NFC.String(b.String())
}

// Folding the runes Vietnamese uses one at a time gives the same result as
// foldSlow and is several times faster, which matters to the classifier.
// foldTable holds foldSlow of each rune below foldTableEnd, computed at init
// from foldSlow itself so the two cannot disagree.
const (
	foldTableEnd = 0x1f00 // through Latin Extended Additional (Vietnamese ạ…ỹ)
	foldDrop     = -1     // the rune folds to nothing (a combining mark)
	foldNoFast   = -2     // the rune needs the slow path
)

var foldTable = func() []rune {
	t := make([]rune, foldTableEnd)
	for r := rune(0); r < foldTableEnd; r++ {
		f := []rune(foldSlow(string(r)))
		switch {
		case r == ' ': // foldSlow trims a lone space away
			t[r] = r
		case r >= 0x0370 && r < 0x1e00 && !unicode.Is(unicode.Mn, r):
			// Scripts with spacing marks can compose across runes once
			// a mark between them is dropped; leave them to the slow path.
			t[r] = foldNoFast
		case len(f) == 0:
			t[r] = foldDrop
		case len(f) == 1:
			t[r] = f[0]
		default:
			t[r] = foldNoFast
		}
	}
	return t
}()

// foldFast folds normalized s rune by rune; ok is false when s holds a rune
// outside the table that could decompose, and the slow path must run.
func foldFast(s string) (string, bool) {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		f := r
		switch {
		case r < foldTableEnd:
			f = foldTable[r]
		case unicode.IsLetter(r) || unicode.IsMark(r) || norm.NFD.PropertiesString(string(r)).Decomposition() != nil:
			// CJK and other letters may change case or decompose.
			f = foldNoFast
		}
		switch f {
		case foldNoFast:
			return "", false
		case foldDrop:
			continue
		case ' ':
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(f)
	}
	return b.String(), true
}

func isASCIILower(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// Words returns the folded word tokens of s: runs of letters and digits.
// Everything else (punctuation, symbols, emoji, slashes as in "k/ko")
// separates words. Vietnamese words are syllables here; callers that want
// compounds pair neighbouring tokens themselves.
func Words(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
	})
}

// Cut shortens s to at most n characters with an ellipsis after them,
// ending at a space or line break when one falls in the second half (a
// quoted answer, an excerpt in an alert); s as it is when it is short
// enough.
func Cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	c := string(r[:n])
	if i := strings.LastIndexAny(c, " \n"); i > n/2 {
		c = c[:i]
	}
	return strings.TrimSpace(c) + "…"
}

// Clip shortens s to n characters, the ellipsis included, wherever the
// n-1th falls (a label with no room to spare).
func Clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// WordSet is the set of the words of s, split at white space: a list of
// stop words or names written as one string.
func WordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}
