package conversation

import (
	"fmt"
	"strings"
	"time"

	"langnghe"
)

// The few texts the service says by itself (everything else is in the
// flows, where admins edit it). Every text has vi, en and zh. One voice:
// the service is «chúng tôi» ("we"), the resident «ông/bà».
type textKey int

const (
	msgPrivateOnly textKey = iota
	msgSlowDown
	msgNoOpinions
	msgRestarted
	msgDataNone
	msgCampaignUnknown
	msgCampaignNotYet
	msgCampaignClosed
	msgCampaignClosedLate
)

var texts = map[textKey]map[string]string{
	msgPrivateOnly: {
		langnghe.LangVI: "Để gửi ý kiến, xin ông/bà nhắn tin trực tiếp cho chúng tôi trong cuộc trò chuyện riêng, không gửi trong nhóm.",
		langnghe.LangEN: "To send an opinion, please write to us in a private chat, not in a group.",
		langnghe.LangZH: "如需提交意见，请在私聊中（而非群组中）给我们发消息。",
	},
	msgSlowDown: {
		langnghe.LangVI: "Ông/bà gửi tin hơi nhanh. Xin ông/bà chờ khoảng một phút rồi gửi tiếp. Cảm ơn ông/bà.",
		langnghe.LangEN: "You are sending messages a little fast. Please wait about a minute, then go on. Thank you.",
		langnghe.LangZH: "您发送消息过快。请稍候约一分钟再继续。谢谢。",
	},
	msgNoOpinions: {
		langnghe.LangVI: "Ông/bà chưa gửi ý kiến nào. Để gửi ý kiến, xin ông/bà gõ /menu.",
		langnghe.LangEN: "You have not sent any opinion yet. To send one, type /menu.",
		langnghe.LangZH: "您尚未提交任何意见。如需提交，请输入 /menu。",
	},
	msgRestarted: {
		langnghe.LangVI: "Xin lỗi ông/bà, cuộc trò chuyện trước không thể tiếp tục vì các câu hỏi vừa được cập nhật. Xin mời ông/bà bắt đầu lại.",
		langnghe.LangEN: "Sorry, the previous conversation cannot go on because its questions have just been updated. Please start again.",
		langnghe.LangZH: "抱歉，由于问题刚刚更新，之前的对话无法继续。请重新开始。",
	},
	msgCampaignUnknown: {
		langnghe.LangVI: "Xin lỗi ông/bà, đường liên kết này không đúng hoặc không còn hiệu lực.",
		langnghe.LangEN: "Sorry, this link is not right or no longer valid.",
		langnghe.LangZH: "抱歉，此链接有误或已失效。",
	},
	// With the campaign's title and the day it opens.
	msgCampaignNotYet: {
		langnghe.LangVI: "Đợt lấy ý kiến «%s» bắt đầu nhận ý kiến từ ngày %s. Xin mời ông/bà quay lại từ ngày đó. Xin cảm ơn ông/bà đã quan tâm.",
		langnghe.LangEN: "«%s» takes opinions from %s. Please come back from that day. Thank you for your interest.",
		langnghe.LangZH: "「%s」自%s起征求意见，请届时再来。感谢您的关注。",
	},
	// With the campaign's title and its last day.
	msgCampaignClosed: {
		langnghe.LangVI: "Đợt lấy ý kiến «%s» đã kết thúc ngày %s. Xin cảm ơn ông/bà đã quan tâm.",
		langnghe.LangEN: "«%s» closed on %s. Thank you for your interest.",
		langnghe.LangZH: "「%s」已于%s结束。感谢您的关注。",
	},
	msgCampaignClosedLate: {
		langnghe.LangVI: "Xin lỗi ông/bà, đợt lấy ý kiến này vừa kết thúc nên ý kiến vừa rồi không được ghi nhận.",
		langnghe.LangEN: "Sorry, this campaign has just closed, so what you sent was not recorded.",
		langnghe.LangZH: "抱歉，本次征求意见刚刚结束，您刚才提交的内容未被记录。",
	},
	msgDataNone: {
		langnghe.LangVI: "(không có)",
		langnghe.LangEN: "(none)",
		langnghe.LangZH: "（无）",
	},
}

