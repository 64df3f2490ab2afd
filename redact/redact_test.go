package redact_test

import (
	"strings"
	"testing"

	"langnghe/redact"
)

func TestTextHidesIdentifiers(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// Phones, however they are written.
		{"gọi 0912345678 nhé", "gọi […] nhé"},
		{"gọi 0912 345 678", "gọi […]"},
		{"gọi (091) 234 5678 buổi tối", "gọi […] buổi tối"},
		{"số 0912/345/678.", "số […]."},
		{"số 0912 - 345 - 678, cảm ơn", "số […], cảm ơn"},
		{"số 0912-345-678", "số […]"},
		{"số 0912.345.678 hoặc 091.234.5678", "số […] hoặc […]"},
		{"số 0912.345 678", "số […]"},
		{"+84 (91) 2345678 là số tôi", "[…] là số tôi"},
		{"+84 912 345 678 hoặc 84912345678", "[…] hoặc […]"},
		{"+84912345678", "[…]"},
		{"+84 (0) 912 345 678", "[…]"},
		{"(+84) 912 345 678", "[…]"},
		{"Zalo: ０９１２３４５６７８", "Zalo: […]"},
		{"Zalo: ０９１２ ３４５ ６７８", "Zalo: […]"},
		{"số bàn 0274.3561.234", "số bàn […]"},
		{"số bàn 028 3822 1234", "số bàn […]"},
		{"gọi 0912–345–678", "gọi […]"},
		{"0912345678 0987654321", "[…] […]"},
		{"gọi 0912345678 2 lần", "gọi […] 2 lần"},
		{"gọi 0912345678 12 lần", "gọi […] 12 lần"},
		{"gọi 912 345 678", "gọi […]"},
		{"+1 415 555 0100", "[…]"},
		{"sdt:0912345678", "sdt:[…]"},
		// E-mail addresses and Telegram user names.
		{"mail bich.tran@example.vn giúp", "mail […] giúp"},
		{"mail thư@ủy-ban.gov.vn", "mail […]"},
		{"hung @ gmail.com nhé", "[…] nhé"},
		{"hung(at)gmail.com", "[…]"},
		{"hung [at] gmail [dot] com", "[…]"},
		{"HUNG@GMAIL.COM", "[…]"},
		{"ｈｕｎｇ＠ｇｍａｉｌ．ｃｏｍ", "[…]"},
		{"nhắn @hung_nguyen trên Telegram", "nhắn […] trên Telegram"},
		// Citizen ID numbers, old and new, with dots or spaces.
		{"CCCD 079203001234", "CCCD […]"},
		{"CCCD 079.203.001.234", "CCCD […]"},
		{"CCCD 079 203 001 234 cấp ngày 12/05/2021", "CCCD […] cấp ngày 12/05/2021"},
		{"CCCD ０７９２０３００１２３４", "CCCD […]"},
		{"CMND 271234567", "CMND […]"},
		{"CMND 025.123.456", "CMND […]"},
		{"CMND 271 234 567", "CMND […]"},
	} {
		if got := redact.Text(tc.in); got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTextKeepsWhatIsNotPersonal(t *testing.T) {
	for _, in := range []string{
		"từ 12/05/2026, nộp 1.500.000 đồng năm 2025",
		"ngày 12-05-2026 và 12.05.2026, lúc 07:30",
		"phí 2.500.000 đồng, phạt 25.000.000đ, dự án 250.000.000 đồng",
		"dự án 1.250.000.000 đồng và 1.000.000.000.000 đồng",
		"bồi thường 250000000 đồng cho 120 hộ",
		"giá 1,200,000 VND",
		"như ý kiến DT-2026-000123 và HCM-2025-001234",
		"nhà số 12, hẻm 123/45/6 đường 30/4, ấp 3",
		"tăng 12,5% so với 2024, giảm 15 %",
		"giai đoạn 2020 - 2025, 2019 2020 2021",
		"đường dây nóng 1900 1234 và 113, 114, 115",
		"Quyết định số 1234/QĐ-UBND ngày 5/3/2026",
		"diện tích 120,5 m2, thửa số 345 tờ bản đồ 12",
		"hẹn lúc 9h, gặp anh Hùng tại UBND xã",
		"email không có: hung at home. Then we met",
		"Văn bản 2026/05/12 số 77",
		"tọa độ 11.270000,106.370000",
	} {
		if got := redact.Text(in); got != in {
			t.Errorf("Text(%q) = %q, want it unchanged", in, got)
		}
	}
}

func TestTextHidesKnownIdentifiers(t *testing.T) {
	const name, phone = "Trần Thị Bích", "0912345678"
	for _, tc := range []struct{ in, want string }{
		{"Bà Trần Thị Bích đã gọi", "Bà […] đã gọi"},
		{"ba TRAN THI BICH da goi", "ba […] da goi"},
		{"ba tran  thi\nbich da goi", "ba […] da goi"},
		{"Trần Thị Bích", "[…]"},
		// Whole words only.
		{"Trần Thị Bíchh", "Trần Thị Bíchh"},
		{"Bích một mình", "Bích một mình"},
		{"số 912345678, 84 912 345 678", "số […], […]"},
		{"số 09 12 34 56 78", "số […]"},
	} {
		if got := redact.Text(tc.in, name, phone, ""); got != tc.want {
			t.Errorf("Text(%q, known) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// A name's emoji is not part of it; a very short name is no name to hide.
	if got := redact.Text("anh Hùng ở ấp Ba", "Hùng 🌸", "Ba", "🌸"); got != "anh […] ở ấp Ba" {
		t.Errorf("known names with an emoji or too short: %q", got)
	}
	// A known number that is no phone of Vietnam's, spaced any way.
	if got := redact.Text("gọi 1 415 555 01 00", "+1 (415) 555-0100"); got != "gọi […]" {
		t.Errorf("foreign known number: %q", got)
	}
}

func TestTextIsSafeOnAnyInput(t *testing.T) {
	for _, in := range []string{"", "\xff\xfe0912345678\xff", "+", "(((", "@", "0", strings.Repeat("0912 ", 1000)} {
		out := redact.Text(in, "\xff", "  ", "0")
		if strings.Contains(out, "0912345678") {
			t.Errorf("Text(%.40q) kept a phone: %.80q", in, out)
		}
	}
}

func FuzzText(f *testing.F) {
	f.Add("gọi 0912 345 678 hoặc bich@example.vn", "Trần Thị Bích")
	f.Add("０９１２３４５６７８ +84 (91) 2345678", "0912345678")
	f.Fuzz(func(t *testing.T, s, known string) {
		out := redact.Text(s, known)
		if strings.Contains(out, "0912345678") && !strings.Contains(s, "0912345678") {
			t.Errorf("Text made a phone up: %q → %q", s, out)
		}
	})
}
