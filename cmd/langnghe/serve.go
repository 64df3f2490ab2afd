package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"langnghe"
	"langnghe/bot"
	"langnghe/config"
	"langnghe/flows"
	"langnghe/web"
	"langnghe/web/console"
	"langnghe/web/open311"
	"langnghe/web/studio"
)

// serve runs the service until ctx ends: HTTP (health, metrics, webhook),
// and with a token the Telegram receiver and sender; session timeouts are
// fired and officials' digests sent in the background.
func serve(ctx context.Context, cfg *config.Config, logOut io.Writer) error {
	a, err := open(ctx, cfg, logOut)
	if err != nil {
		return err
	}
	defer a.Close()

	// The console is built again once Telegram has told the bot's
	// username, which the studio's invitation links carry: the service
	// serves before Telegram answers (bot.Bot.Run keeps trying).
	var consoleHandler swappable
	consoleHandler.set(a.console(""))
	var status atomic.Pointer[string]
	setStatus := func(s string) { status.Store(&s) }
	setStatus("Telegram: off (set LANGNGHE_TELEGRAM_TOKEN to connect a bot)")
	var telegram *bot.Bot
	if cfg.TelegramToken == "" {
		a.log.Warn("no Telegram token: running without Telegram. Create a bot with @BotFather and set LANGNGHE_TELEGRAM_TOKEN to connect it; health and metrics are served meanwhile.")
	} else {
		setStatus(fmt.Sprintf("Telegram: %s, connecting", cfg.TelegramMode))
		telegram, err = bot.New(bot.Config{
			Token:           cfg.TelegramToken,
			Endpoint:        cfg.TelegramEndpoint,
			Mode:            cfg.TelegramMode,
			WebhookURL:      cfg.WebhookURL,
			WebhookSecret:   cfg.WebhookSecret,
			SendRate:        cfg.SendRate,
			AttachmentLimit: cfg.AttachmentLimit,
			Menu:            flows.Menu(),
			Connected: func(username string) {
				consoleHandler.set(a.console(username))
				setStatus(fmt.Sprintf("Telegram: %s as @%s", cfg.TelegramMode, username))
			},
		}, a.service, a.db, a.log)
		if err != nil {
			return fmt.Errorf("telegram: %w", err)
		}
	}

	// Ready means the database takes a write and Telegram is connected.
	opts := web.Options{
		Checks:  []web.Check{{Name: "database", Check: a.db.Ready}},
		Metrics: a.metrics(telegram),
		Status:  func() string { return *status.Load() },
		Console: &consoleHandler,
		Log:     a.log,
	}
	if telegram != nil {
		opts.Checks = append(opts.Checks, web.Check{Name: "telegram", Check: func(context.Context) error { return telegram.Ready() }})
	}
	if telegram != nil && cfg.TelegramMode == config.ModeWebhook {
		opts.Webhook = telegram.WebhookHandler()
	}
	// Opinions filed through Open311 are routed and announced to the unit's
	// officials as the chat's are.
	opts.Open311 = open311.New(a.db, open311.Options{
		Catalogue:     a.catalogue,
		Calendar:      a.calendar,
		Intake:        a.desk,
		OpinionPrefix: cfg.OpinionPrefix,
		TimeZone:      cfg.TimeZone,
		// Discovery names the endpoint under the public address, never
		// after the request's Host header.
		PublicURL: cfg.ConsoleURL(),
		Log:       a.log,
	})
	httpServer := web.New(opts)

	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		return httpServer.ListenAndServe(ctx, cfg.HTTPAddr, func(addr net.Addr) {
			a.log.Info("listening", "addr", addr.String())
		})
	})
	if telegram != nil {
		g.Go(func() error { return telegram.Run(ctx) })
	}
	g.Go(func() error { return a.fireTimeouts(ctx) })
	g.Go(func() error { return a.purgeConsole(ctx) })
	g.Go(func() error { return a.runDigests(ctx) })
	err = g.Wait()
	if ctx.Err() != nil && err == context.Canceled {
		err = nil
	}
	a.log.Info("stopped")
	return err
}

// fireTimeouts resumes sessions whose wait ran out with a "no response"
// input, through the same exactly-once path as residents' inputs.
func (a *app) fireTimeouts(ctx context.Context) error {
	return langnghe.Every(ctx, 5*time.Second, func() error {
		if err := a.service.FireTimeouts(ctx, time.Now()); err != nil && ctx.Err() == nil {
			a.log.Warn("session timeouts", "err", err)
		}
		return nil
	})
}

