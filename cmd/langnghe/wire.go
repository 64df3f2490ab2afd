package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/campaigns"
	"langnghe/config"
	"langnghe/conversation"
	"langnghe/flowlib"
	"langnghe/flows/catalogue"
	"langnghe/flows/classify"
	"langnghe/flows/faq"
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
	// classifier is the conversations' (the studio's simulator shares it).
	classifier *classify.Classifier
	// faq answers residents' questions in conversations.
	faq *faq.FAQ
	// campaigns are the board's campaigns: the console, the CLI and the
	// conversations share them.
	campaigns *campaigns.Service
	// catalogueRevision, holidaysRevision and faqRevision are the admins'
	// stored revisions loaded at start; 0 is the embedded default.
	catalogueRevision, holidaysRevision, faqRevision int
}

// open connects to the database, applies migrations, seeds the default
// flows into an empty database, and builds the conversation service.
func open(ctx context.Context, cfg *config.Config, logOut io.Writer) (*app, error) {
	log := newLogger(cfg, logOut)
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		return nil, err
	}
	settings, err := loadSettings(ctx, db, cfg.TimeZone, log)
	if err != nil {
		db.Close()
		return nil, err
	}
	cat := settings.catalogue
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
	cal := settings.calendar
	a := &app{cfg: cfg, log: log, db: db, catalogue: cat, library: lib, calendar: cal, classifier: cl,
		catalogueRevision: settings.catalogueRevision, holidaysRevision: settings.holidaysRevision,
		faq: settings.faq, faqRevision: settings.faqRevision,
		followup: followup.New(cat, cal, followup.Options{TimeZone: cfg.TimeZone})}
	a.desk = officedesk.New(a.followup, cat, officedesk.Options{
		TimeZone:   cfg.TimeZone,
		StatusName: conversation.StatusName,
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
	a.campaigns = campaigns.New(db, lib, cat, cl, cal, campaigns.Options{TimeZone: cfg.TimeZone, OpinionPrefix: cfg.OpinionPrefix, Intake: a.desk})
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
		Desk:      a.desk,
		Places:    a.followup,
		FAQ:       a.faq,
		Campaigns: a.campaigns,
	}, log)
	return a, nil
}

func (a *app) Close() error { return a.db.Close() }

// settings are the catalogue, the holidays and the FAQ a replica runs on.
type settings struct {
	catalogue                                        *langnghe.Catalogue
	calendar                                         *calendar.Calendar
	faq                                              *faq.FAQ
	catalogueRevision, holidaysRevision, faqRevision int
}

// openWithSettings opens the database, as openDatabase does, with the
// catalogue and holidays the service runs on: the commands that read or
// check opinions, flows or units see what the service sees.
func openWithSettings(ctx context.Context, cfg *config.Config) (*storage.DB, settings, error) {
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		return nil, settings{}, err
	}
	s, err := loadSettings(ctx, db, cfg.TimeZone, newLogger(cfg, os.Stderr))
	if err != nil {
		db.Close()
		return nil, settings{}, err
	}
	return db, s, nil
}

// loadSettings returns the catalogue, the holidays and the FAQ admins saved
// in the studio (their current stored revisions), or the embedded defaults
// where none was saved. They are read once, at start: they are shared by
// every conversation, so a saved change applies at each replica's next
// start. A stored revision that no longer parses (it
// was checked when saved, so only a newer binary's stricter parser can
// cause this) is logged and the default used, so the service still starts
// and an admin can save a fixed revision.
func loadSettings(ctx context.Context, db *storage.DB, loc *time.Location, log *slog.Logger) (settings, error) {
	var s settings
	var err error
	s.catalogue, s.catalogueRevision, err = storage.CurrentSetting(ctx, db, langnghe.SettingCatalogue, catalogue.Parse,
		catalogue.Default(), log,
		"the stored catalogue does not parse; running on the default catalogue until a fixed revision is saved in the studio")
	if err != nil {
		return settings{}, err
	}
	s.calendar, s.holidaysRevision, err = storage.CurrentSetting(ctx, db, langnghe.SettingHolidays,
		func(src []byte) (*calendar.Calendar, error) { return calendar.Parse(loc, src) }, calendar.Default(loc), log,
		"the stored holidays do not parse; running on the default holidays until a fixed revision is saved in the studio")
	if err != nil {
		return settings{}, err
	}
	s.faq, s.faqRevision, err = storage.CurrentSetting(ctx, db, langnghe.SettingFAQ, faq.Parse, faq.Default(), log,
		"the stored FAQ does not parse; running on the default FAQ until a fixed revision is saved in the studio")
	if err != nil {
		return settings{}, err
	}
	if s.catalogueRevision > 0 || s.holidaysRevision > 0 || s.faqRevision > 0 {
		log.Info("settings saved in the studio loaded", "catalogue_revision", s.catalogueRevision,
			"holidays_revision", s.holidaysRevision, "faq_revision", s.faqRevision)
	}
	return s, nil
}

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
