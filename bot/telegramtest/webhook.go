package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// webhook is the webhook the bot set, and the delivery state.
type webhook struct {
	url            string
	secret         string
	maxConnections int
	lastErrorDate  int64
	lastError      string
	// gen changes whenever the webhook is set or deleted; workers of an
	// older generation stop after their current delivery.
	gen   int
	ready []lineKey // lines whose first update may be delivered now
	cond  *sync.Cond
}

// hookLine is one chat's pending updates, delivered one at a time in order
// as Telegram does.
type hookLine struct {
	queue []*update
	state lineState
}

type lineState int

const (
	lineIdle  lineState = iota // not in the ready list
	lineReady                  // in the ready list
	lineBusy                   // its first update is being delivered or waits for a retry
)

// dropDone removes finished updates from the front of the line.
func (l *hookLine) dropDone() {
	for len(l.queue) > 0 && l.queue[0].done {
		l.queue[0] = nil
		l.queue = l.queue[1:]
	}
}

// schedule puts an idle line with work in the ready list while a webhook is
// set, and forgets an empty idle line. Callers hold s.mu.
func (s *Server) schedule(key lineKey, l *hookLine) {
	l.dropDone()
	if l.state != lineIdle {
		return
	}
	if len(l.queue) == 0 {
		if s.updates.lines[key] == l {
			delete(s.updates.lines, key)
		}
		return
	}
	if s.hook.url == "" {
		return
	}
	l.state = lineReady
	s.hook.ready = append(s.hook.ready, key)
	s.hook.cond.Signal()
}

const defaultMaxConnections = 40

// setWebhook takes url, secret_token, max_connections, allowed_updates and
// drop_pending_updates. Unlike Telegram it accepts http URLs, since tests
// serve plain HTTP.
func (s *Server) setWebhook(_ context.Context, p params) (any, *apiError) {
	raw := p.get("url")
	if raw == "" {
		return s.deleteWebhook(context.Background(), p)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	secret := p.get("secret_token")
	if len(secret) > 256 || !secretChars(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	maxConns, ae := p.int("max_connections")
	if ae != nil {
		return nil, ae
	}
	if maxConns <= 0 {
		maxConns = defaultMaxConnections
	}
	maxConns = min(maxConns, 100)
	var allowed []string
	if p.has("allowed_updates") && json.Unmarshal([]byte(p.get("allowed_updates")), &allowed) != nil {
		return nil, badRequest("can't parse allowed updates")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	wasSet := s.hook.url != ""
	s.hook.url, s.hook.secret, s.hook.maxConnections = raw, secret, int(maxConns)
	if p.has("allowed_updates") {
		s.updates.allowed = allowed
	}
	if p.bool("drop_pending_updates") {
		s.dropPending()
	}
	if s.updates.poller != nil { // a waiting getUpdates answers now
		close(s.updates.poller)
		s.updates.poller = nil
	}
	s.hook.gen++
	s.hook.cond.Broadcast()
	for range maxConns {
		s.wg.Add(1)
		go s.deliverLoop(s.hook.gen)
	}
	if !wasSet {
		for key, l := range s.updates.lines {
			s.schedule(key, l)
		}
	}
	return described{true, "Webhook was set"}, nil
}

func secretChars(s string) bool {
	for _, r := range s {
		ok := r == '_' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}

// dropPending forgets every pending update. Callers hold s.mu.
func (s *Server) dropPending() {
	q := &s.updates
	for q.head < len(q.queue) {
		s.finish(q.queue[q.head])
	}
}

func (s *Server) deleteWebhook(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.bool("drop_pending_updates") {
		s.dropPending()
	}
	if s.hook.url == "" {
		return described{true, "Webhook is already deleted"}, nil
	}
	s.hook.url, s.hook.secret = "", ""
	s.hook.gen++
	for _, key := range s.hook.ready {
		if l := s.updates.lines[key]; l != nil && l.state == lineReady {
			l.state = lineIdle
		}
	}
	s.hook.ready = nil
	s.hook.cond.Broadcast()
	return described{true, "Webhook was deleted"}, nil
}

func (s *Server) getWebhookInfo(context.Context, params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := wireWebhookInfo{URL: s.hook.url, PendingUpdateCount: s.updates.pending}
	if s.hook.url != "" {
		info.MaxConnections = s.hook.maxConnections
		info.LastErrorDate = s.hook.lastErrorDate
		info.LastErrorMessage = s.hook.lastError
		info.AllowedUpdates = s.updates.allowed
	}
	return info, nil
}

// deliverLoop is one of max_connections workers: it takes a ready line,
// posts its first update, and on 2xx acknowledges it; on failure the line
// waits the retry delay and tries the same update again.
func (s *Server) deliverLoop(gen int) {
	defer s.wg.Done()
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		for len(s.hook.ready) == 0 && s.hook.gen == gen {
			s.hook.cond.Wait()
		}
		if s.hook.gen != gen {
			return
		}
		key := s.hook.ready[0]
		s.hook.ready = s.hook.ready[1:]
		l := s.updates.lines[key]
		if l == nil || l.state != lineReady {
			continue
		}
		l.dropDone()
		if len(l.queue) == 0 {
			l.state = lineIdle
			s.schedule(key, l)
			continue
		}
		u := l.queue[0]
		l.state = lineBusy
		target, secret, body := s.hook.url, s.hook.secret, u.hookBody
		s.mu.Unlock()
		err := s.post(target, secret, body)
		s.mu.Lock()
		if err == nil {
			s.finish(u)
			l.state = lineIdle
			s.schedule(key, l)
			continue
		}
		s.hook.lastErrorDate, s.hook.lastError = s.now().Unix(), err.Error()
		time.AfterFunc(s.hookRetryDelay, func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			l.state = lineIdle
			s.schedule(key, l)
		})
	}
}

// post delivers one update body to the webhook.
func (s *Server) post(target, secret string, body []byte) error {
	ctx, cancel := context.WithTimeout(s.ctx, s.hookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("bad webhook URL: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := s.hookClient.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return errors.New("Read timeout expired")
		}
		return fmt.Errorf("Connection failed: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("Wrong response from the webhook: %s", resp.Status)
	}
	return nil
}
