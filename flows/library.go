package flows

import (
	"fmt"
	"sync"

	"langnghe"
)

// Library is an in-memory FlowSource holding revisions of flows, one of
// each published. The studio's simulator and tests use it; the service
// keeps its revisions in the database, served by flowlib.Library.Source.
type Library struct {
	mu        sync.RWMutex
	revisions map[string]map[int]*Definition
	published map[string]int
}

// NewLibrary returns a library with defs added and published.
func NewLibrary(defs ...*Definition) (*Library, error) {
	l := &Library{revisions: map[string]map[int]*Definition{}, published: map[string]int{}}
	for _, d := range defs {
		if err := l.Publish(d); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// Publish adds def and makes it the revision new sessions start. A def
// with Revision 0 becomes the flow's next revision. Running sessions stay
// on the revision they started with.
func (l *Library) Publish(def *Definition) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	revs := l.revisions[def.ID]
	if revs == nil {
		revs = map[int]*Definition{}
		l.revisions[def.ID] = revs
	}
	if def.Revision == 0 {
		for r := range revs {
			def.Revision = max(def.Revision, r)
		}
		def.Revision++
	}
	if old, ok := revs[def.Revision]; ok && old != def {
		return langnghe.Errorf(langnghe.ECONFLICT, "flow %q already has a revision %d", def.ID, def.Revision)
	}
	revs[def.Revision] = def
	l.published[def.ID] = def.Revision
	return nil
}

// Flow returns revision of flow id, or the published one for revision 0.
func (l *Library) Flow(id string, revision int) (*Definition, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if revision == 0 {
		revision = l.published[id]
	}
	if d, ok := l.revisions[id][revision]; ok {
		return d, nil
	}
	return nil, langnghe.Errorf(langnghe.ENOTFOUND, "flow %q revision %d not found", id, revision)
}

// CheckLinks reports flows that enter or switch to a flow missing from
// defs. Parse checks one file; this checks a set before it is published.
func CheckLinks(defs []*Definition) []Problem {
	ids := map[string]bool{}
	for _, d := range defs {
		ids[d.ID] = true
	}
	var ps []Problem
	for _, d := range defs {
		for _, l := range d.links {
			if !ids[l.flow] {
				ps = append(ps, Problem{File: d.File, Line: l.line, Column: l.column, Node: l.node,
					Severity: SeverityError, Message: fmt.Sprintf("flow %q does not exist", l.flow)})
			}
		}
	}
	return ps
}
