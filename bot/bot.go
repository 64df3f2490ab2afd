// Package bot is the Telegram channel: it receives updates (long polling or
// a webhook), turns them into langnghe.Inbound for the application,
// renders langnghe.Message replies and delivers them from the durable outbox
// under Telegram's limits.
//
// It is the only package that imports go-telegram-bot-api; the rest of the
// project never sees Telegram types. It holds no business logic and no SQL.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"langnghe"
)

// Modes: how updates arrive (Config.Mode).
const (
	ModePolling = "polling" // the bot asks (getUpdates); works behind NAT
	ModeWebhook = "webhook" // Telegram pushes to Config.WebhookURL
)

// DefaultAttachmentLimit bounds a resident's photo or document fetched into
// Inbound.File.
const DefaultAttachmentLimit = 10 << 20

// Config configures a Bot. Zero fields take defaults.
type Config struct {
	Token    string
	Endpoint string // Bot API endpoint format (token, method); "" = DefaultEndpoint
	Mode     string // ModePolling (default) or ModeWebhook
	// WebhookURL and WebhookSecret are required in webhook mode. The secret
	// is what Telegram sends back in X-Telegram-Bot-Api-Secret-Token: 1–256
	// of A-Z, a-z, 0-9, _ and -.
	WebhookURL    string
	WebhookSecret string
	// SendRate is messages a second to Telegram from this replica (30).
	SendRate int
	// Limits are the per-chat limits and the sender's concurrency.
	Limits Limits
	Retry  Retry
	// AttachmentLimit bounds fetched attachments in bytes
	// (DefaultAttachmentLimit); a larger file reaches the Handler without
	// its bytes.
	AttachmentLimit int64
	// PollTimeout is the long-poll timeout (30s); the HTTP timeout is
	// derived from it.
	PollTimeout time.Duration
	// Menu is the residents' command menu by the language of the client
	// ("" is everyone else); the wiring gives flows.Menu, made from the
	// one table of commands. Nil sets no menu.
	Menu map[string][]langnghe.MenuCommand
	// Connected, when set, is called once getMe has answered, with the
	// bot's username (without @), before anything is received or sent.
	Connected func(username string)
}

var secretToken = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

func (c Config) validate() error {
	switch c.Mode {
	case "", ModePolling:
	case ModeWebhook:
		if c.WebhookURL == "" {
			return langnghe.Errorf(langnghe.EINVALID, "telegram webhook mode needs a webhook URL")
		}
		if !secretToken.MatchString(c.WebhookSecret) {
			return langnghe.Errorf(langnghe.EINVALID, "telegram webhook secret must be 1–256 characters of A-Z, a-z, 0-9, _ and -")
		}
	default:
		return langnghe.Errorf(langnghe.EINVALID, "telegram mode %q: want polling or webhook", c.Mode)
	}
	if c.Token == "" {
		return langnghe.Errorf(langnghe.EINVALID, "telegram token is empty")
	}
	return nil
}

// Bot is the Telegram channel: a receiver (poller or webhook) feeding the
// Handler and a sender draining the Outbox.
type Bot struct {
	cfg     Config
	client  *Client
	log     *slog.Logger
	recv    *receiver
	sender  *Sender
	webhook *webhook
	// leases renews the sender's outbox leases; nil when the Outbox
	// cannot renew them (its leases are then as long as the sender asks).
	leases *renewingOutbox
	// state is how far Run got in connecting, for Ready.
	state atomic.Pointer[connState]
}

// connState is what the bot waits for before it is ready, and why.
type connState struct {
	ready bool
	step  string // the Bot API call it waits for: getMe, setWebhook, deleteWebhook
	err   error  // that call's last failure, if any
}

