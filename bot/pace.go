package bot

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// allowance is a token bucket (rate.Limiter) that flood control can
// silence: after a 429 nothing goes until its retry_after, and then one
// message at a time, so sending resumes gently rather than in a burst.
// Its owner serialises the calls.
type allowance struct {
	lim   *rate.Limiter
	quiet time.Time // nothing before this
}

func newAllowance(perSecond rate.Limit, burst int) *allowance {
	return &allowance{lim: rate.NewLimiter(perSecond, max(1, burst))}
}

// wait reports how long from now until a send may go; zero means now.
func (a *allowance) wait(now time.Time) time.Duration {
	if now.Before(a.quiet) {
		return a.quiet.Sub(now)
	}
	tokens := a.lim.TokensAt(now)
	if tokens >= 1 {
		return 0
	}
	// Rounded up, so that waiting this long is always enough.
	return time.Duration(math.Ceil((1 - tokens) / float64(a.lim.Limit()) * float64(time.Second)))
}

// spend counts a send at now, whether or not a token was there (the send
// happened; a debt is paid back by later waits).
func (a *allowance) spend(now time.Time) { a.lim.ReserveN(now, 1) }

// silence holds every send until until; there one may go, and the bucket
// fills from there.
func (a *allowance) silence(until time.Time) {
	if until.After(a.quiet) {
		a.quiet = until
	}
	a.lim = rate.NewLimiter(a.lim.Limit(), a.lim.Burst())
	a.lim.ReserveN(a.quiet, a.lim.Burst()-1)
}

// idle reports whether the allowance is as good as new at now: full and
// not silenced.
func (a *allowance) idle(now time.Time) bool {
	return !now.Before(a.quiet) && a.lim.TokensAt(now) >= float64(a.lim.Burst())
}

// bucket is the global allowance: about 30 messages a second overall is
// what Telegram tolerates before flood control. pause stops every send for
// a while when Telegram answers 429 anyway.
type bucket struct {
	mu sync.Mutex
	a  *allowance
}

// newBucket allows at most perSecond sends in any one-second window, which
// is how Telegram counts: a full bucket's burst and a second's refill both
// go out within one second, so the refill rate is perSecond less the burst.
// (A refill of the whole perSecond on top of the burst overshot the window,
// drew 429s and stopped every send for their retry_after, halving the rate.)
func newBucket(perSecond float64, burst int) *bucket {
	b := float64(max(1, burst))
	r := perSecond - b
	if r < b { // too slow to share: one at a time, evenly spaced
		b, r = 1, perSecond
	}
	return &bucket{a: newAllowance(rate.Limit(r), int(b))}
}

// wait blocks until a token is available or ctx ends.
func (b *bucket) wait(ctx context.Context) error {
	for {
		d := b.take(time.Now())
		if d == 0 {
			return nil
		}
		if err := Sleep(ctx, d); err != nil {
			return err
		}
	}
}

// take takes a token and returns 0, or returns how long to wait before
// trying again.
func (b *bucket) take(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	if d := b.a.wait(now); d > 0 {
		return d
	}
	b.a.spend(now)
	return 0
}

// pause holds every send until until, then resumes one at a time.
func (b *bucket) pause(until time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.a.silence(until)
}

// chatPacer paces messages within one chat. Telegram allows about one
// message a second in a private chat, tolerating a short burst (a turn's
// two or three messages arrive at once), and 20 a minute in a group, where
// there is no burst. A send is counted at its end, so network jitter can
// never make Telegram see messages closer than allowed: counted later than
// Telegram counts it, a send leaves the pacer at most as many tokens as
// Telegram sees. The outbox lets only one message of a chat be in flight,
// so a chat has one sender at a time.
//
// The pacer is this process's: when another replica takes a chat over (a
// replica stopped, or a claim found its message first), that replica starts
// the chat with a full burst. Telegram's 429 then says how long to wait,
// and the message is retried without counting an attempt.
type chatPacer struct {
	mu     sync.Mutex
	chats  map[string]*allowance
	limits Limits
}

// newChatPacer paces private chats at one message every limits.ChatInterval
// after a burst of limits.ChatBurst, and groups at limits.GroupPerMinute.
func newChatPacer(limits Limits) *chatPacer {
	return &chatPacer{chats: make(map[string]*allowance), limits: limits}
}

// pruneAbove bounds the map: chats as good as new are forgotten once there
// are this many.
const pruneAbove = 4096

// wait returns how long chat must stay quiet from now.
func (p *chatPacer) wait(chatID string, now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	a := p.chats[chatID]
	if a == nil {
		return 0
	}
	return a.wait(now)
}

// sent records a send to chat that ended at now.
func (p *chatPacer) sent(chatID string, group bool, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.chat(chatID, group, now).spend(now)
}

// delay keeps chat quiet until until (after a 429 for it), then lets it
// go on one message at a time.
func (p *chatPacer) delay(chatID string, group bool, until time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.chat(chatID, group, time.Now()).silence(until)
}

// chat returns chat's allowance, made when it has none. Callers hold p.mu.
func (p *chatPacer) chat(chatID string, group bool, now time.Time) *allowance {
	if a := p.chats[chatID]; a != nil {
		return a
	}
	if len(p.chats) >= pruneAbove {
		for id, a := range p.chats {
			if a.idle(now) {
				delete(p.chats, id)
			}
		}
	}
	a := newAllowance(rate.Every(p.limits.ChatInterval), p.limits.ChatBurst)
	if group {
		a = newAllowance(rate.Every(time.Minute/time.Duration(p.limits.GroupPerMinute)), 1)
	}
	p.chats[chatID] = a
	return a
}

// Sleep waits d or until ctx ends (ctx's error then): the bot's pacing
// and retries wait with it, and so does the load generator.
func Sleep(ctx context.Context, d time.Duration) error {
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
