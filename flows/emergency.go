package flows

import (
	"fmt"
	"strings"

	"langnghe"
	"langnghe/flows/classify"
	"langnghe/flows/vntext"
	"langnghe/wording"
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
func (t *turn) emergency(in langnghe.Input) bool {
	if in.Kind != langnghe.InputText {
		return false
	}
	kind := langnghe.EmergencyKind(classify.DetectEmergency(in.Text))
	if kind == "" {
		return false
	}
	// Kept whole up to the longest text an ask takes, cut on a character
	// boundary beyond it.
	text := truncateRunes(vntext.Normalize(in.Text), MaxTextLength)
	area := t.s.Area
	if area == "" {
		area = t.namedCommune(in.Text)
	}
	hotline := ""
	if t.env.Hotline != nil && area != "" {
		hotline = t.env.Hotline(area)
	}
	t.send(langnghe.Message{Text: emergencyText(kind, t.s.Language, hotline)})
	t.alerted = true
	t.events = append(t.events, Event{Type: EventEmergency, Emergency: &langnghe.Emergency{
		Kind: kind, Text: text, AreaCode: area, At: t.now}})
	return true
}

// emergencyText leads with the number that fits kind, then the others and
// the local hotline.
func emergencyText(kind langnghe.EmergencyKind, lang, hotline string) string {
	var b strings.Builder
	if n := EmergencyNumber(kind); n != "" {
		fmt.Fprintf(&b, wording.Text(lang, "engine.emergency_call"), n, wording.Text(lang, "engine.emergency_"+string(kind)))
		b.WriteString("\n")
		b.WriteString(wording.Text(lang, "engine.emergency_others"))
		for _, k := range emergencyNumbers {
			if k != kind {
				fmt.Fprintf(&b, "\n• %s: %s", EmergencyNumber(k), wording.Text(lang, "engine.emergency_"+string(k)))
			}
		}
	} else {
		b.WriteString(wording.Text(lang, "engine.emergency_any"))
		for _, k := range emergencyNumbers {
			fmt.Fprintf(&b, "\n• %s: %s", EmergencyNumber(k), wording.Text(lang, "engine.emergency_"+string(k)))
		}
	}
	if hotline != "" {
		fmt.Fprintf(&b, "\n"+wording.Text(lang, "engine.emergency_hotline"), hotline)
	}
	b.WriteString("\n\n")
	b.WriteString(wording.Text(lang, "engine.emergency_recorded"))
	return b.String()
}

// answersText reports whether in is a valid answer to the free text the
// session waits for, so an emergency-sounding description ("ấp 2 hay đánh
// nhau") is kept as the description rather than asked for again.
func (t *turn) answersText(in langnghe.Input) bool {
	def, err := t.env.Flows.Flow(t.s.Flow, t.s.Revision)
	if err != nil {
		return false
	}
	n := def.nodes[t.s.Node]
	if n == nil || n.ask == nil || n.ask.kind != AskText {
		return false
	}
	_, ok := textAnswer(n.ask, in)
	return ok
}
