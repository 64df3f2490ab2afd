package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"langnghe/bot/telegramtest"
	"langnghe/config"
	"langnghe/storage"
	"langnghe/storage/storagetest"
)

// The end-to-end tests run the real service (serve, in-process) against the
// fake Bot API through the real Telegram library, on both databases.

// eachDatabase runs fn with a fresh, empty database URL on SQLite and on
// PostgreSQL (skipped loudly, or failed in CI, when PostgreSQL is absent).
func eachDatabase(t *testing.T, fn func(t *testing.T, dbURL string)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, "sqlite:"+filepath.Join(t.TempDir(), "langnghe.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, storagetest.PostgresURL(t))
	})
}

// service is one running instance of `langnghe serve`.
type service struct {
	addr   string
	cancel context.CancelFunc
	done   chan error
	logs   *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startService runs serve with the given settings on top of sensible test
// defaults, and stops it at the end of the test.
func startService(t *testing.T, fake *telegramtest.Server, dbURL string, env map[string]string) *service {
	t.Helper()
	addr := freeAddr(t)
	vars := map[string]string{
		"LANGNGHE_DATABASE_URL":          dbURL,
		"LANGNGHE_TELEGRAM_TOKEN":        fake.Token(),
		"LANGNGHE_TELEGRAM_API_ENDPOINT": fake.Endpoint(),
		"LANGNGHE_HTTP_ADDR":             addr,
		"LANGNGHE_SEND_RATE":             "1000",
		"LANGNGHE_LOG_LEVEL":             "debug",
	}
	for k, v := range env {
		vars[k] = strings.ReplaceAll(v, "{addr}", addr)
	}
	cfg, err := config.Load(func(k string) (string, bool) { v, ok := vars[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &service{addr: addr, cancel: cancel, done: make(chan error, 1), logs: &syncBuffer{}}
	go func() { s.done <- serve(ctx, cfg, s.logs) }()
	t.Cleanup(func() {
		s.stop(t)
		if strings.Contains(s.logs.String(), fake.Token()) {
			t.Error("the bot token appeared in the service's logs")
		}
		if t.Failed() {
			t.Logf("service log:\n%s", s.logs.String())
		}
	})
	waitReady(t, "http://"+addr+"/readyz", s.done)
	return s
}

func (s *service) stop(t *testing.T) {
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Error("serve did not stop within 20s")
	}
}

func waitReady(t *testing.T, url string, done chan error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("service exited early: %v", err)
		default:
		}
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s not ready after 30s", url)
}

// resident is a person chatting with the bot through the fake.
type resident struct {
	t    testing.TB // a *testing.T, or a goroutineTB for residents run concurrently
	fake *telegramtest.Server
	user telegramtest.User
	seen int // messages already read
	last telegramtest.Message
	// patience is how long next waits for a reply (15s when zero).
	patience time.Duration
}

func newResident(t *testing.T, fake *telegramtest.Server, id int64, name, lang string) *resident {
	return &resident{t: t, fake: fake, user: telegramtest.User{ID: id, FirstName: name, LanguageCode: lang}}
}

// say sends text; read the replies with expect.
func (r *resident) say(text string) {
	r.t.Helper()
	r.fake.SendText(r.user, text)
}

// next waits for the bot's next message in this chat.
func (r *resident) next() telegramtest.Message {
	r.t.Helper()
	patience := r.patience
	if patience <= 0 {
		patience = 15 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	msgs, err := r.fake.WaitSent(ctx, r.user.ChatID(), r.seen+1)
	if err != nil {
		for _, m := range r.fake.Sent(r.user.ChatID()) {
			r.t.Logf("chat %d message %d: %q", r.user.ID, m.MessageID, m.Text)
		}
		r.t.Fatalf("resident %d: no reply after %d messages (last: %q): %v", r.user.ID, r.seen, r.last.Text, err)
	}
	r.last = msgs[r.seen]
	r.seen++
	return r.last
}

// expect reads messages until one contains want (the bot may send several
// in a row) and returns it.
func (r *resident) expect(want string) telegramtest.Message {
	r.t.Helper()
	return r.expectMatch(want, func(text string) bool {
		return strings.Contains(strings.ToLower(text), strings.ToLower(want))
	})
}

// expectCode reads messages until one shows an opinion code, and returns it.
func (r *resident) expectCode() string {
	r.t.Helper()
	return opinionCode.FindString(r.expectMatch("an opinion code", opinionCode.MatchString).Text)
}

func (r *resident) expectMatch(what string, match func(string) bool) telegramtest.Message {
	r.t.Helper()
	for i := 0; i < 8; i++ {
		if m := r.next(); match(m.Text) {
			return m
		}
	}
	for _, m := range r.fake.Sent(r.user.ChatID()) {
		r.t.Logf("chat %d message %d: %q", r.user.ID, m.MessageID, m.Text)
	}
	r.t.Fatalf("resident %d: no message with %s; last was %q", r.user.ID, what, r.last.Text)
	return telegramtest.Message{}
}

// press presses the button whose text contains label on the last message
// read that had buttons; read the replies with expect.
func (r *resident) press(label string) {
	r.t.Helper()
	msgs := r.fake.Sent(r.user.ChatID())
	if len(msgs) > r.seen {
		msgs = msgs[:r.seen]
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		for _, row := range msgs[i].InlineKeyboard {
			for _, b := range row {
				if strings.Contains(strings.ToLower(b.Text), strings.ToLower(label)) {
					r.fake.PressButton(r.user, msgs[i].MessageID, b.CallbackData)
					return
				}
			}
		}
		if len(msgs[i].InlineKeyboard) > 0 {
			break
		}
	}
	r.t.Fatalf("resident %d: no button %q on the last keyboard; last message %q", r.user.ID, label, r.last.Text)
}

// openDB opens the service's database for checks.
func openDB(t *testing.T, dbURL string) *storage.DB {
	t.Helper()
	db, err := storage.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("unexpected error: %v", err))
	}
	return v
}
