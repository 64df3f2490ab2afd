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
}

func newFloodGuard(limit int, window time.Duration) *floodGuard {
	return &floodGuard{limit: limit, window: window, windows: map[string]*floodWindow{}}
}

// allow counts an input from key at now and reports whether it is within
// the limit. A zero limit allows everything.
func (g *floodGuard) allow(key string, now time.Time) bool {
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
	}
	w.count++
	if w.count > g.limit {
		w.dropped++
		return false
	}
	return true
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
