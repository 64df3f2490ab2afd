package officedesk

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"langnghe"
)

// What the desk says. Officials read Vietnamese or English; residents also
// Chinese, like the flows. A missing translation falls back to Vietnamese.
//
// One voice: the service speaks as «chúng tôi» ("we") and addresses a
// resident as «ông/bà», an official as «đồng chí»; a resident hears which
// office did what and on which day, never an official's name. Vietnamese
// texts hold no English words (commands are Vietnamese: /thongbao bật|tắt).
type textKey int

const (
	msgHelp textKey = iota
	msgInviteInvalid
	msgWelcomeOfficial
	msgUnknownCommand
	msgUsage
	msgDone
	msgDueChange
	msgForwardedTo
	msgNoted
	msgToldResident
	msgToldIn
	msgNotTold
	msgNoResident
	msgResidentBlocked
	msgHistory
	msgNoOpen
	msgNoOverdue
	msgDue
	msgDueBy
	msgReceivedAt
	msgMap
	msgFiles
	msgNotifyOn
	msgNotifyOff
	msgSignInLink
	msgSignInPrivate
	msgNoConsole
	msgStaleButton
	msgChooseUnit
	msgAnswerPrompt
	msgWhichOpinion
	msgNoOpenToAnswer
	msgTextOnly
	msgCancelled
	msgNothingToCancel
	msgDiscarded
	msgDraftGone
	msgNewOpinion
	msgForwardedOpinion
	msgForwardedBy
	msgForwardNote
	msgAlreadyOfficial
	msgCampaignLink
	msgCampaignLinkUnknown
	msgReplyToAnswer
	msgCategory
	msgArea
	msgUnit
	msgContact
	msgAnonymous
	msgConfidential
	msgUnitReopened
	msgEarlierAnswer
	msgPrevDue
	msgReasonGiven
	msgNoReasonYet
	msgUnitReason
	btnTake
	btnForward
	btnAnswer
	btnCancel
	btnDiscard

	// Residents' texts: what happened to their opinion, which office did
	// it, and when ({code}, {date}, {unit}, {Unit} at a sentence's start,
	// {due}, {prev}, {note}, {orig}).
	updTaken
	updForwarded
	updExtended
	updExtendedPrev
	updAnswered
	updClosed
	updRejected
	updRedirected
	updDuplicate
	updNote
	updOther
	updWillAnswer
	updWillTell
	updMoreInfo
	updReason
	updThanks
	updReopened
	updReopenedDue
	updReopenedNoDue
	msgRateQuestion
	msgReasonQuestion
	msgReasonThanks
	msgThanksSatisfied
	msgAlreadySatisfied
	msgAlreadyReopened
	msgStaleRating
	msgCannotRate
	btnSatisfied
	btnNotSatisfied
	btnReasonUnresolved
	btnReasonUnclear
	btnReasonLate
)

