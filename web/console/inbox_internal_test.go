package console

import (
	"testing"
	"time"

	"langnghe"
)

func TestRoughly(t *testing.T) {
	for _, tt := range []struct{ n, want int }{
		{0, 0}, {7, 7}, {99, 99}, {123, 120}, {125, 130}, {9_949, 9_900}, {839_512, 840_000}, {1_000_123, 1_000_000},
	} {
		if got := roughly(tt.n); got != tt.want {
			t.Errorf("roughly(%d) = %d, want %d", tt.n, got, tt.want)
		}
	}
}

// A page cursor reads back as written, and a damaged one is refused.
func TestCursor(t *testing.T) {
	due := time.Date(2026, 11, 30, 10, 0, 0, 123000, time.UTC)
	for _, tt := range []struct {
		o    langnghe.Opinion
		sort langnghe.OpinionSort
		text string
	}{
		{langnghe.Opinion{ID: 42, DueAt: due}, langnghe.SortNewest, "42"},
		{langnghe.Opinion{ID: 42, DueAt: due}, langnghe.SortDue, "42.1796032800000123"},
		{langnghe.Opinion{ID: 42}, langnghe.SortDue, "42"},
	} {
		text := cursor(tt.o, tt.sort)
		id, at, err := readCursor(text, tt.sort)
		if text != tt.text || err != nil || id != 42 || (tt.sort == langnghe.SortDue && !at.Equal(tt.o.DueAt)) {
			t.Errorf("cursor(%+v, %q) = %q → %d, %v, %v", tt.o, tt.sort, text, id, at, err)
		}
	}
	for _, bad := range []string{"", "x", "-3", "0", "42.", "42.x", "1.2.3"} {
		if _, _, err := readCursor(bad, langnghe.SortDue); err == nil {
			t.Errorf("readCursor(%q) accepted", bad)
		}
	}
	if _, _, err := readCursor("42.1796032800000123", langnghe.SortNewest); err == nil {
		t.Error("a due-date cursor was accepted for the newest-first order")
	}
}
