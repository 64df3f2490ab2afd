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
		"vi": "Xin lỗi, tôi không biết lệnh này.",
		"en": "Sorry, I don't know this command.",
		"zh": "抱歉，我不认识这个命令。",
	},
	"which_area": {
		"vi": "Có nhiều nơi trùng tên. Ông/bà vui lòng chọn đúng nơi:",
		"en": "Several places have this name. Please choose the right one:",
		"zh": "有多个同名地点，请选择正确的一个：",
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
