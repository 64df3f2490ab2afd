package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"

	"langnghe"
	"langnghe/calendar"
	"langnghe/config"
	"langnghe/conversation"
	"langnghe/flowlib"
	"langnghe/flows/catalogue"
	"langnghe/flows/classify"
	"langnghe/followup"
	"langnghe/officedesk"
	"langnghe/storage"
	"langnghe/web/console"
)

// app is everything the commands share, wired once.
type app struct {
	cfg       *config.Config
	log       *slog.Logger
	db        *storage.DB
	catalogue *langnghe.Catalogue
	library   *flowlib.Library
	service   *conversation.Service
	// followup is the officials' side: units, routing, officials, lifecycle.
	followup *followup.Service
	// desk routes new opinions and talks with officials; chat and Open311
	// share it.
	desk     *officedesk.Desk
	calendar *calendar.Calendar
}

// open connects to the database, applies migrations, seeds the default
// flows into an empty database, and builds the conversation service.
func open(ctx context.Context, cfg *config.Config, logOut io.Writer) (*app, error) {
	log := newLogger(cfg, logOut)
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		return nil, err
	}
	cat := catalogue.Default()
	cl, err := classify.New(cat)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("build classifier: %w", err)
	}
	lib := flowlib.New(cat)
	seeded, err := lib.Seed(ctx, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	if len(seeded) > 0 {
		log.Info("default flows published", "flows", seeded)
	}
	cal := calendar.Default(cfg.TimeZone)
	a := &app{cfg: cfg, log: log, db: db, catalogue: cat, library: lib, calendar: cal,
		followup: followup.New(cat, cal, followup.Options{TimeZone: cfg.TimeZone})}
	a.desk = officedesk.New(a.followup, cat, officedesk.Options{
		TimeZone: cfg.TimeZone,
		// Behind a proxy LANGNGHE_PUBLIC_URL is the address browsers use.
		SignInLink: func(token string) string { return console.SignInLink(cfg.ConsoleURL(), token) },
	}, log)
	unitsSeeded, err := a.followup.Seed(ctx, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	if unitsSeeded {
		log.Info("default units and routing rules stored")
	}
	a.service = conversation.New(db, lib, cat, cl, cal, conversation.Options{
		OpinionPrefix: cfg.OpinionPrefix,
		TimeZone:      cfg.TimeZone,
		FloodLimit:    cfg.FloodLimit,
		IsAdmin: func(channel, userID string) bool {
			if channel != langnghe.ChannelTelegram {
				return channel == langnghe.ChannelTerminal // whoever runs the terminal owns the machine
			}
			id, err := strconv.ParseInt(userID, 10, 64)
			return err == nil && cfg.IsAdmin(id)
		},
		Desk: a.desk,
	}, log)
	return a, nil
}

func (a *app) Close() error { return a.db.Close() }

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	level := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}[cfg.LogLevel]
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// openDatabase connects and brings the schema up to date; every command
// that touches the database starts here.
func openDatabase(ctx context.Context, cfg *config.Config) (*storage.DB, error) {
	db, err := storage.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func migrateCmd(ctx context.Context, cfg *config.Config, stdout io.Writer) error {
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "database (%s) is up to date\n", db.Dialect())
	return nil
}
