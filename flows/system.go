package flows

// systemTexts are the few things the engine itself says, outside any flow:
// when a conversation is cancelled, when a flow is broken, when a command
// is unknown, and the default labels of yes/no buttons.
var systemTexts = map[string]map[string]string{
	"cancelled": {
		"vi": "Đã hủy. Ông/bà có thể bắt đầu lại bất cứ lúc nào bằng lệnh /menu.",
		"en": "Cancelled. You can start again at any time with /menu.",
		"zh": "已取消。您可以随时通过 /menu 重新开始。",
	},
	"broken": {
		"vi": "Xin lỗi ông/bà, hệ thống đang gặp trục trặc. Xin ông/bà vui lòng thử lại sau bằng lệnh /menu.",
		"en": "Sorry, something went wrong on our side. Please try again later with /menu.",
		"zh": "抱歉，系统出现故障。请稍后通过 /menu 重试。",
	},
	"unknown_command": {
		"vi": "Xin lỗi, chúng tôi không có lệnh này.",
		"en": "Sorry, we don't have this command.",
		"zh": "抱歉，我不认识这个命令。",
	},
	"which_area": {
		"vi": "Có nhiều nơi trùng tên. Ông/bà vui lòng chọn đúng nơi:",
		"en": "Several places have this name. Please choose the right one:",
		"zh": "有多个同名地点，请选择正确的一个：",
	},
	"emergency_call": {
		"vi": "🚨 Ông/bà hãy gọi ngay %s (%s).",
		"en": "🚨 Call %s now (%s).",
		"zh": "🚨 请立即拨打 %s（%s）。",
	},
	"emergency_any": {
		"vi": "🚨 Nếu có nguy hiểm, ông/bà hãy gọi ngay:",
		"en": "🚨 If someone is in danger, call now:",
		"zh": "🚨 如有危险，请立即拨打：",
	},
	"emergency_others": {
		"vi": "Các số khẩn cấp khác:",
		"en": "Other emergency numbers:",
		"zh": "其他紧急电话：",
	},
	"emergency_fire":    {"vi": "cứu hỏa, cứu nạn cứu hộ", "en": "fire and rescue", "zh": "消防救援"},
	"emergency_medical": {"vi": "cấp cứu y tế", "en": "ambulance", "zh": "急救"},
	"emergency_crime":   {"vi": "công an", "en": "police", "zh": "警察"},
	"emergency_rescue":  {"vi": "tìm kiếm cứu nạn", "en": "search and rescue", "zh": "搜救"},
	"emergency_hotline": {
		"vi": "Đường dây nóng của địa phương: %s.",
		"en": "Local hotline: %s.",
		"zh": "当地热线：%s。",
	},
	"emergency_recorded": {
		"vi": "Tin nhắn này cũng được chuyển ngay cho cán bộ trực của địa phương, nhưng họ có thể không đọc kịp: hãy gọi điện.",
		"en": "This message is also passed at once to the local officials on duty, but they may not read it in time: please call.",
		"zh": "此消息也已立即转给当地值班人员，但他们可能无法及时看到：请打电话。",
	},
	"emergency_go_on": {
		"vi": "Nếu không có gì khẩn cấp, ông/bà có thể tiếp tục:",
		"en": "If it is not an emergency, you can go on:",
		"zh": "如果不是紧急情况，您可以继续：",
	},
	"confirm_cancel": {
		"vi": "Ông/bà muốn hủy, không gửi ý kiến này nữa ạ? Nếu ông/bà lo ngại bị ảnh hưởng, ông/bà có thể gửi ẩn danh: cơ quan giải quyết sẽ không biết ông/bà là ai.",
		"en": "Do you want to cancel and not send this opinion? If you are worried about consequences, you can send it anonymously: the handling office will not know who you are.",
		"zh": "您要取消、不再提交此意见吗？如果您担心受到影响，可以匿名提交：处理部门将不会知道您的身份。",
	},
	"nothing_to_cancel": {
		"vi": "Hiện không có ý kiến nào đang soạn dở, nên không có gì được gửi đi.",
		"en": "There is no opinion in progress, so nothing has been sent.",
		"zh": "目前没有正在填写的意见，因此没有发送任何内容。",
	},
	"cancel_yes": {"vi": "Hủy, không gửi", "en": "Cancel, don't send", "zh": "取消，不提交"},
	"cancel_no":  {"vi": "Tiếp tục", "en": "Go on", "zh": "继续"},
	"go_on": {
		"vi": "Mời ông/bà tiếp tục:",
		"en": "Let us go on:",
		"zh": "请继续：",
	},
	"former_area": {
		"vi": "Có phải %s không ạ? Bấm để xác nhận, hoặc gõ lại tên nơi xảy ra sự việc.",
		"en": "Do you mean %s? Tap to confirm, or type the place again.",
		"zh": "您是指 %s 吗？请点击确认，或重新输入地点。",
	},
	"yes": {"vi": "Có", "en": "Yes", "zh": "是"},
	"no":  {"vi": "Không", "en": "No", "zh": "否"},
}

// systemText returns the engine's text key in lang, falling back to
// Vietnamese.
func systemText(key, lang string) string {
	if s, ok := systemTexts[key][lang]; ok {
		return s
	}
	return systemTexts[key]["vi"]
}
