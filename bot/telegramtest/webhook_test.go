package telegramtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"langnghe/bot/telegramtest"
)

// setWebhook goes through MakeRequest, as the library's WebhookConfig
// cannot carry secret_token.
func setWebhook(t testing.TB, bot *tgbotapi.BotAPI, params tgbotapi.Params) {
	t.Helper()
	if _, err := bot.MakeRequest("setWebhook", params); err != nil {
		t.Fatalf("setWebhook: %v", err)
	}
}

// delivery is one webhook POST as the bot's server received it.
type delivery struct {
	secret string
	update tgbotapi.Update
	raw    string
}

// hookServer is the bot's side of a webhook: answer decides the status of
// each delivery.
func hookServer(t testing.TB, answer func(d delivery, r *http.Request) int) (*httptest.Server, <-chan delivery) {
	t.Helper()
	got := make(chan delivery, 1000)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		d := delivery{secret: r.Header.Get("X-Telegram-Bot-Api-Secret-Token"), raw: string(body)}
		_ = json.Unmarshal(body, &d.update)
		got <- d
		w.WriteHeader(answer(d, r))
	}))
	t.Cleanup(hs.Close)
	return hs, got
}

func TestGetUpdatesConflictsWithWebhook(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	hs, _ := hookServer(t, func(delivery, *http.Request) int { return http.StatusServiceUnavailable })
	setWebhook(t, bot, tgbotapi.Params{"url": hs.URL, "max_connections": "3"})

	_, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	e := apiError(t, err)
	if e.Code != http.StatusConflict || !strings.Contains(e.Message, "webhook is active") {
		t.Errorf("getUpdates with a webhook = %d %q, want 409", e.Code, e.Message)
	}
	id := s.SendText(lan, "còn chờ")
	info, err := bot.GetWebhookInfo()
	if err != nil {
		t.Fatal(err)
	}
	if info.URL != hs.URL || info.MaxConnections != 3 || info.PendingUpdateCount != 1 {
		t.Errorf("webhook info = %+v", info)
	}

	// Deleting the webhook hands the unacknowledged update to getUpdates.
	if _, err := bot.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		t.Fatal(err)
	}
	got, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil || len(got) != 1 || got[0].UpdateID != id {
		t.Errorf("getUpdates after deleteWebhook = %+v, %v; want update %d", got, err, id)
	}
}

