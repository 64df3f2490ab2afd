package console

// vietnamese translates the console's interface strings, keyed by their
// English text. Pages write {{.L.T "Inbox"}}; a key missing here shows in
// English, and TestEveryStringIsTranslated lists the ones templates use.
var vietnamese = map[string]string{
	"Officials' console":   "Cổng cán bộ",
	"Inbox":                "Hộp thư ý kiến",
	"Reports":              "Báo cáo",
	"Studio":               "Soạn kịch bản",
	"Sign out":             "Đăng xuất",
	"Something went wrong": "Có lỗi xảy ra",
	"Back to the inbox":    "Về hộp thư",
	"Signed in as":         "Đăng nhập với tên",
	"Board":                "Ban Dân vận",
	"Unit":                 "Đơn vị",
	"Admin":                "Quản trị",
	"Skip to content":      "Đến nội dung chính",
	"Language":             "Ngôn ngữ",
}
