package main

import (
	"bytes"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langnghe/bot/telegramtest"
	"langnghe/web/browsertest"
)

// The README's conversation screenshots (docs/chat-*.png) are real
// conversations: the service runs against the fake Bot API through the real
// Telegram library, a resident plays a script, and what the fake received
// is drawn as a Telegram chat and photographed by Chromium. Refresh them
// with
//
//	LANGNGHE_SCREENSHOTS=$PWD/docs go test ./cmd/langnghe -run BrowserConversations
//
// (the same variable as the console's screenshots). Without it the test
// still plays the conversations and checks that the page shows every
// message and button.

// chatStep is one thing the resident does, and a text in the last message
// of the bot's answer (the question that ends the turn).
type chatStep struct {
	say, press, contact string // one of them
	expect              string
}

// chatEntry is one bubble of the chat page.
type chatEntry struct {
	Resident bool
	Text     string
	At       string     // hh:mm
	Inline   [][]string // inline buttons' labels
	Keyboard [][]string // a reply keyboard's keys
	Pressed  string     // the inline button the resident pressed
}

// chatScript is one conversation: who, and the steps.
type chatScript struct {
	file  string // the screenshot's name
	title string // the caption above the chat
	user  telegramtest.User
	steps []chatStep
}

// playChat plays s against the running service and returns the bubbles:
// what the resident wrote or shared, and every message the bot sent, edits
// applied to the message they edit.
func playChat(t *testing.T, fake *telegramtest.Server, s chatScript) []chatEntry {
	t.Helper()
	chat := s.user.ChatID()
	r := &resident{t: t, fake: fake, user: s.user, seen: len(fake.Sent(chat))}
	var entries []chatEntry
	byID := map[int]int{} // the bot's message id → its entry
	for _, st := range s.steps {
		now := time.Now().Format("15:04")
		switch {
		case st.say != "":
			r.say(st.say)
			entries = append(entries, chatEntry{Resident: true, Text: st.say, At: now})
		case st.contact != "":
			r.fake.SendContact(r.user, st.contact)
			entries = append(entries, chatEntry{Resident: true, Text: "👤 " + r.user.FirstName + "\n" + st.contact, At: now})
		case st.press != "":
			r.press(st.press)
			markPressed(t, entries, st.press)
		}
		from := r.seen
		r.expect(st.expect)
		for _, m := range fake.Sent(chat)[from:r.seen] {
			e := chatEntry{Text: m.Text, At: m.At.Format("15:04")}
			for _, row := range m.InlineKeyboard {
				var labels []string
				for _, b := range row {
					labels = append(labels, b.Text)
				}
				e.Inline = append(e.Inline, labels)
			}
			for _, row := range m.Keyboard {
				var keys []string
				for _, k := range row {
					keys = append(keys, k.Text)
				}
				e.Keyboard = append(e.Keyboard, keys)
			}
			if i, ok := byID[m.MessageID]; ok && strings.HasPrefix(m.Method, "edit") {
				if m.Method == "editMessageText" {
					entries[i].Text = m.Text
				}
				entries[i].Inline = e.Inline
				continue
			}
			byID[m.MessageID] = len(entries)
			entries = append(entries, e)
		}
	}
	return entries
}

// markPressed marks label on the newest bubble with inline buttons.
func markPressed(t *testing.T, entries []chatEntry, label string) {
	t.Helper()
	for i := len(entries) - 1; i >= 0; i-- {
		for _, row := range entries[i].Inline {
			for _, l := range row {
				if strings.Contains(strings.ToLower(l), strings.ToLower(label)) {
					entries[i].Pressed = l
					return
				}
			}
		}
		if len(entries[i].Inline) > 0 {
			break
		}
	}
	t.Fatalf("no button %q on the last keyboard", label)
}

