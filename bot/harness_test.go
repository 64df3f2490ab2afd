package bot

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"langnghe"
	"langnghe/bot/telegramtest"
)

// recordingHandler is an in-memory Handler: it dedupes by update id as the
// real conversation.Service does, records what it applied in order, and can
// be told to fail.
type recordingHandler struct {
	mu      sync.Mutex
	applied []langnghe.Inbound
	seen    map[string]bool
	calls   int
	// fail, when set, decides whether a call fails (before anything is
	// recorded, like a rolled-back transaction).
	fail func(in langnghe.Inbound, call int) error
	// onApply runs after an input is recorded (outside the lock).
	onApply func(in langnghe.Inbound)
	changed chan struct{}
}

func newRecordingHandler() *recordingHandler {
	return &recordingHandler{seen: make(map[string]bool), changed: make(chan struct{}, 1)}
}

func (h *recordingHandler) Handle(ctx context.Context, in langnghe.Inbound) error {
	h.mu.Lock()
	h.calls++
	if h.fail != nil {
		if err := h.fail(in, h.calls); err != nil {
			h.mu.Unlock()
			return err
		}
	}
	fresh := !h.seen[in.UpdateID]
	if fresh {
		h.seen[in.UpdateID] = true
		h.applied = append(h.applied, in)
	}
	onApply := h.onApply
	h.mu.Unlock()
	if fresh && onApply != nil {
		onApply(in)
	}
	select {
	case h.changed <- struct{}{}:
	default:
	}
	return nil
}

func (h *recordingHandler) setFail(f func(in langnghe.Inbound, call int) error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.fail = f
}

func (h *recordingHandler) snapshot() []langnghe.Inbound {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.applied)
}

// waitApplied waits until n inputs were applied and returns them.
func (h *recordingHandler) waitApplied(t *testing.T, n int) []langnghe.Inbound {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if got := h.snapshot(); len(got) >= n {
			return got
		}
		select {
		case <-h.changed:
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			t.Fatalf("applied %d inputs, want %d", len(h.snapshot()), n)
		}
	}
}

// memOutbox is an in-memory Outbox with the semantics storage promises:
// only the head message of each chat is claimable, leases, not_before.
type memOutbox struct {
	mu          sync.Mutex
	nextID      int64
	queue       []*memMessage // by id
	sent        []langnghe.Outgoing
	targets     []langnghe.ReplyTarget // recorded by MarkSent
	failed      map[int64]string
	unreachable map[string]bool
	retries     int
	// leasedTwice is set if a chat ever had two messages leased at once.
	leasedTwice bool
}

type memMessage struct {
	langnghe.Outgoing
	leaseUntil time.Time
}

func newMemOutbox() *memOutbox {
	return &memOutbox{failed: make(map[int64]string), unreachable: make(map[string]bool)}
}

func (o *memOutbox) enqueue(chatID int64, m langnghe.Message) int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.nextID++
	o.queue = append(o.queue, &memMessage{Outgoing: langnghe.Outgoing{
		ID: o.nextID, Channel: langnghe.ChannelTelegram, ChatID: fmt.Sprint(chatID),
		Message: m, CreatedAt: time.Now(),
	}})
	return o.nextID
}

func (o *memOutbox) ClaimOutgoing(_ context.Context, channel, owner string, limit, bulk int, lease time.Duration, now time.Time) ([]langnghe.Outgoing, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []langnghe.Outgoing
	heads := make(map[string]bool)
	leased := make(map[string]int)
	for _, m := range o.queue {
		if m.leaseUntil.After(now) {
			leased[m.ChatID]++
		}
	}
	for _, m := range o.queue {
		if len(out) == limit {
			break
		}
		if heads[m.ChatID] || m.Channel != channel {
			continue
		}
		heads[m.ChatID] = true
		if m.NotBefore.After(now) || m.leaseUntil.After(now) {
			continue
		}
		m.leaseUntil = now.Add(lease)
		if leased[m.ChatID]++; leased[m.ChatID] > 1 {
			o.leasedTwice = true
		}
		out = append(out, m.Outgoing)
	}
	return out, nil
}

func (o *memOutbox) take(id int64) (*memMessage, error) {
	for i, m := range o.queue {
		if m.ID == id {
			o.queue = slices.Delete(o.queue, i, i+1)
			return m, nil
		}
	}
	return nil, langnghe.Errorf(langnghe.ENOTFOUND, "outgoing %d: not queued", id)
}

