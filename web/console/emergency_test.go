package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// emergency records an emergency alerted to unit, age before now.
func (o *office) emergency(kind langnghe.EmergencyKind, area, unit, text string, age time.Duration) *langnghe.Emergency {
	o.t.Helper()
	e := &langnghe.Emergency{Channel: langnghe.ChannelTelegram, Kind: kind, AreaCode: area, Unit: unit, Text: text,
		At: o.now.Add(-age)}
	err := o.db.InTx(context.Background(), func(tx *storage.Tx) error { return tx.RecordEmergency(context.Background(), e) })
	if err != nil {
		o.t.Fatal(err)
	}
	return e
}

func (o *office) storedEmergency(id int64) *langnghe.Emergency {
	o.t.Helper()
	var e *langnghe.Emergency
	err := o.db.InTx(context.Background(), func(tx *storage.Tx) (err error) {
		e, err = tx.Emergency(context.Background(), id)
		return err
	})
	if err != nil {
		o.t.Fatal(err)
	}
	return e
}

func acknowledgePath(e *langnghe.Emergency) string {
	return fmt.Sprintf("/console/emergencies/%d/acknowledge", e.ID)
}

// TestEmergencyStrip: every console page of an official whose scope covers
// the unit alerted shows the red strip with the count and the latest
// emergency until someone acknowledges it; the button records who and
// when, refuses other units and forged requests, and returns to the page.
func TestEmergencyStrip(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		police := o.signIn("Trung úy Lâm", langnghe.RoleUnit, "police")
		land := o.signIn("Chị Hạnh", langnghe.RoleUnit, "land_environment")
		board := o.signIn("Ban Dân vận", langnghe.RoleBoard)

		older := o.emergency(langnghe.EmergencyFire, "", "police", "cháy", time.Hour)
		latest := o.emergency(langnghe.EmergencyRescue, "minh_thanh", "police", "có người đuối nước ở hồ <b>cứu</b>", 30*time.Minute)

		strip := func(s *officeSession, path string) string {
			t.Helper()
			status, page := s.get(path)
			if status != http.StatusOK && status != http.StatusNotFound {
				t.Fatalf("GET %s = %d", path, status)
			}
			if !strings.Contains(page, `id="emergency-strip"`) {
				return ""
			}
			return between(page, `id="emergency-strip"`, `</section>`)
		}
		for _, s := range []*officeSession{police, board} {
			for _, path := range []string{"/console/", "/console/reports", "/console/no-such-page"} {
				got := strip(s, path)
				for _, want := range []string{"🚨 2 tin khẩn cấp chưa xác nhận", "08:30", "tìm kiếm cứu nạn", "Minh Thạnh",
					"«có người đuối nước ở hồ &lt;b&gt;cứu&lt;/b&gt;»", `action="` + acknowledgePath(latest) + `"`,
					`name="csrf"`, `value="` + path + `"`, "Đã nắm thông tin"} {
					if !strings.Contains(got, want) {
						t.Errorf("the strip on %s lacks %q:\n%s", path, want, got)
					}
				}
			}
		}
		if got := strip(land, "/console/"); got != "" {
			t.Errorf("another unit's official sees the strip:\n%s", got)
		}
		if got := strip(police, "/console/?lang=en"); !strings.Contains(got, "2 unacknowledged emergencies") || !strings.Contains(got, "Got it") {
			t.Errorf("the English strip:\n%s", got)
		}

		// Refused: another unit's official, no CSRF token, a forged id.
		if status, _, _ := land.post(acknowledgePath(latest), url.Values{"back": {"/console/"}}); status != http.StatusNotFound {
			t.Errorf("another unit acknowledging = %d, want 404", status)
		}
		if status, _, _ := police.post(acknowledgePath(latest), url.Values{"csrf": {"forged"}}); status != http.StatusForbidden {
			t.Errorf("acknowledging without the CSRF token = %d, want 403", status)
		}
		for _, path := range []string{"/console/emergencies/abc/acknowledge", fmt.Sprintf("/console/emergencies/%d/acknowledge", latest.ID+100)} {
			if status, _, _ := police.post(path, url.Values{}); status != http.StatusNotFound {
				t.Errorf("POST %s = %d, want 404", path, status)
			}
		}
		if e := o.storedEmergency(latest.ID); e.AcknowledgedAt != nil {
			t.Fatalf("acknowledged by a refused request: %+v", e)
		}

		// The unit's officer acknowledges the latest and is back on the page.
		status, location, _ := police.post(acknowledgePath(latest), url.Values{"back": {"/console/reports?preset=last-month"}})
		if status != http.StatusSeeOther || location != "/console/reports?preset=last-month" {
			t.Errorf("acknowledging = %d to %q, want 303 back to the reports", status, location)
		}
		if e := o.storedEmergency(latest.ID); e.AcknowledgedBy == nil || *e.AcknowledgedBy != police.id ||
			e.AcknowledgedAt == nil || !e.AcknowledgedAt.Equal(o.now) {
			t.Errorf("stored after acknowledging: %+v", e)
		}
		got := strip(board, "/console/")
		if !strings.Contains(got, "1 tin khẩn cấp chưa xác nhận") || !strings.Contains(got, acknowledgePath(older)) ||
			!strings.Contains(got, "chưa rõ địa bàn") {
			t.Errorf("after the first acknowledgement the board's strip is:\n%s", got)
		}

		// The board acknowledges the other, sent back to a foreign site:
		// it lands on the inbox instead; the strip is gone for everyone.
		for _, back := range []string{"https://evil.example/console/", "//evil.example/console/"} {
			status, location, _ = board.post(acknowledgePath(older), url.Values{"back": {back}})
			if status != http.StatusSeeOther || location != "/console/" {
				t.Errorf("back=%q: %d to %q, want 303 to /console/", back, status, location)
			}
		}
		for _, s := range []*officeSession{police, board} {
			if got := strip(s, "/console/"); got != "" {
				t.Errorf("the strip stays after acknowledging:\n%s", got)
			}
		}
		if e := o.storedEmergency(older.ID); e.AcknowledgedBy == nil || *e.AcknowledgedBy != board.id {
			t.Errorf("the second press replaced the board's acknowledgement: %+v", e)
		}
	})
}
