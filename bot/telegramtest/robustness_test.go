package telegramtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"langnghe/bot/telegramtest"
)

// call posts a raw request and decodes the envelope, for what the library
// cannot send.
func call(t *testing.T, method, contentType, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(method, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var env map[string]any
	if err := json.Unmarshal(raw, &env); err != nil {
		t.Fatalf("answer %q is not a JSON envelope: %v", raw, err)
	}
	return resp.StatusCode, env
}

func TestRequestEncodings(t *testing.T) {
	s := newServer(t)
	send := s.URL() + "/bot" + s.Token() + "/sendMessage"
	tests := []struct {
		name, url, contentType, body string
		wantStatus                   int
	}{
		{"JSON body with a markup object", send, "application/json",
			`{"chat_id":1001,"text":"a","reply_markup":{"inline_keyboard":[[{"text":"x","callback_data":"y"}]]}}`, 200},
		{"query string", send + "?chat_id=1001&text=b", "", "", 200},
		{"method names are case-insensitive", s.URL() + "/bot" + s.Token() + "/SENDMESSAGE", "application/x-www-form-urlencoded", "chat_id=1001&text=c", 200},
		{"malformed JSON", send, "application/json", `{"chat_id":`, 400},
		{"malformed markup", send, "application/x-www-form-urlencoded", "chat_id=1001&text=d&reply_markup=%7Bnope", 400},
		{"chat_id not a number", send, "application/x-www-form-urlencoded", "chat_id=@kenh&text=e", 400},
		{"no chat_id", send, "application/x-www-form-urlencoded", "text=f", 400},
		{"no method", s.URL() + "/bot" + s.Token(), "", "", 404},
		{"not the Bot API", s.URL() + "/favicon.ico", "", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, env := call(t, tt.url, tt.contentType, tt.body)
			if status != tt.wantStatus || env["ok"] != (tt.wantStatus == 200) {
				t.Errorf("answer = %d %v, want %d", status, env, tt.wantStatus)
			}
			if tt.wantStatus != 200 && env["error_code"] != float64(tt.wantStatus) {
				t.Errorf("error_code = %v, want %d", env["error_code"], tt.wantStatus)
			}
		})
	}
	if got := s.Sent(1001); len(got) != 3 || len(got[0].InlineKeyboard) != 1 {
		t.Errorf("Sent = %+v, want the 3 accepted messages", got)
	}
}

func TestGroupChat(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	group := telegramtest.Group{ID: -1001234567890, Title: "Ban Dân vận"}
	s.SendText(lan.InGroup(group), "/start@"+s.BotUsername())
	got, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil {
		t.Fatal(err)
	}
	m := got[0].Message
	if m.Chat.ID != group.ID || m.Chat.Type != "supergroup" || m.Chat.Title != "Ban Dân vận" || m.From.ID != lan.ID || m.Command() != "start" {
		t.Errorf("group message = %+v in %+v, want Lan's /start in the supergroup", m, m.Chat)
	}
	s.Block(group.ID)
	_, err = bot.Send(tgbotapi.NewMessage(group.ID, "x"))
	if e := apiError(t, err); e.Code != http.StatusForbidden || !strings.Contains(e.Message, "kicked") {
		t.Errorf("send to a group that removed the bot = %d %q", e.Code, e.Message)
	}
}

func TestLatencyDelaysAnswers(t *testing.T) {
	const latency = 30 * time.Millisecond
	s := newServer(t, telegramtest.WithLatency(latency))
	bot := newBot(t, s)
	start := time.Now()
	if _, err := bot.Send(tgbotapi.NewMessage(lan.ID, "x")); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < latency {
		t.Errorf("answer came after %v, before the configured latency %v", elapsed, latency)
	}
}

func TestCloseEndsWaitingPolls(t *testing.T) {
	s := telegramtest.NewServer()
	bot := newBot(t, s)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 50}) // empty, or the connection closes
	}()
	waitFor(t, "getUpdates to wait", s.Polling)
	s.Close() // would hang until the poll's timeout if polls did not end
	select {
	case <-done:
	case <-testContext(t).Done():
		t.Fatal("the poll still waits after Close")
	}
}

// FuzzParseText checks that no text makes a parser panic, and that parsed
// valid UTF-8 stays valid UTF-8.
func FuzzParseText(f *testing.F) {
	for _, seed := range []string{"<b>x</b>", "<a href='", "&#x;", "*a_b*", "```", "[a](b", `\`, "<", "&#1114112;", "đ\\ệ"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		parsers := map[string]func(string) (string, error){
			"HTML": telegramtest.ParseHTML, "MarkdownV2": telegramtest.ParseMarkdownV2, "Markdown": telegramtest.ParseMarkdown,
		}
		for mode, parse := range parsers {
			plain, err := parse(text)
			if err == nil && utf8.ValidString(text) && !utf8.ValidString(plain) {
				t.Errorf("%s turned valid %q into invalid %q", mode, text, plain)
			}
		}
	})
}
