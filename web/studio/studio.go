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
}

// Studio serves /console/studio/.
type Studio struct {
	db   *storage.DB
	opts Options
	mux  *http.ServeMux
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
	s := &Studio{db: db, opts: opts, mux: http.NewServeMux()}
	s.flowRoutes()
	s.settingsRoutes()
	return s
}

// ServeHTTP makes the studio an http.Handler.
func (s *Studio) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }
