package telegramtest_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"langnghe/bot/telegramtest"
)

// Lan is the resident most tests play.
var lan = telegramtest.User{ID: 1001, FirstName: "Lan", LastName: "Nguyễn", Username: "lan_dt", LanguageCode: "vi"}

func newServer(t testing.TB, opts ...telegramtest.Option) *telegramtest.Server {
	t.Helper()
	s := telegramtest.NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// newBot connects the real library to the fake; its constructor calls getMe.
func newBot(t testing.TB, s *telegramtest.Server) *tgbotapi.BotAPI {
	t.Helper()
	bot, err := tgbotapi.NewBotAPIWithClient(s.Token(), s.Endpoint(), &http.Client{Timeout: 30 * time.Second})
	if err != nil {
		t.Fatalf("connect the library to the fake: %v", err)
	}
	return bot
}

// apiError unwraps the library's error; the target must be a pointer.
func apiError(t testing.TB, err error) *tgbotapi.Error {
	t.Helper()
	var e *tgbotapi.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *tgbotapi.Error", err, err)
	}
	return e
}

func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestGetMe(t *testing.T) {
	s := newServer(t, telegramtest.WithToken("777:abc"), telegramtest.WithBotUsername("dautieng_bot"))
	bot := newBot(t, s)
	if bot.Self.UserName != "dautieng_bot" || bot.Self.ID != 777 || !bot.Self.IsBot {
		t.Errorf("Self = %+v, want bot 777 @dautieng_bot", bot.Self)
	}
	if got := s.Calls("getMe"); got != 1 {
		t.Errorf("Calls(getMe) = %d, want 1", got)
	}
}

func TestBadTokenIsUnauthorized(t *testing.T) {
	s := newServer(t)
	_, err := tgbotapi.NewBotAPIWithClient("123456:wrong", s.Endpoint(), http.DefaultClient)
	e := apiError(t, err)
	if e.Code != http.StatusUnauthorized || e.Message != "Unauthorized" {
		t.Errorf("error = %d %q, want 401 Unauthorized", e.Code, e.Message)
	}
}

func TestUnknownMethodIsNotFound(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	_, err := bot.MakeRequest("sendTelepathy", nil)
	if e := apiError(t, err); e.Code != http.StatusNotFound || e.Message != "Not Found" {
		t.Errorf("error = %d %q, want 404 Not Found", e.Code, e.Message)
	}
}

func TestGetUpdatesOffsetConfirms(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	first := s.SendText(lan, "/start")
	second := s.SendText(lan, "đường hư")
	third := s.SendLocation(lan, 11.27, 106.37)

	got, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].UpdateID != first || got[2].UpdateID != third {
		t.Fatalf("updates = %+v, want ids %d..%d", got, first, third)
	}
	if m := got[0].Message; !m.IsCommand() || m.Command() != "start" || m.Chat.ID != lan.ID || m.From.UserName != "lan_dt" {
		t.Errorf("first message = %+v, want the /start command from Lan", m)
	}
	if loc := got[2].Message.Location; loc == nil || loc.Latitude != 11.27 {
		t.Errorf("location = %+v, want 11.27", loc)
	}

	// Without an offset nothing is confirmed: the same updates come again.
	again, err := bot.GetUpdates(tgbotapi.UpdateConfig{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 1 || again[0].UpdateID != first {
		t.Fatalf("unconfirmed updates = %+v, want only %d (limit 1)", again, first)
	}
	if s.Pending() != 3 || s.Confirmed() != first-1 {
		t.Errorf("Pending, Confirmed = %d, %d; want 3, %d", s.Pending(), s.Confirmed(), first-1)
	}

	// An offset confirms every lower id for good.
	rest, err := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: second + 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(rest) != 1 || rest[0].UpdateID != third {
		t.Fatalf("updates from offset %d = %+v, want only %d", second+1, rest, third)
	}
	if s.Pending() != 1 || s.Confirmed() != second {
		t.Errorf("Pending, Confirmed = %d, %d; want 1, %d", s.Pending(), s.Confirmed(), second)
	}
	if low, err := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: first}); err != nil || len(low) != 1 {
		t.Errorf("confirmed updates came back: %+v, %v", low, err)
	}
}

func TestGetUpdatesNegativeOffsetKeepsTheLast(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	for _, text := range []string{"một", "hai", "ba"} {
		s.SendText(lan, text)
	}
	got, err := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Message.Text != "ba" || s.Pending() != 1 {
		t.Errorf("offset -1 gave %d updates (pending %d), want only the last", len(got), s.Pending())
	}
}

func TestLongPollAnswersWhenAnUpdateArrives(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	type result struct {
		updates []tgbotapi.Update
		err     error
	}
	done := make(chan result, 1)
	go func() {
		u, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 20})
		done <- result{u, err}
	}()
	waitFor(t, "getUpdates to wait", s.Polling)
	id := s.SendText(lan, "xin chào")
	r := <-done
	if r.err != nil || len(r.updates) != 1 || r.updates[0].UpdateID != id {
		t.Fatalf("long poll = %+v, %v; want update %d", r.updates, r.err, id)
	}
}

