package console

import "fmt"

// AddVietnamese adds interface strings (English → Vietnamese) for pages of
// the console and of packages it mounts (the studio); each page keeps its
// strings beside it and adds them at init. The same string translated two
// ways is a programming error, caught at start.
func AddVietnamese(m map[string]string) {
	for en, vi := range m {
		if old, ok := vietnamese[en]; ok && old != vi {
			panic(fmt.Sprintf("console: %q is translated both %q and %q", en, old, vi))
		}
		vietnamese[en] = vi
	}
}

// vietnamese translates the console's interface strings, keyed by their
// English text. Pages write {{.L.T "Inbox"}}; a key missing here shows in
// English.
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
