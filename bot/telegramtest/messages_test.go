package telegramtest_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"langnghe/bot/telegramtest"
)

func TestInlineKeyboardRoundTrip(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	s.SendText(lan, "/start")

	msg := tgbotapi.NewMessage(lan.ID, "Ý kiến của bạn về lĩnh vực nào?")
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonData("Đất đai", "cat:land"),
			tgbotapi.NewInlineKeyboardButtonData("Y tế", "cat:health"),
		),
		tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonURL("Cổng DVC", "https://dichvucong.gov.vn")),
	)
	sent, err := bot.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	if sent.MessageID != 2 || sent.ReplyMarkup == nil || len(sent.ReplyMarkup.InlineKeyboard) != 2 {
		t.Fatalf("sent = %+v, want message 2 (after Lan's 1) with the keyboard echoed", sent)
	}

	got := s.Sent(lan.ID)
	want := [][]telegramtest.Button{
		{{Text: "Đất đai", CallbackData: "cat:land"}, {Text: "Y tế", CallbackData: "cat:health"}},
		{{Text: "Cổng DVC", URL: "https://dichvucong.gov.vn"}},
	}
	if len(got) != 1 || got[0].Method != "sendMessage" || !equalKeyboards(got[0].InlineKeyboard, want) {
		t.Fatalf("Sent = %+v, want the message with keyboard %v", got, want)
	}

	press := s.PressButton(lan, sent.MessageID, "cat:land")
	updates, err := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: press})
	if err != nil {
		t.Fatal(err)
	}
	cq := updates[0].CallbackQuery
	if cq == nil || cq.Data != "cat:land" || cq.From.ID != lan.ID || cq.Message.MessageID != sent.MessageID ||
		cq.Message.Text != msg.Text || cq.Message.Chat.ID != lan.ID {
		t.Fatalf("callback = %+v, want Lan's press on message %d", cq, sent.MessageID)
	}
	if _, answered := s.Answered(press); answered {
		t.Error("Answered before the bot answered")
	}
	if _, err := bot.Request(tgbotapi.NewCallback(cq.ID, "Đã chọn")); err != nil {
		t.Fatal(err)
	}
	if a, ok := s.Answered(press); !ok || a.Text != "Đã chọn" {
		t.Errorf("Answered = %+v, %v; want the answer text", a, ok)
	}
	_, err = bot.Request(tgbotapi.NewCallback(cq.ID, "again"))
	if e := apiError(t, err); e.Code != http.StatusBadRequest {
		t.Errorf("second answer = %d %q, want 400", e.Code, e.Message)
	}
}

func equalKeyboards(a, b [][]telegramtest.Button) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

func TestReplyKeyboardIsRecorded(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	ask := tgbotapi.NewMessage(lan.ID, "Chia sẻ số điện thoại?")
	ask.ReplyMarkup = tgbotapi.NewOneTimeReplyKeyboard(tgbotapi.NewKeyboardButtonRow(
		tgbotapi.NewKeyboardButtonContact("Gửi số điện thoại"), tgbotapi.NewKeyboardButtonLocation("Gửi vị trí")))
	thanks := tgbotapi.NewMessage(lan.ID, "Cảm ơn")
	thanks.ReplyMarkup = tgbotapi.NewRemoveKeyboard(false)
	for _, m := range []tgbotapi.MessageConfig{ask, thanks} {
		if _, err := bot.Send(m); err != nil {
			t.Fatal(err)
		}
	}
	got := s.Sent(lan.ID)
	if len(got) != 2 {
		t.Fatalf("Sent = %d messages, want 2", len(got))
	}
	want := []telegramtest.KeyboardButton{{Text: "Gửi số điện thoại", RequestContact: true}, {Text: "Gửi vị trí", RequestLocation: true}}
	if kb := got[0].Keyboard; len(kb) != 1 || len(kb[0]) != 2 || kb[0][0] != want[0] || kb[0][1] != want[1] {
		t.Errorf("keyboard = %+v, want %+v", kb, want)
	}
	if !got[1].RemoveKeyboard {
		t.Error("RemoveKeyboard not recorded")
	}
}

