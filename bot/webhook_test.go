package bot

import (
	"errors"
	"langnghe"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

const hookSecret = "hook-Secret_123"

func TestWebhookHandler(t *testing.T) {
	fake := newFake(t)
	tb := newTestBot(t, fake, Config{Mode: ModeWebhook, WebhookURL: "https://example.org/telegram/webhook", WebhookSecret: hookSecret})
	var failing atomic.Bool
	tb.handler.setFail(func(langnghe.Inbound, int) error {
		if failing.Load() {
			return errors.New("database down")
		}
		return nil
	})
	h := tb.WebhookHandler()
	update := func(id int) string {
		return `{"update_id":` + strconv.Itoa(id) + `,"message":{"message_id":1,"date":1767225600,` +
			`"from":{"id":1001,"first_name":"Lan"},"chat":{"id":1001,"type":"private"},"text":"chào"}}`
	}

	// Before getMe has answered the bot cannot tell its own commands from
	// other bots': Telegram is asked to deliver the update again later.
	req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", strings.NewReader(update(1)))
	req.Header.Set(secretHeader, hookSecret)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || len(tb.handler.snapshot()) != 0 {
		t.Errorf("before getMe: status = %d, applied %d; want 503, 0", rec.Code, len(tb.handler.snapshot()))
	}
	if err := tb.client.connect(t.Context()); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		method  string
		secret  *string
		body    string
		fail    bool
		want    int
		applied int // handler's applied count after the request
	}{
		{name: "missing secret", secret: nil, body: update(1), want: http.StatusUnauthorized},
		{name: "wrong secret", secret: ptr("hook-secret_123"), body: update(1), want: http.StatusUnauthorized},
		{name: "secret prefix", secret: ptr(hookSecret[:5]), body: update(1), want: http.StatusUnauthorized},
		{name: "not a POST", method: http.MethodGet, secret: ptr(hookSecret), want: http.StatusMethodNotAllowed},
		{name: "handler error asks telegram to retry", secret: ptr(hookSecret), body: update(2), fail: true, want: http.StatusInternalServerError},
		{name: "applied", secret: ptr(hookSecret), body: update(2), want: http.StatusOK, applied: 1},
		{name: "duplicate is fine", secret: ptr(hookSecret), body: update(2), want: http.StatusOK, applied: 1},
		{name: "malformed body acknowledged and ignored", secret: ptr(hookSecret), body: `{"update_id":3,"message":`, want: http.StatusOK, applied: 1},
		{name: "oversized body acknowledged and ignored", secret: ptr(hookSecret), body: `{"update_id":4,"x":"` + strings.Repeat("a", maxUpdateBytes) + `"}`, want: http.StatusOK, applied: 1},
		{name: "unknown kind acknowledged", secret: ptr(hookSecret), body: `{"update_id":5,"poll":{"id":"p"}}`, want: http.StatusOK, applied: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			req := httptest.NewRequest(method, "/telegram/webhook", strings.NewReader(tt.body))
			if tt.secret != nil {
				req.Header.Set(secretHeader, *tt.secret)
			}
			failing.Store(tt.fail)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("status = %d, want %d", rec.Code, tt.want)
			}
			if got := len(tb.handler.snapshot()); got != tt.applied {
				t.Errorf("applied = %d, want %d", got, tt.applied)
			}
		})
	}
	if !strings.Contains(tb.logs.String(), "malformed update ignored") {
		t.Error(`no "malformed update ignored" in the log`)
	}
}

// TestWebhookEndToEnd: Run registers the webhook with its secret; the fake
// pushes updates, retries the one the handler failed, and counts an update
// acknowledged only on 200.
func TestWebhookEndToEnd(t *testing.T) {
	fake := newFake(t)
	var hook http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hook.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	tb := newTestBot(t, fake, Config{Mode: ModeWebhook, WebhookURL: srv.URL + "/telegram/webhook", WebhookSecret: hookSecret})
	hook = tb.WebhookHandler()
	tb.handler.setFail(func(_ langnghe.Inbound, call int) error {
		if call == 1 {
			return errors.New("database down")
		}
		return nil
	})
	tb.run(t)

	first := fake.SendText(alice, "một")
	second := fake.SendText(alice, "hai")
	got := tb.handler.waitApplied(t, 2)
	if got[0].UpdateID != strconv.Itoa(first) || got[1].UpdateID != strconv.Itoa(second) {
		t.Errorf("applied %s, %s; want %d, %d in order", got[0].UpdateID, got[1].UpdateID, first, second)
	}
	if err := fake.WaitConfirmed(t.Context(), second); err != nil {
		t.Fatalf("not acknowledged: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }
