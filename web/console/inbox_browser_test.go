package console_test

import (
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"langnghe"
	"langnghe/storage"
	"langnghe/storage/storagetest"
	"langnghe/web/browsertest"
	"langnghe/web/console"
)

// deskTab is an official's Chromium tab on the office's console.
type deskTab struct {
	browsertest.Tab
	o *office
}

// newDeskTab signs a new official in, in a browser of width×height.
func newDeskTab(t *testing.T, o *office, width, height int64, name string, role langnghe.Role, units ...string) (deskTab, *langnghe.Official) {
	t.Helper()
	off, token := o.officialToken(name, role, units...)
	tab := deskTab{browsertest.Tab{T: t, Ctx: browsertest.Browser(t)}, o}
	opts := []chromedp.EmulateViewportOption{chromedp.EmulatePortrait}
	if width < 800 {
		opts = append(opts, chromedp.EmulateMobile)
	}
	tab.Do("open the sign-in link",
		chromedp.EmulateViewport(width, height, opts...),
		chromedp.Navigate(console.SignInLink(o.srv.URL, token)),
		chromedp.WaitVisible(chromedp.CSS(`button[type=submit]`)),
	)
	tab.Fits("the sign-in page")
	tab.Do("sign in", chromedp.Click(chromedp.CSS(`button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#strip`)))
	return tab, off
}

// officialToken creates an official with a chat and a sign-in token valid
// for ten minutes of the real clock (the browser checks the cookie's).
func (o *office) officialToken(name string, role langnghe.Role, units ...string) (*langnghe.Official, string) {
	o.t.Helper()
	o.seq++
	account := strconv.Itoa(8800 + o.seq)
	off := &langnghe.Official{Name: name, Role: role, Units: units, Channel: langnghe.ChannelTelegram, ExternalID: account, ChatID: account}
	var token string
	err := o.db.InTx(context.Background(), func(tx *storage.Tx) (err error) {
		if err := tx.CreateOfficial(context.Background(), off); err != nil {
			return err
		}
		token, err = tx.CreateSignInToken(context.Background(), off.ID, time.Now().Add(10*time.Minute))
		return err
	})
	if err != nil {
		o.t.Fatal(err)
	}
	return off, token
}

// stripCounts are the strip's counts by entry.
func (tab deskTab) stripCounts() map[string]string {
	tab.T.Helper()
	return browsertest.Eval[map[string]string](tab.Tab, `Object.fromEntries([...document.querySelectorAll('#strip a')].map(a =>
		[a.id.replace('strip-', ''), a.querySelector('.n').textContent]))`)
}

// codes are the opinion codes the list shows, in order.
func (tab deskTab) codes() []string {
	tab.T.Helper()
	return browsertest.Eval[[]string](tab.Tab, `[...document.querySelectorAll('table.list td:first-child a')].map(a => a.textContent)`)
}

// download clicks the link css selects and returns the file the browser saved.
func (tab deskTab) download(css string) []byte {
	tab.T.Helper()
	dir := tab.T.TempDir()
	progress := chromedp.Events(tab.Ctx, browser.DownloadProgress)
	enabled := true
	tab.Do("download "+css,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &enabled,
			})
			return err
		}),
		chromedp.Click(chromedp.CSS(css)),
	)
	for ev, err := range progress {
		if err != nil {
			tab.T.Fatalf("wait for the download: %v", err)
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			tab.T.Fatal("the download was cancelled")
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			body, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				tab.T.Fatal(err)
			}
			return body
		}
	}
	tab.T.Fatal("no download")
	return nil
}

