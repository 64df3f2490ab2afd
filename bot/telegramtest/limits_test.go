package telegramtest_test

import (
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"langnghe/bot/telegramtest"
)

// clock is a settable time for flood-limit tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestFloodLimits(t *testing.T) {
	group := telegramtest.Group{ID: -4001, Title: "Tổ dân phố 3"}
	tests := []struct {
		name       string
		limits     telegramtest.Limits
		chats      []int64 // one send to each, in order; the last is refused
		wantRetry  int
		afterWait  time.Duration // after this the refused send passes
		stillRefus time.Duration // and before this it is still refused
	}{
		{name: "per private chat", limits: telegramtest.Limits{PerChat: 1},
			chats: []int64{1001, 1002, 1001}, wantRetry: 1, stillRefus: 999 * time.Millisecond, afterWait: time.Second},
		{name: "per private chat, burst 3", limits: telegramtest.Limits{PerChat: 1, PerChatBurst: 3},
			chats: []int64{1001, 1001, 1002, 1001, 1001}, wantRetry: 1, stillRefus: 999 * time.Millisecond, afterWait: time.Second},
		{name: "global", limits: telegramtest.Limits{Global: 2},
			chats: []int64{1001, 1002, 1003}, wantRetry: 1, stillRefus: 500 * time.Millisecond, afterWait: time.Second},
		{name: "per group per minute", limits: telegramtest.Limits{PerGroup: 2},
			chats: []int64{group.ID, group.ID, 1001, group.ID}, wantRetry: 60, stillRefus: 59 * time.Second, afterWait: time.Minute},
		{name: "told retry_after", limits: telegramtest.Limits{PerChat: 1, RetryAfter: 7},
			chats: []int64{1001, 1001}, wantRetry: 7, stillRefus: 0, afterWait: time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &clock{now: time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)}
			s := newServer(t, telegramtest.WithLimits(tt.limits), telegramtest.WithClock(clk.Now))
			bot := newBot(t, s)
			last := tt.chats[len(tt.chats)-1]
			for _, chat := range tt.chats[:len(tt.chats)-1] {
				if _, err := bot.Send(tgbotapi.NewMessage(chat, "ok")); err != nil {
					t.Fatalf("send to %d within the limit: %v", chat, err)
				}
			}
			_, err := bot.Send(tgbotapi.NewMessage(last, "one too many"))
			e := apiError(t, err)
			if e.Code != http.StatusTooManyRequests || e.RetryAfter != tt.wantRetry {
				t.Fatalf("error = %d %q retry_after %d, want 429 retry after %d", e.Code, e.Message, e.RetryAfter, tt.wantRetry)
			}
			clk.Advance(tt.stillRefus)
			if tt.stillRefus > 0 {
				if _, err := bot.Send(tgbotapi.NewMessage(last, "still too early")); apiError(t, err).Code != http.StatusTooManyRequests {
					t.Fatalf("send before the window freed up passed")
				}
			}
			clk.Advance(tt.afterWait - tt.stillRefus)
			if _, err := bot.Send(tgbotapi.NewMessage(last, "after waiting")); err != nil {
				t.Errorf("send after retry_after: %v", err)
			}
			want := 1
			if tt.stillRefus > 0 {
				want = 2
			}
			if got := s.Rejected429(); got != want {
				t.Errorf("Rejected429 = %d, want %d", got, want)
			}
			if n := len(s.Sent(last)); n != 1+countOf(tt.chats[:len(tt.chats)-1], last) {
				t.Errorf("chat %d recorded %d messages; refused ones must not be recorded", last, n)
			}
		})
	}
}

func countOf(ids []int64, id int64) int {
	n := 0
	for _, x := range ids {
		if x == id {
			n++
		}
	}
	return n
}

