package open311

import "testing"

func TestRedactHidesContactDetailsOnly(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"gọi 0912345678 nhé", "gọi […] nhé"},
		{"gọi 0912 345 678", "gọi […]"},
		{"số bàn 0274.3561.234", "số bàn […]"},
		{"+84 912 345 678 hoặc 84912345678", "[…] hoặc […]"},
		{"mail bich.tran@example.vn giúp", "mail […] giúp"},
		{"mail thư@ủy-ban.gov.vn", "mail […]"},
		// Not contact details: an opinion code, a date, an amount, a year.
		{"như ý kiến DT-2026-000123", "như ý kiến DT-2026-000123"},
		{"từ 12/05/2026, nộp 1.500.000 đồng năm 2025", "từ 12/05/2026, nộp 1.500.000 đồng năm 2025"},
	} {
		if got := redact(tc.in); got != tc.want {
			t.Errorf("redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
