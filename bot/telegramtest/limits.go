package telegramtest

import (
	"fmt"
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
	if (c.wire.Type == "private" && l.PerChat > 0) || (c.wire.Type != "private" && l.PerGroup > 0) {
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
