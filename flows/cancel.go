package flows

import (
	"strings"

	"langnghe"
	"langnghe/wording"
)

// Residents cancel in words ("thôi, tôi sợ bị trả thù, không gửi nữa")
// more often than with /huy. Words are not a command: they are confirmed
// first, with a word on anonymity for a resident who is afraid, and
// anything else goes on with the question.

// cancelPhrases are folded phrases that mean "I don't want to send it".
var cancelPhrases = []string{"khong gui nua", "khong muon gui", "thoi khong gui", "huy y kien", "khong gui y kien",
	"ko gui nua", "k gui nua", "thoi dung gui", "don t send", "dont send", "do not send", "i changed my mind", "forget it"}

// Values of the confirmation's buttons.
const (
	cancelYes = "cancel_yes"
	cancelNo  = "cancel_no"
)

func cancelWords(text string) bool {
	f := " " + foldAnswer(text) + " "
	for _, p := range cancelPhrases {
		if strings.Contains(f, " "+p+" ") {
			return true
		}
	}
	return false
}

// confirmCancel asks whether the resident means to drop what they are
// writing. The wait moves on, so the question's buttons go stale until it
// is asked again.
func (t *turn) confirmCancel() {
	s := t.s
	s.Wait++
	s.ConfirmCancel = true
	lang := s.Language
	t.send(langnghe.Message{Text: wording.Text(lang, "engine.confirm_cancel"), Buttons: [][]langnghe.Button{
		{{Label: wording.Text(lang, "engine.cancel_yes"), Data: buttonData(s.Wait, cancelYes)}},
		{{Label: wording.Text(lang, "engine.cancel_no"), Data: buttonData(s.Wait, cancelNo)}},
	}})
	t.events = append(t.events, Event{Type: EventWait, Timeout: s.Deadline})
}

// confirmedCancel reads the answer to confirmCancel: cancel (true), or go
// on (false) with the question again or, for words that are an answer to
// it, with those words.
func (t *turn) confirmedCancel(in langnghe.Input) (cancel, again bool) {
	t.s.ConfirmCancel = false
	switch in.Kind {
	case langnghe.InputButton:
		v, fresh := parseButtonData(in.Data, t.s.Wait)
		return fresh && v == cancelYes, !fresh || v != cancelYes
	case langnghe.InputText:
		if yes, ok := parseYesNo(in.Text); ok {
			return yes, !yes
		}
		if cancelWords(in.Text) || foldAnswer(in.Text) == foldAnswer(wording.Text(t.s.Language, "engine.cancel_yes")) {
			return true, false
		}
		if foldAnswer(in.Text) == foldAnswer(wording.Text(t.s.Language, "engine.cancel_no")) {
			return false, true
		}
	}
	return false, false
}
