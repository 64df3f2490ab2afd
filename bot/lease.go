package bot

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"langnghe"
)

// leaseExtender is an Outbox that can renew leases (storage.DB is one).
type leaseExtender interface {
	ExtendLeases(ctx context.Context, owner string, ids []int64, until time.Time) error
}

// renewingLease is how long a claimed message stays leased without a
// renewal. It bounds how long the chats of a sender that died (SIGKILL, a
// lost machine) stay stuck before another run or replica claims their
// messages; a live sender renews every renewingLease/3 the leases of the
// messages it holds, however long they wait for their turn or a send takes.
const renewingLease = 15 * time.Second

// renewingOutbox shortens the leases its Outbox hands out and keeps them
// alive while the sender holds the messages: from the claim or the handoff
// until the sender lets the message go (Sender.letGo), once its outcome is
// recorded or it is given back. A message whose outcome the sender gave up
// recording is let go too: its lease runs out and another claim retries it.
type renewingOutbox struct {
	Outbox
	ext   leaseExtender
	lease time.Duration
	log   *slog.Logger

	mu   sync.Mutex
	held map[int64]string // message id → lease owner
}

// withRenewedLeases wraps outbox when it can renew leases; otherwise it
// returns outbox as is and nil.
func withRenewedLeases(outbox Outbox, logger *slog.Logger) (Outbox, *renewingOutbox) {
	ext, ok := outbox.(leaseExtender)
	if !ok {
		return outbox, nil
	}
	r := &renewingOutbox{Outbox: outbox, ext: ext, lease: renewingLease, log: logger, held: make(map[int64]string)}
	return r, r
}

func (r *renewingOutbox) ClaimOutgoing(ctx context.Context, channel, owner string, limit, bulk int, lease time.Duration, now time.Time) ([]langnghe.Outgoing, error) {
	msgs, err := r.Outbox.ClaimOutgoing(ctx, channel, owner, limit, bulk, min(lease, r.lease), now)
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range msgs {
		r.held[m.ID] = owner
	}
	return msgs, err
}

// hold renews the leases of messages handed over to owner.
func (r *renewingOutbox) hold(owner string, msgs []langnghe.Outgoing) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range msgs {
		r.held[m.ID] = owner
	}
}

// release stops renewing id's lease: the sender let the message go
// (Sender.letGo), its outcome recorded, the message given back, or the
// recording given up on.
func (r *renewingOutbox) release(id int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.held, id)
}

// run renews the held leases until ctx ends.
func (r *renewingOutbox) run(ctx context.Context) {
	_ = langnghe.Every(ctx, r.lease/3, func() error {
		r.renew(ctx, time.Now().Add(r.lease))
		return nil
	})
}

// renew extends every held lease until until.
func (r *renewingOutbox) renew(ctx context.Context, until time.Time) {
	byOwner := make(map[string][]int64)
	r.mu.Lock()
	for id, owner := range r.held {
		byOwner[owner] = append(byOwner[owner], id)
	}
	r.mu.Unlock()
	for owner, ids := range byOwner {
		if err := r.ext.ExtendLeases(ctx, owner, ids, until); err != nil && ctx.Err() == nil {
			// When the leases run out another sender may send these
			// messages too: a duplicate, which at-least-once delivery allows.
			r.log.WarnContext(ctx, "renew outbox leases", "error", err, "messages", len(ids))
		}
	}
}
