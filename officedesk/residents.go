package officedesk

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"langnghe"
	"langnghe/conversation"
	"langnghe/flows"
	"langnghe/followup"
	"langnghe/storage"
)

// Reasons a resident may give for not being satisfied, besides their own
// words (a reply to the question).
var reasons = []string{"unresolved", "unclear", "late"}

// Resident applies a resident's rating of an answered opinion: the rating
// buttons, and a reply to "why not satisfied?". Rate itself checks that the
// opinion is the resident's and is answered, so forged data rates nothing.
func (d *Desk) Resident(ctx context.Context, tx *storage.Tx, r *langnghe.Resident, in conversation.Inbound) (bool, error) {
	lang := residentLanguage(r, in)
	switch {
	case in.Input.Kind == flows.InputButton && strings.HasPrefix(in.Input.Data, residentPrefix):
		err := d.rateButton(ctx, tx, r, lang, in.Input.Data)
		return true, d.settle(ctx, tx, r, lang, err)
	case in.Input.Kind == flows.InputText && in.ReplyTo != "" && isReasonQuestion(in.ReplyTo):
		codes := distinct(opinionCodes.FindAllString(in.ReplyTo, -1))
		if len(codes) != 1 || strings.TrimSpace(in.Input.Text) == "" {
			return false, nil
		}
		err := d.rate(ctx, tx, r, lang, codes[0], false, strings.TrimSpace(in.Input.Text))
		return true, d.settle(ctx, tx, r, lang, err)
	}
	return false, nil
}

// settle turns an application error into a reply to the resident, so the
// update commits; anything else rolls it back to be retried.
func (d *Desk) settle(ctx context.Context, tx *storage.Tx, r *langnghe.Resident, lang string, err error) error {
	if err == nil || langnghe.ErrorCode(err) == langnghe.EINTERNAL {
		return err
	}
	return enqueue(ctx, tx, r.Channel, r.ChatID, &r.ID, langnghe.Message{Text: say(lang, msgCannotRate)})
}

func (d *Desk) rateButton(ctx context.Context, tx *storage.Tx, r *langnghe.Resident, lang, data string) error {
	parts := strings.SplitN(data, ":", 4)
	if len(parts) < 3 {
		return langnghe.Errorf(langnghe.EINVALID, "malformed rating button %q", data)
	}
	code := parts[2]
	switch {
	case parts[1] == "s" && len(parts) == 3:
		return d.rate(ctx, tx, r, lang, code, true, "")
	case parts[1] == "n" && len(parts) == 3:
		return d.askReason(ctx, tx, r, lang, code)
	case parts[1] == "x" && len(parts) == 4 && slices.Contains(reasons, parts[3]):
		return d.rate(ctx, tx, r, lang, code, false, say(langnghe.LangVI, reasonTexts[parts[3]]))
	}
	return langnghe.Errorf(langnghe.EINVALID, "unknown rating button %q", data)
}

// askReason asks why the resident is not satisfied, with common reasons as
// buttons; only for the resident's own answered opinion.
func (d *Desk) askReason(ctx context.Context, tx *storage.Tx, r *langnghe.Resident, lang, code string) error {
	o, err := tx.Opinion(ctx, code)
	if err != nil && langnghe.ErrorCode(err) != langnghe.ENOTFOUND {
		return fmt.Errorf("opinion %s: %w", code, err)
	}
	if o == nil || o.ResidentID == nil || *o.ResidentID != r.ID || o.Status != langnghe.StatusAnswered || o.Rating != "" {
		return langnghe.Errorf(langnghe.ENOTFOUND, "no answered opinion %s of resident %d", code, r.ID)
	}
	var rows [][]langnghe.Button
	for _, why := range reasons {
		if row := buttons(button(say(lang, reasonTexts[why]), "r", "x", code, why)); len(row) > 0 {
			rows = append(rows, row)
		}
	}
	return enqueue(ctx, tx, r.Channel, r.ChatID, &r.ID, langnghe.Message{
		Text: fmt.Sprintf(say(lang, msgReasonQuestion), code), Buttons: rows})
}

// rate records the resident's verdict; "not satisfied" reopens the opinion
// and tells its unit.
func (d *Desk) rate(ctx context.Context, tx *storage.Tx, r *langnghe.Resident, lang, code string, satisfied bool, reason string) error {
	ch, err := d.core.Rate(ctx, tx, r.ID, code, satisfied, reason)
	if err != nil {
		return err
	}
	if satisfied {
		return enqueue(ctx, tx, r.Channel, r.ChatID, &r.ID, langnghe.Message{Text: fmt.Sprintf(say(lang, msgThanksSatisfied), ch.Opinion.Code)})
	}
	if err := enqueue(ctx, tx, r.Channel, r.ChatID, &r.ID, langnghe.Message{Text: fmt.Sprintf(say(lang, msgReopened), ch.Opinion.Code)}); err != nil {
		return err
	}
	watchers, err := d.core.Watchers(ctx, tx, ch.Opinion.Unit)
	if err != nil {
		return fmt.Errorf("officials of unit %q: %w", ch.Opinion.Unit, err)
	}
	for _, w := range watchers {
		if !w.MaySee(&ch.Opinion) {
			continue
		}
		// The resident's own words may name them: a denouncer's name and
		// phone pass the gate like the opinion's.
		text := fmt.Sprintf(say(w.Language, msgUnitReopened), ch.Opinion.Code, w.RevealNote(&ch.Opinion, reason))
		if err := enqueue(ctx, tx, w.Channel, w.ChatID, nil, langnghe.Message{Text: text, Buttons: actionButtons(ch.Opinion.Code, w.Language)}); err != nil {
			return fmt.Errorf("tell official %d about %s: %w", w.ID, ch.Opinion.Code, err)
		}
	}
	return nil
}

// tellResident pushes a public change to the opinion's resident, in their
// language, signed by the unit. Anonymous residents are reached the same
// way: through the bot, by the resident id the unit never sees. An opinion
// whose resident asked for their data to be deleted has no one to tell.
func (d *Desk) tellResident(ctx context.Context, tx *storage.Tx, ch *followup.Change) error {
	o := ch.Opinion
	if o.ResidentID == nil {
		return nil
	}
	r, err := tx.Resident(ctx, *o.ResidentID)
	if err != nil {
		return fmt.Errorf("resident of %s: %w", o.Code, err)
	}
	if r.ChatID == "" {
		return nil
	}
	lang := r.Language
	if lang == "" {
		lang = o.Language
	}
	var b strings.Builder
	fmt.Fprintf(&b, say(lang, msgStatusChanged), o.Code, conversation.StatusName(ch.To, lang))
	if ch.Note != "" {
		b.WriteString("\n\n" + ch.Note)
	}
	if unit := d.unitName(ctx, tx, o.Unit, lang); unit != "" {
		b.WriteString("\n— " + unit)
	}
	m := langnghe.Message{Text: b.String()}
	if ch.To == langnghe.StatusAnswered {
		m.Text += "\n\n" + say(lang, msgRateQuestion)
		m.Buttons = [][]langnghe.Button{buttons(
			button(say(lang, btnSatisfied), "r", "s", o.Code),
			button(say(lang, btnNotSatisfied), "r", "n", o.Code),
		)}
	}
	return enqueue(ctx, tx, r.Channel, r.ChatID, &r.ID, m)
}

// notification tells an official about a new opinion, as they may see it
// (describeIn).
func (d *Desk) notification(ctx context.Context, tx *storage.Tx, w *langnghe.Official, o *langnghe.Opinion) langnghe.Message {
	lang := w.Language
	text := say(lang, msgNewOpinion) + "\n" + d.describeIn(ctx, tx, w, o, lang) + "\n\n" + say(lang, msgReplyToAnswer)
	return langnghe.Message{Text: text, Buttons: actionButtons(o.Code, lang)}
}

func (c *desk) describe(ctx context.Context, tx *storage.Tx, o *langnghe.Opinion) string {
	return c.describeIn(ctx, tx, c.official, o, c.lang())
}

// describeIn is an opinion as the official viewer reads it. It always
// passes the gate (langnghe.Official.Reveal), whether o was revealed
// already or not: the resident's name and phone are shown only when they
// chose to be reachable by the unit, and a denouncer's only to an official
// with the permission; everyone else reads «Bảo mật» under a confidential
// marker.
func (d *Desk) describeIn(ctx context.Context, tx *storage.Tx, viewer *langnghe.Official, raw *langnghe.Opinion, lang string) string {
	seen := viewer.Reveal(*raw)
	o := &seen
	var b strings.Builder
	if o.Confidential() {
		b.WriteString(say(lang, msgConfidential) + "\n")
	}
	fmt.Fprintf(&b, "%s · %s\n", o.Code, conversation.StatusName(o.Status, lang))
	fmt.Fprintf(&b, "%s: %s", say(lang, msgCategory), d.categoryNameIn(o.Category, lang))
	if a, ok := d.cat.Area(o.AreaCode); ok {
		fmt.Fprintf(&b, " · %s: %s", say(lang, msgArea), a.Name(lang))
	}
	if unit := d.unitName(ctx, tx, o.Unit, lang); unit != "" {
		fmt.Fprintf(&b, "\n%s: %s", say(lang, msgUnit), unit)
	}
	if !o.DueAt.IsZero() {
		fmt.Fprintf(&b, "\n%s: %s", say(lang, msgDueBy), o.DueAt.In(d.opts.TimeZone).Format("02/01/2006"))
	}
	fmt.Fprintf(&b, "\n\n%s\n\n", o.Text)
	switch {
	case o.ContactName == langnghe.Concealed:
		fmt.Fprintf(&b, "%s: %s", say(lang, msgContact), langnghe.Concealed)
	case o.Anonymous || (o.ContactName == "" && o.ContactPhone == ""):
		b.WriteString(say(lang, msgAnonymous))
	default:
		fmt.Fprintf(&b, "%s: %s", say(lang, msgContact), strings.TrimSpace(o.ContactName+" "+o.ContactPhone))
	}
	return b.String()
}

func (c *desk) categoryName(code string) string { return c.categoryNameIn(code, c.lang()) }

func (d *Desk) categoryNameIn(code, lang string) string {
	if cat, ok := d.cat.Category(code); ok {
		return cat.Name(lang)
	}
	return code
}

// unitName is the unit's name in lang; the code when the unit is unknown.
func (d *Desk) unitName(ctx context.Context, tx *storage.Tx, code, lang string) string {
	if code == "" {
		return ""
	}
	u, err := tx.Unit(ctx, code)
	if err != nil {
		d.log.WarnContext(ctx, "unit name not found", "unit", code, "err", err)
		return code
	}
	return u.Name(lang)
}

func residentLanguage(r *langnghe.Resident, in conversation.Inbound) string {
	if r.Language != "" {
		return r.Language
	}
	switch code := strings.ToLower(in.LanguageCode); {
	case strings.HasPrefix(code, "en"):
		return langnghe.LangEN
	case strings.HasPrefix(code, "zh"):
		return langnghe.LangZH
	}
	return langnghe.LangVI
}
