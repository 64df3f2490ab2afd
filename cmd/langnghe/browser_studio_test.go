package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langnghe"
	"langnghe/bot/telegramtest"
	"langnghe/config"
	"langnghe/flows/defaults"
	"langnghe/storage"
	"langnghe/web/browsertest"
)

// An admin edits send_opinion in the studio, in headless Chromium, against
// the real service and the fake Bot API: breaks it (the error shows at its
// line and publishing is refused), fixes it, tries it in the simulator to a
// submitted opinion (nothing is written), publishes it; a resident who was
// mid-conversation finishes on the old revision while a new one gets the
// new; a save based on an old revision is refused with the text kept; a
// rollback brings the old revision back to new conversations.
func TestBrowserStudio(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dbURL string) {
		fake := telegramtest.NewServer()
		defer fake.Close()
		svc := startService(t, fake, dbURL, nil)
		base := "http://" + svc.addr
		db := openDB(t, dbURL)
		ctx := context.Background()
		cfg := testConfig(t, map[string]string{"LANGNGHE_DATABASE_URL": dbURL})

		old := string(defaults.Files()["send_opinion.yaml"])
		const oldSummary, newSummary = "Ông/bà vui lòng kiểm tra lại:", "Xin ông/bà xem lại (phiên bản 2):"
		revised := strings.Replace(old, oldSummary, newSummary, 1)
		broken := strings.Replace(revised, "next: summary", "next: sumary", 1)
		if revised == old || broken == revised {
			t.Fatal("the default flow changed: update this test's marker texts")
		}
		brokenLine := strings.Count(broken[:strings.Index(broken, "next: sumary")], "\n") + 1

		// A resident is in the flow on revision 1, waiting at its first question.
		first := newResident(t, fake, 5101, "Mai", "vi")
		toDescribe(first)

		link := adminSignInLink(t, fake, cfg, base)
		b := studioPage{browsertest.Tab{T: t, Ctx: browsertest.Browser(t)}}
		b.Do("sign in",
			chromedp.Navigate(link),
			chromedp.Click(chromedp.CSS(`button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`header.top .who`)),
			chromedp.Navigate(base+"/console/studio/"),
			chromedp.Click(chromedp.CSS(`tr[data-flow="send_opinion"] a`)),
			chromedp.WaitVisible(chromedp.CSS(`.CodeMirror`)),
		)
		b.waitFor("the first check", `document.getElementById('flow-form').dataset.checked !== undefined`)

		// The admin breaks the flow: the error is marked at its line.
		b.setText(broken)
		b.waitFor("the error in the report", fmt.Sprintf(`document.getElementById('check-report').textContent.includes('dòng %d:11')`, brokenLine))
		b.waitFor("the error's mark on its line", fmt.Sprintf(
			`(document.querySelector('.CodeMirror').CodeMirror.lineInfo(%d).wrapClass || '').includes('line-error')`, brokenLine-1))
		if !b.is(`document.querySelectorAll('.CodeMirror .line-error').length === 1`) {
			t.Errorf("more lines than line %d are marked as errors", brokenLine)
		}
		if !b.is(`document.querySelector('#diagram .node.missing text.id').textContent === 'sumary'`) {
			t.Error("the diagram does not show the missing node sumary")
		}
		b.Do("go to the error", chromedp.Click(chromedp.CSS(`#check-report .problems.errors a`)))
		browsertest.Screenshot(t, b.Ctx, "studio-editor.png")

		// Publishing it is refused, and the text stays.
		if status := b.submit("publish the broken text", `#publish-button`); status != 422 {
			t.Errorf("publishing a broken text answered %d, want 422", status)
		}
		b.waitFor("the refusal", `document.getElementById('flow-error')?.textContent.includes('Chưa xuất bản')`)
		if !b.is(`document.querySelector('.CodeMirror').CodeMirror.getValue().includes('next: sumary')`) {
			t.Error("the refused text is not kept in the editor")
		}
		if f := flowInfo(t, db, "send_opinion"); f.LatestRevision != 1 || f.PublishedRevision != 1 {
			t.Fatalf("a refused publication stored something: %+v", f)
		}

		// The admin fixes it; the diagram follows.
		b.setText(revised)
		b.waitFor("the fixed text checked", `document.getElementById('check-report').textContent.includes('Không có lỗi')`)
		b.waitFor("the diagram redrawn", `!document.querySelector('#diagram .node.missing')`)
		b.Do("show the diagram", chromedp.ScrollIntoView(chromedp.CSS(`#diagram`)))
		browsertest.Screenshot(t, b.Ctx, "studio-diagram.png")

		// The simulator runs the draft to a submitted opinion, writing nothing.
		opinionsBefore := len(must(db.ListOpinions(ctx, langnghe.OpinionFilter{})))
		b.Do("start the simulator", chromedp.Click(chromedp.CSS(`#sim-start`)))
		b.waitChat("mô tả ngắn gọn")
		b.Do("describe", chromedp.SendKeys(chromedp.CSS(`#sim-text`), "Đèn đường ở ấp 2 bị hư cả tháng nay, buổi tối rất tối và nguy hiểm\r"))
		b.waitChat("xã/phường nào")
		b.Do("area", chromedp.SendKeys(chromedp.CSS(`#sim-text`), "Long Hòa\r"))
		b.waitChat("gửi kèm một ảnh")
		b.press("Bỏ qua")
		b.waitChat(newSummary)
		b.press("Gửi")
		b.waitFor("the opinion that would be stored", `[...document.querySelectorAll('#sim-chat .msg.stored')].some(m => m.textContent.includes('Sẽ lưu: ý kiến THU-0001'))`)
		if !b.is(`document.getElementById('sim-category').textContent.includes('(infrastructure)')`) {
			t.Errorf("the detected category is not shown beside the chat: %s", b.Text(`#sim-category`))
		}
		b.Do("show the simulator", chromedp.ScrollIntoView(chromedp.CSS(`#simulator`)))
		browsertest.Screenshot(t, b.Ctx, "studio-simulator.png")
		if n := len(must(db.ListOpinions(ctx, langnghe.OpinionFilter{}))); n != opinionsBefore {
			t.Fatalf("the simulator stored an opinion: %d opinions, %d before", n, opinionsBefore)
		}

		// Publish it.
		b.submit("save and publish", `#publish-button`)
		b.waitFor("the publication", `document.querySelector('p.flash')?.textContent.includes('Phiên bản 2 đã được xuất bản')`)
		if f := flowInfo(t, db, "send_opinion"); f.LatestRevision != 2 || f.PublishedRevision != 2 {
			t.Fatalf("after publishing: %+v", f)
		}

		// The resident who started before finishes on revision 1 ...
		first.say("Rác thải đổ bừa bãi ven đường gây mùi hôi")
		first.expect("xã/phường")
		first.press("Bỏ qua")
		first.expect("ảnh")
		first.say("Bỏ qua")
		if m := first.expect("bấm «Gửi»"); !strings.Contains(m.Text, oldSummary) {
			t.Fatalf("a running conversation moved to the new revision: %q", m.Text)
		}
		first.press("Gửi")
		if o := must(db.Opinion(ctx, first.expectCode())); o.FlowRevision != 1 {
			t.Fatalf("the first resident's opinion is on revision %d, want 1", o.FlowRevision)
		}
		// ... and a new one gets revision 2.
		second := newResident(t, fake, 5102, "Tuấn", "vi")
		if summary := toSummary(second); !strings.Contains(summary, newSummary) {
			t.Fatalf("a new conversation did not get the published revision: %q", summary)
		}

		// Someone saves revision 3 from the command line while the admin
		// still edits revision 2: the admin's save is refused, the text kept.
		third := strings.Replace(revised, "Ông/bà vui lòng mô tả ngắn gọn", "Xin mô tả ngắn gọn", 1)
		path := filepath.Join(t.TempDir(), "send_opinion.yaml")
		if err := os.WriteFile(path, []byte(third), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := flowsCmd(ctx, cfg, []string{"import", path}, &bytes.Buffer{}, io.Discard); err != nil {
			t.Fatal(err)
		}
		mine := revised + "# Bản của quản trị viên\n"
		b.setText(mine)
		if status := b.submit("a stale save", `#save-button`); status != 409 {
			t.Errorf("a stale save answered %d, want 409", status)
		}
		b.waitFor("the stale save's refusal", `document.getElementById('flow-error')?.textContent.includes('phiên bản 3 của kịch bản này sau khi ông/bà mở phiên bản 2')`)
		if !b.is(`document.querySelector('.CodeMirror').CodeMirror.getValue().includes('# Bản của quản trị viên')`) {
			t.Error("the refused text is not kept in the editor")
		}
		if f := flowInfo(t, db, "send_opinion"); f.LatestRevision != 3 {
			t.Fatalf("after the refused save: %+v", f)
		}

		// Roll back to revision 1: new conversations get it again.
		b.submit("roll back", `#revisions tr[data-revision="1"] button.publish-revision`)
		b.waitFor("the rollback", `document.querySelector('p.flash')?.textContent.includes('Phiên bản 1 đã được xuất bản')`)
		if f := flowInfo(t, db, "send_opinion"); f.PublishedRevision != 1 {
			t.Fatalf("after the rollback: %+v", f)
		}
		fourth := newResident(t, fake, 5103, "Hạnh", "vi")
		if summary := toSummary(fourth); !strings.Contains(summary, oldSummary) {
			t.Fatalf("after the rollback a new conversation got %q", summary)
		}
	})
}

// adminSignInLink invites an admin, accepts the invitation as the chat
// would (through the fake Bot API), and returns a console sign-in link.
func adminSignInLink(t *testing.T, fake *telegramtest.Server, cfg *config.Config, base string) string {
	t.Helper()
	ctx := context.Background()
	var out bytes.Buffer
	if err := officialsCmd(ctx, cfg, []string{"invite", "--role", "admin", "--name", "Chị Quản trị"}, &out, io.Discard); err != nil {
		t.Fatalf("invite: %v\n%s", err, out.String())
	}
	code := regexp.MustCompile(`/start (inv_[a-z2-7]+)`).FindStringSubmatch(out.String())
	if code == nil {
		t.Fatalf("no invitation code in:\n%s", out.String())
	}
	admin := newResident(t, fake, 5001, "Quản trị", "vi")
	admin.say("/start " + code[1])
	admin.next()
	out.Reset()
	if err := officialsCmd(ctx, cfg, []string{"list", "--json"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var o langnghe.Official
		if err := json.Unmarshal([]byte(line), &o); err == nil && o.Role == langnghe.RoleAdmin && o.ExternalID == "5001" {
			id = o.ID
		}
	}
	if id == 0 {
		t.Fatalf("the invitation was not accepted:\n%s", out.String())
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

// toDescribe takes a new resident (declining the contact consent) to the
// first question of send_opinion.
func toDescribe(r *resident) {
	r.t.Helper()
	r.say("/start")
	r.expect("chọn ngôn ngữ")
	r.press("Tiếng Việt")
	r.expect("đồng ý không")
	r.press("Không đồng ý")
	r.expect("cần gì")
	r.press("Gửi ý kiến")
	r.expect("mô tả")
}

// toSummary takes a new resident through send_opinion to its summary and
// returns it.
func toSummary(r *resident) string {
	r.t.Helper()
	toDescribe(r)
	r.say("Cống thoát nước trước chợ bị tắc, mưa xuống là ngập cả đoạn đường")
	r.expect("xã/phường")
	r.press("Bỏ qua")
	r.expect("ảnh")
	r.say("Bỏ qua")
	return r.expect("bấm «Gửi»").Text
}

// studioPage is the admin's browser tab.
type studioPage struct{ browsertest.Tab }

// submit clicks the button css selects, waits for the page it loads, and
// returns its HTTP status.
func (p studioPage) submit(what, css string) int64 {
	p.T.Helper()
	resp, err := chromedp.RunResponse(p.Ctx, chromedp.Click(chromedp.CSS(css)))
	if err != nil {
		p.T.Fatalf("%s: %v", what, err)
	}
	return resp.Status
}

// is evaluates a JavaScript condition.
func (p studioPage) is(js string) bool {
	p.T.Helper()
	return browsertest.Eval[bool](p.Tab, js)
}

// waitFor waits until the JavaScript condition is true.
func (p studioPage) waitFor(what, js string) {
	p.T.Helper()
	p.WaitFor(what, js, chromedp.WithPollingTimeout(20*time.Second))
}

// setText replaces the editor's text, as typing it would.
func (p studioPage) setText(text string) {
	p.T.Helper()
	if !p.is(`(() => { document.querySelector('.CodeMirror').CodeMirror.setValue(` + jsString(text) + `); return true; })()`) {
		p.T.Fatal("the editor's text was not set")
	}
}

// waitChat waits for the simulator's chat to show text.
func (p studioPage) waitChat(text string) {
	p.T.Helper()
	p.waitFor("the simulator to say "+text, `document.getElementById('sim-chat').textContent.includes(`+jsString(text)+`)`)
}

// press presses the simulator's live button labelled label.
func (p studioPage) press(label string) {
	p.T.Helper()
	if !p.is(`(() => { const b = [...document.querySelectorAll('#sim-chat button:not([disabled])')].find(b => b.textContent.trim() === ` + jsString(label) + `); if (b) { b.click(); } return !!b; })()`) {
		p.T.Fatalf("no live button %q in the simulator: %s", label, p.Text(`#sim-chat`))
	}
}

func jsString(s string) string {
	quoted, _ := json.Marshal(s)
	return string(quoted)
}

func flowInfo(t *testing.T, db *storage.DB, id string) langnghe.FlowInfo {
	t.Helper()
	for _, f := range must(db.Flows(context.Background())) {
		if f.ID == id {
			return f
		}
	}
	t.Fatalf("no flow %s", id)
	return langnghe.FlowInfo{}
}