func TestWebhookRetriesUntilAcknowledged(t *testing.T) {
	s := newServer(t, telegramtest.WithWebhookRetry(5*time.Millisecond, 0))
	bot := newBot(t, s)
	var mu sync.Mutex
	attempts := 0
	hs, got := hookServer(t, func(delivery, *http.Request) int {
		mu.Lock()
		defer mu.Unlock()
		if attempts++; attempts <= 2 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	setWebhook(t, bot, tgbotapi.Params{"url": hs.URL, "secret_token": "s3cret_token-1"})
	id := s.SendText(lan, "/start")
	if err := s.WaitConfirmed(testContext(t), id); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		d := <-got
		if d.secret != "s3cret_token-1" || d.update.UpdateID != id || d.update.Message.Text != "/start" {
			t.Errorf("delivery %d = %+v, want update %d with the secret header", i, d, id)
		}
	}
	select {
	case d := <-got:
		t.Errorf("delivered again after 200: %+v", d)
	default:
	}
	info, err := bot.GetWebhookInfo()
	if err != nil {
		t.Fatal(err)
	}
	if info.PendingUpdateCount != 0 || !strings.Contains(info.LastErrorMessage, "500") || s.Pending() != 0 {
		t.Errorf("webhook info = %+v, want nothing pending and the 500 as last error", info)
	}
}

func TestWebhookTimeoutIsRetried(t *testing.T) {
	s := newServer(t, telegramtest.WithWebhookRetry(5*time.Millisecond, 50*time.Millisecond))
	bot := newBot(t, s)
	var mu sync.Mutex
	first := true
	hs, _ := hookServer(t, func(_ delivery, r *http.Request) int {
		mu.Lock()
		stall := first
		first = false
		mu.Unlock()
		if stall {
			<-r.Context().Done() // answer only after the fake gave up
		}
		return http.StatusOK
	})
	setWebhook(t, bot, tgbotapi.Params{"url": hs.URL})
	id := s.SendText(lan, "a")
	if err := s.WaitConfirmed(testContext(t), id); err != nil {
		t.Fatal(err)
	}
	info, err := bot.GetWebhookInfo()
	if err != nil {
		t.Fatal(err)
	}
	if info.LastErrorMessage != "Read timeout expired" {
		t.Errorf("last error = %q, want the timeout", info.LastErrorMessage)
	}
}

// TestWebhookOrdersEachChat checks Telegram's promise that one chat's
// updates arrive one at a time in order, while chats proceed in parallel
// up to max_connections, through failures and retries.
func TestWebhookOrdersEachChat(t *testing.T) {
	s := newServer(t, telegramtest.WithWebhookRetry(time.Millisecond, 0))
	bot := newBot(t, s)
	const chats, each = 6, 15
	var mu sync.Mutex
	inFlight := make(map[int64]int)
	acked := make(map[int64][]int)
	calls := 0
	maxParallel, parallel := 0, 0
	hs, _ := hookServer(t, func(d delivery, r *http.Request) int {
		chat := d.update.Message.Chat.ID
		mu.Lock()
		inFlight[chat]++
		parallel++
		maxParallel = max(maxParallel, parallel)
		if inFlight[chat] > 1 {
			t.Errorf("chat %d: two updates in flight at once", chat)
		}
		calls++
		fail := calls%4 == 0
		mu.Unlock()
		time.Sleep(time.Millisecond) // let other chats' deliveries overlap
		mu.Lock()
		defer mu.Unlock()
		inFlight[chat]--
		parallel--
		if fail {
			return http.StatusBadGateway
		}
		acked[chat] = append(acked[chat], d.update.UpdateID)
		return http.StatusOK
	})
	setWebhook(t, bot, tgbotapi.Params{"url": hs.URL, "max_connections": "4"})
	last := 0
	for i := range each {
		for c := range chats {
			last = s.SendText(telegramtest.User{ID: int64(2000 + c)}, strings.Repeat("x", i+1))
		}
	}
	if err := s.WaitConfirmed(testContext(t), last); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for c := range chats {
		ids := acked[int64(2000+c)]
		if len(ids) != each {
			t.Errorf("chat %d: %d updates acknowledged, want %d", 2000+c, len(ids), each)
		}
		for i := 1; i < len(ids); i++ {
			if ids[i] <= ids[i-1] {
				t.Errorf("chat %d: update %d acknowledged after %d", 2000+c, ids[i], ids[i-1])
			}
		}
	}
	if maxParallel < 2 || maxParallel > 4 {
		t.Errorf("at most %d deliveries ran at once, want 2..4 (max_connections 4)", maxParallel)
	}
}

func TestWebhookGetsMalformedBodyVerbatim(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	hs, got := hookServer(t, func(delivery, *http.Request) int { return http.StatusOK })
	setWebhook(t, bot, tgbotapi.Params{"url": hs.URL})
	s.SendUpdate([]byte(`{"message": {"chat": `))
	if d := <-got; d.raw != `{"message": {"chat": ` {
		t.Errorf("webhook body = %q, want the malformed body as sent", d.raw)
	}
}

func TestSetWebhookDropsPendingUpdates(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	s.SendText(lan, "cũ")
	id := s.SendText(lan, "cũ nữa")
	hs, got := hookServer(t, func(delivery, *http.Request) int { return http.StatusOK })
	setWebhook(t, bot, tgbotapi.Params{"url": hs.URL, "drop_pending_updates": "true"})
	if s.Pending() != 0 || s.Confirmed() != id {
		t.Errorf("Pending, Confirmed = %d, %d; want 0, %d", s.Pending(), s.Confirmed(), id)
	}
	fresh := s.SendText(lan, "mới")
	if d := <-got; d.update.UpdateID != fresh {
		t.Errorf("first delivery = %d, want the fresh update %d", d.update.UpdateID, fresh)
	}
}

func TestSetWebhookRejectsBadInput(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	for _, p := range []tgbotapi.Params{
		{"url": "ftp://example.com/hook"},
		{"url": "https://example.com/hook", "secret_token": "có dấu"},
	} {
		if _, err := bot.MakeRequest("setWebhook", p); apiError(t, err).Code != http.StatusBadRequest {
			t.Errorf("setWebhook(%v) passed, want 400", p)
		}
	}
}
