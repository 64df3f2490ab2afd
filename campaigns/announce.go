package campaigns

import (
	"context"
	"fmt"
	"strings"
	"time"

	"langnghe"
	"langnghe/flows"
	"langnghe/storage"
	"langnghe/wording"
)

// Announce queues the campaign's announcement to every resident whose
// consent to announcements is in force for one of its areas (or an area
// within one, or one a reorganisation replaced by one), in their language,
// once per resident: QueueAnnouncements keeps a row per campaign and
// resident in the transaction that queues the message. Each message needs
// the consent again when it is sent (Message.Consent): a resident who
// withdraws meanwhile gets nothing.
func (s *Service) Announce(ctx context.Context, by *langnghe.Official, campaignID int64, botUsername string) (*langnghe.Announcement, error) {
	out := &langnghe.Announcement{CampaignID: campaignID}
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		_, c, err := s.managed(ctx, tx, by, campaignID)
		if err != nil {
			return err
		}
		c = s.local(c)
		if len(c.Areas) == 0 {
			return langnghe.Errorf(langnghe.EINVALID, "campaign %d addresses no area: nobody to announce it to", c.ID)
		}
		if now := s.opts.Now(); !c.Closes.IsZero() && !c.OpenAt(now) && !now.Before(c.Opens) {
			return langnghe.Errorf(langnghe.EINVALID, "campaign %d has closed: it is not announced any more", c.ID)
		}
		recipients, err := tx.AnnouncementRecipients(ctx, s.announcedAreas(c))
		if err != nil {
			return err
		}
		msgs := make([]*langnghe.Outgoing, 0, len(recipients))
		for _, r := range recipients {
			msgs = append(msgs, bulk(r.ResidentID, r.Channel, r.ChatID, announcementText(c, r.Language, botUsername, s.opts.TimeZone)))
		}
		queued, err := tx.QueueAnnouncements(ctx, c.ID, msgs)
		if err != nil {
			return err
		}
		out.Queued, out.Before = queued, len(recipients)-queued
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("announce campaign %d: %w", campaignID, err)
	}
	return out, nil
}

// bulk is m queued to one of many residents (an announcement, the
// leaders' answer): in the bulk lane, so that thousands of them never hold
// back a conversation's reply or an official's message.
func bulk(residentID int64, channel, chatID string, m langnghe.Message) *langnghe.Outgoing {
	return &langnghe.Outgoing{Channel: channel, ChatID: chatID, ResidentID: &residentID, Message: m, Lane: langnghe.LaneBulk}
}

// announcedAreas are the areas whose residents hear c's announcement: its
// own, every area within one of them, and the former units a
// reorganisation replaced by one of them (residents name their old commune).
func (s *Service) announcedAreas(c *langnghe.Campaign) []string {
	in := map[string]bool{}
	for _, a := range c.Areas {
		in[a] = true
	}
	if s.catalogue != nil {
		// The tree is shallow (city, commune, hamlet): repeat until
		// nothing is added.
		for changed := true; changed; {
			changed = false
			for _, a := range s.catalogue.Areas {
				if !in[a.Code] && (in[a.Parent] || (a.ReplacedBy != "" && in[a.ReplacedBy])) {
					in[a.Code], changed = true, true
				}
			}
		}
	}
	out := make([]string, 0, len(in))
	for a := range in {
		out = append(out, a)
	}
	return out
}

// announcementWhen is a conference's day and hour in an announcement in
// lang; its words are the catalogue's (campaign.announcement.*), in the
// service's voice («chúng tôi», «ông/bà»); the campaign's title, theme and
// place are the board's words, in Vietnamese.
func announcementWhen(t time.Time, lang string) string {
	switch lang {
	case langnghe.LangEN:
		return t.Format(langnghe.DateLayout) + " at " + t.Format("15:04")
	case langnghe.LangZH:
		return langnghe.DateIn(t, lang) + " " + t.Format("15:04")
	}
	return fmt.Sprintf("%d giờ %s ngày %s", t.Hour(), t.Format("04"), langnghe.DateIn(t, lang))
}

// announcementText is c's announcement in lang (Vietnamese when it is none
// we speak): what, when and where, how to take part, and at the bottom why
// the resident gets it and a button to stop.
func announcementText(c *langnghe.Campaign, lang, botUsername string, loc *time.Location) langnghe.Message {
	if !wording.Supported(lang) {
		lang = langnghe.LangVI
	}
	lines := []string{wording.Text(lang, "campaign.announcement.head", c.Kind.Name(lang), c.Title)}
	if c.Theme != "" {
		lines = append(lines, wording.Text(lang, "campaign.announcement.theme", c.Theme))
	}
	if cf := c.Conference; cf != nil && !cf.At.IsZero() {
		lines = append(lines, wording.Text(lang, "campaign.announcement.conference", announcementWhen(cf.At.In(loc), lang), cf.Place))
	}
	if c.Draft != nil && c.Draft.Summary != "" {
		lines = append(lines, c.Draft.Summary)
	}
	if !c.Closes.IsZero() {
		lines = append(lines, wording.Text(lang, "campaign.announcement.until", langnghe.DateIn(c.Closes.In(loc), lang)))
	}
	if link := c.Link(botUsername); link != "" {
		lines = append(lines, wording.Text(lang, "campaign.announcement.join", link))
	} else {
		lines = append(lines, wording.Text(lang, "campaign.announcement.join_typed", "/start "+c.Payload))
	}
	text := strings.Join(lines, "\n") + "\n\n— " + wording.Text(lang, "campaign.announcement.footer")
	return langnghe.Message{Text: text, Consent: langnghe.ConsentAnnouncements,
		Buttons: [][]langnghe.Button{{{Label: wording.Text(lang, "campaign.announcement.stop"), Data: flows.CommandButton(flows.CommandStopAnnouncements)}}}}
}
