package campaigns

import (
	"context"
	"fmt"
	"strings"
	"time"

	"langnghe"
	"langnghe/flows"
	"langnghe/storage"
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
			return langnghe.Errorf(langnghe.EINVALID, "campaign %d addresses no area: nobody to announce it to", c.ID).
				Vi("Đợt lấy ý kiến %d chưa có địa bàn nên không có ai để gửi thông báo", c.ID)
		}
		if now := s.opts.Now(); !c.Closes.IsZero() && !c.OpenAt(now) && !now.Before(c.Opens) {
			return langnghe.Errorf(langnghe.EINVALID, "campaign %d has closed: it is not announced any more", c.ID).
				Vi("Đợt lấy ý kiến %d đã kết thúc, không gửi thông báo nữa", c.ID)
		}
		recipients, err := tx.AnnouncementRecipients(ctx, s.announcedAreas(c))
		if err != nil {
			return err
		}
		msgs := make([]*langnghe.Outgoing, 0, len(recipients))
		for _, r := range recipients {
			msgs = append(msgs, announcementOutgoing(r, announcementText(c, r.Language, botUsername, s.opts.TimeZone)))
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

// announcementOutgoing is one resident's announcement as it is queued: in
// the bulk lane, so that thousands of them never hold back a conversation's
// reply or an official's message.
func announcementOutgoing(r langnghe.AnnouncementRecipient, m langnghe.Message) *langnghe.Outgoing {
	id := r.ResidentID
	return &langnghe.Outgoing{Channel: r.Channel, ChatID: r.ChatID, ResidentID: &id, Message: m, Lane: langnghe.LaneBulk}
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

// What an announcement says, Vietnamese first, in the service's voice
// («chúng tôi», «ông/bà»); the campaign's title, theme and place are the
// board's words, in Vietnamese.
type announcementWords struct {
	head       string // "Thông báo" with the kind and the title
	theme      string
	conference string // when and where
	until      string // the closing day
	join       string // with the deep link
	joinTyped  string // with the /start command, when the bot's name is not known
	footer     string // why they get it and how to stop
	stop       string // the button
	day        func(t time.Time) string
	when       func(t time.Time) string
}

var announcementTexts = map[string]announcementWords{
	langnghe.LangVI: {head: "THÔNG BÁO: %s «%s»", theme: "Chủ đề: %s", conference: "Hội nghị diễn ra lúc %s tại %s.",
		until: "Thời gian nhận ý kiến: đến hết ngày %s.", join: "Mời ông/bà tham gia, gửi câu hỏi, ý kiến qua đường liên kết: %s",
		joinTyped: "Mời ông/bà tham gia, gửi câu hỏi, ý kiến: gõ %s",
		footer:    "Ông/bà nhận tin này vì đã đồng ý nhận thông báo của xã. Để không nhận nữa, bấm nút bên dưới hoặc gõ /huythongbao.",
		stop:      "Không nhận thông báo nữa", day: ddmmyyyy,
		when: func(t time.Time) string {
			return fmt.Sprintf("%d giờ %s ngày %s", t.Hour(), t.Format("04"), ddmmyyyy(t))
		}},
	langnghe.LangEN: {head: "ANNOUNCEMENT: %s «%s»", theme: "Theme: %s", conference: "The conference takes place on %s at %s.",
		until: "Opinions are taken until %s.", join: "You are welcome to take part and send your questions and opinions through this link: %s",
		joinTyped: "You are welcome to take part and send your questions and opinions: type %s",
		footer:    "You get this because you agreed to receive the commune's announcements. To stop them, tap the button below or type /unsubscribe.",
		stop:      "No more announcements", day: ddmmyyyy,
		when: func(t time.Time) string { return t.Format("02/01/2006") + " at " + t.Format("15:04") }},
	langnghe.LangZH: {head: "通知：%s「%s」", theme: "主题：%s", conference: "会议将于%s在%s举行。",
		until: "意见征集截止日期：%s。", join: "欢迎您通过以下链接参与并提出问题和意见：%s",
		joinTyped: "欢迎您参与并提出问题和意见：请输入 %s",
		footer:    "您收到此消息是因为您同意接收乡里的通知。如需停止接收，请点击下面的按钮或输入 /unsubscribe。",
		stop:      "不再接收通知",
		day:       func(t time.Time) string { return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day()) },
		when: func(t time.Time) string {
			return fmt.Sprintf("%d年%d月%d日 %s", t.Year(), t.Month(), t.Day(), t.Format("15:04"))
		}},
}

// announcementText is c's announcement in lang (Vietnamese when it is none
// we speak): what, when and where, how to take part, and at the bottom why
// the resident gets it and a button to stop.
func announcementText(c *langnghe.Campaign, lang, botUsername string, loc *time.Location) langnghe.Message {
	w, ok := announcementTexts[lang]
	if !ok {
		lang, w = langnghe.LangVI, announcementTexts[langnghe.LangVI]
	}
	lines := []string{fmt.Sprintf(w.head, c.Kind.Name(lang), c.Title)}
	if c.Theme != "" {
		lines = append(lines, fmt.Sprintf(w.theme, c.Theme))
	}
	if cf := c.Conference; cf != nil && !cf.At.IsZero() {
		lines = append(lines, fmt.Sprintf(w.conference, w.when(cf.At.In(loc)), cf.Place))
	}
	if c.Draft != nil && c.Draft.Summary != "" {
		lines = append(lines, c.Draft.Summary)
	}
	if !c.Closes.IsZero() {
		lines = append(lines, fmt.Sprintf(w.until, w.day(c.Closes.In(loc))))
	}
	if link := c.Link(botUsername); link != "" {
		lines = append(lines, fmt.Sprintf(w.join, link))
	} else {
		lines = append(lines, fmt.Sprintf(w.joinTyped, "/start "+c.Payload))
	}
	text := strings.Join(lines, "\n") + "\n\n— " + w.footer
	return langnghe.Message{Text: text, Consent: langnghe.ConsentAnnouncements,
		Buttons: [][]langnghe.Button{{{Label: w.stop, Data: flows.CommandButton(flows.CommandStopAnnouncements)}}}}
}
