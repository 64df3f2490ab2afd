package flows

import (
	"langnghe"
	"slices"
	"strings"
	"unicode/utf8"

	"langnghe/flows/vntext"
)

// Words instead of a tap: most residents start by typing their concern,
// as a first message, at the language picker, at the menu or into a
// finished chat. Such words are kept as the description "send an opinion"
// starts from, with the language they read as.

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
func (t *turn) opening(in langnghe.Input) {
	if in.Kind != langnghe.InputText {
		return
	}
	v, ok := freeText(in.Text, openingMinLength)
	if !ok {
		return
	}
	t.s.Answers = nil // a first message: nothing else is kept yet
	if lang := t.keepWords(AnswerDescription, v); lang != "" {
		t.s.Language = lang // the greeting already speaks it
		t.events = append(t.events, Event{Type: EventLanguage, Language: lang})
	}
}

// answerOpening applies words typed to a finished conversation to the
// question the restart just asked (events from asked on). When they answer
// it, the question is not sent: the resident sees the reply to what they
// typed, not a menu they have already gone past.
func (t *turn) answerOpening(asked int, in langnghe.Input) {
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

// freeText reads typed words as a concern: normalised, at least min
// characters (and not a command), at most MaxTextLength.
func freeText(text string, min int) (string, bool) {
	v := vntext.Normalize(text)
	n := utf8.RuneCountInString(v)
	return v, n >= max(min, 1) && n <= MaxTextLength && !strings.HasPrefix(v, "/")
}

// keepWords keeps v under key with the language it reads as.
func (t *turn) keepWords(key, v string) string {
	if t.s.Answers == nil {
		t.s.Answers = map[string]string{}
	}
	t.s.Answers[key] = v
	lang := guessLanguage(v)
	if lang != "" {
		t.s.Answers[AnswerDetectedLanguage] = lang
	}
	return lang
}
