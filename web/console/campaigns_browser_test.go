package console_test

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
	"langnghe/web/browsertest"
	"langnghe/web/console"
)

// newBrowserOffice is the campaign office on the real clock (the browser
// checks the session cookie's expiry against it).
func newBrowserOffice(t *testing.T, db *storage.DB) *campaignOffice {
	co := newCampaignOffice(t, db)
	co.now = time.Now().In(officeZone)
	return co
}

// visible reports whether the element css selects is shown.
func visible(tab browsertest.Tab, css string) bool {
	tab.T.Helper()
	return browsertest.Eval[bool](tab, `(() => { const e = document.querySelector(`+strconv.Quote(css)+`); return !!e && e.checkVisibility(); })()`)
}

// value is the value of the form field css selects.
func value(tab browsertest.Tab, css string) string {
	tab.T.Helper()
	return browsertest.Eval[string](tab, `document.querySelector(`+strconv.Quote(css)+`).value`)
}

// media switches the tab to print media ("print") or back to the screen ("").
func media(tab browsertest.Tab, m string) {
	tab.T.Helper()
	tab.Do("emulate "+m+" media", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return err
	}))
}

// printPDF prints the page as Chromium does and returns its page count and
// the first page's width in points.
func printPDF(tab browsertest.Tab) (pages int, width float64, pdf []byte) {
	tab.T.Helper()
	tab.Do("print to PDF", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		css := true
		res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &css})
		pdf = res.Data
		return err
	}))
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		tab.T.Fatalf("not a PDF: %d bytes", len(pdf))
	}
	pages = len(regexp.MustCompile(`/Type\s*/Page\b[^s]`).FindAll(pdf, -1))
	if box := regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)`).FindSubmatch(pdf); box != nil {
		width, _ = strconv.ParseFloat(string(box[1]), 64)
	}
	return pages, width, pdf
}

// The board creates a consultation in Chromium, on a 1366 px screen and on
// a 390 px phone: the form shows only the chosen kind's fields, «add a
// question» keeps what was typed, a refused form says why in Vietnamese
// and keeps it, and the created campaign's page shows its deep link and
// QR code. Nothing is ever wider than the screen.
func TestBrowserCampaignCreation(t *testing.T) {
	for _, size := range []struct {
		width, height int64
		// The screenshots of the refused form and of the campaign's page.
		form, page string
	}{{1366, 900, "console-campaign-form.png", "console-campaign.png"}, {390, 844, "", "console-campaign-390.png"}} {
		t.Run(fmt.Sprint(size.width), func(t *testing.T) {
			storagetest.Each(t, func(t *testing.T, db *storage.DB) {
				co := newBrowserOffice(t, db)
				tab, _ := newDeskTab(t, co.office, size.width, size.height, "Ban Dân vận", langnghe.RoleBoard)
				closes := co.now.AddDate(0, 0, 30).Format(time.DateOnly)
				tab.Do("open the campaigns",
					chromedp.Click(chromedp.CSS(`header.top nav a[href="/console/campaigns"]`)),
					chromedp.WaitVisible(chromedp.CSS(`#no-campaigns`)),
				)
				tab.Fits("the empty list")
				tab.Do("start a consultation", chromedp.Click(chromedp.CSS(`#new-consultation`)), chromedp.WaitVisible(chromedp.CSS(`#campaign-form`)))
				if !visible(tab.Tab, `#consultation-fields`) || visible(tab.Tab, `#dialogue-fields`) || visible(tab.Tab, `#feedback-fields`) {
					t.Error("the consultation's form shows another kind's fields")
				}
				tab.Do("switch to a dialogue", chromedp.Click(chromedp.CSS(`#kind-dialogue`)))
				if !visible(tab.Tab, `#dialogue-fields`) || visible(tab.Tab, `#consultation-fields`) {
					t.Error("choosing a dialogue does not show its fields alone")
				}
				tab.Do("back to the consultation", chromedp.Click(chromedp.CSS(`#kind-consultation`)))
				tab.Fits("the new consultation's form")
				tab.Do("fill the form",
					chromedp.SendKeys(chromedp.CSS(`#title`), "Lấy ý kiến dự thảo quy hoạch chợ Minh Thạnh"),
					chromedp.Click(chromedp.CSS(`#area-minh_thanh`)),
					chromedp.Click(chromedp.CSS(`#area-long_hoa`)),
					chromedp.SetValue(chromedp.CSS(`#closes`), closes),
					chromedp.SendKeys(chromedp.CSS(`#q1-text`), "Quý vị có đồng ý với dự thảo không?"),
					chromedp.SetValue(chromedp.CSS(`#q1-kind`), "choice"),
					chromedp.SendKeys(chromedp.CSS(`#q1-options`), "Đồng ý\nKhông đồng ý"),
					chromedp.SendKeys(chromedp.CSS(`#q2-text`), "Dự thảo cần thiết đến mức nào?"),
					chromedp.SetValue(chromedp.CSS(`#q2-kind`), "scale"),
					chromedp.Click(chromedp.CSS(`#add-question`)),
					chromedp.WaitVisible(chromedp.CSS(`#q4-text`)),
				)
				if got := value(tab.Tab, `#title`); got != "Lấy ý kiến dự thảo quy hoạch chợ Minh Thạnh" {
					t.Errorf("adding a question lost the title: %q", got)
				}
				if got := value(tab.Tab, `#q1-options`); got != "Đồng ý\nKhông đồng ý" {
					t.Errorf("adding a question lost the options: %q", got)
				}
				if !visible(tab.Tab, `#consultation-fields`) || value(tab.Tab, `#closes`) != closes {
					t.Error("adding a question lost the kind or the closing date")
				}
				tab.Do("save without a summary",
					chromedp.SendKeys(chromedp.CSS(`#q4-text`), "Góp ý khác"),
					chromedp.SetValue(chromedp.CSS(`#q4-kind`), "text"),
					chromedp.Click(chromedp.CSS(`#save-campaign`)),
					chromedp.WaitVisible(chromedp.CSS(`#form-problems`)),
				)
				if problems := tab.Text(`#form-problems`); !strings.Contains(problems, "Chưa lưu") || !strings.Contains(problems, "tóm tắt dự thảo") {
					t.Errorf("the refusal says %q", problems)
				}
				if value(tab.Tab, `#q4-text`) != "Góp ý khác" || value(tab.Tab, `#q2-kind`) != "scale" || !browsertest.Eval[bool](tab.Tab, `document.querySelector('#area-long_hoa').checked`) {
					t.Error("the refused form lost what was typed")
				}
				tab.Fits("the refused form")
				if size.form != "" {
					browsertest.Screenshot(t, tab.Ctx, size.form)
				}
				tab.Do("save with a summary",
					chromedp.SendKeys(chromedp.CSS(`#summary`), "Mở rộng chợ Minh Thạnh thêm 2.000 m² và làm đường vào rộng 12 m."),
					chromedp.Click(chromedp.CSS(`#save-campaign`)),
					chromedp.WaitVisible(chromedp.CSS(`#deep-link`)),
				)
				link := tab.Text(`#deep-link`)
				if !regexp.MustCompile(`^https://t\.me/` + testBot + `\?start=c_[a-z2-7]{16}$`).MatchString(link) {
					t.Errorf("deep link %q", link)
				}
				tab.WaitFor("the QR code", `document.querySelector('#qr').complete && document.querySelector('#qr').naturalWidth > 300`)
				if asked := tab.Text(`#asked`); !strings.Contains(asked, "Đồng ý · Không đồng ý") || !strings.Contains(asked, "Thang điểm 1 đến 5") {
					t.Errorf("the campaign's page lists %q", asked)
				}
				tab.Fits("the campaign's page")
				browsertest.Screenshot(t, tab.Ctx, size.page)
			})
		})
	}
}

// The question sheet in Chromium: the groups by theme and count, merged
// with ticks, renamed, answered; printed without the forms on A4; exported
// to Excel; and on a phone nothing wider than the screen.
func TestBrowserQuestionSheet(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		co := newBrowserOffice(t, db)
		cp, ids := co.dialogue()
		tab, _ := newDeskTab(t, co.office, 1366, 900, "Ban Dân vận", langnghe.RoleBoard)
		sheet := fmt.Sprintf("%s/console/campaigns/%d/questions", co.srv.URL, cp.ID)
		tab.Do("open the sheet", chromedp.Navigate(sheet), chromedp.WaitVisible(chromedp.CSS(`#question-sheet`)))
		counts := func() []string {
			return browsertest.Eval[[]string](tab.Tab, `[...document.querySelectorAll('table.groups .group-count')].map(e => e.textContent)`)
		}
		numbers := browsertest.Eval[[]string](tab.Tab, `[...document.querySelectorAll('table.groups td.n b')].map(e => e.textContent)`)
		if !slices.Equal(numbers, []string{"1", "2", "3", "4", "5", "6", "7"}) {
			t.Errorf("the groups are numbered %v", numbers)
		}
		// Within a theme the largest group comes first.
		themes := browsertest.Eval[[][]int](tab.Tab, `[...document.querySelectorAll('section.theme')].map(s => [...s.querySelectorAll('.group-count')].map(e => +e.textContent))`)
		for _, th := range themes {
			if !slices.IsSortedFunc(th, func(a, b int) int { return b - a }) {
				t.Errorf("a theme's groups are not by count: %v", th)
			}
		}
		dredging, erosion := groupIDsOf(t, co, cp, ids[0])[0], groupIDsOf(t, co, cp, ids[2])[0]
		tab.Do("merge two groups",
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`#merge-%d`, dredging))),
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`#merge-%d`, erosion))),
			chromedp.Click(chromedp.CSS(`#merge-groups`)),
			chromedp.WaitVisible(chromedp.CSS(`p.flash`)),
		)
		if got := counts(); len(got) != 6 || !slices.Contains(got, "5") {
			t.Errorf("after merging: %v", got)
		}
		roads := groupIDsOf(t, co, cp, ids[7])[0]
		row := fmt.Sprintf(`#group-%d`, roads)
		tab.Do("rename a group",
			chromedp.Click(chromedp.CSS(row+` .rename-box summary`)),
			chromedp.SetValue(chromedp.CSS(fmt.Sprintf(`#rename-%d-title`, roads)), "Sửa đường vào các ấp"),
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`#rename-%d button`, roads))),
			// The sheet comes back with the group's forms closed.
			chromedp.WaitNotPresent(chromedp.CSS(row+` .rename-box[open]`)),
			chromedp.WaitVisible(chromedp.CSS(`p.flash`)),
		)
		if flash := tab.Text(`p.flash`); flash != "Đã đổi tên nhóm." {
			t.Errorf("after renaming the sheet says %q", flash)
		}
		if got := tab.Text(row + ` .group-title`); got != "Sửa đường vào các ấp" {
			t.Errorf("renamed to %q", got)
		}
		tab.Do("answer it",
			chromedp.Click(chromedp.CSS(row+` .answer-box summary`)),
			chromedp.SendKeys(chromedp.CSS(fmt.Sprintf(`#answer-%d-text`, roads)), "Xã sẽ sửa đường ấp Hòa Thuận và ấp 3 trong quý I/2027."),
			chromedp.SendKeys(chromedp.CSS(fmt.Sprintf(`#answer-%d-by`, roads)), "Ông Nguyễn Văn Bình, Chủ tịch UBND xã"),
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`#answer-form-%d button`, roads))),
			chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#answer-%d`, roads))),
		)
		if got := tab.Text(fmt.Sprintf(`#answer-%d`, roads)); !strings.Contains(got, "quý I/2027") || !strings.Contains(got, "Ông Nguyễn Văn Bình") {
			t.Errorf("the answer reads %q", got)
		}
		if n := browsertest.Eval[int](tab.Tab, `document.querySelectorAll('#commitments li').length`); n != 5 {
			t.Errorf("%d commitments, want the 5 groups not answered", n)
		}
		tab.Fits("the sheet")
		browsertest.Screenshot(t, tab.Ctx, "console-campaign-sheet.png")

		// Printed: the groups and answers, no forms, no frame.
		media(tab.Tab, "print")
		if visible(tab.Tab, `header.top`) || visible(tab.Tab, `#merge-form`) || visible(tab.Tab, `.answer-box`) || visible(tab.Tab, `#print-sheet`) ||
			!visible(tab.Tab, `#question-sheet`) || !visible(tab.Tab, fmt.Sprintf(`#answer-%d`, roads)) || !visible(tab.Tab, `#commitments`) {
			t.Error("under print media the sheet is not alone, or its answers are hidden")
		}
		media(tab.Tab, "")
		if pages, width, _ := printPDF(tab.Tab); pages < 1 || pages > 3 || width < 590 || width > 600 {
			t.Errorf("the printed sheet: %d pages %.0f pt wide, want A4", pages, width)
		}

		// Exported.
		rows := readSheet(t, tab.download(`#export-sheet`), "Nhóm câu hỏi")
		if len(rows) != 7 {
			t.Fatalf("the export has %d rows, want the header and 6 groups", len(rows))
		}
		if !slices.ContainsFunc(rows, func(r []string) bool {
			return cellAt(r, 2) == "Sửa đường vào các ấp" && strings.Contains(cellAt(r, 4), "quý I/2027")
		}) {
			t.Errorf("the export lacks the answered group: %q", rows)
		}

		// On a phone.
		phone, _ := newDeskTab(t, co.office, 390, 844, "Ban Dân vận xã 2", langnghe.RoleBoard)
		phone.Do("open the sheet on a phone", chromedp.Navigate(sheet), chromedp.WaitVisible(chromedp.CSS(`#question-sheet`)))
		phone.Fits("the sheet")
		phone.Do("open a group's forms",
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`#group-%d .members-box summary`, dredging))),
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`#group-%d .split-box summary`, dredging))),
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`#group-%d .answer-box summary`, dredging))),
		)
		phone.Fits("the sheet with a group's forms open")
		browsertest.Screenshot(t, phone.Ctx, "console-campaign-sheet-390.png")
	})
}

