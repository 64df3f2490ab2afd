package officedesk

import (
	"fmt"
	"strings"

	"langnghe"
	"langnghe/followup"
)

// Button data of the desk. The engine's buttons are "<wait>:<value>" with a
// number first, so a letter prefix never collides with them. Data is what a
// client sends back and can be forged: it only names what to do, and every
// press is checked again (the official's scope, the resident's ownership)
// as if it were typed.
//
//	o:t:CODE        take
//	o:f:CODE        forward: show the units
//	o:u:CODE:UNIT   forward to UNIT
//	o:a:CODE        answer: ask for a reply to the prompt
//	o:e:ID          an emergency alert: taken in (acknowledged)
//	r:s:CODE        the resident is satisfied with the answer
//	r:n:CODE        not satisfied: ask why
//	r:x:CODE:WHY    not satisfied, for a reason from the list
const (
	officialPrefix = "o:"
	residentPrefix = "r:"
	// maxData is Telegram's callback_data limit, in bytes.
	maxData = 64
)

// data joins parts into button data; ok is false when it would not fit.
func data(parts ...string) (string, bool) {
	s := strings.Join(parts, ":")
	return s, len(s) <= maxData
}

// buttons keeps the choices whose data fits.
func buttons(choices ...langnghe.Button) []langnghe.Button {
	var out []langnghe.Button
	for _, b := range choices {
		if b.Data != "" && len(b.Data) <= maxData {
			out = append(out, b)
		}
	}
	return out
}

func button(label string, parts ...string) langnghe.Button {
	d, ok := data(parts...)
	if !ok {
		return langnghe.Button{Label: label}
	}
	return langnghe.Button{Label: label, Data: d}
}

// actionButtons are the buttons of a notification: take, forward, answer.
func actionButtons(code, lang string) [][]langnghe.Button {
	row := buttons(
		button(say(lang, btnTake), "o", "t", code),
		button(say(lang, btnForward), "o", "f", code),
		button(say(lang, btnAnswer), "o", "a", code),
	)
	if len(row) == 0 {
		return nil
	}
	return [][]langnghe.Button{row}
}

// button applies a press on one of the desk's buttons.
func (c *desk) button(d string) error {
	parts := strings.SplitN(d, ":", 4)
	if len(parts) < 3 || parts[0]+":" != officialPrefix {
		// A resident's button pressed by an official, or an old flow's:
		// nothing to do but show what the desk offers.
		return c.replyText(c.say(msgHelp))
	}
	code := parts[2]
	switch {
	case parts[1] == "t" && len(parts) == 3:
		return c.act(code, followup.Action{Kind: followup.ActTake})
	case parts[1] == "f" && len(parts) == 3:
		return c.chooseUnit(code)
	case parts[1] == "u" && len(parts) == 4:
		return c.act(code, followup.Action{Kind: followup.ActForward, Unit: parts[3]})
	case parts[1] == "a" && len(parts) == 3:
		return c.askAnswer(code)
	case parts[1] == "e" && len(parts) == 3:
		return c.acknowledgeEmergency(parts[2])
	}
	return langnghe.Errorf(langnghe.EINVALID, "%s", c.say(msgStaleButton))
}

// chooseUnit offers the units an opinion in scope can be forwarded to.
func (c *desk) chooseUnit(code string) error {
	o, _, err := c.core.Opinion(c.ctx, c.tx, c.official, code)
	if err != nil {
		return err
	}
	units, err := c.tx.Units(c.ctx)
	if err != nil {
		return fmt.Errorf("load units: %w", err)
	}
	var rows [][]langnghe.Button
	for _, u := range units {
		if u.Code == o.Unit {
			continue
		}
		if row := buttons(button(u.Name(c.lang()), "o", "u", o.Code, u.Code)); len(row) > 0 {
			rows = append(rows, row)
		}
	}
	return c.reply(langnghe.Message{Text: c.say(msgChooseUnit, o.Code), Buttons: rows})
}

// askAnswer asks the official to reply with the answer; the prompt names
// the opinion, so the reply finds it.
func (c *desk) askAnswer(code string) error {
	o, _, err := c.core.Opinion(c.ctx, c.tx, c.official, code)
	if err != nil {
		return err
	}
	return c.replyText(c.say(msgAnswerPrompt, o.Code))
}
