package conversation

import (
	"fmt"
	"strings"
	"time"

	"langnghe"
	"langnghe/wording"
)

// The few texts the service says by itself (everything else is in the
// flows, where admins edit it), named in the catalogue
// (wording/*/chat.yaml). One voice: the service is «chúng tôi» ("we"), the
// resident «ông/bà».
type textKey string

const (
	msgPrivateOnly     textKey = "chat.private_only"
	msgSlowDown        textKey = "chat.slow_down"
	msgNoOpinions      textKey = "chat.no_opinions"
	msgRestarted       textKey = "chat.restarted"
	msgDataNone        textKey = "chat.data_none"
	msgCampaignUnknown textKey = "chat.campaign_unknown"
	// With the campaign's title and the day it opens.
	msgCampaignNotYet textKey = "chat.campaign_not_yet"
	// With the campaign's title and its last day.
	msgCampaignClosed     textKey = "chat.campaign_closed"
	msgCampaignClosedLate textKey = "chat.campaign_closed_late"
	// msgDueLabel names, in the residents' list, the date an open opinion
	// will be answered by.
	msgDueLabel textKey = "chat.due_label"
)

// say is the text k in lang (Vietnamese when lang lacks it).
func say(lang string, k textKey) string { return wording.Text(lang, string(k)) }

func (t *turn) text(k textKey) langnghe.Message {
	return langnghe.Message{Text: say(t.language(), k)}
}

// clientLanguage maps a client's hint ("en-US") to a language we speak.
func clientLanguage(code string) string {
	code = strings.ToLower(code)
	switch {
	case strings.HasPrefix(code, "en"):
		return langnghe.LangEN
	case strings.HasPrefix(code, "zh"):
		return langnghe.LangZH
	}
	return langnghe.LangVI
}

// myOpinionsLimit keeps the list within one Telegram message.
const myOpinionsLimit = 20

func (t *turn) listOpinions() error {
	ops, err := t.tx.OpinionsByResident(t.ctx, t.resident.ID, myOpinionsLimit)
	if err != nil {
		return fmt.Errorf("list opinions of resident %d: %w", t.resident.ID, err)
	}
	if len(ops) == 0 {
		return t.send(t.text(msgNoOpinions))
	}
	// The flow says the heading; this is the list.
	lang := t.language()
	var b strings.Builder
	for _, o := range ops {
		cat := o.Category
		if c, ok := t.s.catalogue.Category(o.Category); ok {
			cat = c.Name(lang)
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "• %s (%s): %s — %s", o.Code, t.date(o.CreatedAt), cat, StatusName(o.Status, lang))
		if o.Status.Open() && !o.DueAt.IsZero() {
			fmt.Fprintf(&b, ", %s %s", say(lang, msgDueLabel), t.date(o.DueAt))
		}
	}
	return t.send(langnghe.Message{Text: b.String()})
}

func (t *turn) showData() error {
	lang := t.language()
	label := func(what string) string { return wording.Text(lang, "chat.data."+what) }
	r := t.resident
	none := say(lang, msgDataNone)
	orNone := func(s string) string {
		if s == "" {
			return none
		}
		return s
	}
	var b strings.Builder
	language := r.Language
	if wording.Supported(r.Language) {
		language = wording.Text(lang, "chat.language."+r.Language)
	}
	fmt.Fprintf(&b, "• %s: %s\n• %s: %s\n• %s: %s\n• %s: %s", label("name"), orNone(r.Name), label("phone"), orNone(r.Phone),
		label("language"), orNone(language), label("account"), r.ExternalID)
	cs, err := t.tx.Consents(t.ctx, r.ID)
	if err != nil {
		return fmt.Errorf("load consents: %w", err)
	}
	for _, c := range cs {
		answer := label("no")
		if c.Granted {
			answer = label("yes")
		}
		fmt.Fprintf(&b, "\n• %s (%s, %s): %s", label("consent"), c.NoticeVersion, t.date(c.At), answer)
	}
	ops, err := t.tx.OpinionsByResident(t.ctx, r.ID, myOpinionsLimit)
	if err != nil {
		return fmt.Errorf("list opinions of resident %d: %w", r.ID, err)
	}
	codes := make([]string, 0, len(ops))
	for _, o := range ops {
		codes = append(codes, o.Code)
	}
	fmt.Fprintf(&b, "\n• %s: %s", label("opinions"), orNone(strings.Join(codes, ", ")))
	return t.send(langnghe.Message{Text: b.String()})
}

func (t *turn) date(at time.Time) string {
	return at.In(t.s.opts.TimeZone).Format(langnghe.DateLayout)
}
