// Package studio is the admins' studio in the officials' console: flows
// (list, editor with live checking, diagram, simulator, revisions, publish
// and rollback) and the settings residents' conversations and officials'
// work depend on (catalogue, areas, units, routing rules, holidays,
// officials), with an audit of every change.
//
// The console (web/console) mounts it under /console/studio/ and lets only
// admins through; every handler here finds the admin with
// console.ViewerFrom and renders in the console's frame.
package studio

import (
	"log/slog"
	"net/http"
	"time"

	"langnghe"
	"langnghe/flowlib"
	"langnghe/flows"
	"langnghe/followup"
	"langnghe/storage"
)

// Options wire the studio to the service.
type Options struct {
	// Library validates, stores and publishes flow revisions.
	Library   *flowlib.Library
	Catalogue *langnghe.Catalogue
	TimeZone  *time.Location
	Now       func() time.Time
	Log       *slog.Logger
	// Classifier and Calendar make the flow simulator run as residents'
	// conversations do: the same category detection and due dates.
	Classifier flows.Classifier
	Calendar   interface {
		AddWorkingDays(from time.Time, days int) time.Time
	}
	// Followup invites and revokes officials; BotUsername (without @, ""
	// without Telegram) makes the invitation's t.me link.
	Followup    *followup.Service
	BotUsername string
	// CatalogueRevision, HolidaysRevision and FAQRevision are the stored
	// revisions this replica loaded at start (0: the embedded default), so
	// the settings pages can say whether a saved change is running yet.
	CatalogueRevision, HolidaysRevision, FAQRevision int
}

// Studio serves /console/studio/.
type Studio struct {
	db   *storage.DB
	opts Options
	mux  *routes
}

// New returns the studio on db.
func New(db *storage.DB, opts Options) *Studio {
	if opts.TimeZone == nil {
		opts.TimeZone = time.UTC
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Followup == nil {
		opts.Followup = followup.New(opts.Catalogue, nil, followup.Options{TimeZone: opts.TimeZone, Now: opts.Now})
	}
	s := &Studio{db: db, opts: opts, mux: &routes{ServeMux: http.NewServeMux()}}
	s.flowRoutes()
	s.settingsRoutes()
	return s
}

// ServeHTTP makes the studio an http.Handler.
func (s *Studio) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }
