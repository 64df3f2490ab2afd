package officedesk

import (
	"strconv"
	"strings"
	"time"

	"langnghe"
	"langnghe/flows/vntext"
	"langnghe/followup"
)

// Answering residents from Telegram without Telegram's own «Trả lời»
// (reply), which officials use for their colleagues and which the desk's
// buttons no longer imitate:
//
//   - «Trả lời người dân» under an opinion (o:a:CODE) waits for the
//     official's next message (awaitWindow), which is sent to the
//     resident at once as the answer; «Hủy» (o:c:CODE) cancels.
//   - A plain message with nothing waiting is kept as a draft, and the
//     official is asked which opinion it answers, with buttons for their
//     open opinions, the earliest due first (at most offerLimit; an
//     opinion whose code the message names comes first): o:p:CODE:DRAFT
//     sends it, o:d:DRAFT discards it. A draft is used once: its buttons
//     go stale by their data when it is sent or discarded.
//
// The press that names the opinion sends the answer, without a second
// "are you sure?": the official wrote the text and chose the opinion, two
// deliberate acts, and every answer is confirmed back quoting exactly what
// the resident read, so a slip is seen at once (and an answer can be
// followed by another through the lifecycle's reopening, never unsent).
// Telegram's reply to a notification still answers its opinion, and
// /traloi MÃ NỘI_DUNG works as before.

// awaitWindow is how long a press of «Trả lời người dân» waits for text.
const awaitWindow = 15 * time.Minute

// offerLimit caps the opinions offered for a plain message.
const offerLimit = 5

// plain applies an official's message that is not a command, nor a reply
// to a message naming an opinion.
func (c *desk) plain(text string) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return c.replyText(c.say(msgHelp))
	}
	var failed error
	d, err := c.tx.AwaitingDraft(c.ctx, c.official.ID, c.opts.Now().Add(-awaitWindow))
	switch langnghe.ErrorCode(err) {
	case "":
		if err := c.tx.DeleteDraft(c.ctx, c.official.ID, d.ID); err != nil {
			return err
		}
		err := c.act(d.OpinionCode, followup.Action{Kind: followup.ActAnswer, Note: text})
		if err == nil || langnghe.ErrorCode(err) == langnghe.EINTERNAL {
			return err
		}
		// The opinion cannot take the answer now (answered meanwhile,
		// out of scope): say why, and keep the text for another.
		failed = err
	case langnghe.ENOTFOUND:
	default:
		return err
	}
	return c.offer(text, failed)
}

// offer keeps text as a draft and asks which opinion it answers.
func (c *desk) offer(text string, failed error) error {
	lang := c.lang()
	prefix := ""
	if failed != nil {
		prefix = "⚠️ " + langnghe.ErrorMessageIn(failed, lang) + "\n\n"
	}
	ops, err := c.core.List(c.ctx, c.tx, c.official, langnghe.OpinionFilter{Open: true, Sort: langnghe.SortDue, Limit: offerLimit})
	if err != nil {
		return err
	}
	// An opinion the message names, open and in scope, comes first.
	for _, code := range distinct(opinionCodes.FindAllString(strings.ToUpper(text), -1)) {
		o, _, err := c.core.Opinion(c.ctx, c.tx, c.official, code)
		if err != nil || !o.Status.Open() {
			continue
		}
		kept := []langnghe.Opinion{*o}
		for _, x := range ops {
			if x.Code != o.Code && len(kept) < offerLimit {
				kept = append(kept, x)
			}
		}
		ops = kept
	}
	if len(ops) == 0 {
		return c.replyText(prefix + c.say(msgNoOpenToAnswer))
	}
	d := &langnghe.OfficialDraft{OfficialID: c.official.ID, Text: text, CreatedAt: c.opts.Now()}
	if err := c.tx.SaveDraft(c.ctx, d); err != nil {
		return err
	}
	id := strconv.FormatInt(d.ID, 10)
	var rows [][]langnghe.Button
	for _, o := range ops {
		label := o.Code
		if !o.DueAt.IsZero() {
			label += " · " + c.say(msgDue) + " " + o.DueAt.In(c.opts.TimeZone).Format(langnghe.DayMonthLayout)
		}
		label += " · " + vntext.Cut(strings.Join(strings.Fields(o.Text), " "), 28)
		if row := buttons(button(label, "o", "p", o.Code, id)); len(row) > 0 {
			rows = append(rows, row)
		}
	}
	rows = append(rows, buttons(button(c.say(btnDiscard), "o", "d", id)))
	return c.reply(langnghe.Message{Text: prefix + c.say(msgWhichOpinion, text), Buttons: rows})
}

// sendDraft answers the opinion with code with the official's draft id.
func (c *desk) sendDraft(code, idText string) error {
	d, err := c.draft(idText)
	if err != nil || d == nil {
		return err
	}
	if err := c.act(code, followup.Action{Kind: followup.ActAnswer, Note: d.Text}); err != nil {
		return err // the draft stays, for another opinion
	}
	return c.tx.DeleteDraft(c.ctx, c.official.ID, d.ID)
}

// discardDraft drops the official's draft id.
func (c *desk) discardDraft(idText string) error {
	d, err := c.draft(idText)
	if err != nil || d == nil {
		return err
	}
	if err := c.tx.DeleteDraft(c.ctx, c.official.ID, d.ID); err != nil {
		return err
	}
	return c.replyText(c.say(msgDiscarded))
}

// draft loads the official's draft named by a button; nil, having said
// so, when it was used or discarded (or is not theirs).
func (c *desk) draft(idText string) (*langnghe.OfficialDraft, error) {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return nil, langnghe.Errorf(langnghe.EINVALID, "%s", c.say(msgStaleButton))
	}
	d, err := c.tx.Draft(c.ctx, c.official.ID, id)
	if langnghe.ErrorCode(err) == langnghe.ENOTFOUND || (err == nil && d.Text == "") {
		return nil, c.replyText(c.say(msgDraftGone))
	}
	return d, err
}

// askAnswer applies «Trả lời người dân»: the official's next message is
// the answer to the opinion with code, in scope and open.
func (c *desk) askAnswer(code string) error {
	o, _, err := c.core.Opinion(c.ctx, c.tx, c.official, code)
	if err != nil {
		return err
	}
	if !o.Status.Open() {
		return langnghe.Errorf(langnghe.EINVALID, "opinion %s is %s: it cannot be answered now", o.Code,
			langnghe.Said(o.Status.Name(langnghe.LangEN), o.Status.Name))
	}
	if err := c.tx.SaveDraft(c.ctx, &langnghe.OfficialDraft{OfficialID: c.official.ID, OpinionCode: o.Code, CreatedAt: c.opts.Now()}); err != nil {
		return err
	}
	m := langnghe.Message{Text: c.say(msgAnswerPrompt, o.Code, int(awaitWindow/time.Minute)),
		Buttons: [][]langnghe.Button{buttons(button(c.say(btnCancel), "o", "c", o.Code))}, Regarding: answering(o.Code)}
	return c.reply(m)
}

// cancelAnswer applies «Hủy» under the answer prompt.
func (c *desk) cancelAnswer() error {
	n, err := c.tx.DeleteAwaitingDrafts(c.ctx, c.official.ID)
	if err != nil {
		return err
	}
	if n == 0 {
		return c.replyText(c.say(msgNothingToCancel))
	}
	return c.replyText(c.say(msgCancelled))
}
