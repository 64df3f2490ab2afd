package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/bot/telegramtest"
)

// TestSenderBurstKeepsOrderUnderLimits: 300 replies to 100 private chats
// and two groups, with the fake enforcing flood limits. Everything is
// delivered, each chat in order, nothing left failed, and no chat ever has
// two messages leased at once.
func TestSenderBurstKeepsOrderUnderLimits(t *testing.T) {
	t.Parallel()
	fake := newFake(t, telegramtest.WithLimits(telegramtest.Limits{Global: 60, PerChat: 1, PerChatBurst: 3, PerGroup: 20}))
	tb := newTestBot(t, fake, Config{SendRate: 55})
	const chats, each = 100, 3
	// Groups first: at 20 a minute theirs is the longest queue.
	targets := []int64{-3001, -3002}
	for c := range chats {
		targets = append(targets, int64(7000+c))
	}
	for i := range each {
		for _, chat := range targets {
			tb.outbox.enqueue(chat, langnghe.Message{Text: fmt.Sprintf("%d/%d", chat, i)})
		}
	}
	tb.run(t)
	tb.sender.Notify()

	st := tb.outbox.waitSettled(t, 40*time.Second)
	if len(st.failed) != 0 || st.sent != len(targets)*each {
		t.Fatalf("sent %d, failed %v", st.sent, st.failed)
	}
	if st.leasedTwice {
		t.Error("a chat had two messages leased at once")
	}
	for _, chat := range targets {
		sent := fake.Sent(chat)
		if len(sent) != each {
			t.Fatalf("chat %d got %d messages", chat, len(sent))
		}
		for i, m := range sent {
			if want := fmt.Sprintf("%d/%d", chat, i); m.Text != want {
				t.Errorf("chat %d message %d = %q, want %q", chat, i, m.Text, want)
			}
		}
	}
	t.Logf("429s answered by the fake: %d; retries: %d", fake.Rejected429(), st.retries)
}

