package bot

import (
	"context"
	"sync"
	"testing"
	"time"

	"langnghe"
	"langnghe/storage"
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

func (o *stallingOutbox) ClaimOutgoing(ctx context.Context, channel, owner string, limit int, lease time.Duration, now time.Time) ([]storage.Outgoing, error) {
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
	msgs, err := o.Outbox.ClaimOutgoing(ctx, channel, owner, limit, lease, now)
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
	tb := newTestBot(t, fake, Config{Limits: Limits{ChatInterval: 300 * time.Millisecond}})
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
	tb.Notify()

	// "hai" is claimed, waits 300 ms for its chat's turn, and meanwhile
	// the sender, idle, starts a claim that hangs.
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
