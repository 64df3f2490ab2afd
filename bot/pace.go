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
//
// A send reserves its token on the bucket's timeline (rate.Limiter's
// reservations) rather than taking one when it wakes: a waiting send that
// wakes a little late (a busy machine's timers) costs the rate nothing.
// Taken at wake-up, with a burst of 1, every late wake-up was lost: 27.5
// of the 29 a second went out.
//
// Reserved tokens come evenly, but a send that woke late and the next one
// that did not start closer together than the rate: so the sends' actual
// starts are also kept to at most perSecond in any window of a second and
// a little (window), which holds the next send back those few
// milliseconds.
//
// Normal sends go before bulk ones (langnghe.Lane). A normal send reserves
// the next free token at once, behind the reservations made already; a
// bulk send reserves one only when none is outstanding, and a normal send
// takes over the token a bulk send waits for (which then asks again). So
// a reply waits for no bulk send that has not started, however many wait.
type bucket struct {
	mu sync.Mutex
	a  *allowance
	// pauses counts the pauses: one since a reservation voids it.
	pauses int
	// bulk is the turn of the bulk send waiting for its token, if any.
	bulk *turn
	// starts are the latest sends' starts, oldest first, within span;
	// at most most of them in a span.
	starts []time.Time
	most   int
	span   time.Duration
	// narrowed is when span last came back a step towards startsSpan.
	narrowed time.Time
	// full is the refill rate with the narrowest span; the bucket's
	// refill follows span (fitted), so that the tokens, which keep
	// normal sends first, stay what holds sends back.
	full rate.Limit
}

// startsSpan is the least window of the bucket's check on the sends'
// starts: a second, and a margin for the way from a send's start to
// Telegram. A send that reaches Telegram later than the next one (a busy
// machine, the network) can still make 31 in Telegram's second, and the
// 429 stops every send for its retry_after; so each pause widens the
// window by spanStep, up to spanMost, and every quiet spanEase it narrows
// back by a fifth of a step. At 30 a second, a window of 1.05 s lets 28.6
// through.
const (
	startsSpan = time.Second + 20*time.Millisecond
	spanStep   = 25 * time.Millisecond
	spanMost   = time.Second + 300*time.Millisecond
	spanEase   = 30 * time.Second
)

// newBucket allows at most perSecond sends in any one-second window, which
// is how Telegram counts: a full bucket's burst and a second's refill both
// go out within one second, so the refill rate is perSecond less the burst.
// (A refill of the whole perSecond on top of the burst overshot the window,
// drew 429s and stopped every send for their retry_after, halving the rate.)
// The sender uses a burst of 1: the refill, perSecond less one, is what a
// long send (a bulk backlog) gets, 29 of 30 a second; a burst of 3 left it
// 27.
func newBucket(perSecond float64, burst int) *bucket {
	b := float64(max(1, burst))
	r := perSecond - b
	if r < b { // too slow to share: one at a time, evenly spaced
		b, r = 1, perSecond
	}
	return &bucket{a: newAllowance(rate.Limit(r), int(b)), most: max(1, int(perSecond)), span: startsSpan, full: rate.Limit(r)}
}

// turn is a reserved token: when it comes, and whether a normal send took
// it over from the bulk send that reserved it.
type turn struct {
	at    time.Time
	taken bool
}

// wait blocks until the send's token comes or ctx ends.
func (b *bucket) wait(ctx context.Context, bulk bool) error {
	for {
		pauses := b.pausesSoFar()
		d, t := b.take(time.Now(), bulk)
		if err := Sleep(ctx, d); err != nil {
			return err
		}
		// A pause (429) that came meanwhile voids the reservation.
		if t != nil && b.kept(t, pauses) {
			break
		}
	}
	for {
		d := b.start(time.Now())
		if d == 0 {
			return nil
		}
		if err := Sleep(ctx, d); err != nil {
			return err
		}
	}
}

// start counts a send's start at now and returns 0, or returns how long
// until it may start (the starts' window is full).
func (b *bucket) start(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.span > startsSpan && now.Sub(b.narrowed) >= spanEase {
		b.span = max(startsSpan, b.span-spanStep/5)
		b.narrowed = now
		b.a.lim.SetLimitAt(now, b.fitted())
	}
	cut := 0
	for cut < len(b.starts) && !b.starts[cut].After(now.Add(-b.span)) {
		cut++
	}
	b.starts = b.starts[cut:]
	if len(b.starts) >= b.most {
		return b.starts[len(b.starts)-b.most].Add(b.span).Sub(now)
	}
	b.starts = append(b.starts, now)
	return 0
}

// take reserves a token and returns how long until it comes and its turn,
// or returns how long to wait before asking again (no turn): during a
// pause, or for a bulk send while a token is reserved already. A normal
// send takes over the token a bulk send reserved and waits for.
func (b *bucket) take(now time.Time, bulk bool) (time.Duration, *turn) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Before(b.a.quiet) {
		return b.a.quiet.Sub(now), nil
	}
	if !bulk && b.bulk != nil && b.bulk.at.After(now) {
		b.bulk.taken = true
		t := &turn{at: b.bulk.at}
		b.bulk = nil
		return t.at.Sub(now), t
	}
	if tokens := b.a.lim.TokensAt(now); bulk && tokens < 0 {
		// Outstanding reservations: ask again when the last one comes.
		return time.Duration(math.Ceil(-tokens / float64(b.a.lim.Limit()) * float64(time.Second))), nil
	}
	d := b.a.lim.ReserveN(now, 1).DelayFrom(now)
	t := &turn{at: now.Add(d)}
	if bulk && d > 0 {
		b.bulk = t
	}
	return d, t
}

// kept reports whether t is still its sender's: no normal send took it
// over and no pause came since pauses.
func (b *bucket) kept(t *turn, pauses int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return !t.taken && b.pauses == pauses
}

// fitted is the refill rate that span allows: full, slowed as span
// widens past startsSpan.
func (b *bucket) fitted() rate.Limit {
	widened := time.Second + b.span - startsSpan
	return min(b.full, rate.Limit(float64(b.most-b.a.lim.Burst())/widened.Seconds()))
}

func (b *bucket) pausesSoFar() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.pauses
}

// pause holds every send until until, then resumes one at a time.
func (b *bucket) pause(until time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pauses++
	b.bulk = nil
	b.span = min(spanMost, b.span+spanStep)
	b.narrowed = until
	b.a.lim.SetLimit(b.fitted())
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