// The officials' desk in Chromium on a 1366 px screen: the strip's counts
// on seeded data, the unit's list by due date, the strip's filter exported
// to Excel and the file checked, an assignment and the assignee's Telegram
// message, and the case sheet as printed.
func TestBrowserInboxDesk(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		o.now = time.Now().In(officeZone)
		w := seedUrgent(t, o)
		colleague, _ := o.officialToken("Trần Thị Bình", langnghe.RoleUnit, "land_environment")
		tab, _ := newDeskTab(t, o, 1366, 900, "Nguyễn Văn Chánh", langnghe.RoleUnit, "land_environment")

		if got, want := tab.stripCounts(), map[string]string{"overdue": "1", "soon": "1", "untaken": "2", "unsatisfied": "1",
			"emergencies": "1", "mine": "0"}; !maps(got, want) {
			t.Errorf("strip %v, want %v", got, want)
		}
		if got, want := tab.codes(), codeList(w.overdue, w.soon, w.untaken, w.unsatisfied); !slices.Equal(got, want) {
			t.Errorf("the inbox lists %v, want the open ones by due date, overdue first: %v", got, want)
		}
		if text := tab.Text(`table.list tbody tr:first-child`); !strings.Contains(text, "Quá hạn") {
			t.Errorf("the first row is not marked overdue: %q", text)
		}
		if text := tab.Text(`table.list tbody tr:nth-child(4)`); !strings.Contains(text, "Người dân chưa hài lòng") {
			t.Errorf("the dissatisfied row shows no mark: %q", text)
		}
		// On a wide screen the filters are open without the «Lọc» button.
		if !browsertest.Eval[bool](tab.Tab, `document.querySelector('#f-q').checkVisibility() && !document.querySelector('details.filter-box > summary').checkVisibility()`) {
			t.Error("at 1366 px the filters are folded")
		}
		tab.Fits("the inbox")
		browsertest.Screenshot(t, tab.Ctx, "console-inbox.png")

		// The strip's "not taken" filter, exported: the file holds the rows shown.
		tab.Do("filter by the strip",
			chromedp.Click(chromedp.CSS(`#strip-untaken`)),
			chromedp.WaitVisible(chromedp.CSS(`#strip-untaken[aria-current]`)),
		)
		shown := tab.codes()
		if want := codeList(w.overdue, w.untaken); !slices.Equal(shown, want) {
			t.Errorf("the strip's 'not taken' lists %v, want %v", shown, want)
		}
		if href := browsertest.Eval[string](tab.Tab, `document.querySelector('#export-inbox').getAttribute('href')`); !strings.Contains(href, "only=untaken") {
			t.Errorf("the export link %q does not carry the filter", href)
		}
		rows := readSheet(t, tab.download(`#export-inbox`), "Ý kiến")
		var exported []string
		for _, r := range rows[1:] {
			exported = append(exported, r[0])
		}
		if !slices.Equal(exported, shown) || rows[0][0] != "Mã" || rows[1][8] != "Quá hạn" || !strings.Contains(rows[2][12], "xây lấn") {
			t.Errorf("the export %q, want the rows shown %v", rows, shown)
		}

		// Assign the untaken one to a colleague.
		tab.Do("assign",
			chromedp.Navigate(o.srv.URL+"/console/opinions/"+w.untaken.Code),
			chromedp.Click(chromedp.Search(`//form[@id="act-assign"]/parent::details/summary`)),
			chromedp.SetValue(chromedp.CSS(`#assign-official`), strconv.FormatInt(colleague.ID, 10)),
			chromedp.SendKeys(chromedp.CSS(`#assign-note`), "Chị xuống hiện trường giúp"),
			chromedp.Click(chromedp.CSS(`#act-assign button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`p.flash`)),
		)
		if flash := tab.Text(`p.flash`); !strings.Contains(flash, "Đã giao ý kiến") {
			t.Errorf("after assigning the page says %q", flash)
		}
		if history := tab.Text(`table.history`); !strings.Contains(history, "Nguyễn Văn Chánh") || !strings.Contains(history, "Giao cho Trần Thị Bình") {
			t.Errorf("the history does not say who assigned whom: %q", history)
		}
		msgs, err := o.db.TakeChat(context.Background(), langnghe.ChannelTelegram, colleague.ChatID)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 || !strings.Contains(msgs[0].Message.Text, "📌 Nguyễn Văn Chánh giao ý kiến này cho đồng chí xử lý.") ||
			!strings.Contains(msgs[0].Message.Text, w.untaken.Code) || !strings.Contains(msgs[0].Message.Text, "Chị xuống hiện trường giúp") {
			t.Errorf("the assignee's Telegram messages: %+v", msgs)
		}
		tab.Fits("the opinion")
		browsertest.Screenshot(t, tab.Ctx, "console-opinion.png")

		// The case sheet, printed.
		tab.Do("open the case sheet",
			chromedp.Click(chromedp.CSS(`#sheet-link`)),
			chromedp.WaitVisible(chromedp.CSS(`#case-sheet`)),
		)
		if got := tab.Text(`#sheet-assignee`); got != "Trần Thị Bình" {
			t.Errorf("the sheet's official in charge: %q", got)
		}
		tab.Fits("the case sheet")
		browsertest.Screenshot(t, tab.Ctx, "console-case-sheet.png")
		checkPrinted(t, tab, w.untaken.Code)
	})
}

