package flows

import (
	"slices"
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

// Answers the engine fills itself, for flows to route on.
const (
	// AnswerDescription holds the words a resident opened with or typed
	// at a choice (free_text): "send an opinion" starts from them.
	AnswerDescription = "description"
	// AnswerDetectedLanguage is the language guessed from those words.
	AnswerDetectedLanguage = "detected_language"
)

// openingMinLength is the shortest first message read as a concern; "hi"
// and "xin chào" are greetings.
const openingMinLength = 12

// opening keeps a first message that reads as a concern, with its
// language, so the welcome can skip the language picker and go on to
// "send an opinion" with it after the consent.
func (t *turn) opening(in Input) {
	if in.Kind != InputText {
		return
	}
	v := vntext.Normalize(in.Text)
	if n := len([]rune(v)); n < openingMinLength || n > MaxTextLength || strings.HasPrefix(v, "/") {
		return
	}
	t.s.Answers = map[string]string{AnswerDescription: v}
	if lang := guessLanguage(v); lang != "" {
		t.s.Answers[AnswerDetectedLanguage] = lang
		t.s.Language = lang // the greeting already speaks it
		t.events = append(t.events, Event{Type: EventLanguage, Language: lang})
	}
}

// maskPhone shows a number the way it is offered back in a chat, which
// others may be reading over the resident's shoulder: 0912 xxx 678.
func maskPhone(p string) string {
	r := []rune(p)
	if len(r) < 7 {
		return p
	}
	return string(r[:4]) + " xxx " + string(r[len(r)-3:])
}

// answerOpening applies words typed to a finished conversation to the
// question the restart just asked (events from asked on). When they answer
// it, the question is not sent: the resident sees the reply to what they
// typed, not a menu they have already gone past.
func (t *turn) answerOpening(asked int, in Input) {
	if !t.s.Waiting() || t.def == nil {
		return
	}
	n := t.def.nodes[t.s.Node]
	if n == nil || n.ask == nil {
		return
	}
	question := slices.Clone(t.events[asked:])
	node, wait := t.s.Node, t.s.Wait
	t.resumeAt(n, in)
	if t.s.Retries > 0 || (t.s.Node == node && t.s.Wait == wait) {
		return // not an answer: the question and its retry stand
	}
	kept := t.events[:asked:asked]
	for _, ev := range question {
		if ev.Type != EventMessage && ev.Type != EventWait {
			kept = append(kept, ev)
		}
	}
	t.events = append(kept, t.events[asked+len(question):]...)
}
