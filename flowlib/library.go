// Package flowlib keeps the flows admins edit: each save is an immutable
// revision, one revision per flow is published, rollback publishes an
// earlier one, and running sessions stay on the revision they started with.
// It validates every file with the flows package before anything is stored,
// so a broken file is never half-loaded.
package flowlib

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"langnghe"
	"langnghe/flows"
	"langnghe/flows/defaults"
)

// Library validates, stores and serves the service's flows, revisions
// kept in the database (flows.Library is the in-memory one of the
// simulator and tests). Parsed revisions are cached: a revision never
// changes once saved.
type Library struct {
	catalogue *langnghe.Catalogue

	mu     sync.Mutex
	parsed map[revKey]*flows.Definition
}

type revKey struct {
	flow string
	rev  int
}

// maxCached bounds the parse cache; revisions are small but admins may save
// many over the years.
const maxCached = 512

// New returns a library validating against cat.
func New(cat *langnghe.Catalogue) *Library {
	return &Library{catalogue: cat, parsed: map[revKey]*flows.Definition{}}
}

// Validate parses a flow file and returns its definition or every problem
// found (errors and warnings, with their places).
func (l *Library) Validate(name string, data []byte) (*flows.Definition, []flows.Problem, error) {
	return flows.Parse(name, data, l.catalogue)
}

// Import validates a flow file and saves it as a new revision (a draft until
// published). base is the revision the author edited; 0 accepts any (files
// from the command line or the bot replace the latest). It returns the flow
// id, the new revision and the warnings.
func (l *Library) Import(ctx context.Context, st langnghe.FlowStore, actor, name string, data []byte, base int) (string, int, []flows.Problem, error) {
	def, problems, err := l.Validate(name, data)
	if err != nil {
		return "", 0, problems, err
	}
	if base == 0 {
		base, err = latestRevision(ctx, st, def.ID)
		if err != nil {
			return "", 0, problems, err
		}
	}
	rev, err := st.SaveFlowRevision(ctx, def.ID, data, actor, base)
	if err != nil {
		return "", 0, problems, fmt.Errorf("save flow %s: %w", def.ID, err)
	}
	return def.ID, rev, problems, nil
}

// Publish makes rev the revision new conversations start on. The revision
// is validated again against today's catalogue, so a category removed since
// the draft was saved is caught before residents see it.
func (l *Library) Publish(ctx context.Context, st langnghe.FlowStore, actor, flowID string, rev int) error {
	src, err := st.FlowRevision(ctx, flowID, rev)
	if err != nil {
		return fmt.Errorf("load flow %s revision %d: %w", flowID, rev, err)
	}
	if _, _, err := l.Validate(flowID+".yaml", src); err != nil {
		return err
	}
	if err := st.PublishFlow(ctx, flowID, rev, actor); err != nil {
		return fmt.Errorf("publish flow %s revision %d: %w", flowID, rev, err)
	}
	return nil
}

// Export returns the source of a revision (0: the published one).
func (l *Library) Export(ctx context.Context, st langnghe.FlowStore, flowID string, rev int) ([]byte, int, error) {
	if rev == 0 {
		r, src, err := st.PublishedFlow(ctx, flowID)
		if err != nil {
			return nil, 0, fmt.Errorf("published flow %s: %w", flowID, err)
		}
		return src, r, nil
	}
	src, err := st.FlowRevision(ctx, flowID, rev)
	if err != nil {
		return nil, 0, fmt.Errorf("flow %s revision %d: %w", flowID, rev, err)
	}
	return src, rev, nil
}

// Seed saves and publishes every default flow that the store does not know
// yet, so a fresh database starts with working conversations. Flows an
// admin has changed are left alone.
func (l *Library) Seed(ctx context.Context, st langnghe.FlowStore) ([]string, error) {
	known, err := st.Flows(ctx)
	if err != nil {
		return nil, fmt.Errorf("list flows: %w", err)
	}
	have := map[string]bool{}
	for _, f := range known {
		have[f.ID] = true
	}
	files := defaults.Files()
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	var seeded []string
	for _, name := range names {
		def, _, err := l.Validate(name, files[name])
		if err != nil {
			return seeded, fmt.Errorf("default flow %s: %w", name, err)
		}
		if have[def.ID] {
			continue
		}
		rev, err := st.SaveFlowRevision(ctx, def.ID, files[name], "system", 0)
		if err != nil {
			if langnghe.ErrorCode(err) == langnghe.ECONFLICT {
				continue // another replica seeded it first
			}
			return seeded, fmt.Errorf("seed flow %s: %w", def.ID, err)
		}
		if err := st.PublishFlow(ctx, def.ID, rev, "system"); err != nil {
			return seeded, fmt.Errorf("publish seeded flow %s: %w", def.ID, err)
		}
		seeded = append(seeded, def.ID)
	}
	return seeded, nil
}

func latestRevision(ctx context.Context, st langnghe.FlowStore, flowID string) (int, error) {
	all, err := st.Flows(ctx)
	if err != nil {
		return 0, fmt.Errorf("list flows: %w", err)
	}
	for _, f := range all {
		if f.ID == flowID {
			return f.LatestRevision, nil
		}
	}
	return 0, nil
}

// RevisionStore is what running conversations read: the published
// revision's number and a revision's source (*storage.Tx is one).
type RevisionStore interface {
	PublishedRevision(ctx context.Context, flowID string) (int, error)
	FlowRevision(ctx context.Context, flowID string, rev int) ([]byte, error)
}

// Source returns the flow source of one transaction. The published
// revision's number is read from the store each time, so a publish is seen
// by the next conversation.
func (l *Library) Source(ctx context.Context, st RevisionStore) flows.FlowSource {
	return source{l: l, ctx: ctx, st: st}
}

type source struct {
	l   *Library
	ctx context.Context
	st  RevisionStore
}

func (s source) Flow(id string, rev int) (*flows.Definition, error) {
	if rev == 0 {
		// Which revision is published changes; a revision never does, so
		// only the number is read here and the source on a cache miss.
		published, err := s.st.PublishedRevision(s.ctx, id)
		if err != nil {
			return nil, fmt.Errorf("flow %s: %w", id, err)
		}
		rev = published
	}
	if def := s.l.cached(id, rev); def != nil {
		return def, nil
	}
	src, err := s.st.FlowRevision(s.ctx, id, rev)
	if err != nil {
		return nil, fmt.Errorf("flow %s revision %d: %w", id, rev, err)
	}
	def, _, err := s.l.Validate(id+".yaml", src)
	if err != nil {
		return nil, fmt.Errorf("stored flow %s revision %d no longer validates: %w", id, rev, err)
	}
	def.Revision = rev
	s.l.remember(id, rev, def)
	return def, nil
}

func (l *Library) cached(id string, rev int) *flows.Definition {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.parsed[revKey{id, rev}]
}

func (l *Library) remember(id string, rev int, def *flows.Definition) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.parsed) >= maxCached {
		for k := range l.parsed { // drop an arbitrary entry; it reparses on demand
			delete(l.parsed, k)
			break
		}
	}
	l.parsed[revKey{id, rev}] = def
}
