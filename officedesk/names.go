package officedesk

import (
	"strings"

	"golang.org/x/text/unicode/norm"

	"langnghe/flows/vntext"
)

// Names as Vietnamese officials read them: family name first ("Họ Đệm
// Tên", Nguyễn Thị Lan). Telegram gives a person's first and last name,
// and the channel joins them in Western order, so a resident who filled
// them in as the form asks ("Lan", "Nguyễn Thị") reaches us as "Lan
// Nguyễn Thị". The family name is recognised among the common Vietnamese
// ones and brought to the front with what follows it; a name that already
// starts with one, or has none (a foreign name, a nickname), is left as
// written.

// familyNames are common Vietnamese family names that are seldom given
// names; familyOrGiven are family names that are also common given names
// (Hoàng, Vũ, Dương, Mai...), trusted only when no name of the first list
// is found.
var (
	familyNames = vntext.WordSet("Nguyễn Trần Lê Phạm Huỳnh Phan Võ Đặng Bùi Đỗ Hồ Ngô Lý Trịnh Đinh Đoàn Tạ Quách Tôn " +
		"Triệu Thân Khổng Mạc Nông Lục")
	familyOrGiven = vntext.WordSet("Hoàng Vũ Dương Mai Đào Phùng Tô Trương Chu Hứa La Lâm Hà Thái Châu Cao Lương Lưu " +
		"Diệp Kiều Vương Tăng Từ")
)

// FamilyNameFirst returns name in Vietnamese order: "Lan Nguyễn Thị"
// becomes "Nguyễn Thị Lan", "Văn An Trần" becomes "Trần Văn An"; "Nguyễn
// Thị Lan", "John Smith" and "Bảo mật" are unchanged.
func FamilyNameFirst(name string) string {
	ws := strings.Fields(norm.NFC.String(name))
	if len(ws) < 2 {
		return strings.TrimSpace(name)
	}
	for _, known := range []map[string]bool{familyNames, familyOrGiven} {
		for i, w := range ws {
			if !known[w] {
				continue
			}
			if i == 0 {
				return strings.Join(ws, " ")
			}
			return strings.Join(append(ws[i:len(ws):len(ws)], ws[:i]...), " ")
		}
	}
	return strings.Join(ws, " ")
}
