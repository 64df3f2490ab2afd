package digest_test

import (
	"testing"
	"time"

	"langnghe"
	"langnghe/digest"
)

var hcm = mustZone("Asia/Ho_Chi_Minh")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// local is a wall-clock time in Hồ Chí Minh City; sec is optional.
func local(y int, m time.Month, d, h, min int, sec ...int) time.Time {
	s := 0
	if len(sec) > 0 {
		s = sec[0]
	}
	return time.Date(y, m, d, h, min, s, 0, hcm)
}

func TestLatest(t *testing.T) {
	joined := local(2026, 1, 1, 0, 0)
	daily := langnghe.Official{ID: 1, Digest: langnghe.DigestDaily, DigestTime: "07:30", CreatedAt: joined}
	weekly := langnghe.Official{ID: 2, Digest: langnghe.DigestWeekly, DigestTime: "08:00", DigestWeekday: time.Monday, CreatedAt: joined}
	tests := []struct {
		name    string
		o       langnghe.Official
		now     time.Time
		wantKey string
		wantAt  time.Time
		wantOK  bool
	}{
		{"daily at the minute", daily, local(2026, 11, 27, 7, 30), "daily:2026-11-27", local(2026, 11, 27, 7, 30), true},
		{"daily a minute early is yesterday's", daily, local(2026, 11, 27, 7, 29), "daily:2026-11-26", local(2026, 11, 26, 7, 30), true},
		{"daily late evening", daily, local(2026, 11, 27, 23, 59), "daily:2026-11-27", local(2026, 11, 27, 7, 30), true},
		// 00:30 in Hồ Chí Minh City is still the previous day in UTC: the local date counts.
		{"daily just after local midnight", daily, local(2026, 11, 28, 0, 30), "daily:2026-11-27", local(2026, 11, 27, 7, 30), true},
		{"daily across a new year", daily, local(2027, 1, 1, 6, 0), "daily:2026-12-31", local(2026, 12, 31, 7, 30), true},
		{"weekly on its Monday", weekly, local(2026, 11, 30, 8, 0), "weekly:2026-W49", local(2026, 11, 30, 8, 0), true},
		{"weekly Monday before the time", weekly, local(2026, 11, 30, 7, 59), "weekly:2026-W48", local(2026, 11, 23, 8, 0), true},
		{"weekly on Friday", weekly, local(2026, 11, 27, 12, 0), "weekly:2026-W48", local(2026, 11, 23, 8, 0), true},
		{"weekly on Sunday", weekly, local(2026, 11, 29, 12, 0), "weekly:2026-W48", local(2026, 11, 23, 8, 0), true},
		{"off", langnghe.Official{Digest: langnghe.DigestOff, DigestTime: "07:30"}, local(2026, 11, 27, 9, 0), "", time.Time{}, false},
		{"joined after today's time", langnghe.Official{Digest: langnghe.DigestDaily, DigestTime: "07:30", CreatedAt: local(2026, 11, 27, 9, 0)},
			local(2026, 11, 27, 10, 0), "", time.Time{}, false},
		{"joined before today's time", langnghe.Official{Digest: langnghe.DigestDaily, DigestTime: "07:30", CreatedAt: local(2026, 11, 27, 6, 0)},
			local(2026, 11, 27, 10, 0), "daily:2026-11-27", local(2026, 11, 27, 7, 30), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok, err := digest.Latest(&tt.o, tt.now, hcm)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.wantOK || p.Key != tt.wantKey || !p.At.Equal(tt.wantAt) {
				t.Errorf("Latest at %s = %q %s %v, want %q %s %v", tt.now, p.Key, p.At, ok, tt.wantKey, tt.wantAt, tt.wantOK)
			}
		})
	}
}

func TestLatestRejectsBadSchedules(t *testing.T) {
	for _, o := range []langnghe.Official{
		{Digest: langnghe.DigestDaily, DigestTime: "7h30"},
		{Digest: langnghe.DigestDaily, DigestTime: "25:00"},
		{Digest: langnghe.DigestDaily, DigestTime: ""},
		{Digest: langnghe.DigestWeekly, DigestTime: "08:00", DigestWeekday: 9},
	} {
		if _, _, err := digest.Latest(&o, local(2026, 11, 27, 9, 0), hcm); langnghe.ErrorCode(err) != langnghe.EINVALID {
			t.Errorf("Latest(%q, weekday %d) error = %v, want EINVALID", o.DigestTime, o.DigestWeekday, err)
		}
	}
}