var texts = map[textKey]map[string]string{
	msgHelp: {
		langnghe.LangVI: "Lệnh cho cán bộ:\n" +
			"/xem MÃ — xem ý kiến và quá trình xử lý\n" +
			"/danhsach — ý kiến đang mở\n" +
			"/quahan — ý kiến quá hạn\n" +
			"/nhan MÃ — nhận xử lý\n" +
			"/chuyen MÃ ĐƠN_VỊ — chuyển đơn vị khác\n" +
			"/giahan MÃ NGÀY/THÁNG/NĂM LÝ_DO — gia hạn\n" +
			"/traloi MÃ NỘI_DUNG — trả lời người dân\n" +
			"/dong MÃ — kết thúc\n" +
			"/tuchoi MÃ LÝ_DO — không thụ lý\n" +
			"/huongdan MÃ NỘI_DUNG — hướng dẫn người dân đúng trình tự\n" +
			"/trung MÃ MÃ_GỐC — trùng với ý kiến đã có\n" +
			"/ghichu MÃ GHI_CHÚ — ghi chú nội bộ (người dân không được báo)\n" +
			"/thongbao bật|tắt — bật hoặc tắt thông báo ý kiến mới\n" +
			"/dangnhap — liên kết đăng nhập trang quản lý\n\n" +
			"Trả lời người dân: bấm «Trả lời người dân» dưới thông báo ý kiến rồi nhập nội dung; hoặc cứ nhắn nội dung, hệ thống sẽ hỏi đó là trả lời cho ý kiến nào.",
		langnghe.LangEN: "Commands for officials:\n" +
			"/view CODE — an opinion and its history\n" +
			"/open — open opinions\n" +
			"/overdue — overdue opinions\n" +
			"/take CODE — take it\n" +
			"/forward CODE UNIT — forward to another unit\n" +
			"/extend CODE DD/MM/YYYY REASON — extend\n" +
			"/answer CODE TEXT — answer the resident\n" +
			"/close CODE — close\n" +
			"/reject CODE REASON — not admissible\n" +
			"/redirect CODE TEXT — guide the resident to the proper route\n" +
			"/duplicate CODE ORIGINAL — repeats an earlier opinion\n" +
			"/note CODE NOTE — internal note (the resident is not told)\n" +
			"/notify on|off — notifications of new opinions\n" +
			"/signin — a sign-in link to the web console\n\n" +
			"To answer a resident, press «Answer the resident» under the opinion's notification and type the answer; or just write the answer, and you will be asked which opinion it is for.",
	},
	msgInviteInvalid: {
		langnghe.LangVI: "Lời mời này không hợp lệ, đã được dùng hoặc đã hết hạn. Xin đồng chí đề nghị quản trị viên gửi lời mời mới.",
		langnghe.LangEN: "This invitation is invalid, used or expired. Please ask an administrator for a new one.",
	},
	msgWelcomeOfficial: {
		langnghe.LangVI: "Kính chào đồng chí %s. Tài khoản của đồng chí đã được liên kết; đồng chí sẽ nhận thông báo các ý kiến mới của đơn vị.",
		langnghe.LangEN: "Welcome, %s. Your account is linked: you will be notified of new opinions for your units.",
	},
	msgUnknownCommand: {
		langnghe.LangVI: "Không có lệnh /%s.",
		langnghe.LangEN: "There is no command /%s.",
	},
	msgSignInLink: {
		langnghe.LangVI: "🔐 Liên kết đăng nhập trang quản lý (chỉ dùng được một lần, hết hạn sau %d phút; xin không chuyển cho người khác):\n%s",
		langnghe.LangEN: "🔐 Your console sign-in link (one use, expires in %d minutes; do not pass it on):\n%s",
	},
	msgSignInPrivate: {
		langnghe.LangVI: "Vì lý do an toàn, xin đồng chí gửi /dangnhap trong cuộc trò chuyện riêng với hệ thống, không gửi trong nhóm.",
		langnghe.LangEN: "For safety, send /signin in your private chat with the bot, not in a group.",
	},
	msgNoConsole: {
		langnghe.LangVI: "Trang quản lý chưa được bật trên máy chủ này.",
		langnghe.LangEN: "The web console is not enabled on this server.",
	},
	msgUsage: {langnghe.LangVI: "Cách dùng: %s", langnghe.LangEN: "Usage: %s"},
	msgDone:  {langnghe.LangVI: "✅ %s: %s → %s", langnghe.LangEN: "✅ %s: %s → %s"},
	msgForwardedTo: {
		langnghe.LangVI: "✅ %s: Đã chuyển đơn vị → %s",
		langnghe.LangEN: "✅ %s: Forwarded → %s",
	},
	msgDueChange: {
		langnghe.LangVI: "Hạn trả lời: %s → %s",
		langnghe.LangEN: "Due: %s → %s",
	},
	msgNoted: {
		langnghe.LangVI: "✅ Đã ghi chú vào ý kiến %s.",
		langnghe.LangEN: "✅ Note added to opinion %s.",
	},
	msgToldResident: {
		langnghe.LangVI: "Người dân đã được báo%s:",
		langnghe.LangEN: "The resident was told%s:",
	},
	msgToldIn: {
		langnghe.LangVI: " (bằng %s)",
		langnghe.LangEN: " (in %s)",
	},
	msgNotTold: {
		langnghe.LangVI: "Ghi chú nội bộ: người dân không được báo.",
		langnghe.LangEN: "Internal: the resident was not told.",
	},
	msgNoResident: {
		langnghe.LangVI: "Người dân đã yêu cầu xóa dữ liệu cá nhân nên không còn nhận được tin qua hệ thống; người dân không được báo.",
		langnghe.LangEN: "The resident had their personal data deleted and can no longer be reached here: they were not told.",
	},
	msgResidentBlocked: {
		langnghe.LangVI: "⚠️ Người dân đã chặn tin nhắn của hệ thống nên có thể không nhận được tin này.",
		langnghe.LangEN: "⚠️ The resident has blocked the bot, so this may not reach them.",
	},
	msgHistory:    {langnghe.LangVI: "Quá trình xử lý:", langnghe.LangEN: "History:"},
	msgNoOpen:     {langnghe.LangVI: "Không có ý kiến nào đang mở.", langnghe.LangEN: "No open opinions."},
	msgNoOverdue:  {langnghe.LangVI: "Không có ý kiến nào quá hạn.", langnghe.LangEN: "No overdue opinions."},
	msgDue:        {langnghe.LangVI: "hạn", langnghe.LangEN: "due"},
	msgDueBy:      {langnghe.LangVI: "Hạn xử lý", langnghe.LangEN: "Due"},
	msgReceivedAt: {langnghe.LangVI: "Tiếp nhận", langnghe.LangEN: "Received"},
	msgMap:        {langnghe.LangVI: "Vị trí người dân gửi", langnghe.LangEN: "Location the resident shared"},
	msgFiles: {
		langnghe.LangVI: "Ảnh, tệp kèm theo: %d (xem trên trang quản lý)",
		langnghe.LangEN: "Photos and files: %d (see the web console)",
	},
	msgNotifyOn:  {langnghe.LangVI: "Đã bật thông báo ý kiến mới.", langnghe.LangEN: "Notifications of new opinions are on."},
	msgNotifyOff: {langnghe.LangVI: "Đã tắt thông báo ý kiến mới.", langnghe.LangEN: "Notifications of new opinions are off."},
	msgStaleButton: {
		langnghe.LangVI: "Nút này không còn dùng được.",
		langnghe.LangEN: "This button no longer works.",
	},
	msgChooseUnit: {langnghe.LangVI: "Chuyển ý kiến %s cho đơn vị nào?", langnghe.LangEN: "Forward opinion %s to which unit?"},
	msgAnswerPrompt: {
		langnghe.LangVI: "✍️ Mời đồng chí nhập nội dung trả lời ý kiến %s. Tin nhắn tiếp theo của đồng chí (trong vòng %d phút) sẽ được gửi ngay cho người dân, kèm tên đơn vị và ngày trả lời.",
		langnghe.LangEN: "✍️ Type your answer to opinion %s. Your next message (within %d minutes) goes straight to the resident, with your unit's name and the date.",
	},
	msgWhichOpinion: {
		langnghe.LangVI: "✉️ Tin nhắn của đồng chí chưa được gửi cho ai:\n«%s»\n\nĐây là câu trả lời cho ý kiến nào? Bấm vào ý kiến để gửi ngay nội dung trên cho người dân (các ý kiến đang mở, hạn gần nhất trước). Hoặc dùng /traloi MÃ NỘI_DUNG.",
		langnghe.LangEN: "✉️ Your message has not been sent to anyone:\n“%s”\n\nWhich opinion does it answer? Press one to send the text above to its resident now (open opinions, the earliest due first). Or use /answer CODE TEXT.",
	},
	msgNoOpenToAnswer: {
		langnghe.LangVI: "✉️ Tin nhắn của đồng chí chưa được gửi cho ai: hiện không có ý kiến nào đang mở để trả lời.\n\nĐể trả lời người dân, bấm «Trả lời người dân» dưới thông báo ý kiến rồi nhập nội dung, hoặc dùng /traloi MÃ NỘI_DUNG. Gửi /trogiup để xem các lệnh.",
		langnghe.LangEN: "✉️ Your message has not been sent to anyone: there is no open opinion to answer.\n\nTo answer a resident, press «Answer the resident» under the opinion's notification and type the answer, or use /answer CODE TEXT. Send /help for the commands.",
	},
	msgTextOnly: {
		langnghe.LangVI: "Hiện hệ thống chỉ chuyển được câu trả lời bằng chữ cho người dân; ảnh, tệp hay vị trí đồng chí vừa gửi chưa được chuyển cho ai.",
		langnghe.LangEN: "Only written answers can be passed on to residents: the photo, file or location you sent has not been passed on to anyone.",
	},
	msgCancelled: {
		langnghe.LangVI: "Đã hủy: tin nhắn tiếp theo của đồng chí sẽ không được gửi cho người dân.",
		langnghe.LangEN: "Cancelled: your next message will not be sent to the resident.",
	},
	msgNothingToCancel: {
		langnghe.LangVI: "Không có câu trả lời nào đang chờ gửi.",
		langnghe.LangEN: "No answer was waiting to be sent.",
	},
	msgDiscarded: {
		langnghe.LangVI: "Đã bỏ tin nhắn; không có gì được gửi cho người dân.",
		langnghe.LangEN: "Discarded: nothing was sent to the resident.",
	},
	msgDraftGone: {
		langnghe.LangVI: "Tin nhắn này đã được gửi hoặc đã bỏ trước đó; không gửi lại.",
		langnghe.LangEN: "That message was already sent or discarded; it was not sent again.",
	},
	msgNewOpinion: {langnghe.LangVI: "🆕 Ý kiến mới", langnghe.LangEN: "🆕 New opinion"},
	msgForwardedOpinion: {
		langnghe.LangVI: "↪️ Ý kiến được chuyển đến đơn vị của đồng chí",
		langnghe.LangEN: "↪️ Opinion forwarded to your unit",
	},
	msgForwardedBy: {
		langnghe.LangVI: "Người chuyển: %s, ngày %s.",
		langnghe.LangEN: "Forwarded by %s on %s.",
	},
	msgForwardNote: {
		langnghe.LangVI: "Ghi chú kèm theo: %s",
		langnghe.LangEN: "Their note: %s",
	},
	msgAlreadyOfficial: {
		langnghe.LangVI: "⚠️ Tài khoản Telegram này đã được liên kết với một cán bộ, nên lời mời chưa được dùng. Nếu cần đổi quyền hoặc đơn vị, xin đồng chí liên hệ quản trị viên.",
		langnghe.LangEN: "⚠️ This Telegram account is already linked to an official, so the invitation was not used. To change your role or units, please ask an administrator.",
	},
	// With the campaign's kind and title.
	msgCampaignLink: {
		langnghe.LangVI: "Đây là đường liên kết của %s «%s» dành cho người dân. Tài khoản Telegram này là tài khoản cán bộ nên không tham gia trả lời như người dân (ý kiến của cán bộ cũng không được tính vào kết quả). Đồng chí xem câu hỏi, kết quả và áp phích của đợt trên cổng cán bộ, mục «Lấy ý kiến» (gõ /dangnhap để nhận đường dẫn đăng nhập). Để thử cuộc trò chuyện như người dân, xin dùng một tài khoản Telegram khác.",
		langnghe.LangEN: "This is the residents' link of the %s «%s». This Telegram account is an official's, so it does not answer as a resident (nor would an official's answers count in the results). See the campaign's questions, results and poster in the web console, under «Campaigns» (type /signin for a sign-in link). To try the conversation as a resident, use another Telegram account.",
	},
	msgCampaignLinkUnknown: {
		langnghe.LangVI: "Đường liên kết đợt lấy ý kiến này không đúng hoặc không còn hiệu lực. Đồng chí xem các đợt lấy ý kiến trên cổng cán bộ (gõ /dangnhap để nhận đường dẫn đăng nhập).",
		langnghe.LangEN: "This campaign link is not right or no longer valid. See the campaigns in the web console (type /signin for a sign-in link).",
	},
	msgReplyToAnswer: {
		langnghe.LangVI: "Để trả lời người dân: bấm «Trả lời người dân» rồi nhập nội dung.",
		langnghe.LangEN: "To answer the resident: press «Answer the resident» and type the answer.",
	},
	msgCategory: {langnghe.LangVI: "Lĩnh vực", langnghe.LangEN: "Category"},
	msgArea:     {langnghe.LangVI: "Địa bàn", langnghe.LangEN: "Area"},
	msgUnit:     {langnghe.LangVI: "Đơn vị", langnghe.LangEN: "Unit"},
	msgContact:  {langnghe.LangVI: "Liên hệ", langnghe.LangEN: "Contact"},
	msgAnonymous: {
		langnghe.LangVI: "Người gửi ẩn danh: câu trả lời đến người dân qua hệ thống.",
		langnghe.LangEN: "The sender is anonymous: the answer reaches them through the bot.",
	},
	msgConfidential: {
		langnghe.LangVI: "🔒 Tố cáo – bảo mật danh tính người tố cáo",
		langnghe.LangEN: "🔒 Denunciation – the denouncer's identity is confidential",
	},
	msgUnitReopened: {
		langnghe.LangVI: "🔁 Ý kiến {code} được mở lại ngày {date}: người dân chưa hài lòng với câu trả lời ngày {answered}. Hạn trả lời mới: {due}.",
		langnghe.LangEN: "🔁 Opinion {code} was reopened on {date}: the resident is not satisfied with the answer of {answered}. New due date: {due}.",
	},
	msgPrevDue: {
		langnghe.LangVI: "(Hạn trước: %s.)",
		langnghe.LangEN: "(It was due %s.)",
	},
	msgEarlierAnswer: {
		langnghe.LangVI: "Câu trả lời trước:\n«%s»",
		langnghe.LangEN: "The earlier answer:\n“%s”",
	},
	msgReasonGiven: {
		langnghe.LangVI: "Lý do người dân nêu: %s",
		langnghe.LangEN: "The resident's reason: %s",
	},
	msgNoReasonYet: {
		langnghe.LangVI: "Người dân chưa nêu lý do; hệ thống đã hỏi và sẽ báo đồng chí khi có.",
		langnghe.LangEN: "The resident has not given a reason yet; they were asked, and you will be told when they do.",
	},
	msgUnitReason: {
		langnghe.LangVI: "💬 Lý do người dân chưa hài lòng với câu trả lời ý kiến {code}:\n«{note}»\nHạn trả lời: {due}.",
		langnghe.LangEN: "💬 Why the resident is not satisfied with the answer to opinion {code}:\n“{note}”\nDue: {due}.",
	},
	btnTake:    {langnghe.LangVI: "Nhận xử lý", langnghe.LangEN: "Take it"},
	btnForward: {langnghe.LangVI: "Chuyển đơn vị", langnghe.LangEN: "Forward to a unit"},
	btnAnswer:  {langnghe.LangVI: "Trả lời người dân", langnghe.LangEN: "Answer the resident"},
	btnCancel:  {langnghe.LangVI: "Hủy", langnghe.LangEN: "Cancel"},
	btnDiscard: {langnghe.LangVI: "Không gửi", langnghe.LangEN: "Don't send"},

	updTaken: {
		langnghe.LangVI: "Ý kiến {code} của ông/bà đã được {unit} nhận xử lý ngày {date}.",
		langnghe.LangEN: "Your opinion {code} was taken up by {unit} on {date}.",
		langnghe.LangZH: "您的意见 {code} 已于 {date} 由{unit}受理。",
	},
	updForwarded: {
		langnghe.LangVI: "Ngày {date}, ý kiến {code} của ông/bà đã được chuyển đến {unit} là đơn vị có thẩm quyền giải quyết.",
		langnghe.LangEN: "On {date}, your opinion {code} was forwarded to {unit}, the office competent to resolve it.",
		langnghe.LangZH: "{date}，您的意见 {code} 已转交有权处理的单位：{unit}。",
	},
	updExtended: {
		langnghe.LangVI: "Ý kiến {code} của ông/bà cần thêm thời gian để {unit} xem xét, giải quyết. Ngày {date}, thời hạn trả lời đã được gia hạn đến ngày {due}{prev}.",
		langnghe.LangEN: "Your opinion {code} needs more time for {unit} to consider and resolve it. On {date}, the time limit for our answer was extended to {due}{prev}.",
		langnghe.LangZH: "{Unit}需要更多时间研究处理您的意见 {code}。{date}，答复期限已延长至 {due}{prev}。",
	},
	updExtendedPrev: {
		langnghe.LangVI: " (hạn trước đây là ngày {prev})",
		langnghe.LangEN: " (it was {prev})",
		langnghe.LangZH: "（原期限为 {prev}）",
	},
	updAnswered: {
		langnghe.LangVI: "Ngày {date}, {unit} đã trả lời ý kiến {code} của ông/bà như sau:\n\n{note}",
		langnghe.LangEN: "On {date}, {unit} answered your opinion {code}:\n\n{note}",
		langnghe.LangZH: "{date}，{unit}对您的意见 {code} 答复如下：\n\n{note}",
	},
	updClosed: {
		langnghe.LangVI: "Ngày {date}, {unit} đã kết thúc xử lý ý kiến {code} của ông/bà.",
		langnghe.LangEN: "On {date}, {unit} closed the handling of your opinion {code}.",
		langnghe.LangZH: "{date}，{unit}已结束处理您的意见 {code}。",
	},
	updRejected: {
		langnghe.LangVI: "Ngày {date}, {unit} thông báo không thụ lý ý kiến {code} của ông/bà.",
		langnghe.LangEN: "On {date}, {unit} decided that your opinion {code} cannot be taken up.",
		langnghe.LangZH: "{date}，{unit}决定不予受理您的意见 {code}。",
	},
	updRedirected: {
		langnghe.LangVI: "Ngày {date}, {unit} hướng dẫn ông/bà về ý kiến {code} như sau:\n\n{note}",
		langnghe.LangEN: "On {date}, {unit} sent you the following guidance on your opinion {code}:\n\n{note}",
		langnghe.LangZH: "{date}，{unit}就您的意见 {code} 作出如下指引：\n\n{note}",
	},
	updDuplicate: {
		langnghe.LangVI: "Ngày {date}, {unit} xác định ý kiến {code} của ông/bà trùng nội dung với ý kiến {orig} đã được tiếp nhận trước đó. Ý kiến của ông/bà sẽ được xem xét, giải quyết cùng với ý kiến {orig}.",
		langnghe.LangEN: "On {date}, {unit} found that your opinion {code} raises the same matter as opinion {orig}, received earlier. Yours will be dealt with together with {orig}.",
		langnghe.LangZH: "{date}，{unit}确认您的意见 {code} 与此前已受理的意见 {orig} 内容相同，将与意见 {orig} 一并研究处理。",
	},
	updNote: {
		langnghe.LangVI: "Ngày {date}, {unit} thông tin thêm về ý kiến {code} của ông/bà:\n\n{note}",
		langnghe.LangEN: "On {date}, {unit} sent more information about your opinion {code}:\n\n{note}",
		langnghe.LangZH: "{date}，{unit}就您的意见 {code} 补充说明如下：\n\n{note}",
	},
	updOther: {
		langnghe.LangVI: "Ngày {date}, ý kiến {code} của ông/bà chuyển sang trạng thái: {status}.",
		langnghe.LangEN: "On {date}, your opinion {code} became: {status}.",
		langnghe.LangZH: "{date}，您的意见 {code} 的状态变为：{status}。",
	},
	updWillAnswer: {
		langnghe.LangVI: "Chúng tôi sẽ trả lời ông/bà chậm nhất ngày {due}.",
		langnghe.LangEN: "We will answer you by {due} at the latest.",
		langnghe.LangZH: "我们将最迟于 {due} 答复您。",
	},
	updWillTell: {
		langnghe.LangVI: "Chúng tôi sẽ báo ông/bà ngay khi có kết quả.",
		langnghe.LangEN: "We will let you know as soon as there is a result.",
		langnghe.LangZH: "一有结果，我们会立即通知您。",
	},
	updMoreInfo: {langnghe.LangVI: "Thông tin thêm: ", langnghe.LangEN: "More information: ", langnghe.LangZH: "补充说明："},
	updReason:   {langnghe.LangVI: "Lý do: ", langnghe.LangEN: "Reason: ", langnghe.LangZH: "原因："},
	updThanks: {
		langnghe.LangVI: "Cảm ơn ông/bà đã đóng góp ý kiến.",
		langnghe.LangEN: "Thank you for sharing your opinion with us.",
		langnghe.LangZH: "感谢您提出宝贵意见。",
	},
	updReopened: {
		langnghe.LangVI: "🔁 Chúng tôi đã mở lại ý kiến {code} ngày {date} vì ông/bà chưa hài lòng với câu trả lời.",
		langnghe.LangEN: "🔁 We reopened your opinion {code} on {date} because you are not satisfied with the answer.",
		langnghe.LangZH: "🔁 由于您对答复不满意，我们已于 {date} 重新打开您的意见 {code}。",
	},
	updReopenedDue: {
		langnghe.LangVI: "{Unit} sẽ xem xét lại và trả lời ông/bà chậm nhất ngày {due}.",
		langnghe.LangEN: "{Unit} will look into it again and answer you by {due} at the latest.",
		langnghe.LangZH: "{Unit}将重新研究，并最迟于 {due} 答复您。",
	},
	updReopenedNoDue: {
		langnghe.LangVI: "{Unit} sẽ xem xét lại và báo ông/bà ngay khi có kết quả.",
		langnghe.LangEN: "{Unit} will look into it again and let you know as soon as there is a result.",
		langnghe.LangZH: "{Unit}将重新研究，一有结果即通知您。",
	},
	msgRateQuestion: {
		langnghe.LangVI: "Ông/bà có hài lòng với câu trả lời này không? Xin ông/bà bấm một nút bên dưới.",
		langnghe.LangEN: "Are you satisfied with this answer? Please press one of the buttons below.",
		langnghe.LangZH: "您对此答复满意吗？请点击下方按钮。",
	},
	msgReasonQuestion: {
		langnghe.LangVI: reasonMark + " Để việc xem xét lại đúng điều ông/bà còn băn khoăn, xin ông/bà cho biết vì sao chưa hài lòng: chọn một lý do bên dưới, hoặc nhắn lý do bằng lời của ông/bà.",
		langnghe.LangEN: reasonMark + " So that it is looked at again where it matters to you, please tell us why you are not satisfied: choose a reason below, or write it in your own words.",
		langnghe.LangZH: reasonMark + " 为了有针对性地重新处理，请告诉我们您不满意的原因：选择下方的一个原因，或直接输入您的理由。",
	},
	msgReasonThanks: {
		langnghe.LangVI: "Chúng tôi đã chuyển lý do ông/bà nêu về ý kiến {code} đến {unit}: «{note}». Cảm ơn ông/bà.",
		langnghe.LangEN: "We have passed your reason about opinion {code} on to {unit}: “{note}”. Thank you.",
		langnghe.LangZH: "我们已将您关于意见 {code} 的理由转交{unit}：“{note}”。谢谢。",
	},
	msgThanksSatisfied: {
		langnghe.LangVI: "Cảm ơn ông/bà đã cho biết ông/bà hài lòng với câu trả lời ý kiến {code}.",
		langnghe.LangEN: "Thank you for letting us know you are satisfied with the answer to opinion {code}.",
		langnghe.LangZH: "感谢您告知对意见 {code} 的答复感到满意。",
	},
	msgAlreadySatisfied: {
		langnghe.LangVI: "Ông/bà đã cho biết hài lòng với câu trả lời ý kiến {code}. Cảm ơn ông/bà.",
		langnghe.LangEN: "You have already told us you are satisfied with the answer to opinion {code}. Thank you.",
		langnghe.LangZH: "您已表示对意见 {code} 的答复满意。谢谢。",
	},
	msgAlreadyReopened: {
		langnghe.LangVI: "Ý kiến {code} đã được mở lại theo đánh giá chưa hài lòng của ông/bà.",
		langnghe.LangEN: "Your opinion {code} has already been reopened because you were not satisfied.",
		langnghe.LangZH: "您的意见 {code} 已因您不满意而重新打开。",
	},
	msgStaleRating: {
		langnghe.LangVI: "Nút này thuộc câu trả lời trước đây của ý kiến {code}. Ý kiến đã có câu trả lời mới ngày {date}; xin ông/bà đánh giá bằng các nút dưới câu trả lời mới đó.",
		langnghe.LangEN: "This button belongs to an earlier answer to opinion {code}. It was answered again on {date}; please rate that answer with the buttons under it.",
		langnghe.LangZH: "此按钮属于意见 {code} 之前的答复。该意见已于 {date} 重新答复，请使用新答复下方的按钮进行评价。",
	},
	msgCannotRate: {
		langnghe.LangVI: "Xin lỗi ông/bà, ý kiến này hiện không thể đánh giá.",
		langnghe.LangEN: "Sorry, this opinion cannot be rated now.",
		langnghe.LangZH: "抱歉，此意见目前无法评价。",
	},
	btnSatisfied:        {langnghe.LangVI: "😊 Hài lòng", langnghe.LangEN: "😊 Satisfied", langnghe.LangZH: "😊 满意"},
	btnNotSatisfied:     {langnghe.LangVI: "🙁 Chưa hài lòng", langnghe.LangEN: "🙁 Not satisfied", langnghe.LangZH: "🙁 不满意"},
	btnReasonUnresolved: {langnghe.LangVI: "Vấn đề vẫn chưa được giải quyết", langnghe.LangEN: "The problem is still not solved", langnghe.LangZH: "问题仍未解决"},
	btnReasonUnclear:    {langnghe.LangVI: "Câu trả lời chưa rõ ràng", langnghe.LangEN: "The answer is not clear", langnghe.LangZH: "答复不够清楚"},
	btnReasonLate:       {langnghe.LangVI: "Trả lời quá chậm", langnghe.LangEN: "The answer came too late", langnghe.LangZH: "答复太迟"},
}

