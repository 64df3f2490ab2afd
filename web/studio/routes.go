package studio

import (
	"net/http"
	"slices"

	"langnghe/web/console"
)

// routes is the studio's mux. It remembers every pattern registered on it,
// so a test can walk them all and check that none lets a non-admin in.
type routes struct {
	*http.ServeMux
	patterns []string
}

// Handle registers h for pattern and remembers the pattern.
func (m *routes) Handle(pattern string, h http.Handler) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.Handle(pattern, h)
}

// HandleFunc registers h for pattern and remembers the pattern. A
// handler returns its failure and console.Fail answers it, the one way
// every page of the studio fails.
func (m *routes) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request) error) {
	m.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			console.Fail(w, r, err)
		}
	}))
}

// Routes lists the patterns the studio serves ("GET /console/studio/{$}",
// "POST /console/studio/flows/{id}/check", ...), in registration order.
func (s *Studio) Routes() []string { return slices.Clone(s.mux.patterns) }
