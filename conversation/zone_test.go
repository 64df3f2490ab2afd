package conversation_test

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"langnghe/calendar"
	"langnghe/conversation"
	"langnghe/flowlib"
	"langnghe/flows/catalogue"
	"langnghe/flows/classify"
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
			t.Skip("no time zone database:", err)
		}
		cat := catalogue.Default()
		cl, err := classify.New(cat)
		if err != nil {
			t.Fatal(err)
		}
		lib := flowlib.New(cat)
		if _, err := lib.Seed(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		svc := conversation.New(db, lib, cat, cl, calendar.New(la), conversation.Options{OpinionPrefix: "DT", TimeZone: la},
			slog.New(slog.NewTextHandler(io.Discard, nil)))
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
