package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// update is one update waiting for the bot.
type update struct {
	id   int
	line lineKey
	// body is the update as getUpdates returns it; hookBody is what a
	// webhook receives (the same, except for malformed SendUpdate bodies).
	body     []byte
	hookBody []byte
	done     bool // confirmed, acknowledged or forgotten
}

// lineKey names the sequence an update is delivered in: its chat, or the
// update alone when it has no chat.
type lineKey struct {
	chat int64
	solo int
}

// updateQueue holds the updates not yet confirmed, in id order, and, per
// chat, the same updates in lines for webhook delivery one at a time.
type updateQueue struct {
	queue   []*update // from head on: pending and done ones mixed, done ones dropped lazily
	head    int
	lastID  int
	pending int
	lines   map[lineKey]*hookLine
	// allowed are the update kinds the bot asked for; empty means
	// Telegram's default (all but chat_member and reactions).
	allowed []string
	// arrived is told when an update arrives; advanced when Confirmed
	// grows.
	arrived, advanced signal
	// poller is closed to end the waiting getUpdates when another one
	// comes: "Conflict: terminated by other getUpdates request".
	poller chan struct{}
}

func newUpdateQueue() updateQueue {
	return updateQueue{lines: make(map[lineKey]*hookLine)}
}

// notByDefault are the update kinds Telegram sends only when asked for.
var notByDefault = []string{"chat_member", "message_reaction", "message_reaction_count"}

func (q *updateQueue) wants(kind string) bool {
	if kind == "" {
		return true
	}
	if len(q.allowed) == 0 {
		return !slices.Contains(notByDefault, kind)
	}
	return slices.Contains(q.allowed, kind)
}

// enqueue adds an update built for the next update id and returns the id.
// An update of a kind the bot did not ask for is not kept, as in Telegram.
// Callers hold s.mu.
func (s *Server) enqueue(line lineKey, kind string, build func(id int) (body, hookBody []byte)) int {
	q := &s.updates
	q.lastID++
	id := q.lastID
	if !q.wants(kind) {
		s.advance()
		return id
	}
	body, hookBody := build(id)
	if hookBody == nil {
		hookBody = body
	}
	if line == (lineKey{}) {
		line.solo = id
	}
	u := &update{id: id, line: line, body: body, hookBody: hookBody}
	q.queue = append(q.queue, u)
	q.pending++
	l := q.lines[line]
	if l == nil {
		l = &hookLine{}
		q.lines[line] = l
	}
	l.queue = append(l.queue, u)
	s.schedule(line, l)
	q.arrived.broadcast()
	for q.pending > s.maxPending {
		s.finish(q.queue[q.head])
	}
	return id
}

// finish marks an update confirmed, acknowledged or forgotten. Updates are
// finished in order within their line, so u is at the front of it.
// Callers hold s.mu.
func (s *Server) finish(u *update) {
	if u.done {
		return
	}
	q := &s.updates
	u.done, u.body, u.hookBody = true, nil, nil
	q.pending--
	if l := q.lines[u.line]; l != nil {
		l.dropDone()
		if len(l.queue) == 0 && l.state == lineIdle {
			delete(q.lines, u.line)
		}
	}
	for q.head < len(q.queue) && q.queue[q.head].done {
		q.queue[q.head] = nil
		q.head++
	}
	if q.head > 1024 && q.head*2 > len(q.queue) {
		q.queue = append(q.queue[:0], q.queue[q.head:]...)
		q.head = 0
	}
	s.advance()
}

// advance wakes WaitConfirmed. Callers hold s.mu.
func (s *Server) advance() {
	s.updates.advanced.broadcast()
}

// signal wakes every waiter at once. Its users hold s.mu.
type signal struct {
	ch chan struct{} // nil when nobody waits
}

// wait returns a channel the next broadcast closes.
func (g *signal) wait() <-chan struct{} {
	if g.ch == nil {
		g.ch = make(chan struct{})
	}
	return g.ch
}

func (g *signal) broadcast() {
	if g.ch != nil {
		close(g.ch)
		g.ch = nil
	}
}

// confirmed is the highest update id below which every update is done.
// Callers hold s.mu.
func (s *Server) confirmed() int {
	q := &s.updates
	if q.head < len(q.queue) {
		return q.queue[q.head].id - 1
	}
	return q.lastID
}

