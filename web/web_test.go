package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"langnghe"
)

func get(t *testing.T, h http.Handler, method, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

func TestHealthAndReadiness(t *testing.T) {
	dbErr := errors.New("dial tcp 127.0.0.1:5432: connection refused password=hunter2")
	var down bool
	s := New(Options{Checks: []Check{{Name: "database", Check: func(context.Context) error {
		if down {
			return dbErr
		}
		return nil
	}}}})
	if code, _ := get(t, s, "GET", "/healthz"); code != 200 {
		t.Fatalf("healthz %d", code)
	}
	if code, _ := get(t, s, "GET", "/readyz"); code != 200 {
		t.Fatalf("readyz %d while the database is up", code)
	}
	down = true
	code, body := get(t, s, "GET", "/readyz")
	if code != http.StatusServiceUnavailable {
		t.Fatalf("readyz %d while the database is down", code)
	}
	if strings.Contains(body, "hunter2") {
		t.Fatal("readiness leaked the database error")
	}

	// Each check says why it fails, in its safe message only.
	s = New(Options{Checks: []Check{
		{Name: "database", Check: func(context.Context) error { return nil }},
		{Name: "telegram", Check: func(context.Context) error {
			return fmt.Errorf("%w: %w", langnghe.Errorf(langnghe.EINTERNAL, "waiting for getMe"), errors.New("token 123:abc"))
		}},
	}})
	code, body = get(t, s, "GET", "/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, `"telegram":"waiting for getMe"`) ||
		!strings.Contains(body, `"database":"ok"`) || strings.Contains(body, "123:abc") {
		t.Fatalf("readyz %d %s", code, body)
	}
}

func TestMetricsFormat(t *testing.T) {
	s := New(Options{Metrics: func(_ context.Context, m *Metrics) error {
		m.Counter("langnghe_updates_total", "Updates applied.", 3, "result", "applied")
		m.Counter("langnghe_updates_total", "Updates applied.", 1, "result", "duplicate")
		m.Gauge("langnghe_outbox_depth", "Replies waiting.", 0)
		return nil
	}})
	code, body := get(t, s, "GET", "/metrics")
	if code != 200 || strings.Count(body, "# TYPE langnghe_updates_total counter") != 1 ||
		!strings.Contains(body, `langnghe_updates_total{result="duplicate"} 1`) ||
		!strings.Contains(body, "langnghe_outbox_depth 0\n") {
		t.Fatalf("metrics:\n%s", body)
	}
}

func TestWebhookRoute(t *testing.T) {
	if code, _ := get(t, New(Options{}), "POST", "/telegram/webhook"); code != http.StatusNotFound {
		t.Fatalf("webhook without Telegram: %d, want 404", code)
	}
	called := false
	s := New(Options{Webhook: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { called = true })})
	if code, _ := get(t, s, "GET", "/telegram/webhook"); code != http.StatusMethodNotAllowed || called {
		t.Fatalf("GET on the webhook: %d", code)
	}
	if _, _ = get(t, s, "POST", "/telegram/webhook"); !called {
		t.Fatal("POST did not reach the webhook handler")
	}
}

func TestHomeEscapesStatus(t *testing.T) {
	s := New(Options{Status: func() string { return "<script>x</script>" }})
	code, body := get(t, s, "GET", "/")
	if code != 200 || strings.Contains(body, "<script>x") {
		t.Fatalf("home %d: %s", code, body)
	}
	if code, _ := get(t, s, "GET", "/nope"); code != 404 {
		t.Fatalf("unknown path %d", code)
	}
}