// The poster as a printer sees it: one A4 page, the console's frame gone,
// the QR code about 9 cm wide with the link under it, how to take part in
// Vietnamese; on screen it fits a phone.
func TestBrowserPoster(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		co := newBrowserOffice(t, db)
		cp, _ := co.dialogue()
		tab, _ := newDeskTab(t, co.office, 1366, 900, "Ban Dân vận", langnghe.RoleBoard)
		tab.Do("open the campaign", chromedp.Navigate(fmt.Sprintf("%s/console/campaigns/%d", co.srv.URL, cp.ID)),
			chromedp.Click(chromedp.CSS(`#poster-link`)), chromedp.WaitVisible(chromedp.CSS(`#poster`)))
		tab.WaitFor("the QR code", `document.querySelector('#poster-qr').complete && document.querySelector('#poster-qr').naturalWidth > 0`)
		if got := tab.Text(`#poster-link`); got != "https://t.me/"+testBot+"?start="+cp.Payload {
			t.Errorf("the poster's link %q", got)
		}
		how := tab.Text(`#poster-how`)
		for _, want := range []string{"quét mã QR", "Bắt đầu", "câu trả lời của lãnh đạo"} {
			if !strings.Contains(how, want) {
				t.Errorf("how to take part %q does not say %q", how, want)
			}
		}
		tab.Fits("the poster")

		media(tab.Tab, "print")
		browsertest.Screenshot(t, tab.Ctx, "console-campaign-poster.png")
		type printed struct {
			Header, Tools, Title string
			QR                   float64
			Font                 string
		}
		got := browsertest.Eval[printed](tab.Tab, `(() => ({
			Header: getComputedStyle(document.querySelector('header.top')).display,
			Tools: getComputedStyle(document.querySelector('.sheet-tools')).display,
			Title: getComputedStyle(document.querySelector('main > h1')).display,
			QR: document.querySelector('#poster-qr').getBoundingClientRect().width,
			Font: getComputedStyle(document.body).fontFamily}))()`)
		// 9 cm is 340 CSS pixels.
		if got.Header != "none" || got.Tools != "none" || got.Title != "none" || got.QR < 335 || got.QR > 345 || !strings.Contains(got.Font, "Times New Roman") {
			t.Errorf("under print media: %+v", got)
		}
		media(tab.Tab, "")
		pages, width, pdf := printPDF(tab.Tab)
		if pages != 1 || width < 590 || width > 600 {
			t.Errorf("the poster prints on %d pages %.0f pt wide, want one A4 page", pages, width)
		}
		if title := pdfTitle(pdf); !strings.Contains(title, "Áp phích") || !strings.Contains(title, cp.Title) {
			t.Errorf("the PDF's title %q", title)
		}

		phone, _ := newDeskTab(t, co.office, 390, 844, "Ban Dân vận xã 2", langnghe.RoleBoard)
		phone.Do("open the poster on a phone", chromedp.Navigate(fmt.Sprintf("%s/console/campaigns/%d/poster", co.srv.URL, cp.ID)),
			chromedp.WaitVisible(chromedp.CSS(`#poster-qr`)))
		phone.Fits("the poster")
	})
}

