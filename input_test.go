package langnghe_test

import (
	"strings"
	"testing"
	"time"

	"langnghe"
)

func TestCheckDate(t *testing.T) {
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	for _, tt := range []struct {
		t  time.Time
		ok bool
	}{
		{time.Date(2000, 1, 1, 0, 0, 0, 0, hcm), true},
		{time.Date(2100, 12, 31, 17, 0, 0, 0, hcm), true},
		{time.Date(1999, 12, 31, 23, 59, 0, 0, hcm), false},
		{time.Date(2101, 1, 1, 0, 0, 0, 0, hcm), false},
		{time.Date(9999, 12, 31, 17, 0, 0, 0, hcm), false},
		{time.Date(1, 1, 1, 0, 0, 0, 0, hcm), false},
	} {
		err := langnghe.CheckDate(tt.t)
		if (err == nil) != tt.ok {
			t.Errorf("CheckDate(%s) = %v, want ok %v", tt.t, err, tt.ok)
			continue
		}
		if err != nil {
			vi, en := langnghe.ErrorMessageIn(err, langnghe.LangVI), langnghe.ErrorMessageIn(err, langnghe.LangEN)
			if langnghe.ErrorCode(err) != langnghe.EINVALID || !strings.Contains(vi, "từ 01/01/2000 đến 31/12/2100") || !strings.Contains(en, "from 01/01/2000 to 31/12/2100") {
				t.Errorf("CheckDate(%s) says %q / %q (%s), want the range in both languages", tt.t, vi, en, langnghe.ErrorCode(err))
			}
		}
	}
}

func TestParseCoordinates(t *testing.T) {
	for _, tt := range []struct {
		lat, long string
		ok        bool
	}{
		{"10.7769", "106.7009", true},
		{"-90", "180", true},
		{"+21.5", "-105.", true},
		{".5", "1e-7", true},
		{"1E1", "0", true},
		{"NaN", "NaN", false},
		{"nan", "106", false},
		{"Inf", "0", false},
		{"10", "-Infinity", false},
		{"0x1p-2", "106", false},
		{"10", "0x1.8p6", false},
		{"1_0", "106", false},
		{"1e400", "0", false},
		{" 10", "106", false},
		{"90.0001", "0", false},
		{"0", "180.5", false},
		{"", "106", false},
		{"10,5", "106", false},
	} {
		loc, ok := langnghe.ParseCoordinates(tt.lat, tt.long)
		if ok != tt.ok {
			t.Errorf("ParseCoordinates(%q, %q) = %v, %v; want ok %v", tt.lat, tt.long, loc, ok, tt.ok)
		}
	}
}