func TestSendMessageIsCheckedLikeTelegram(t *testing.T) {
	data := func(d string) tgbotapi.InlineKeyboardMarkup {
		return tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("x", d)))
	}
	tests := []struct {
		name      string
		text      string
		parseMode string
		markup    any
		replyTo   int
		want      string // error description; "" for success
		wantText  string // what the resident sees, on success
	}{
		{name: "4096 characters", text: strings.Repeat("a", 4096), wantText: strings.Repeat("a", 4096)},
		{name: "4097 characters", text: strings.Repeat("a", 4097), want: "Bad Request: message is too long"},
		{name: "Vietnamese counts characters, not bytes", text: strings.Repeat("ệ", 4096), wantText: strings.Repeat("ệ", 4096)},
		{name: "emoji count twice (UTF-16)", text: strings.Repeat("😀", 2049), want: "Bad Request: message is too long"},
		{name: "2048 emoji fit", text: strings.Repeat("😀", 2048), wantText: strings.Repeat("😀", 2048)},
		{name: "tags do not count", text: "<b>" + strings.Repeat("a", 4096) + "</b>", parseMode: "HTML", wantText: strings.Repeat("a", 4096)},
		{name: "empty", text: "", want: "Bad Request: message text is empty"},
		{name: "blank", text: " \n ", want: "Bad Request: message text is empty"},
		{name: "only tags", text: "<b></b>", parseMode: "HTML", want: "Bad Request: message text is empty"},
		{name: "HTML decoded", text: "<b>Mã:</b> DT-2026-000123 &lt;3 &amp; a & b", parseMode: "HTML", wantText: "Mã: DT-2026-000123 <3 & a & b"},
		{name: "unescaped <", text: "tiền < 5 triệu", parseMode: "HTML", want: `Bad Request: can't parse entities: Unsupported start tag "" at byte offset 7`},
		{name: "unclosed tag", text: "<b>đậm", parseMode: "HTML", want: `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`},
		{name: "MarkdownV2 escaped", text: `Mã: DT\-2026\-000123\.`, parseMode: "MarkdownV2", wantText: "Mã: DT-2026-000123."},
		{name: "MarkdownV2 unescaped", text: "Mã: DT-2026-000123", parseMode: "MarkdownV2", want: `Bad Request: can't parse entities: Character '-' is reserved and must be escaped with the preceding '\'`},
		{name: "invalid UTF-8", text: "c\xe1", want: "Bad Request: text must be encoded in UTF-8"},
		{name: "unknown parse mode", text: "a", parseMode: "BBCode", want: "Bad Request: unsupported parse_mode"},
		{name: "64-byte callback data", text: "a", markup: data(strings.Repeat("d", 64)), wantText: "a"},
		{name: "65-byte callback data", text: "a", markup: data(strings.Repeat("d", 65)), want: "Bad Request: BUTTON_DATA_INVALID"},
		{name: "33 Vietnamese letters are 66 bytes", text: "a", markup: data(strings.Repeat("đ", 33)), want: "Bad Request: BUTTON_DATA_INVALID"},
		{name: "empty callback data", text: "a", markup: data(""), want: "Bad Request: BUTTON_DATA_INVALID"},
		{name: "reply to a message that is not there", text: "a", replyTo: 99, want: "Bad Request: message to reply not found"},
	}
	s := newServer(t)
	bot := newBot(t, s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := tgbotapi.NewMessage(lan.ID, tt.text)
			msg.ParseMode = tt.parseMode
			msg.ReplyMarkup = tt.markup
			msg.ReplyToMessageID = tt.replyTo
			before := len(s.Sent(lan.ID))
			_, err := bot.Send(msg)
			if tt.want != "" {
				if e := apiError(t, err); e.Code != http.StatusBadRequest || e.Message != tt.want {
					t.Errorf("error = %d %q, want 400 %q", e.Code, e.Message, tt.want)
				}
				if len(s.Sent(lan.ID)) != before {
					t.Error("a rejected message was recorded as sent")
				}
				return
			}
			if err != nil {
				t.Fatalf("send: %v", err)
			}
			got := s.Sent(lan.ID)
			if last := got[len(got)-1]; last.Text != tt.wantText || last.Source != tt.text {
				t.Errorf("recorded Text %q Source %q, want %q from %q", last.Text, last.Source, tt.wantText, tt.text)
			}
		})
	}
}

