package studio_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langnghe"
	"langnghe/flows/catalogue"
	"langnghe/storage"
	"langnghe/storage/storagetest"
	"langnghe/web/browsertest"
	"langnghe/web/console"
)

// TestBrowserSettings: an admin edits a category's keywords in the form,
// saves, and finds the change in the audit; then uploads a broken units
// file and sees the error at its place, with nothing changed.
func TestBrowserSettings(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newSettingsFixture(t, db)
		ctx := browsertest.Browser(t)
		var token string
		err := db.InTx(context.Background(), func(tx *storage.Tx) (err error) {
			token, err = tx.CreateSignInToken(context.Background(), f.admin, time.Now().Add(time.Minute))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		err = chromedp.Do(ctx,
			chromedp.Navigate(console.SignInLink(f.srv.URL, token)),
			chromedp.Click(chromedp.CSS(`button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`header.top .who`)),
		)
		if err != nil {
			t.Fatalf("sign in: %v", err)
		}

		// The keyword form: replace the health keywords and save.
		err = chromedp.Do(ctx,
			chromedp.Navigate(f.srv.URL+"/console/studio/settings/catalogue"),
			chromedp.Click(chromedp.CSS(`#categories a[href$="/categories/health"]`)),
			chromedp.WaitVisible(chromedp.CSS(`textarea#keywords`)),
			chromedp.SetValue(chromedp.CSS(`textarea#keywords`), "bảo hiểm y tế\ntrạm y tế\nchó dại cắn"),
		)
		if err != nil {
			t.Fatalf("open the keyword form: %v", err)
		}
		browsertest.Screenshot(t, ctx, "studio-keywords.png")
		err = chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(`form button.primary`)),
			chromedp.WaitVisible(chromedp.CSS(`p.flash`)),
		)
		if err != nil {
			t.Fatalf("save the keywords: %v", err)
		}
		if kw, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`textarea#keywords`))); err != nil || kw != "bảo hiểm y tế\ntrạm y tế\nchó dại cắn" {
			t.Errorf("keywords after saving = %q %v", kw, err)
		}
		_, src, err := db.Setting(context.Background(), langnghe.SettingCatalogue)
		if err != nil {
			t.Fatal(err)
		}
		cat, err := catalogue.Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		if health, _ := cat.Category("health"); len(health.Keywords) != 3 || health.Keywords[2] != "chó dại cắn" {
			t.Errorf("stored health keywords = %q", health.Keywords)
		}

		// The audit shows who changed what.
		err = chromedp.Do(ctx,
			chromedp.Navigate(f.srv.URL+"/console/studio/audit"),
			chromedp.WaitVisible(chromedp.CSS(`table#audit`)),
		)
		if err != nil {
			t.Fatalf("open the audit: %v", err)
		}
		row := browsertest.Text(t, ctx, `table#audit tbody tr`)
		for _, want := range []string{"Trần Quản Trị", "Danh mục", "Đã sửa từ khóa", "keywords of category health"} {
			if !strings.Contains(row, want) {
				t.Errorf("the audit's newest row %q lacks %q", row, want)
			}
		}
		browsertest.Screenshot(t, ctx, "studio-audit.png")

		// A broken units file: the error points at the rule, nothing changes.
		before := f.state(t)
		units, _ := f.editor(t, "units")
		broken := units + "  - category: land\n    area: long_hoa\n    unit: ubnd_long_hoaa\n"
		path := filepath.Join(t.TempDir(), "units.yaml")
		if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
			t.Fatal(err)
		}
		err = chromedp.Do(ctx,
			chromedp.Navigate(f.srv.URL+"/console/studio/settings/units"),
			chromedp.SetUploadFiles(chromedp.CSS(`input[type=file]`), []string{path}),
			chromedp.Click(chromedp.CSS(`form[enctype] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`#problems`)),
		)
		if err != nil {
			t.Fatalf("upload a broken units file: %v", err)
		}
		problems := browsertest.Text(t, ctx, `#problems`)
		wantPlace := strings.Count(broken[:strings.Index(broken, "  - category: land\n    area: long_hoa")], "\n") + 1
		for _, want := range []string{strconv.Itoa(wantPlace) + ":5", `unknown unit "ubnd_long_hoaa"`} {
			if !strings.Contains(problems, want) {
				t.Errorf("the problems %q lack %q", problems, want)
			}
		}
		if text, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`textarea#source`))); err != nil || text != broken {
			t.Errorf("the uploaded text is not in the editor to fix: %v", err)
		}
		browsertest.Screenshot(t, ctx, "studio-units-error.png")
		if after := f.state(t); after != before {
			t.Errorf("the broken upload changed something: %+v, was %+v", after, before)
		}
	})
}
