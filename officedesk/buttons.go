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
//	o:t:CODE          take
//	o:f:CODE          forward: show the units
//	o:u:CODE:UNIT     forward to UNIT
//	o:a:CODE          «Trả lời người dân»: the next message is the answer
//	o:c:CODE          cancel that
//	o:p:CODE:DRAFT    send the official's draft DRAFT as the answer to CODE
//	o:d:DRAFT         discard the draft
//	o:e:ID            an emergency alert: taken in (acknowledged)
//	r:s:CODE:ANSWER   the resident is satisfied with the answer ANSWER
//	                  (followup.AnswerStamp in base 36; older messages
//	                  have none and rate the latest)
//	r:n:CODE:ANSWER   not satisfied: reopens at once, then asks why
//	r:x:CODE:ANSWER:WHY  the reason, from the list
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

// notice is a message to an official about the opinion with code, with its
// action buttons: a reply to it answers the resident.
func notice(code, text, lang string) langnghe.Message {
	return langnghe.Message{Text: text, Buttons: actionButtons(code, lang), Regarding: answering(code)}
}

// answering marks a message whose reply answers the opinion with code.
func answering(code string) *langnghe.Regarding {
	return &langnghe.Regarding{Opinion: code, Reply: langnghe.ReplyAnswer}
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
	case parts[1] == "c" && len(parts) == 3:
		return c.cancelAnswer()
	case parts[1] == "p" && len(parts) == 4:
		return c.sendDraft(code, parts[3])
	case parts[1] == "d" && len(parts) == 3:
		return c.discardDraft(parts[2])
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
