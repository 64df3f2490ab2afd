package calendar

import (
	"testing"
	"time"
)

func TestAddWorkingDays(t *testing.T) {
	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 10, 0, 0, 0, hcm) }
	cal := New(hcm, d(2026, 4, 30), d(2026, 5, 1))
	tests := []struct {
		name string
		from time.Time
		days int
		want time.Time
	}{
		{"within the week", d(2026, 3, 2), 3, d(2026, 3, 5)},                                                      // Mon → Thu
		{"over a weekend", d(2026, 3, 6), 1, d(2026, 3, 9)},                                                       // Fri → Mon
		{"sent on Saturday", d(2026, 3, 7), 1, d(2026, 3, 9)},                                                     // Sat → Mon
		{"over 30/4 and 1/5", d(2026, 4, 29), 2, d(2026, 5, 5)},                                                   // Wed → (Thu, Fri off, weekend) Mon 4, Tue 5
		{"late evening UTC is next day in Hanoi", time.Date(2026, 3, 5, 18, 0, 0, 0, time.UTC), 1, d(2026, 3, 9)}, // Fri 01:00 local → Mon
		{"zero days", d(2026, 3, 2), 0, d(2026, 3, 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cal.AddWorkingDays(tt.from, tt.days)
			want := time.Date(tt.want.Year(), tt.want.Month(), tt.want.Day(), 23, 59, 59, 0, hcm)
			if !got.Equal(want) {
				t.Fatalf("got %s, want %s", got, want)
			}
		})
	}
}