// TestPerChatBurstThenOneASecond: with a burst, a private chat takes three
// messages at once, then one a second (not three a second), and a quiet
// chat earns its burst back at one message a second.
func TestPerChatBurstThenOneASecond(t *testing.T) {
	clk := &clock{now: time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)}
	s := newServer(t, telegramtest.WithLimits(telegramtest.Limits{PerChat: 1, PerChatBurst: 3}), telegramtest.WithClock(clk.Now))
	bot := newBot(t, s)
	send := func(at time.Duration, want bool) {
		t.Helper()
		_, err := bot.Send(tgbotapi.NewMessage(lan.ID, "x"))
		if want != (err == nil) {
			t.Fatalf("send at +%s: %v, want passed = %v", at, err, want)
		}
		if err != nil {
			if e := apiError(t, err); e.Code != http.StatusTooManyRequests || e.RetryAfter != 1 {
				t.Fatalf("send at +%s: %d retry_after %d, want 429 retry after 1", at, e.Code, e.RetryAfter)
			}
		}
	}
	steps := []struct {
		advance time.Duration
		pass    bool
	}{
		{0, true}, {0, true}, {0, true}, {0, false}, // the burst
		{999 * time.Millisecond, false}, {time.Millisecond, true}, {0, false}, // then one a second
		{500 * time.Millisecond, false}, {500 * time.Millisecond, true},
		{2 * time.Second, true}, {0, true}, {0, false}, // two seconds' quiet earn two
		{10 * time.Second, true}, {0, true}, {0, true}, {0, false}, // never more than three
	}
	var at time.Duration
	for _, st := range steps {
		clk.Advance(st.advance)
		at += st.advance
		send(at, st.pass)
	}
}

func TestSetLimitsTurnsLimitsOnAndOff(t *testing.T) {
	clk := &clock{now: time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)}
	s := newServer(t, telegramtest.WithClock(clk.Now))
	bot := newBot(t, s)
	s.SetLimits(telegramtest.Limits{PerChat: 1})
	for i, want := range []int{0, http.StatusTooManyRequests} {
		_, err := bot.Send(tgbotapi.NewMessage(lan.ID, "x"))
		if (want == 0) != (err == nil) {
			t.Fatalf("send %d: %v, want code %d", i, err, want)
		}
	}
	s.SetLimits(telegramtest.Limits{})
	if _, err := bot.Send(tgbotapi.NewMessage(lan.ID, "x")); err != nil {
		t.Errorf("send with limits off: %v", err)
	}
}

func TestFailNext(t *testing.T) {
	s := newServer(t)
	bot := newBot(t, s)
	s.FailNext("sendMessage", 2, http.StatusInternalServerError, "")
	s.FailNext("sendMessage", 1, http.StatusTooManyRequests, "")
	s.FailNext("SENDMESSAGE", 1, http.StatusBadGateway, "")
	for i, want := range []int{500, 500, 429} {
		_, err := bot.Send(tgbotapi.NewMessage(lan.ID, "x"))
		e := apiError(t, err)
		if e.Code != want {
			t.Errorf("call %d = %d %q, want %d", i, e.Code, e.Message, want)
		}
		if want == 429 && e.RetryAfter != 1 {
			t.Errorf("injected 429 retry_after = %d, want 1", e.RetryAfter)
		}
	}
	// Telegram's front answers 502 with an HTML page, not an envelope.
	_, err := bot.Send(tgbotapi.NewMessage(lan.ID, "x"))
	var e *tgbotapi.Error
	if err == nil || errors.As(err, &e) {
		t.Errorf("502 = %v, want a decoding error that is not a *tgbotapi.Error", err)
	}
	if _, err := bot.Send(tgbotapi.NewMessage(lan.ID, "x")); err != nil {
		t.Errorf("call after the faults: %v", err)
	}
	if got := s.Calls("sendMessage"); got != 5 {
		t.Errorf("Calls(sendMessage) = %d, want 5 including failed ones", got)
	}
	if got := s.Rejected429(); got != 1 {
		t.Errorf("Rejected429 = %d, want 1", got)
	}
	if got := len(s.Sent(lan.ID)); got != 1 {
		t.Errorf("Sent = %d messages, want only the one that passed", got)
	}
}
