package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"langnghe"
)

// secretHeader carries the secret_token given to setWebhook.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// maxUpdateBytes bounds a webhook body. Updates are a few KiB (a message is
// at most 4096 characters); anything near this is not from Telegram.
const maxUpdateBytes = 1 << 20

// webhook receives updates pushed by Telegram. It answers 200 only after the
// Handler committed the update's effects; any other answer makes Telegram
// deliver the update again.
type webhook struct {
	recv   *receiver
	secret string
	log    *slog.Logger
	chats  chatLocks
}

// ServeHTTP authenticates, decodes and handles one update.
//
// Malformed or oversized bodies are answered 200 and logged as "malformed
// update ignored": the request carried the secret, so it came from Telegram,
// and Telegram retries every non-2xx answer indefinitely, which would stall
// all later updates behind one that can never be read.
func (h *webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// An empty configured secret never matches: the hook fails closed.
	got := r.Header.Get(secretHeader)
	if h.secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(h.secret)) != 1 {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	// Until getMe has answered the bot does not know its username, which
	// tells commands and replies addressed to it from others': Telegram
	// delivers the update again later.
	if !h.recv.client.connected() {
		http.Error(w, "not connected to telegram yet", http.StatusServiceUnavailable)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxUpdateBytes))
	var u tgbotapi.Update
	if err == nil {
		err = json.Unmarshal(body, &u)
	}
	if err != nil {
		h.log.WarnContext(r.Context(), "malformed update ignored", "error", err, "bytes", len(body))
		w.WriteHeader(http.StatusOK)
		return
	}
	// Telegram may push several updates at once; one chat's must still be
	// applied in the order they arrive.
	unlock := h.chats.lock(chatKey(u))
	err = h.recv.process(r.Context(), u)
	unlock()
	if err != nil {
		h.log.ErrorContext(r.Context(), "webhook update not applied; telegram will retry", "update_id", u.UpdateID, "error", err)
		http.Error(w, "update not applied", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// chatLocks is a mutex per chat, held only while a chat has updates in
// flight, so the map stays as small as the traffic.
type chatLocks struct {
	mu    sync.Mutex
	locks map[string]*chatLock
}

type chatLock struct {
	sync.Mutex
	users int
}

func (c *chatLocks) lock(key string) (unlock func()) {
	c.mu.Lock()
	if c.locks == nil {
		c.locks = make(map[string]*chatLock)
	}
	l, ok := c.locks[key]
	if !ok {
		l = &chatLock{}
		c.locks[key] = l
	}
	l.users++
	c.mu.Unlock()

	l.Lock()
	return func() {
		l.Unlock()
		c.mu.Lock()
		if l.users--; l.users == 0 {
			delete(c.locks, key)
		}
		c.mu.Unlock()
	}
}

// setWebhook points Telegram at url with a secret it sends back in every
// delivery. It goes through MakeRequest because the library's WebhookConfig
// has no secret_token. Pending updates are kept (drop_pending_updates=false).
func (c *Client) setWebhook(ctx context.Context, url, secret string) error {
	if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return langnghe.Errorf(langnghe.EINVALID, "webhook URL %q is not http(s)", url)
	}
	if !secretToken.MatchString(secret) {
		return langnghe.Errorf(langnghe.EINVALID, "webhook secret must be 1–256 characters of A-Z, a-z, 0-9, _ and -")
	}
	allowed, err := json.Marshal(allowedUpdates)
	if err != nil {
		return fmt.Errorf("set webhook: %w", err)
	}
	_, err = c.makeRequest(ctx, "setWebhook", tgbotapi.Params{
		"url":                  url,
		"secret_token":         secret,
		"allowed_updates":      string(allowed),
		"drop_pending_updates": "false",
	})
	if err != nil {
		return fmt.Errorf("set webhook: %w", err)
	}
	return nil
}