// statusNames are the statuses as residents read them in their list.
var statusNames = map[langnghe.Status]map[string]string{
	langnghe.StatusReceived:   {langnghe.LangVI: "đã tiếp nhận", langnghe.LangEN: "received", langnghe.LangZH: "已受理"},
	langnghe.StatusForwarded:  {langnghe.LangVI: "đã chuyển đến đơn vị có thẩm quyền", langnghe.LangEN: "forwarded to the competent office", langnghe.LangZH: "已转交有权处理的单位"},
	langnghe.StatusInProgress: {langnghe.LangVI: "đang xử lý", langnghe.LangEN: "in progress", langnghe.LangZH: "处理中"},
	langnghe.StatusExtended:   {langnghe.LangVI: "đang xử lý (đã gia hạn)", langnghe.LangEN: "in progress (time limit extended)", langnghe.LangZH: "处理中（已延期）"},
	langnghe.StatusReopened:   {langnghe.LangVI: "đang xem xét lại", langnghe.LangEN: "being looked at again", langnghe.LangZH: "重新处理中"},
	langnghe.StatusAnswered:   {langnghe.LangVI: "đã trả lời", langnghe.LangEN: "answered", langnghe.LangZH: "已答复"},
	langnghe.StatusClosed:     {langnghe.LangVI: "đã kết thúc", langnghe.LangEN: "closed", langnghe.LangZH: "已结束"},
	langnghe.StatusRejected:   {langnghe.LangVI: "không thụ lý", langnghe.LangEN: "not taken up", langnghe.LangZH: "不予受理"},
	langnghe.StatusRedirected: {langnghe.LangVI: "đã được hướng dẫn", langnghe.LangEN: "guided to the proper route", langnghe.LangZH: "已给予指引"},
	langnghe.StatusDuplicate:  {langnghe.LangVI: "trùng với ý kiến đã gửi", langnghe.LangEN: "same as an earlier opinion", langnghe.LangZH: "与已有意见重复"},
}

// dueLabels name, in the residents' list, the date an open opinion will
// be answered by.
var dueLabels = map[string]string{
	langnghe.LangVI: "hạn trả lời", langnghe.LangEN: "answer due by", langnghe.LangZH: "答复期限",
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
		if o.Status.Open() && !o.DueAt.IsZero() {
			fmt.Fprintf(&b, ", %s %s", localized(dueLabels, lang), t.date(o.DueAt))
		}
	}
	return t.send(langnghe.Message{Text: b.String()})
}

// dataLabels name what showData lists, per language.
var dataLabels = map[string]struct{ name, phone, language, account, consent, yes, no, opinions string }{
	langnghe.LangVI: {"Tên", "Điện thoại", "Ngôn ngữ", "Mã tài khoản", "Đồng ý lưu thông tin liên hệ", "có", "không", "Ý kiến đã gửi"},
	langnghe.LangEN: {"Name", "Phone", "Language", "Account number", "Consent to keep contact details", "yes", "no", "Opinions sent"},
	langnghe.LangZH: {"姓名", "电话", "语言", "账户编号", "同意保存联系方式", "是", "否", "已提交的意见"},
}

// languageNames name the language a resident chose, in their language.
var languageNames = map[string]map[string]string{
	langnghe.LangVI: {langnghe.LangVI: "Tiếng Việt", langnghe.LangEN: "Tiếng Anh", langnghe.LangZH: "Tiếng Trung"},
	langnghe.LangEN: {langnghe.LangVI: "Vietnamese", langnghe.LangEN: "English", langnghe.LangZH: "Chinese"},
	langnghe.LangZH: {langnghe.LangVI: "越南语", langnghe.LangEN: "英语", langnghe.LangZH: "中文"},
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
	language := r.Language
	if n := languageNames[lang][r.Language]; n != "" {
		language = n
	}
	fmt.Fprintf(&b, "• %s: %s\n• %s: %s\n• %s: %s\n• %s: %s", l.name, orNone(r.Name), l.phone, orNone(r.Phone),
		l.language, orNone(language), l.account, r.ExternalID)
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
