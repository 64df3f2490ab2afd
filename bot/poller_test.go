package bot

import (
	"errors"
	"fmt"
	"langnghe"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"langnghe/bot/telegramtest"
)

func TestPollerConfirmsOnlyAfterHandle(t *testing.T) {
	fake := newFake(t)
	tb := newTestBot(t, fake, Config{})
	var healthy atomic.Bool
	tb.handler.setFail(func(langnghe.Inbound, int) error {
		if healthy.Load() {
			return nil
		}
		return errors.New("transaction rolled back")
	})
	tb.run(t)

	id := fake.SendText(alice, "ngập nước")
	// The failing update is fetched again and again, never confirmed.
	for deadline := time.Now().Add(10 * time.Second); ; {
		tb.handler.mu.Lock()
		calls := tb.handler.calls
		tb.handler.mu.Unlock()
		if calls >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("handler called %d times; a failed update must be fetched again", calls)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if c := fake.Confirmed(); c >= id {
		t.Fatalf("update %d confirmed (%d) although the handler failed", id, c)
	}

	healthy.Store(true)
	got := tb.handler.waitApplied(t, 1)
	if err := fake.WaitConfirmed(t.Context(), id); err != nil {
		t.Fatalf("update %d not confirmed after success: %v", id, err)
	}
	if len(got) != 1 || got[0].UpdateID != strconv.Itoa(id) {
		t.Errorf("applied %+v", got)
	}
}

// TestPollerKeepsChatOrderWithConcurrency: different chats are handled at
// the same time, one chat's updates strictly in order.
func TestPollerKeepsChatOrderWithConcurrency(t *testing.T) {
	fake := newFake(t)
	tb := newTestBot(t, fake, Config{})
	var inflight, most atomic.Int32
	var mu sync.Mutex
	perChat := make(map[string]bool) // a chat with a handler running
	overlap := false
	tb.handler.onApply = func(in langnghe.Inbound) {
		mu.Lock()
		if perChat[in.ChatID] {
			overlap = true
		}
		perChat[in.ChatID] = true
		mu.Unlock()
		n := inflight.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(2 * time.Millisecond)
		inflight.Add(-1)
		mu.Lock()
		perChat[in.ChatID] = false
		mu.Unlock()
	}
	// Queue everything before the poller starts so batches are full.
	const users, each = 20, 10
	for i := range each {
		for u := range users {
			fake.SendText(telegramtest.User{ID: int64(5000 + u), FirstName: "R"}, fmt.Sprintf("%d", i))
		}
	}
	tb.run(t)

	got := tb.handler.waitApplied(t, users*each)
	next := make(map[string]int)
	for _, in := range got {
		if want := strconv.Itoa(next[in.ChatID]); in.Input.Text != want {
			t.Fatalf("chat %s: got %q, want %q (out of order)", in.ChatID, in.Input.Text, want)
		}
		next[in.ChatID]++
	}
	if overlap {
		t.Error("two updates of one chat were handled at once")
	}
	if most.Load() < 2 {
		t.Errorf("at most %d chats handled at once; want concurrency", most.Load())
	}
}

func TestPollerHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	fake := newFake(t, telegramtest.WithLimits(telegramtest.Limits{RetryAfter: 2}))
	fake.FailNext("getUpdates", 1, 429, "")
	tb := newTestBot(t, fake, Config{})
	start := time.Now()
	fake.SendText(alice, "xin chào")
	tb.run(t)

	tb.handler.waitApplied(t, 1)
	// The ordinary backoff after the first failure is under a second; only
	// retry_after explains a longer wait.
	if waited := time.Since(start); waited < 2*time.Second {
		t.Errorf("polled again after %s, before retry_after (2s)", waited)
	}
	if n := fake.Calls("getUpdates"); n < 2 {
		t.Errorf("getUpdates called %d times", n)
	}
}

func TestPollerDeletesWebhookFirst(t *testing.T) {
	fake := newFake(t)
	tb := newTestBot(t, fake, Config{})
	if err := tb.SetWebhook(t.Context(), "http://127.0.0.1:1/telegram/webhook", "s3cret"); err != nil {
		t.Fatalf("SetWebhook: %v", err)
	}
	id := fake.SendText(alice, "polling again")
	tb.run(t)
	got := tb.handler.waitApplied(t, 1)
	if got[0].UpdateID != strconv.Itoa(id) {
		t.Errorf("got update %s", got[0].UpdateID)
	}
}