// checkPrinted checks the case sheet as a printer sees it: under print
// media the console's frame is gone and the sheet is set in a serif on A4;
// Chromium's PDF of it is one or two A4 pages titled with the code.
func checkPrinted(t *testing.T, tab deskTab, code string) {
	t.Helper()
	media(tab.Tab, "print")
	type printed struct {
		Header, Title, Button, Heading, Font, Sheet string
	}
	got := browsertest.Eval[printed](tab.Tab, `(() => {
		const css = s => { const el = document.querySelector(s); return el ? getComputedStyle(el) : null; };
		return {Header: css('header.top').display, Title: css('main > h1').display,
			Heading: document.querySelector('#sheet-unit').textContent, Font: css('body').fontFamily, Sheet: css('#case-sheet').display,
			Button: document.querySelector('#print-sheet').checkVisibility() ? 'shown' : 'none'};
	})()`)
	if got.Header != "none" || got.Title != "none" || got.Button != "none" || got.Sheet == "none" ||
		!strings.Contains(got.Font, "Times New Roman") || got.Heading != "PHÒNG NÔNG NGHIỆP VÀ MÔI TRƯỜNG (CHI NHÁNH VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI)" {
		t.Errorf("under print media: %+v", got)
	}
	media(tab.Tab, "")
	pages, width, pdf := printPDF(tab.Tab) // a file that is not a PDF fails here
	if pages < 1 || pages > 2 || width == 0 {
		t.Fatalf("the PDF: %d bytes, %d pages, %v pt wide (no media box?)", len(pdf), pages, width)
	}
	if width < 590 || width > 600 {
		t.Errorf("the PDF's page is %v pt wide, want A4's 595", width)
	}
	if title := pdfTitle(pdf); !strings.Contains(title, "Phiếu theo dõi xử lý "+code) {
		t.Errorf("the PDF's title %q does not name the sheet", title)
	}
}

// pdfTitle is the document title of a PDF (its Info dictionary's /Title,
// a UTF-16 hex string or a literal).
func pdfTitle(pdf []byte) string {
	if m := regexp.MustCompile(`/Title\s*<FEFF([0-9A-Fa-f]*)>`).FindSubmatch(pdf); m != nil {
		b, err := hex.DecodeString(string(m[1]))
		if err != nil {
			return ""
		}
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
		return string(utf16.Decode(u))
	}
	if m := regexp.MustCompile(`/Title\s*\(([^)]*)\)`).FindSubmatch(pdf); m != nil {
		return string(m[1])
	}
	return ""
}

// A phone is a first-class screen: at 390 px nothing on the sign-in page,
// the inbox (filters folded behind «Lọc», and open), an opinion, its case
// sheet, the day's emergencies or the reports is wider than the screen.
func TestBrowserPhone(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		o := newOffice(t, db)
		o.now = time.Now().In(officeZone)
		w := seedUrgent(t, o)
		tab, _ := newDeskTab(t, o, 390, 844, "Nguyễn Văn Chánh", langnghe.RoleUnit, "land_environment")
		if got := tab.stripCounts(); got["overdue"] != "1" || got["untaken"] != "2" {
			t.Errorf("strip on the phone %v", got)
		}
		type folded struct {
			Button bool `json:"button"`
			Open   bool `json:"open"`
			Shown  bool `json:"shown"`
		}
		f := browsertest.Eval[folded](tab.Tab, `(() => { const s = document.querySelector('details.filter-box > summary');
			return {button: s.checkVisibility() && s.textContent.includes('Lọc'), open: s.parentElement.open,
				shown: document.querySelector('#f-q').checkVisibility()}; })()`)
		if !f.Button || f.Open || f.Shown {
			t.Errorf("at 390 px the filters are not folded behind «Lọc»: %+v", f)
		}
		if first := browsertest.Eval[float64](tab.Tab, `document.querySelector('table.list').getBoundingClientRect().top`); first > 844 {
			t.Errorf("the first opinion starts at %.0f px, below the first screen", first)
		}
		tab.Fits("the inbox")
		browsertest.Screenshot(t, tab.Ctx, "console-inbox-390.png")
		tab.Do("open the filters", chromedp.Click(chromedp.CSS(`details.filter-box > summary`)), chromedp.WaitVisible(chromedp.CSS(`#f-q`)))
		tab.Fits("the inbox with its filters open")

		for _, p := range []struct{ what, path, ready, shot string }{
			{"an opinion", "/console/opinions/" + w.unsatisfied.Code, `#opinion-text`, "console-opinion-390.png"},
			{"the case sheet", "/console/opinions/" + w.unsatisfied.Code + "/sheet", `#case-sheet`, ""},
			{"the day's emergencies", "/console/emergencies", `#emergencies-today`, ""},
			{"the reports", "/console/reports", `#totals`, ""},
		} {
			tab.Do("open "+p.what, chromedp.Navigate(o.srv.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
			tab.Fits(p.what)
			if p.shot != "" {
				browsertest.Screenshot(t, tab.Ctx, p.shot)
			}
		}
		// The charts' names are whole: none starts left of its chart.
		cut := browsertest.Eval[[]string](tab.Tab, `[...document.querySelectorAll('figure.chart svg text')].filter(t => {
			const b = t.getBBox(); return b.x < 0 || b.x + b.width > t.ownerSVGElement.viewBox.baseVal.width;
		}).map(t => t.textContent)`)
		if len(cut) > 0 {
			t.Errorf("chart labels cut at the chart's edge: %q", cut)
		}
	})
}
