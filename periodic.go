package langnghe

import (
	"context"
	"time"
)

// Every calls fn every d, the first time d after it starts, until ctx ends
// (then it returns nil) or fn returns an error (then it returns that). The
// background loops (session timeouts, console purges, digests, lease
// renewals, the outbox's lock) all run on it.
func Every(ctx context.Context, d time.Duration, fn func() error) error {
	tick := time.NewTicker(d)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		if err := fn(); err != nil {
			return err
		}
	}
}
