package conversation

import (
	"fmt"
	"strings"
	"time"

	"langnghe"
)

// The few texts the service says by itself (everything else is in the
// flows, where admins edit it). Every text has vi, en and zh.
type textKey int

const (
	msgPrivateOnly textKey = iota
	msgSlowDown
	msgNoOpinions
	msgRestarted
	msgDataNone
)

var texts = map[textKey]map[string]string{
	msgPrivateOnly: {
		langnghe.LangVI: "Để gửi ý kiến, ông/bà vui lòng nhắn tin riêng cho tôi.",
		langnghe.LangEN: "To send an opinion, please write to me in a private chat.",
		langnghe.LangZH: "如需提交意见，请与我私聊。",
	},
	msgSlowDown: {
		langnghe.LangVI: "Ông/bà gửi tin hơi nhanh. Xin vui lòng chờ một phút rồi tiếp tục, cảm ơn ông/bà.",
		langnghe.LangEN: "You are sending messages a little fast. Please wait a minute and continue, thank you.",
		langnghe.LangZH: "您发送消息过快，请稍等一分钟再继续，谢谢。",
	},
	msgNoOpinions: {
		langnghe.LangVI: "Ông/bà chưa gửi ý kiến nào. Gõ /menu để gửi ý kiến.",
		langnghe.LangEN: "You have not sent any opinion yet. Type /menu to send one.",
		langnghe.LangZH: "您还没有提交任何意见。输入 /menu 提交意见。",
	},
	msgRestarted: {
		langnghe.LangVI: "Xin lỗi ông/bà, cuộc trò chuyện trước không thể tiếp tục vì nội dung đã được cập nhật. Xin mời ông/bà bắt đầu lại.",
		langnghe.LangEN: "Sorry, the previous conversation cannot go on because its content was updated. Please start again.",
		langnghe.LangZH: "抱歉，由于内容已更新，之前的对话无法继续。请重新开始。",
	},
	msgDataNone: {
		langnghe.LangVI: "(không có)",
		langnghe.LangEN: "(none)",
		langnghe.LangZH: "（无）",
	},
}

var statusNames = map[langnghe.Status]map[string]string{
	langnghe.StatusReceived:   {langnghe.LangVI: "đã tiếp nhận", langnghe.LangEN: "received", langnghe.LangZH: "已受理"},
	langnghe.StatusForwarded:  {langnghe.LangVI: "đã chuyển đơn vị có thẩm quyền", langnghe.LangEN: "forwarded to the competent unit", langnghe.LangZH: "已转交主管单位"},
	langnghe.StatusInProgress: {langnghe.LangVI: "đang xử lý", langnghe.LangEN: "in progress", langnghe.LangZH: "处理中"},
	langnghe.StatusExtended:   {langnghe.LangVI: "gia hạn xử lý", langnghe.LangEN: "extended", langnghe.LangZH: "已延期"},
	langnghe.StatusReopened:   {langnghe.LangVI: "xem xét lại", langnghe.LangEN: "reopened", langnghe.LangZH: "重新处理"},
	langnghe.StatusAnswered:   {langnghe.LangVI: "đã trả lời", langnghe.LangEN: "answered", langnghe.LangZH: "已答复"},
	langnghe.StatusClosed:     {langnghe.LangVI: "đã kết thúc", langnghe.LangEN: "closed", langnghe.LangZH: "已结束"},
	langnghe.StatusRejected:   {langnghe.LangVI: "không thụ lý", langnghe.LangEN: "not admissible", langnghe.LangZH: "不予受理"},
	langnghe.StatusRedirected: {langnghe.LangVI: "đã hướng dẫn", langnghe.LangEN: "guided to the proper route", langnghe.LangZH: "已指引"},
	langnghe.StatusDuplicate:  {langnghe.LangVI: "trùng ý kiến đã gửi", langnghe.LangEN: "duplicate", langnghe.LangZH: "重复"},
}

func localized(m map[string]string, lang string) string {
	if s, ok := m[lang]; ok {
		return s
	}
	return m[langnghe.LangVI]
}

func (t *turn) text(k textKey) langnghe.Message {
	return langnghe.Message{Text: localized(texts[k], t.language())}
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
		fmt.Fprintf(&b, "• %s (%s): %s — %s", o.Code, t.date(o.CreatedAt), cat, localized(statusNames[o.Status], lang))
	}
	return t.send(langnghe.Message{Text: b.String()})
}

// dataLabels name what showData lists, per language.
var dataLabels = map[string]struct{ name, phone, language, consent, yes, no, opinions string }{
	langnghe.LangVI: {"Tên", "Điện thoại", "Ngôn ngữ", "Đồng ý lưu thông tin liên hệ", "có", "không", "Ý kiến đã gửi"},
	langnghe.LangEN: {"Name", "Phone", "Language", "Consent to keep contact details", "yes", "no", "Opinions sent"},
	langnghe.LangZH: {"姓名", "电话", "语言", "同意保存联系方式", "是", "否", "已提交的意见"},
}

func (t *turn) showData() error {
	lang := t.language()
	l, ok := dataLabels[lang]
	if !ok {
		l = dataLabels[langnghe.LangVI]
	}
	r := t.resident
	none := localized(texts[msgDataNone], lang)
	orNone := func(s string) string {
		if s == "" {
			return none
		}
		return s
	}
	var b strings.Builder
	fmt.Fprintf(&b, "• %s: %s\n• %s: %s\n• %s: %s\n• ID: %s", l.name, orNone(r.Name), l.phone, orNone(r.Phone),
		l.language, orNone(r.Language), r.ExternalID)
	cs, err := t.tx.Consents(t.ctx, r.ID)
	if err != nil {
		return fmt.Errorf("load consents: %w", err)
	}
	for _, c := range cs {
		answer := l.no
		if c.Granted {
			answer = l.yes
		}
		fmt.Fprintf(&b, "\n• %s (%s, %s): %s", l.consent, c.NoticeVersion, t.date(c.At), answer)
	}
	ops, err := t.tx.OpinionsByResident(t.ctx, r.ID, myOpinionsLimit)
	if err != nil {
		return fmt.Errorf("list opinions of resident %d: %w", r.ID, err)
	}
	codes := make([]string, 0, len(ops))
	for _, o := range ops {
		codes = append(codes, o.Code)
	}
	fmt.Fprintf(&b, "\n• %s: %s", l.opinions, orNone(strings.Join(codes, ", ")))
	return t.send(langnghe.Message{Text: b.String()})
}

func (t *turn) date(at time.Time) string {
	return at.In(t.s.opts.TimeZone).Format("02/01/2006")
}