// The results in Chromium: a consultation's figures and charts for the
// board, and the public page, without signing in, on a 390 px phone and a
// wide screen; the public page's HTML names no resident.
func TestBrowserCampaignResults(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		co := newBrowserOffice(t, db)
		cons := co.consultation()
		dialogue, ids := co.dialogue()
		group := groupIDsOf(t, co, dialogue, ids[3])[0]
		err := co.svc.AnswerGroup(context.Background(), co.board, group, langnghe.GroupAnswer{
			Text: "Đất bán ngập được xem xét cấp giấy chứng nhận theo Luật Đất đai 2024.", AnsweredBy: "Ông Nguyễn Văn Bình, Chủ tịch UBND xã",
			RecordedBy: co.board.ID, At: co.now})
		if err != nil {
			t.Fatal(err)
		}
		tab, _ := newDeskTab(t, co.office, 1366, 900, "Ban Dân vận", langnghe.RoleBoard)
		tab.Do("open the results", chromedp.Navigate(fmt.Sprintf("%s/console/campaigns/%d/results", co.srv.URL, cons.ID)),
			chromedp.WaitVisible(chromedp.CSS(`#results-figures`)))
		bars := browsertest.Eval[[]string](tab.Tab, `[...document.querySelectorAll('#result-q1 g.bar')].map(g => g.dataset.key + '=' + g.dataset.value)`)
		if want := []string{"dong_y=3", "khong_dong_y=1", "y_kien_khac=1"}; !slices.Equal(bars, want) {
			t.Errorf("the choice's bars %v, want %v", bars, want)
		}
		if got := tab.Text(`#result-q2 .mean`); got != "3,60" {
			t.Errorf("the scale's mean %q", got)
		}
		tab.Fits("the results")
		browsertest.Screenshot(t, tab.Ctx, "console-campaign-results.png")

		for _, size := range []struct {
			width, height int64
			shot          string
		}{{390, 844, "campaign-public-390.png"}, {1366, 900, ""}} {
			for _, c := range []*langnghe.Campaign{dialogue, cons} {
				public := browsertest.Tab{T: t, Ctx: browsertest.Browser(t)}
				opts := []chromedp.EmulateViewportOption{chromedp.EmulatePortrait}
				if size.width < 800 {
					opts = append(opts, chromedp.EmulateMobile)
				}
				public.Do("open the public page",
					chromedp.EmulateViewport(size.width, size.height, opts...),
					chromedp.Navigate(co.srv.URL+console.PublicResultsPrefix+c.Payload),
					chromedp.WaitVisible(chromedp.CSS(`#results-figures`)),
				)
				public.Fits("the public page of " + c.Title)
				if got := public.Text(`[data-figure="participants"]`); got == "" || got == "0" {
					t.Errorf("the public page counts %q participants", got)
				}
				html := browsertest.Eval[string](public, `document.documentElement.outerHTML`)
				for _, s := range seededResidents {
					if strings.Contains(html, s.name) || strings.Contains(html, s.phone) {
						t.Errorf("the public page of %q names %s or their phone", c.Title, s.name)
					}
				}
				if c == dialogue {
					if !strings.Contains(html, "Luật Đất đai 2024") {
						t.Error("the public page does not show the leaders' answer")
					}
					if size.shot != "" {
						browsertest.Screenshot(t, public.Ctx, size.shot)
					}
				}
			}
		}
	})
}