// New returns a bot for the configured Bot API. It does not call Telegram:
// Run connects (getMe checks the token) and keeps trying while Telegram
// fails, so the service starts, and answers health checks, whether or not
// Telegram answers. Nothing is received or sent until Run.
func New(cfg Config, handler Handler, outbox Outbox, logger *slog.Logger) (*Bot, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger = logger.With("channel", langnghe.ChannelTelegram)
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 30 * time.Second
	}
	cfg.Retry = cfg.Retry.withDefaults()
	if cfg.AttachmentLimit <= 0 {
		cfg.AttachmentLimit = DefaultAttachmentLimit
	}
	client, err := newClient(cfg.Token, cfg.Endpoint, WithHTTPTimeout(cfg.PollTimeout+60*time.Second))
	if err != nil {
		return nil, err
	}
	recv := &receiver{client: client, handler: handler, log: logger, maxFileSize: cfg.AttachmentLimit, now: time.Now}
	outbox, leases := withRenewedLeases(outbox, logger)
	b := &Bot{
		cfg:     cfg,
		client:  client,
		log:     logger,
		recv:    recv,
		sender:  newSender(client, outbox, float64(cfg.SendRate), cfg.Limits, cfg.Retry, logger),
		webhook: &webhook{recv: recv, secret: cfg.WebhookSecret, log: logger},
		leases:  leases,
	}
	b.state.Store(&connState{step: "getMe"})
	return b, nil
}

// Username is the bot's @username, without the @; "" until Run connected.
func (b *Bot) Username() string { return b.client.Username() }

// Ready reports whether the bot is connected and receiving: getMe has
// answered and the webhook is set (webhook mode) or removed (polling).
// Until then the error says what it waits for; its message
// (langnghe.ErrorMessage) names the call and the kind of failure only.
func (b *Bot) Ready() error {
	st := b.state.Load()
	if st.ready {
		return nil
	}
	msg := "Telegram is not connected yet: waiting for " + st.step
	var e *APIError
	if errors.As(st.err, &e) {
		msg += fmt.Sprintf(" (%s", e.Kind)
		if e.Code != 0 {
			msg += fmt.Sprintf(" %d", e.Code)
		}
		msg += ")"
	}
	if st.err == nil {
		return langnghe.Errorf(langnghe.EINTERNAL, "%s", msg)
	}
	return fmt.Errorf("%w: %w", langnghe.Errorf(langnghe.EINTERNAL, "%s", msg), st.err)
}

// startRetry is how a start retries Telegram (getMe, the webhook's set-up
// or removal): briefly, since nothing works until it succeeds.
var startRetry = Retry{Base: 500 * time.Millisecond, Max: 5 * time.Second}

// connect calls getMe until it answers, ctx ends (nil), or Telegram
// refuses the token (an error: no retry can help). A client that has
// answered already is connected.
func (b *Bot) connect(ctx context.Context) error {
	if b.client.connected() {
		return nil
	}
	if err := b.untilAnswered(ctx, "getMe", "connect to telegram", b.client.connect); err != nil {
		return fmt.Errorf("connect to telegram: %w", err)
	}
	if b.client.connected() {
		b.log.InfoContext(ctx, "connected to telegram", "bot", "@"+b.client.Username())
	}
	return nil
}

// untilAnswered makes a start's call to Telegram (step: getMe, setWebhook)
// until it succeeds or ctx ends (nil both), or fails in a way no retry can
// help (a 4xx, an invalid request: returned). Meanwhile Ready names step
// and its last failure, and each failure is logged as what.
func (b *Bot) untilAnswered(ctx context.Context, step, what string, call func(context.Context) error) error {
	for failures := 1; ; failures++ {
		err := call(ctx)
		kind, retryAfter := kindOf(err)
		switch {
		case err == nil || ctx.Err() != nil:
			return nil
		case kind == KindPermanent || kind == KindBlocked || langnghe.ErrorCode(err) == langnghe.EINVALID:
			return err
		}
		b.state.Store(&connState{step: step, err: err})
		wait := max(retryAfter, startRetry.backoff(failures))
		b.log.WarnContext(ctx, what, "error", err, "retry_in", wait)
		if Sleep(ctx, wait) != nil {
			return nil
		}
	}
}

