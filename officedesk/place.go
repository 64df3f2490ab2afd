package officedesk

import (
	"langnghe"
	"langnghe/flows/catalogue"
)

// areaText is an opinion's area as officials read it in the chat: the area
// as the catalogue describes it (a hamlet with its commune, a former
// commune with what it is now part of), then the place as the resident
// wrote it when that says more, in quotes. o has passed the gate, so a
// denouncer's name is not in it. "" when there is neither.
func (d *Desk) areaText(o *langnghe.Opinion, lang string) string {
	area := ""
	if _, ok := d.cat.Area(o.AreaCode); ok {
		area = catalogue.Describe(d.cat, o.AreaCode, lang)
	}
	if place := catalogue.AsWritten(d.cat, o.AreaCode, o.PlaceText); place != "" {
		wrote := say(lang, msgResidentWrote)
		if area != "" {
			area += " "
		}
		area += "(" + wrote + ": “" + place + "”)"
	}
	return area
}
