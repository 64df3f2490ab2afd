package campaigns

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"langnghe"
	"langnghe/flows/vntext"
	"langnghe/redact"
	"langnghe/storage"
	"langnghe/wording"
)

// Limits on an answer the board records.
const (
	MaxAnswer     = 3000
	MaxAnsweredBy = 300
)

// AnswerGroup records the leaders' answer to a group and queues it, in the
// same transaction, to every asker in their language, once each (see
// storage's QueueDeliveries). The board, admins, and the officials of the
// campaign's unit may; a group answered already is ECONFLICT.
func (s *Service) AnswerGroup(ctx context.Context, by *langnghe.Official, groupID int64, a langnghe.GroupAnswer) error {
	a.Text, a.AnsweredBy = strings.TrimSpace(vntext.Normalize(a.Text)), strings.TrimSpace(vntext.Normalize(a.AnsweredBy))
	if n := utf8.RuneCountInString(a.Text); n == 0 || n > MaxAnswer {
		return langnghe.Errorf(langnghe.EINVALID, "an answer has 1 to %d characters", MaxAnswer)
	}
	if utf8.RuneCountInString(a.AnsweredBy) > MaxAnsweredBy {
		return langnghe.Errorf(langnghe.EINVALID, "who answered has at most %d characters", MaxAnsweredBy)
	}
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		off, err := s.authorize(ctx, tx, by)
		if err != nil {
			return err
		}
		campaignID, err := campaignOfGroup(ctx, tx, groupID)
		if err != nil {
			return err
		}
		c, err := s.visible(ctx, tx, off, campaignID, true)
		if err != nil {
			return err
		}
		a.RecordedBy = off.ID
		if a.At.IsZero() {
			a.At = s.opts.Now()
		}
		if err := tx.AnswerQuestionGroup(ctx, groupID, a); err != nil {
			return err
		}
		return s.deliver(ctx, tx, c, groupID, a)
	})
	if err != nil {
		return fmt.Errorf("answer group %d: %w", groupID, err)
	}
	return nil
}

// deliver queues the answer to each asker of the group who has not had it,
// in the outbox's bulk lane (bulk): a group can have thousands of askers.
func (s *Service) deliver(ctx context.Context, tx *storage.Tx, c *langnghe.Campaign, groupID int64, a langnghe.GroupAnswer) error {
	askers, err := tx.GroupAskers(ctx, groupID)
	if err != nil {
		return err
	}
	msgs := make([]*langnghe.Outgoing, 0, len(askers))
	for _, asker := range askers {
		msgs = append(msgs, bulk(asker.ResidentID, asker.Channel, asker.ChatID,
			langnghe.Message{Text: answerText(c, asker, a, s.opts.TimeZone), Buttons: answerButtons(groupID, asker.Language)}))
	}
	_, err = tx.QueueDeliveries(ctx, groupID, msgs)
	return err
}

// What the service says to residents by itself: the leaders' answer to a
// question they sent. Vietnamese first, in the service's voice («chúng
// tôi», «ông/bà»).

// maxQuoted is how much of the resident's own question the answer quotes.
const maxQuoted = 300

// answerText is the message that brings the leaders' answer to an asker,
// in the asker's language (Vietnamese when it is none we speak): which
// conference, their question, the answer, who gave it and when. The board
// writes in Vietnamese; the answer is given as written.
func answerText(c *langnghe.Campaign, asker langnghe.CampaignAsker, a langnghe.GroupAnswer, loc *time.Location) string {
	lang := asker.Language
	if !wording.Supported(lang) {
		lang = langnghe.LangVI
	}
	var b strings.Builder
	// The parts, from the catalogue: the head names the kind of campaign
	// and its title; then the resident's question quoted, or a full stop;
	// the answer, who gave it and the day; thanks.
	b.WriteString(wording.Text(lang, "campaign.answer.head", strings.ToLower(c.Kind.Name(lang)), c.Title))
	if q := quote(asker.Question); q != "" {
		b.WriteString(wording.Text(lang, "campaign.answer.quote", q))
	} else {
		b.WriteString(wording.Text(lang, "campaign.answer.stop"))
	}
	b.WriteString(wording.Text(lang, "campaign.answer.sign", a.Text, answeredBy(a, lang), langnghe.DateIn(a.At.In(loc), lang)))
	b.WriteString(wording.Text(lang, "campaign.answer.thanks"))
	return b.String()
}

// answeredBy names who answered: the leader as the conference named them, or the
// organisers.
func answeredBy(a langnghe.GroupAnswer, lang string) string {
	if a.AnsweredBy != "" {
		return a.AnsweredBy
	}
	return wording.Text(lang, "campaign.answer.organisers")
}

// quote is the resident's question as the answer quotes it: one line, at
// most maxQuoted characters, identifiers masked (the message stays in the
// outbox until sent).
func quote(q string) string {
	q = redact.Text(strings.Join(strings.Fields(q), " "))
	if utf8.RuneCountInString(q) <= maxQuoted {
		return q
	}
	return string([]rune(q)[:maxQuoted-1]) + "…"
}