func (o *memOutbox) MarkSent(_ context.Context, id int64, now time.Time, targets ...langnghe.ReplyTarget) (next bool, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	m, err := o.take(id)
	if err != nil {
		return false, err
	}
	o.sent = append(o.sent, m.Outgoing)
	o.targets = append(o.targets, targets...)
	for _, n := range o.queue {
		if n.ChatID == m.ChatID && !n.leaseUntil.After(now) {
			return true, nil
		}
	}
	return false, nil
}

func (o *memOutbox) ReleaseOutgoing(_ context.Context, _ string, ids []int64) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, m := range o.queue {
		if slices.Contains(ids, m.ID) {
			m.leaseUntil = time.Time{}
		}
	}
	return nil
}

func (o *memOutbox) RetryOutgoing(_ context.Context, id int64, notBefore time.Time, lastErr string) error {
	return o.retry(id, notBefore, lastErr, true)
}

func (o *memOutbox) PostponeOutgoing(_ context.Context, id int64, notBefore time.Time, lastErr string) error {
	return o.retry(id, notBefore, lastErr, false)
}

// retry gives a message back for a later try, counting an attempt or not;
// both count as retries in the state (and the sender's Stats).
func (o *memOutbox) retry(id int64, notBefore time.Time, lastErr string, attempt bool) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, m := range o.queue {
		if m.ID == id {
			if attempt {
				m.Attempts++
			}
			m.NotBefore = notBefore
			m.LastError = lastErr
			m.leaseUntil = time.Time{}
			o.retries++
			return nil
		}
	}
	return langnghe.Errorf(langnghe.ENOTFOUND, "outgoing %d: not queued", id)
}

func (o *memOutbox) FailOutgoing(_ context.Context, id int64, lastErr string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	_, err := o.take(id)
	if err == nil {
		o.failed[id] = lastErr
	}
	return err
}

func (o *memOutbox) MarkUnreachable(_ context.Context, channel, chatID string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.unreachable[chatID] = true
	return nil
}

type outboxState struct {
	queued, sent, retries int
	failed                map[int64]string
	unreachable           map[string]bool
	leasedTwice           bool
}

func (o *memOutbox) state() outboxState {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := outboxState{queued: len(o.queue), sent: len(o.sent), retries: o.retries, leasedTwice: o.leasedTwice,
		failed: make(map[int64]string), unreachable: make(map[string]bool)}
	for k, v := range o.failed {
		s.failed[k] = v
	}
	for k, v := range o.unreachable {
		s.unreachable[k] = v
	}
	return s
}

// waitSettled waits until nothing is queued.
func (o *memOutbox) waitSettled(t *testing.T, timeout time.Duration) outboxState {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := o.state()
		if s.queued == 0 {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox not drained after %s: %+v", timeout, s)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testBot is a Bot wired to a fake Bot API, an in-memory handler and outbox,
// with its log captured.
type testBot struct {
	*Bot
	fake    *telegramtest.Server
	handler *recordingHandler
	outbox  *memOutbox
	logs    *syncBuffer
}

func newTestBot(t *testing.T, fake *telegramtest.Server, cfg Config) *testBot {
	t.Helper()
	tb := &testBot{fake: fake, handler: newRecordingHandler(), outbox: newMemOutbox(), logs: &syncBuffer{}}
	logger := slog.New(slog.NewTextHandler(tb.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg.Token = fake.Token()
	cfg.Endpoint = fake.Endpoint()
	if cfg.PollTimeout == 0 {
		cfg.PollTimeout = time.Second
	}
	if cfg.Retry == (Retry{}) {
		cfg.Retry = Retry{Attempts: 5, Base: 20 * time.Millisecond, Max: 200 * time.Millisecond}
	}
	b, err := New(cfg, tb.handler, tb.outbox, logger)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	tb.Bot = b
	// The sender polls the outbox quickly in tests.
	b.sender.poll = 20 * time.Millisecond
	return tb
}

// run starts the bot; it is stopped, and must return, at cleanup.
func (tb *testBot) run(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tb.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Run did not stop after cancel")
		}
		if out := tb.logs.String(); bytes.Contains([]byte(out), []byte(tb.fake.Token())) {
			t.Error("the token appears in the log")
		}
	})
}

// fakeClient is a Bot API client of fake.
func fakeClient(t *testing.T, ctx context.Context, fake *telegramtest.Server) *Client {
	t.Helper()
	client, err := NewClient(ctx, fake.Token(), fake.Endpoint())
	if err != nil {
		t.Fatal(err)
	}
	return client
}

func newFake(t *testing.T, opts ...telegramtest.Option) *telegramtest.Server {
	t.Helper()
	fake := telegramtest.NewServer(opts...)
	t.Cleanup(fake.Close)
	return fake
}
