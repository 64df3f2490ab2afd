// Package web serves langnghe over HTTP: health and readiness for the
// operator's load balancer, Prometheus metrics, the Telegram webhook route,
// Open311 GeoReport v2 (web/open311), and (later) the officials' console.
package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"time"

	"langnghe"
)

// Options wires the server to the rest of the service.
type Options struct {
	// Checks are what the service needs to work (the database takes
	// writes, Telegram is connected); /readyz is ready when all pass.
	Checks []Check
	// Webhook receives Telegram updates; nil when Telegram runs by polling
	// or not at all, and then the route answers 404.
	Webhook http.Handler
	// Metrics writes the current figures.
	Metrics func(ctx context.Context, m *Metrics) error
	// Open311 serves the GeoReport v2 API under /open311/v2/ (web/open311);
	// nil leaves the routes unmounted, and they answer 404.
	Open311 http.Handler
	// Console serves the officials' console (web/console) under /console/,
	// its sign-in and sign-out at /signin and /signout, and campaigns'
	// public results pages under /results/ (no sign-in); nil leaves them
	// unmounted.
	Console http.Handler
	// Status is a one-line description shown on the front page, e.g.
	// "Telegram: polling as @langnghe_bot".
	Status func() string
	Log    *slog.Logger
}

// Check is one readiness check. Its error's message
// (langnghe.ErrorMessage) is shown by /readyz, so it must be safe to show;
// the whole error is logged.
type Check struct {
	Name  string
	Check func(ctx context.Context) error
}

// Server is the HTTP side of the service.
type Server struct {
	opts Options
	mux  *http.ServeMux
}

// New returns a server with every route mounted.
func New(opts Options) *Server {
	s := &Server{opts: opts, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.HandleFunc("GET /metrics", s.metrics)
	s.mux.HandleFunc("POST /telegram/webhook", s.webhook)
	s.mux.HandleFunc("GET /{$}", s.home)
	if opts.Open311 != nil {
		s.mux.Handle("/open311/v2/", opts.Open311)
	}
	if opts.Console != nil {
		s.mux.Handle("/console/", opts.Console)
		s.mux.Handle("/signin", opts.Console)
		s.mux.Handle("/signout", opts.Console)
		s.mux.Handle("/results/", opts.Console)
	}
	return s
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	s.mux.ServeHTTP(w, r)
}

// ListenAndServe serves on addr until ctx ends, then shuts down gracefully.
// ready is closed once the listener is bound (useful in tests and logs).
func (s *Server) ListenAndServe(ctx context.Context, addr string, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	if ready != nil {
		ready(ln.Addr())
	}
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil {
			return fmt.Errorf("shut down http: %w", err)
		}
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 when every check passes, 503 otherwise; the body
// says what each check found.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	status, checks := http.StatusOK, map[string]string{}
	for _, c := range s.opts.Checks {
		err := c.Check(ctx)
		if err == nil {
			checks[c.Name] = "ok"
			continue
		}
		status = http.StatusServiceUnavailable
		checks[c.Name] = langnghe.ErrorMessage(err)
		s.log().Warn("not ready", "check", c.Name, "err", err)
	}
	word := "ready"
	if status != http.StatusOK {
		word = "unavailable"
	}
	writeJSON(w, status, map[string]any{"status": word, "checks": checks})
}

func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	m := &Metrics{}
	if s.opts.Metrics != nil {
		if err := s.opts.Metrics(r.Context(), m); err != nil {
			s.log().Warn("metrics incomplete", "err", err)
			m.Gauge("langnghe_metrics_errors", "1 when some figures could not be read", 1)
		}
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	_, _ = w.Write(m.buf.Bytes())
}

func (s *Server) webhook(w http.ResponseWriter, r *http.Request) {
	if s.opts.Webhook == nil {
		writeError(w, langnghe.Errorf(langnghe.ENOTFOUND, "Telegram webhook is not enabled on this server"))
		return
	}
	s.opts.Webhook.ServeHTTP(w, r)
}

var homePage = template.Must(template.New("home").Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lắng nghe</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem">
<h1>Lắng nghe</h1>
<p>Dịch vụ tiếp nhận ý kiến người dân đang chạy. / The citizen-feedback service is running.</p>
<p>{{.}}</p>
<p><a href="/healthz">/healthz</a> · <a href="/readyz">/readyz</a> · <a href="/metrics">/metrics</a></p>
</body></html>`))

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	status := ""
	if s.opts.Status != nil {
		status = s.opts.Status()
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = homePage.Execute(w, status)
}

func (s *Server) log() *slog.Logger {
	if s.opts.Log != nil {
		return s.opts.Log
	}
	return slog.Default()
}

// statusOf maps application error codes to HTTP.
var statusOf = map[string]int{
	langnghe.ECONFLICT:     http.StatusConflict,
	langnghe.EINTERNAL:     http.StatusInternalServerError,
	langnghe.EINVALID:      http.StatusBadRequest,
	langnghe.ENOTFOUND:     http.StatusNotFound,
	langnghe.EFORBIDDEN:    http.StatusForbidden,
	langnghe.EUNAUTHORIZED: http.StatusUnauthorized,
	langnghe.ETOOLARGE:     http.StatusRequestEntityTooLarge,
}

// StatusOf is the HTTP status of err's application error code, for the
// handlers mounted here (Open311) that answer in their own formats.
func StatusOf(err error) int {
	if status, ok := statusOf[langnghe.ErrorCode(err)]; ok {
		return status
	}
	return http.StatusInternalServerError
}

// writeError answers with the error's HTTP status and its safe message.
func writeError(w http.ResponseWriter, err error) {
	writeJSON(w, StatusOf(err), map[string]string{"error": langnghe.ErrorCode(err), "message": langnghe.ErrorMessage(err)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