// Confirmed reports the highest update id such that it and every earlier
// update were confirmed by a getUpdates offset or acknowledged by the
// webhook (or forgotten; see WithMaxPending and drop_pending_updates).
func (s *Server) Confirmed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.confirmed()
}

// Pending reports how many updates are not yet confirmed (polling) or
// acknowledged (webhook).
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.updates.pending
}

// WaitConfirmed blocks until update id and all before it are confirmed or
// acknowledged.
func (s *Server) WaitConfirmed(ctx context.Context, id int) error {
	for {
		s.mu.Lock()
		got := s.confirmed()
		if got >= id {
			s.mu.Unlock()
			return nil
		}
		advanced := s.updates.advanced.wait()
		s.mu.Unlock()
		select {
		case <-advanced:
		case <-ctx.Done():
			return fmt.Errorf("wait for update %d to be confirmed, confirmed %d: %w", id, got, ctx.Err())
		case <-s.done:
			return fmt.Errorf("wait for update %d to be confirmed: %w", id, errClosed)
		}
	}
}

// confirmBelow applies getUpdates' offset: a positive offset confirms every
// update with a lower id; a negative one keeps only the last -offset
// pending updates. Callers hold s.mu.
func (s *Server) confirmBelow(offset int) {
	q := &s.updates
	for q.head < len(q.queue) {
		u := q.queue[q.head]
		switch {
		case offset > 0 && u.id < offset, offset < 0 && q.pending > -offset:
			s.finish(u)
		default:
			return
		}
	}
}

// collect returns up to limit pending updates from offset on as a JSON
// array. Callers hold s.mu.
func (s *Server) collect(offset, limit int) (json.RawMessage, int) {
	q := &s.updates
	var buf bytes.Buffer
	buf.WriteByte('[')
	n := 0
	for _, u := range q.queue[q.head:] {
		if n == limit {
			break
		}
		if u.done || u.id < offset {
			continue
		}
		if n > 0 {
			buf.WriteByte(',')
		}
		buf.Write(u.body)
		n++
	}
	buf.WriteByte(']')
	return buf.Bytes(), n
}

var errWebhookActive = &apiError{
	Code:        http.StatusConflict,
	Description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
}

var errTerminated = &apiError{
	Code:        http.StatusConflict,
	Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
}

// getUpdates long-polls: it answers at once when updates are pending, else
// holds the request up to timeout seconds until one arrives. A newer
// getUpdates ends a waiting one with 409, as in Telegram.
func (s *Server) getUpdates(ctx context.Context, p params) (any, *apiError) {
	offset, err := p.int("offset")
	if err != nil {
		return nil, err
	}
	limit, err := p.int("limit")
	if err != nil {
		return nil, err
	}
	timeout, err := p.int("timeout")
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	var allowed []string
	if p.has("allowed_updates") {
		if json.Unmarshal([]byte(p.get("allowed_updates")), &allowed) != nil {
			return nil, badRequest("can't parse allowed updates")
		}
	}

	s.mu.Lock()
	if s.hook.url != "" {
		s.mu.Unlock()
		return nil, errWebhookActive
	}
	if p.has("allowed_updates") {
		s.updates.allowed = allowed
	}
	s.confirmBelow(int(offset))
	if s.updates.poller != nil {
		close(s.updates.poller)
		s.updates.poller = nil
	}
	var kicked chan struct{}
	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout) * time.Second)
		defer t.Stop()
		expired = t.C
	}
	for {
		batch, n := s.collect(int(offset), int(limit))
		if n > 0 || expired == nil || s.hook.url != "" {
			if s.updates.poller == kicked {
				s.updates.poller = nil
			}
			s.mu.Unlock()
			return batch, nil
		}
		if kicked == nil {
			kicked = make(chan struct{})
			s.updates.poller = kicked
		}
		arrived := s.updates.arrived.wait()
		s.mu.Unlock()
		select {
		case <-arrived:
		case <-kicked:
			return nil, errTerminated
		case <-expired:
			expired = nil // collect once more and answer
		case <-ctx.Done():
			expired = nil
		case <-s.done:
			expired = nil
		}
		s.mu.Lock()
	}
}
