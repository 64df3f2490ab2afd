package console_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langnghe/storage"
	"langnghe/storage/storagetest"
	"langnghe/web/browsertest"
	"langnghe/web/console"
)

// TestBrowserSignIn signs in with a one-time link in Chromium, switches the
// interface to English and signs out.
func TestBrowserSignIn(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, "Nguyễn Thị Hoa")
		ctx := browsertest.Browser(t)
		err := chromedp.Do(ctx,
			chromedp.Navigate(console.SignInLink(f.srv.URL, f.token(t, 10*time.Minute))),
			chromedp.Click(chromedp.CSS(`button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`header.top .who`)),
		)
		if err != nil {
			t.Fatalf("sign in: %v", err)
		}
		who := browsertest.Text(t, ctx, `header.top .who span`)
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`a[hreflang=en]`)), chromedp.WaitVisible(chromedp.CSS(`a[hreflang=vi]`))); err != nil {
			t.Fatalf("switch to English: %v", err)
		}
		nav := browsertest.Text(t, ctx, `header.top nav`)
		if who != "Nguyễn Thị Hoa" || !strings.Contains(nav, "Inbox") {
			t.Fatalf("signed in as %q with navigation %q, want Nguyễn Thị Hoa and English", who, nav)
		}
		browsertest.Screenshot(t, ctx, "console-signed-in.png")
		err = chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)),
			// The signed-out page has no header; the inbox's own paragraphs
			// would match before the sign-out's answer arrived.
			chromedp.WaitNotPresent(chromedp.CSS(`header.top`)),
			chromedp.Navigate(f.srv.URL+"/console/"),
		)
		if err != nil {
			t.Fatalf("sign out: %v", err)
		}
		if after := browsertest.Text(t, ctx, `body`); !strings.Contains(after, "not signed in") {
			t.Fatalf("after signing out /console/ shows %q, want it refused", after)
		}
	})
}
