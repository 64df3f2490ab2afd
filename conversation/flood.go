package conversation

import (
	"sync"
	"time"
)

// floodGuard limits how many inputs one resident may send per window, so a
// stuck client or a script cannot fill the queue. It is per replica and in
// memory: a resident spread over replicas gets a little more, which is fine
// for politeness, and nothing is stored about them.
type floodGuard struct {
	limit  int
	window time.Duration

	mu      sync.Mutex
	windows map[string]*floodWindow
}

type floodWindow struct {
	start   time.Time
	count   int
	dropped int
	// last is the update counted last and allowed what was decided for it:
	// an input applied again (its batch failed and it is retried alone) is
	// not counted twice.
	last    string
	allowed bool
}

func newFloodGuard(limit int, window time.Duration) *floodGuard {
	return &floodGuard{limit: limit, window: window, windows: map[string]*floodWindow{}}
}

// allow counts the input update from key at now and reports whether it is
// within the limit; the same update again gets the same answer, uncounted.
// A zero limit allows everything.
func (g *floodGuard) allow(key, update string, now time.Time) bool {
	if g.limit <= 0 {
		return true
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	w := g.windows[key]
	if w == nil || now.Sub(w.start) >= g.window || now.Before(w.start) {
		if len(g.windows) > 100_000 {
			g.sweep(now)
		}
		w = &floodWindow{start: now}
		g.windows[key] = w
	} else if update != "" && update == w.last {
		return w.allowed
	}
	w.count++
	w.last, w.allowed = update, w.count <= g.limit
	if !w.allowed {
		w.dropped++
	}
	return w.allowed
}

// firstDrop reports whether the last refused input was the first one of its
// window, so the resident is told once, not at every message.
func (g *floodGuard) firstDrop(key string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	w := g.windows[key]
	return w != nil && w.dropped == 1
}

// sweep forgets windows that ended; called with mu held.
func (g *floodGuard) sweep(now time.Time) {
	for k, w := range g.windows {
		if now.Sub(w.start) >= g.window {
			delete(g.windows, k)
		}
	}
}
