package bot

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"langnghe"
)

// stallingOutbox is an Outbox whose claims hang, once it has handed out
// the message stallAfter, until release is closed or the claim's context
// ends: a database round trip that takes long under load.
type stallingOutbox struct {
	Outbox
	stallAfter string
	release    chan struct{}

	mu      sync.Mutex
	stalled bool
}

func (o *stallingOutbox) ClaimOutgoing(ctx context.Context, channel, owner string, limit, bulk int, lease time.Duration, now time.Time) ([]langnghe.Outgoing, error) {
	o.mu.Lock()
	stalled := o.stalled
	o.mu.Unlock()
	if stalled {
		select {
		case <-o.release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	msgs, err := o.Outbox.ClaimOutgoing(ctx, channel, owner, limit, bulk, lease, now)
	for _, m := range msgs {
		if m.Message.Text == o.stallAfter {
			o.mu.Lock()
			o.stalled = true
			o.mu.Unlock()
		}
	}
	return msgs, err
}

// TestSenderDeliversWhileClaiming: a held message whose chat's turn comes
// is sent while a claim is still waiting for the database. (When claims
// ran in the delivery loop, every send waited for each claim, and under
// load the outbox backed up.)
func TestSenderDeliversWhileClaiming(t *testing.T) {
	fake := newFake(t)
	tb := newTestBot(t, fake, Config{Limits: Limits{ChatInterval: 300 * time.Millisecond, ChatBurst: 1}})
	stalling := &stallingOutbox{Outbox: tb.sender.outbox, stallAfter: "hai", release: make(chan struct{})}
	tb.sender.outbox = stalling
	defer close(stalling.release)
	tb.outbox.enqueue(8301, langnghe.Message{Text: "một"})
	tb.outbox.enqueue(8301, langnghe.Message{Text: "hai"})

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- tb.sender.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	tb.sender.Notify()

	// "hai" is claimed and waits 300 ms for its chat's turn; meanwhile a
	// commit elsewhere wakes the idle sender, which starts a claim that
	// hangs.
	waitFor(t, 5*time.Second, func() bool {
		stalling.mu.Lock()
		defer stalling.mu.Unlock()
		return stalling.stalled
	})
	tb.sender.Notify()
	wait, stop := context.WithTimeout(t.Context(), 5*time.Second)
	defer stop()
	sent, err := fake.WaitSent(wait, 8301, 2)
	if err != nil {
		t.Fatalf("the second reply was not sent while a claim was pending: %v", err)
	}
	if sent[0].Text != "một" || sent[1].Text != "hai" {
		t.Errorf("sent %q, %q; want một, hai", sent[0].Text, sent[1].Text)
	}
}

// countingOutbox counts claims.
type countingOutbox struct {
	Outbox
	claims atomic.Int64
}

func (o *countingOutbox) ClaimOutgoing(ctx context.Context, channel, owner string, limit, bulk int, lease time.Duration, now time.Time) ([]langnghe.Outgoing, error) {
	o.claims.Add(1)
	return o.Outbox.ClaimOutgoing(ctx, channel, owner, limit, bulk, lease, now)
}

// TestSenderIdleDoesNotClaim: once a claim found the queue empty, the
// sender claims again when told of a commit or a delivery, or at the poll,
// not in a loop. (It claimed every 5 ms, about 150 queries a second against
// an idle database.)
func TestSenderIdleDoesNotClaim(t *testing.T) {
	fake := newFake(t)
	tb := newTestBot(t, fake, Config{Limits: Limits{ChatInterval: 300 * time.Millisecond, ChatBurst: 1}})
	counting := &countingOutbox{Outbox: tb.sender.outbox}
	tb.sender.outbox = counting
	tb.sender.poll = time.Hour
	tb.outbox.enqueue(8401, langnghe.Message{Text: "một"})
	tb.outbox.enqueue(8401, langnghe.Message{Text: "hai"})
	tb.sender.Notify()
	tb.run(t)
	// The second message becomes its chat's head only once the first is
	// marked sent; no commit announces it, the delivery does.
	if _, err := fake.WaitSent(t.Context(), 8401, 2); err != nil {
		t.Fatalf("both replies not delivered: %v", err)
	}
	time.Sleep(50 * time.Millisecond) // the claim after the last delivery
	before := counting.claims.Load()
	time.Sleep(300 * time.Millisecond)
	if n := counting.claims.Load() - before; n > 0 {
		t.Errorf("%d claims in 300 ms of an idle queue; want none before a Notify or the poll", n)
	}
	tb.outbox.enqueue(8402, langnghe.Message{Text: "ba"})
	tb.sender.Notify()
	if _, err := fake.WaitSent(t.Context(), 8402, 1); err != nil {
		t.Fatalf("not delivered after Notify: %v", err)
	}
}
