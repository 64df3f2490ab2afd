package followup_test

import (
	"testing"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/followup"
)

func TestDeadlines(t *testing.T) {
	cal := calendar.Default(hcm)
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, hcm) }
	end := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 23, 59, 59, 0, hcm) }
	tests := []struct {
		name                string
		created             time.Time
		forwardBy, noticeBy time.Time
	}{
		{"an ordinary week", at(2026, 3, 2, 9), end(2026, 3, 9), end(2026, 3, 16)},
		{"received just before Tết 2026", at(2026, 2, 12, 16), end(2026, 2, 26), end(2026, 3, 5)},
		{"received on a Sunday", at(2026, 3, 8, 20), end(2026, 3, 13), end(2026, 3, 20)},
		{"across 30/4–1/5 2026", at(2026, 4, 28, 8), end(2026, 5, 7), end(2026, 5, 14)}, // 29, (30/4–3/5 off), 4–7; 8, 11–14
	}
	for _, tt := range tests {
		o := langnghe.Opinion{CreatedAt: tt.created, DueAt: end(2026, 6, 1)}
		got := followup.DeadlinesOf(o, cal)
		if !got.ForwardBy.Equal(tt.forwardBy) || !got.FirstNoticeBy.Equal(tt.noticeBy) || !got.ResultBy.Equal(o.DueAt) {
			t.Errorf("%s: forward by %s, first notice by %s, result by %s", tt.name,
				got.ForwardBy.Format(time.DateOnly), got.FirstNoticeBy.Format(time.DateOnly), got.ResultBy.Format(time.DateOnly))
		}
	}
}

func TestOverdueAndDueSoon(t *testing.T) {
	cal := calendar.Default(hcm)
	due := time.Date(2026, 2, 23, 23, 59, 59, 0, hcm) // Monday after Tết 2026
	tests := []struct {
		name             string
		status           langnghe.Status
		due              time.Time
		now              time.Time
		overdue, dueSoon bool
	}{
		{"days ahead", langnghe.StatusReceived, due, time.Date(2026, 2, 11, 9, 0, 0, 0, hcm), false, false},
		// Friday before Tết: the next working day is the due day.
		{"the working day before, across Tết", langnghe.StatusInProgress, due, time.Date(2026, 2, 13, 9, 0, 0, 0, hcm), false, true},
		{"on the due day", langnghe.StatusForwarded, due, time.Date(2026, 2, 23, 15, 0, 0, 0, hcm), false, true},
		{"a second late", langnghe.StatusExtended, due, due.Add(time.Second), true, false},
		{"late but answered", langnghe.StatusAnswered, due, due.Add(48 * time.Hour), false, false},
		{"late and reopened", langnghe.StatusReopened, due, due.Add(48 * time.Hour), true, false},
		{"no due date", langnghe.StatusReceived, time.Time{}, due, false, false},
	}
	for _, tt := range tests {
		o := langnghe.Opinion{Status: tt.status, DueAt: tt.due}
		if got := followup.Overdue(o, tt.now); got != tt.overdue {
			t.Errorf("%s: overdue %v, want %v", tt.name, got, tt.overdue)
		}
		if got := followup.DueSoon(o, tt.now, cal); got != tt.dueSoon {
			t.Errorf("%s: due soon %v, want %v", tt.name, got, tt.dueSoon)
		}
	}
}
