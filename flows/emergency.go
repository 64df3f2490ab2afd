package flows

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"langnghe"
	"langnghe/flows/classify"
	"langnghe/flows/vntext"
)

// Emergencies come before everything a flow would do with a text: at any
// ask (a length rule, a yes/no, the language picker), at the menu and at the
// first contact, the resident is told the number to call first, the engine
// emits EventEmergency for the caller to store and alert, and the
// conversation goes on where it was.

// emergencyNumbers are the national numbers, in the order they are listed
// after the one that fits.
var emergencyNumbers = []langnghe.EmergencyKind{langnghe.EmergencyFire, langnghe.EmergencyMedical,
	langnghe.EmergencyCrime, langnghe.EmergencyRescue}

// EmergencyNumber is the national number for kind ("" for an unknown kind).
func EmergencyNumber(kind langnghe.EmergencyKind) string {
	switch kind {
	case langnghe.EmergencyFire:
		return "114"
	case langnghe.EmergencyMedical:
		return "115"
	case langnghe.EmergencyCrime:
		return "113"
	case langnghe.EmergencyRescue:
		return "112"
	}
	return ""
}

// emergency checks a text input for danger happening now; when it finds
// some, it sends the numbers and emits the event.
func (t *turn) emergency(in Input) bool {
	if in.Kind != InputText {
		return false
	}
	kind := langnghe.EmergencyKind(classify.DetectEmergency(in.Text))
	if kind == "" {
		return false
	}
	// Kept whole up to the longest text an ask takes, cut on a character
	// boundary beyond it.
	text := vntext.Normalize(in.Text)
	if r := []rune(text); len(r) > MaxTextLength {
		text = string(r[:MaxTextLength])
	}
	hotline := ""
	if t.env.Hotline != nil && t.s.Area != "" {
		hotline = t.env.Hotline(t.s.Area)
	}
	t.send(langnghe.Message{Text: emergencyText(kind, t.s.Language, hotline)})
	t.alerted = true
	t.events = append(t.events, Event{Type: EventEmergency, Emergency: &langnghe.Emergency{
		Kind: kind, Text: text, AreaCode: t.s.Area, At: t.now}})
	return true
}

// emergencyText leads with the number that fits kind, then the others and
// the local hotline.
func emergencyText(kind langnghe.EmergencyKind, lang, hotline string) string {
	var b strings.Builder
	if n := EmergencyNumber(kind); n != "" {
		fmt.Fprintf(&b, systemText("emergency_call", lang), n, systemText("emergency_"+string(kind), lang))
		b.WriteString("\n")
		b.WriteString(systemText("emergency_others", lang))
		for _, k := range emergencyNumbers {
			if k != kind {
				fmt.Fprintf(&b, "\n• %s: %s", EmergencyNumber(k), systemText("emergency_"+string(k), lang))
			}
		}
	} else {
		b.WriteString(systemText("emergency_any", lang))
		for _, k := range emergencyNumbers {
			fmt.Fprintf(&b, "\n• %s: %s", EmergencyNumber(k), systemText("emergency_"+string(k), lang))
		}
	}
	if hotline != "" {
		fmt.Fprintf(&b, "\n"+systemText("emergency_hotline", lang), hotline)
	}
	b.WriteString("\n\n")
	b.WriteString(systemText("emergency_recorded", lang))
	return b.String()
}

// askAgain repeats the question the session waits at, after an
// interruption, with the system text lead before it; its buttons carry the
// current wait.
func (t *turn) askAgain(lead string) error {
	def, err := t.env.Flows.Flow(t.s.Flow, t.s.Revision)
	if err != nil {
		return fmt.Errorf("load flow %q revision %d: %w", t.s.Flow, t.s.Revision, err)
	}
	t.def = def
	n := def.nodes[t.s.Node]
	if n == nil || n.ask == nil {
		t.fail(fmt.Sprintf("flow %q revision %d has no ask %q to resume at", t.s.Flow, t.s.Revision, t.s.Node))
		return nil
	}
	t.question(n.ask, systemText(lead, t.s.Language)+"\n"+t.render(n.ask.message))
	return nil
}

// answersText reports whether the session waits for a free text that in
// is a valid answer to, so an emergency-sounding description ("ấp 2 hay
// đánh nhau") is kept as the description rather than asked for again.
func (t *turn) answersText(in Input) bool {
	def, err := t.env.Flows.Flow(t.s.Flow, t.s.Revision)
	if err != nil {
		return false
	}
	n := def.nodes[t.s.Node]
	if n == nil || n.ask == nil || n.ask.kind != AskText {
		return false
	}
	v := vntext.Normalize(in.Text)
	c := utf8.RuneCountInString(v)
	a := n.ask
	return c > 0 && c <= MaxTextLength && (a.min == nil || float64(c) >= *a.min) && (a.max == nil || float64(c) <= *a.max)
}
