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
	"context"
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
	// Followup invites and revokes officials (followup.Service, which
	// cmd/langnghe wires); required. BotUsername (without @, "" without
	// Telegram) makes the invitation's t.me link.
	Followup    Officials
	BotUsername string
	// CatalogueRevision, HolidaysRevision and FAQRevision are the stored
	// revisions this replica loaded at start (0: the embedded default), so
	// the settings pages can say whether a saved change is running yet.
	CatalogueRevision, HolidaysRevision, FAQRevision int
}

// Officials is what the officials' settings need of the follow-up core
// (followup.Service); each change is audited through the transactor given.
type Officials interface {
	Invite(ctx context.Context, db followup.Transactor, role langnghe.Role, units []string, name string, ttl time.Duration,
		opts ...followup.InviteOption) (langnghe.Invitation, error)
	Revoke(ctx context.Context, db followup.Transactor, officialID int64, actor string) error
	PermitDenouncers(ctx context.Context, db followup.Transactor, officialID int64, on bool) error
}

// Studio serves /console/studio/.
type Studio struct {
	db   *storage.DB
	opts Options
	mux  *routes
}

// New returns the studio on db. It panics without opts.Followup: the
// studio builds no services of its own.
func New(db *storage.DB, opts Options) *Studio {
	if opts.Followup == nil {
		panic("studio: Options.Followup is required")
	}
	opts.TimeZone, opts.Now = langnghe.Clock(opts.TimeZone, opts.Now)
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	s := &Studio{db: db, opts: opts, mux: &routes{ServeMux: http.NewServeMux()}}
	s.flowRoutes()
	s.settingsRoutes()
	return s
}

// ServeHTTP makes the studio an http.Handler.
func (s *Studio) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }
