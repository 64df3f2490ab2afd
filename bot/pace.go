package bot

import (
	"context"
	"sync"
	"time"
)

// bucket is the global token bucket: about 30 messages a second overall is
// what Telegram tolerates before flood control. pause stops every send for a
// while when Telegram answers 429 anyway.
type bucket struct {
	mu          sync.Mutex
	rate        float64 // tokens per second
	burst       float64
	tokens      float64
	last        time.Time
	pausedUntil time.Time
}

// newBucket allows at most perSecond sends in any one-second window, which
// is how Telegram counts: a full bucket's burst and a second's refill both
// go out within one second, so the refill rate is perSecond less the burst.
// (A refill of the whole perSecond on top of the burst overshot the window,
// drew 429s and stopped every send for their retry_after, halving the rate.)
func newBucket(perSecond float64, burst int) *bucket {
	b := float64(max(1, burst))
	rate := perSecond - b
	if rate < b { // too slow to share: one at a time, evenly spaced
		b, rate = 1, perSecond
	}
	return &bucket{rate: rate, burst: b, tokens: b, last: time.Now()}
}

// wait blocks until a token is available or ctx ends.
func (b *bucket) wait(ctx context.Context) error {
	for {
		d := b.take(time.Now())
		if d == 0 {
			return nil
		}
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
}

// take takes a token and returns 0, or returns how long to wait before
// trying again.
func (b *bucket) take(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Before(b.pausedUntil) {
		return b.pausedUntil.Sub(now)
	}
	b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return 0
	}
	return time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
}

// pause holds every send until until, and empties the bucket so sending
// resumes gently rather than in a burst.
func (b *bucket) pause(until time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if until.After(b.pausedUntil) {
		b.pausedUntil = until
	}
	b.tokens = 0
	b.last = b.pausedUntil
}

// chatPacer spaces messages within one chat: Telegram allows about one
// message a second in a private chat and 20 a minute in a group. The gap is
// counted from the end of the previous send, so network jitter can never
// make Telegram see two messages closer than the gap. The outbox lets only
// one message of a chat be in flight, so a chat has one sender at a time.
type chatPacer struct {
	mu      sync.Mutex
	next    map[string]time.Time
	private time.Duration
	group   time.Duration
}

func newChatPacer(private, group time.Duration) *chatPacer {
	return &chatPacer{next: make(map[string]time.Time), private: private, group: group}
}

// pruneAbove bounds the map: entries in the past are forgotten once there
// are this many.
const pruneAbove = 4096

// wait returns how long chat must stay quiet from now.
func (p *chatPacer) wait(chatID string, now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.next[chatID].Sub(now)
}

// sent records a send to chat that ended at now.
func (p *chatPacer) sent(chatID string, group bool, now time.Time) {
	gap := p.private
	if group {
		gap = p.group
	}
	p.delay(chatID, now.Add(gap))
}

// delay keeps chat quiet until until (after a 429 for it, or a send).
func (p *chatPacer) delay(chatID string, until time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.next) > pruneAbove {
		now := time.Now()
		for id, t := range p.next {
			if t.Before(now) {
				delete(p.next, id)
			}
		}
	}
	if until.After(p.next[chatID]) {
		p.next[chatID] = until
	}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
