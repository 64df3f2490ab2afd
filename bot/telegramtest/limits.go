package telegramtest

import (
	"fmt"
	"math"
	"net/http"
	"time"
)

// window counts events in a sliding time span.
type window struct {
	at []time.Time // oldest first, only those still in the span
}

// wait reports how long until another event fits, with at most max events
// in any span; zero means now.
func (w *window) wait(now time.Time, span time.Duration, max int) time.Duration {
	cut := 0
	for cut < len(w.at) && !w.at[cut].After(now.Add(-span)) {
		cut++
	}
	w.at = w.at[cut:]
	if len(w.at) < max {
		return 0
	}
	return w.at[len(w.at)-max].Add(span).Sub(now)
}

func (w *window) add(t time.Time) { w.at = append(w.at, t) }

// allowance is a token bucket: burst messages at once, then perSecond a
// second.
type allowance struct {
	tokens float64
	last   time.Time
	begun  bool
}

// wait reports how long until a message fits; zero means now.
func (a *allowance) wait(now time.Time, perSecond, burst int) time.Duration {
	if !a.begun {
		a.tokens, a.last, a.begun = float64(burst), now, true
	}
	if now.After(a.last) {
		a.tokens = min(float64(burst), a.tokens+now.Sub(a.last).Seconds()*float64(perSecond))
		a.last = now
	}
	if a.tokens >= 1 {
		return 0
	}
	return time.Duration(math.Ceil((1 - a.tokens) / float64(perSecond) * float64(time.Second)))
}

// take counts a message that wait let through.
func (a *allowance) take() { a.tokens-- }

// admit applies the flood limits to one more message to c, counting it when
// it passes. Callers hold s.mu.
func (s *Server) admit(c *chat) *apiError {
	now := s.now()
	l := s.limits
	var wait time.Duration
	if l.Global > 0 {
		wait = max(wait, s.global.wait(now, time.Second, l.Global))
	}
	switch {
	case c.wire.Type == "private" && l.PerChat > 0 && l.PerChatBurst > 0:
		wait = max(wait, c.burst.wait(now, l.PerChat, l.PerChatBurst))
	case c.wire.Type == "private" && l.PerChat > 0:
		wait = max(wait, c.rate.wait(now, time.Second, l.PerChat))
	case c.wire.Type != "private" && l.PerGroup > 0:
		wait = max(wait, c.rate.wait(now, time.Minute, l.PerGroup))
	}
	if wait > 0 {
		return tooManyRequests(l.RetryAfter, wait)
	}
	if l.Global > 0 {
		s.global.add(now)
	}
	switch {
	case c.wire.Type == "private" && l.PerChat > 0 && l.PerChatBurst > 0:
		c.burst.take()
	case (c.wire.Type == "private" && l.PerChat > 0) || (c.wire.Type != "private" && l.PerGroup > 0):
		c.rate.add(now)
	}
	return nil
}

// tooManyRequests is Telegram's 429: told seconds if set, else the wait
// rounded up to whole seconds.
func tooManyRequests(told int, wait time.Duration) *apiError {
	retry := told
	if retry <= 0 {
		retry = max(1, int((wait+time.Second-1)/time.Second))
	}
	return &apiError{
		Code:        http.StatusTooManyRequests,
		Description: fmt.Sprintf("Too Many Requests: retry after %d", retry),
		RetryAfter:  retry,
	}
}