// purgeConsole deletes expired sign-in links and console sessions every
// hour. Every replica runs it; the deletes are idempotent.
func (a *app) purgeConsole(ctx context.Context) error {
	purge := func() error {
		tokens, sessions, err := a.db.PurgeConsole(ctx, time.Now())
		switch {
		case err != nil && ctx.Err() == nil:
			a.log.Warn("purge expired console sign-ins", "err", err)
		case tokens+sessions > 0:
			a.log.Info("purged expired console sign-ins", "links", tokens, "sessions", sessions)
		}
		return nil
	}
	_ = purge()
	return langnghe.Every(ctx, time.Hour, purge)
}

// metrics reports the service's figures for /metrics.
func (a *app) metrics(telegram *bot.Bot) func(ctx context.Context, m *web.Metrics) error {
	var mu sync.Mutex // one scrape at a time: the database queries are not free
	return func(ctx context.Context, m *web.Metrics) error {
		mu.Lock()
		defer mu.Unlock()
		sm := &a.service.Metrics
		const updates = "langnghe_updates_total"
		m.Counter(updates, "Resident inputs by result.", float64(sm.Applied.Load()), "result", "applied")
		m.Counter(updates, "Resident inputs by result.", float64(sm.Duplicates.Load()), "result", "duplicate")
		m.Counter(updates, "Resident inputs by result.", float64(sm.Failed.Load()), "result", "failed")
		m.Counter(updates, "Resident inputs by result.", float64(sm.Flooded.Load()), "result", "flooded")
		m.Counter("langnghe_opinions_created_total", "Opinions created since start.", float64(sm.Opinions.Load()))
		if telegram != nil {
			st := telegram.Stats()
			const replies = "langnghe_replies_total"
			m.Counter(replies, "Replies by outcome.", float64(st.Sent), "outcome", "sent")
			m.Counter(replies, "Replies by outcome.", float64(st.Retried), "outcome", "retried")
			m.Counter(replies, "Replies by outcome.", float64(st.Failed), "outcome", "failed")
			m.Counter("langnghe_telegram_429_total", "Too Many Requests answers from Telegram.", float64(st.RateLimited))
		}
		depth, oldest, err := a.db.OutboxStats(ctx)
		if err != nil {
			return err
		}
		m.Gauge("langnghe_outbox_depth", "Replies waiting to be sent.", float64(depth))
		age := 0.0
		if depth > 0 && !oldest.IsZero() {
			age = time.Since(oldest).Seconds()
		}
		m.Gauge("langnghe_outbox_oldest_seconds", "Age of the oldest waiting reply.", age)
		counts, err := a.db.CountOpinionsByStatus(ctx)
		if err != nil {
			return err
		}
		for _, s := range langnghe.Statuses {
			m.Gauge("langnghe_opinions", "Stored opinions by status.", float64(counts[s]), "status", string(s))
		}
		return nil
	}
}

// console builds the officials' console; botName (without @, "" before
// Telegram answered or without Telegram) makes the studio's invitation
// links and campaigns' deep links.
func (a *app) console(botName string) http.Handler {
	return console.New(a.db, console.Options{
		TimeZone: a.cfg.TimeZone,
		// The console's inbox and opinion pages keep to each official's
		// scope through the follow-up core, and act through the desk, as
		// the officials' chat does.
		Catalogue: a.catalogue,
		Calendar:  a.calendar,
		Followup:  a.followup,
		Desk:      a.desk,
		// The board's campaigns, their posters' deep links (the bot's
		// name) and the public results pages.
		Campaigns:   a.campaigns,
		BotUsername: botName,
		Studio: studio.New(a.db, studio.Options{
			Library: a.library, Catalogue: a.catalogue, TimeZone: a.cfg.TimeZone, Log: a.log,
			Classifier: a.classifier, Calendar: a.calendar,
			Followup: a.followup, BotUsername: botName,
			CatalogueRevision: a.catalogueRevision, HolidaysRevision: a.holidaysRevision,
			FAQRevision: a.faqRevision,
		}),
		// Sign-ins posted from the public address are not cross-site,
		// even behind a proxy that changes Host.
		PublicURL: a.cfg.PublicURL,
		Log:       a.log,
	})
}

// swappable is an http.Handler that can be replaced while it serves.
type swappable struct{ h atomic.Pointer[http.Handler] }

func (s *swappable) set(h http.Handler) { s.h.Store(&h) }

func (s *swappable) ServeHTTP(w http.ResponseWriter, r *http.Request) { (*s.h.Load()).ServeHTTP(w, r) }
