package flows

import (
	"strings"

	"langnghe"
	"langnghe/flows/catalogue"
	"langnghe/flows/vntext"
)

// suggestPlace offers, at an area ask, the place the description names,
// so a resident who wrote "ổ gà trước chợ ấp Hòa Cường" answers with one
// tap. Pressing it is picking a choice; typing another place still works.
// Only a single place is offered: a text naming two, or a name several
// places share, is asked as usual.
func (t *turn) suggestPlace() {
	s := t.s
	if t.env.Catalogue == nil || s.Answers[AnswerDescription] == "" {
		return
	}
	places := catalogue.FindPlaces(t.env.Catalogue, s.Answers[AnswerDescription])
	if len(places) != 1 {
		return
	}
	s.Suggested = places[0].Code
	s.Choices = []string{places[0].Code}
}

// namedCommune is the commune or ward of the one place text names ("cháy
// nhà ở ấp 2 Minh Thạnh"), or "" when it names none or several: an
// emergency typed before any place was asked still reaches its commune.
func (t *turn) namedCommune(text string) string {
	if t.env.Catalogue == nil {
		return ""
	}
	places := catalogue.FindPlaces(t.env.Catalogue, text)
	if len(places) != 1 {
		return ""
	}
	return catalogue.Commune(t.env.Catalogue, places[0].Code).Code
}

// placeAt sets the opinion's area from a place the resident named or
// chose: the active commune or ward it belongs to (a hamlet's commune, a
// former commune's successor), with their words kept for officials.
func (t *turn) placeAt(code, written string) {
	s := t.s
	s.Area = code
	if c := catalogue.Commune(t.env.Catalogue, code); c.Code != "" {
		s.Area = c.Code
	}
	s.PlaceText = truncateRunes(written, langnghe.MaxPlaceText)
}

// areaLabel is an area as offered on a button: with what tells it from
// places whose names fold the same, and what a former unit now belongs to.
func (t *turn) areaLabel(code string) string {
	if t.env.Catalogue != nil {
		if a, ok := t.env.Catalogue.Area(code); ok {
			return catalogue.Label(t.env.Catalogue, a, t.s.Language)
		}
	}
	return code
}

func truncateRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// placeWritten is the place as the resident wrote it when it says more
// than the area's own name ("ấp Hòa Cường" beside xã Minh Thạnh, not
// "minh thanh" beside it).
func (t *turn) placeWritten() string {
	s := t.s
	if s.PlaceText == "" || s.Area == "" {
		return ""
	}
	if strings.Contains(vntext.Fold(t.areaName(s.Area)), vntext.Fold(s.PlaceText)) {
		return ""
	}
	return s.PlaceText
}
