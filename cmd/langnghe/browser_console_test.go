package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"langnghe"
	"langnghe/bot/telegramtest"
	"langnghe/config"
	"langnghe/web/browsertest"
)

// The officials' console in headless Chromium, against the real service and
// the fake Bot API: a resident files an opinion with a photo in the chat; a
// unit official asks the bot for a sign-in link, signs in, filters the
// inbox, opens the opinion (its photo shown through the authenticated
// route) and answers it; the resident receives the answer in the chat. The
// same official is refused another unit's opinion, which their inbox does
// not list, and an official of that unit signed in from the command line
// does not see the first one either. (The README's console screenshots
// come from web/console's TestBrowserInboxDesk, on richer data.)
func TestBrowserConsole(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dbURL string) {
		fake := telegramtest.NewServer()
		defer fake.Close()
		svc := startService(t, fake, dbURL, nil)
		base := "http://" + svc.addr
		cfg := testConfig(t, map[string]string{"LANGNGHE_DATABASE_URL": dbURL})

		landOfficial := inviteUnitOfficial(t, fake, cfg, 5201, "land_environment", "Anh Địa chính")
		medicID := inviteUnitOfficial(t, fake, cfg, 5202, "medical_centre", "Chị Y tế").user.ID

		// Two residents file opinions in the chat: land (with a photo) and health.
		lan := newResident(t, fake, 5301, "Lan", "vi")
		landCode := fileOpinionVI(lan, "Gia đình tôi nộp hồ sơ cấp sổ đỏ từ tháng 3 mà đến nay vẫn chưa được cấp, xin cho biết bao giờ có", consolePhoto(t))
		healthCode := sendOpinionEN(newResident(t, fake, 5302, "John", "en"))
		landOfficial.expect(landCode) // notified of the new opinion

		// The land official signs in with the bot's one-time link.
		landOfficial.say("/dangnhap")
		link := regexp.MustCompile(`http://\S+/signin\?token=[0-9a-f]+`).FindString(landOfficial.expect("/signin?token=").Text)
		if !strings.HasPrefix(link, base) {
			t.Fatalf("sign-in link %q is not on the console at %s", link, base)
		}
		tab := consoleTab{browsertest.Tab{T: t, Ctx: browsertest.Browser(t)}}
		tab.Do("sign in",
			chromedp.Navigate(link),
			chromedp.Click(chromedp.CSS(`button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`form.filters`)),
		)
		if rows := tab.codes(); len(rows) != 1 || rows[0] != landCode {
			t.Fatalf("the land official's inbox lists %v, want only %s", rows, landCode)
		}

		// Filter: open land opinions whose text mentions "so do", typed
		// without diacritics.
		tab.Do("filter",
			chromedp.SendKeys(chromedp.CSS(`#f-q`), "so do"),
			chromedp.SetValue(chromedp.CSS(`#f-category`), "land"),
			chromedp.SetValue(chromedp.CSS(`#f-status`), "open"),
			// A unit official's inbox already opens on "Open": the page
			// before the submit is marked, so the wait is for the new one.
			chromedp.Evaluate[chromedp.Void](`document.body.dataset.before = "1"`),
			chromedp.Click(chromedp.CSS(`form.filters button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`body:not([data-before]) nav.counts a[aria-current][href*="status=open"]`)),
		)
		if url := browsertest.Eval[string](tab.Tab, `location.search`); !strings.Contains(url, "q=so+do") || !strings.Contains(url, "category=land") {
			t.Errorf("the filters are not in the address: %q", url)
		}
		if rows := tab.codes(); len(rows) != 1 || rows[0] != landCode {
			t.Fatalf("the filtered inbox lists %v, want %s", rows, landCode)
		}

		// Open the opinion: the text, the photo (loaded through the
		// console's authenticated route), the contact the resident left.
		tab.Do("open the opinion",
			chromedp.Click(chromedp.CSS(`table.list td a`)),
			chromedp.WaitVisible(chromedp.CSS(`#opinion-text`)),
		)
		if text := tab.Text(`#opinion-text`); !strings.Contains(text, "sổ đỏ") {
			t.Errorf("the opinion's text shows %q", text)
		}
		tab.WaitFor("the photo", `[...document.images].some(i => i.complete && i.naturalWidth === 64 && i.src.includes('/attachments/'))`)
		if contact := tab.Text(`#contact`); !strings.Contains(contact, "0912345678") {
			t.Errorf("the contact the resident left shows %q", contact)
		}

		// Answer it; the resident receives the answer in the chat.
		const answer = "Hồ sơ của gia đình đã được duyệt, mời ông/bà đến bộ phận một cửa nhận sổ vào thứ Hai."
		tab.Do("answer",
			chromedp.SendKeys(chromedp.CSS(`#answer-note`), answer),
			chromedp.Click(chromedp.CSS(`#act-answer button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`p.flash`)),
		)
		if flash := tab.Text(`p.flash`); !strings.Contains(flash, "Đã gửi câu trả lời") {
			t.Errorf("after answering the page says %q", flash)
		}
		if history := tab.Text(`table.history`); !strings.Contains(history, answer) || !strings.Contains(history, "Anh Địa chính") {
			t.Errorf("the history does not show the answer by its official: %q", history)
		}
		told := lan.expect(answer)
		if !strings.Contains(told.Text, landCode) || len(told.InlineKeyboard) == 0 {
			t.Errorf("the resident received %q with buttons %v, want the answer with the rating question", told.Text, told.InlineKeyboard)
		}
		if o := must(openDB(t, dbURL).Opinion(context.Background(), landCode)); o.Status != langnghe.StatusAnswered {
			t.Errorf("the opinion is %s after the answer", o.Status)
		}

		// Another unit's opinion: refused, as if it did not exist.
		tab.Do("open another unit's opinion", chromedp.Navigate(base+"/console/opinions/"+healthCode))
		if msg := tab.Text(`main`); !strings.Contains(msg, "Không tìm thấy ý kiến") || strings.Contains(msg, "health insurance") {
			t.Errorf("another unit's opinion shows %q, want it refused", msg)
		}
		tab.Do("the inbox", chromedp.Navigate(base+"/console/?q=health"))
		if rows := tab.codes(); len(rows) != 0 {
			t.Errorf("searching for the other unit's opinion lists %v", rows)
		}

		// The health official, signed in with a link from the command line,
		// sees their own opinion and not the land one.
		medic := consoleTab{browsertest.Tab{T: t, Ctx: browsertest.Browser(t)}}
		medic.Do("sign in from the command line",
			chromedp.Navigate(loginLink(t, cfg, medicID, base)),
			chromedp.Click(chromedp.CSS(`button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`form.filters`)),
		)
		if rows := medic.codes(); len(rows) != 1 || rows[0] != healthCode {
			t.Errorf("the health official's inbox lists %v, want only %s", rows, healthCode)
		}
		medic.Do("open the land opinion", chromedp.Navigate(base+"/console/opinions/"+landCode))
		if msg := medic.Text(`main`); !strings.Contains(msg, "Không tìm thấy ý kiến") {
			t.Errorf("the land opinion shows the health official %q", msg)
		}
	})
}

// inviteUnitOfficial invites an official of unit from the command line and
// accepts the invitation in the chat, through the fake Bot API.
func inviteUnitOfficial(t *testing.T, fake *telegramtest.Server, cfg *config.Config, account int64, unit, name string) *resident {
	t.Helper()
	var out bytes.Buffer
	if err := officialsCmd(context.Background(), cfg, []string{"invite", "--role", "unit", "--unit", unit, "--name", name}, &out, io.Discard); err != nil {
		t.Fatalf("invite: %v\n%s", err, out.String())
	}
	code := regexp.MustCompile(`/start (inv_[a-z2-7]+)`).FindStringSubmatch(out.String())
	if code == nil {
		t.Fatalf("no invitation code in:\n%s", out.String())
	}
	official := newResident(t, fake, account, name, "vi")
	official.say("/start " + code[1])
	official.expect("liên kết")
	return official
}

// loginLink prints a console sign-in link for the official bound to the
// chat account, as `langnghe officials login-link` does.
func loginLink(t *testing.T, cfg *config.Config, account int64, base string) string {
	t.Helper()
	ctx := context.Background()
	var out bytes.Buffer
	if err := officialsCmd(ctx, cfg, []string{"list", "--json"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var o langnghe.Official
		if err := json.Unmarshal([]byte(line), &o); err == nil && o.ExternalID == strconv.FormatInt(account, 10) {
			id = o.ID
		}
	}
	out.Reset()
	if err := officialsCmd(ctx, cfg, []string{"login-link", "--official", strconv.FormatInt(id, 10), "--base", base}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`http://\S+/signin\?token=\S+`).FindString(out.String())
	if link == "" {
		t.Fatalf("no sign-in link in:\n%s", out.String())
	}
	return link
}

// consolePhoto is a real 64×48 JPEG, as Telegram delivers photos.
func consolePhoto(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		for y := range 48 {
			img.Set(x, y, color.RGBA{R: uint8(4 * x), G: 120, B: uint8(5 * y), A: 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// consoleTab is an official's browser tab on the console.
type consoleTab struct{ browsertest.Tab }

// codes are the opinion codes the inbox lists.
func (c consoleTab) codes() []string {
	c.T.Helper()
	var codes []string
	if err := json.Unmarshal([]byte(browsertest.Eval[string](c.Tab, `JSON.stringify([...document.querySelectorAll('table.list td:first-child a')].map(a => a.textContent))`)), &codes); err != nil {
		c.T.Fatal(err)
	}
	return codes
}