// Stats are the sender's counts since start, for /metrics.
func (b *Bot) Stats() Stats { return b.sender.stats.snapshot() }

// WebhookHandler receives Telegram's pushes; web/ mounts it at
// POST /telegram/webhook. It checks the secret, handles the update
// synchronously and answers 200 only once the Handler succeeded.
func (b *Bot) WebhookHandler() http.Handler { return b.webhook }

// Run connects, then receives and sends until ctx ends. In polling mode it
// polls; in webhook mode it registers the webhook and leaves receiving to
// WebhookHandler. While Telegram fails it keeps trying (Ready says why it
// is not ready). It returns nil on a clean stop, or an error when Telegram
// refuses the token or the webhook.
func (b *Bot) Run(ctx context.Context) error {
	if err := b.connect(ctx); err != nil || ctx.Err() != nil {
		return err
	}
	if b.cfg.Connected != nil {
		b.cfg.Connected(b.client.Username())
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { b.setCommands(ctx) })
	wg.Go(func() { _ = b.sender.Run(ctx) })
	if b.leases != nil {
		wg.Go(func() { b.leases.run(ctx) })
	}

	if b.cfg.Mode == ModeWebhook {
		b.state.Store(&connState{step: "setWebhook"})
		if err := b.registerWebhook(ctx); err != nil {
			return err
		}
		b.state.Store(&connState{ready: true})
		<-ctx.Done()
		return nil
	}
	b.state.Store(&connState{step: "deleteWebhook"})
	p := &Poller{
		client:  b.client,
		recv:    b.recv,
		log:     b.log,
		timeout: b.cfg.PollTimeout,
		limit:   100,
		// About as many chats at once as storage keeps PostgreSQL
		// connections for the update path (24): each waits mostly for its
		// commit, which concurrent transactions share.
		workers: 24,
		// A poller only ever waits for Telegram or the database to come
		// back, and intake stops while it waits: short, never longer than
		// a few seconds.
		retry: pollRetry,
		stats: b.sender.stats,
		ready: func(err error) { b.state.Store(&connState{ready: err == nil, step: "deleteWebhook", err: err}) },
	}
	return p.Run(ctx)
}

// pollRetry is the poller's backoff after failures in a row.
var pollRetry = Retry{Base: 250 * time.Millisecond, Max: 3 * time.Second}

// registerWebhook sets the configured webhook, retrying while Telegram is
// unreachable; a refusal (a URL Telegram will not call) is returned.
func (b *Bot) registerWebhook(ctx context.Context) error {
	err := b.untilAnswered(ctx, "setWebhook", "register webhook", func(ctx context.Context) error {
		return b.SetWebhook(ctx, b.cfg.WebhookURL, b.cfg.WebhookSecret)
	})
	if err == nil && ctx.Err() == nil {
		b.log.InfoContext(ctx, "webhook registered")
	}
	return err
}

// SetWebhook registers url with Telegram, which will send secret back with
// every update.
func (b *Bot) SetWebhook(ctx context.Context, url, secret string) error {
	return b.client.setWebhook(ctx, url, secret)
}

// setCommands publishes the residents' commands. Best effort: the bot works
// without the menu, so a failure is only logged.
func (b *Bot) setCommands(ctx context.Context) {
	var errs []error
	for lang, menu := range b.cfg.Menu {
		cmds := make([]tgbotapi.BotCommand, 0, len(menu))
		for _, c := range menu {
			cmds = append(cmds, tgbotapi.BotCommand{Command: c.Word, Description: c.Description})
		}
		cfg := tgbotapi.NewSetMyCommands(cmds...)
		cfg.LanguageCode = lang
		errs = append(errs, b.client.request(ctx, cfg, "setMyCommands"))
	}
	if err := errors.Join(errs...); err != nil {
		b.log.WarnContext(ctx, "set bot commands", "error", err)
	}
}
