package conversation_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"langnghe/storage"
	"langnghe/storage/storagetest"
)

var opinionCode = regexp.MustCompile(`DT-\d{4}-\d{6}`)

// TestDueDateInConfiguredZone: the resident reads the due date in the
// service's zone (LANGNGHE_TIMEZONE), the zone its calendar counts in. A
// deadline ends at 23:59:59 there; in Los Angeles that is the next
// morning in Vietnam, so a date told in Vietnam's time would be a day late.
func TestDueDateInConfiguredZone(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		la, err := time.LoadLocation("America/Los_Angeles")
		if err != nil {
			t.Fatal(err)
		}
		svc := newServiceIn(t, db, la, 0)
		c := start(t, db, svc, "590")
		c.press("Tôi đồng ý")
		c.press("Gửi ý kiến")
		c.text("Gia đình tôi nộp hồ sơ cấp sổ đỏ từ tháng 3 mà đến nay vẫn chưa được cấp")
		c.text("xa Minh Thanh")
		c.press("Bỏ qua")
		c.press("ẩn danh")
		got := joined(c.press("Gửi"))
		code := opinionCode.FindString(got)
		if code == "" {
			t.Fatalf("no opinion code in %q", got)
		}
		o, err := db.Opinion(context.Background(), code)
		if err != nil {
			t.Fatal(err)
		}
		local, vietnam := o.DueAt.In(la).Format("02/01/2006"), o.DueAt.In(time.FixedZone("ICT", 7*3600)).Format("02/01/2006")
		if local == vietnam {
			t.Fatalf("due %s is the same day in both zones: the test shows nothing", o.DueAt)
		}
		if !strings.Contains(got, "chậm nhất ngày "+local) {
			t.Errorf("the confirmation does not give the due date %s in the service's zone (%s in Vietnam): %q", local, vietnam, got)
		}
	})
}
