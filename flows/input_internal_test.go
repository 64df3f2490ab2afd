package flows

import "testing"

func TestParseYesNo(t *testing.T) {
	tests := []struct {
		in      string
		yes, ok bool
	}{
		{"Có", true, true}, {"co", true, true}, {"CÓ!", true, true}, {"đồng ý", true, true},
		{"dong y", true, true}, {"ok", true, true}, {"yes", true, true}, {"y", true, true},
		{"dạ vâng", true, true}, {"tôi đồng ý", true, true}, {"是", true, true},
		{"không", false, true}, {"ko", false, true}, {"k", false, true}, {"no", false, true},
		{"n", false, true}, {"không đồng ý", false, true}, {"dạ không", false, true}, {"不同意", false, true},
		{"giữ ẩn danh", false, true}, {"ẩn danh", false, true}, {"stay anonymous", false, true},
		{"", false, false}, {"maybe", false, false}, {"để tôi nghĩ", false, false},
	}
	for _, tt := range tests {
		yes, ok := parseYesNo(tt.in)
		if yes != tt.yes || ok != tt.ok {
			t.Errorf("parseYesNo(%q) = %v, %v; want %v, %v", tt.in, yes, ok, tt.yes, tt.ok)
		}
	}
}

func TestParsePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0912345678", "0912345678"}, {"0912 345 678", "0912345678"}, {"0912.345.678", "0912345678"},
		{"091-234-5678", "0912345678"}, {"+84 912 345 678", "0912345678"}, {"84912345678", "0912345678"},
		{"+84 0912 345 678", "0912345678"}, {"0388888888", "0388888888"}, {"0567890123", "0567890123"},
		{"0701234567", "0701234567"}, {"0812345678", "0812345678"},
		{"0212345678", ""}, {"091234567", ""}, {"09123456789", ""}, {"+1 415 555 0100", ""},
		{"phone", ""}, {"", ""}, {"0912345678x", ""},
	}
	for _, tt := range tests {
		got, ok := parsePhone(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("parsePhone(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"02/03/2026", "02/03/2026"}, {"2/3/2026", "02/03/2026"}, {"2-3-2026", "02/03/2026"},
		{"29/02/2024", "29/02/2024"}, {"29/02/2026", ""}, {"31/04/2026", ""}, {"2026/03/02", ""},
		{"1/13/2026", ""}, {"tomorrow", ""}, {"", ""},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("parseDate(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestParseNumber(t *testing.T) {
	lo, hi := 1.0, 100.0
	tests := []struct{ in, want string }{
		{"5", "5"}, {" 42 ", "42"}, {"2,5", "2.5"}, {"2.5", "2.5"}, {"100", "100"},
		{"0", ""}, {"101", ""}, {"NaN", ""}, {"five", ""}, {"1,000.5", ""},
		{"0x1p3", ""}, {"1_0", ""}, {"+Inf", ""}, {"5e1", ""}, {".5e0", ""},
	}
	for _, tt := range tests {
		got, ok := parseNumber(tt.in, &lo, &hi)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("parseNumber(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
	// Without a maximum, an infinity is still not a number anyone typed.
	for _, in := range []string{"Inf", "infinity", "1e999"} {
		if got, ok := parseNumber(in, nil, nil); ok {
			t.Errorf("parseNumber(%q) without bounds = %q", in, got)
		}
	}
}

func TestButtonData(t *testing.T) {
	data := buttonData(12, "send")
	if v, ok := parseButtonData(data, 12); !ok || v != "send" {
		t.Errorf("parseButtonData(%q, 12) = %q, %v", data, v, ok)
	}
	for _, stale := range []string{data, "12:", "send", ""} {
		if _, ok := parseButtonData(stale, 13); ok {
			t.Errorf("parseButtonData(%q, 13) accepted stale or malformed data", stale)
		}
	}
}

func TestParseScale(t *testing.T) {
	tests := []struct {
		in   string
		want int // 0: not an answer
	}{
		{"4", 4}, {" 5 ", 5}, {"1", 1}, {"4 điểm", 4}, {"4d", 0}, {"4 d", 4}, {"4/5", 4}, {"5/5", 5},
		{"4 trên 5", 4}, {"cho 3 điểm", 3}, {"tôi chọn 2", 2}, {"bà chọn 3", 3}, {"3 sao", 3},
		{"bốn", 4}, {"bon diem", 4}, {"năm sao", 5}, {"ba", 3}, {"một", 1}, {"4 out of 5", 4},
		{"four", 4}, {"4分", 4}, {"四", 4}, {"dạ 4 ạ", 4}, {"cho 3 điểm thôi", 3},
		{"6", 0}, {"0", 0}, {"3 4", 0}, {"4.5", 0}, {"khá tốt", 0}, {"", 0}, {"100", 0},
		{"tôi thấy cán bộ làm việc rất chậm 2 lần phải quay lại", 0},
	}
	for _, tt := range tests {
		got, ok := parseScale(tt.in, 1, 5)
		if (tt.want == 0) == ok || (ok && got != tt.want) {
			t.Errorf("parseScale(%q) = %d, %v; want %d", tt.in, got, ok, tt.want)
		}
	}
	if n, ok := parseScale("10", 1, 10); !ok || n != 10 {
		t.Errorf("parseScale(10) on 1–10 = %d, %v", n, ok)
	}
	if _, ok := parseScale("1", 2, 4); ok {
		t.Error("1 is not a point of the scale 2–4")
	}
}