// reasonTexts are the reasons a resident picks from (see reasons); the
// Vietnamese text is what the unit reads.
var reasonTexts = map[string]textKey{
	"unresolved": btnReasonUnresolved,
	"unclear":    btnReasonUnclear,
	"late":       btnReasonLate,
}

// reasonMark is in the "why not satisfied?" question in every language,
// so a reply to it is recognised as the reason.
const reasonMark = "❓"

func isReasonQuestion(text string) bool { return strings.Contains(text, reasonMark) }

func say(lang string, k textKey) string {
	m := texts[k]
	if s, ok := m[lang]; ok {
		return s
	}
	return m[langnghe.LangVI]
}

// fill replaces the {name} placeholders of s with vars; {Unit} is {unit}
// with a capital first letter, for the start of a sentence.
func fill(s string, vars map[string]string) string {
	if u, ok := vars["unit"]; ok {
		vars["Unit"] = capitalize(u)
	}
	pairs := make([]string, 0, 2*len(vars))
	for k, v := range vars {
		pairs = append(pairs, "{"+k+"}", v)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// languageNames name a resident's language in the official's.
var languageNames = map[string]map[string]string{
	langnghe.LangVI: {langnghe.LangVI: "tiếng Việt", langnghe.LangEN: "tiếng Anh", langnghe.LangZH: "tiếng Trung"},
	langnghe.LangEN: {langnghe.LangVI: "Vietnamese", langnghe.LangEN: "English", langnghe.LangZH: "Chinese"},
}

// dayIn writes a date as a reader of lang writes it, in tz: 05/03/2026,
// 5 March 2026, 2026年3月5日.
func dayIn(t time.Time, lang string, tz *time.Location) string {
	t = t.In(tz)
	switch lang {
	case langnghe.LangEN:
		return t.Format("2 January 2006")
	case langnghe.LangZH:
		return t.Format("2006年1月2日")
	}
	return t.Format("02/01/2006")
}

// unitIn is a unit's name as a sentence of lang names it: "the Medical
// Centre" in English; "" (no unit known yet) is the office in charge.
func unitIn(name, lang string) string {
	switch {
	case name == "" && lang == langnghe.LangEN:
		return "the office in charge"
	case name == "" && lang == langnghe.LangZH:
		return "主管部门"
	case name == "":
		return "bộ phận phụ trách"
	case lang == langnghe.LangEN:
		if len(name) > 4 && strings.EqualFold(name[:4], "the ") {
			name = name[4:]
		}
		return "the " + name
	}
	return name
}