func TestMessageIDsIncreasePerChat(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	minh := telegramtest.User{ID: 1002, FirstName: "Minh"}
	s.SendText(lan, "a") // Lan's chat: message 1
	var ids []int
	for _, chat := range []int64{lan.ID, minh.ID, lan.ID, minh.ID} {
		m, err := bot.Send(tgbotapi.NewMessage(chat, "x"))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.MessageID)
	}
	if want := []int{2, 1, 3, 2}; !equalInts(ids, want) {
		t.Errorf("message ids = %v, want %v", ids, want)
	}
	if all := s.AllSent(); len(all) != 4 || all[1].ChatID != minh.ID {
		t.Errorf("AllSent = %+v, want 4 messages in the order sent", all)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestBlockedUser(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	s.Block(lan.ID)
	_, err := bot.Send(tgbotapi.NewMessage(lan.ID, "Ý kiến DT-2026-000123 đã có trả lời"))
	if e := apiError(t, err); e.Code != http.StatusForbidden || e.Message != "Forbidden: bot was blocked by the user" {
		t.Errorf("error = %d %q, want 403 blocked", e.Code, e.Message)
	}
	s.SendText(lan, "/start") // writing again means Lan unblocked the bot
	if _, err := bot.Send(tgbotapi.NewMessage(lan.ID, "Chào mừng trở lại")); err != nil {
		t.Errorf("send after the resident wrote again: %v", err)
	}
}

func TestKnownChatsOnly(t *testing.T) {
	s := newServer(t, telegramtest.WithKnownChatsOnly())
	bot := newBot(t, s)
	_, err := bot.Send(tgbotapi.NewMessage(lan.ID, "xin chào"))
	if e := apiError(t, err); e.Code != http.StatusBadRequest || e.Message != "Bad Request: chat not found" {
		t.Errorf("error = %d %q, want chat not found", e.Code, e.Message)
	}
	s.SendText(lan, "/start")
	if _, err := bot.Send(tgbotapi.NewMessage(lan.ID, "xin chào")); err != nil {
		t.Errorf("send to a chat that wrote: %v", err)
	}
}

func TestEditMessage(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	msg := tgbotapi.NewMessage(lan.ID, "Chọn lĩnh vực")
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Đất đai", "land")))
	sent, err := bot.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bot.Send(tgbotapi.NewEditMessageText(lan.ID, sent.MessageID, "Đã chọn: Đất đai")); err != nil {
		t.Fatal(err)
	}
	_, err = bot.Send(tgbotapi.NewEditMessageText(lan.ID, sent.MessageID, "Đã chọn: Đất đai"))
	if e := apiError(t, err); !strings.HasPrefix(e.Message, "Bad Request: message is not modified") {
		t.Errorf("same edit again = %q, want message is not modified", e.Message)
	}
	_, err = bot.Send(tgbotapi.NewEditMessageText(lan.ID, 42, "x"))
	if e := apiError(t, err); e.Message != "Bad Request: message to edit not found" {
		t.Errorf("edit of a missing message = %q", e.Message)
	}
	got := s.Sent(lan.ID)
	if len(got) != 2 || got[1].Method != "editMessageText" || got[1].MessageID != sent.MessageID || got[1].InlineKeyboard != nil {
		t.Errorf("Sent = %+v, want the message then its edit without keyboard", got)
	}
	if _, err := bot.Request(tgbotapi.NewDeleteMessage(lan.ID, sent.MessageID)); err != nil {
		t.Errorf("delete: %v", err)
	}
}

func TestFilesFromResidents(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	photo := []byte("\xff\xd8\xff not really a jpeg")
	s.SendPhoto(lan, photo)
	s.SendDocument(lan, "don-kien-nghi.pdf", "application/pdf", []byte("%PDF-1.4"))
	updates, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if len(updates) != 2 || len(updates[0].Message.Photo) == 0 || updates[1].Message.Document == nil {
		t.Fatalf("updates = %+v, want a photo and a document", updates)
	}
	doc := updates[1].Message.Document
	if doc.FileName != "don-kien-nghi.pdf" || doc.MimeType != "application/pdf" || doc.FileSize != 8 {
		t.Errorf("document = %+v", doc)
	}
	for _, tt := range []struct {
		fileID string
		want   []byte
	}{{updates[0].Message.Photo[0].FileID, photo}, {doc.FileID, []byte("%PDF-1.4")}} {
		f, err := bot.GetFile(tgbotapi.FileConfig{FileID: tt.fileID})
		if err != nil {
			t.Fatal(err)
		}
		// The library's File.Link ignores a custom endpoint; build the URL.
		resp, err := http.Get(s.FileURL(f.FilePath))
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || !bytes.Equal(body, tt.want) {
			t.Errorf("download %s = %d %q, %v; want %q", f.FilePath, resp.StatusCode, body, err, tt.want)
		}
	}
	_, err = bot.GetFile(tgbotapi.FileConfig{FileID: "nope"})
	if e := apiError(t, err); e.Message != "Bad Request: invalid file_id" {
		t.Errorf("unknown file = %q", e.Message)
	}
	if resp, err := http.Get(s.URL() + "/file/bot" + s.Token() + "/photos/none.jpg"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("download of a missing file = %v, %v; want 404", resp, err)
	}
}

func TestBotSendsDocument(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	report := []byte("PK\x03\x04 excel bytes")
	doc := tgbotapi.NewDocument(lan.ID, tgbotapi.FileBytes{Name: "bao-cao.xlsx", Bytes: report})
	doc.Caption = "Báo cáo tháng 6"
	sent, err := bot.Send(doc)
	if err != nil {
		t.Fatal(err)
	}
	if sent.Document == nil || sent.Caption != "Báo cáo tháng 6" {
		t.Fatalf("sent = %+v, want the document with its caption", sent)
	}
	got := s.Sent(lan.ID)
	if len(got) != 1 || got[0].Method != "sendDocument" || got[0].Document == nil || got[0].Document.Name != "bao-cao.xlsx" {
		t.Fatalf("Sent = %+v", got)
	}
	if data, ok := s.File(got[0].Document.FileID); !ok || !bytes.Equal(data, report) {
		t.Errorf("File = %q, %v; want the uploaded bytes", data, ok)
	}
	// The same file again by its file_id, as bots do to avoid re-uploading.
	if _, err := bot.Send(tgbotapi.NewDocument(lan.ID, tgbotapi.FileID(sent.Document.FileID))); err != nil {
		t.Errorf("resend by file_id: %v", err)
	}
}

func TestCommandsAndChatAction(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	cmds := tgbotapi.NewSetMyCommands(
		tgbotapi.BotCommand{Command: "huy", Description: "Hủy thao tác"},
		tgbotapi.BotCommand{Command: "trogiup", Description: "Trợ giúp"},
	)
	if _, err := bot.Request(cmds); err != nil {
		t.Fatal(err)
	}
	if got := s.Commands(); len(got) != 2 || got[0].Command != "huy" {
		t.Errorf("Commands = %+v", got)
	}
	_, err := bot.Request(tgbotapi.NewSetMyCommands(tgbotapi.BotCommand{Command: "Hủy", Description: "x"}))
	if e := apiError(t, err); e.Message != "Bad Request: BOT_COMMAND_INVALID" {
		t.Errorf("invalid command = %q", e.Message)
	}
	if _, err := bot.Request(tgbotapi.NewChatAction(lan.ID, tgbotapi.ChatTyping)); err != nil {
		t.Errorf("sendChatAction: %v", err)
	}
}

func TestWaitSent(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	go func() {
		for _, text := range []string{"một", "hai"} {
			if _, err := bot.Send(tgbotapi.NewMessage(lan.ID, text)); err != nil {
				t.Error(err)
			}
		}
	}()
	got, err := s.WaitSent(testContext(t), lan.ID, 2)
	if err != nil || len(got) != 2 || got[1].Text != "hai" {
		t.Fatalf("WaitSent = %+v, %v; want both messages", got, err)
	}
	short, cancel := contextDone()
	defer cancel()
	if got, err := s.WaitSent(short, lan.ID, 3); err == nil || len(got) != 2 {
		t.Errorf("WaitSent past the end = %d messages, %v; want 2 and an error", len(got), err)
	}
}

func TestRetentionIsBounded(t *testing.T) {
	s := newServer(t, telegramtest.WithRetention(3, 4))
	bot := newBot(t, s)
	minh := telegramtest.User{ID: 1002}
	for i := range 5 {
		for _, chat := range []int64{lan.ID, minh.ID} {
			if _, err := bot.Send(tgbotapi.NewMessage(chat, strings.Repeat("x", i+1))); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := s.Sent(lan.ID); len(got) != 3 || got[0].Text != "xxx" || got[2].Text != "xxxxx" {
		t.Errorf("Sent kept %d, want the last 3", len(got))
	}
	if got := s.AllSent(); len(got) != 4 || got[3].ChatID != minh.ID || got[3].Text != "xxxxx" {
		t.Errorf("AllSent kept %d, want the last 4", len(got))
	}
	if got, err := s.WaitSent(testContext(t), lan.ID, 5); err != nil || len(got) != 3 {
		t.Errorf("WaitSent counts all 5 sent, returns the 3 kept: %d, %v", len(got), err)
	}
}
