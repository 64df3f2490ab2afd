package faults

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"langnghe/bot/telegramtest"
)

// TestTelegramDownAtStart starts the service while Telegram's getMe
// answers 502 for 10 s (and the webhook's set-up or removal a little
// longer): the service keeps running and retrying, answers /healthz,
// says on /readyz that it is not ready because of Telegram, and serves
// residents once Telegram is back.
func TestTelegramDownAtStart(t *testing.T) {
	bin := langngheBinary(t)
	modes(t, func(t *testing.T, mode map[string]string) {
		const down = 10 * time.Second
		fake := telegramtest.NewServer()
		defer fake.Close()
		fake.FailFor("getMe", down, http.StatusBadGateway, "")
		fake.FailFor("setWebhook", down+2*time.Second, http.StatusBadGateway, "")
		fake.FailFor("deleteWebhook", down+2*time.Second, http.StatusBadGateway, "")
		addr := freeAddr(t)
		env := map[string]string{
			"LANGNGHE_DATABASE_URL":          "sqlite:" + filepath.Join(t.TempDir(), "langnghe.db"),
			"LANGNGHE_TELEGRAM_TOKEN":        fake.Token(),
			"LANGNGHE_TELEGRAM_API_ENDPOINT": fake.Endpoint(),
			"LANGNGHE_HTTP_ADDR":             addr,
			"LANGNGHE_SEND_RATE":             "1000",
			"LANGNGHE_LOG_LEVEL":             "info",
		}
		for k, v := range mode {
			env[k] = strings.ReplaceAll(v, "{addr}", addr)
		}
		startedAt := time.Now()
		p := launch(t, bin, env)

		// While Telegram fails: alive, not ready, and saying why.
		samples, notReady := 0, 0
		for time.Since(startedAt) < down-time.Second {
			select {
			case <-p.done:
				t.Fatalf("langnghe exited while Telegram was failing: %v", p.err)
			default:
			}
			if code, _ := httpGet("http://" + addr + "/healthz"); code == http.StatusOK {
				samples++
				code, body := httpGet("http://" + addr + "/readyz")
				if code == http.StatusOK {
					t.Fatalf("/readyz answered 200 while getMe failed: %s", body)
				}
				if code == http.StatusServiceUnavailable && strings.Contains(strings.ToLower(body), "telegram") {
					notReady++
				} else {
					t.Errorf("/readyz answered %d %q while getMe failed; want 503 naming Telegram", code, body)
				}
			}
			time.Sleep(250 * time.Millisecond)
		}
		if samples < 10 {
			t.Fatalf("/healthz answered only %d times while Telegram was failing", samples)
		}
		waitProcessReady(t, p, addr, 30*time.Second)
		t.Logf("ready %s after start (getMe failed for the first %s; %d getMe calls); /readyz said not ready, naming Telegram, in %d of %d samples before",
			time.Since(startedAt).Round(time.Millisecond), down, fake.Calls("getMe"), notReady, samples)

		resident := telegramtest.User{ID: 6001, FirstName: "Lan", LanguageCode: "vi"}
		fake.SendText(resident, "/start")
		wait, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if _, err := fake.WaitSent(wait, resident.ChatID(), 1); err != nil {
			t.Fatalf("no reply to /start once ready: %v", err)
		}
	})
}

// modes runs fn in polling and in webhook mode ({addr} is the service's).
func modes(t *testing.T, fn func(t *testing.T, env map[string]string)) {
	t.Run("polling", func(t *testing.T) {
		t.Parallel()
		fn(t, map[string]string{"LANGNGHE_TELEGRAM_MODE": "polling"})
	})
	t.Run("webhook", func(t *testing.T) {
		t.Parallel()
		fn(t, map[string]string{
			"LANGNGHE_TELEGRAM_MODE":  "webhook",
			"LANGNGHE_WEBHOOK_URL":    "http://{addr}/telegram/webhook",
			"LANGNGHE_WEBHOOK_SECRET": hookSecret,
		})
	})
}

// TestPollingAfterABotAPIStorm: getUpdates answers 502 for 20 s while
// residents talk to a polling service; once Telegram answers again intake
// resumes within the poller's short backoff, and no chat waits more than
// 5 s for its reply (the poller's backoff used to grow to 30 s).
func TestPollingAfterABotAPIStorm(t *testing.T) {
	const storm = 20 * time.Second
	bin := langngheBinary(t)
	fake := telegramtest.NewServer()
	defer fake.Close()
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "langnghe.db")
	addr := freeAddr(t)
	startProcess(t, bin, addr, map[string]string{
		"LANGNGHE_DATABASE_URL":          dbURL,
		"LANGNGHE_TELEGRAM_TOKEN":        fake.Token(),
		"LANGNGHE_TELEGRAM_API_ENDPOINT": fake.Endpoint(),
		"LANGNGHE_HTTP_ADDR":             addr,
		"LANGNGHE_SEND_RATE":             "1000",
		"LANGNGHE_FLOOD_LIMIT":           "600",
		"LANGNGHE_LOG_LEVEL":             "info",
	})
	publishFlow(t, dbURL, echoFlow)
	ts := startTalking(fake, 60001, 20, 500*time.Millisecond, storm+30*time.Second)
	time.Sleep(5 * time.Second)
	fake.FailFor("getUpdates", storm, http.StatusBadGateway, "")
	time.Sleep(storm)
	overAt := time.Now()
	time.Sleep(10 * time.Second)
	texts, messages := ts.finish(t)
	w := ts.waitsSince(overAt)
	recovery := time.Duration(0)
	if !w.first.IsZero() {
		recovery = w.first.Sub(overAt)
	}
	t.Logf("20 residents, %d texts: first reply %s after getUpdates answered again; waits since: %s",
		texts, recovery.Round(time.Millisecond), w)
	if w.longest > 5*time.Second {
		t.Errorf("a chat waited %s after the storm (%s), want at most 5s", w.longest.Round(time.Millisecond), w.who)
	}
	settled(t, fake, dbURL, texts, messages)
}
