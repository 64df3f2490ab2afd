package officedesk

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"langnghe"
	"langnghe/flows"
	"langnghe/flows/catalogue"
	"langnghe/flows/vntext"
	"langnghe/storage"
)

// Emergencies: the resident has been given the numbers already (the
// engine's reply, queued first); the desk alerts the unit designated for
// emergencies and the board at once, and takes their acknowledgement.

// EmergencyReported alerts the unit designated for emergencies of e, which
// is stored: it picks the unit (followup's EmergencyUnit), records it on e,
// and queues an alert to every active official of that unit and of the
// board who has a chat with the bot. Notifications off (/thongbao off)
// does not hold an alert back: that setting is about new opinions, and an
// emergency is not a notification preference.
//
// The alerts are queued in the resident's transaction, after the
// resident's own reply, and reach the sender the way conversation replies
// do: handed over as the transaction commits when the chat has nothing
// queued before them (langnghe.Handoff), else claimed as their chat's head.
// The outbox has no priority level above that; digests and other bulk
// sends queued in an official's chat before the alert go first in that chat.
func (d *Desk) EmergencyReported(ctx context.Context, tx *storage.Tx, e *langnghe.Emergency) error {
	unit, err := d.core.EmergencyUnit(ctx, tx, e.AreaCode)
	if err != nil {
		return fmt.Errorf("unit for emergency %d: %w", e.ID, err)
	}
	if unit != "" {
		if err := tx.SetEmergencyUnit(ctx, e.ID, unit); err != nil {
			return err
		}
	}
	e.Unit = unit
	officials, err := d.core.EmergencyWatchers(ctx, tx, unit)
	if err != nil {
		return err
	}
	if len(officials) == 0 {
		d.log.ErrorContext(ctx, "no official to alert of an emergency: give the emergency unit or the board a Telegram account",
			"emergency", e.ID, "unit", unit)
		return nil
	}
	reporter, err := d.reporter(ctx, tx, e)
	if err != nil {
		return err
	}
	for _, o := range officials {
		if err := enqueue(ctx, tx, o.Channel, o.ChatID, nil, d.emergencyAlert(ctx, tx, e, reporter, o.Language)); err != nil {
			return fmt.Errorf("alert official %d of emergency %d: %w", o.ID, e.ID, err)
		}
	}
	return nil
}

// reporter is the resident who reported e, when known and still on file.
func (d *Desk) reporter(ctx context.Context, tx *storage.Tx, e *langnghe.Emergency) (*langnghe.Resident, error) {
	if e.ResidentID == nil {
		return nil, nil
	}
	r, err := tx.Resident(ctx, *e.ResidentID)
	if langnghe.ErrorCode(err) == langnghe.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("reporter of emergency %d: %w", e.ID, err)
	}
	return r, nil
}

// maxAlertText bounds the resident's words in an alert, in characters: the
// whole message stays well under Telegram's 4096.
const maxAlertText = 700

