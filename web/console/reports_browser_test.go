package console_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"langnghe/storage"
	"langnghe/storage/storagetest"
	"langnghe/web/browsertest"
	"langnghe/web/console"
)

// TestBrowserReports signs in in Chromium, opens the reports, chooses March
// 2026, checks the charts' bars and downloads the opinion list as .xlsx.
func TestBrowserReports(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		seeded := seedReports(t, db)
		f := newReportsFixture(t, db, time.Now())
		ctx := browsertest.Browser(t)
		err := chromedp.Do(ctx,
			chromedp.Navigate(console.SignInLink(f.srv.URL, f.token(t, 10*time.Minute))),
			chromedp.Click(chromedp.CSS(`button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`header.top .who`)),
			chromedp.Click(chromedp.CSS(`header.top nav a[href="/console/reports"]`)),
			chromedp.WaitVisible(chromedp.CSS(`form.report-form`)),
			chromedp.SetValue(chromedp.CSS(`#from`), "01/03/2026"),
			chromedp.SetValue(chromedp.CSS(`#to`), "31/03/2026"),
			chromedp.Click(chromedp.CSS(`form.report-form button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`#table-category tr[data-key="land"]`)),
		)
		if err != nil {
			t.Fatalf("open March's report: %v", err)
		}

		type drawn struct {
			Key   string `json:"key"`
			Value string `json:"value"`
			Width string `json:"width"`
		}
		bars := func(chart string) []drawn {
			t.Helper()
			got, err := chromedp.Run(ctx, chromedp.Evaluate[[]drawn](`[...document.querySelectorAll('#chart-`+chart+` svg g.bar')].map(g =>
				({key: g.dataset.key, value: g.dataset.value, width: g.querySelector('rect.value').getAttribute('width')}))`))
			if err != nil {
				t.Fatalf("read the %s chart: %v", chart, err)
			}
			return got
		}
		// Land and health have three opinions each: two full-length bars.
		if got, want := bars("category"), []drawn{{"health", "3", "360"}, {"land", "3", "360"}}; !slices.Equal(got, want) {
			t.Errorf("category chart bars %+v, want %+v", got, want)
		}
		if got, want := bars("unit"), []drawn{{"ubnd_minh_thanh", "3", "360"}, {"trung_tam_y_te", "2", "240"}, {"", "1", "120"}}; !slices.Equal(got, want) {
			t.Errorf("unit chart bars %+v, want %+v", got, want)
		}
		if got := bars("month"); len(got) != 1 || got[0].Key != "2026-03" || got[0].Value != "6" {
			t.Errorf("month chart bars %+v, want March's 6", got)
		}
		if got := bars("rates"); len(got) != 2 || got[0].Value != "66,7%" || got[1].Value != "50,0%" {
			t.Errorf("rate chart bars %+v, want 66,7%% on time and 50,0%% satisfied", got)
		}
		title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#chart-category svg[role=img] > title').textContent`))
		if err != nil || title != "Ý kiến tiếp nhận theo lĩnh vực" {
			t.Errorf("category chart title %q (%v)", title, err)
		}
		browsertest.Screenshot(t, ctx, "console-reports.png")

		// Download the opinion list as the browser does.
		dir := t.TempDir()
		progress := chromedp.Events(ctx, browser.DownloadProgress)
		enabled := true
		err = chromedp.Do(ctx,
			chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
				_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
					Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &enabled,
				})
				return err
			}),
			chromedp.Click(chromedp.CSS(`#export-opinions-xlsx`)),
		)
		if err != nil {
			t.Fatalf("download the opinion list: %v", err)
		}
		var file string
		for ev, err := range progress {
			if err != nil {
				t.Fatalf("wait for the download: %v", err)
			}
			if ev.State == browser.DownloadProgressStateCanceled {
				t.Fatal("the download was cancelled")
			}
			if ev.State == browser.DownloadProgressStateCompleted {
				file = filepath.Join(dir, ev.GUID)
				break
			}
		}
		body, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rows := readSheet(t, body, "Ý kiến")
		if len(rows) != 7 {
			t.Fatalf("the downloaded list has %d rows, want the header and March's 6 opinions", len(rows))
		}
		if got := rows[1]; got[0] != seeded.contact.Code || got[1] != "02/03/2026 09:00" || got[13] != "Nguyễn Văn An" {
			t.Errorf("first opinion row %q, want %s of 02/03/2026 09:00 with its contact", got, seeded.contact.Code)
		}
	})
}
