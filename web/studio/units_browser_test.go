package studio_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langnghe/storage"
	"langnghe/storage/storagetest"
	"langnghe/web/browsertest"
	"langnghe/web/console"
)

// adminTab signs the fixture's admin in, in a browser of width×height (a
// phone's below 800 px).
func (f *settingsFixture) adminTab(t *testing.T, width, height int64) browsertest.Tab {
	t.Helper()
	var token string
	err := f.db.InTx(context.Background(), func(tx *storage.Tx) (err error) {
		token, err = tx.CreateSignInToken(context.Background(), f.admin, time.Now().Add(time.Minute))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.EmulateViewportOption{chromedp.EmulatePortrait}
	if width < 800 {
		opts = append(opts, chromedp.EmulateMobile)
	}
	tab := browsertest.Tab{T: t, Ctx: browsertest.Browser(t)}
	tab.Do("sign in",
		chromedp.EmulateViewport(width, height, opts...),
		chromedp.Navigate(console.SignInLink(f.srv.URL, token)),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`header.top .who`)),
	)
	return tab
}

// The studio on a 1366 px screen and a 390 px phone: the flows are listed
// by their names; an admin opens a unit in the units form, gives it a
// hotline, saves, finds it in the YAML and in effect (residents of the
// commune are given it); nothing on these pages is wider than the screen.
func TestBrowserUnitsForm(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSettingsFixture(t, db)
		for _, c := range []struct {
			width, height int64
			unit, area    string
			hotline       string
			shot          string
		}{
			{1366, 900, "ubnd_dau_tieng", "dau_tieng", "0274 3561 234", ""},
			{390, 844, "ubnd_minh_thanh", "minh_thanh", "0274.3562.114", "-390"},
		} {
			t.Run(fmt.Sprint(c.width), func(t *testing.T) {
				tab := f.adminTab(t, c.width, c.height)

				tab.Do("open the flows", chromedp.Navigate(f.srv.URL+"/console/studio/"), chromedp.WaitVisible(chromedp.CSS(`table.flows`)))
				names := browsertest.Eval[[]string](tab, `[...document.querySelectorAll('table.flows tbody td:first-child a')].map(a => a.textContent)`)
				if strings.Join(names, "|") != "Chào mừng|Danh mục chính|Đổi ngôn ngữ|Gửi ý kiến|Hủy nhận thông báo|Hướng dẫn|Nhận thông báo|Thông tin của tôi|Xóa thông tin cá nhân|Ý kiến của tôi" {
					t.Errorf("the flows are listed as %q", names)
				}
				tab.Fits("the flows")
				browsertest.Screenshot(t, tab.Ctx, "studio-flows"+c.shot+".png")

				// The settings' index leads to the form.
				tab.Do("open the units form",
					chromedp.Navigate(f.srv.URL+"/console/studio/settings/"),
					chromedp.Click(chromedp.CSS(`a[href="/console/studio/settings/units/form"]`)),
					chromedp.WaitVisible(chromedp.CSS(`form.units-form`)),
				)
				tab.Fits("the units form, folded")
				summary := `#unit-` + c.unit + ` > summary`
				field := `#unit-` + c.unit + ` input[name$=".hotline"]`
				tab.Do("open the unit", chromedp.Click(chromedp.CSS(summary)), chromedp.WaitVisible(chromedp.CSS(field)))
				tab.Fits("the units form with a unit open")
				if c.shot == "" {
					browsertest.Screenshot(t, tab.Ctx, "studio-units-form.png")
				}
				tab.Do("give it a hotline and save",
					chromedp.SendKeys(chromedp.CSS(field), c.hotline),
					chromedp.Click(chromedp.CSS(`form.units-form button.primary`)),
					chromedp.WaitVisible(chromedp.CSS(`p.flash`)),
				)
				if flash := browsertest.Eval[string](tab, `document.querySelector('p.flash').textContent`); !strings.Contains(flash, "Đã lưu và áp dụng") {
					t.Errorf("after saving: %q", flash)
				}
				if got := browsertest.Eval[string](tab, `document.querySelector('`+summary+`').textContent`); !strings.Contains(got, "☎ "+c.hotline) {
					t.Errorf("the unit's summary after saving: %q", got)
				}
				tab.Fits("the units form after saving")
				if c.shot != "" {
					browsertest.Screenshot(t, tab.Ctx, "studio-units-form"+c.shot+".png")
				}

				// In effect at once: the commune's residents are given it.
				var hotline string
				err := db.InTx(context.Background(), func(tx *storage.Tx) (err error) {
					hotline, err = f.followup.Hotline(context.Background(), tx, c.area)
					return err
				})
				if err != nil || hotline != c.hotline {
					t.Errorf("the hotline for %s = %q %v, want %q", c.area, hotline, err, c.hotline)
				}

				// And in the YAML behind the form.
				tab.Do("view the YAML", chromedp.Click(chromedp.CSS(`#view-yaml`)), chromedp.WaitVisible(chromedp.CSS(`textarea#source`)))
				src := browsertest.Eval[string](tab, `document.getElementById('source').value`)
				_, unit, _ := strings.Cut(src, "  - code: "+c.unit+"\n")
				unit, _, _ = strings.Cut(unit, "\n  - ")
				if !strings.Contains(unit, "    hotline: "+c.hotline+"\n") {
					t.Errorf("the YAML lacks the hotline under %s:\n%s", c.unit, src)
				}
				tab.Do("back to the form", chromedp.Click(chromedp.CSS(`#units-form`)), chromedp.WaitVisible(chromedp.CSS(`form.units-form`)))
			})
		}
	})
}
