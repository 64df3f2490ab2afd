package officedesk

import (
	"strings"

	"langnghe"
)

// What the desk says. Officials read Vietnamese or English; residents also
// Chinese, like the flows. A missing translation falls back to Vietnamese.
type textKey int

const (
	msgHelp textKey = iota
	msgInviteInvalid
	msgWelcomeOfficial
	msgUnknownCommand
	msgUsage
	msgDone
	msgReplyWhich
	msgHistory
	msgNoOpen
	msgNoOverdue
	msgDue
	msgDueBy
	msgNotifyOn
	msgNotifyOff
	msgSignInLink
	msgSignInPrivate
	msgNoConsole
	msgStaleButton
	msgChooseUnit
	msgAnswerPrompt
	msgNewOpinion
	msgForwardedOpinion
	msgReplyToAnswer
	msgCategory
	msgArea
	msgUnit
	msgContact
	msgAnonymous
	msgConfidential
	msgUnitReopened
	btnTake
	btnForward
	btnAnswer
	// Residents' texts.
	msgStatusChanged
	msgRateQuestion
	msgReasonQuestion
	msgThanksSatisfied
	msgReopened
	msgCannotRate
	btnSatisfied
	btnNotSatisfied
	btnReasonUnresolved
	btnReasonUnclear
	btnReasonLate
)

