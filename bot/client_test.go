package bot

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"langnghe"
	"langnghe/bot/telegramtest"
)

func TestClientErrorsNeverCarryTheToken(t *testing.T) {
	fake := newFake(t)
	token := fake.Token()

	t.Run("wrong token", func(t *testing.T) {
		wrong := token + "x"
		_, err := NewClient(t.Context(), wrong, fake.Endpoint())
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Code != 401 || apiErr.Kind != KindPermanent {
			t.Fatalf("err = %v, want a permanent 401", err)
		}
		if strings.Contains(err.Error(), wrong) || strings.Contains(err.Error(), token) {
			t.Errorf("error leaks the token: %v", err)
		}
	})

	t.Run("network failure", func(t *testing.T) {
		c, err := NewClient(t.Context(), token, fake.Endpoint())
		if err != nil {
			t.Fatal(err)
		}
		down := telegramtest.NewServer(telegramtest.WithToken(token))
		endpoint := down.Endpoint()
		down.Close()
		c.api.SetAPIEndpoint(endpoint)

		_, err = c.send(t.Context(), tgbotapi.NewMessage(1, "x"), "sendMessage")
		if err == nil {
			t.Fatal("send to a closed server succeeded")
		}
		if kind, _ := kindOf(err); kind != KindTransient {
			t.Errorf("kind = %s, want transient", kind)
		}
		var ue *url.Error
		if !errors.As(err, &ue) {
			t.Fatalf("no *url.Error in the chain of %v", err)
		}
		for _, s := range []string{err.Error(), ue.Error(), ue.URL} {
			if strings.Contains(s, token) {
				t.Errorf("leaks the token: %s", s)
			}
		}
		if !strings.Contains(ue.URL, "<token>") {
			t.Errorf("URL %q: want the token replaced by <token>", ue.URL)
		}
	})

	t.Run("cancelled context", func(t *testing.T) {
		c, err := NewClient(t.Context(), token, fake.Endpoint())
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err = c.send(ctx, tgbotapi.NewMessage(1, "x"), "sendMessage")
		if !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), token) {
			t.Errorf("err = %v", err)
		}
	})
}

// TestTokenNeverLogged: failures that end up in the log (a Bot API that is
// down while replies are due) never show the token.
func TestTokenNeverLogged(t *testing.T) {
	for _, tt := range []struct {
		name      string
		connected bool   // getMe answered before the Bot API went down
		logged    string // the log line that carries the failed URL
	}{
		{"sending", true, "reply will be retried"},
		{"connecting", false, "connect to telegram"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(t)
			tb := newTestBot(t, fake, Config{})
			if tt.connected {
				if err := tb.client.connect(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
			down := telegramtest.NewServer(telegramtest.WithToken(fake.Token()))
			endpoint := down.Endpoint()
			down.Close()
			tb.client.api.SetAPIEndpoint(endpoint)
			tb.outbox.enqueue(9001, langnghe.Message{Text: "x"})
			tb.run(t)
			tb.sender.Notify()
			waitFor(t, 10*time.Second, func() bool { return strings.Contains(tb.logs.String(), tt.logged) })
			logs := tb.logs.String()
			if strings.Contains(logs, fake.Token()) {
				t.Fatalf("token in log:\n%s", logs)
			}
			if !strings.Contains(logs, "<token>") {
				t.Errorf("expected the failed URL, redacted, in the log:\n%s", logs)
			}
		})
	}
}

func TestErrorClassification(t *testing.T) {
	tests := []struct {
		code       int
		desc       string
		kind       ErrorKind
		retryAfter time.Duration
	}{
		{429, "", KindRetryAfter, 3 * time.Second},
		{500, "", KindTransient, 0},
		{502, "", KindTransient, 0}, // an HTML page, not JSON
		{504, "", KindTransient, 0},
		{403, "Forbidden: bot was blocked by the user", KindBlocked, 0},
		{403, "Forbidden: user is deactivated", KindBlocked, 0},
		{400, "Bad Request: chat not found", KindBlocked, 0},
		{400, "Bad Request: message is too long", KindPermanent, 0},
		{409, "", KindPermanent, 0},
	}
	fake := newFake(t, telegramtest.WithLimits(telegramtest.Limits{RetryAfter: 3}))
	c, err := NewClient(t.Context(), fake.Token(), fake.Endpoint())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.code)+" "+tt.desc, func(t *testing.T) {
			fake.FailNext("sendMessage", 1, tt.code, tt.desc)
			_, err := c.send(t.Context(), tgbotapi.NewMessage(1, "x"), "sendMessage")
			kind, retryAfter := kindOf(err)
			if kind != tt.kind || retryAfter != tt.retryAfter {
				t.Errorf("%v: kind %s retry %s, want %s %s", err, kind, retryAfter, tt.kind, tt.retryAfter)
			}
			if !errors.Is(err, &APIError{Kind: tt.kind}) {
				t.Errorf("errors.Is(%v, kind %s) = false", err, tt.kind)
			}
		})
	}

	// Uploads: the library leaves error_code at 0; the HTTP status decides.
	fake.FailNext("sendDocument", 1, 400, "Bad Request: file must be non-empty")
	_, err = c.send(t.Context(), tgbotapi.NewDocument(1, tgbotapi.FileBytes{Name: "a.yaml", Bytes: []byte("a")}), "sendDocument")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Kind != KindPermanent || apiErr.Code != 400 {
		t.Errorf("upload error = %#v", err)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no token", Config{}},
		{"unknown mode", Config{Token: "t", Mode: "push"}},
		{"webhook without url", Config{Token: "t", Mode: ModeWebhook, WebhookSecret: "s"}},
		{"webhook with a bad secret", Config{Token: "t", Mode: ModeWebhook, WebhookURL: "https://x/y", WebhookSecret: "has space"}},
		{"webhook without secret", Config{Token: "t", Mode: ModeWebhook, WebhookURL: "https://x/y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg, newRecordingHandler(), newMemOutbox(), nil)
			if langnghe.ErrorCode(err) != langnghe.EINVALID {
				t.Errorf("New = %v, want EINVALID", err)
			}
		})
	}
}