func TestLongPollTimesOutEmpty(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	got, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 1})
	if err != nil || len(got) != 0 {
		t.Errorf("long poll without updates = %+v, %v; want none, no error", got, err)
	}
}

func TestNewerGetUpdatesTerminatesTheWaitingOne(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	done := make(chan error, 1)
	go func() {
		_, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 20})
		done <- err
	}()
	waitFor(t, "getUpdates to wait", s.Polling)
	if _, err := bot.GetUpdates(tgbotapi.UpdateConfig{}); err != nil {
		t.Fatal(err)
	}
	e := apiError(t, <-done)
	if e.Code != http.StatusConflict {
		t.Errorf("waiting getUpdates ended with %d %q, want 409", e.Code, e.Message)
	}
}

func TestWaitConfirmed(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	id := s.SendText(lan, "a")
	errc := make(chan error, 1)
	go func() { errc <- s.WaitConfirmed(testContext(t), id) }()
	if _, err := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: id + 1}); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.WaitConfirmed(ctx, id+1); !errors.Is(err, context.Canceled) {
		t.Errorf("WaitConfirmed for an update that never comes = %v, want context.Canceled", err)
	}
}

func TestAllowedUpdatesFilterNewUpdates(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	if _, err := bot.GetUpdates(tgbotapi.UpdateConfig{AllowedUpdates: []string{"callback_query"}}); err != nil {
		t.Fatal(err)
	}
	s.SendText(lan, "not wanted")
	press := s.PressButton(lan, 1, "yes")
	got, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].UpdateID != press {
		t.Errorf("updates = %+v, want only the button press %d", got, press)
	}
}

func TestMaxPendingForgetsTheOldest(t *testing.T) {
	s := newServer(t, telegramtest.WithMaxPending(2))
	bot := newBot(t, s)
	s.SendText(lan, "1")
	s.SendText(lan, "2")
	last := s.SendText(lan, "3")
	got, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Message.Text != "2" || got[1].UpdateID != last {
		t.Errorf("updates = %d, want the last 2", len(got))
	}
}

func TestSendUpdateRaw(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	weird := s.SendUpdate([]byte(`{"update_id":0,"business_message":{"chat":{"id":5}},"future_field":{"x":1}}`))
	broken := s.SendUpdate([]byte(`{"message":`))
	got, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].UpdateID != weird || got[1].UpdateID != broken || got[0].Message != nil {
		t.Errorf("raw updates = %+v, want ids %d, %d with no message", got, weird, broken)
	}
}

func TestConcurrentResidentsAndPoller(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	const residents, each = 20, 25
	var wg sync.WaitGroup
	for r := range residents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := telegramtest.User{ID: int64(5000 + r), FirstName: "R"}
			for range each {
				s.SendText(u, "ý kiến")
			}
		}()
	}
	seen := make(map[int]bool)
	lastMessageID := make(map[int64]int)
	offset := 0
	for len(seen) < residents*each {
		got, err := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: offset, Timeout: 5})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range got {
			if seen[u.UpdateID] || u.UpdateID < offset {
				t.Fatalf("update %d delivered again after offset %d", u.UpdateID, offset)
			}
			seen[u.UpdateID] = true
			if m := u.Message; m.MessageID <= lastMessageID[m.Chat.ID] {
				t.Fatalf("chat %d: message id %d after %d", m.Chat.ID, m.MessageID, lastMessageID[m.Chat.ID])
			}
			lastMessageID[u.Message.Chat.ID] = u.Message.MessageID
			offset = u.UpdateID + 1
		}
	}
	wg.Wait()
	if _, err := bot.GetUpdates(tgbotapi.UpdateConfig{Offset: offset}); err != nil {
		t.Fatal(err)
	}
	if s.Pending() != 0 || s.Confirmed() != offset-1 {
		t.Errorf("Pending, Confirmed = %d, %d; want 0, %d", s.Pending(), s.Confirmed(), offset-1)
	}
}

// waitFor polls cond until it holds; a state the test cannot be told about
// otherwise, such as a request waiting inside the server.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	ctx := testContext(t)
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("gave up waiting for %s", what)
		case <-time.After(time.Millisecond):
		}
	}
}

// contextDone returns a context that has already ended.
func contextDone() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx, cancel
}

func TestContactIsTheResidentsOwn(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	s.SendContact(lan, "+84912345678")
	got, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	if err != nil {
		t.Fatal(err)
	}
	c := got[0].Message.Contact
	if c == nil || c.PhoneNumber != "+84912345678" || c.UserID != lan.ID || c.FirstName != "Lan" {
		t.Errorf("contact = %+v, want Lan's own number", c)
	}
}
