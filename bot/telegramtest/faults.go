package telegramtest

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// fault is an injected failure for the next calls of a method.
type fault struct {
	left        int
	code        int
	description string
	retryAfter  int // seconds told in a 429
}

// FailNext makes the next n calls of a Bot API method fail with code and
// description; an empty description takes Telegram's usual one. Faults for
// one method queue up in the order given.
//
// 502, 503 and 504 are answered as Telegram's front proxy does: an HTML
// page, not a JSON envelope, so the library reports a decoding error rather
// than a *tgbotapi.Error. A 429 carries parameters.retry_after (the
// configured Limits.RetryAfter, or 1).
func (s *Server) FailNext(method string, n int, code int, description string) {
	if n <= 0 {
		return
	}
	key := strings.ToLower(method)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[key] = append(s.faults[key], fault{left: n, code: code, description: description})
}

// FailFor makes every call of a Bot API method fail with code and
// description from now until d has passed, as an outage of Telegram's
// front would; calls queued by FailNext come first. An empty description
// takes Telegram's usual one. Real time counts, not the WithClock clock.
func (s *Server) FailFor(method string, d time.Duration, code int, description string) {
	key := strings.ToLower(method)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.outages == nil {
		s.outages = make(map[string]outage)
	}
	s.outages[key] = outage{until: time.Now().Add(d), fault: fault{code: code, description: description}}
}

// outage is a FailFor: every call fails until until.
type outage struct {
	until time.Time
	fault fault
}

// takeFault consumes one injected failure for method, if any is queued,
// or returns the method's outage while it lasts.
func (s *Server) takeFault(method string) (*fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var f fault
	if queue := s.faults[method]; len(queue) > 0 {
		f = queue[0]
		if queue[0].left--; queue[0].left == 0 {
			queue = queue[1:]
		}
		if len(queue) == 0 {
			delete(s.faults, method)
		} else {
			s.faults[method] = queue
		}
	} else {
		o, ok := s.outages[method]
		if !ok {
			return nil, false
		}
		if !time.Now().Before(o.until) {
			delete(s.outages, method)
			return nil, false
		}
		f = o.fault
	}
	if f.code == http.StatusTooManyRequests {
		s.rejected429++
		f.retryAfter = max(1, s.limits.RetryAfter)
	}
	return &f, true
}

func (f *fault) write(w http.ResponseWriter) {
	switch f.code {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		text := fmt.Sprintf("%d %s", f.code, http.StatusText(f.code))
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.code)
		fmt.Fprintf(w, "<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n", text, text)
		return
	}
	e := &apiError{Code: f.code, Description: f.description}
	if e.Description == "" {
		e.Description = defaultDescription(f.code)
	}
	if f.code == http.StatusTooManyRequests {
		e.RetryAfter = f.retryAfter
		if f.description == "" {
			e.Description = fmt.Sprintf("Too Many Requests: retry after %d", e.RetryAfter)
		}
	}
	writeError(w, e)
}

func defaultDescription(code int) string {
	switch code {
	case http.StatusBadRequest:
		return "Bad Request"
	case http.StatusUnauthorized:
		return "Unauthorized"
	case http.StatusForbidden:
		return "Forbidden"
	case http.StatusNotFound:
		return "Not Found"
	case http.StatusConflict:
		return "Conflict"
	}
	return http.StatusText(code)
}
