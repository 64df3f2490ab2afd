package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"langnghe"
	"langnghe/calendar"
	"langnghe/flows/catalogue"
	"langnghe/storage"
)

// What admins save in the studio is what the service runs on after its
// next start; a stored revision that no longer parses falls back to the
// default, loudly, instead of keeping the service down.
func TestOpenLoadsTheStoredSettings(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		cfg := testConfig(t, map[string]string{"LANGNGHE_DATABASE_URL": dbURL})
		a, err := open(ctx, cfg, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := a.catalogue.Category("water"); ok || a.catalogueRevision != 0 || a.holidaysRevision != 0 {
			t.Fatalf("a fresh database runs revisions %d/%d", a.catalogueRevision, a.holidaysRevision)
		}
		day := time.Date(2026, 12, 1, 10, 0, 0, 0, cfg.TimeZone) // a Tuesday
		if !a.calendar.WorkingDay(day) {
			t.Fatal("1 December 2026 should be a working day by default")
		}
		cat := bytes.Replace(catalogue.DefaultFile(), []byte("\nareas:"), []byte(`
  - code: water
    names: {vi: "Nước sạch", en: "Water supply"}
    service_days: 5
    keywords: [nước sạch, mất nước]

areas:`), 1)
		hol := append(calendar.DefaultFile(), "  - date: 2026-12-01\n    name: Ngày nghỉ thử\n"...)
		save := func(name string, src []byte, base int) {
			t.Helper()
			err := a.db.InTx(ctx, func(tx *storage.Tx) error {
				_, err := tx.SaveSetting(ctx, langnghe.SettingChange{Name: name, Source: src, Author: "official:1", Base: base, Action: "save"})
				return err
			})
			if err != nil {
				t.Fatalf("save %s: %v", name, err)
			}
		}
		save(langnghe.SettingCatalogue, cat, 0)
		save(langnghe.SettingHolidays, hol, 0)
		if _, ok := a.catalogue.Category("water"); ok {
			t.Error("the running service changed its catalogue before a restart")
		}
		a.Close()

		a, err = open(ctx, cfg, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		water, ok := a.catalogue.Category("water")
		if !ok || water.ServiceDays != 5 || a.catalogueRevision != 1 || a.holidaysRevision != 1 || a.calendar.WorkingDay(day) {
			t.Errorf("after a restart: water %v (%+v), revisions %d/%d, 1 Dec working day %v; want the saved files",
				ok, water, a.catalogueRevision, a.holidaysRevision, a.calendar.WorkingDay(day))
		}
		// Only a newer binary's stricter parser can make a checked revision
		// unreadable; the service then starts on the default and says so.
		save(langnghe.SettingCatalogue, []byte("version: broken\n"), 1)
		a.Close()
		var logs bytes.Buffer
		a, err = open(ctx, cfg, &logs)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		if _, ok := a.catalogue.Category("water"); ok || a.catalogueRevision != 0 || a.holidaysRevision != 1 ||
			!strings.Contains(logs.String(), "the stored catalogue does not parse") {
			t.Errorf("with a broken stored catalogue: revision %d, logs:\n%s", a.catalogueRevision, logs.String())
		}
	})
}
