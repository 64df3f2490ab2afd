package console_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
	"langnghe/web/browsertest"
	"langnghe/web/console"
)

// TestBrowserEmergencyStrip opens the console on a phone's 390 px in
// Chromium: the red strip is on top, fits the width with its button in
// reach, and goes once the button is pressed.
func TestBrowserEmergencyStrip(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		// The browser keeps the session cookie only while it has not
		// expired by the real clock.
		o.now = time.Now().In(officeZone)
		e := o.emergency(langnghe.EmergencyRescue, "minh_thanh", "police",
			"có người đuối nước ở hồ Dầu Tiếng gần bến đò ấp 3, cứu với, mọi người ra giúp ngay đi, nước sâu lắm", 5*time.Minute)
		off := &langnghe.Official{Name: "Trung úy Lâm", Role: langnghe.RoleUnit, Units: []string{"police"},
			Channel: langnghe.ChannelTelegram, ExternalID: "8801", ChatID: "8801"}
		var token string
		err := db.InTx(context.Background(), func(tx *storage.Tx) (err error) {
			if err := tx.CreateOfficial(context.Background(), off); err != nil {
				return err
			}
			token, err = tx.CreateSignInToken(context.Background(), off.ID, o.now.Add(10*time.Minute))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		tab := browsertest.Tab{T: t, Ctx: browsertest.Browser(t)}
		tab.Do("sign in on a 390 px phone",
			chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait, chromedp.EmulateMobile),
			chromedp.Navigate(console.SignInLink(o.srv.URL, token)),
			chromedp.Click(chromedp.CSS(`button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`#emergency-strip`)),
		)
		if got := tab.Text(`#emergency-strip`); !strings.Contains(got, "1 tin khẩn cấp chưa xác nhận") || !strings.Contains(got, "tìm kiếm cứu nạn") {
			t.Errorf("strip text %q", got)
		}
		type box struct {
			Width       float64 `json:"width"`
			ScrollWidth float64 `json:"scrollWidth"`
			Top         float64 `json:"top"`
			ButtonLeft  float64 `json:"buttonLeft"`
			ButtonRight float64 `json:"buttonRight"`
			ButtonH     float64 `json:"buttonH"`
			Background  string  `json:"background"`
		}
		b := browsertest.Eval[box](tab, `(() => {
			const s = document.querySelector('#emergency-strip'), r = s.getBoundingClientRect();
			const btn = s.querySelector('button').getBoundingClientRect();
			return {width: r.width, scrollWidth: document.documentElement.scrollWidth, top: r.top,
				buttonLeft: btn.left, buttonRight: btn.right, buttonH: btn.height,
				background: getComputedStyle(s).backgroundColor};
		})()`)
		if b.Width > 390 || b.ScrollWidth > 390 {
			t.Errorf("at 390 px the strip is %.0f px wide and the page scrolls to %.0f px", b.Width, b.ScrollWidth)
		}
		if b.ButtonLeft < 0 || b.ButtonRight > 390 || b.ButtonH < 32 {
			t.Errorf("the button spans %.0f–%.0f px, %.0f px high: out of reach on a phone", b.ButtonLeft, b.ButtonRight, b.ButtonH)
		}
		if b.Background != "rgb(179, 38, 30)" {
			t.Errorf("strip background %s, want the console's red", b.Background)
		}
		if header := browsertest.Eval[float64](tab, `document.querySelector('header.top').getBoundingClientRect().bottom`); b.Top > header+1 {
			t.Errorf("the strip starts at %.0f px, below the header's %.0f: it should come right after it", b.Top, header)
		}
		browsertest.Screenshot(t, tab.Ctx, "console-emergency-390.png")

		tab.Do("acknowledge",
			chromedp.Click(chromedp.CSS(`#emergency-strip button`)),
			chromedp.WaitNotPresent(chromedp.CSS(`#emergency-strip`)),
			chromedp.WaitVisible(chromedp.CSS(`header.top .who`)),
		)
		if got := o.storedEmergency(e.ID); got.AcknowledgedBy == nil || *got.AcknowledgedBy != off.ID {
			t.Errorf("after the press: %+v", got)
		}
	})
}