// chatPage draws the bubbles as Telegram's light theme does: the bot's
// messages on the left with their inline buttons under them (the pressed
// one marked), the resident's on the right, a reply keyboard (share the
// phone number or the place) as the panel it opens.
var chatPage = template.Must(template.New("chat").Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.35 -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; background: #c8d9b4; color: #000; }
header { position: sticky; top: 0; display: flex; align-items: center; gap: 10px; padding: 8px 12px; background: #517da2; color: #fff; }
header .avatar { width: 38px; height: 38px; border-radius: 50%; background: #e17076; display: grid; place-items: center; font-weight: 600; }
header .name { font-weight: 600; }
header .sub { font-size: 13px; opacity: .8; }
.caption { margin: 10px auto 4px; width: fit-content; max-width: 90%; padding: 3px 10px; border-radius: 12px; background: rgba(0,0,0,.25); color: #fff; font-size: 13px; text-align: center; }
main { padding: 6px 10px 14px; display: flex; flex-direction: column; gap: 6px; }
.msg { max-width: 86%; padding: 6px 9px 4px; border-radius: 12px; white-space: pre-wrap; overflow-wrap: anywhere; box-shadow: 0 1px 1px rgba(0,0,0,.15); }
.bot { align-self: flex-start; background: #fff; border-bottom-left-radius: 4px; }
.me { align-self: flex-end; background: #effdde; border-bottom-right-radius: 4px; }
.at { float: right; margin: 6px 0 0 10px; font-size: 11px; color: #8a9a8a; }
.me .at { color: #5fa85a; }
.me .at::after { content: " ✓✓"; }
.buttons { align-self: flex-start; max-width: 86%; width: 86%; display: flex; flex-direction: column; gap: 3px; margin-top: -3px; }
.row { display: flex; gap: 3px; }
.button { flex: 1; padding: 7px 6px; border-radius: 8px; background: rgba(60,90,50,.35); color: #fff; font-size: 14px; font-weight: 500; text-align: center; }
.button.pressed { background: rgba(40,70,120,.75); outline: 2px solid #fff; }
.keyboard { align-self: stretch; margin: 0 -10px; padding: 6px; background: #f0f0f0; border-top: 1px solid #ddd; display: flex; flex-direction: column; gap: 5px; }
.keyboard .key { flex: 1; padding: 9px 6px; border-radius: 6px; background: #fff; box-shadow: 0 1px 1px rgba(0,0,0,.2); text-align: center; font-size: 14px; }
</style></head><body>
<header><div class="avatar">LN</div><div><div class="name">Lắng nghe</div><div class="sub">bot</div></div></header>
<div class="caption">{{.Title}}</div>
<main>
{{range .Entries}}{{if .Resident}}<div class="msg me">{{.Text}}<span class="at">{{.At}}</span></div>
{{else}}<div class="msg bot">{{.Text}}<span class="at">{{.At}}</span></div>
{{$pressed := .Pressed}}{{if .Inline}}<div class="buttons">{{range .Inline}}<div class="row">{{range .}}<div class="button{{if eq . $pressed}} pressed{{end}}">{{.}}</div>{{end}}</div>{{end}}</div>
{{end}}{{if .Keyboard}}<div class="keyboard">{{range .Keyboard}}<div class="row">{{range .}}<div class="key">{{.}}</div>{{end}}</div>{{end}}</div>
{{end}}{{end}}{{end}}
</main></body></html>
`))

// TestBrowserConversations plays the README's conversations and draws them:
// a first-time resident in 7 inputs (the concern typed right after /start,
// a hamlet of a former commune proposed from the text), the same resident
// back in 5 (the number offered back), a question answered from the FAQ
// and a cancel in words, and a resident who declines the consent, picks
// one of two names that fold alike, and corrects the place at the summary
// with a former commune's name.
func TestBrowserConversations(t *testing.T) {
	tab := browsertest.Tab{T: t, Ctx: browsertest.Browser(t)}
	fake := telegramtest.NewServer()
	defer fake.Close()
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "langnghe.db")
	startService(t, fake, dbURL, map[string]string{"LANGNGHE_TELEGRAM_MODE": "polling"})

	lan := telegramtest.User{ID: 7401, FirstName: "Lan", LanguageCode: "vi"}
	tuan := telegramtest.User{ID: 7402, FirstName: "Tuấn", LanguageCode: "vi"}
	scripts := []chatScript{
		{file: "chat-first-time.png", title: "Lần đầu: gõ ngay sự việc sau /start, 7 lượt", user: lan, steps: []chatStep{
			{say: "/start", expect: "chọn ngôn ngữ"},
			{say: "Đèn đường ở đầu ấp Hòa Cường tắt cả tháng nay, tối rất nguy hiểm", expect: "đồng ý không"},
			{press: "Tôi đồng ý", expect: "đúng không"},
			{press: "ấp Hòa Cường", expect: "ảnh"},
			{say: "không có ảnh", expect: "số điện thoại"},
			{contact: "+84 912 345 678", expect: "kiểm tra lại"},
			{press: "Gửi", expect: "Mã ý kiến"},
		}},
		{file: "chat-returning.png", title: "Lần sau: 5 lượt, số điện thoại được mời dùng lại", user: lan, steps: []chatStep{
			{say: "Đường trước chợ Minh Thạnh có ổ gà lớn, xe máy ngã mấy lần rồi", expect: "đúng không"},
			{press: "xã Minh Thạnh", expect: "ảnh"},
			{say: "bỏ qua", expect: "0912 xxx 678"},
			{press: "Dùng số", expect: "kiểm tra lại"},
			{say: "gửi", expect: "Mã ý kiến"},
		}},
		{file: "chat-faq-cancel.png", title: "Câu hỏi được trả lời; hủy bằng lời", user: lan, steps: []chatStep{
			{say: "thủ tục làm sổ đỏ cần giấy tờ gì?", expect: "Gửi thành ý kiến"},
			{press: "Gửi thành ý kiến", expect: "xã/phường"},
			{say: "thôi, tôi sợ bị trả thù, không gửi nữa", expect: "muốn hủy"},
			{press: "Hủy, không gửi", expect: "Đã hủy"},
		}},
		{file: "chat-places-edits.png", title: "Tên xã cũ, tên trùng, sửa trước khi gửi", user: tuan, steps: []chatStep{
			{say: "/start", expect: "chọn ngôn ngữ"},
			{say: "Nhà văn hóa ấp bị dột nặng, mưa xuống là không sinh hoạt được", expect: "đồng ý không"},
			{press: "Không đồng ý", expect: "xã/phường nào"},
			{say: "thanh an", expect: "trùng tên"},
			{press: "Dầu Tiếng cũ", expect: "ảnh"},
			{say: "không có ảnh", expect: "kiểm tra lại"},
			{press: "Sửa địa bàn", expect: "xã/phường nào"},
			{say: "minh hoa", expect: "Minh Hòa cũ"},
			{press: "xã Minh Hòa cũ", expect: "kiểm tra lại"},
			{press: "Gửi", expect: "Mã ý kiến"},
		}},
	}
	for _, s := range scripts {
		entries := playChat(t, fake, s)
		var page bytes.Buffer
		if err := chatPage.Execute(&page, map[string]any{"Title": s.title, "Entries": entries}); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), strings.TrimSuffix(s.file, ".png")+".html")
		if err := os.WriteFile(path, page.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		tab.Do("open "+path,
			chromedp.EmulateViewport(420, 800, chromedp.EmulatePortrait),
			chromedp.Navigate("file://"+path),
			chromedp.WaitVisible(chromedp.CSS(`main`)),
		)
		// The page shows every bubble, and each of the bot's texts.
		if n := browsertest.Eval[int](tab, `document.querySelectorAll('.msg').length`); n != len(entries) {
			t.Errorf("%s: %d bubbles drawn, want %d", s.file, n, len(entries))
		}
		shown := tab.Text(`main`)
		for _, e := range entries {
			first, _, _ := strings.Cut(e.Text, "\n")
			if !strings.Contains(shown, first) {
				t.Errorf("%s: the page does not show %q", s.file, first)
			}
		}
		browsertest.Screenshot(t, tab.Ctx, s.file)
	}
}
