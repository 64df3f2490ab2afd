// Package browsertest runs the console's browser tests in headless Chromium
// (Debian's chromium package) through the DevTools protocol (chromedp).
//
// A machine without Chromium skips the browser tests with a message that
// says how to install it, unless LANGNGHE_REQUIRE_BROWSER is set (CI sets
// it, so CI can never pass with them skipped).
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser returns a context whose chromedp actions run in a new headless
// Chromium tab; the browser closes when the test ends. Each call starts its
// own browser, so tests share no cookies.
func Browser(t testing.TB) context.Context {
	t.Helper()
	path := chromium()
	if path == "" {
		if os.Getenv("LANGNGHE_REQUIRE_BROWSER") != "" {
			t.Fatal("LANGNGHE_REQUIRE_BROWSER is set but no Chromium was found: apt-get install chromium (or set LANGNGHE_CHROMIUM)")
		}
		t.Skip("no Chromium on this machine: apt-get install chromium (or set LANGNGHE_CHROMIUM) to run the browser tests")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox, // CI runs as root, where Chromium's sandbox cannot start
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("lang", "vi-VN"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc, chromedp.WithErrorf(t.Logf))
	// A stuck page must fail the test, not hang the suite.
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium (%s): %v", path, err)
	}
	return ctx
}

// chromium finds the browser: LANGNGHE_CHROMIUM, then the usual names.
func chromium() string {
	if p := os.Getenv("LANGNGHE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Screenshot saves the whole page as name (a .png) in the directory
// LANGNGHE_SCREENSHOTS names, and does nothing when it is unset: the
// README's screenshots under docs/ are refreshed with
// LANGNGHE_SCREENSHOTS=$PWD/docs go test ./... -run Browser.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("LANGNGHE_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatalf("save screenshot: %v", err)
	}
}

// Text returns the visible text of the first element css selects, waiting
// for it to be there.
func Text(t testing.TB, ctx context.Context, css string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("read %s: %v", css, err)
	}
	return s
}

// Tab is one browser tab of a test: the actions a test takes fail it with
// what it was doing.
type Tab struct {
	T   testing.TB
	Ctx context.Context
}

// Do runs actions, failing the test with what on error.
func (tab Tab) Do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tab.T.Helper()
	if err := chromedp.Do(tab.Ctx, actions...); err != nil {
		tab.T.Fatalf("%s: %v", what, err)
	}
}

// Text is the visible text of the first element css selects.
func (tab Tab) Text(css string) string {
	tab.T.Helper()
	return Text(tab.T, tab.Ctx, css)
}

// WaitFor polls the JavaScript condition js until it holds, failing the
// test with what when the time (the tab's, or a polling timeout in opts)
// runs out.
func (tab Tab) WaitFor(what, js string, opts ...chromedp.PollOption) {
	tab.T.Helper()
	if _, err := chromedp.Run(tab.Ctx, chromedp.Poll[bool](js, opts...)); err != nil {
		tab.T.Fatalf("wait for %s (%s): %v", what, js, err)
	}
}

// Eval evaluates the JavaScript expression js in tab.
func Eval[T any](tab Tab, js string) T {
	tab.T.Helper()
	v, err := chromedp.Run(tab.Ctx, chromedp.Evaluate[T](js))
	if err != nil {
		tab.T.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// overflow is what sticks out sideways of the page: the document's scroll
// width and every element reaching beyond the viewport, however deep in a
// scrolling box (a phone must need no sideways scrolling anywhere).
type overflow struct {
	Viewport float64  `json:"viewport"`
	Scroll   float64  `json:"scroll"`
	Wide     []string `json:"wide"`
}

// Fits fails the test when anything on the page is wider than the
// viewport.
func (tab Tab) Fits(what string) {
	tab.T.Helper()
	got := Eval[overflow](tab, `(() => {
		const vw = document.documentElement.clientWidth, wide = [];
		for (const el of document.querySelectorAll('body *')) {
			if (el.closest('.skip')) continue; // the skip link waits off screen until focused
			const r = el.getBoundingClientRect();
			if (r.width === 0 && r.height === 0) continue;
			const inner = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible';
			if (r.left < -1 || r.right > vw + 1 || inner) {
				wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') +
					' ' + Math.round(r.left) + '–' + Math.round(r.right) + (inner ? ' scrolls ' + el.scrollWidth : ''));
			}
		}
		return {viewport: vw, scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 12)};
	})()`)
	if got.Scroll > got.Viewport || len(got.Wide) > 0 {
		tab.T.Errorf("%s at %.0f px: the page is %.0f px wide; wider than the viewport: %q", what, got.Viewport, got.Scroll, got.Wide)
	}
}