func TestSenderOutcomes(t *testing.T) {
	const chat = 8001
	tests := []struct {
		name  string
		setup func(fake *telegramtest.Server)
		msg   langnghe.Message
		check func(t *testing.T, fake *telegramtest.Server, st outboxState, id int64, elapsed time.Duration)
	}{
		{
			name:  "429 waits retry_after",
			setup: func(fake *telegramtest.Server) { fake.FailNext("sendMessage", 1, 429, "") },
			msg:   langnghe.Message{Text: "sau 429"},
			check: func(t *testing.T, fake *telegramtest.Server, st outboxState, _ int64, elapsed time.Duration) {
				if st.sent != 1 || st.retries != 1 {
					t.Errorf("sent %d, retries %d; want 1, 1", st.sent, st.retries)
				}
				if elapsed < 2*time.Second {
					t.Errorf("delivered %s after a 429 with retry_after 2s", elapsed)
				}
			},
		},
		{
			name:  "5xx retried with backoff",
			setup: func(fake *telegramtest.Server) { fake.FailNext("sendMessage", 2, 502, "") },
			msg:   langnghe.Message{Text: "sau 502"},
			check: func(t *testing.T, fake *telegramtest.Server, st outboxState, _ int64, _ time.Duration) {
				if st.sent != 1 || st.retries != 2 || fake.Calls("sendMessage") != 3 {
					t.Errorf("sent %d, retries %d, calls %d; want 1, 2, 3", st.sent, st.retries, fake.Calls("sendMessage"))
				}
			},
		},
		{
			name:  "5xx given up after the attempts",
			setup: func(fake *telegramtest.Server) { fake.FailNext("sendMessage", 10, 500, "") },
			msg:   langnghe.Message{Text: "không tới"},
			check: func(t *testing.T, fake *telegramtest.Server, st outboxState, id int64, _ time.Duration) {
				if _, failed := st.failed[id]; !failed || fake.Calls("sendMessage") != 5 {
					t.Errorf("failed %v after %d calls; want failed after 5", st.failed, fake.Calls("sendMessage"))
				}
			},
		},
		{
			name:  "400 fails once, never retried",
			setup: func(fake *telegramtest.Server) { fake.FailNext("sendMessage", 1, 400, "Bad Request: something odd") },
			msg:   langnghe.Message{Text: "xấu"},
			check: func(t *testing.T, fake *telegramtest.Server, st outboxState, id int64, _ time.Duration) {
				if !strings.Contains(st.failed[id], "something odd") || st.retries != 0 || fake.Calls("sendMessage") != 1 {
					t.Errorf("failed %v, retries %d, calls %d", st.failed, st.retries, fake.Calls("sendMessage"))
				}
				if st.unreachable[strconv.Itoa(chat)] {
					t.Error("a 400 marked the chat unreachable")
				}
			},
		},
		{
			name:  "blocked marks the chat unreachable",
			setup: func(fake *telegramtest.Server) { fake.Block(chat) },
			msg:   langnghe.Message{Text: "bị chặn"},
			check: func(t *testing.T, fake *telegramtest.Server, st outboxState, id int64, _ time.Duration) {
				if !st.unreachable[strconv.Itoa(chat)] || !strings.Contains(st.failed[id], "blocked") || st.retries != 0 {
					t.Errorf("unreachable %v, failed %v, retries %d", st.unreachable, st.failed, st.retries)
				}
			},
		},
		{
			name: "long text split, buttons on the last part, bad button left out",
			msg: langnghe.Message{
				Text: strings.Repeat("Ý kiến về đất đai. ", 500), // 9500 characters
				Buttons: [][]langnghe.Button{{
					{Label: "Đúng", Data: "yes"},
					{Label: "quá dài", Data: strings.Repeat("x", 65)},
				}},
			},
			check: func(t *testing.T, fake *telegramtest.Server, st outboxState, id int64, _ time.Duration) {
				sent := fake.Sent(chat)
				if st.sent != 1 || len(sent) != 3 {
					t.Fatalf("outbox sent %d, telegram got %d parts (failed %v)", st.sent, len(sent), st.failed)
				}
				var joined []string
				for i, m := range sent {
					joined = append(joined, m.Text)
					if (len(m.InlineKeyboard) > 0) != (i == 2) {
						t.Errorf("part %d keyboard %v", i, m.InlineKeyboard)
					}
				}
				if kb := sent[2].InlineKeyboard; len(kb) != 1 || len(kb[0]) != 1 || kb[0][0].CallbackData != "yes" {
					t.Errorf("keyboard = %+v", kb)
				}
				want := strings.Fields(strings.Repeat("Ý kiến về đất đai. ", 500))
				if got := strings.Fields(strings.Join(joined, " ")); strings.Join(got, " ") != strings.Join(want, " ") {
					t.Error("parts do not add up to the text")
				}
			},
		},
		{
			name: "contact request keyboard",
			msg:  langnghe.Message{Text: "Số điện thoại?", Request: langnghe.RequestContact},
			check: func(t *testing.T, fake *telegramtest.Server, st outboxState, _ int64, _ time.Duration) {
				sent := fake.Sent(chat)
				if len(sent) != 1 || len(sent[0].Keyboard) != 1 || !sent[0].Keyboard[0][0].RequestContact {
					t.Errorf("sent %+v", sent)
				}
			},
		},
		{
			name: "remove keyboard",
			msg:  langnghe.Message{Text: "Cảm ơn", RemoveKeyboard: true},
			check: func(t *testing.T, fake *telegramtest.Server, st outboxState, _ int64, _ time.Duration) {
				if sent := fake.Sent(chat); len(sent) != 1 || !sent[0].RemoveKeyboard || sent[0].ParseMode != "" {
					t.Errorf("sent %+v", sent)
				}
			},
		},
		{
			name: "markup in residents' words is sent as is",
			msg:  langnghe.Message{Text: `<b>x</b> *y* _z_ \ [a](b)`},
			check: func(t *testing.T, fake *telegramtest.Server, st outboxState, _ int64, _ time.Duration) {
				if sent := fake.Sent(chat); len(sent) != 1 || sent[0].Text != `<b>x</b> *y* _z_ \ [a](b)` {
					t.Errorf("sent %+v", sent)
				}
			},
		},
		{
			name: "empty text fails without calling telegram",
			msg:  langnghe.Message{Text: "  "},
			check: func(t *testing.T, fake *telegramtest.Server, st outboxState, id int64, _ time.Duration) {
				if _, failed := st.failed[id]; !failed || fake.Calls("sendMessage") != 0 {
					t.Errorf("failed %v, calls %d", st.failed, fake.Calls("sendMessage"))
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(t, telegramtest.WithLimits(telegramtest.Limits{RetryAfter: 2}))
			tb := newTestBot(t, fake, Config{})
			if tt.setup != nil {
				tt.setup(fake)
			}
			id := tb.outbox.enqueue(chat, tt.msg)
			start := time.Now()
			tb.run(t)
			tb.sender.Notify()
			st := tb.outbox.waitSettled(t, 20*time.Second)
			tt.check(t, fake, st, id, time.Since(start))
			if got, want := tb.Stats(), (Stats{Sent: int64(st.sent), Retried: int64(st.retries), Failed: int64(len(st.failed)),
				RateLimited: int64(fake.Rejected429())}); got != want {
				t.Errorf("Stats() = %+v, want %+v", got, want)
			}
			if strings.Contains(tb.logs.String(), "BUTTON_DATA_INVALID") {
				t.Error("telegram refused button data we sent")
			}
		})
	}
}

// TestSenderNotifyWakesAtOnce: with the fallback poll far away, Notify alone
// starts the delivery.
func TestSenderNotifyWakesAtOnce(t *testing.T) {
	fake := newFake(t)
	tb := newTestBot(t, fake, Config{})
	tb.sender.poll = time.Hour
	tb.run(t)
	// Let the first (empty) claim pass, so only Notify can find the message.
	time.Sleep(50 * time.Millisecond)
	tb.outbox.enqueue(8101, langnghe.Message{Text: "ngay"})
	tb.sender.Notify()
	if _, err := fake.WaitSent(t.Context(), 8101, 1); err != nil {
		t.Fatalf("not delivered after Notify: %v", err)
	}
}

// TestSenderReleasesLeasesOnStop: a reply waiting for its chat's turn when
// the bot stops is handed back at once, not left leased.
func TestSenderReleasesLeasesOnStop(t *testing.T) {
	fake := newFake(t)
	tb := newTestBot(t, fake, Config{Limits: Limits{ChatInterval: time.Hour, ChatBurst: 1}})
	tb.outbox.enqueue(8201, langnghe.Message{Text: "một"})
	tb.outbox.enqueue(8201, langnghe.Message{Text: "hai"})
	tb.sender.Notify()
	done := make(chan error, 1)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go func() { done <- tb.sender.Run(ctx) }()
	if _, err := fake.WaitSent(t.Context(), 8201, 1); err != nil {
		t.Fatal(err)
	}
	// The second reply is claimed and waits an hour for the chat's turn.
	waitFor(t, 10*time.Second, func() bool {
		tb.outbox.mu.Lock()
		defer tb.outbox.mu.Unlock()
		return len(tb.outbox.queue) == 1 && !tb.outbox.queue[0].leaseUntil.IsZero()
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	tb.outbox.mu.Lock()
	defer tb.outbox.mu.Unlock()
	if m := tb.outbox.queue[0]; !m.leaseUntil.IsZero() || m.LastError != "sender stopped" {
		t.Errorf("after stop: lease %v, last error %q", m.leaseUntil, m.LastError)
	}
}

// waitFor polls cond until it holds, failing the test after timeout.
// running runs s until the test ends, and waits for it to stop then.
func running(t *testing.T, ctx context.Context, s *Sender) {
	runCtx, cancel := context.WithCancel(ctx)
	stopped := make(chan struct{})
	go func() {
		_ = s.Run(runCtx)
		close(stopped)
	}()
	t.Cleanup(func() {
		cancel()
		<-stopped
	})
}

func waitFor(t *testing.T, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met in %s", timeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