var texts = map[textKey]map[string]string{
	msgHelp: {
		langnghe.LangVI: "Lệnh cho cán bộ:\n/xem MÃ — xem ý kiến\n/danhsach — ý kiến đang mở\n/quahan — ý kiến quá hạn\n/nhan MÃ — nhận xử lý\n/chuyen MÃ ĐƠN_VỊ — chuyển đơn vị\n/giahan MÃ NGÀY/THÁNG/NĂM LÝ_DO — gia hạn\n/traloi MÃ NỘI_DUNG — trả lời người dân (hoặc trả lời ngay tin thông báo)\n/dong MÃ — kết thúc\n/tuchoi MÃ LÝ_DO — không thụ lý\n/huongdan MÃ LÝ_DO — hướng dẫn đúng trình tự\n/trung MÃ MÃ_GỐC — trùng ý kiến\n/ghichu MÃ GHI_CHÚ — ghi chú nội bộ\n/thongbao on|off — bật/tắt thông báo ý kiến mới\n/dangnhap — liên kết đăng nhập trang quản lý",
		langnghe.LangEN: "Commands for officials:\n/view CODE — show an opinion\n/open — open opinions\n/overdue — overdue opinions\n/take CODE — take it\n/forward CODE UNIT — forward to a unit\n/extend CODE DD/MM/YYYY REASON — extend\n/answer CODE TEXT — answer the resident (or reply to the notification)\n/close CODE — close\n/reject CODE REASON — not admissible\n/redirect CODE REASON — guide to the formal route\n/duplicate CODE ORIGINAL — duplicate\n/note CODE NOTE — internal note\n/notify on|off — notifications of new opinions\n/signin — a sign-in link to the web console",
	},
	msgInviteInvalid: {
		langnghe.LangVI: "Lời mời không hợp lệ, đã dùng hoặc đã hết hạn. Vui lòng xin lời mời mới.",
		langnghe.LangEN: "This invitation is invalid, used or expired. Please ask for a new one.",
	},
	msgWelcomeOfficial: {
		langnghe.LangVI: "Chào %s, tài khoản của đồng chí đã được liên kết. Đồng chí sẽ nhận thông báo ý kiến mới của đơn vị.",
		langnghe.LangEN: "Welcome %s, your account is linked. You will be notified of new opinions for your units.",
	},
	msgUnknownCommand: {
		langnghe.LangVI: "Không có lệnh /%s.",
		langnghe.LangEN: "There is no command /%s.",
	},
	msgSignInLink: {
		langnghe.LangVI: "🔐 Liên kết đăng nhập trang quản lý (dùng một lần, hết hạn sau %d phút; không chuyển cho người khác):\n%s",
		langnghe.LangEN: "🔐 Your console sign-in link (one use, expires in %d minutes; do not forward it):\n%s",
	},
	msgSignInPrivate: {
		langnghe.LangVI: "Vì an toàn, hãy gửi /dangnhap trong cuộc trò chuyện riêng với bot.",
		langnghe.LangEN: "For safety, send /signin in your private chat with the bot.",
	},
	msgNoConsole: {
		langnghe.LangVI: "Trang quản lý chưa được bật trên máy chủ này.",
		langnghe.LangEN: "The web console is not enabled on this server.",
	},
	msgUsage: {langnghe.LangVI: "Cách dùng: %s", langnghe.LangEN: "Usage: %s"},
	msgDone:  {langnghe.LangVI: "✅ %s: %s → %s", langnghe.LangEN: "✅ %s: %s → %s"},
	msgReplyWhich: {
		langnghe.LangVI: "Hãy trả lời đúng tin thông báo của một ý kiến, hoặc dùng /traloi MÃ NỘI_DUNG.",
		langnghe.LangEN: "Reply to the notification of one opinion, or use /answer CODE TEXT.",
	},
	msgHistory:   {langnghe.LangVI: "Quá trình xử lý:", langnghe.LangEN: "History:"},
	msgNoOpen:    {langnghe.LangVI: "Không có ý kiến đang mở.", langnghe.LangEN: "No open opinions."},
	msgNoOverdue: {langnghe.LangVI: "Không có ý kiến quá hạn.", langnghe.LangEN: "No overdue opinions."},
	msgDue:       {langnghe.LangVI: "hạn", langnghe.LangEN: "due"},
	msgDueBy:     {langnghe.LangVI: "Hạn xử lý", langnghe.LangEN: "Due"},
	msgNotifyOn:  {langnghe.LangVI: "Đã bật thông báo ý kiến mới.", langnghe.LangEN: "Notifications of new opinions are on."},
	msgNotifyOff: {langnghe.LangVI: "Đã tắt thông báo ý kiến mới.", langnghe.LangEN: "Notifications of new opinions are off."},
	msgStaleButton: {
		langnghe.LangVI: "Nút này không còn dùng được.",
		langnghe.LangEN: "This button no longer works.",
	},
	msgChooseUnit: {langnghe.LangVI: "Chuyển ý kiến %s cho đơn vị nào?", langnghe.LangEN: "Forward opinion %s to which unit?"},
	msgAnswerPrompt: {
		langnghe.LangVI: "Trả lời ý kiến %s: hãy trả lời (reply) tin nhắn này bằng nội dung trả lời người dân.",
		langnghe.LangEN: "Answer opinion %s: reply to this message with the answer for the resident.",
	},
	msgNewOpinion: {langnghe.LangVI: "🆕 Ý kiến mới", langnghe.LangEN: "🆕 New opinion"},
	msgForwardedOpinion: {
		langnghe.LangVI: "↪️ Ý kiến được chuyển đến đơn vị",
		langnghe.LangEN: "↪️ Opinion forwarded to your unit",
	},
	msgReplyToAnswer: {langnghe.LangVI: "Trả lời (reply) tin này để trả lời người dân.", langnghe.LangEN: "Reply to this message to answer the resident."},
	msgCategory:      {langnghe.LangVI: "Lĩnh vực", langnghe.LangEN: "Category"},
	msgArea:          {langnghe.LangVI: "Địa bàn", langnghe.LangEN: "Area"},
	msgUnit:          {langnghe.LangVI: "Đơn vị", langnghe.LangEN: "Unit"},
	msgContact:       {langnghe.LangVI: "Liên hệ", langnghe.LangEN: "Contact"},
	msgAnonymous: {
		langnghe.LangVI: "Người gửi ẩn danh: câu trả lời được gửi qua bot.",
		langnghe.LangEN: "The sender is anonymous: the answer reaches them through the bot.",
	},
	msgConfidential: {
		langnghe.LangVI: "🔒 Tố cáo – bảo mật danh tính người tố cáo",
		langnghe.LangEN: "🔒 Denunciation – the denouncer's identity is confidential",
	},
	msgUnitReopened: {
		langnghe.LangVI: "🔁 Ý kiến %s được mở lại: người dân chưa hài lòng (%s).",
		langnghe.LangEN: "🔁 Opinion %s reopened: the resident is not satisfied (%s).",
	},
	btnTake:    {langnghe.LangVI: "Nhận xử lý", langnghe.LangEN: "Take it"},
	btnForward: {langnghe.LangVI: "Chuyển", langnghe.LangEN: "Forward"},
	btnAnswer:  {langnghe.LangVI: "Trả lời", langnghe.LangEN: "Answer"},

	msgStatusChanged: {
		langnghe.LangVI: "Ý kiến %s: %s.",
		langnghe.LangEN: "Opinion %s: %s.",
		langnghe.LangZH: "意见 %s：%s。",
	},
	msgRateQuestion: {
		langnghe.LangVI: "Ông/bà có hài lòng với câu trả lời không?",
		langnghe.LangEN: "Are you satisfied with the answer?",
		langnghe.LangZH: "您对答复满意吗？",
	},
	msgReasonQuestion: {
		langnghe.LangVI: reasonMark + " Vì sao ông/bà chưa hài lòng với câu trả lời ý kiến %s? Chọn một lý do hoặc trả lời (reply) tin này.",
		langnghe.LangEN: reasonMark + " Why are you not satisfied with the answer to opinion %s? Choose a reason or reply to this message.",
		langnghe.LangZH: reasonMark + " 您为何对意见 %s 的答复不满意？请选择原因或回复此消息。",
	},
	msgThanksSatisfied: {
		langnghe.LangVI: "Cảm ơn ông/bà đã đánh giá ý kiến %s.",
		langnghe.LangEN: "Thank you for rating opinion %s.",
		langnghe.LangZH: "感谢您对意见 %s 的评价。",
	},
	msgReopened: {
		langnghe.LangVI: "Ý kiến %s đã được mở lại để đơn vị xem xét lại. Cảm ơn ông/bà.",
		langnghe.LangEN: "Opinion %s is reopened for the unit to look at again. Thank you.",
		langnghe.LangZH: "意见 %s 已重新打开，由单位重新处理。谢谢。",
	},
	msgCannotRate: {
		langnghe.LangVI: "Không thể đánh giá ý kiến này.",
		langnghe.LangEN: "This opinion cannot be rated.",
		langnghe.LangZH: "无法评价此意见。",
	},
	btnSatisfied:        {langnghe.LangVI: "😊 Hài lòng", langnghe.LangEN: "😊 Satisfied", langnghe.LangZH: "😊 满意"},
	btnNotSatisfied:     {langnghe.LangVI: "🙁 Chưa hài lòng", langnghe.LangEN: "🙁 Not satisfied", langnghe.LangZH: "🙁 不满意"},
	btnReasonUnresolved: {langnghe.LangVI: "Vấn đề chưa được giải quyết", langnghe.LangEN: "The problem is not solved", langnghe.LangZH: "问题未解决"},
	btnReasonUnclear:    {langnghe.LangVI: "Câu trả lời chưa rõ", langnghe.LangEN: "The answer is unclear", langnghe.LangZH: "答复不清楚"},
	btnReasonLate:       {langnghe.LangVI: "Trả lời quá chậm", langnghe.LangEN: "The answer came too late", langnghe.LangZH: "答复太慢"},
}

// reasonTexts are the reasons a resident picks from (see reasons); the
// Vietnamese text is what the unit reads.
var reasonTexts = map[string]textKey{
	"unresolved": btnReasonUnresolved,
	"unclear":    btnReasonUnclear,
	"late":       btnReasonLate,
}

// reasonMark starts the "why not satisfied?" question in every language, so
// a reply to it is recognised as the reason.
const reasonMark = "❓"

func isReasonQuestion(text string) bool { return strings.HasPrefix(text, reasonMark) }

func say(lang string, k textKey) string {
	m := texts[k]
	if s, ok := m[lang]; ok {
		return s
	}
	return m[langnghe.LangVI]
}