// emergencyAlert is the alert in lang. It is plain text (the channel sends
// no parse mode), so the resident's words cannot break it; control
// characters are taken out and a long text is cut at a word.
func (d *Desk) emergencyAlert(ctx context.Context, tx *storage.Tx, e *langnghe.Emergency, r *langnghe.Resident, lang string) langnghe.Message {
	t := emergencyTexts(lang)
	var b strings.Builder
	b.WriteString(t.title)
	if text := alertText(e.Text); text != "" {
		fmt.Fprintf(&b, "\n«%s»", text)
	}
	b.WriteString("\n")
	number := flows.EmergencyNumber(e.Kind)
	if number == "" {
		number = "113, 114, 115, 112"
	}
	fmt.Fprintf(&b, "\n%s: %s · %s %s", t.kind, e.Kind.Name(lang), t.told, number)
	if _, ok := d.cat.Area(e.AreaCode); ok {
		// As every desk message names an area: a hamlet with its commune,
		// a former commune with what it is part of now.
		fmt.Fprintf(&b, "\n%s: %s", t.area, catalogue.Describe(d.cat, e.AreaCode, lang))
	} else {
		fmt.Fprintf(&b, "\n%s: %s", t.area, t.noArea)
	}
	fmt.Fprintf(&b, "\n%s: %s", t.at, d.moment(e.At))
	if unit := d.unitName(ctx, tx, e.Unit, lang); unit != "" {
		fmt.Fprintf(&b, "\n%s: %s", t.unit, unit)
	}
	// Giving the unit the reporter's phone without asking is lawful here:
	// Decree 13/2023/NĐ-CP art. 17 allows processing personal data without
	// consent to protect someone's life or health in an emergency. Only a
	// phone the resident gave us is shown (they shared it with consent, and
	// have not deleted it).
	if r != nil && strings.TrimSpace(r.Phone) != "" {
		fmt.Fprintf(&b, "\n%s: %s", t.contact, strings.TrimSpace(FamilyNameFirst(alertText(r.Name))+" · "+r.Phone))
	} else {
		fmt.Fprintf(&b, "\n%s", t.noContact)
	}
	fmt.Fprintf(&b, "\n\n"+t.footer, e.ID)
	return langnghe.Message{Text: b.String(), Buttons: [][]langnghe.Button{buttons(button(t.button, "o", "e", strconv.FormatInt(e.ID, 10)))}}
}

// alertText is a resident's words as an alert quotes them: control
// characters but line breaks dropped, blank lines squeezed, cut at a word
// after maxAlertText characters.
func alertText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || !unicode.IsControl(r) {
			return r
		}
		if r == '\t' || r == '\r' {
			return ' '
		}
		return -1
	}, s)
	return vntext.Cut(strings.Join(langnghe.SplitList(s, "\n"), "\n"), maxAlertText)
}

// acknowledgeEmergency applies the alert's button: the official has taken
// emergency id in. The data may be forged or old: the id must be a number,
// and the follow-up core answers "not found" for an emergency outside the
// official's scope as for one that does not exist.
func (c *desk) acknowledgeEmergency(idText string) error {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return langnghe.Errorf(langnghe.EINVALID, "%s", c.say(msgStaleButton))
	}
	e, err := c.core.AcknowledgeEmergency(c.ctx, c.tx, c.official, id)
	if err != nil {
		return err
	}
	t := emergencyTexts(c.lang())
	when := ""
	if e.AcknowledgedAt != nil {
		when = c.moment(*e.AcknowledgedAt)
	}
	if e.AcknowledgedBy != nil && *e.AcknowledgedBy == c.official.ID {
		return c.replyText(fmt.Sprintf(t.acknowledged, e.ID, when))
	}
	who := t.someone
	if e.AcknowledgedBy != nil {
		if o, err := c.tx.Official(c.ctx, *e.AcknowledgedBy); err == nil && o.Name != "" {
			who = FamilyNameFirst(o.Name)
		}
	}
	return c.replyText(fmt.Sprintf(t.already, e.ID, who, when))
}

// alertTexts are the words of alerts and acknowledgements in one language.
type alertTexts struct {
	title, kind, told, area, noArea, at, unit, contact, noContact, footer, button string
	acknowledged, already, someone                                                string
}

// emergencyTexts are the alert's words in lang, from the catalogue's
// desk.emergency.* (the title keeps "KHẨN CẤP" first in every language, as
// every alert starts).
func emergencyTexts(lang string) alertTexts {
	w := func(key string) string { return say(lang, textKey("desk.emergency."+key)) }
	return alertTexts{
		title:        w("title"),
		kind:         w("kind"),
		told:         w("told"),
		area:         w("area"),
		noArea:       w("no_area"),
		at:           w("at"),
		unit:         w("unit"),
		contact:      w("contact"),
		noContact:    w("no_contact"),
		footer:       w("footer"),
		button:       w("button"),
		acknowledged: w("acknowledged"),
		already:      w("already"),
		someone:      w("someone"),
	}
}
