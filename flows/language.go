package flows

import (
	"strings"
	"unicode"

	"langnghe"
	"langnghe/flows/vntext"
)

// guessLanguage tells the language of a resident's first words, so a
// resident who starts by typing their concern is not asked to pick one
// first; "" when the words do not say (the flow then asks). It looks for
// what only one language has: Han characters, Vietnamese letters and tone
// marks, and the common syllables of Vietnamese typed without them.
func guessLanguage(text string) string {
	latin, viMarks := 0, 0
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			return langnghe.LangZH
		case r < 0x80 && unicode.IsLetter(r):
			latin++
		case unicode.IsLetter(r) && unicode.Is(unicode.Latin, r):
			latin++
			viMarks++
		}
	}
	if latin == 0 {
		return ""
	}
	if viMarks > 0 {
		return langnghe.LangVI
	}
	vi, en := 0, 0
	for _, w := range vntext.Words(text) {
		switch {
		case viSyllables[w]:
			vi++
		case enWords[strings.ToLower(w)]:
			en++
		}
	}
	switch {
	case vi >= 2 && vi > en:
		return langnghe.LangVI
	case en >= 2 && en > vi:
		return langnghe.LangEN
	}
	return ""
}

// viSyllables are frequent Vietnamese syllables as typed without marks
// that are not English words.
var viSyllables = setOf("toi", "nha", "duong", "khong", "ko", "dc", "duoc", "xa", "ap", "cho", "bi", "co", "cua",
	"nguoi", "dan", "lam", "chua", "cap", "so", "do", "den", "nay", "thi", "va", "voi", "nhieu", "rat", "gi",
	"sao", "nuoc", "rac", "dien", "xin", "hoi", "ve", "tai", "truoc", "sau", "khu", "pho", "ubnd", "can", "bo",
	"ho", "tren", "duoi", "muon", "phai", "mot", "hai", "ba", "bon", "nam", "thang", "ngay", "hom", "qua")

// enWords are frequent English words that are not Vietnamese syllables.
var enWords = setOf("the", "is", "are", "my", "our", "in", "of", "and", "to", "for", "there", "please", "road",
	"street", "house", "water", "not", "no", "has", "have", "been", "with", "this", "that", "near", "since",
	"how", "what", "where", "when", "can", "i", "we", "it", "was", "help", "want")

func setOf(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}
